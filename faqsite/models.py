# The project has no models. This module exists so that Django sends `post_migrate` for it: that
# signal keeps the Editors group (faqsite/editors.py) and comes after the apps listed before it.

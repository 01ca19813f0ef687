"""Once gave editors the share-link permissions; faqsite/editors.py keeps them now (see 0002)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_section_search_index")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]

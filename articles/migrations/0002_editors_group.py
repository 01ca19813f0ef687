"""Once made the Editors group. The group is now kept by faqsite's post_migrate receiver
(faqsite/editors.py), so this migration does nothing; it stays for the migration graph."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]

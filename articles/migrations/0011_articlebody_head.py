from django.db import migrations, models


class Migration(migrations.Migration):
    # Existing bodies get an empty head until `migrate` renders them again (their renderer changed).
    dependencies = [("articles", "0010_article_status_updated_at_index")]

    operations = [
        migrations.AddField(
            model_name="articlebody",
            name="head",
            field=models.TextField(blank=True, default=""),
            preserve_default=False,
        ),
    ]

"""A quiz's mode is its pace ("feedback" also meant the page after an answer and the helpful votes)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0008_quiz_source_article"),
    ]

    operations = [
        migrations.RenameField(model_name="attempt", old_name="feedback", new_name="pace"),
        migrations.RenameField(model_name="quiz", old_name="feedback", new_name="pace"),
        migrations.AlterField(
            model_name="quiz",
            name="pace",
            field=models.CharField(
                choices=[
                    ("learning", "Learning: after each answer (the answer is then final)"),
                    ("test", "Test: on the results page"),
                ],
                default="test",
                help_text=(
                    "Learning: right or not, the right answer and the explanation after each answer. "
                    "Test: all of that on the results page only."
                ),
                max_length=10,
                verbose_name="kind of quiz",
            ),
        ),
    ]

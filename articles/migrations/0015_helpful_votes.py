"""Votes on "Was this answer helpful?" are HelpfulVote, and say whose they are as quiz attempts do
(an account, or a visitor's key) instead of in a "user:<id>" / "visitor:<key>" string."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def split_voter(apps, schema_editor):
    Vote = apps.get_model("articles", "HelpfulVote")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    users = set(User.objects.values_list("pk", flat=True))
    for vote in Vote.objects.all().iterator():
        kind, _, value = vote.voter.partition(":")
        if kind == "user" and value.isdigit() and int(value) in users:
            vote.user_id, vote.visitor_key = int(value), ""
        else:
            vote.user_id, vote.visitor_key = None, value[:64] or "unknown"
        vote.save(update_fields=["user", "visitor_key"])


def join_voter(apps, schema_editor):
    Vote = apps.get_model("articles", "HelpfulVote")
    for vote in Vote.objects.all().iterator():
        vote.voter = f"user:{vote.user_id}" if vote.user_id else f"visitor:{vote.visitor_key}"
        vote.save(update_fields=["voter"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_import_review_and_redirects"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="sectionfeedback", name="one_vote_per_reader_and_section"),
        migrations.RenameModel("SectionFeedback", "HelpfulVote"),
        migrations.AlterField(
            model_name="helpfulvote",
            name="section",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="helpful_votes",
                to="articles.section",
            ),
        ),
        migrations.AddField(
            model_name="helpfulvote",
            name="user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="helpful_votes",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="helpfulvote", name="visitor_key", field=models.CharField(blank=True, max_length=64)
        ),
        # A default, so that migrating back can add the column again before join_voter fills it.
        migrations.AlterField(
            model_name="helpfulvote", name="voter", field=models.CharField(default="", max_length=80)
        ),
        migrations.RunPython(split_voter, join_voter),
        migrations.RemoveField(model_name="helpfulvote", name="voter"),
        migrations.AddConstraint(
            model_name="helpfulvote",
            constraint=models.UniqueConstraint(
                condition=models.Q(user__isnull=False),
                fields=("section", "user"),
                name="one_vote_per_reader_and_section",
            ),
        ),
        migrations.AddConstraint(
            model_name="helpfulvote",
            constraint=models.UniqueConstraint(
                condition=models.Q(user__isnull=True),
                fields=("section", "visitor_key"),
                name="one_vote_per_visitor_and_section",
            ),
        ),
        migrations.AddConstraint(
            model_name="helpfulvote",
            constraint=models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(visitor_key=""), name="vote_has_an_owner"
            ),
        ),
    ]

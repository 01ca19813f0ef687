"""Migration 0015: "user:<id>" / "visitor:<key>" strings become a vote's user or visitor key."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("articles", "0014_import_review_and_redirects")]
AFTER = [("articles", "0015_helpful_votes")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_voters_become_users_and_visitor_keys_and_back(reader):
    old = _migrate(BEFORE)
    Article = old.get_model("articles", "Article")
    article = Article.objects.create(title="A", slug="a", summary="S")
    section = old.get_model("articles", "Section").objects.create(
        article=article, question="Q?", answer="A.", anchor="q", position=1
    )
    Vote = old.get_model("articles", "SectionFeedback")
    Vote.objects.create(section=section, voter=f"user:{reader.pk}", helpful=True)
    Vote.objects.create(section=section, voter="visitor:abc", helpful=False)
    Vote.objects.create(section=section, voter="user:999999", helpful=True)  # an account gone

    new = _migrate(AFTER)
    rows = set(new.get_model("articles", "HelpfulVote").objects.values_list("user", "visitor_key", "helpful"))
    assert rows == {(reader.pk, "", True), (None, "abc", False), (None, "999999", True)}

    old = _migrate(BEFORE)
    voters = set(old.get_model("articles", "SectionFeedback").objects.values_list("voter", flat=True))
    assert voters == {f"user:{reader.pk}", "visitor:abc", "visitor:999999"}
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

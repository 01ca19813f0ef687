from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, Section

pytestmark = pytest.mark.django_db


def test_published_excludes_drafts_and_future_articles(make_article):
    public = make_article()
    make_article(status="draft")
    make_article(published_at=timezone.now() + timedelta(hours=1))
    assert list(Article.objects.published()) == [public]


def test_publishing_without_a_time_sets_the_present_moment(make_article):
    article = make_article(status="draft")
    assert article.published_at is None
    article.status = Article.Status.PUBLISHED
    article.save()
    assert article.published_at <= timezone.now()
    assert article.is_public


def test_anchor_is_made_from_the_question_and_unique_within_the_article(make_article):
    article = make_article(sections=0)
    first = Section.objects.create(article=article, question="What are red flags?", answer="x")
    second = Section.objects.create(article=article, question="What are red flags!", answer="y")
    other = make_article(sections=0)
    third = Section.objects.create(article=other, question="What are red flags?", answer="z")
    assert (first.anchor, second.anchor, third.anchor) == (
        "what-are-red-flags",
        "what-are-red-flags-2",
        "what-are-red-flags",
    )


def test_anchor_is_kept_when_the_question_is_reworded(make_article):
    section = make_article(sections=1).sections.get()
    anchor = section.anchor
    section.question = "A reworded question?"
    section.save()
    assert section.anchor == anchor


def test_anchor_never_takes_an_id_the_page_uses(make_article):
    section = Section.objects.create(article=make_article(sections=0), question="Main", answer="x")
    assert section.anchor == "main-2"
    section.anchor = "contents"
    with pytest.raises(ValidationError, match="used by the page itself"):
        section.full_clean()


def test_the_database_refuses_a_duplicate_question_in_one_article(make_article):
    article = make_article(sections=1)
    with pytest.raises(IntegrityError):
        Section.objects.create(
            article=article, question=article.sections.get().question, answer="again", anchor="x"
        )


def test_related_articles_share_topics_and_are_published(make_article, make_topic):
    ethics, tears, other = make_topic("Ethics"), make_topic("Tears"), make_topic("Other")
    article = make_article(topics=[ethics, tears])
    close = make_article(topics=[ethics, tears])
    far = make_article(topics=[ethics])
    make_article(topics=[other])
    make_article(topics=[ethics], status="draft")
    related = Article.objects.related_to(article)
    assert list(related) == [close, far]


def test_faq_page_data_has_one_question_per_section_in_plain_text(make_article):
    article = make_article(sections=2)
    data = article.as_faq_page()
    assert data["@type"] == "FAQPage"
    assert [q["name"] for q in data["mainEntity"]] == [s.question for s in article.sections.all()]
    assert data["mainEntity"][0]["acceptedAnswer"]["text"] == "Answer 1, with a list: one two"


def test_a_section_left_without_a_position_goes_last(make_article):
    article = make_article(sections=2)
    added = Section.objects.create(article=article, question="Added later?", answer="x")
    assert added.position == 3
    assert list(article.sections.all())[-1] == added


def test_anchors_never_take_the_pages_own_ids_or_those_other_apps_add():
    from articles.models import ANCHOR_MAX_LENGTH, EXTRA_ID_PREFIX, unique_anchor

    assert unique_anchor("Contents", set()) == "contents-2"
    assert unique_anchor("Extra sessions?", set()) == "q-extra-sessions"
    assert unique_anchor("Test yourself?", set()) == "test-yourself"  # the quizzes' box is extra-...
    long = unique_anchor("Extra " + "very " * 40 + "long?", set())
    assert long.startswith("q-extra-very") and len(long) <= ANCHOR_MAX_LENGTH - 4
    # A long question keeps the whole anchor length (quiz links and bookmarks depend on it).
    question = "What is the difference between a boundary crossing and a boundary violation?"
    assert unique_anchor(question, set()) == slugify(question)[: ANCHOR_MAX_LENGTH - 4].strip("-")
    assert not unique_anchor("Extra?", {"q-extra"}).startswith(EXTRA_ID_PREFIX)


@pytest.mark.parametrize("anchor", ["contents", "extra-test-yourself", "extra-anything"])
def test_an_editor_cant_give_a_section_a_reserved_anchor(make_article, anchor):
    section = make_article(sections=1).sections.get()
    section.anchor = anchor
    with pytest.raises(ValidationError, match="is used by the page itself"):
        section.clean()

"""A draft of a published article: edited while the article stays live, then published over it
(keeping the sections' ids and anchors by question) or discarded."""

import pytest
from django.contrib.auth.models import Permission
from django.db import IntegrityError, transaction
from django.test import Client
from reversion.models import Version

from articles.models import ArticleDraft, DraftSection, Section
from articles.services import (
    DraftProblem,
    article_draft_discard,
    article_draft_publish,
    article_draft_start,
)
from tests.pages import form_data, soup, text

pytestmark = pytest.mark.django_db


def draft_sections(draft, sections):
    """Make the draft's sections these (question, answer) pairs, in this order."""
    draft.sections.all().delete()
    DraftSection.objects.bulk_create(
        DraftSection(draft=draft, question=q, answer=a, position=n) for n, (q, a) in enumerate(sections, 1)
    )


def words(page):
    """The words of a parsed page."""
    return page.get_text(" ", strip=True)


def live(article):
    return list(Section.objects.filter(article=article).values_list("question", "answer"))


def test_starting_a_draft_copies_the_live_text_and_starting_again_returns_it(make_article, editor):
    article = make_article(sections=2, title="Live title")
    draft = article_draft_start(article=article, user=editor)
    assert (draft.title, draft.summary, draft.created_by) == ("Live title", article.summary, editor)
    assert list(draft.sections.values_list("question", "answer")) == live(article)
    assert draft.state == "editing" and draft.based_on == article.updated_at
    assert article_draft_start(article=article, user=editor) == draft
    assert ArticleDraft.objects.count() == 1


def test_an_unpublished_article_has_no_draft_it_is_edited_itself(make_article):
    article = make_article(status="draft", title="Not out yet")
    with pytest.raises(DraftProblem, match="“Not out yet” is not published: edit it directly"):
        article_draft_start(article=article)
    assert not ArticleDraft.objects.exists()


def test_the_database_allows_one_open_draft_per_article(make_article):
    """As a raced second start would meet it: the constraint, whatever the code above it does."""
    article = make_article()
    first = article_draft_start(article=article)
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleDraft.objects.create(
            article=article, title="x", summary="x", based_on=article.updated_at, based_on_version="x"
        )
    article_draft_discard(draft=first)
    second = article_draft_start(article=article)
    assert second != first and list(article.drafts.open()) == [second]


def test_the_live_article_is_unchanged_while_its_draft_is_edited(client, editor, make_article):
    article = make_article(sections=1, title="Live title")
    section = article.sections.get()
    client.force_login(editor)
    response = client.post(f"/admin/articles/article/{article.pk}/draft/")
    draft = ArticleDraft.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/admin/articles/articledraft/{draft.pk}/change/"
    )
    page = soup(client.get(response["Location"]))
    data = form_data(page.find("form", id="articledraft_form"))
    data |= {"title": "Draft title", "sections-0-answer": "Draft answer about kindness."}
    response = client.post(f"/admin/articles/articledraft/{draft.pk}/change/", data, follow=True)
    assert "was changed successfully" in text(response)
    assert list(draft.sections.values_list("answer", flat=True)) == ["Draft answer about kindness."]
    article.refresh_from_db()
    assert article.title == "Live title" and article.sections.get() == section
    assert section.answer == article.sections.get().answer
    for viewer in (Client(), client):  # a reader, and staff (who see the live page too)
        page = text(viewer.get(article.get_absolute_url()))
        assert "Live title" in page and "Draft title" not in page and "kindness" not in page


def test_publishing_keeps_ids_and_anchors_of_unchanged_questions(client, editor, make_quiz):
    quiz = make_quiz(questions=2)
    first, second = (question.section for question in quiz.questions.order_by("position"))
    article = first.article
    untested = Section.objects.create(article=article, question="Untested?", answer="Old.", position=3)
    client.get(article.get_absolute_url())  # the page is kept in the page cache
    draft = article_draft_start(article=article, user=editor)
    draft.title = "New title"
    draft.save()
    draft_sections(
        draft,
        [
            ("A new question?", "Brand new."),
            (second.question, "Second, reworded."),
            (first.question, first.answer),
        ],
    )
    article_draft_publish(draft=draft, user=editor)

    sections = list(article.sections.all())
    assert [s.question for s in sections] == ["A new question?", second.question, first.question]
    assert (sections[1].pk, sections[1].anchor) == (second.pk, second.anchor)
    assert (sections[2].pk, sections[2].anchor) == (first.pk, first.anchor)
    assert sections[1].answer_html == "<p>Second, reworded.</p>"
    assert sections[0].anchor == "a-new-question"
    assert not Section.objects.filter(pk=untested.pk).exists()
    assert [q.section_id for q in quiz.questions.order_by("position")] == [first.pk, second.pk]
    article.refresh_from_db()
    assert article.title == "New title" and article.is_public
    assert "Second, reworded." in article.body.html  # rendered again
    page = text(Client().get(article.get_absolute_url()))  # not the page kept before
    assert "New title" in page and "Second, reworded." in page and "Untested?" not in page
    revision = Version.objects.get_for_object(article).first().revision
    assert revision.get_comment() == "Published a draft." and revision.user == editor
    assert {v.field_dict.get("question") for v in revision.version_set.all()} >= {"A new question?"}
    draft.refresh_from_db()
    assert draft.state == "published" and draft.closed_by == editor and draft.closed_at


def test_publishing_twice_does_nothing_more(make_article):
    article = make_article(sections=1)
    draft = article_draft_start(article=article)
    draft_sections(draft, [("Only this?", "Yes.")])
    article_draft_publish(draft=draft)
    article.refresh_from_db()
    versions, updated = Version.objects.get_for_object(article).count(), article.updated_at
    assert article_draft_publish(draft=draft) == article
    article.refresh_from_db()
    assert Version.objects.get_for_object(article).count() == versions and article.updated_at == updated
    article_draft_discard(draft=draft)  # a published draft stays published
    draft.refresh_from_db()
    assert draft.state == "published"


def test_a_removed_section_that_a_quiz_question_tests_is_refused_in_words(make_quiz):
    quiz = make_quiz(questions=2)
    first = quiz.questions.get(position=1).section
    article = first.article
    draft = article_draft_start(article=article)
    draft_sections(draft, [(s.question, "Changed.") for s in article.sections.exclude(pk=first.pk)])
    with pytest.raises(DraftProblem) as refused:
        article_draft_publish(draft=draft)
    said = str(refused.value)
    assert f"The section “{first.question}” is linked to 1 question in Quizzes" in said
    assert "keep that question in the draft, word for word" in said
    assert Section.objects.filter(pk=first.pk).exists()
    assert "Changed." not in [s.answer for s in article.sections.all()]
    draft.refresh_from_db()
    assert draft.is_open


def test_a_draft_whose_article_changed_since_is_refused(make_article):
    article = make_article(sections=1, title="Before")
    draft = article_draft_start(article=article)
    article.title = "A colleague's live edit"
    article.save()
    draft_sections(draft, [("Overwrite?", "No.")])
    with pytest.raises(
        DraftProblem, match="after this draft was started, and publishing the draft would undo"
    ):
        article_draft_publish(draft=draft)
    article.refresh_from_db()
    assert article.title == "A colleague's live edit" and [s.question for s in article.sections.all()] != [
        "Overwrite?"
    ]


def test_a_discarded_draft_cant_be_published(make_article):
    article = make_article(sections=1)
    draft = article_draft_start(article=article)
    article_draft_discard(draft=draft)
    with pytest.raises(DraftProblem, match="was discarded"):
        article_draft_publish(draft=draft)


# The admin.


def test_the_admin_journey_from_the_article_page_through_publish(client, editor, make_article):
    article = make_article(sections=2, title="Live title")
    client.force_login(editor)
    page = soup(client.get(f"/admin/articles/article/{article.pk}/change/"))
    start = page.find("form", action=f"/admin/articles/article/{article.pk}/draft/")
    assert start.get("method") == "post" and start.find("input", attrs={"name": "csrfmiddlewaretoken"})
    assert start.button.get_text(strip=True) == "Edit as a draft"
    response = client.post(start["action"])
    draft = ArticleDraft.objects.get()

    page = soup(client.get(response["Location"]))
    assert "Readers see “Live title” as it is until this draft is published." in words(page)
    assert page.find("a", href=f"/admin/articles/articledraft/{draft.pk}/preview/")
    assert page.find("a", href=f"/admin/articles/articledraft/{draft.pk}/discard/")
    assert page.find("input", attrs={"name": "_publish", "value": "Publish this draft"})
    form = page.find("form", id="articledraft_form")
    assert [t.get_text().strip() for t in form.select("textarea[name$='-answer']:not([name*='prefix'])")] == [
        s.answer for s in article.sections.all()
    ]
    # The article's page now leads to the open draft, and warns that saving there makes it stale.
    article_page = soup(client.get(f"/admin/articles/article/{article.pk}/change/"))
    assert article_page.find("a", href=f"/admin/articles/articledraft/{draft.pk}/change/").get_text() == (
        "Open its draft"
    )
    assert "This article has an open draft, started by charlie" in words(article_page)

    data = form_data(form) | {"sections-1-answer": "The published answer.", "_publish": "Publish this draft"}
    response = client.post(f"/admin/articles/articledraft/{draft.pk}/change/", data, follow=True)
    assert response.redirect_chain[-1][0] == f"/admin/articles/article/{article.pk}/change/"
    assert "Published the draft: readers now see the new “Live title”." in text(response)
    assert "Edit as a draft" in text(response)  # the draft is closed: a new one may start
    draft.refresh_from_db()
    assert draft.state == "published"
    assert "The published answer." in text(Client().get(article.get_absolute_url()))
    # Kept as it was: its page shows it, read only, and offers no publishing.
    page = soup(client.get(f"/admin/articles/articledraft/{draft.pk}/change/"))
    assert "This draft was published by charlie" in words(page)
    assert not page.find("input", attrs={"name": "_publish"}) and not page.find("textarea")


def test_a_refused_publish_keeps_the_edits_and_says_why(client, editor, make_quiz):
    quiz = make_quiz(questions=1)
    article = quiz.questions.get().section.article
    draft = article_draft_start(article=article, user=editor)
    client.force_login(editor)
    form = soup(client.get(f"/admin/articles/articledraft/{draft.pk}/change/")).find(
        "form", id="articledraft_form"
    )
    data = form_data(form) | {"sections-0-question": "Reworded?", "_publish": "Publish this draft"}
    response = client.post(f"/admin/articles/articledraft/{draft.pk}/change/", data, follow=True)
    page = text(response)
    assert "Your changes are saved in the draft, but it was not published." in page
    assert "is linked to 1 question in Quizzes" in page
    assert "Publishing would be refused as the draft is saved now" in page  # and the page says so
    assert draft.sections.get().question == "Reworded?" and article.sections.get().question != "Reworded?"


@pytest.mark.parametrize("change", ["edit", "delete"])
def test_a_section_changed_on_its_own_page_makes_the_draft_stale(client, editor, make_article, change):
    """A section edited or deleted from the Section admin changes no article's "last updated":
    publishing the draft would have put the old answer, or the deleted section, back."""
    article = make_article(sections=2)
    draft = article_draft_start(article=article)
    section = article.sections.first()
    if change == "edit":
        section.answer = "A colleague's live edit."
        section.save()
    else:
        section.delete()
    draft.refresh_from_db()
    assert draft.is_stale
    with pytest.raises(DraftProblem, match="after this draft was started"):
        article_draft_publish(draft=draft)


def test_a_stale_draft_says_so_on_its_page(client, editor, make_article):
    article = make_article(sections=1)
    draft = article_draft_start(article=article)
    article.save()
    client.force_login(editor)
    page = text(client.get(f"/admin/articles/articledraft/{draft.pk}/change/"))
    assert "The article was changed after this draft was started, so this draft can't be published" in page


def test_the_preview_shows_the_draft_as_readers_would_see_it(client, editor, make_article):
    article = make_article(sections=1, title="Live title")
    draft = article_draft_start(article=article)
    draft.title = "Draft title"
    draft.save()
    draft_sections(draft, [("A draft question?", "**Bold** words.")])
    client.force_login(editor)
    response = client.get(f"/admin/articles/articledraft/{draft.pk}/preview/")
    page = soup(response)
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert page.h1.get_text() == "Draft title"
    assert page.find("h2", id="a-draft-question").get_text() == "A draft question?"
    assert "<strong>Bold</strong> words." in response.content.decode()
    assert "This is a draft of a published article" in words(page)
    assert not page.select("form.feedback")  # no vote buttons in a preview
    assert "Draft title" not in text(Client().get(article.get_absolute_url()))


def test_discarding_asks_then_keeps_the_article_as_it_is(client, editor, make_article):
    article = make_article(sections=1, title="Live title")
    draft = article_draft_start(article=article)
    client.force_login(editor)
    assert "Discard this draft of “Live title”?" in text(
        client.get(f"/admin/articles/articledraft/{draft.pk}/discard/")
    )
    draft.refresh_from_db()
    assert draft.is_open  # asking wrote nothing
    response = client.post(f"/admin/articles/articledraft/{draft.pk}/discard/", follow=True)
    assert response.redirect_chain[-1][0] == f"/admin/articles/article/{article.pk}/change/"
    assert "Discarded the draft; “Live title” stays as it is." in text(response)
    draft.refresh_from_db()
    assert draft.state == "discarded" and draft.closed_by == editor
    response = client.post(f"/admin/articles/articledraft/{draft.pk}/discard/", follow=True)
    assert "This draft is discarded already." in text(response)


@pytest.fixture
def staff_without_permission(django_user_model):
    return django_user_model.objects.create_user("dora", "dora@example.org", "dora-password", is_staff=True)


def draft_addresses(article, draft):
    return [
        ("post", f"/admin/articles/article/{article.pk}/draft/", {}),
        ("get", f"/admin/articles/articledraft/{draft.pk}/change/", {}),
        ("post", f"/admin/articles/articledraft/{draft.pk}/change/", {"title": "x", "_publish": "1"}),
        ("get", f"/admin/articles/articledraft/{draft.pk}/preview/", {}),
        ("post", f"/admin/articles/articledraft/{draft.pk}/discard/", {}),
    ]


def test_readers_and_staff_without_permission_are_refused(
    client, reader, staff_without_permission, make_article
):
    article = make_article(sections=1, title="Live title")
    draft = article_draft_start(article=article)
    for user, refused in [(None, 302), (reader, 302), (staff_without_permission, 403)]:
        if user:
            client.force_login(user)
        for method, url, data in draft_addresses(article, draft):
            response = getattr(client, method)(url, data)
            assert response.status_code == refused, (user, method, url)
            if refused == 302:
                assert "/admin/login/" in response["Location"]
    draft.refresh_from_db()
    article.refresh_from_db()
    assert draft.is_open and draft.title == "Live title" and article.drafts.count() == 1


def test_who_may_edit_drafts_but_not_change_articles_cant_publish(
    client, staff_without_permission, make_article
):
    article = make_article(sections=1, title="Live title")
    draft = article_draft_start(article=article)
    staff_without_permission.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_articledraft", "change_articledraft", "change_draftsection"]
        )
    )
    client.force_login(staff_without_permission)
    page = soup(client.get(f"/admin/articles/articledraft/{draft.pk}/change/"))
    assert not page.find("input", attrs={"name": "_publish"})
    data = form_data(page.find("form", id="articledraft_form"))
    response = client.post(f"/admin/articles/articledraft/{draft.pk}/change/", data | {"_publish": "1"})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.is_open
    assert client.post(f"/admin/articles/article/{article.pk}/draft/").status_code == 403


def test_a_forged_post_cant_reach_another_articles_draft(client, editor, make_article):
    """A row's id from another draft, posted on this draft's page, edits nothing of that draft's
    (Django's inline reads only the page's own rows) and so publishes nothing of it."""
    mine, theirs = make_article(sections=1), make_article(sections=1, title="Theirs")
    my_draft, their_draft = article_draft_start(article=mine), article_draft_start(article=theirs)
    their_section = their_draft.sections.get()
    client.force_login(editor)
    form = soup(client.get(f"/admin/articles/articledraft/{my_draft.pk}/change/")).find(
        "form", id="articledraft_form"
    )
    data = form_data(form) | {"sections-0-id": str(their_section.pk), "sections-0-question": "Hijacked?"}
    client.post(f"/admin/articles/articledraft/{my_draft.pk}/change/", data | {"_publish": "1"})
    their_section.refresh_from_db()
    their_draft.refresh_from_db()
    assert their_section.question != "Hijacked?" and their_section.draft == their_draft
    assert their_draft.is_open and their_draft.sections.count() == 1
    assert "Hijacked?" not in [s.question for s in Section.objects.all()]


def test_publishing_needs_the_pages_csrf_token(editor, make_article):
    article = make_article(sections=1)
    draft = article_draft_start(article=article)
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    form = soup(client.get(f"/admin/articles/articledraft/{draft.pk}/change/")).find(
        "form", id="articledraft_form"
    )
    data = {k: v for k, v in form_data(form).items() if k != "csrfmiddlewaretoken"}
    assert (
        client.post(f"/admin/articles/articledraft/{draft.pk}/change/", data | {"_publish": "1"}).status_code
        == 403
    )
    assert client.post(f"/admin/articles/article/{article.pk}/draft/").status_code == 403
    draft.refresh_from_db()
    assert draft.is_open


def test_a_draft_is_started_from_its_article_not_added_on_its_own(client, editor, make_article):
    client.force_login(editor)
    assert client.get("/admin/articles/articledraft/add/").status_code == 403
    article = make_article()
    assert client.get(f"/admin/articles/article/{article.pk}/draft/").status_code == 405
    assert not ArticleDraft.objects.exists()


def test_a_draft_asking_one_question_twice_says_so(client, editor, make_article):
    article = make_article(sections=2)
    draft = article_draft_start(article=article)
    client.force_login(editor)
    form = soup(client.get(f"/admin/articles/articledraft/{draft.pk}/change/")).find(
        "form", id="articledraft_form"
    )
    data = form_data(form) | {"sections-1-question": draft.sections.first().question}
    response = client.post(f"/admin/articles/articledraft/{draft.pk}/change/", data)
    assert response.status_code == 200
    assert "This draft already has a section with this question." in text(response)
    assert draft.sections.count() == 2 and len({s.question for s in draft.sections.all()}) == 2

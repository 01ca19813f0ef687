"""Editors' workflow: revisions, scheduling, previews and share links, review dates, comfort."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, Section, ShareLink
from tests.articles.helpers import change_form
from tests.pages import form_data, soup, text

pytestmark = pytest.mark.django_db


def test_every_admin_save_keeps_a_revision_with_who_and_what(client, editor, make_article):
    article = make_article(sections=2, status="draft")
    client.force_login(editor)
    first, second = article.sections.all()
    client.post(
        f"/admin/articles/article/{article.pk}/change/",
        change_form(
            article,
            [(first.pk, first.question, "A new answer."), (second.pk, second.question, second.answer)],
        ),
    )
    version = Version.objects.get_for_object(article).first()
    assert version.revision.user == editor
    comment = version.revision.get_comment()
    assert comment == f"Changed Answer for section “{first.question}”."
    assert {v.object_repr for v in version.revision.version_set.all()} >= {first.question}


def test_restoring_an_old_revision_brings_back_changed_and_deleted_sections(client, editor, make_article):
    article = make_article(sections=0, status="draft", title="Original title")
    client.force_login(editor)
    client.post(
        f"/admin/articles/article/{article.pk}/change/",
        change_form(article, [(None, "Kept?", "First answer."), (None, "Dropped later?", "Bye.")]),
    )
    kept, dropped = article.sections.all()
    old = Version.objects.get_for_object(article).first()
    # Then the editor rewords one section, deletes the other, adds one and renames the article.
    data = change_form(
        article,
        [
            (kept.pk, "Kept?", "Rewritten answer."),
            (dropped.pk, dropped.question, dropped.answer),
            (None, "Brand new?", "New."),
        ],
        title="New title",
    )
    data["sections-1-DELETE"] = "on"
    client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert list(article.sections.values_list("question", flat=True)) == ["Kept?", "Brand new?"]
    # The history lists both saves; restoring the old one is "open it, then Save".
    history = client.get(f"/admin/articles/article/{article.pk}/history/").content.decode()
    assert f"/admin/articles/article/{article.pk}/history/{old.pk}/" in history
    restore_page = client.get(f"/admin/articles/article/{article.pk}/history/{old.pk}/")
    assert restore_page.status_code == 200
    data = form_data(soup(restore_page).find("form", id="article_form"))
    response = client.post(f"/admin/articles/article/{article.pk}/history/{old.pk}/", data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Original title"
    assert list(article.sections.values_list("question", "answer")) == [
        ("Kept?", "First answer."),
        ("Dropped later?", "Bye."),
    ]


def test_comparing_two_revisions_shows_what_changed(client, editor, make_article):
    article = make_article(sections=0, status="draft", title="Tears")
    client.force_login(editor)
    client.post(
        f"/admin/articles/article/{article.pk}/change/",
        change_form(article, [(None, "Is it OK?", "Yes, often.")]),
    )
    section = article.sections.get()
    client.post(
        f"/admin/articles/article/{article.pk}/change/",
        change_form(article, [(section.pk, "Is it OK?", "Yes, quite often.")], title="Tears in therapy"),
    )
    newer, older = Version.objects.get_for_object(article)[:2]
    page = client.get(
        f"/admin/articles/article/{article.pk}/history/compare/",
        {"a": older.revision_id, "b": newer.revision_id},
    )
    html = soup(page)
    assert [ins.get_text() for ins in html.select(".compare .diff ins")] == ["in therapy", "quite"]
    assert "Changed: Is it OK?" in html.get_text()


def test_a_scheduled_article_appears_by_itself_at_its_time(client, make_article, editor):
    soon = timezone.now() + timedelta(hours=2)
    article = make_article(published_at=soon)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert article.title not in client.get("/").content.decode()
    later = soon + timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert client.get(article.get_absolute_url()).status_code == 200
        assert article.title in client.get("/").content.decode()
    client.force_login(editor)
    rows = text(client.get("/admin/articles/article/"))
    assert "Scheduled" in rows


def test_staff_preview_has_a_banner_and_readers_never_reach_it(client, reader, editor, make_article):
    article = make_article(status="draft")
    client.force_login(editor)
    change = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert f'href="{article.get_absolute_url()}"' in change and ">Preview<" in change
    assert "Preview." in text(client.get(article.get_absolute_url()))
    client.force_login(reader)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_a_share_link_shows_one_draft_to_a_reviewer_without_an_account(client, editor, make_article):
    article = make_article(status="draft", title="A draft on tears")
    other_draft = make_article(status="draft", title="Another draft")
    client.force_login(editor)
    data = change_form(article, [(s.pk, s.question, s.answer) for s in article.sections.all()])
    data.update(
        {"share_links-TOTAL_FORMS": "1", "share_links-0-expires_at_0": "", "share_links-0-expires_at_1": ""}
    )
    link_expiry = timezone.localtime(timezone.now() + timedelta(days=7))
    data["share_links-0-expires_at_0"] = link_expiry.strftime("%d/%m/%Y")
    data["share_links-0-expires_at_1"] = link_expiry.strftime("%H:%M:%S")
    client.post(f"/admin/articles/article/{article.pk}/change/", data)
    link = ShareLink.objects.get()
    assert link.created_by == editor and link.article == article
    client.logout()
    page = client.get(link.get_absolute_url())
    assert page.status_code == 200
    assert "A draft on tears" in text(page) and "share link" in text(page)
    assert "Another draft" not in text(page)
    assert page["X-Robots-Tag"].startswith("noindex")
    # The token is for that article only: it can't be changed to reach another one.
    forged = ShareLink(pk=other_draft.pk + 1000).token
    assert client.get(f"/preview/{forged}/").status_code == 404
    assert client.get(f"/preview/{link.token}x/").status_code == 404


def test_a_share_link_stops_working_when_revoked_or_expired(client, make_article):
    article = make_article(status="draft")
    link = ShareLink.objects.create(article=article)
    assert client.get(link.get_absolute_url()).status_code == 200
    link.revoked = True
    link.save()
    response = client.get(link.get_absolute_url())
    assert response.status_code == 404 and "doesn't work" in text(response)
    expired = ShareLink.objects.create(article=article, expires_at=timezone.now() - timedelta(1))
    assert client.get(expired.get_absolute_url()).status_code == 404
    fresh = ShareLink.objects.create(article=article)
    assert fresh.expires_at - fresh.created_at > timedelta(days=6, hours=23)


def test_review_dates_are_shown_and_the_admin_lists_overdue_and_due_soon(client, editor, make_article):
    today = timezone.localdate()
    overdue = make_article(
        title="Overdue", review_due=today - timedelta(days=1), last_reviewed=date(2025, 3, 3)
    )
    make_article(title="Due soon", review_due=today + timedelta(days=20))
    make_article(title="Fine", review_due=today + timedelta(days=200))
    page = text(client.get(overdue.get_absolute_url()))
    assert "Page last reviewed: 3 March 2025" in page and "Next review due:" in page
    client.force_login(editor)
    listed = text(client.get("/admin/articles/article/", {"review": "overdue"}))
    assert "Overdue" in listed and "Due soon" not in listed and "Fine" not in listed
    listed = text(client.get("/admin/articles/article/", {"review": "soon"}))
    assert "Due soon" in listed and "Fine" not in listed


def test_warnings_for_an_empty_answer_or_a_question_without_a_question_mark(client, editor, make_article):
    article = make_article(sections=0, status="draft")
    client.force_login(editor)
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/",
        change_form(article, [(None, "Red flags", "Some."), (None, "Is it fine?", "")]),
        follow=True,
    )
    page = text(response)
    assert "“Red flags” does not end with a question mark." in page
    assert "“Is it fine?” has no answer yet." in page
    assert article.sections.count() == 2  # warnings, not errors


def test_save_as_new_draft_leaves_the_unpublished_article_alone(client, editor, make_article):
    article = make_article(sections=2, title="First text", status="draft")
    client.force_login(editor)
    data = change_form(
        article, [(s.pk, s.question, s.answer) for s in article.sections.all()], title="Reworked text"
    )
    data["_saveasnew"] = "Save as new draft"
    response = client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 302
    article.refresh_from_db()
    copy = Article.objects.exclude(pk=article.pk).get()
    assert article.title == "First text" and article.status == "draft"
    assert copy.title == "Reworked text" and copy.status == "draft"
    assert copy.slug == f"{article.slug}-draft" and copy.author == editor
    assert copy.sections.count() == 2 and article.sections.count() == 2
    assert "Save as new draft" in client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()


def test_a_published_article_is_not_copied_but_edited_as_a_draft(client, editor, make_article):
    """Its copy would have no link back, and quiz questions would point at the old sections."""
    article = make_article(sections=2, title="Published text")
    client.force_login(editor)
    page = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "Save as new draft" not in page and "Edit as a draft" in page
    data = change_form(
        article, [(s.pk, s.question, s.answer) for s in article.sections.all()], title="Reworked text"
    )
    data["_saveasnew"] = "Save as new draft"
    response = client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 400
    assert "changed through its draft" in response.content.decode()
    article.refresh_from_db()
    assert Article.objects.count() == 1 and article.title == "Published text"


def test_save_as_new_draft_from_the_page_clears_the_time_and_leaves_share_links_behind(
    client, editor, make_article
):
    """Posted as the change page posts it: a scheduled draft with a share link."""
    article = make_article(
        sections=2, title="Unpublished text", status="draft", published_at=timezone.now() + timedelta(days=3)
    )
    link = ShareLink.objects.create(article=article, created_by=editor)
    client.force_login(editor)
    page = soup(client.get(f"/admin/articles/article/{article.pk}/change/"))
    data = form_data(page.find("form", id="article_form"))
    assert data["share_links-TOTAL_FORMS"] == ["1"] and data["published_at_0"] != [""]
    data |= {"title": ["Reworked text"], "_saveasnew": ["Save as new draft"]}
    response = client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 302, text(response)
    copy = Article.objects.exclude(pk=article.pk).get()
    assert copy.status == "draft" and copy.published_at is None and not copy.is_public
    assert list(copy.sections.values_list("question", flat=True)) == list(
        article.sections.values_list("question", flat=True)
    )
    assert not copy.share_links.exists()
    article.refresh_from_db()
    assert list(article.share_links.all()) == [link] and article.title == "Unpublished text"
    assert article.published_at is not None


def test_bulk_publish_keeps_revisions_and_scheduled_articles_stay_scheduled(client, editor, make_article):
    draft = make_article(status="draft")
    future = make_article(status="draft", published_at=timezone.now() + timedelta(days=3))
    client.force_login(editor)
    client.post("/admin/articles/article/", {"action": "publish", "_selected_action": [draft.pk, future.pk]})
    draft.refresh_from_db()
    future.refresh_from_db()
    assert draft.is_public and future.is_scheduled
    assert Version.objects.get_for_object(draft).first().revision.get_comment() == "Published."


def test_the_answer_field_has_a_markdown_help_panel(client, editor):
    client.force_login(editor)
    page = client.get("/admin/articles/article/add/").content.decode()
    assert "<code>**bold**</code>" in page and "sub-heading" in page


def test_answer_feedback_is_counted_for_editors(client, editor, make_article):
    article = make_article(sections=1)
    section = article.sections.get()
    client.post(f"/sections/{section.pk}/feedback/", {"helpful": "no"})
    client.force_login(editor)
    page = soup(client.get("/admin/articles/section/"))
    row = page.select_one("#result_list tbody tr")
    assert [td.get_text() for td in row.select("td.field-helpful_yes, td.field-helpful_no")] == ["0", "1"]
    assert Section.objects.count() == 1


def test_an_imported_articles_revision_holds_its_sections(client, editor, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "a.md"
    path.write_text("# Imported\n\nIntro.\n\n## One?\n\nFirst.\n\n## Two?\n\nSecond.\n")
    call_command("import_article", str(path))
    article = Article.objects.get()
    revision = Version.objects.get_for_object(article).get().revision
    questions = {v.field_dict.get("question") for v in revision.version_set.all()}
    assert {"One?", "Two?"} <= questions


def test_save_as_new_draft_is_not_offered_or_done_on_a_history_page(client, editor, make_article):
    article = make_article(sections=1, status="draft", title="Current title")
    client.force_login(editor)
    section = article.sections.get()
    client.post(
        f"/admin/articles/article/{article.pk}/change/",
        change_form(article, [(section.pk, section.question, section.answer)]),
    )
    version = Version.objects.get_for_object(article).first()
    page = client.get(f"/admin/articles/article/{article.pk}/history/{version.pk}/")
    assert "Save as new draft" not in page.content.decode()
    data = change_form(article, [(section.pk, section.question, section.answer)])
    data["_saveasnew"] = "Save as new draft"
    data["slug"] = "a-free-address"  # even where the copy's address would be free
    response = client.post(f"/admin/articles/article/{article.pk}/history/{version.pk}/", data)
    assert response.status_code == 400
    assert "works on the article's own page, not on its history" in response.content.decode()
    assert Article.objects.count() == 1


def test_sections_are_edited_in_their_article_not_on_their_own(client, editor, make_article):
    section = make_article(sections=1).sections.get()
    client.force_login(editor)
    client.post(
        f"/admin/articles/section/{section.pk}/change/",
        {"question": "Changed?", "answer": "x", "position": 1, "anchor": "x"},
    )
    section.refresh_from_db()
    assert section.question != "Changed?"
    # Deleting one is allowed (test_admin.py): it goes with its article's revisions either way.


def test_adding_a_share_link_row_and_saving_makes_a_link(client, editor, make_article):
    article = make_article(status="draft")
    client.force_login(editor)
    add_page = soup(client.get(f"/admin/articles/article/{article.pk}/change/"))
    data = change_form(article, [(s.pk, s.question, s.answer) for s in article.sections.all()])
    # Exactly what the "Add another" row sends untouched: the default expiry and its copy.
    template = add_page.find(id="share_links-empty")
    for field in template.find_all("input"):
        if field.get("name"):
            data[field["name"].replace("__prefix__", "0")] = field.get("value", "")
    data["share_links-TOTAL_FORMS"] = "1"
    client.post(f"/admin/articles/article/{article.pk}/change/", data)
    link = ShareLink.objects.get()
    assert link.created_by == editor
    page = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert f"https://faqsite.example{link.get_absolute_url()}" in page


def test_a_share_link_lasts_thirty_days_at_most(make_article):
    from django.core.exceptions import ValidationError

    link = ShareLink(article=make_article(), expires_at=timezone.now() + timedelta(days=400))
    with pytest.raises(ValidationError, match="30 days at most"):
        link.full_clean()


def test_a_shared_preview_has_no_canonical_address(client, make_article):
    link = ShareLink.objects.create(article=make_article(status="draft"))
    page = soup(client.get(link.get_absolute_url()))
    assert page.find("link", rel="canonical") is None


def test_a_section_never_takes_the_pages_own_ids(make_article):
    article = make_article(sections=0)
    assert Section.objects.create(article=article, question="Top?", answer="x").anchor == "top-2"


def test_the_answer_preview_renders_and_cleans_like_the_site(client, editor, reader):
    url = "/admin/articles/article/answer-preview/"
    client.force_login(editor)
    response = client.post(url, {"text": "Some **bold**\n\n- one\n\n<script>alert(1)</script>"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>bold</strong>" in html and "<li>one</li>" in html and "<script" not in html
    assert client.get(url).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert strict.post(url, {"text": "x"}).status_code == 403  # a forged form
    client.force_login(reader)
    assert client.post(url, {"text": "x"}).status_code == 302  # to the admin's log-in


def test_an_editor_deletes_a_share_link_and_it_stops_working(client, editor, make_article):
    article = make_article(status="draft")
    link = ShareLink.objects.create(article=article, created_by=editor)
    client.force_login(editor)
    data = change_form(article, [(s.pk, s.question, s.answer) for s in article.sections.all()])
    expiry = timezone.localtime(link.expires_at)
    data.update(
        {
            "share_links-TOTAL_FORMS": "1",
            "share_links-INITIAL_FORMS": "1",
            "share_links-0-id": link.pk,
            "share_links-0-article": article.pk,
            "share_links-0-expires_at_0": expiry.strftime("%d/%m/%Y"),
            "share_links-0-expires_at_1": expiry.strftime("%H:%M:%S"),
            "share_links-0-DELETE": "on",
        }
    )
    response = client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 302
    assert not ShareLink.objects.exists()
    client.logout()
    assert client.get(link.get_absolute_url()).status_code == 404

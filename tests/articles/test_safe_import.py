"""Importing in the admin is safe: the review runs every check that saving runs, an upload is never
lost, an existing address offers "Replace" or "Save as a new draft", nothing is published without
a tick on the review page, imported articles are marked until an editor saves them, and an
article's old addresses redirect to its new one."""

from pathlib import Path

import pytest
import reversion
from django.db import connection
from django.test.utils import CaptureQueriesContext
from reversion.models import Version

from articles.demo import load_sources
from articles.importer import ImportProblem, parse
from articles.models import Article, ArticleRedirect
from articles.services import article_import, free_slug, replace_problems
from tests.articles.helpers import change_form
from tests.pages import browser_post, form_data, soup

pytestmark = pytest.mark.django_db

IMPORT = "/admin/articles/article/import/"
SEED = Path(__file__).parents[2] / "articles" / "demo" / "are-therapists-allowed-to-cry.md"
SLUG = "are-therapists-allowed-to-cry"
RED_FLAGS = "What are red flags in a therapist?"


def seed_text(without=None):
    """The seed article's Markdown, without the section asking `without`."""
    text = SEED.read_text(encoding="utf-8")
    if without is None:
        return text
    before, after = text.split(f"## {without}\n", 1)
    return before + "## " + after.split("\n## ", 1)[1]


def quiz_questions_on(section, *prompts):
    from quizzes.models import Question, Quiz

    quiz, _ = Quiz.objects.get_or_create(slug="crying-quiz", defaults={"title": "Crying quiz"})
    return [Question.objects.create(quiz=quiz, prompt=prompt, section=section) for prompt in prompts]


@pytest.fixture
def seeded():
    """The seed article, imported and published, with two quiz questions on its red flags."""
    article = article_import(parsed=parse(seed_text(), format="markdown"), publish=True)
    quiz_questions_on(article.sections.get(question=RED_FLAGS), "Which is a red flag?", "Is a hug one?")
    return article


def read(client, text):
    """The review page for a pasted document."""
    response = client.post(IMPORT, {"text": text})
    assert response.status_code == 200
    return response


def review_form(response):
    """The review page's form, as parsed HTML."""
    form = soup(response).find("form", id="import-review")
    assert form is not None, "not the review page"
    return form


def press(client, response, button, **changes):
    """Post the review page's form as a browser would, with the button named `button` pressed."""
    form = review_form(response)
    label = form.find("input", attrs={"type": "submit", "name": button})
    data = {**form_data(form), **changes, button: label["value"] if label else "1"}
    return client.post(IMPORT, data)


def text_of(response):
    return soup(response).get_text(" ", strip=True)


def kept_text(response):
    """The document the review page keeps, as the browser will post it back."""
    return form_data(review_form(response))["text"][0]


def buttons(response):
    """The review page's buttons: {label: name}."""
    return {b["value"]: b["name"] for b in review_form(response).find_all("input", attrs={"type": "submit"})}


# --- 1. the review runs every check that saving runs ------------------------------------------------


def test_replacing_a_section_quiz_questions_test_is_refused_at_review_with_their_names(
    client, editor, seeded
):
    client.force_login(editor)
    response = read(client, seed_text(without=RED_FLAGS))
    page = response.content.decode()
    assert f"The section “{RED_FLAGS}” is linked to 2 questions" in page
    assert "“Which is a red flag?”" in page and "“Is a hug one?”" in page
    assert "keep that question in the document, or save as a new draft" in page
    assert list(buttons(response).values()) == ["save_draft"]  # no Replace button
    # A Replace posted all the same (an old tab, a crafted request) is refused by the same check.
    response = press(client, response, "replace")
    assert "Is a hug one?" in response.content.decode()
    assert seeded.sections.filter(question=RED_FLAGS).exists()
    assert Article.objects.count() == 1


def test_review_and_save_share_one_check(seeded):
    parsed = parse(seed_text(without=RED_FLAGS), format="markdown")
    problems = replace_problems(article=seeded, parsed=parsed)
    assert len(problems) == 1 and "Which is a red flag?" in problems[0]
    with pytest.raises(ImportProblem) as refused:
        article_import(parsed=parsed, replace=True, publish=True)
    assert str(refused.value) == problems[0]
    assert seeded.sections.filter(question=RED_FLAGS).exists()


def test_replacing_with_every_tested_section_kept_is_allowed(client, editor, seeded):
    client.force_login(editor)
    text = seed_text().replace("Most do at times", "Many do at times")
    response = read(client, text)
    assert buttons(response) == {
        "Replace “Are therapists allowed to cry?”": "replace",
        f"Save as a new draft at /articles/{SLUG}-2/": "save_draft",
    }
    # It is published: replacing it puts the new text live, which the editor must tick to say.
    refused = press(client, response, "replace")
    assert "is published: replacing it shows the new text to readers at once" in text_of(refused)
    assert (
        "Many do at times"
        not in Article.objects.get().sections.get(question__startswith="Do therapists share").answer
    )
    response = press(client, refused, "replace", publish="on")
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Article.Status.PUBLISHED
    assert article.pk == seeded.pk and article.sections.get(question=RED_FLAGS).quiz_questions.count() == 2
    assert "Many do at times" in article.sections.get(question__startswith="Do therapists share").answer


# --- 2. an upload is never lost --------------------------------------------------------------------


def test_a_save_that_fails_shows_the_review_again_with_the_document(client, editor, seeded):
    client.force_login(editor)
    text = seed_text(without=RED_FLAGS)
    seeded.sections.get(question=RED_FLAGS).quiz_questions.all().delete()
    response = read(client, text)
    assert "replace" in buttons(response).values()
    # Between the review and the save, a quiz question starts testing the section.
    quiz_questions_on(seeded.sections.get(question=RED_FLAGS), "Asked meanwhile?")
    response = press(client, response, "replace", publish="on")
    assert response.status_code == 200
    page = soup(response)
    assert "Nothing was saved" in page.find(class_="errornote").get_text()
    assert "“Asked meanwhile?”" in page.find(class_="errornote").get_text()
    assert kept_text(response) == text
    assert page.find("input", attrs={"type": "file"}) is None  # not the empty upload form
    assert "Nothing is saved yet" in response.content.decode()
    assert seeded.sections.filter(question=RED_FLAGS).exists()


def test_an_uploaded_file_is_kept_in_the_review(client, editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(editor)
    upload = SimpleUploadedFile("crying.md", SEED.read_bytes())
    response = client.post(IMPORT, {"file": upload})
    assert kept_text(response) == seed_text()
    response = press(client, response, "save")
    assert response.status_code == 302 and Article.objects.get().sections.count() == 11


def test_an_address_taken_between_review_and_save_shows_the_review_again(client, editor, make_article):
    client.force_login(editor)
    response = read(client, seed_text())
    assert list(buttons(response).values()) == ["save"]
    other = make_article(slug=SLUG, title="Someone else's")
    response = press(client, response, "save")
    assert response.status_code == 200
    assert "already exists" in soup(response).find(class_="errornote").get_text()
    assert kept_text(response) == seed_text()
    assert buttons(response) == {
        "Replace “Someone else's”": "replace",
        f"Save as a new draft at /articles/{SLUG}-2/": "save_draft",
    }
    assert list(Article.objects.all()) == [other]


# --- 3. an existing address: Replace, or a new draft at a free address ------------------------------


def test_an_existing_address_is_not_refused_at_read_time(client, editor, make_article):
    make_article(slug=SLUG, title="Old title")
    make_article(slug=f"{SLUG}-2")
    client.force_login(editor)
    response = read(client, seed_text())
    assert buttons(response) == {
        "Replace “Old title”": "replace",
        f"Save as a new draft at /articles/{SLUG}-3/": "save_draft",
    }


def test_save_as_a_new_draft_leaves_the_existing_article_alone(client, editor, make_article):
    existing = make_article(slug=SLUG, title="Old title", sections=3)
    client.force_login(editor)
    response = press(client, read(client, seed_text()), "save_draft", publish="on")
    copy = Article.objects.get(slug=f"{SLUG}-2")
    assert response["Location"] == f"/admin/articles/article/{copy.pk}/change/"
    assert copy.status == "draft" and copy.sections.count() == 11  # the button says draft
    existing.refresh_from_db()
    assert existing.title == "Old title" and existing.sections.count() == 3


def test_the_first_form_has_no_replace_or_publish_box(client, editor):
    client.force_login(editor)
    page = soup(client.get(IMPORT))
    assert page.find("input", attrs={"name": "replace"}) is None
    assert page.find("input", attrs={"name": "publish"}) is None
    assert page.find("input", attrs={"type": "file"}) is not None


def test_replacing_needs_the_right_to_change_articles(client, django_user_model, make_article):
    from django.contrib.auth.models import Permission

    make_article(slug=SLUG, title="Old title")
    adder = django_user_model.objects.create_user("ada", password="x", is_staff=True)
    adder.user_permissions.add(*Permission.objects.filter(codename__in=["add_article", "view_article"]))
    client.force_login(adder)
    response = read(client, seed_text())
    assert list(buttons(response).values()) == ["save_draft"]
    response = press(client, response, "replace")
    assert response.status_code == 200 and Article.objects.get(slug=SLUG).title == "Old title"


def test_free_slug_counts_up_from_2():
    assert free_slug("a-title") == "a-title"
    Article.objects.create(slug="a-title", title="A", summary="S")
    Article.objects.create(slug="a-title-2", title="A", summary="S")
    assert free_slug("a-title") == "a-title-3"
    long = "x" * 200
    Article.objects.create(slug=long, title="A", summary="S")
    assert free_slug(long) == "x" * 198 + "-2"


# --- 4. drafts unless "Publish at once" is ticked on the review page -------------------------------


def test_the_review_page_offers_publish_at_once_unticked(client, editor):
    client.force_login(editor)
    response = read(client, seed_text())
    box = review_form(response).find("input", attrs={"name": "publish"})
    assert box["type"] == "checkbox" and not box.has_attr("checked")
    assert "Publish at once" in review_form(response).get_text()
    press(client, response, "save")
    assert Article.objects.get().status == "draft"


def test_ticking_publish_at_once_on_the_review_page_publishes(client, editor):
    client.force_login(editor)
    press(client, read(client, seed_text()), "save", publish="on")
    assert Article.objects.get().is_public


def test_publish_on_the_first_form_is_ignored(client, editor):
    client.force_login(editor)
    response = client.post(IMPORT, {"text": seed_text(), "publish": "on"})
    assert not review_form(response).find("input", attrs={"name": "publish"}).has_attr("checked")


def test_replacing_a_draft_keeps_it_a_draft_unless_ticked(client, editor, make_article):
    make_article(slug=SLUG, status="draft")
    client.force_login(editor)
    press(client, read(client, seed_text()), "replace")
    assert Article.objects.get().status == "draft"
    press(client, read(client, seed_text()), "replace", publish="on")
    assert Article.objects.get().is_public


# --- 5. imported articles are marked until an editor saves them ------------------------------------


def test_imported_articles_are_marked_until_an_editor_saves_them(client, editor, make_article):
    load_sources()  # the seed's answers cite them
    written = make_article(title="Written here")
    imported = article_import(parsed=parse(seed_text(), format="markdown"))
    assert imported.imported_unreviewed and not written.imported_unreviewed
    client.force_login(editor)
    page = soup(client.get("/admin/articles/article/"))
    header = page.find("th", class_="column-imported").get_text(" ", strip=True)
    assert header == "Imported, not yet reviewed"
    flagged = client.get("/admin/articles/article/?imported_unreviewed__exact=1").content.decode()
    assert "Are therapists allowed to cry?" in flagged and "Written here" not in flagged

    sections = [(s.pk, s.question, s.answer) for s in imported.sections.all()]
    response = client.post(f"/admin/articles/article/{imported.pk}/change/", change_form(imported, sections))
    assert response.status_code == 302
    imported.refresh_from_db()
    assert not imported.imported_unreviewed


def test_importing_again_marks_the_article_again(make_article):
    existing = make_article(slug=SLUG)
    assert not existing.imported_unreviewed
    article_import(parsed=parse(seed_text(), format="markdown"), replace=True, publish=True)
    existing.refresh_from_db()
    assert existing.imported_unreviewed


# --- 6. old addresses redirect ---------------------------------------------------------------------


def rename(client, article, slug):
    sections = [(s.pk, s.question, s.answer) for s in article.sections.all()]
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/",
        change_form(article, sections, slug=slug),
    )
    assert response.status_code == 302, response.context["errors"]
    article.refresh_from_db()
    return article


def test_an_old_address_redirects_for_good_to_the_new_one(client, editor, make_article):
    article = make_article(slug="old")
    client.force_login(editor)
    rename(client, article, "new")
    client.logout()
    response = client.get("/articles/old/")
    assert response.status_code == 301 and response["Location"] == "/articles/new/"
    assert client.get("/articles/new/").status_code == 200


def test_a_chain_of_renames_redirects_in_one_hop(client, editor, make_article):
    article = make_article(slug="a")
    client.force_login(editor)
    rename(client, rename(client, article, "b"), "c")
    client.logout()
    assert client.get("/articles/a/")["Location"] == "/articles/c/"
    assert client.get("/articles/b/")["Location"] == "/articles/c/"


def test_an_old_address_taken_by_a_new_article_serves_the_new_article(client, editor, make_article):
    article = make_article(slug="taken", title="First")
    client.force_login(editor)
    rename(client, article, "moved")
    newcomer = make_article(slug="taken", title="Second")
    client.logout()
    response = client.get("/articles/taken/")
    assert response.status_code == 200 and "Second" in response.content.decode()
    newcomer.status = "draft"
    newcomer.save()
    assert client.get("/articles/taken/")["Location"] == "/articles/moved/"  # no published one there


def test_an_old_address_of_a_draft_is_404_until_it_is_published(client, editor, make_article):
    draft = make_article(slug="draft-old", status="draft")
    client.force_login(editor)
    rename(client, draft, "draft-new")
    assert client.get("/articles/draft-old/")["Location"] == "/articles/draft-new/"  # staff see drafts
    client.logout()
    assert client.get("/articles/draft-old/").status_code == 404
    draft.status = "published"
    draft.save()
    assert client.get("/articles/draft-old/")["Location"] == "/articles/draft-new/"


def test_coming_back_to_an_old_address_drops_its_redirect(client, editor, make_article):
    article = make_article(slug="home")
    client.force_login(editor)
    rename(client, rename(client, article, "away"), "home")
    assert list(ArticleRedirect.objects.values_list("old_slug", flat=True)) == ["away"]
    client.logout()
    assert client.get("/articles/home/").status_code == 200
    assert client.get("/articles/away/")["Location"] == "/articles/home/"


def test_restoring_an_old_version_redirects_the_address_it_leaves(make_article):
    article = make_article(slug="first")
    with reversion.create_revision():
        article.save()
    with reversion.create_revision():
        article.slug = "second"
        article.save()
    Version.objects.get_for_object(article).last().revision.revert()  # the oldest: back to "first"
    article.refresh_from_db()
    assert article.slug == "first"
    assert dict(ArticleRedirect.objects.values_list("old_slug", "article")) == {"second": article.pk}


def test_a_page_view_asks_nothing_about_redirects(client, make_article):
    article = make_article(slug="live")
    ArticleRedirect.objects.create(old_slug="gone", article=article)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/articles/live/").status_code == 200
    assert not any("articleredirect" in query["sql"] for query in queries.captured_queries)
    assert client.get("/articles/nowhere/").status_code == 404


def test_redirects_are_listed_in_the_admin_for_editors(client, editor, make_article):
    article = make_article(slug="listed")
    ArticleRedirect.objects.create(old_slug="was-listed", article=article)
    client.force_login(editor)
    page = client.get("/admin/articles/articleredirect/").content.decode()
    assert "was-listed" in page
    assert client.get("/admin/articles/articleredirect/add/").status_code == 403


def test_an_editor_deletes_an_article_with_its_old_addresses(client, editor, make_article):
    article = make_article(slug="doomed")
    ArticleRedirect.objects.create(old_slug="was-doomed", article=article)
    client.force_login(editor)
    response = client.post(f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.exists() and not ArticleRedirect.objects.exists()


def test_the_review_names_the_sections_a_replace_removes_with_their_votes(client, editor, seeded):
    from articles.models import HelpfulVote

    seeded.sections.get(question=RED_FLAGS).quiz_questions.all().delete()
    HelpfulVote.objects.create(section=seeded.sections.get(question=RED_FLAGS), visitor_key="a", helpful=True)
    client.force_login(editor)
    page = text_of(read(client, seed_text(without=RED_FLAGS)))
    assert "Replacing removes 1 section whose question is not in the document word for word" in page
    assert f"“{RED_FLAGS}” (1 vote)" in page
    # Nothing to remove, nothing said.
    assert "Replacing removes" not in text_of(read(client, seed_text()))


def test_an_upload_the_review_could_not_send_back_is_refused_at_once(client, editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(editor)
    big = SimpleUploadedFile("big.md", b"# Title\n\n## Question?\n\n" + b"word " * 220_000)
    response = client.post(IMPORT, {"file": big})
    assert (
        "This file is 1.1 MB; an import reads up to 1 MB at a time: split it into smaller files."
        in text_of(response)
    )
    assert not Article.objects.exists()


CYRILLIC = "Психотерапевт может плакать на сеансе, если внимание остаётся на клиенте. "


def cyrillic_article(characters):
    """A Markdown article of about `characters` characters, nearly all Cyrillic."""
    sections = [f"## Вопрос {n}?\n\n" + CYRILLIC * (characters // (10 * len(CYRILLIC))) for n in range(10)]
    return "# Заголовок\n\n" + "\n\n".join(sections) + "\n"


def test_a_document_the_review_could_not_send_back_is_refused_at_the_first_step(client, editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from articles.forms import form_encoded_size

    client.force_login(editor)
    document = cyrillic_article(530_000)  # under 1 MB as a file, 2.8 MB as the review sends it
    assert len(document.encode()) < 1_000_000
    assert form_encoded_size(document) > 2_700_000
    for sent in ({"file": SimpleUploadedFile("big.md", document.encode())}, {"text": document}):
        response = client.post(IMPORT, sent)
        assert "would be 2.8 MB when the review page sends it back" in text_of(response)
        assert "import takes up to 2.6 MB: split it into smaller files" in text_of(response)
    assert not Article.objects.exists()


def test_the_largest_document_the_first_step_takes_is_saved_from_its_review(client, editor):
    from django.conf import settings

    from articles.forms import REVIEW_FIELDS_ROOM, form_encoded_size

    client.force_login(editor)
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE - REVIEW_FIELDS_ROOM
    document = cyrillic_article(410_000)
    while form_encoded_size(document) < limit - 5_000:
        document += CYRILLIC
    response = read(client, document)
    assert kept_text(response) == document
    form = review_form(response)
    data = form_data(form) | {"save": "Save"}
    response = browser_post(client, IMPORT, data)
    assert response.status_code == 302, text_of(response)[:300]
    article = Article.objects.get()
    assert article.sections.count() == 10


@pytest.mark.parametrize(
    "sample", ["plain words", "a\nb\r\nc\rd", "Психотерапевт", "~", "*", "~~ * - . _ + & = %", "漢字 🙂", ""]
)
def test_the_form_encoded_size_is_what_a_browser_sends(sample):
    from articles.forms import form_encoded_size
    from tests.pages import form_encode

    assert form_encoded_size(sample) == len(form_encode(sample))

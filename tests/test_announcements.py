"""What readers see is announced by whoever changes it (articles.services.articles_changed and
pages_changed), not by signals: every write path leaves the article page fresh, and the publishing
rule of an import is the service's, whichever way the import comes."""

from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import signals
from django.test import Client
from reversion.models import Version

from articles.importer import parse
from articles.models import Article, ArticleBody, Section, Topic
from articles.services import PublishNeeded, article_body, article_import
from tests.articles.helpers import change_form
from tests.pages import form_data, soup

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).parent / "articles" / "samples" / "crying.md"


# --- Replacing a published article needs publishing at once: the service's rule -----------------


def changed_sample(tmp_path):
    """The sample document with its first answer changed."""
    text = SAMPLE.read_text()
    first_answer = next(line for line in text.splitlines()[4:] if line and not line.startswith("#"))
    path = tmp_path / SAMPLE.name
    path.write_text(text.replace(first_answer, "A *changed* answer."))
    return path


def test_the_command_refuses_to_replace_a_published_article_without_publish(tmp_path):
    call_command("import_article", str(SAMPLE), "--publish", stdout=StringIO())
    before = list(Section.objects.values_list("answer", flat=True))
    out = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_article", str(changed_sample(tmp_path)), "--replace", stdout=out)
    message = str(refused.value)
    assert "is published: replacing it shows the new text to readers at once" in message
    assert "--publish" in message and "\n" not in message
    assert out.getvalue() == ""
    assert list(Section.objects.values_list("answer", flat=True)) == before
    assert not Section.objects.filter(answer__contains="changed").exists()


def test_the_command_replaces_a_published_article_with_publish(tmp_path):
    call_command("import_article", str(SAMPLE), "--publish", stdout=StringIO())
    call_command("import_article", str(changed_sample(tmp_path)), "--replace", "--publish", stdout=StringIO())
    assert Section.objects.filter(answer_html__contains="<em>changed</em>").count() == 1


def test_the_service_refuses_and_writes_nothing():
    article = article_import(parsed=parse(SAMPLE.read_text(), format="markdown"), publish=True)
    changed = parse(SAMPLE.read_text().replace("?", "?!", 1), format="markdown")
    with pytest.raises(PublishNeeded):
        article_import(parsed=changed, replace=True, slug=article.slug)
    assert Article.objects.get().title == article.title
    draft = article_import(parsed=parse(SAMPLE.read_text(), format="markdown"), slug="a-draft")
    assert article_import(parsed=changed, replace=True, slug=draft.slug).status == "draft"


def test_the_admin_still_refuses_and_says_how(client, editor):
    call_command("import_article", str(SAMPLE), "--publish", stdout=StringIO())
    client.force_login(editor)
    text = SAMPLE.read_text().replace("Most", "Many", 1)
    review = client.post("/admin/articles/article/import/", {"text": text})
    data = form_data(soup(review).find("form", id="import-review"))
    data["replace"] = "replace"
    data.pop("publish", None)
    refused = client.post("/admin/articles/article/import/", data)
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "is published: replacing it shows the new text to readers at once" in page
    assert "Publish at once" in page


# --- Every write path leaves the article page fresh -----------------------------------------------


@pytest.fixture
def article(make_article, make_topic):
    return make_article(sections=2, topics=[make_topic("Boundaries")])


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


def page(client, article):
    """The article's page as a visitor gets it, after checking the stored body is current."""
    article.refresh_from_db()
    assert ArticleBody.objects.get(article=article).html == article_body(article)
    return client.get(article.get_absolute_url()).content.decode()


def kept(client, article):
    """Visit the article's page twice, so that the second comes from the page cache."""
    client.get(article.get_absolute_url())
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"


def sections_of(article):
    return [(s.pk, s.question, s.answer) for s in article.sections.all()]


def test_an_admin_save_with_another_topic(client, editor_client, article, make_topic):
    kept(client, article)
    other = make_topic("Red flags")
    data = change_form(article, sections_of(article), topics=[other.pk])
    assert editor_client.post(f"/admin/articles/article/{article.pk}/change/", data).status_code == 302
    html = page(client, article)
    assert "Red flags" in html and "Boundaries" not in html


def test_a_section_edited_inline(client, editor_client, article):
    kept(client, article)
    sections = sections_of(article)
    sections[0] = (sections[0][0], sections[0][1], "An answer *edited* inline.")
    editor_client.post(f"/admin/articles/article/{article.pk}/change/", change_form(article, sections))
    assert "<em>edited</em>" in page(client, article)


def test_a_topic_renamed_in_the_admin(client, editor_client, article):
    kept(client, article)
    topic = Topic.objects.get()
    data = {"name": "Limits", "slug": topic.slug, "description": ""}
    assert editor_client.post(f"/admin/articles/topic/{topic.pk}/change/", data).status_code == 302
    assert "Limits" in page(client, article)


def test_a_topic_deleted_in_the_admin(client, editor_client, article):
    kept(client, article)
    topic = Topic.objects.get()
    editor_client.post(f"/admin/articles/topic/{topic.pk}/delete/", {"post": "yes"})
    assert not Topic.objects.exists()
    assert "Boundaries" not in page(client, article)


@pytest.mark.parametrize("model", ["section", "topic"])
def test_a_bulk_delete_in_the_admin_list(client, editor_client, article, model):
    kept(client, article)
    row = article.sections.first() if model == "section" else Topic.objects.get()
    gone = row.question if model == "section" else row.name
    data = {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"}
    assert editor_client.post(f"/admin/articles/{model}/", data).status_code == 302
    assert not type(row).objects.filter(pk=row.pk).exists()
    assert gone not in page(client, article)


def test_an_article_deleted_in_the_admin_list_leaves_the_lists(client, editor_client, article):
    client.get("/")
    data = {"action": "delete_selected", "_selected_action": [article.pk], "post": "yes"}
    editor_client.post("/admin/articles/article/", data)
    home = client.get("/")
    assert home["X-Page-Cache"] == "miss" and article.title not in home.content.decode()


def test_import_replace(client, tmp_path):
    call_command("import_article", str(SAMPLE), "--publish", stdout=StringIO())
    article = Article.objects.get()
    kept(client, article)
    call_command("import_article", str(changed_sample(tmp_path)), "--replace", "--publish", stdout=StringIO())
    assert "<em>changed</em>" in page(client, article)


def test_a_quiz_published_in_the_admin(client, editor_client, make_quiz):
    quiz = make_quiz(status="draft")
    article = quiz.questions.first().section.article
    kept(client, article)
    editor_client.post("/admin/quizzes/quiz/", {"action": "publish", "_selected_action": [quiz.pk]})
    assert "Test yourself" in page(client, article)


def test_questions_imported_from_a_gift_file(client, article, make_quiz, tmp_path):
    quiz = make_quiz()  # published, on another article
    kept(client, article)
    section = article.sections.first()
    path = tmp_path / "more.gift"
    path.write_text(f"// section: {article.slug}#{section.anchor}\nIs this explained here?{{=Yes ~No}}\n")
    call_command("import_questions", str(path), "--quiz", quiz.slug, stdout=StringIO())
    html = page(client, article)
    assert "Test yourself" in html and quiz.title in html


def test_a_revision_restored_in_the_admin(client, editor_client, article):
    sections = sections_of(article)
    url = f"/admin/articles/article/{article.pk}/change/"
    editor_client.post(url, change_form(article, sections))
    old = Version.objects.get_for_object(article).first()
    sections[0] = (sections[0][0], sections[0][1], "A *newer* answer.")
    editor_client.post(url, change_form(article, sections))
    kept(client, article)
    assert "<em>newer</em>" in client.get(article.get_absolute_url()).content.decode()
    restore = f"/admin/articles/article/{article.pk}/history/{old.pk}/"
    data = form_data(soup(editor_client.get(restore)).find("form", id="article_form"))
    assert editor_client.post(restore, data).status_code == 302
    assert "<em>newer</em>" not in page(client, article)


# --- No signal renders or clears the cache again ------------------------------------------------

# The receivers the project's models may have on Django's model signals, each for what has no other
# hook; none of them renders a page or clears the cache (the writers announce that themselves).
ALLOWED_RECEIVERS = {
    # django-reversion records each save of a registered model in the revision being made.
    ("post_save", "reversion.revisions._post_save_receiver"),
    ("m2m_changed", "reversion.revisions._m2m_changed_receiver"),
    # A raw save (a restored revision, a fixture) skips Section.save(): the answer is rendered here.
    ("pre_save", "articles.signals.section_render_on_raw_save"),
    # An article's old address redirects to it, raw saves (restored revisions) included.
    ("pre_save", "articles.signals.article_slug_before_save"),
    ("post_save", "articles.signals.article_redirect_on_slug_change"),
}
MODEL_SIGNALS = ["pre_save", "post_save", "pre_delete", "post_delete", "m2m_changed"]


def test_no_model_signal_renders_or_clears_the_cache():
    found = set()
    for label in ("articles", "quizzes"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            for name in MODEL_SIGNALS:
                sync, asynchronous = getattr(signals, name)._live_receivers(model)
                found |= {(name, f"{r.__module__}.{r.__qualname__}") for r in [*sync, *asynchronous]}
    assert found - ALLOWED_RECEIVERS == set()

"""Answers are rendered when they are saved, by every write path, and a page view only reads them."""

from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from reversion.models import Version

from articles.markdown import RENDERER, markdown_to_html, markdown_to_text
from articles.models import Article, ArticleBody, Section, answer_rendered
from articles.services import article_body, article_head, body_renderer, sections_render
from tests.articles.helpers import change_form
from tests.pages import form_data, soup

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).parent / "samples" / "crying.md"
ANSWER = "Some **bold** words.\n\n- one\n- two\n\n<script>alert(1)</script>[x](javascript:alert(1))"


def assert_rendered(section):
    section.refresh_from_db()
    assert section.answer_html == markdown_to_html(section.answer)
    assert section.answer_text == markdown_to_text(section.answer)


def test_every_demo_answer_is_stored_as_a_fresh_render_gives_it():
    call_command("load_demo", stdout=StringIO())
    sections = list(Section.objects.all())
    assert len(sections) > 20
    assert any(section.citations != "[]" for section in sections)
    for section in sections:
        html, cited, text = answer_rendered(section.answer, section.anchor)
        assert section.answer_html and (section.answer_html, section.citations) == (html, cited)
        assert section.answer_text == text
        if cited == "[]":
            assert (html, text) == (markdown_to_html(section.answer), markdown_to_text(section.answer))


def test_the_article_page_shows_the_stored_answers_and_renders_nothing(client):
    call_command("load_demo", stdout=StringIO())
    article = Article.objects.get(slug="are-therapists-allowed-to-cry")
    rendering = AssertionError("rendered or cleaned on a read")
    with (
        mock.patch("markdown.markdown", side_effect=rendering),
        mock.patch("nh3.clean", side_effect=rendering),
    ):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    answers = [str(div.decode_contents()) for div in soup(response).select("div.answer")]
    stored = [str(soup(s.answer_html).decode_contents()) for s in article.sections.all()]
    assert answers == stored


def test_saving_in_the_admin_renders_and_cleans_the_answer(client, editor, make_article):
    article = make_article(sections=0, status="draft")
    client.force_login(editor)
    client.post(f"/admin/articles/article/{article.pk}/change/", change_form(article, [(None, "Q?", ANSWER)]))
    section = article.sections.get()
    assert_rendered(section)
    assert "<strong>bold</strong>" in section.answer_html and "<script" not in section.answer_html
    assert "javascript:" not in section.answer_html
    assert section.answer_text.startswith("Some bold words. one two")


def test_import_and_import_with_replace_store_rendered_answers(tmp_path):
    call_command("import_article", str(SAMPLE), stdout=StringIO())
    for section in Section.objects.all():
        assert_rendered(section)
    changed = tmp_path / "crying.md"
    text = SAMPLE.read_text()
    first_answer_line = next(line for line in text.splitlines()[4:] if line and not line.startswith("#"))
    changed.write_text(text.replace(first_answer_line, "A *changed* answer."))
    call_command("import_article", str(changed), "--replace", stdout=StringIO())
    assert Section.objects.filter(answer_html__contains="<em>changed</em>").count() == 1
    for section in Section.objects.all():
        assert_rendered(section)


def test_restoring_a_revision_renders_the_restored_answers(client, editor, make_article):
    article = make_article(sections=0, status="draft")
    client.force_login(editor)
    client.post(
        f"/admin/articles/article/{article.pk}/change/", change_form(article, [(None, "Q?", "Old *one*.")])
    )
    old = Version.objects.get_for_object(article).first()
    section = article.sections.get()
    client.post(
        f"/admin/articles/article/{article.pk}/change/",
        change_form(article, [(section.pk, "Q?", "New **one**.")]),
    )
    assert "<strong>one</strong>" in Section.objects.get().answer_html
    old.revision.revert(delete=True)  # a raw save: Section.save() does not run
    assert "<em>one</em>" in Section.objects.get().answer_html
    assert_rendered(Section.objects.get())


def test_restoring_a_revision_brings_back_a_deleted_section_rendered(client, editor, make_article):
    article = make_article(sections=0, status="draft")
    client.force_login(editor)
    data = change_form(article, [(None, "Kept?", "Kept."), (None, "Gone?", "A *gone* answer.")])
    client.post(f"/admin/articles/article/{article.pk}/change/", data)
    old = Version.objects.get_for_object(article).first()
    Section.objects.filter(question="Gone?").delete()
    old.revision.revert(delete=True)
    gone = Section.objects.get(question="Gone?")
    assert "<em>gone</em>" in gone.answer_html
    assert_rendered(gone)


def test_loading_a_fixture_renders_its_answers(make_article):
    from django.core import serializers

    section = make_article(sections=1).sections.get()
    data = serializers.serialize(
        "json", [section], fields=["article", "question", "answer", "position", "anchor"]
    )
    Section.objects.all().delete()
    for obj in serializers.deserialize("json", data):
        obj.save()  # what loaddata does: a raw save
    assert_rendered(Section.objects.get())


def test_the_command_renders_again_what_a_settings_change_would_change(make_article):
    section = make_article(sections=2).sections.first()
    Section.objects.filter(pk=section.pk).update(answer_html="<p>stale</p>", answer_text="stale")
    out = StringIO()
    call_command("render_answers", stdout=out)
    assert out.getvalue().strip() == "Rendered 2 answer(s): 1 changed."
    assert_rendered(section)


def test_migrate_renders_answers_saved_before_or_by_another_renderer(make_article):
    before, other = make_article(sections=2).sections.all()
    Section.objects.filter(pk=before.pk).update(answer_html="", answer_text="", rendered_with="")
    Section.objects.filter(pk=other.pk).update(answer_html="<p>old nh3</p>", rendered_with="0ld")
    call_command("migrate", verbosity=0)
    assert_rendered(before)
    assert_rendered(other)
    assert Section.objects.filter(rendered_with=RENDERER).count() == 2
    assert sections_render(sections=Section.objects.all()) == 0


def test_the_migrate_receiver_does_nothing_where_the_column_is_gone():
    """As after `migrate articles 0006`: the migration state has no rendered answers."""
    from django.apps.registry import Apps

    from articles.signals import sections_render_stale

    sections_render_stale(sender=None, apps=Apps(installed_apps=[]))  # no Section model: no error


def test_a_database_flush_renders_stale_answers_too(make_article):
    """flush (as live-server tests do after each test) sends post_migrate without `apps`."""
    from django.core.management.sql import emit_post_migrate_signal

    section = make_article(sections=1).sections.get()
    Section.objects.filter(pk=section.pk).update(answer_html="", rendered_with="")
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert_rendered(section)


def test_rendering_again_never_overwrites_an_answer_changed_meanwhile(make_article):
    section = make_article(sections=1).sections.get()
    Section.objects.filter(pk=section.pk).update(rendered_with="0ld")

    class EditedMeanwhile(type(Section.objects.all())):
        def iterator(self, *args, **kwargs):
            for row in super().iterator(*args, **kwargs):
                # The renderer has read the row; an editor saves a new answer before it writes.
                Section.objects.filter(pk=row.pk).update(answer="Edited.")
                yield row

    assert sections_render(sections=EditedMeanwhile(Section)) == 0
    assert Section.objects.get().answer == "Edited."


# The article's body (title, contents, answers, vote buttons, JSON-LD) is rendered on write too.


def assert_body_fresh(article):
    article.refresh_from_db()
    body = ArticleBody.objects.get(article=article)
    assert body.rendered_with == body_renderer()
    assert body.html == article_body(article)
    assert body.head == article_head(article)
    return body.html


def test_the_article_page_reads_the_stored_body_and_renders_none_of_it(client, make_article):
    article = make_article(sections=3)
    body = assert_body_fresh(article)
    head = ArticleBody.objects.get(article=article).head
    with (
        mock.patch("articles.views.article_body", side_effect=AssertionError("rendered on a read")),
        mock.patch("articles.views.article_head", side_effect=AssertionError("rendered on a read")),
    ):
        page = client.get(article.get_absolute_url()).content.decode()
    assert body in page and head in page and 'property="og:title"' in head


def test_every_write_path_leaves_a_fresh_body(client, editor, make_article, make_topic, tmp_path):
    call_command("import_article", str(SAMPLE), "--publish", stdout=StringIO())
    imported = Article.objects.get()
    assert "Are therapists allowed to cry?" in assert_body_fresh(imported)
    # The admin: the title and a question changed; then a section deleted.
    client.force_login(editor)
    first, second = imported.sections.all()[:2]
    sections = [(first.pk, "A new first question?", first.answer)]
    client.post(
        f"/admin/articles/article/{imported.pk}/change/",
        change_form(imported, sections, title="A retitled article", status="published"),
    )
    body = assert_body_fresh(imported)
    assert "A retitled article" in body and "A new first question?" in body and second.question in body
    second.delete()
    assert second.question not in assert_body_fresh(imported)
    # Topics: added and removed where editors link them (the article's form), renamed, deleted.
    topic = make_topic("Boundaries")

    def link_topics(*topics):
        imported.refresh_from_db()
        client.post(
            f"/admin/articles/article/{imported.pk}/change/",
            change_form(imported, [], topics=[topic.pk for topic in topics]),
        )

    link_topics(topic)
    assert "Boundaries" in assert_body_fresh(imported)
    topic.name = "Limits"
    topic.save()
    assert "Limits" in assert_body_fresh(imported)
    link_topics()
    assert "Limits" not in assert_body_fresh(imported)
    link_topics(topic)
    assert "Limits" in assert_body_fresh(imported)
    topic.delete()
    assert "Limits" not in assert_body_fresh(imported)
    # The imported revision, restored in the admin (open it, then Save).
    version = Version.objects.get_for_object(imported).last()
    url = f"/admin/articles/article/{imported.pk}/history/{version.pk}/"
    client.post(url, form_data(soup(client.get(url)).find("form", id="article_form")))
    assert "Are therapists allowed to cry?" in assert_body_fresh(imported)
    # Answers rendered again by the command (update(), no signal).
    Section.objects.filter(article=imported).update(answer_html="<p>stale</p>", rendered_with="0ld")
    call_command("render_answers", stdout=StringIO())
    assert "<p>stale</p>" not in assert_body_fresh(imported)


def test_migrate_renders_bodies_made_by_other_templates(make_article):
    article = make_article(sections=2)
    ArticleBody.objects.filter(article=article).update(html="<p>old template</p>", rendered_with="0ld")
    call_command("migrate", verbosity=0)
    assert "old template" not in assert_body_fresh(article)


def test_a_body_made_by_other_templates_is_never_served(client, make_article):
    article = make_article(sections=1)
    ArticleBody.objects.filter(article=article).update(html="<p>old template</p>", rendered_with="0ld")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "old template" not in page and article.sections.get().question in page


def test_deleting_an_article_deletes_its_body_and_makes_no_other(make_article):
    article = make_article(sections=3)
    Article.objects.filter(pk=article.pk).delete()
    make_article(sections=2).delete()
    assert not ArticleBody.objects.exists()


def test_in_debug_the_body_is_made_on_each_view_so_template_edits_show(client, make_article, settings):
    article = make_article(sections=1)
    settings.DEBUG = True
    with mock.patch("articles.views.article_body", return_value="<p>made now</p>") as made:
        page = client.get(article.get_absolute_url()).content.decode()
    assert "<p>made now</p>" in page and made.called


@pytest.mark.django_db(transaction=True)
def test_two_editors_saving_at_once_both_reach_the_stored_body(make_article, make_topic):
    """One renames a topic while another edits an answer of the same article: the body rendered
    last has both (each render locks the article before reading it)."""
    import threading
    import time

    from django.db import connection, transaction

    from articles.models import Topic

    if connection.vendor != "postgresql":
        pytest.skip("a real race needs PostgreSQL's row locks")
    topic = make_topic("Boundaries")
    article = make_article(topics=[topic])
    section_pk = article.sections.first().pk
    renamed, may_commit, errors = threading.Event(), threading.Event(), []

    def rename_topic():
        try:
            with transaction.atomic():
                Topic.objects.filter(pk=topic.pk).update(name="Renamed topic")
                Topic.objects.get(pk=topic.pk).save()  # renders the body, holding the article's lock
                renamed.set()
                may_commit.wait(10)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    def edit_answer():
        try:
            renamed.wait(10)
            with transaction.atomic():
                section = Section.objects.get(pk=section_pk)
                section.answer = "An answer edited meanwhile."
                section.save()  # waits for the rename's lock, then reads what it committed
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=rename_topic), threading.Thread(target=edit_answer)]
    for thread in threads:
        thread.start()
    renamed.wait(10)
    time.sleep(0.5)
    may_commit.set()
    for thread in threads:
        thread.join()
    assert not errors
    html = ArticleBody.objects.get(article=article).html
    assert "An answer edited meanwhile." in html and "Renamed topic" in html

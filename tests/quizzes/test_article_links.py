from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Section, ShareLink
from quizzes.models import Question, Quiz
from tests.pages import soup
from tests.quizzes.helpers import take

pytestmark = pytest.mark.django_db


def test_article_page_links_to_the_quizzes_that_test_it(client, make_quiz):
    quiz = make_quiz(questions=2, title="Tears quiz")
    draft = make_quiz(questions=1, status="draft", title="Draft quiz")
    article = Question.objects.filter(quiz=quiz).first().section.article
    # A draft quiz testing the same article is not shown.
    Question.objects.filter(quiz=draft).update(section=article.sections.first())
    page = soup(client.get(article.get_absolute_url()))
    box = page.select_one("#extra-test-yourself")
    assert [a.get_text() for a in box.find_all("a")] == ["Tears quiz"]
    assert box.a["href"] == f"/quizzes/{quiz.slug}/"


def test_a_share_link_preview_of_a_tested_draft_shows_the_test_yourself_box(client, editor, make_quiz):
    quiz = make_quiz(questions=1, title="Tears quiz")
    article = Question.objects.get(quiz=quiz).section.article
    Article.objects.filter(pk=article.pk).update(status="draft")
    link = ShareLink.objects.create(article=article, created_by=editor)
    response = client.get(link.get_absolute_url())
    assert response.status_code == 200
    box = soup(response).select_one("#extra-test-yourself")
    assert [a.get_text() for a in box.find_all("a")] == ["Tears quiz"]


def test_an_article_without_quizzes_has_no_test_yourself_box(client, make_article):
    article = make_article()
    assert b'id="extra-test-yourself"' not in client.get(article.get_absolute_url()).content


def test_results_links_survive_a_renamed_article_and_question(client, reader, make_quiz):
    quiz = make_quiz(questions=1)
    client.force_login(reader)
    attempt = take(client, quiz)
    section = Question.objects.get(quiz=quiz).section
    Article.objects.filter(pk=section.article_id).update(slug="a-new-address")
    Section.objects.filter(pk=section.pk).update(question="A reworded heading?", anchor="reworded")
    page = soup(client.get(f"/attempts/{attempt.pk}/results/"))
    link = page.select_one(".read-more a")
    assert link["href"] == "/articles/a-new-address/#reworded"
    assert link.get_text() == "A reworded heading?"


def test_results_dont_link_to_a_section_of_an_unpublished_article(client, reader, make_quiz):
    quiz = make_quiz(questions=1)
    client.force_login(reader)
    attempt = take(client, quiz)
    Article.objects.update(status="draft")
    page = soup(client.get(f"/attempts/{attempt.pk}/results/"))
    assert page.select_one(".read-more") is None


def _write(tmp_path, questions):
    path = tmp_path / "article.md"
    body = "\n\n".join(f"## {q}\n\nAn answer to {q}" for q in questions)
    path.write_text(f"# Tested article\n\nIntro.\n\n{body}\n", encoding="utf-8")
    return path


def test_import_replace_keeps_tested_sections_by_id(tmp_path):
    call_command("import_article", str(_write(tmp_path, ["One?", "Two?"])), "--publish")
    two = Section.objects.get(question="Two?")
    quiz = Quiz.objects.create(title="Q", slug="q")
    Question.objects.create(quiz=quiz, prompt="P?", section=two)
    call_command("import_article", str(_write(tmp_path, ["Two?", "Three?"])), "--replace", "--publish")
    kept = Section.objects.get(question="Two?")
    assert kept.pk == two.pk and kept.anchor == two.anchor and kept.position == 1
    assert list(Section.objects.values_list("question", flat=True)) == ["Two?", "Three?"]


def test_import_replace_refuses_to_drop_a_tested_section_and_changes_nothing(tmp_path):
    call_command("import_article", str(_write(tmp_path, ["One?", "Two?"])), "--publish")
    two = Section.objects.get(question="Two?")
    Question.objects.create(quiz=Quiz.objects.create(title="Q", slug="q"), prompt="P?", section=two)
    with pytest.raises(CommandError, match="“Two\\?” is linked to 1 question in Quizzes \\(“P\\?”\\)"):
        call_command("import_article", str(_write(tmp_path, ["One?", "Three?"])), "--replace", "--publish")
    assert list(Section.objects.values_list("question", flat=True)) == ["One?", "Two?"]


def test_demo_quizzes_link_every_question_to_a_published_demo_section():
    call_command("load_demo")
    quizzes = Quiz.objects.published().with_question_count()
    assert len(quizzes) >= 2 and all(quiz.question_count >= 8 for quiz in quizzes)
    demo_slugs = {p.stem for p in (Path(__file__).parents[2] / "articles/demo").glob("*.md")}
    for question in Question.objects.select_related("section__article"):
        assert question.section is not None, question
        assert question.section.article.slug in demo_slugs
        assert question.section.article.is_public
        choices = [(c.text, c.is_correct) for c in question.choices.all()]
        assert Question.choice_problems(question.kind, choices) == []

import pytest

from quizzes import services
from quizzes.models import Attempt, Choice, Question, Quiz
from tests.pages import soup
from tests.quizzes.helpers import answer, finish, right, start, wrong

pytestmark = pytest.mark.django_db


def question_form(quiz, choices, kind="single", **fields):
    """The admin's question form with (text, correct) choices."""
    data = {
        "quiz": quiz.pk,
        "prompt": "Is it ethical?",
        "kind": kind,
        "explanation": "Because.",
        "section": "",
        "position": "1",
        "choices-TOTAL_FORMS": str(len(choices)),
        "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for i, (text, correct) in enumerate(choices):
        data[f"choices-{i}-text"] = text
        data[f"choices-{i}-position"] = str(i + 1)
        data[f"choices-{i}-note"] = ""
        if correct:
            data[f"choices-{i}-is_correct"] = "on"
    return data


def quiz_form(quiz, **fields):
    data = {
        "title": quiz.title,
        "slug": quiz.slug,
        "description": quiz.description,
        "pass_mark": quiz.pass_mark,
        "feedback": quiz.feedback,
        "status": quiz.status,
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "0",
        **fields,
    }
    questions = list(quiz.questions.all())
    data["questions-TOTAL_FORMS"] = data["questions-INITIAL_FORMS"] = str(len(questions))
    for i, question in enumerate(questions):
        data[f"questions-{i}-id"] = question.pk
        data[f"questions-{i}-quiz"] = quiz.pk
        data[f"questions-{i}-position"] = question.position
    return data


def test_editor_writes_a_quiz_question_and_choices_then_publishes(client, editor):
    client.force_login(editor)
    response = client.post(
        "/admin/quizzes/quiz/add/",
        {
            "title": "Crying quiz",
            "slug": "crying-quiz",
            "description": "",
            "pass_mark": "70",
            "feedback": "learning",
            "status": "draft",
            "questions-TOTAL_FORMS": "0",
            "questions-INITIAL_FORMS": "0",
            "questions-MIN_NUM_FORMS": "0",
            "questions-MAX_NUM_FORMS": "0",
        },
    )
    assert response.status_code == 302
    quiz = Quiz.objects.get()
    assert quiz.feedback == "learning"
    response = client.post(
        "/admin/quizzes/question/add/", question_form(quiz, [("Yes", True), ("No", False)])
    )
    assert response["Location"] == f"/admin/quizzes/quiz/{quiz.pk}/change/"
    response = client.post(f"/admin/quizzes/quiz/{quiz.pk}/change/", quiz_form(quiz, status="published"))
    assert response.status_code == 302
    quiz.refresh_from_db()
    assert quiz.status == "published"
    assert list(Choice.objects.values_list("text", "is_correct")) == [("Yes", True), ("No", False)]


@pytest.mark.parametrize(
    ("kind", "choices", "message"),
    [
        ("single", [("Only one", True)], "at least 2 choices"),
        ("single", [("A", False), ("B", False)], "exactly one correct choice; this one has 0"),
        ("single", [("A", True), ("B", True)], "exactly one correct choice; this one has 2"),
        ("true_false", [("True", True), ("False", False), ("Maybe", False)], "exactly two choices"),
        ("multiple", [("A", False), ("B", False), ("C", False)], "at least one correct choice"),
    ],
)
def test_a_question_that_cant_be_fair_is_refused_in_plain_words(client, editor, kind, choices, message):
    quiz = Quiz.objects.create(title="Q", slug="q")
    client.force_login(editor)
    response = client.post("/admin/quizzes/question/add/", question_form(quiz, choices, kind=kind))
    assert response.status_code == 200
    assert message in soup(response).get_text()
    assert not Question.objects.exists()


def test_a_quiz_with_no_questions_cant_be_published(client, editor):
    quiz = Quiz.objects.create(title="Empty", slug="empty")
    client.force_login(editor)
    response = client.post(f"/admin/quizzes/quiz/{quiz.pk}/change/", quiz_form(quiz, status="published"))
    assert response.status_code == 200
    assert "A quiz with no questions can't be published" in soup(response).get_text()
    client.post("/admin/quizzes/quiz/", {"action": "publish", "_selected_action": [quiz.pk]})
    quiz.refresh_from_db()
    assert quiz.status == "draft"


def test_a_question_with_answers_cant_be_deleted(client, editor, reader, make_quiz):
    quiz = make_quiz(questions=1)
    services.attempt_start(quiz=quiz, user=reader)
    question = Question.objects.get()
    client.force_login(editor)
    page = client.get(f"/admin/quizzes/question/{question.pk}/delete/").content.decode()
    assert "Cannot delete question" in page
    client.post(f"/admin/quizzes/question/{question.pk}/delete/", {"post": "yes"})
    assert Question.objects.filter(pk=question.pk).exists()
    client.post(f"/admin/quizzes/quiz/{quiz.pk}/delete/", {"post": "yes"})
    assert Quiz.objects.filter(pk=quiz.pk).exists()


def test_deleting_a_section_that_questions_test_is_refused_with_the_questions_named(
    client, editor, make_quiz
):
    make_quiz(questions=1)
    question = Question.objects.get()
    section = question.section
    client.force_login(editor)
    # Ticking "Delete" on that section in its article's form says why it can't be done.
    article = section.article
    data = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "status": article.status,
        "published_at_0": "",
        "published_at_1": "",
        "sections-TOTAL_FORMS": "1",
        "sections-INITIAL_FORMS": "1",
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
        "share_links-TOTAL_FORMS": "0",
        "share_links-INITIAL_FORMS": "0",
        "sections-0-id": section.pk,
        "sections-0-article": article.pk,
        "sections-0-question": section.question,
        "sections-0-answer": section.answer,
        "sections-0-position": "1",
        "sections-0-anchor": section.anchor,
        "sections-0-DELETE": "on",
    }
    response = client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 200
    text = soup(response).get_text()
    assert "would require deleting the following protected related objects" in text
    assert section.__class__.objects.filter(pk=section.pk).exists()


def test_a_sections_admin_shows_the_questions_that_test_it(client, editor, make_quiz):
    make_quiz(questions=1)
    question = Question.objects.get()
    client.force_login(editor)
    page = client.get(f"/admin/articles/section/{question.section_id}/change/").content.decode()
    assert "Quiz questions that test this section" in page and question.prompt in page


def test_statistics_show_attempts_scores_and_the_most_picked_wrong_choice(
    client, editor, reader, other_reader, django_user_model, make_quiz
):
    quiz = make_quiz(questions=2, pass_mark=100)
    # alice: both right. bob: first wrong ("Wrong one"). carol: started, not finished.
    for user, first_right in [(reader, True), (other_reader, False)]:
        client.force_login(user)
        attempt = start(client, quiz)
        answer(client, attempt, 1, right(attempt, 1) if first_right else wrong(attempt, 1))
        answer(client, attempt, 2, right(attempt, 2))
        finish(client, attempt)
    carol = django_user_model.objects.create_user("carol")
    services.attempt_start(quiz=quiz, user=carol)
    client.force_login(editor)
    page = soup(client.get(f"/admin/quizzes/quiz/{quiz.pk}/statistics/"))
    summary = dict(
        zip(
            [dt.get_text() for dt in page.select("dt")],
            [dd.get_text() for dd in page.select("dd")],
            strict=True,
        )
    )
    assert summary["Started"] == "3" and summary["Finished"] == "2"
    assert summary["Average score"] == "75%"
    assert summary["Pass rate"].startswith("50%")
    rows = page.select(".stats-table tbody tr")
    first = rows[0].get_text(" ", strip=True)
    assert "50% (1 of 2)" in first and "Wrong one (1×)" in first
    assert rows[0].find("svg")["aria-label"] == "50% right"
    assert "100% (2 of 2)" in rows[1].get_text(" ", strip=True)


def test_readers_cant_reach_the_quiz_admin_or_statistics(client, reader, make_quiz):
    quiz = make_quiz()
    client.force_login(reader)
    for url in ["/admin/quizzes/quiz/", f"/admin/quizzes/quiz/{quiz.pk}/statistics/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_editors_can_open_the_statistics(client, editor, make_quiz):
    quiz = make_quiz()
    client.force_login(editor)
    assert client.get(f"/admin/quizzes/quiz/{quiz.pk}/statistics/").status_code == 200
    assert Attempt.objects.count() == 0


def test_questions_and_choices_left_without_a_position_go_last(make_quiz):
    quiz = make_quiz(questions=2)
    added = Question.objects.create(quiz=quiz, prompt="Added later?")
    assert added.position == 3
    choice = Choice.objects.create(question=added, text="First")
    second = Choice.objects.create(question=added, text="Second", position=0)
    assert (choice.position, second.position) == (1, 2)


def existing_question_form(question, **fields):
    """The admin's form for an existing question, as the editor sees it."""
    choices = list(question.choices.all())
    data = question_form(
        question.quiz,
        [(c.text, c.is_correct) for c in choices],
        kind=question.kind,
        prompt=question.prompt,
        **fields,
    )
    data["choices-INITIAL_FORMS"] = str(len(choices))
    for i, choice in enumerate(choices):
        data[f"choices-{i}-id"] = choice.pk
        data[f"choices-{i}-question"] = question.pk
    return data


def test_archiving_or_deleting_the_last_question_makes_the_quiz_a_draft_again(client, editor, make_quiz):
    quiz = make_quiz(questions=1)
    question = Question.objects.get()
    client.force_login(editor)
    response = client.post(
        f"/admin/quizzes/question/{question.pk}/change/",
        existing_question_form(question, is_archived="on"),
        follow=True,
    )
    assert "has no questions left to ask, so it is a draft again" in response.content.decode()
    quiz.refresh_from_db()
    assert quiz.status == "draft"

    other = make_quiz(questions=1)
    client.post(f"/admin/quizzes/question/{other.questions.get().pk}/delete/", {"post": "yes"})
    other.refresh_from_db()
    assert not other.questions.exists() and other.status == "draft"

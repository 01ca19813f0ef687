"""Attacker's tests: a quiz's admin page (and a question's) reads, changes and deletes only its own
questions and choices, whatever ids are posted."""

import pytest

from quizzes.models import Choice, Question
from tests.pages import soup
from tests.quizzes.test_admin import existing_question_form, quiz_page_form

pytestmark = pytest.mark.django_db

REFUSED = "isn't one of"


@pytest.fixture
def two_quizzes(make_quiz, editor, client):
    """A published quiz with a true-or-false question (the victim) and a draft the editor posts."""
    victim = make_quiz(questions=1, kinds=["true_false"])
    posted = make_quiz(questions=1, status="draft")
    client.force_login(editor)
    return victim, posted


def _snapshot(quiz):
    return [
        (q.pk, q.prompt, [(c.pk, c.text, c.is_correct) for c in q.choices.all()])
        for q in Question.objects.filter(quiz=quiz).prefetch_related("choices")
    ]


def _post_quiz_page(client, quiz, **fields):
    url = f"/admin/quizzes/quiz/{quiz.pk}/change/"
    return client.post(url, quiz_page_form(client, url, **fields))


def test_a_choice_of_another_quiz_cant_be_moved_or_rewritten_from_a_quiz_page(client, two_quizzes):
    victim, posted = two_quizzes
    before, posted_before = _snapshot(victim), _snapshot(posted)
    foreign = victim.questions.get().choices.first()
    response = _post_quiz_page(
        client,
        posted,
        **{"questions-0-choices-0-id": str(foreign.pk), "questions-0-choices-0-text": "Overwritten"},
    )
    assert response.status_code == 200
    assert REFUSED in soup(response).get_text()
    assert _snapshot(victim) == before and _snapshot(posted) == posted_before


def test_a_question_of_another_quiz_cant_be_moved_from_a_quiz_page(client, two_quizzes):
    victim, posted = two_quizzes
    before = _snapshot(victim)
    foreign = victim.questions.get()
    response = _post_quiz_page(client, posted, **{"questions-0-id": str(foreign.pk)})
    assert response.status_code == 200
    assert REFUSED in soup(response).get_text()
    assert _snapshot(victim) == before
    assert victim.questions.count() == 1 and posted.questions.count() == 1


@pytest.mark.parametrize("target", ["question", "choice"])
def test_a_delete_tick_on_another_quizs_id_deletes_nothing(client, two_quizzes, target):
    victim, posted = two_quizzes
    before, posted_before = _snapshot(victim), _snapshot(posted)
    question = victim.questions.get()
    if target == "question":
        fields = {"questions-0-id": str(question.pk), "questions-0-DELETE": "on"}
    else:
        fields = {
            "questions-0-choices-0-id": str(question.choices.first().pk),
            "questions-0-choices-0-DELETE": "on",
        }
    response = _post_quiz_page(client, posted, **fields)
    assert response.status_code == 200
    assert REFUSED in soup(response).get_text()
    assert _snapshot(victim) == before and _snapshot(posted) == posted_before


@pytest.mark.parametrize("delete", [False, True])
def test_a_question_page_cant_take_another_questions_choice(client, two_quizzes, delete):
    victim, posted = two_quizzes
    before = _snapshot(victim)
    question = posted.questions.get()
    foreign = victim.questions.get().choices.first()
    data = existing_question_form(question)
    data["choices-0-id"] = str(foreign.pk)
    data["choices-0-text"] = "Overwritten"
    if delete:
        data["choices-0-DELETE"] = "on"
    response = client.post(f"/admin/quizzes/question/{question.pk}/change/", data)
    assert response.status_code == 200
    assert REFUSED in soup(response).get_text()
    assert _snapshot(victim) == before
    assert Choice.objects.filter(question=question).count() == 3


@pytest.mark.parametrize("name", ["questions-0-id", "questions-0-choices-0-id"])
@pytest.mark.parametrize("value", ["x", "-1", "99999999999999999999", "1.5", "\u00b2"])
def test_an_id_that_is_not_a_number_is_a_form_error(client, two_quizzes, name, value):
    _, posted = two_quizzes
    before = _snapshot(posted)
    response = _post_quiz_page(client, posted, **{name: value})
    assert response.status_code == 200
    assert _snapshot(posted) == before


def test_the_page_still_saves_its_own_questions_and_choices(client, two_quizzes):
    _, posted = two_quizzes
    response = _post_quiz_page(
        client,
        posted,
        **{"questions-0-prompt": "Reworded?", "questions-0-choices-1-text": "Wrong, reworded"},
    )
    assert response.status_code == 302, soup(response).select(".errorlist")
    question = posted.questions.get()
    assert question.prompt == "Reworded?"
    assert "Wrong, reworded" in question.choices.values_list("text", flat=True)


def _one_more_row(data, prefix, **fields):
    """`data` with a new row added to the formset `prefix`, with `fields` (id among them)."""
    total = int(
        data[f"{prefix}-TOTAL_FORMS"][0]
        if isinstance(data[f"{prefix}-TOTAL_FORMS"], list)
        else data[f"{prefix}-TOTAL_FORMS"]
    )
    data = dict(data)
    data[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
    for name, value in fields.items():
        data[f"{prefix}-{total}-{name}"] = value
    return data


def test_an_id_posted_in_a_new_row_cant_take_another_quizs_choice(client, two_quizzes):
    victim, posted = two_quizzes
    before, posted_before = _snapshot(victim), _snapshot(posted)
    foreign = victim.questions.get().choices.first()
    url = f"/admin/quizzes/quiz/{posted.pk}/change/"
    data = _one_more_row(
        quiz_page_form(client, url), "questions-0-choices", id=str(foreign.pk), text="Taken", position="9"
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert REFUSED in soup(response).get_text()
    assert _snapshot(victim) == before and _snapshot(posted) == posted_before


def test_an_id_posted_in_a_new_row_cant_take_another_quizs_question(client, two_quizzes):
    victim, posted = two_quizzes
    before = _snapshot(victim)
    foreign = victim.questions.get()
    url = f"/admin/quizzes/quiz/{posted.pk}/change/"
    data = _one_more_row(
        quiz_page_form(client, url),
        "questions",
        id=str(foreign.pk),
        prompt="Taken?",
        kind="single",
        position="9",
    )
    data |= {"questions-1-choices-TOTAL_FORMS": "0", "questions-1-choices-INITIAL_FORMS": "0"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert REFUSED in soup(response).get_text()
    assert _snapshot(victim) == before and posted.questions.count() == 1
    # On a new quiz's page too.
    data = quiz_page_form(client, "/admin/quizzes/quiz/add/", title="New", slug="new")
    data = _one_more_row(data, "questions", id=str(foreign.pk), prompt="Taken?", kind="single", position="1")
    data |= {"questions-0-choices-TOTAL_FORMS": "0", "questions-0-choices-INITIAL_FORMS": "0"}
    response = client.post("/admin/quizzes/quiz/add/", data)
    assert response.status_code == 200
    assert _snapshot(victim) == before


def test_an_id_posted_in_a_new_row_of_a_question_page_is_refused(client, two_quizzes):
    victim, posted = two_quizzes
    before = _snapshot(victim)
    question = posted.questions.get()
    foreign = victim.questions.get().choices.first()
    data = _one_more_row(
        existing_question_form(question), "choices", id=str(foreign.pk), text="Taken", position="9"
    )
    response = client.post(f"/admin/quizzes/question/{question.pk}/change/", data)
    assert response.status_code == 200
    assert REFUSED in soup(response).get_text()
    assert _snapshot(victim) == before

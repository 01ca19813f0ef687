import re
import secrets

import pytest
from django.test import Client

from articles.visitors import Reader
from quizzes import services
from quizzes.models import Attempt, AttemptItem, Choice, Question
from tests.pages import soup
from tests.quizzes.helpers import answer, answer_all, finish, item, right, start, take, values, wrong

pytestmark = pytest.mark.django_db


def test_tests_run_with_the_shuffling_that_ships():
    """No fixture turns shuffling off for every test: a test that needs the editor's order asks
    for keep_order (tests/conftest.py) by name, and the others find choices by their text."""
    assert type(services.shuffler) is secrets.SystemRandom


def test_keep_order_asks_in_the_editors_order(make_quiz, keep_order):
    quiz = make_quiz(questions=3, shuffle_questions=True)
    attempt, _ = services.attempt_start(quiz=quiz, reader=Reader(visitor_key="v"))
    assert [i.question_id for i in attempt.items.all()] == list(quiz.questions.values_list("pk", flat=True))
    assert [c["text"] for c in attempt.items.first().asked["choices"]] == ["Right", "Wrong one", "Wrong two"]


def test_quiz_list_shows_length_and_the_readers_status(client, reader, make_quiz):
    quiz = make_quiz(questions=3)
    make_quiz(status="draft", title="A draft quiz")
    client.force_login(reader)
    page = soup(client.get("/quizzes/"))
    assert "A draft quiz" not in page.get_text()
    card = page.select_one(".quiz-card")
    assert "3 questions" in card.get_text() and "Not started" in card.get_text()
    attempt = start(client, quiz)
    answer(client, attempt, 1, right(attempt, 1))
    assert "In progress: 1 of 3 answered" in client.get("/quizzes/").content.decode()
    answer(client, attempt, 2, right(attempt, 2))
    answer(client, attempt, 3, wrong(attempt, 3))
    finish(client, attempt)
    text = soup(client.get("/quizzes/")).select_one(".quiz-card").get_text()
    assert "Finished" in text and "best score 67%" in text


def test_quiz_page_shows_length_best_score_and_start_or_resume(client, reader, make_quiz):
    quiz = make_quiz(questions=2)
    client.force_login(reader)
    page = client.get(f"/quizzes/{quiz.slug}/").content.decode()
    assert "2 questions" in page and "Start the quiz" in page
    attempt = start(client, quiz)
    page = client.get(f"/quizzes/{quiz.slug}/").content.decode()
    assert "Resume the quiz" in page and f"/attempts/{attempt.pk}/" in page
    answer_all(client, attempt)
    finish(client, attempt)
    page = client.get(f"/quizzes/{quiz.slug}/").content.decode()
    assert "Your best score: 100%, passed" in page and "Take the quiz again" in page


def test_draft_quizzes_are_404_for_readers(client, reader, make_quiz):
    quiz = make_quiz(status="draft")
    client.force_login(reader)
    assert client.get(f"/quizzes/{quiz.slug}/").status_code == 404
    assert client.post(f"/quizzes/{quiz.slug}/start/").status_code == 404
    assert not Attempt.objects.exists()


def test_question_page_shows_one_question_with_progress(client, reader, make_quiz):
    quiz = make_quiz(questions=3)
    client.force_login(reader)
    attempt = start(client, quiz)
    answer(client, attempt, 1, right(attempt, 1))
    page = soup(client.get(f"/attempts/{attempt.pk}/questions/2/"))
    assert "Question 2 of 3" in page.get_text()
    progress = page.find("progress")
    assert (progress["value"], progress["max"]) == ("1", "3")
    assert page.h1.get_text() == item(attempt, 2).prompt
    assert len(page.select("input[name=answer]")) == 3
    assert page.find("a", string="Previous question")["href"] == f"/attempts/{attempt.pk}/questions/1/"


def test_the_correct_answer_never_reaches_the_browser_before_answering(
    client, reader, other_reader, make_quiz, keep_order
):
    # In one order (keep_order), so that only what is correct could tell the two pages apart.
    quiz = make_quiz(questions=1, kinds=["multiple"])
    client.force_login(reader)
    first = start(client, quiz)
    # The same question with the other choices correct: the page must not change at all.
    question = Question.objects.get()
    for choice in question.choices.all():
        choice.is_correct = not choice.is_correct
        choice.save()
    client.force_login(other_reader)
    second = start(client, quiz)
    pages = []
    for attempt, user in [(first, reader), (second, other_reader)]:
        client.force_login(user)
        html = client.get(f"/attempts/{attempt.pk}/questions/1/").content.decode()
        main = re.sub(r"/attempts/\d+/", "/attempts/N/", html.split("<main", 1)[1])
        main = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)
        pages.append(main)
        assert "Note on" not in html and "Explained in" not in html
        assert "correct" not in html.lower()
    assert pages[0] == pages[1]


def test_an_answer_is_saved_at_once_and_the_reader_moves_on(client, reader, make_quiz):
    quiz = make_quiz(questions=3)
    client.force_login(reader)
    attempt = start(client, quiz)
    response = answer(client, attempt, 1, right(attempt, 1))
    assert response.status_code == 302
    assert response["Location"] == f"/attempts/{attempt.pk}/questions/2/"
    saved = item(attempt, 1)
    assert saved.chosen == right(attempt, 1) and saved.is_correct is True
    assert saved.answered_at is not None


def test_nothing_chosen_shows_the_question_again_and_saves_nothing(client, reader, make_quiz):
    quiz = make_quiz(questions=2)
    client.force_login(reader)
    attempt = start(client, quiz)
    response = client.post(f"/attempts/{attempt.pk}/questions/1/", {})
    assert response.status_code == 200
    page = soup(response)
    assert "Choose an answer." in page.select_one(".error-message").get_text()
    assert page.find("fieldset")["aria-describedby"].strip() == "answer-error"
    assert item(attempt, 1).answered_at is None


@pytest.mark.parametrize("forged", ["garbage", "other-question", "other-quiz", "99999"])
def test_a_forged_choice_is_refused_with_a_4xx_and_saves_nothing(client, reader, make_quiz, forged):
    quiz = make_quiz(questions=2)
    other_quiz = make_quiz(questions=1)
    client.force_login(reader)
    attempt = start(client, quiz)
    value = {
        "garbage": "abc",
        "other-question": str(item(attempt, 2).asked["choices"][0]["id"]),
        "other-quiz": str(Choice.objects.filter(question__quiz=other_quiz).first().pk),
        "99999": "99999",
    }[forged]
    response = client.post(f"/attempts/{attempt.pk}/questions/1/", {"answer": value})
    assert response.status_code == 400
    assert "That is not one of this question's choices." in soup(response).get_text()
    assert item(attempt, 1).answered_at is None


def test_a_reader_may_go_back_and_change_an_answer(client, reader, make_quiz):
    quiz = make_quiz(questions=2)
    client.force_login(reader)
    attempt = start(client, quiz)
    answer(client, attempt, 1, wrong(attempt, 1))
    answer(client, attempt, 2, right(attempt, 2))
    page = soup(client.get(f"/attempts/{attempt.pk}/questions/1/"))
    assert page.find("input", checked=True)["value"] == values(attempt, 1, wrong(attempt, 1))[0]
    answer(client, attempt, 1, right(attempt, 1))
    assert item(attempt, 1).is_correct is True
    assert AttemptItem.objects.filter(attempt=attempt).count() == 2


def test_resuming_goes_to_the_first_unanswered_question_from_any_browser(client, reader, make_quiz):
    quiz = make_quiz(questions=4)
    client.force_login(reader)
    attempt = start(client, quiz)
    for position in (1, 2, 3):
        answer(client, attempt, position, right(attempt, position))
    other_browser = Client()
    other_browser.force_login(reader)
    page = other_browser.get(f"/quizzes/{quiz.slug}/")
    assert "In progress: 3 of 4 answered" in page.content.decode()
    response = other_browser.get(f"/attempts/{attempt.pk}/")
    assert response["Location"] == f"/attempts/{attempt.pk}/questions/4/"


def test_finishing_scores_on_the_server_and_shows_results_with_links(client, reader, make_quiz):
    quiz = make_quiz(questions=3, pass_mark=60)
    client.force_login(reader)
    attempt = start(client, quiz)
    answer(client, attempt, 1, right(attempt, 1))
    answer(client, attempt, 2, right(attempt, 2))
    answer(client, attempt, 3, wrong(attempt, 3))
    response = client.post(f"/attempts/{attempt.pk}/finish/")
    assert response["Location"] == f"/attempts/{attempt.pk}/results/"
    attempt.refresh_from_db()
    assert (attempt.status, attempt.score, attempt.total, attempt.passed) == ("finished", 2, 3, True)
    page = soup(client.get(f"/attempts/{attempt.pk}/results/"))
    assert "2 of 3" in page.select_one(".result-score").get_text()
    assert "Passed." in page.get_text()
    third = page.select(".result-item")[2]
    assert "Not quite" in third.get_text()
    assert "Your answer:" in third.get_text() and "Correct answer:" in third.get_text()
    assert "Explained in section 3." in third.get_text()
    section = Question.objects.get(pk=item(attempt, 3).question_id).section
    link = third.select_one(".read-more a")["href"]
    assert link == f"/articles/{section.article.slug}/#{section.anchor}"


def test_finishing_with_unanswered_questions_is_refused(client, reader, make_quiz):
    quiz = make_quiz(questions=2)
    client.force_login(reader)
    attempt = start(client, quiz)
    answer(client, attempt, 1, right(attempt, 1))
    response = client.post(f"/attempts/{attempt.pk}/finish/", follow=True)
    assert "Answer every question before finishing." in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.status == "open" and attempt.score is None


def test_retake_starts_a_new_attempt_and_keeps_the_old_one(client, reader, make_quiz):
    quiz = make_quiz(questions=2)
    client.force_login(reader)
    first = take(client, quiz, correct=False)
    second = start(client, quiz)
    assert second.pk != first.pk
    answer_all(client, second)
    client.post(f"/attempts/{second.pk}/finish/")
    progress = client.get("/progress/").content.decode()
    assert f"/attempts/{first.pk}/results/" in progress and f"/attempts/{second.pk}/results/" in progress


def test_review_my_mistakes_asks_only_the_questions_got_wrong(client, reader, make_quiz):
    quiz = make_quiz(questions=4)
    client.force_login(reader)
    attempt = start(client, quiz)
    for position in range(1, 5):
        choice = wrong(attempt, position) if position in (2, 4) else right(attempt, position)
        answer(client, attempt, position, choice)
    finish(client, attempt)
    response = client.post(f"/attempts/{attempt.pk}/review/")
    review = Attempt.objects.get(mode="review")
    assert response["Location"] == f"/attempts/{review.pk}/questions/1/"
    asked = [i.question_id for i in review.items.all()]
    assert asked == [item(attempt, 2).question_id, item(attempt, 4).question_id]
    assert review.total == 2


def test_a_visitor_without_an_account_keeps_progress_in_the_session(client, make_quiz):
    quiz = make_quiz(questions=3)
    attempt = start(client, quiz)
    assert attempt.user is None and attempt.visitor_key
    answer(client, attempt, 1, right(attempt, 1))
    assert client.get(f"/attempts/{attempt.pk}/")["Location"].endswith("/questions/2/")
    assert "In progress: 1 of 3 answered" in client.get("/progress/").content.decode()


def test_a_visitors_quiz_and_progress_pages_offer_sign_up_and_log_in_back_to_them(client, make_quiz):
    quiz = make_quiz(questions=1)
    start(client, quiz)
    for path in (f"/quizzes/{quiz.slug}/", "/progress/"):
        links = {a["href"] for a in soup(client.get(path)).select("main a")}
        assert f"/accounts/signup/?next={path}" in links and f"/accounts/login/?next={path}" in links, path


@pytest.mark.parametrize("kind", ["single", "multiple"])
def test_the_question_page_writes_each_choice_as_djangos_widget_would(client, make_quiz, kind):
    from quizzes.forms import AnswerForm

    quiz = make_quiz(questions=1, kinds=[kind])
    client.post(f"/quizzes/{quiz.slug}/start/")
    attempt = Attempt.objects.get()
    item = attempt.items.get()
    if kind == "single":
        client.post(f"/attempts/{attempt.pk}/questions/1/", {"answer": "1"})
    page = client.get(f"/attempts/{attempt.pk}/questions/1/").content.decode()
    item.refresh_from_db()
    for choice in AnswerForm(item, initial=None)["answer"]:
        assert str(choice.tag()) in page

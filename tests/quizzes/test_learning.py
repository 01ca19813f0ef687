"""Learning and test quizzes, part marks, "Check your answers" and what the results lead to."""

import pytest
from django.test import Client

from quizzes.models import PARTIAL_CREDIT_RULE, Attempt, Quiz
from tests.pages import soup, text
from tests.quizzes.helpers import answer, answer_all, finish, item, right, start, take, wrong

pytestmark = pytest.mark.django_db


def feedback_url(attempt, position):
    return f"/attempts/{attempt.pk}/questions/{position}/feedback/"


@pytest.fixture
def learning_quiz(make_quiz):
    return make_quiz(questions=3, pace="learning")


def test_a_learning_quiz_shows_each_answers_result_at_once_then_goes_on(client, learning_quiz):
    attempt = start(client, learning_quiz)
    assert attempt.pace == "learning"
    response = answer(client, attempt, 1, wrong(attempt, 1))
    assert response["Location"] == feedback_url(attempt, 1)
    page = soup(client.get(response["Location"]))
    assert page.title.get_text().startswith("Not quite: question 1 of 3")
    words = page.select_one(".answer-feedback").get_text(" ", strip=True)
    # Right or not, the choice picked with its note, the right one, the explanation, the section.
    assert "Not quite" in words
    assert "Your answer: Wrong one Note on wrong one." in words
    assert "Correct answer: Right Note on right." in words
    assert "Explained in section 1." in words
    assert page.select_one(".read-more a")["href"].endswith("#question-1-of-article-1")
    assert page.find("a", string="Next question")["href"] == f"/attempts/{attempt.pk}/questions/2/"
    answer(client, attempt, 2, right(attempt, 2))
    assert "Right" in text(client.get(feedback_url(attempt, 2)))


def test_in_a_learning_quiz_an_answer_is_final_once_its_result_is_shown(client, learning_quiz):
    """A reader who saw the right answer and posts it again (a second tab, a replayed request, the
    back button) changes nothing; the question page leads back to the result."""
    attempt = start(client, learning_quiz)
    answer(client, attempt, 1, wrong(attempt, 1))
    response = answer(client, attempt, 1, right(attempt, 1))
    assert response["Location"] == feedback_url(attempt, 1)
    assert item(attempt, 1).is_correct is False
    assert client.get(f"/attempts/{attempt.pk}/questions/1/")["Location"] == feedback_url(attempt, 1)
    # The quiz turned into a test while the attempt runs: the attempt keeps its rules.
    Quiz.objects.update(pace="test")
    answer(client, attempt, 1, right(attempt, 1))
    assert item(attempt, 1).is_correct is False


def test_the_last_result_leads_to_the_results(client, learning_quiz):
    attempt = start(client, learning_quiz)
    answer_all(client, attempt)
    page = soup(client.get(feedback_url(attempt, 3)))
    form = page.select_one(".quiz-actions form")
    assert form["action"] == f"/attempts/{attempt.pk}/finish/"
    assert form.button.get_text() == "See my results"


def test_a_test_quiz_says_nothing_until_the_results(client, make_quiz):
    quiz = make_quiz(questions=2)
    attempt = start(client, quiz)
    assert answer(client, attempt, 1, wrong(attempt, 1))["Location"] == f"/attempts/{attempt.pk}/questions/2/"
    assert client.get(feedback_url(attempt, 1))["Location"] == f"/attempts/{attempt.pk}/questions/1/"
    # And the answer can still change.
    answer(client, attempt, 1, right(attempt, 1))
    assert item(attempt, 1).is_correct is True


def test_another_readers_result_page_does_not_exist(client, learning_quiz, other_reader):
    attempt = start(client, learning_quiz)
    answer(client, attempt, 1, right(attempt, 1))
    stranger = Client()  # logging in on the reader's browser would move the attempt into the account
    stranger.force_login(other_reader)
    assert stranger.get(feedback_url(attempt, 1)).status_code == 404
    assert Client().get(feedback_url(attempt, 1)).status_code == 404  # a visitor without the session


@pytest.mark.parametrize("questions", [3, 12])
def test_a_result_page_runs_a_fixed_number_of_queries(
    client, reader, make_quiz, django_assert_num_queries, questions
):
    client.force_login(reader)
    attempt = start(client, make_quiz(questions=questions, pace="learning"))
    answer(client, attempt, 2, right(attempt, 2))
    # The reader; the items with their attempt and quiz (the check that they are the reader's);
    # the section the question links to, with its article.
    with django_assert_num_queries(3):
        assert client.get(feedback_url(attempt, 2)).status_code == 200


def test_a_several_answer_question_earns_part_of_its_mark_and_says_how(client, make_quiz):
    quiz = make_quiz(questions=2, kinds=["multiple", "single"])
    attempt = start(client, quiz)
    right_a = right(attempt, 1)[0]  # one of its two right answers, no wrong one
    answer(client, attempt, 1, [right_a])
    answer(client, attempt, 2, right(attempt, 2))
    finish(client, attempt)
    attempt.refresh_from_db()
    assert attempt.score == 1.5 and attempt.percent == 75
    page = soup(client.get(f"/attempts/{attempt.pk}/results/"))
    assert "Your marks: 1½ of 2 (75%)." in page.select_one(".result-score").get_text(" ", strip=True)
    assert "½ + 1 = 1½" in page.select_one(".marks-sum").get_text()
    assert page.select_one(".marks-note").get_text(" ", strip=True) == (
        "You found 1 of 2 right answers: ½ of the mark."
    )
    assert "Partly right" in page.select_one(".result-mark").get_text()


def test_the_quiz_page_says_its_kind_its_length_and_the_part_marks_rule(client, make_quiz):
    test = make_quiz(questions=3)
    learning = make_quiz(questions=3, kinds=["single", "multiple", "single"], pace="learning")
    test_page = text(client.get(test.get_absolute_url()))
    assert "A test: you can change your answers until you finish" in test_page
    assert "3 questions, one at a time, about 2 minutes" in test_page
    assert PARTIAL_CREDIT_RULE not in test_page  # no question with several answers
    learning_page = text(client.get(learning.get_absolute_url()))
    assert "A learning quiz: after each answer you see whether it was right" in learning_page
    assert "about 4 minutes" in learning_page
    assert PARTIAL_CREDIT_RULE in learning_page


def test_check_your_answers_shows_each_answer_with_a_change_link(client, make_quiz):
    quiz = make_quiz(questions=2)
    attempt = start(client, quiz)
    answer_all(client, attempt, correct=False)
    page = soup(client.get(f"/attempts/{attempt.pk}/"))
    rows = page.select(".check-row")
    assert [row.dt.get_text() for row in rows] == [
        f"1. {item(attempt, 1).prompt}",
        f"2. {item(attempt, 2).prompt}",
    ]
    assert [row.dd.get_text(" ", strip=True) for row in rows] == ["Your answer: Wrong one"] * 2
    assert rows[1].select_one("a")["href"] == f"/attempts/{attempt.pk}/questions/2/"


def test_results_lead_to_what_to_learn_next(client, make_quiz, make_topic):
    topic = make_topic("Boundaries")
    quiz = make_quiz(questions=2, topics=[topic])
    other = make_quiz(questions=2, topics=[topic], title="Gifts and boundaries")
    make_quiz(questions=2, title="Another topic")
    failed = take(client, quiz, correct=False)
    actions = soup(client.get(f"/attempts/{failed.pk}/results/")).select_one(".result-actions")
    first = actions.find(["a", "button"])
    assert first.get_text() == "Review my mistakes (2)" and "btn-primary" in first["class"]
    assert actions.find("a", string="Read: Question 1 of article 1?") is not None
    passed = take(client, quiz)
    actions = soup(client.get(f"/attempts/{passed.pk}/results/")).select_one(".result-actions")
    first = actions.find(["a", "button"])
    assert first.get_text() == f"Next quiz: {other.title}" and first["href"] == other.get_absolute_url()
    # Once that one is passed too, the next is one the reader has not passed, on any topic.
    take(client, other)
    actions = soup(client.get(f"/attempts/{passed.pk}/results/")).select_one(".result-actions")
    assert actions.find(["a", "button"]).get_text() == "Next quiz: Another topic"
    assert Attempt.objects.filter(passed=True).count() == 2


def test_logging_in_cannot_replace_a_final_learning_answer_with_one_from_another_browser(
    client, reader, learning_quiz
):
    """A visitor answers wrongly and sees the right answer; in another browser, logged in, they
    answer the same question rightly; logging in on the first browser joins the two attempts, and
    the earlier, final answer is the one kept."""
    guest = start(client, learning_quiz)
    answer(client, guest, 1, wrong(guest, 1))
    elsewhere = Client()
    elsewhere.force_login(reader)
    mine = start(elsewhere, learning_quiz)
    answer(elsewhere, mine, 1, right(mine, 1))
    client.force_login(reader)
    kept = Attempt.objects.open().get(user=reader)
    assert kept.pace == "learning"
    assert item(kept, 1).is_correct is False
    assert client.get(f"/attempts/{kept.pk}/questions/1/")["Location"] == feedback_url(kept, 1)


def test_a_review_of_mistakes_in_a_learning_quiz_is_a_learning_one_too(client, learning_quiz):
    attempt = start(client, learning_quiz)
    answer_all(client, attempt, correct=False)
    finish(client, attempt)
    client.post(f"/attempts/{attempt.pk}/review/")
    review = Attempt.objects.open().get(mode="review")
    assert review.pace == "learning"
    assert answer(client, review, 1, right(review, 1))["Location"] == feedback_url(review, 1)


@pytest.mark.parametrize("questions", [3, 12])
def test_check_your_answers_and_the_results_run_a_fixed_number_of_queries(
    client, reader, make_quiz, django_assert_num_queries, questions
):
    client.force_login(reader)
    attempt = start(client, make_quiz(questions=questions))
    answer_all(client, attempt, correct=False)
    # The reader; the attempt (the check it is theirs); the unanswered positions; the items.
    with django_assert_num_queries(4):
        assert client.get(f"/attempts/{attempt.pk}/").status_code == 200
    finish(client, attempt)
    # The reader; the attempt; the items; the sections; the reader's passed quizzes are not asked
    # (not passed).
    with django_assert_num_queries(4):
        assert client.get(f"/attempts/{attempt.pk}/results/").status_code == 200

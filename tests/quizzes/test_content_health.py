"""The "Content health" admin page: which sections readers struggle with (quizzes/health.py)."""

from datetime import date, timedelta
from itertools import count

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from articles.models import Article, HelpfulVote
from articles.visitors import Reader
from quizzes import services
from quizzes.health import section_health
from quizzes.models import Attempt
from tests.pages import soup, text

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 1)
visitors = count(1)


def answered(quiz, wrong=0, right=0, finish=True):
    """Visitors answer the quiz's questions, `wrong` of them wrongly and `right` of them rightly,
    and finish their attempts (or leave them open)."""
    for n in range(wrong + right):
        attempt, _ = services.attempt_start(quiz=quiz, reader=Reader(visitor_key=f"visitor-{next(visitors)}"))
        for item in attempt.items.all():
            chosen = item.choice_ids - item.correct_ids if n < wrong else item.correct_ids
            services.answer_save(item=item, chosen_ids=chosen)
        if finish:
            services.attempt_finish(attempt=attempt)


def voted(quiz, no=0, yes=0):
    """Readers vote on the sections that the quiz's questions test."""
    for question in quiz.questions.all():
        for n in range(no + yes):
            HelpfulVote.objects.create(
                section=question.section, visitor_key=f"{next(visitors)}", helpful=n >= no
            )


def overdue(quiz, days):
    Article.objects.filter(sections__quiz_questions__quiz=quiz).update(
        review_due=TODAY - timedelta(days=days)
    )


def ranked():
    """(section question, score) of each row, in the page's order."""
    return [(row.section.question, round(row.score)) for row in section_health(today=TODAY)]


def question_of(quiz):
    return quiz.questions.get().section.question


def test_sections_rank_by_wrong_share_and_not_helpful_share_out_of_at_least_10_plus_25_if_overdue(make_quiz):
    """The worked example: many wrong answers rank above few; 1 wrong answer of 1 counts as 1 of 10,
    so it stays below 10 of 20; "not helpful" votes and an overdue review raise a section."""
    half_wrong = make_quiz(questions=1)
    answered(half_wrong, wrong=10, right=10)  # 10 of 20: 50
    one_wrong = make_quiz(questions=1)
    answered(one_wrong, wrong=1)  # 1 of 1, counted out of 10: 10
    few_wrong = make_quiz(questions=1)
    answered(few_wrong, wrong=4, right=16)  # 4 of 20: 20
    unhelpful = make_quiz(questions=1)
    answered(unhelpful, wrong=2, right=8)  # 2 of 10: 20
    voted(unhelpful, no=6, yes=4)  # + 6 of 10 not helpful: 60
    old = make_quiz(questions=1)
    answered(old, wrong=4, right=16)  # 4 of 20: 20
    overdue(old, days=12)  # + 25
    fine = make_quiz(questions=1)
    answered(fine, right=10)
    voted(fine, yes=3)
    make_quiz(questions=1)  # nothing to report
    assert ranked() == [
        (question_of(unhelpful), 80),
        (question_of(half_wrong), 50),
        (question_of(old), 45),
        (question_of(few_wrong), 20),
        (question_of(one_wrong), 10),
    ]
    first, *_ = section_health(today=TODAY)
    assert (first.questions, first.answers, first.wrong, first.wrong_percent) == (1, 10, 2, 20)
    assert (first.unhelpful_votes, first.votes, first.unhelpful_percent, first.overdue_days) == (
        6,
        10,
        60,
        None,
    )
    assert section_health(today=TODAY)[2].overdue_days == 12


def test_one_answer_all_wrong_does_not_outrank_20_at_half_wrong(make_quiz):
    one = make_quiz(questions=1)
    answered(one, wrong=1)
    twenty = make_quiz(questions=1)
    answered(twenty, wrong=10, right=10)
    assert ranked() == [(question_of(twenty), 50), (question_of(one), 10)]


def test_a_few_not_helpful_votes_count_out_of_10(make_quiz):
    quiz = make_quiz(questions=1)
    voted(quiz, no=3, yes=2)
    row = section_health(today=TODAY)[0]
    assert (row.unhelpful_votes, row.votes, row.unhelpful_percent, round(row.score)) == (3, 5, 60, 30)


def test_every_section_of_an_overdue_article_is_listed_even_without_answers_or_votes(make_quiz):
    quiz = make_quiz(questions=2)
    overdue(quiz, days=1)
    rows = section_health(today=TODAY)
    assert [(row.overdue_days, round(row.score)) for row in rows] == [(1, 25), (1, 25)]


def test_a_review_due_today_is_not_overdue(make_quiz):
    quiz = make_quiz(questions=1)
    overdue(quiz, days=0)
    assert section_health(today=TODAY) == []


def test_a_partly_right_answer_counts_as_wrong(make_quiz):
    quiz = make_quiz(questions=1, kinds=["multiple"])
    attempt, _ = services.attempt_start(quiz=quiz, reader=Reader(visitor_key="partly"))
    item = attempt.items.get()
    services.answer_save(item=item, chosen_ids=sorted(item.correct_ids)[:1])
    services.attempt_finish(attempt=attempt)
    row = section_health(today=TODAY)[0]
    assert (row.answers, row.wrong) == (1, 1)


def test_answers_in_open_attempts_dont_count(make_quiz):
    quiz = make_quiz(questions=1)
    answered(quiz, wrong=3, finish=False)
    assert section_health(today=TODAY) == []
    answered(quiz, wrong=1, right=1)
    row = section_health(today=TODAY)[0]
    assert (row.answers, row.wrong) == (2, 1)


def test_answers_in_reviews_of_mistakes_dont_count(make_quiz):
    quiz = make_quiz(questions=1)
    answered(quiz, wrong=1, right=1)
    first = Attempt.objects.filter(items__is_correct=False).get()
    review, _ = services.review_start(attempt=first, reader=Reader(visitor_key=first.visitor_key))
    services.answer_save(item=review.items.get(), chosen_ids=review.items.get().correct_ids)
    services.attempt_finish(attempt=review)
    row = section_health(today=TODAY)[0]
    assert (row.answers, row.wrong) == (2, 1)


def test_answers_to_archived_questions_dont_count(make_quiz):
    """An archived question has been dealt with; its wrong answers no longer flag its section."""
    quiz = make_quiz(questions=1)
    answered(quiz, wrong=5)
    quiz.questions.update(is_archived=True)
    assert section_health(today=TODAY) == []
    voted(quiz, no=1)
    row = section_health(today=TODAY)[0]
    assert (row.questions, row.answers, row.wrong, row.unhelpful_votes) == (0, 0, 0, 1)


def test_counts_of_two_questions_and_their_votes_dont_multiply(make_quiz):
    first = make_quiz(questions=1)
    second = make_quiz(questions=1)
    second.questions.update(section=first.questions.get().section)
    answered(first, wrong=2, right=1)
    answered(second, wrong=1)
    voted(first, no=2, yes=3)
    row = section_health(today=TODAY)[0]
    assert (row.questions, row.answers, row.wrong, row.votes, row.unhelpful_votes) == (2, 4, 3, 5, 2)


def test_the_query_count_does_not_grow_with_sections_answers_or_votes(make_quiz, django_assert_num_queries):
    small = make_quiz(questions=1)
    answered(small, wrong=1)
    with django_assert_num_queries(3):
        assert len(section_health(today=TODAY)) == 1
    for _ in range(4):
        quiz = make_quiz(questions=2)
        answered(quiz, wrong=2, right=3)
        voted(quiz, no=2)
        overdue(quiz, days=5)
    with django_assert_num_queries(3):
        assert len(section_health(today=TODAY)) == 9


# The page. Its address: QuizAdmin.get_urls wires quizzes.admin.health.health_view.


def health_url():
    return reverse("admin:quizzes_quiz_health")


def test_a_reader_is_sent_to_the_admin_log_in(client, reader):
    client.force_login(reader)
    response = client.get(health_url())
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_without_permission_to_change_sections_are_refused(client, django_user_model):
    viewer = django_user_model.objects.create_user("dora", password="x", is_staff=True)
    viewer.user_permissions.add(*Permission.objects.filter(codename__in=["view_quiz", "view_section"]))
    client.force_login(viewer)
    assert client.get(health_url()).status_code == 403


def test_editors_see_the_ranking_with_links_to_edit(client, editor, make_quiz):
    quiz = make_quiz(questions=1)
    answered(quiz, wrong=5, right=3)
    voted(quiz, no=3, yes=2)
    overdue(quiz, days=400)  # before today, whichever day the test runs
    section = quiz.questions.get().section
    client.force_login(editor)
    response = client.get(health_url())
    assert response.status_code == 200
    page = soup(response)
    assert "Score: the share of wrong quiz answers" in text(response)
    assert [th.get("scope") for th in page.select(".results thead th")] == ["col"] * 6
    row = page.select_one(".results tbody tr")
    assert row.th["scope"] == "row"
    words = row.get_text(" ", strip=True)
    assert section.question in words and section.article.title in words
    assert "62% of 8" in words and "3 of 5" in words and "overdue by" in words
    links = {a.get_text(strip=True): a["href"] for a in row.select("a")}
    assert links["Edit the article"] == f"/admin/articles/article/{section.article_id}/change/"
    assert links[section.question] == f"/admin/articles/section/{section.pk}/change/"
    assert links["Quiz questions"] == f"/admin/quizzes/question/?section__id__exact={section.pk}"
    questions = client.get(links["Quiz questions"])
    assert questions.status_code == 200 and quiz.questions.get().prompt in questions.content.decode()


def test_with_nothing_to_report_the_page_says_so(client, editor, make_quiz):
    answered(make_quiz(questions=1), right=2)
    client.force_login(editor)
    response = client.get(health_url())
    assert "Nothing needs attention" in text(response) and not soup(response).select(".results")

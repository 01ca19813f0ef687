"""axe-core (bundled by axe-playwright-python, so offline) on the site's main pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from articles.visitors import Reader
from tests.browser.test_journeys import QUIZ, answer_current_question

pytestmark = pytest.mark.django_db(transaction=True)

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def violations(page):
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    return [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
        for v in results.response["violations"]
    ]


def test_no_wcag_violations_on_the_main_pages(page, site):
    found = {}

    def check(name):
        problems = violations(page)
        if problems:
            found[name] = problems

    for name, path in [
        ("home", "/"),
        ("topic", "/topics/boundaries/"),
        ("article", "/articles/are-therapists-allowed-to-cry/"),
        ("article with sources", "/articles/boundaries-in-therapy/"),
        ("sources", "/sources/"),
        ("search", "/search/?q=gift"),
        ("search, misspelt", "/search/?q=therapsit+crying"),
        ("quiz list", "/quizzes/"),
        ("sign-up", "/accounts/signup/"),
        ("log-in", "/accounts/login/"),
        ("404", "/no/such/page/"),
    ]:
        page.goto(site + path)
        check(name)
    page.goto(f"{site}/quizzes/{QUIZ}/")
    page.get_by_role("button", name="Start the quiz").click()
    check("question")
    page.get_by_role("button", name="Save and continue").click()
    check("question with an error")
    for _ in range(8):
        answer_current_question(page)
    check("check your answers")
    page.get_by_role("button", name="Finish and see my results").click()
    check("results")
    page.goto(site + "/progress/")
    check("my progress")
    page.goto(f"{site}/quizzes/psychologist-psychiatrist-or-therapist/")
    check("learning quiz")
    page.get_by_role("button", name="Start the quiz").click()
    answer_current_question(page)
    check("learning feedback")
    assert found == {}


def test_no_wcag_violations_on_a_certificate(page, site, django_user_model):
    from quizzes.certificates import certificate_token
    from quizzes.models import Quiz
    from quizzes.services import answer_save, attempt_finish, attempt_start

    reader = django_user_model.objects.create_user("cert-reader", password="a-long-reader-password")
    attempt, _ = attempt_start(quiz=Quiz.objects.get(slug=QUIZ), reader=Reader(user=reader))
    for item in attempt.items.all():
        answer_save(item=item, chosen_ids=item.correct_ids)
    attempt = attempt_finish(attempt=attempt)
    page.goto(f"{site}/certificates/{certificate_token(attempt)}/")
    assert page.get_by_role("heading", level=1).text_content() == "Certificate of completion"
    assert violations(page) == []

"""The bounds on what an admin page builds and posts: every inline has one, a forged management
form can't make a page build more forms, and a quiz's page stays usable (and honest saves fit
Django's caps) at the largest quiz the page edits, and beyond it."""

import pytest
from django.conf import settings
from django.contrib import admin
from django.db import connection
from django.forms.forms import BaseForm
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from articles.formsets import BoundedFormSetMixin
from quizzes.admin.nested import QUESTIONS_PER_PAGE
from quizzes.models import MAX_CHOICES, Choice, Question, Quiz
from tests.pages import form_data, soup
from tests.quizzes.test_admin import question_form, quiz_page_form

pytestmark = pytest.mark.django_db


def big_quiz(questions, choices=4, **fields):
    """A draft quiz of `questions` one-answer questions of `choices` choices, written in bulk."""
    quiz = Quiz.objects.create(title=f"Big {questions}", slug=f"big-{questions}", **fields)
    made = Question.objects.bulk_create(
        Question(quiz=quiz, prompt=f"Question {n}?", explanation=f"Why {n}.", position=n)
        for n in range(1, questions + 1)
    )
    Choice.objects.bulk_create(
        Choice(
            question=q, text=f"Choice {c} of {q.position}", is_correct=c == 1, position=c, note=f"Note {c}."
        )
        for q in made
        for c in range(1, choices + 1)
    )
    return quiz


def _inlines(model_admin, request):
    """Every inline of an admin page, nested ones included (nested_admin's)."""
    pending = list(model_admin.get_inline_instances(request, None))
    while pending:
        inline = pending.pop()
        yield inline
        if hasattr(inline, "get_inline_instances") and getattr(inline, "inlines", None):
            pending += inline.get_inline_instances(request, None)


def test_every_inline_on_every_admin_page_builds_a_bounded_number_of_forms(django_user_model):
    request = RequestFactory().get("/admin/")
    request.user = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    seen = []
    for model_admin in admin.site._registry.values():
        for inline in _inlines(model_admin, request):
            formset = inline.get_formset(request, None)
            assert issubclass(formset, BoundedFormSetMixin), inline
            assert formset.absolute_max == inline.max_num <= 200, inline
            seen.append(inline.model.__name__)
    assert {"Section", "ShareLink", "Question", "Choice"} <= set(seen)


@pytest.fixture
def forms_built(monkeypatch):
    """How many forms (management forms included) the request built."""
    built = []
    original = BaseForm.__init__

    def counting(self, *args, **kwargs):
        built.append(type(self).__name__)
        original(self, *args, **kwargs)

    monkeypatch.setattr(BaseForm, "__init__", counting)
    return built


def test_a_forged_management_form_builds_no_more_forms_than_the_quiz_page_edits(
    client, editor, make_quiz, forms_built
):
    quiz = make_quiz(questions=2, status="draft")
    client.force_login(editor)
    url = f"/admin/quizzes/quiz/{quiz.pk}/change/"
    data = quiz_page_form(client, url)
    data |= {"questions-TOTAL_FORMS": "10000", "questions-INITIAL_FORMS": "1000000000000"}
    data |= {"questions-0-choices-TOTAL_FORMS": "10000", "questions-0-choices-INITIAL_FORMS": "10000000"}
    forms_built.clear()
    response = client.post(url, data)
    assert response.status_code == 200
    text = soup(response).get_text()
    assert f"Please submit at most {QUESTIONS_PER_PAGE} forms" in text
    assert f"Please submit at most {MAX_CHOICES} forms" in text
    # The quiz's form and its management forms, the questions' and at most their choices' forms
    # (twice: once to check, once to show them again with the errors).
    assert len(forms_built) <= 2 * (QUESTIONS_PER_PAGE * (2 + MAX_CHOICES) + 10)
    assert quiz.questions.count() == 2


def test_a_forged_management_form_on_the_question_page_is_refused(client, editor, forms_built):
    quiz = Quiz.objects.create(title="Q", slug="q")
    client.force_login(editor)
    data = question_form(quiz, [("A", True), ("B", False)])
    data |= {"choices-TOTAL_FORMS": "1000000", "choices-INITIAL_FORMS": "1000000000000"}
    forms_built.clear()
    response = client.post("/admin/quizzes/question/add/", data)
    assert response.status_code == 200
    assert f"Please submit at most {MAX_CHOICES} forms" in soup(response).get_text()
    assert len(forms_built) <= 2 * (MAX_CHOICES + 5)
    assert not Question.objects.exists()


def test_a_question_with_more_choices_than_the_page_holds_is_refused(client, editor):
    quiz = Quiz.objects.create(title="Q", slug="q")
    client.force_login(editor)
    choices = [("Right", True)] + [(f"Wrong {n}", False) for n in range(MAX_CHOICES)]
    response = client.post("/admin/quizzes/question/add/", question_form(quiz, choices))
    assert response.status_code == 200
    assert f"Please submit at most {MAX_CHOICES} forms" in soup(response).get_text()
    problems = Question.choice_problems("single", choices)
    assert problems == [f"A question can have at most {MAX_CHOICES} choices; this one has {len(choices)}."]


def test_a_quiz_at_the_bound_is_saved_from_its_page_within_djangos_caps(
    client, editor, pages_without_template_records
):
    quiz = big_quiz(QUESTIONS_PER_PAGE, choices=MAX_CHOICES)
    client.force_login(editor)
    url = f"/admin/quizzes/quiz/{quiz.pk}/change/"
    form = soup(client.get(url)).find("form", id="quiz_form")
    # Every field a save may send (each box ticked), but the topics' boxes and the blank forms
    # "Add another" copies.
    names = [
        field["name"]
        for field in form.find_all(["input", "select", "textarea"])
        if field.get("name") and "__prefix__" not in field["name"] and "-empty-" not in field["name"]
    ]
    assert len(names) > 8_000  # every question's and choice's fields are on the page
    assert len(names) + 500 < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS  # room for 500 topics
    data = {k: v for k, v in form_data(form).items() if "__prefix__" not in k and "-empty-" not in k}
    data["questions-99-choices-9-text"] = "Reworded at the end"
    response = client.post(url, data)
    assert response.status_code == 302, soup(response).select(".errorlist")
    assert Choice.objects.filter(text="Reworded at the end", question__position=100).exists()


def test_the_quiz_page_reads_the_same_at_its_bound(client, editor, pages_without_template_records):
    small, full = big_quiz(2), big_quiz(QUESTIONS_PER_PAGE)
    client.force_login(editor)
    client.get(f"/admin/quizzes/quiz/{small.pk}/change/")

    def queries(quiz):
        with CaptureQueriesContext(connection) as done:
            assert client.get(f"/admin/quizzes/quiz/{quiz.pk}/change/").status_code == 200
        return len(done)

    assert queries(small) == queries(full)


def test_a_quiz_with_more_questions_is_edited_a_question_at_a_time(client, editor):
    over, far_over = big_quiz(QUESTIONS_PER_PAGE + 1), big_quiz(2_000, choices=2)
    client.force_login(editor)
    client.get(f"/admin/quizzes/quiz/{over.pk}/change/")

    def page(quiz):
        with CaptureQueriesContext(connection) as done:
            response = client.get(f"/admin/quizzes/quiz/{quiz.pk}/change/")
        return soup(response), len(done)

    (over_page, over_queries), (far_page, far_queries) = page(over), page(far_over)
    assert over_queries == far_queries
    assert far_page.find(attrs={"name": "questions-TOTAL_FORMS"}) is None
    notice = far_page.find(id="questions-one-at-a-time")
    assert "This quiz has 2000 questions, more than the 100 this page edits at once" in notice.get_text(
        " ", strip=True
    )
    links = {a.get_text(): a["href"] for a in notice.find_all("a")}
    assert links["List this quiz's questions"] == f"/admin/quizzes/question/?quiz__id__exact={far_over.pk}"
    assert links["Add a question to this quiz"] == f"/admin/quizzes/question/add/?quiz={far_over.pk}"
    assert client.get(links["List this quiz's questions"]).status_code == 200

    # The page still saves the quiz itself, and leaves its questions alone.
    url = f"/admin/quizzes/quiz/{over.pk}/change/"
    data = form_data(over_page.find("form", id="quiz_form")) | {"title": "Renamed"}
    assert client.post(url, data).status_code == 302
    over.refresh_from_db()
    assert over.title == "Renamed" and over.questions.count() == QUESTIONS_PER_PAGE + 1

    # A question saved from its own page leads back to the quiz's list of questions.
    question = over.questions.first()
    page = soup(client.get(f"/admin/quizzes/question/{question.pk}/change/"))
    data = form_data(page.find("form", id="question_form"))
    data = {k: v for k, v in data.items() if "__prefix__" not in k and "-empty-" not in k}
    response = client.post(f"/admin/quizzes/question/{question.pk}/change/", data)
    assert response["Location"] == f"/admin/quizzes/question/?quiz__id__exact={over.pk}"


def test_rows_from_before_a_bound_are_shown_and_can_be_trimmed_to_it(client, editor):
    """A question given 12 choices before the bound of 10 (an earlier import): its pages show
    all 12, refuse to keep them in words, and save once two are deleted."""
    quiz = big_quiz(1, choices=MAX_CHOICES + 2)
    question = quiz.questions.get()
    client.force_login(editor)
    for url, prefix in [
        (f"/admin/quizzes/quiz/{quiz.pk}/change/", "questions-0-choices"),
        (f"/admin/quizzes/question/{question.pk}/change/", "choices"),
    ]:
        form_id = "quiz_form" if "/quiz/" in url else "question_form"
        page = soup(client.get(url))
        data = {k: v for k, v in form_data(page.find("form", id=form_id)).items() if "__prefix__" not in k}
        data = {k: v for k, v in data.items() if "-empty-" not in k}
        assert data[f"{prefix}-TOTAL_FORMS"] == [str(MAX_CHOICES + 2)]
        response = client.post(url, data)
        assert response.status_code == 200
        assert f"A question can have at most {MAX_CHOICES} choices; this one has 12." in soup(
            response
        ).get_text(" ")
    data[f"{prefix}-10-DELETE"] = "on"
    data[f"{prefix}-11-DELETE"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, soup(response).select(".errorlist")
    assert question.choices.count() == MAX_CHOICES


def test_a_page_drawn_before_the_quiz_outgrew_it_saves_nothing_and_says_so(
    client, editor, pages_without_template_records
):
    quiz = big_quiz(QUESTIONS_PER_PAGE)
    client.force_login(editor)
    url = f"/admin/quizzes/quiz/{quiz.pk}/change/"
    data = quiz_page_form(client, url, title="Renamed", **{"questions-0-prompt": "Reworded?"})
    Question.objects.create(quiz=quiz, prompt="Added by an import?")  # meanwhile, in another tab
    response = client.post(url, data, follow=True)
    assert "This quiz now has 101 questions, more than this page edits at once" in soup(response).get_text()
    quiz.refresh_from_db()
    assert quiz.title == f"Big {QUESTIONS_PER_PAGE}"
    assert not quiz.questions.filter(prompt="Reworded?").exists()

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from articles.visitors import Reader
from quizzes import services
from quizzes.models import Attempt, Choice, Question, Quiz
from tests.pages import form_data, soup
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


def quiz_page_form(client, url, **fields):
    """What the editor's browser posts from the quiz's page (add or change) as it stands, with
    `fields` changed (a value of None removes a field: an unticked box)."""
    page = soup(client.get(url))
    data = form_data(page.find("form", id="quiz_form"))
    data = {name: value for name, value in data.items() if "__prefix__" not in name and "-empty-" not in name}
    for name, value in fields.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def new_questions(*questions, sections=()):
    """Form fields for new questions on the quiz's page: each (prompt, kind, [(text, correct)])."""
    data = {"questions-TOTAL_FORMS": str(len(questions)), "questions-INITIAL_FORMS": "0"}
    for i, (prompt, kind, choices) in enumerate(questions):
        prefix = f"questions-{i}"
        data |= {
            f"{prefix}-prompt": prompt,
            f"{prefix}-kind": kind,
            f"{prefix}-explanation": f"Why: {prompt}",
            f"{prefix}-section": str(sections[i].pk) if i < len(sections) else "",
            f"{prefix}-position": str(i + 1),
            f"{prefix}-choices-TOTAL_FORMS": str(len(choices)),
            f"{prefix}-choices-INITIAL_FORMS": "0",
            f"{prefix}-choices-MIN_NUM_FORMS": "0",
            f"{prefix}-choices-MAX_NUM_FORMS": "1000",
        }
        for j, (text, correct) in enumerate(choices):
            data |= {f"{prefix}-choices-{j}-text": text, f"{prefix}-choices-{j}-position": str(j + 1)}
            data[f"{prefix}-choices-{j}-note"] = f"Note on {text}"
            if correct:
                data[f"{prefix}-choices-{j}-is_correct"] = "on"
    return data


def test_editor_writes_a_quiz_with_its_questions_and_choices_on_one_page(client, editor, make_article):
    article = make_article(sections=3)
    sections = list(article.sections.all())
    client.force_login(editor)
    data = quiz_page_form(client, "/admin/quizzes/quiz/add/", title="Crying quiz", slug="crying-quiz")
    data |= {"pace": "learning", "status": "published"}
    data |= new_questions(
        ("May a therapist cry?", "single", [("Yes, if the focus stays on you", True), ("Never", False)]),
        ("Which are red flags?", "multiple", [("Secrets", True), ("Dating", True), ("Notes", False)]),
        ("Tears are always wrong.", "true_false", [("True", False), ("False", True)]),
        sections=sections,
    )
    response = client.post("/admin/quizzes/quiz/add/", data)
    assert response.status_code == 302, soup(response).select(".errorlist")
    quiz = Quiz.objects.get()
    assert (quiz.status, quiz.pace) == ("published", "learning")
    questions = list(quiz.questions.all())
    assert [(q.prompt, q.kind, q.section) for q in questions] == [
        ("May a therapist cry?", "single", sections[0]),
        ("Which are red flags?", "multiple", sections[1]),
        ("Tears are always wrong.", "true_false", sections[2]),
    ]
    assert questions[0].explanation == "Why: May a therapist cry?"
    assert list(questions[1].choices.values_list("text", "is_correct", "note")) == [
        ("Secrets", True, "Note on Secrets"),
        ("Dating", True, "Note on Dating"),
        ("Notes", False, "Note on Notes"),
    ]

    # Later, on the same page: a choice reworded, a question removed; the page posts the rest as is.
    url = f"/admin/quizzes/quiz/{quiz.pk}/change/"
    data = quiz_page_form(
        client, url, **{"questions-0-choices-1-text": "Never, ever", "questions-2-DELETE": "on"}
    )
    assert client.post(url, data).status_code == 302
    assert list(quiz.questions.values_list("prompt", flat=True)) == [
        "May a therapist cry?",
        "Which are red flags?",
    ]
    assert Choice.objects.filter(text="Never, ever", question=questions[0]).exists()


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
def test_on_the_quiz_page_an_unfair_question_is_refused_next_to_it(client, editor, kind, choices, message):
    client.force_login(editor)
    data = quiz_page_form(client, "/admin/quizzes/quiz/add/", title="Q", slug="q")
    data |= new_questions(
        ("A fair one?", "single", [("Yes", True), ("No", False)]), ("Unfair?", kind, choices)
    )
    response = client.post("/admin/quizzes/quiz/add/", data)
    assert response.status_code == 200
    page = soup(response)
    assert message in page.find(id="questions-1").get_text()
    assert message not in page.find(id="questions-0").get_text()
    # What was typed is kept, and nothing is saved.
    assert page.find(id="id_questions-1-prompt").get_text().strip() == "Unfair?"
    assert not Quiz.objects.exists() and not Question.objects.exists()


def test_the_quiz_page_offers_no_flat_list_of_sections(client, editor, make_quiz, make_article):
    quiz = make_quiz(questions=2)
    for _ in range(5):
        make_article(sections=10)
    client.force_login(editor)
    page = soup(client.get(f"/admin/quizzes/quiz/{quiz.pk}/change/"))
    picker = page.find("select", id="id_questions-0-section")
    # A search box (Django's autocomplete) holding only the section chosen, labelled with its article.
    assert "admin-autocomplete" in picker["class"]
    section = quiz.questions.first().section
    assert [option.get_text() for option in picker.find_all("option") if option.get("value")] == [
        f"{section.question} — {section.article.title} (/{section.article.slug}/)"
    ]


def test_the_quiz_page_reads_the_same_however_many_questions_it_has(client, editor, make_quiz):
    small, large = make_quiz(questions=2), make_quiz(questions=12)
    client.force_login(editor)
    client.get(f"/admin/quizzes/quiz/{small.pk}/change/")  # Django's content types, read once

    def page_queries(quiz):
        with CaptureQueriesContext(connection) as queries:
            page = soup(client.get(f"/admin/quizzes/quiz/{quiz.pk}/change/"))
        return page, len(queries)

    (_, small_count), (page, large_count) = page_queries(small), page_queries(large)
    assert small_count == large_count
    # and each question still shows its own section and its own choices, in order
    for i, question in enumerate(large.questions.order_by("position")):
        picked = page.find("select", id=f"id_questions-{i}-section").find("option", selected=True)
        assert picked["value"] == str(question.section_id)
        assert picked.get_text() == f"{question.section.question} — {question.section.article.title} " + (
            f"(/{question.section.article.slug}/)"
        )
        texts = [page.find(id=f"id_questions-{i}-choices-{j}-text")["value"] for j in range(2)]
        assert texts == [choice.text for choice in question.choices.all()[:2]]


def section_search(client, term, **extra):
    params = {"term": term, "app_label": "quizzes", "model_name": "question", "field_name": "section"}
    return client.get("/admin/quizzes/quiz/sections/search/", params | extra)


def test_the_section_search_names_each_sections_article_and_can_put_one_article_first(
    client, editor, make_article
):
    first = make_article(sections=2, title="Zebra article")
    second = make_article(sections=2, title="Aardvark article")
    for article in (first, second):
        article.sections.update(question=models.functions.Concat(models.Value("Crying "), "question"))
    client.force_login(editor)
    results = section_search(client, "crying").json()["results"]
    assert [r["text"].split(" — ")[1] for r in results] == [
        f"Aardvark article (/{second.slug}/)",
        f"Aardvark article (/{second.slug}/)",
        f"Zebra article (/{first.slug}/)",
        f"Zebra article (/{first.slug}/)",
    ]
    results = section_search(client, "crying", first_from=first.pk).json()["results"]
    assert [r["text"].split(" — ")[1].split(" (")[0] for r in results] == ["Zebra article"] * 2 + [
        "Aardvark article"
    ] * 2
    # Articles' title words find their sections too.
    assert len(section_search(client, "aardvark").json()["results"]) == 2


def test_readers_cant_search_sections(client, reader, make_article):
    make_article(sections=1)
    client.force_login(reader)
    response = section_search(client, "question")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_section_search_answers_only_for_sections_and_only_to_who_may_see_them(
    client, editor, django_user_model, make_article
):
    from django.contrib.auth.models import Permission

    make_article(sections=2, status="draft")
    quiz_viewer = django_user_model.objects.create_user("vic", password="x", is_staff=True)
    quiz_viewer.user_permissions.add(Permission.objects.get(codename="view_quiz"))
    client.force_login(quiz_viewer)
    # Django's own check is on the model the request names: here, the quiz a question points at.
    assert section_search(client, "", field_name="quiz").status_code == 403
    assert section_search(client, "").status_code == 403
    client.force_login(editor)
    assert section_search(client, "", field_name="quiz").status_code == 403
    assert len(section_search(client, "").json()["results"]) == 2
    # A value that only looks like a number is ignored, not a server error.
    assert section_search(client, "", first_from="²").status_code == 200
    assert client.get("/admin/quizzes/quiz/add/?source_article=²").status_code == 200


def test_make_a_quiz_from_an_article(client, editor, make_article):
    from articles.models import Topic

    article = make_article(sections=2, title="Are therapists allowed to cry?")
    article.topics.add(Topic.objects.create(name="Feelings", slug="feelings"))
    client.force_login(editor)
    page = soup(client.get(f"/admin/articles/article/{article.pk}/change/"))
    link = page.find("a", string="Make a quiz from this article")
    assert link["href"] == f"/admin/quizzes/quiz/add/?source_article={article.pk}"
    page = soup(client.get(link["href"]))
    assert page.find(id="id_title")["value"] == "Quiz: Are therapists allowed to cry?"
    assert [box["value"] for box in page.select("input[name=topics][checked]")] == [
        str(article.topics.get().pk)
    ]
    # New questions' section pickers offer this article's sections first.
    picker = page.find("select", id="id_questions-__prefix__-section")
    assert picker["data-ajax--url"] == f"/admin/quizzes/quiz/sections/search/?first_from={article.pk}"
    data = quiz_page_form(client, link["href"], slug="crying-quiz")
    assert client.post(link["href"], data).status_code == 302
    quiz = Quiz.objects.get()
    assert (quiz.source_article, quiz.status) == (article, "draft")
    assert list(quiz.topics.all()) == list(article.topics.all())
    page = soup(client.get(f"/admin/quizzes/quiz/{quiz.pk}/change/"))
    picker = page.find("select", id="id_questions-__prefix__-section")
    assert picker["data-ajax--url"].endswith(f"?first_from={article.pk}")


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
    url = f"/admin/quizzes/quiz/{quiz.pk}/change/"
    response = client.post(url, quiz_page_form(client, url, status="published"))
    assert response.status_code == 200
    assert "A quiz with no questions can't be published" in soup(response).get_text()
    client.post("/admin/quizzes/quiz/", {"action": "publish", "_selected_action": [quiz.pk]})
    quiz.refresh_from_db()
    assert quiz.status == "draft"


def test_a_question_with_answers_cant_be_deleted(client, editor, reader, make_quiz):
    quiz = make_quiz(questions=1)
    services.attempt_start(quiz=quiz, reader=Reader(user=reader))
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
    services.attempt_start(quiz=quiz, reader=Reader(user=carol))
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

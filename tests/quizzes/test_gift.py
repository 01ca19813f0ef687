"""Moodle GIFT files: import (command and admin), export, and the round trip between them."""

from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.management import CommandError, ManagementUtility, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from quizzes import gift
from quizzes.interchange import ParsedChoice, ParsedQuestion, quizzes_import_questions
from quizzes.models import Choice, Question, Quiz
from quizzes.services import QuizError
from tests.pages import browser_post, form_data, soup, text

EXAMPLES = Path(__file__).parent / "samples" / "moodle_gift_examples.txt"
NOT_ASKED = "(this site asks multiple-choice and true-or-false questions only)"


def import_file(path, *args):
    out = []
    call_command("import_questions", str(path), *args, stdout=_Lines(out))
    return "".join(out)


class _Lines:
    def __init__(self, out):
        self.out = out

    def write(self, text):
        self.out.append(text)

    def flush(self):
        pass


def questions_of(quiz):
    """Each question as (prompt, kind, explanation, section, keep order, [(text, correct, note), ...])."""
    return [
        (
            q.prompt,
            q.kind,
            q.explanation,
            q.section,
            q.keep_order,
            list(q.choices.values_list("text", "is_correct", "note")),
        )
        for q in quiz.questions.all()
    ]


# Moodle's own examples


@pytest.mark.django_db
def test_moodles_examples_add_the_questions_this_site_asks_and_list_the_rest():
    output = import_file(EXAMPLES, "--quiz", "moodle-examples")
    quiz = Quiz.objects.get(slug="moodle-examples")
    assert (quiz.title, quiz.status) == ("Moodle examples", "draft")
    kinds = list(quiz.questions.values_list("kind", flat=True))
    assert (kinds.count("single"), kinds.count("multiple"), kinds.count("true_false")) == (7, 2, 5)
    assert output.splitlines()[0] == (
        "Added 14 questions: 7 one-answer, 2 several-answer, 5 true-or-false. Skipped 29:"
    )
    # The true-or-false question with feedback: Moodle shows it to those who answered wrongly (True).
    grant = quiz.questions.get(prompt="Grant is buried in Grant's tomb.", choices__note__startswith="No one")
    assert list(grant.choices.values_list("text", "is_correct", "note")) == [
        ("True", False, "No one is buried in Grant's tomb."),
        ("False", True, ""),
    ]
    sun = quiz.questions.get(prompt="The sun rises in the east.")
    assert (sun.kind, list(sun.choices.values_list("text", "is_correct"))) == (
        "true_false",
        [("True", True), ("False", False)],
    )
    # Several answers: the positive weights are the right ones, whatever the wrong ones weigh.
    entombed = quiz.questions.filter(prompt="What two people are entombed in Grant's tomb?")
    assert [q.kind for q in entombed] == ["multiple", "multiple"]
    for question in entombed:
        assert list(question.choices.values_list("text", "is_correct")) == [
            ("No one", False),
            ("Grant", True),
            ("Grant's wife", True),
            ("Grant's father", False),
        ]
    # Only the first gives wrong answers 0 %, not this site's −50 %.
    assert (
        "  line 131: part marks follow this site's rule (each right answer 50 %, each wrong one −50 %)"
        in (output.splitlines())
    )
    assert "line 137:" not in output
    # Escaped control characters are the characters themselves; "\\" is one backslash.
    control = quiz.questions.get(prompt__startswith="Which of the following is NOT a control character")
    choices = list(control.choices.values_list("text", "is_correct", "note"))
    assert [text for text, _, _ in choices] == ["~", "=", "#", "{", "}", "\\"]
    assert [correct for _, correct, _ in choices] == [False] * 5 + [True]
    assert choices[0][2] == "~ is a control character."
    assert choices[5][2] == (
        "Correct! \\ (backslash) is not a control character. BUT,\nit is used to escape the control "
        "characters. So, to specify\na literal backslash, you must escape it with a backslash\n"
        "(as shown in this example)."
    )
    equals = quiz.questions.get(prompt="Which answer equals 5?")
    assert list(equals.choices.values_list("text", "is_correct")) == [
        ("= 2 + 2", False),
        ("= 2 + 3", True),
        ("= 2 + 4", False),
    ]
    feedback = quiz.questions.get(prompt="What's the answer to this multiple-choice question?")
    assert list(feedback.choices.values_list("note", flat=True)) == [
        "feedback comment on the wrong answer",
        "feedback comment on this wrong answer",
        "Very good!",
    ]
    # Lines 1-8 of the fixture: a comment line added at its top, Moodle's header, the first question.
    assert quiz.questions.first().prompt == "Who's buried in Grant's tomb?"
    for line in [
        "  line 11: missing word: text follows the answers, so they fill a blank in the sentence",
        f"  line 15: short answer {NOT_ASKED}",
        f"  line 17: numerical answer {NOT_ASKED}",
        f"  line 56: matching {NOT_ASKED}",
        f"  line 62: matching {NOT_ASKED}",
        f"  line 91: short answer {NOT_ASKED}",
        f"  line 109: short answer {NOT_ASKED}",
        "  line 116: part marks for a wrong choice in a one-answer question (this site has no part marks "
        "on one-answer questions)",
        "  line 118: missing word: text follows the answers",
        f"  line 203: numerical answer {NOT_ASKED}",
    ]:
        assert any(output_line.startswith(line) for output_line in output.splitlines()), line


def test_the_examples_skipped_lines_are_the_files_lines():
    bank = gift.parse(EXAMPLES.read_text(encoding="utf-8"))
    lines = EXAMPLES.read_text(encoding="utf-8").splitlines()
    skipped = dict(bank.skipped)
    assert len(bank.questions) == 14 and len(skipped) == 29
    assert lines[11 - 1] == "Grant is {~buried =entombed ~living} in Grant's tomb."
    assert skipped[11].startswith("missing word")
    assert lines[15 - 1] == "Who's buried in Grant's tomb?{=no one =nobody}"
    assert skipped[15] == f"short answer {NOT_ASKED}"
    assert lines[56 - 1] == "Matching Question. {"
    # The question's line, not its comment's: the question after "// Subheading" is on line 86.
    assert lines[86 - 1] == "What's 2 plus 2? {#4}"
    assert skipped[86] == f"numerical answer {NOT_ASKED}"


@pytest.mark.django_db
def test_strict_refuses_moodles_examples_and_writes_nothing():
    with pytest.raises(CommandError) as refused:
        import_file(EXAMPLES, "--quiz", "moodle-examples", "--strict")
    message = str(refused.value)
    assert "\n" not in message
    assert message == (
        f"{EXAMPLES}: Line 11: missing word: text follows the answers, so they fill a blank in the sentence "
        "(this site asks a question, then its choices: put the answers at the end to import it). Nothing "
        "was imported: strict refuses a file with a skipped question."
    )
    assert not Quiz.objects.exists() and not Question.objects.exists()


# Refusals


BROKEN = """// A quiz file with a mistake

Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}

Grant is buried in Grant's tomb.{FALSE
"""


@pytest.mark.django_db
def test_a_syntax_error_refuses_the_file_with_its_line_and_exit_status(
    tmp_path, make_quiz, capsys, monkeypatch
):
    quiz = make_quiz(questions=2)
    # A command run from the command line closes the database connections as it ends: here that
    # would close the test's own (its transaction holds the data above).
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    path = tmp_path / "broken.gift.txt"
    path.write_text(BROKEN, encoding="utf-8")
    before = (Question.objects.count(), Choice.objects.count(), Quiz.objects.count())
    with pytest.raises(SystemExit) as exit:
        ManagementUtility(["manage.py", "import_questions", str(path), "--quiz", quiz.slug]).execute()
    assert exit.value.code != 0
    assert capsys.readouterr().err.strip().splitlines() == [
        f"CommandError: {path}: Line 5: a “{{” has no closing “}}”."
    ]
    assert (Question.objects.count(), Choice.objects.count(), Quiz.objects.count()) == before
    # Into a quiz that does not exist yet: none is made.
    with pytest.raises(CommandError):
        import_file(path, "--quiz", "new-quiz")
    assert not Quiz.objects.filter(slug="new-quiz").exists()


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("Question?{~a =b", "Line 1: a “{” has no closing “}”."),
        ("Question?\n~a =b}", "Line 2: a “}” has no opening “{”."),
        ("Question?\n} {~a =b}", "Line 2: a “}” has no opening “{”."),
        ("Question?{~a =b}\n~c}", "Line 2: a “}” has no opening “{”."),
        ("Question?{~a\n{=b}", "Line 2: a “{” inside the answers that open on line 1"),
        ("Q1?{~a =b}\nQ2?{~c =d}", "Line 2: a second “{” in one question"),
        ("// fine\n\n\nQuestion?{~a =b}\n\n\n// x\nQuestion?{~a\n=b\n~c", "Line 8: a “{” has no closing"),
    ],
)
def test_a_brace_without_its_partner_is_a_syntax_error(source, message):
    with pytest.raises(gift.GiftSyntaxError) as error:
        gift.parse(source)
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_true_or_false_is_read_in_capitals_only_as_moodle_reads_it():
    bank = gift.parse("Tears are allowed.{T}\n\nTears are allowed.{true}")
    assert [q.kind for q in bank.questions] == ["true_false"]
    assert bank.skipped == [(3, f"short answer {NOT_ASKED}")]


def test_escaped_braces_are_text():
    bank = gift.parse("What is \\{x\\}?{=a set ~a tuple}")
    assert bank.questions[0].prompt == "What is {x}?"


@pytest.mark.django_db
def test_an_unreadable_file_is_one_line(tmp_path):
    with pytest.raises(CommandError) as missing:
        import_file(tmp_path / "missing.txt", "--quiz", "q")
    assert str(missing.value) == f"Can't read {tmp_path / 'missing.txt'}: No such file or directory."
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\xe9?{=yes ~no}".encode("latin-1"))
    with pytest.raises(CommandError) as wrong:
        import_file(latin, "--quiz", "q")
    assert "is not UTF-8 text" in str(wrong.value) and "\n" not in str(wrong.value)
    assert not Quiz.objects.exists()


# Formats, weights, sections


def test_formats_give_plain_prompts_and_choices_and_a_markdown_explanation():
    bank = gift.parse(
        "[html]<p>Is <b>this</b> right?</p>{\n=[markdown]**Yes**#[html]<i>Good</i>\n~No"
        "####[html]<p>Because <script>x()</script><em>so</em>.</p>}\n\n"
        "[markdown]Is *this* right?{T####Read **this**.}"
    )
    first, second = bank.questions
    assert first.prompt == "Is this right?"
    assert [(c.text, c.note) for c in first.choices] == [("Yes", "Good"), ("No", "")]
    assert first.explanation == "<p>Because <em>so</em>.</p>"
    assert (second.prompt, second.kind, second.explanation) == (
        "Is this right?",
        "true_false",
        "Read **this**.",
    )


def test_one_answer_questions_with_part_marks_are_skipped():
    bank = gift.parse("A?{=a =b ~c}\n\nB?{=a ~%-50%b ~c}\n\nC?{=a ~%100%b}\n\nD?{~%100%a ~b}")
    assert [line for line, _ in bank.skipped] == [1, 3, 5]
    assert bank.skipped[0][1].startswith("2 right answers in a one-answer question")
    assert bank.skipped[1][1].startswith("marks taken away for a wrong choice")
    assert bank.skipped[2][1].startswith("2 right answers in a one-answer question")
    # No "=": several answers, even with one right one.
    assert [(q.kind, [c.is_correct for c in q.choices]) for q in bank.questions] == [
        ("multiple", [True, False])
    ]
    assert bank.notes == [
        (7, "part marks follow this site's rule (each right answer 100 %, each wrong one −100 %)")
    ]


def test_several_answers_without_a_right_one_are_skipped_with_the_sites_reason():
    bank = gift.parse("Which?{~a ~%-50%b ~c}")
    assert bank.skipped == [(1, "a question with several answers needs at least one correct choice")]


def test_too_long_texts_are_skipped():
    bank = gift.parse(f"{'x' * 501}?{{=a ~b}}\n\nQ?{{={'y' * 301} ~b}}\n\nR?{{={'z' * 300} ~b}}")
    assert bank.skipped == [
        (1, "the question is 502 characters long; this site allows 500"),
        (3, "a choice is 301 characters long; this site allows 300"),
    ]
    assert len(bank.questions) == 1


def test_the_limits_on_length_are_the_model_fields_own(monkeypatch):
    """The import reads a question's and a choice's limits from the fields' max_length when it
    runs, so a field made shorter is followed (no second copy of 500 and 300 to change)."""
    monkeypatch.setattr(Question._meta.get_field("prompt"), "max_length", 20)
    monkeypatch.setattr(Choice._meta.get_field("text"), "max_length", 5)
    bank = gift.parse("A question of more than twenty?{=a ~b}\n\nShort?{=righty ~b}\n\nFine?{=a ~b}")
    assert bank.skipped == [
        (1, "the question is 31 characters long; this site allows 20"),
        (3, "a choice is 6 characters long; this site allows 5"),
    ]
    assert [question.prompt for question in bank.questions] == ["Fine?"]


def test_categories_are_noted_and_ignored():
    bank = gift.parse("$CATEGORY: $course$/Ethics\n\nQ?{=a ~b}")
    assert bank.notes == [(1, "category “$course$/Ethics” ignored: the questions go into this quiz")]
    assert len(bank.questions) == 1


@pytest.mark.django_db
def test_a_section_comment_links_the_question_and_a_missing_one_is_noted(make_article):
    article = make_article(sections=1)
    section = article.sections.get()
    source = (
        f"// section: {article.slug}#{section.anchor}\nLinked?{{=a ~b}}\n\n"
        "Not linked?{=a ~b}\n\n// section: no-such-article#nowhere\nGone?{=a ~b}"
    )
    report = quizzes_import_questions(bank=gift.parse(source), quiz_slug="linked")
    assert [q.section for q in report.quiz.questions.all()] == [section, None, None]
    assert report.notes == [(7, "no section no-such-article#nowhere; imported without a link")]
    assert str(report).splitlines() == [
        "Added 3 questions: 3 one-answer.",
        "Notes:",
        "  line 7: no section no-such-article#nowhere; imported without a link",
        "Made the quiz “Linked” (linked) for them, as a draft.",
    ]


@pytest.mark.django_db
def test_imported_questions_go_after_the_quizs_own(make_quiz):
    quiz = make_quiz(questions=2)
    quizzes_import_questions(bank=gift.parse("Third?{=a ~b}\n\nFourth?{T}"), quiz=quiz)
    assert list(quiz.questions.values_list("prompt", "position")) == [
        (f"{quiz.title} question 1?", 1),
        (f"{quiz.title} question 2?", 2),
        ("Third?", 3),
        ("Fourth?", 4),
    ]


@pytest.mark.django_db
def test_the_import_takes_as_many_queries_with_six_choices_as_with_two():
    def queries(choices):
        source = "\n\n".join(
            f"Q{n}?{{=right {' '.join(f'~wrong{i}' for i in range(choices - 1))}}}" for n in range(3)
        )
        with CaptureQueriesContext(connection) as captured:
            quizzes_import_questions(bank=gift.parse(source), quiz_slug=f"quiz-{choices}")
        return len(captured)

    assert queries(2) == queries(6)


@pytest.mark.django_db
def test_a_file_with_nothing_to_add_is_refused():
    with pytest.raises(QuizError, match="no question this site can ask"):
        quizzes_import_questions(bank=gift.parse("Two plus two?{=four}"), quiz_slug="empty")
    assert not Quiz.objects.exists()


# Round trips


CHARS = list("abcXYZ 09.,'?!*_<>&\"é“”—") + list("~=#{}:\\\n[]%/-")
texts = st.text(alphabet=st.sampled_from(CHARS), min_size=1, max_size=30).map(str.strip).filter(bool)
maybe = st.one_of(st.just(""), texts)
sections = st.one_of(
    st.just(""), st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8})?#[a-z0-9-]{1,12}", fullmatch=True)
)


@st.composite
def questions(draw):
    kind = draw(st.sampled_from(["single", "multiple", "true_false"]))
    if kind == "true_false":
        true = draw(st.booleans())
        choices = [("True", true, draw(maybe)), ("False", not true, draw(maybe))]
    else:
        count = draw(st.integers(2, 6))
        texts_ = draw(st.lists(texts, min_size=count, max_size=count))
        if kind == "single":
            right = draw(st.integers(0, count - 1))
            correct = [n == right for n in range(count)]
        else:
            correct = draw(st.lists(st.booleans(), min_size=count, max_size=count).filter(any))
        choices = [(text, ok, draw(maybe)) for text, ok in zip(texts_, correct, strict=True)]
    return ParsedQuestion(
        prompt=draw(texts),
        kind=kind,
        choices=[ParsedChoice(*choice) for choice in choices],
        explanation=draw(maybe),
        section=draw(sections),
        keep_order=kind != "true_false" and draw(st.booleans()),
    )


def comparable(question):
    return (
        question.prompt,
        question.kind,
        question.explanation,
        question.section,
        question.keep_order,
        [(c.text, c.is_correct, c.note) for c in question.choices],
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(questions(), min_size=1, max_size=5))
def test_what_write_writes_parse_reads_back_the_same(written):
    bank = gift.parse(gift.write(written))
    assert (bank.skipped, bank.notes) == ([], [])
    assert [comparable(q) for q in bank.questions] == [comparable(q) for q in written]


def test_several_answer_weights_are_written_as_moodle_writes_them():
    question = ParsedQuestion(
        prompt="Which?",
        kind="multiple",
        choices=[ParsedChoice(t, ok) for t, ok in [("a", True), ("b", True), ("c", True), ("d", False)]],
    )
    assert gift.write([question]).splitlines()[1:] == [
        "\t~%33.33333%a",
        "\t~%33.33333%b",
        "\t~%33.33333%c",
        "\t~%-100%d",
        "}",
    ]


def test_true_or_false_is_written_with_moodles_wrong_then_right_feedback():
    question = ParsedQuestion(
        prompt="Tears are a breach: ethics?",
        kind="true_false",
        choices=[
            ParsedChoice("True", False, "No code says so."),
            ParsedChoice("False", True, "Right."),
        ],
        explanation="See **the codes**.",
        section="crying#codes",
    )
    assert gift.write([question]) == (
        "// section: crying#codes\n"
        "::Tears are a breach\\: ethics?::[plain]Tears are a breach\\: ethics?"
        "{FALSE#No code says so.#Right.####[markdown]See **the codes**.}\n"
    )


@pytest.mark.django_db
def test_export_then_import_into_a_new_quiz_gives_the_same_questions(make_quiz, capsys, tmp_path):
    quiz = make_quiz(questions=3, kinds=["single", "multiple", "true_false"])
    first = quiz.questions.first()
    first.prompt = "Is {this} = that? A ~tilde, a #hash,\na new line and a \\ backslash: all kept."
    first.explanation = "Markdown *kept*:\n\n- one\n- two"
    first.keep_order = True
    first.save()
    first.choices.filter(is_correct=False).update(note="Wrong: see #2 {below}.")
    archived = Question.objects.create(quiz=quiz, prompt="Archived?", kind="single", is_archived=True)
    Choice.objects.create(question=archived, text="Yes", is_correct=True)
    Choice.objects.create(question=archived, text="No")

    call_command("export_questions", quiz.slug)
    exported = capsys.readouterr().out
    path = tmp_path / "export.gift.txt"
    path.write_text(exported, encoding="utf-8")
    output = import_file(path, "--quiz", "copy")

    copy = Quiz.objects.get(slug="copy")
    assert output.splitlines()[0] == "Added 3 questions: 1 one-answer, 1 several-answer, 1 true-or-false."
    assert questions_of(copy) == questions_of(quiz)[:3]
    assert "Archived?" not in exported


@pytest.mark.django_db
def test_exporting_an_unknown_quiz_is_refused():
    with pytest.raises(CommandError, match="No quiz has the address “nope”."):
        call_command("export_questions", "nope")


# The admin pages


def viewer(django_user_model):
    user = django_user_model.objects.create_user("dora", "dora@example.org", "dora-password", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename="view_quiz"))
    return user


def review_data(response):
    """What the review page's form posts (the file's text, kept in a hidden field)."""
    return form_data(soup(response).find("textarea", attrs={"name": "text"}).find_parent("form"))


PASTED = """// section: {address}
Who may end a therapy?{{=Either of you#Right.~Only the therapist}}

Two plus two?{{=four}}

Therapists may cry.{{T####Codes allow it.}}
"""


@pytest.mark.django_db
def test_editor_reviews_then_adds_the_questions_of_a_pasted_file(client, editor, make_quiz):
    quiz = make_quiz(questions=1)
    section = quiz.questions.get().section
    source = PASTED.format(address=f"{section.article.slug}#{section.anchor}")
    client.force_login(editor)
    url = f"/admin/quizzes/quiz/{quiz.pk}/import/"
    assert client.get(url).status_code == 200

    review = client.post(url, {"text": source})
    assert review.status_code == 200
    words = text(review)
    assert "Who may end a therapy?" in words and "Therapists may cry." in words
    assert f"Line 4: short answer {NOT_ASKED}" in words
    assert quiz.questions.count() == 1  # Nothing saved yet.

    data = review_data(review) | {"save": "Add 2 questions"}
    assert data["text"] == [source]
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == f"/admin/quizzes/quiz/{quiz.pk}/change/"
    added = list(quiz.questions.all())[1:]
    assert [(q.prompt, q.kind, q.section) for q in added] == [
        ("Who may end a therapy?", "single", section),
        ("Therapists may cry.", "true_false", None),
    ]
    assert added[1].explanation == "Codes allow it."
    assert LogEntry.objects.get(object_id=str(quiz.pk)).change_message == (
        "Added 2 questions: 1 one-answer, 1 true-or-false. Skipped 1. (from a GIFT file)"
    )
    page = text(client.get(response["Location"]))
    assert "Added 2 questions: 1 one-answer, 1 true-or-false. Skipped 1." in page
    # The same review sent again (a double click, Back and save): refused, nothing added twice.
    again = client.post(url, data)
    assert again.status_code == 200
    assert "The quiz has changed since this file was read" in text(again)
    assert quiz.questions.count() == 3


@pytest.mark.django_db
def test_an_uploaded_file_is_reviewed_with_its_line_numbers(client, editor, make_quiz):
    quiz = make_quiz(questions=1)
    client.force_login(editor)
    with EXAMPLES.open("rb") as upload:
        review = client.post(f"/admin/quizzes/quiz/{quiz.pk}/import/", {"file": upload})
    words = text(review)
    assert soup(review).find("input", attrs={"name": "save"})["value"] == "Add 14 questions"
    assert "14 questions to add" in words
    assert f"Line 15: short answer {NOT_ASKED}" in words
    assert "Line 131: part marks follow this site's rule" in words


@pytest.mark.django_db
def test_a_syntax_error_is_shown_on_the_form_and_nothing_saved(client, editor, make_quiz):
    quiz = make_quiz(questions=1)
    client.force_login(editor)
    response = client.post(f"/admin/quizzes/quiz/{quiz.pk}/import/", {"text": BROKEN})
    assert "Line 5: a “{” has no closing “}”." in text(response)
    assert quiz.questions.count() == 1


@pytest.mark.django_db
def test_a_refused_save_stays_on_the_review_page_with_the_text_kept(client, editor, make_quiz):
    quiz = make_quiz(questions=1)
    client.force_login(editor)
    source = "Two plus two?{=four}"
    url = f"/admin/quizzes/quiz/{quiz.pk}/import/"
    response = client.post(url, review_data(client.post(url, {"text": source})) | {"save": "Add"})
    assert response.status_code == 200
    assert "no question this site can ask" in text(response)
    assert review_data(response)["text"] == [source]
    assert quiz.questions.count() == 1


@pytest.mark.django_db
def test_without_change_permission_the_import_is_forbidden(client, django_user_model, make_quiz):
    quiz = make_quiz(questions=1)
    dora = viewer(django_user_model)
    client.force_login(dora)
    url = f"/admin/quizzes/quiz/{quiz.pk}/import/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"text": "Q?{=a ~b}", "save": "Add 1 question"}).status_code == 403
    assert quiz.questions.count() == 1
    # Changing quizzes is not enough without adding questions and choices, as on the quiz's page.
    changer = django_user_model.objects.create_user("cleo", password="x", is_staff=True)
    changer.user_permissions.add(*Permission.objects.filter(codename__in=["view_quiz", "change_quiz"]))
    client.force_login(changer)
    assert client.post(url, {"text": "Q?{=a ~b}", "save": "Add 1 question"}).status_code == 403
    assert quiz.questions.count() == 1
    client.force_login(dora)
    # Viewing is enough to download.
    assert client.get(f"/admin/quizzes/quiz/{quiz.pk}/export/").status_code == 200


@pytest.mark.django_db
def test_a_review_posted_to_another_quizs_address_adds_nothing(client, editor, make_quiz):
    reviewed, other = make_quiz(questions=1), make_quiz(questions=1)
    client.force_login(editor)
    review = client.post(f"/admin/quizzes/quiz/{reviewed.pk}/import/", {"text": "Q?{=a ~b}"})
    data = review_data(review) | {
        "save": "Add 1 question",
        "quiz": reviewed.pk,
    }
    # The review was of another quiz: refused, and nothing added to either.
    refused = client.post(f"/admin/quizzes/quiz/{other.pk}/import/", data)
    assert "The quiz has changed since this file was read" in text(refused)
    assert (reviewed.questions.count(), other.questions.count()) == (1, 1)
    assert client.post("/admin/quizzes/quiz/999999/import/", data).status_code == 404


@pytest.mark.django_db
def test_the_export_downloads_the_quiz_as_a_gift_file(client, editor, make_quiz):
    quiz = make_quiz(questions=2, kinds=["single", "true_false"])
    client.force_login(editor)
    response = client.get(f"/admin/quizzes/quiz/{quiz.pk}/export/")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{quiz.slug}.gift.txt"'
    content = response.content.decode()
    section = quiz.questions.first().section
    assert f"// section: {section.article.slug}#{section.anchor}\n" in content
    bank = gift.parse(content)
    assert [(q.prompt, q.kind) for q in bank.questions] == list(quiz.questions.values_list("prompt", "kind"))
    assert client.get("/admin/quizzes/quiz/999999/export/").status_code == 404


@pytest.mark.django_db
def test_a_gift_upload_over_the_size_the_review_can_send_back_is_refused(client, editor, make_quiz):
    from django.core.files.uploadedfile import SimpleUploadedFile

    quiz = make_quiz(questions=1)
    client.force_login(editor)
    big = SimpleUploadedFile("big.gift.txt", b"Q?{=a ~b}\n\n" * 100_000)
    response = client.post(f"/admin/quizzes/quiz/{quiz.pk}/import/", {"file": big})
    assert "This file is 1.1 MB; an import reads up to 1 MB at a time" in text(response)
    assert quiz.questions.count() == 1


def cyrillic_gift(questions, words):
    """A GIFT file of `questions` Cyrillic questions, each explained in about `words` words."""
    explanation = " ".join(["объяснение"] * words)
    return "".join(
        f"Вопрос номер {n}: может ли психотерапевт плакать?{{=Да ~Нет ####{explanation}}}\n\n"
        for n in range(questions)
    )


@pytest.mark.django_db
def test_a_gift_file_the_review_could_not_send_back_is_refused_at_the_first_step(client, editor, make_quiz):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from articles.forms import form_encoded_size

    quiz = make_quiz(questions=1)
    client.force_login(editor)
    source = cyrillic_gift(4_400, 5)  # under 1 MB as a file, 2.7 MB as the review sends it
    assert len(source.encode()) < 1_000_000 and form_encoded_size(source) > 2_650_000
    response = client.post(
        f"/admin/quizzes/quiz/{quiz.pk}/import/",
        {"file": SimpleUploadedFile("big.gift.txt", source.encode())},
    )
    assert "when the review page sends it back" in text(response)
    assert soup(response).find("input", attrs={"name": "save"}) is None
    assert quiz.questions.count() == 1


@pytest.mark.django_db
def test_the_largest_gift_file_the_first_step_takes_is_saved_from_its_review(client, editor, make_quiz):
    from django.conf import settings

    from articles.forms import REVIEW_FIELDS_ROOM, form_encoded_size

    quiz = make_quiz(questions=1)
    client.force_login(editor)
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE - REVIEW_FIELDS_ROOM
    words = 1_000
    while form_encoded_size(cyrillic_gift(20, words + 10)) < limit:
        words += 10
    source = cyrillic_gift(20, words)
    url = f"/admin/quizzes/quiz/{quiz.pk}/import/"
    review = client.post(url, {"text": source})
    data = review_data(review) | {"save": "Add 20 questions"}
    response = browser_post(client, url, data)
    assert response.status_code == 302, text(response)[:300]
    assert quiz.questions.count() == 21


def test_a_question_with_more_choices_than_the_quiz_page_holds_is_skipped():
    from quizzes.models import MAX_CHOICES

    wrong = " ".join(f"~W{n}" for n in range(MAX_CHOICES))
    bank = gift.parse(f"Which?{{=Right {wrong}}}\n\nFair?{{=Right ~Wrong}}\n")
    assert [q.prompt for q in bank.questions] == ["Fair?"]
    assert bank.skipped == [(1, f"a question can have at most {MAX_CHOICES} choices; this one has 11")]

"""Question banks in and out of a quiz, whatever the file's format.

A format's module reads a file into a ParsedBank (its questions, those it skipped and why, and
notes) and writes ParsedQuestions back as a file: gift.py is Moodle's GIFT format, and another
format is a module beside it. What every format shares is here: the parsed types, which questions
this site can ask (`why_not_asked`), the sections a bank names, a quiz's questions as a bank, and
the import service that saves a bank into a quiz.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.template.defaultfilters import pluralize

from articles.models import Section, next_position
from quizzes.models import Choice, Question, Quiz
from quizzes.services import QuizError

Kind = Question.Kind
# As reports count them: "6 one-answer, 3 several-answer, 3 true-or-false".
KIND_NAMES = {Kind.SINGLE: "one-answer", Kind.MULTIPLE: "several-answer", Kind.TRUE_FALSE: "true-or-false"}


@dataclass
class ParsedChoice:
    text: str
    is_correct: bool
    note: str = ""


@dataclass
class ParsedQuestion:
    prompt: str
    kind: str
    choices: list[ParsedChoice]
    explanation: str = ""
    section: str = ""  # "article-slug#anchor", or "" for none
    keep_order: bool = False  # ask the choices in this order
    title: str = ""  # the question's name in the file, when it gives one
    line: int = 0

    @property
    def kind_label(self):
        return Kind(self.kind).label


@dataclass
class ParsedBank:
    questions: list[ParsedQuestion] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    notes: list[tuple[int, str]] = field(default_factory=list)  # (line, what to know)
    format: str = ""  # the file's format, as the admin's history names it: "GIFT"


def why_not_asked(question: ParsedQuestion) -> str:
    """Why this site can't ask a question read from a file, in words for the list of those skipped
    ("a choice is 301 characters long; this site allows 300"), or "" when it can. The lengths are
    the model fields' own."""
    prompt_max = Question._meta.get_field("prompt").max_length
    choice_max = Choice._meta.get_field("text").max_length
    if not question.prompt:
        return "the question has no text"
    if len(question.prompt) > prompt_max:
        return f"the question is {len(question.prompt)} characters long; this site allows {prompt_max}"
    for choice in question.choices:
        if not choice.text:
            return "a choice has no text"
        if len(choice.text) > choice_max:
            return f"a choice is {len(choice.text)} characters long; this site allows {choice_max}"
    problems = Question.choice_problems(question.kind, [(c.text, c.is_correct) for c in question.choices])
    return problems[0][0].lower() + problems[0][1:].rstrip(".") if problems else ""


def sections_found(bank):
    """The sections that the bank's questions name ({"article-slug#anchor": Section}, one query),
    and a note for each question whose section does not exist."""
    addresses = {question.section for question in bank.questions if question.section}
    slugs = {address.partition("#")[0] for address in addresses}
    anchors = {address.partition("#")[2] for address in addresses}
    found = Section.objects.filter(article__slug__in=slugs, anchor__in=anchors).select_related("article")
    sections = {f"{section.article.slug}#{section.anchor}": section for section in found} if addresses else {}
    notes = [
        (question.line, f"no section {question.section}; imported without a link")
        for question in bank.questions
        if question.section and question.section not in sections
    ]
    return sections, notes


def from_question(question) -> ParsedQuestion:
    """A saved question (with its choices, and its section's article) as a format reads one."""
    section = question.section
    return ParsedQuestion(
        prompt=question.prompt,
        kind=question.kind,
        choices=[ParsedChoice(c.text, c.is_correct, c.note) for c in question.choices.all()],
        explanation=question.explanation,
        section=f"{section.article.slug}#{section.anchor}" if section else "",
        keep_order=question.keep_order,
    )


def quiz_questions(quiz) -> list[ParsedQuestion]:
    """The quiz's questions (not the archived ones), for a format to write."""
    questions = quiz.active_questions().select_related("section__article").prefetch_related("choices")
    return [from_question(question) for question in questions]


@dataclass
class ImportReport:
    """What quizzes_import_questions did: the questions added, those skipped and why (by line of
    the file), and what else to know."""

    quiz: Quiz
    added: list[Question] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    created: bool = False

    def summary(self):
        """The report's first line: "Added 12 questions: 6 one-answer, 3 several-answer, 3 true-or-false."
        and, if any were, "Skipped 9."."""
        counts = Counter(question.kind for question in self.added)
        kinds = [f"{counts[kind]} {label}" for kind, label in KIND_NAMES.items() if counts[kind]]
        text = f"Added {len(self.added)} question{pluralize(len(self.added))}"
        text += f": {', '.join(kinds)}." if kinds else "."
        return text + (f" Skipped {len(self.skipped)}." if self.skipped else "")

    def lines(self):
        lines = [self.summary().removesuffix(".") + ":" if self.skipped else self.summary()]
        lines += [f"  line {line}: {reason}" for line, reason in self.skipped]
        if self.notes:
            lines += ["Notes:", *(f"  line {line}: {note}" for line, note in self.notes)]
        if self.created:
            lines.append(f"Made the quiz “{self.quiz.title}” ({self.quiz.slug}) for them, as a draft.")
        return lines

    def __str__(self):
        return "\n".join(self.lines())


@transaction.atomic
def quizzes_import_questions(
    *,
    bank: ParsedBank,
    quiz: Quiz | None = None,
    quiz_slug: str | None = None,
    strict=False,
    user=None,
    reviewed_version: str | None = None,
) -> ImportReport:
    """Add the questions of a bank read from a file (gift.parse) after the quiz's own, each with
    its choices, and its section when the file names one that exists. The quiz is `quiz`, or the
    one at `quiz_slug`, made as a draft if there is none. Questions this site can't ask were
    skipped when the file was read, and are listed; `strict` refuses the whole file instead. A
    refused file (QuizError, one line saying why) writes nothing. `reviewed_version` is the quiz's
    `import_version` when the file was reviewed: a quiz changed since (the same file saved twice,
    say) refuses the import."""
    if quiz is not None and reviewed_version is not None:
        quiz = Quiz.objects.select_for_update().get(pk=quiz.pk)
        if import_version(quiz) != reviewed_version:
            raise QuizError(
                "The quiz has changed since this file was read (were its questions added already?): "
                "check the quiz, then read the file again."
            )
    if strict and bank.skipped:
        line, reason = bank.skipped[0]
        raise QuizError(
            f"Line {line}: {reason}. Nothing was imported: strict refuses a file with a skipped question."
        )
    if not bank.questions:
        raise QuizError("The file has no question this site can ask; nothing was imported.")
    created = False
    if quiz is None:
        quiz, created = _quiz_for_import(quiz_slug)
    sections, notes = sections_found(bank)
    start = next_position(quiz.questions.all())
    questions = Question.objects.bulk_create(
        Question(
            quiz=quiz,
            prompt=parsed.prompt,
            kind=parsed.kind,
            explanation=parsed.explanation,
            section=sections.get(parsed.section),
            keep_order=parsed.keep_order,
            position=start + n,
        )
        for n, parsed in enumerate(bank.questions)
    )
    Choice.objects.bulk_create(
        Choice(
            question=question, text=choice.text, is_correct=choice.is_correct, note=choice.note, position=n
        )
        for question, parsed in zip(questions, bank.questions, strict=True)
        for n, choice in enumerate(parsed.choices, start=1)
    )
    # bulk_create skips Question.save(): the quiz's save announces the change (and makes a new
    # import_version).
    quiz.save(update_fields=["updated_at"])
    report = ImportReport(
        quiz=quiz, added=questions, skipped=bank.skipped, notes=sorted(bank.notes + notes), created=created
    )
    if user is not None:
        LogEntry.objects.log_actions(
            user_id=user.pk,
            queryset=[quiz],
            action_flag=CHANGE,
            change_message=f"{report.summary()} (from a {bank.format} file)",
            single_object=True,
        )
    return report


def import_version(quiz):
    """What a review of an import remembers of the quiz: any save (an import too) changes it."""
    return quiz.updated_at.isoformat()


def _quiz_for_import(slug):
    """The quiz at `slug`, or a new draft one titled after it; (quiz, created)."""
    quiz = Quiz.objects.filter(slug=slug).first()
    if quiz is not None:
        return quiz, False
    max_length = Quiz._meta.get_field("slug").max_length
    try:
        validate_slug(slug or "")
        if len(slug) > max_length:
            raise ValidationError("too long")
    except ValidationError:
        raise QuizError(
            f"“{slug}” can't be a quiz's address: use up to {max_length} letters, numbers, hyphens and "
            "underscores."
        ) from None
    title = slug.replace("-", " ").replace("_", " ").strip().capitalize() or slug
    return Quiz.objects.create(slug=slug, title=title, status=Quiz.Status.DRAFT), True

"""Moodle's GIFT format for quiz questions: read a file into plain data, and write questions as one.

Read as Moodle reads it (question/format/gift/format.php): questions are separated by blank lines,
a line starting with "//" is a comment, and the answers sit between "{" and "}". This site asks
one-answer, several-answer and true-or-false questions; the other kinds are listed as skipped
with the line and the reason. GIFT has no place for the article section that explains a question:
a "// section: article-slug#anchor" comment in the question's block holds it.

One format of a question bank (quizzes/interchange.py holds the parsed types and what every format
shares). Nothing here writes to the database: interchange.quizzes_import_questions saves what
parse() reads.
"""

import re

import nh3
from django.utils.text import Truncator

from articles.markdown import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    ALLOWED_URL_SCHEMES,
    html_to_text,
    markdown_to_text,
)
from quizzes.interchange import ParsedBank, ParsedChoice, ParsedQuestion, quiz_questions, why_not_asked
from quizzes.models import Question

Kind = Question.Kind
NOT_ASKED = "this site asks multiple-choice and true-or-false questions only"
NO_PART_MARKS = "this site has no part marks on one-answer questions"
FORMATS = {"plain", "moodle", "markdown", "html"}
TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
# Moodle's answer weight: "%50%", "%-33.33333%", "%100%".
WEIGHT = re.compile(r"^%-*([0-9]{1,2})\.?([0-9]*)%")
BRACES = re.compile(r"[{}]")
SECTION_COMMENT = re.compile(r"^//\s*section:\s*(\S+)\s*$")
# Also a comment only this site reads: the editor's order of the choices is kept (no shuffling).
KEEP_ORDER_COMMENT = "// keep order"
# An escaped character stands for itself; while a question is read it is one of these stand-ins,
# so that it is never taken for a control character.
ESCAPED = {"\\": "\ue000", "~": "\ue001", "=": "\ue002", "#": "\ue003", "{": "\ue004", "}": "\ue005"}
ESCAPED |= {":": "\ue006", "n": "\ue007"}
RESTORED = str.maketrans({stand_in: char for char, stand_in in ESCAPED.items()} | {"\ue007": "\n"})
ESCAPE = re.compile(r"\\([\\~=#{}:n])")
WRITTEN = str.maketrans({char: "\\" + char for char in "\\~=#{}:"} | {"\n": "\\n"})
# What a GIFT file is, for articles.importer.decode's message on a binary one.
FILE_KIND = "a GIFT text file"


class GiftError(ValueError):
    """A file that can't be read at all; the message is one line saying why."""


class GiftSyntaxError(GiftError):
    """A brace without its partner: the message names the line, e.g. "Line 12: a “{” has no closing “}”."."""


def parse(text: str) -> ParsedBank:
    """The questions of a GIFT text, those skipped and why, and what else to know; GiftSyntaxError
    for a brace without its partner (then nothing of the file should be used)."""
    bank = ParsedBank(format="GIFT")
    block = []
    for number, line in enumerate(re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff")), start=1):
        line = line.strip()
        if line:
            block.append((number, line))
        elif block:
            _read_block(block, bank)
            block = []
    if block:
        _read_block(block, bank)
    return bank


class _Skip(Exception):
    pass


def _read_block(block, bank):
    first_number = block[0][0]
    section = ""
    keep_order = False
    lines = []
    for _, line in block:
        if line.startswith("//"):
            match = SECTION_COMMENT.match(line)
            section = section or (match.group(1) if match else "")
            keep_order = keep_order or line.rstrip() == KEEP_ORDER_COMMENT
            line = " "  # As Moodle does: the line stays, so the line numbers below stay right.
        lines.append(line)
    full = ESCAPE.sub(lambda match: ESCAPED[match.group(1)], "\n".join(lines))
    if not full.strip():
        return  # Comments only.
    start, end = len(full) - len(full.lstrip()), len(full.rstrip())

    def line_at(position):
        return first_number + full.count("\n", 0, position)

    line = line_at(start)
    if full.startswith("$CATEGORY:", start):
        category = _restore(full[start + 10 : end]).strip()
        bank.notes.append((line, f"category “{category}” ignored: the questions go into this quiz"))
        return
    title, position = "", start
    if full.startswith("::", start):
        name_end = full.find("::", start + 2, end)
        if name_end == -1:
            position = start + 2
        else:
            title = _restore(full[start + 2 : name_end]).strip()
            position = name_end + 2
        position += len(full[position:end]) - len(full[position:end].lstrip())
    braces = _check_braces(full, position, end, line_at)
    try:
        question, note = _read_question(full, position, end, braces)
    except _Skip as skip:
        bank.skipped.append((line, str(skip)))
        return
    question.title, question.line, question.section = title, line, section
    question.keep_order = keep_order and question.kind != Kind.TRUE_FALSE
    bank.questions.append(question)
    if note:
        bank.notes.append((line, note))


def _check_braces(full, position, end, line_at):
    """Where the answers open and close, or GiftSyntaxError: a question has one "{...}" part."""
    opened = closed = None
    for brace in BRACES.finditer(full, position, end):
        index = brace.start()
        if brace.group() == "{":
            if opened is not None and closed is None:
                where = line_at(opened)
                raise GiftSyntaxError(
                    f"Line {line_at(index)}: a “{{” inside the answers that open on line {where} "
                    "(write \\{ for a brace in the text)."
                )
            if closed is not None:
                raise GiftSyntaxError(
                    f"Line {line_at(index)}: a second “{{” in one question (leave a blank line "
                    "between questions, or write \\{ for a brace in the text)."
                )
            opened = index
        else:
            if opened is None or closed is not None:
                raise GiftSyntaxError(f"Line {line_at(index)}: a “}}” has no opening “{{”.")
            closed = index
    if opened is not None and closed is None:
        raise GiftSyntaxError(f"Line {line_at(opened)}: a “{{” has no closing “}}”.")
    return opened, closed


def _read_question(full, position, end, braces):
    """The question between `position` and `end`, and a note on its part marks if it needs one;
    _Skip with the reason for a question this site can't ask."""
    opened, closed = braces
    if opened is None:
        raise _Skip(f"a description: there are no answers in braces ({NOT_ASKED})")
    answers = full[opened + 1 : closed].strip()
    blank_in_sentence = bool(full[closed + 1 : end].strip())
    general = ""
    separator = answers.rfind("####")
    if separator != -1:
        answers, general = answers[:separator].strip(), answers[separator + 4 :]
    text_format, prompt = _with_format(full[position:opened], "moodle")
    explanation_format, explanation = _with_format(general, text_format)

    if not answers:
        raise _Skip(f"essay: no answers in the braces ({NOT_ASKED})")
    if answers.startswith("#"):
        raise _Skip(f"numerical answer ({NOT_ASKED})")
    if "~" in answers:
        read = _multiple_choice
    elif "=" in answers and "->" in answers:
        raise _Skip(f"matching ({NOT_ASKED})")
    elif _true_false_answer(answers) in TRUE_FALSE:
        read = _true_false
    else:
        raise _Skip(f"short answer ({NOT_ASKED})")
    if blank_in_sentence:
        raise _Skip(
            "missing word: text follows the answers, so they fill a blank in the sentence (this site "
            "asks a question, then its choices: put the answers at the end to import it)"
        )
    kind, choices = read(answers, text_format)

    # Several answers: those with a positive weight are right. One answer: the one with 100 %.
    parsed = [
        ParsedChoice(text, weight > 0 if kind == Kind.MULTIPLE else weight >= 1, note)
        for text, weight, note in choices
    ]
    question = ParsedQuestion(prompt=_plain(prompt, text_format), kind=kind, choices=parsed)
    if reason := why_not_asked(question):
        raise _Skip(reason)
    question.explanation = _markdown(explanation, explanation_format)
    return question, _part_marks_note(choices) if kind == Kind.MULTIPLE else ""


def _multiple_choice(answers, text_format):
    """The kind and the (text, weight, note) of each choice of a multiple-choice question: one
    answer when an "=" marks it, several (the positive weights) when none does."""
    single = "=" in answers
    parts = answers.replace("=", "~=").split("~")
    parts[0] = parts[0].strip()
    if not parts[0]:
        parts.pop(0)
    choices = []
    for part in parts:
        part = part.strip()
        if part.startswith("="):
            weight, part = 1.0, part[1:]
        elif match := WEIGHT.match(part):
            inner = match.group(0)[1:-1]
            weight = float(inner.lstrip("-")) / 100 * (-1 if inner.startswith("-") else 1)
            part = part[match.end() :]
        else:
            weight = 0.0
        text, _, note = part.partition("#")
        choices.append((_plain_text_of(text, text_format), weight, _plain_text_of(note, text_format)))
    if not single:
        return Kind.MULTIPLE, choices
    right = [weight for _, weight, _ in choices if weight >= 1]
    if len(right) > 1:
        raise _Skip(f"{len(right)} right answers in a one-answer question ({NO_PART_MARKS})")
    if any(0 < weight < 1 for _, weight, _ in choices):
        raise _Skip(f"part marks for a wrong choice in a one-answer question ({NO_PART_MARKS})")
    if any(weight < 0 for _, weight, _ in choices):
        raise _Skip(f"marks taken away for a wrong choice in a one-answer question ({NO_PART_MARKS})")
    return Kind.SINGLE, choices


def _true_false_answer(answers):
    hash_at = answers.find("#")
    # As Moodle reads it: capitals only ("{true}" is a short answer there).
    return answers[:hash_at].strip() if hash_at > 0 else answers


def _true_false(answers, text_format):
    """True and False, in that order, as this site's true-or-false questions have them. Moodle's
    first feedback is for readers who answered wrongly, the second for those who answered right."""
    bits = answers.split("#", 2) + ["", ""]
    _, answer = _with_format(bits[0].strip(), text_format)
    wrong, right = (_plain_text_of(bit, text_format) for bit in bits[1:3])
    true_is_right = TRUE_FALSE[answer]
    return Kind.TRUE_FALSE, [
        ("True", 1.0 if true_is_right else 0.0, right if true_is_right else wrong),
        ("False", 0.0 if true_is_right else 1.0, wrong if true_is_right else right),
    ]


def _part_marks_note(choices):
    """A line for the report when the file's weights are not this site's rule (credit_for): each
    right choice 1 / (right choices), each wrong one -1 / (wrong choices)."""
    right = [weight for _, weight, _ in choices if weight > 0]
    wrong = [weight for _, weight, _ in choices if weight <= 0]
    same = all(abs(weight * 100 - 100 / len(right)) <= 0.01 for weight in right) and all(
        abs(weight * 100 + 100 / len(wrong)) <= 0.01 for weight in wrong
    )
    if same or not right:
        return ""
    rule = f"each right answer {_percent(100 / len(right))} %"
    if wrong:
        rule += f", each wrong one −{_percent(100 / len(wrong))} %"
    return f"part marks follow this site's rule ({rule})"


def _percent(value):
    """A weight as Moodle writes one: 50, 33.33333."""
    return f"{value:.5f}".rstrip("0").rstrip(".")


def _restore(text):
    return text.translate(RESTORED)


def _with_format(text, default):
    """(format, text) of a text that may start with "[plain]", "[markdown]", "[html]" or "[moodle]"."""
    text_format = default
    if text.startswith("["):
        name = text[1 : text.find("]")] if "]" in text else ""
        if name in FORMATS:
            text_format, text = name, text[len(name) + 2 :]
    return text_format, _restore(text).strip()


def _plain_text_of(text, default_format):
    """An answer's or a feedback's text, in its own format or the question's, as plain text."""
    text_format, text = _with_format(text.strip(), default_format)
    return _plain(text, text_format)


def _plain(text, text_format):
    """Text for a plain-text field (a prompt, a choice, a note)."""
    if text_format == "html":
        return html_to_text(text)
    if text_format == "markdown":
        return markdown_to_text(text)
    return text


def _markdown(text, text_format):
    """Text for a Markdown field (the explanation): HTML is cleaned and kept, as Markdown allows."""
    if text_format == "html":
        return nh3.clean(
            text, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=ALLOWED_URL_SCHEMES
        ).strip()
    return text


def export(quiz) -> str:
    """The quiz's questions (not the archived ones) as a GIFT file."""
    questions = quiz_questions(quiz)
    head = (
        f"// {quiz.title}: {len(questions)} question{'' if len(questions) == 1 else 's'} in Moodle's GIFT "
        "format.\n// A “// section:” line names the article section that explains the question after it;\n"
        "// “// keep order” says its choices are asked in the order written.\n"
    )
    return "\n".join([head, *(_write_question(question) for question in questions)])


def write(questions) -> str:
    """Questions as GIFT that Moodle reads, and that parse() reads back the same: the prompt and
    choices as plain text, the explanation as Markdown, several-answer weights as this site gives
    marks (credit_for)."""
    return "\n".join(_write_question(question) for question in questions)


def _escaped(text):
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(WRITTEN)


def _written_text(text):
    # Moodle would take a leading "[html]" in the text itself for a format.
    return ("[plain]" if text.startswith("[") else "") + _escaped(text)


def _write_question(question):
    lines = [f"// section: {question.section}"] if question.section else []
    if question.keep_order:
        lines.append(KEEP_ORDER_COMMENT)
    name = Truncator(" ".join(question.prompt.split())).chars(60)
    head = f"::{_escaped(name)}::[plain]{_escaped(question.prompt)}{{"
    explanation = f"####[markdown]{_escaped(question.explanation)}" if question.explanation else ""
    if question.kind == Kind.TRUE_FALSE:
        return "\n".join([*lines, head + _true_false_answers(question.choices) + explanation + "}"]) + "\n"
    lines.append(head)
    right = sum(1 for choice in question.choices if choice.is_correct)
    wrong = len(question.choices) - right
    for choice in question.choices:
        if question.kind == Kind.MULTIPLE and choice.is_correct:
            mark = f"~%{_percent(100 / right)}%"
        elif question.kind == Kind.MULTIPLE:
            mark = f"~%-{_percent(100 / wrong)}%"
        elif choice.is_correct:
            mark = "="
        else:
            # A weight of 0 keeps a text starting "%50%" from being read as a weight.
            mark = "~%0%" if choice.text.startswith("%") else "~"
        note = f"#{_written_text(choice.note)}" if choice.note else ""
        lines.append(f"\t{mark}{_written_text(choice.text)}{note}")
    if explanation:
        lines.append(f"\t{explanation}")
    return "\n".join([*lines, "}"]) + "\n"


def _true_false_answers(choices):
    """TRUE or FALSE, then Moodle's feedback for a wrong answer and for a right one."""
    true = next((c for c in choices if c.text.strip().lower() == "true"), choices[0])
    false = next(c for c in choices if c is not true)
    right, wrong = (true, false) if true.is_correct else (false, true)
    answer = "TRUE" if true.is_correct else "FALSE"
    if wrong.note or right.note:
        answer += f"#{_written_text(wrong.note)}"
    if right.note:
        answer += f"#{_written_text(right.note)}"
    return answer

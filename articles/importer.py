"""
Read an existing Q&A document (plain text saved from a web page, Markdown or HTML) into a title,
a summary and question/answer sections, ready for `articles.services.article_import`.

Every parser reduces its input to the same shape (a title, the Markdown blocks that come before the
first question, and each question with its Markdown blocks); `_assemble` then applies the rules
shared by all formats. Nothing here touches the database.
"""

import re
from dataclasses import dataclass, field
from pathlib import PurePath

from bs4 import BeautifulSoup, NavigableString, Tag

from articles.markdown import markdown_to_text
from articles.models import MAX_SECTIONS, Article, Section

FORMATS = ("text", "markdown", "html")
# How much of the text before the first question becomes the summary (Article.summary is a
# TextField without a limit: one or two sentences is the editors' rule, not the database's).
SUMMARY_MAX_LENGTH = 300
QUESTION_MAX_LENGTH = 200  # a line of plain text longer than this is not taken for a question

# Lines a browser's "save as text" keeps from a page's header and menus, before the real title.
BOILERPLATE = {
    "skip to content",
    "skip to main content",
    "skip to navigation",
    "skip navigation",
    "menu",
    "main menu",
    "open menu",
    "close menu",
    "toggle navigation",
    "navigation",
    "close",
    "search",
    "search for",
    "home",
    "log in",
    "login",
    "sign in",
    "sign up",
    "register",
    "subscribe",
    "share",
    "share this",
    "advertisement",
    "cookies",
    "accept cookies",
    "cookie settings",
    "back",
    "blog",
    "about",
    "contact",
    "contact us",
}
# Bullets that start a list item. "-" and "*" need a space after them, so that "-5" or
# "*emphasis*" stay text.
_BULLET = re.compile(r"^(?:[–—•▪◦●]\s*|[-*+]\s+)(?P<item>\S.*)$")
_MARKDOWN_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")


class ImportProblem(ValueError):
    """The document can't be imported; the message says why in one line."""


@dataclass
class ParsedSection:
    question: str
    answer: str  # Markdown


@dataclass
class ParsedArticle:
    title: str
    summary: str
    sections: list[ParsedSection]
    format: str
    dropped_questions: list[str] = field(default_factory=list)


class NotText(ImportProblem):
    """A file that is not text to read: empty, binary or not UTF-8."""


def decode(data: bytes, *, expected="a text, Markdown or HTML document") -> str:
    """The text of an uploaded or read file (UTF-8, with or without a byte order mark), or NotText
    for empty, binary or non-UTF-8 data; `expected` names what the file should have been. The one
    reading of a file for every import: articles here, question banks (quizzes/gift.py) too."""
    if not data.strip():
        raise NotText("The file is empty.")
    if b"\x00" in data:
        raise NotText(f"This is a binary file, not {expected}.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotText(
            f"The file is not UTF-8 text (byte 0x{data[error.start]:02x} at position {error.start}); "
            "save it as UTF-8 and try again."
        ) from None


def detect_format(text: str, filename: str | None = None) -> str:
    """Guess the format from the file name's extension, else from the content."""
    suffix = PurePath(filename).suffix.lower() if filename else ""
    if suffix in (".html", ".htm"):
        return "html"
    if suffix in (".md", ".markdown"):
        return "markdown"
    if re.search(r"<(html|body|h[1-3]|p|article|main)[\s>]", text, re.IGNORECASE):
        return "html"
    if any(_MARKDOWN_HEADING.match(line) for line in text.splitlines()):
        return "markdown"
    return "text"


def parse(text: str, format: str | None = None, filename: str | None = None) -> ParsedArticle:
    """Parse a document; `format` is one of FORMATS, or None to detect it."""
    if not text.strip():
        raise ImportProblem("The document is empty.")
    format = format or detect_format(text, filename)
    if format not in FORMATS:
        raise ImportProblem(f"Unknown format {format!r}: use one of {', '.join(FORMATS)}.")
    parser = {"text": _parse_text, "markdown": _parse_markdown, "html": _parse_html}[format]
    title, intro, questions = parser(text)
    return _assemble(title, intro, questions, format)


# --- shared rules -------------------------------------------------------------------------------


def _assemble(title, intro, questions, format):
    """Apply the rules every format shares: drop questions without answers, keep the text under a
    title that is itself a question as the first section, and find a summary."""
    title = _clean_line(title or "")
    if not title:
        raise ImportProblem("No title found: the document has no text before its questions.")
    sections, dropped = [], []
    if title.endswith("?") and intro:
        # "Are therapists allowed to cry?" answered straight away: that answer is the first section.
        questions = [(title, intro), *questions]
    # A heading longer than a section's question can be is refused, not cut.
    question_max = Section._meta.get_field("question").max_length
    for question, blocks in questions:
        question = _clean_line(question)
        if len(question) > question_max:
            raise ImportProblem(
                f"The question “{_shorten(question, 80)}” is {len(question)} characters long; a "
                f"question can be at most {question_max}: shorten it in the document."
            )
        answer = "\n\n".join(blocks).strip()
        if not answer:
            dropped.append(question)
        elif question.casefold() in {s.question.casefold() for s in sections}:
            # The same question twice on one page: keep both answers under the first.
            existing = next(s for s in sections if s.question.casefold() == question.casefold())
            existing.answer += "\n\n" + answer
        else:
            sections.append(ParsedSection(question=question, answer=answer))
    if len(sections) > MAX_SECTIONS:
        raise ImportProblem(
            f"The document has {len(sections)} questions; an article holds at most {MAX_SECTIONS}: "
            "split it into several documents."
        )
    if not sections:
        raise ImportProblem(
            "No question found: a question is a short line of its own ending in “?” "
            "(or, in Markdown and HTML, a heading), followed by its answer."
        )
    intro_text = markdown_to_text("\n\n".join(intro))
    if not intro_text or title.endswith("?"):
        intro_text = markdown_to_text(sections[0].answer.split("\n\n")[0])
    return ParsedArticle(
        title=title[: Article._meta.get_field("title").max_length],
        summary=_shorten(intro_text, SUMMARY_MAX_LENGTH),
        sections=sections,
        format=format,
        dropped_questions=dropped,
    )


def _clean_line(text):
    return " ".join(text.replace("\u00a0", " ").split())


def _shorten(text, limit):
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _is_boilerplate(line):
    words = line.strip(" :|>»").casefold()
    return words in BOILERPLATE or "»" in line or line.count(" > ") >= 1 and len(line) < 80


def _escape_markdown_start(line):
    """Keep a plain line from turning into a Markdown heading, quote or numbered list."""
    return re.sub(r"^(#|>|\d+\.\s|=+$|-{3,}$)", r"\\\1", line)


# --- plain text ---------------------------------------------------------------------------------


def _parse_text(text):
    lines = [_clean_line(line) for line in text.splitlines()]
    lines = [line for line in lines if line]
    while lines and (_is_boilerplate(lines[0]) or _BULLET.match(lines[0])):
        lines.pop(0)
    if not lines:
        raise ImportProblem("No title found: the document holds only page boilerplate.")
    title, rest = lines[0], lines[1:]

    intro, questions, current = [], [], None
    for line in rest:
        if _is_text_question(line):
            current = []
            questions.append((line, current))
        else:
            (intro if current is None else current).append(line)
    return title, _text_blocks(intro), [(q, _text_blocks(body)) for q, body in questions]


def _is_text_question(line):
    return len(line) <= QUESTION_MAX_LENGTH and line.endswith("?") and not _BULLET.match(line)


def _text_blocks(lines):
    """Lines of a web page's text as Markdown blocks: each line a paragraph, bullets a list."""
    blocks, items = [], []
    for line in lines:
        bullet = _BULLET.match(line)
        if bullet:
            items.append("- " + bullet["item"])
            continue
        if items:
            blocks.append("\n".join(items))
            items = []
        blocks.append(_escape_markdown_start(line))
    if items:
        blocks.append("\n".join(items))
    return blocks


# --- Markdown -----------------------------------------------------------------------------------


def _parse_markdown(text):
    lines = text.replace("\r\n", "\n").split("\n")
    headings = [
        (i, len(m["hashes"]), m["text"])
        for i, line in enumerate(lines)
        if (m := _MARKDOWN_HEADING.match(line))
    ]
    title_heading = next((h for h in headings if h[1] == 1), None)
    if title_heading:
        title, start = title_heading[2], title_heading[0] + 1
    else:
        first = next((i for i, line in enumerate(lines) if line.strip()), None)
        if first is None:
            raise ImportProblem("No title found.")
        title, start = lines[first].lstrip("#").strip(), first + 1
    levels = sorted({level for i, level, _ in headings if level > 1 and i >= start})
    question_level = levels[0] if levels else None

    intro, questions, current = [], [], None
    for i in range(start, len(lines)):
        line = lines[i]
        heading = _MARKDOWN_HEADING.match(line)
        if heading and len(heading["hashes"]) == question_level:
            current = []
            questions.append((heading["text"], current))
            continue
        if heading and question_level and len(heading["hashes"]) > question_level:
            # A sub-heading inside an answer: one level below the question, whatever it was.
            depth = 3 + len(heading["hashes"]) - question_level - 1
            line = "#" * depth + " " + heading["text"]
        (intro if current is None else current).append(line)
    return (
        title,
        _markdown_blocks(intro),
        [(q, _markdown_blocks(body)) for q, body in questions],
    )


def _markdown_blocks(lines):
    text = "\n".join(lines).strip()
    return [text] if text else []


# --- HTML ---------------------------------------------------------------------------------------

_DROP_TAGS = [
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "noscript",
    "template",
    "iframe",
    "svg",
    "button",
]
_BLOCK_TAGS = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "blockquote", "pre"]


def _parse_html(text):
    soup = BeautifulSoup(text, "html.parser")
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    blocks = [
        el
        for el in root.find_all(_BLOCK_TAGS)
        if el.find_parent(["p", "ul", "ol", "blockquote", "pre", "li"]) is None
    ]
    h1 = next((el for el in blocks if el.name == "h1"), None)
    if h1 is not None:
        title = h1.get_text(" ", strip=True)
        blocks = blocks[blocks.index(h1) + 1 :]
    elif soup.title and soup.title.get_text(strip=True):
        title = soup.title.get_text(" ", strip=True)
    else:
        raise ImportProblem("No title found: the HTML has neither an <h1> nor a <title>.")
    question_tag = next((name for name in ("h2", "h3", "h4") if any(el.name == name for el in blocks)), None)
    question_level = int(question_tag[1]) if question_tag else 7

    intro, questions, current = [], [], None
    for el in blocks:
        level = int(el.name[1]) if el.name[0] == "h" and el.name[1:].isdigit() else None
        if level == question_level:
            current = []
            questions.append((el.get_text(" ", strip=True), current))
            continue
        if level is not None and level < question_level:
            continue  # a heading above the questions' level (another h1) is page furniture
        block = _html_block(el, question_level)
        if block:
            (intro if current is None else current).append(block)
    return title, intro, questions


def _html_block(el, question_level):
    if el.name[0] == "h" and el.name[1:].isdigit():
        depth = 3 + int(el.name[1]) - question_level - 1
        return "#" * depth + " " + _inline(el)
    if el.name in ("ul", "ol"):
        return _html_list(el, 0)
    if el.name == "blockquote":
        text = _inline(el)
        return "> " + text if text else ""
    if el.name == "pre":
        return "\n".join("    " + line for line in el.get_text().splitlines())
    return _escape_markdown_start(_inline(el))


def _html_list(el, depth):
    lines = []
    for n, li in enumerate(el.find_all("li", recursive=False), start=1):
        marker = f"{n}." if el.name == "ol" else "-"
        nested = li.find_all(["ul", "ol"], recursive=False)
        for sub in nested:
            sub.extract()
        lines.append("    " * depth + f"{marker} {_inline(li)}")
        lines.extend(_html_list(sub, depth + 1) for sub in nested)
    return "\n".join(line for line in lines if line.strip())


def _inline(el):
    """An element's text as one line of Markdown, keeping emphasis and links."""
    parts = []
    for child in el.children:
        if isinstance(child, NavigableString):
            parts.append(str(child))
        elif isinstance(child, Tag):
            inner = _inline(child)
            if child.name in ("strong", "b") and inner:
                parts.append(f"**{inner}**")
            elif child.name in ("em", "i") and inner:
                parts.append(f"*{inner}*")
            elif child.name == "a" and child.get("href") and inner:
                parts.append(f"[{inner}]({child['href']})")
            elif child.name == "br":
                parts.append(" ")
            else:
                parts.append(inner)
    return _clean_line("".join(parts))

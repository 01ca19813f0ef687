"""Spelling: what a reader most likely meant by a word that is neither English nor the site's own
("therapsit", "councellor", "confidentality").

English is the frequency dictionary that the symspellpy package ships (82,765 words with how often
each is written; read from the installed package, never downloaded). The site's own words are
those its published sections have, in their questions or answers (asked of the search index, in
one query for the words of a query that English lacks and their corrections: reading all the text
would take seconds at 10,000 articles), and the editors' search synonyms ("BACP", "Tarasoff"). A
word either knows is never changed ("shrink" stays "shrink"), nor is a word with a digit, a short
one, an acronym in capitals, or one in another alphabet. Any other word becomes its nearest known
word (at most MAX_DISTANCE edits away: letters added, dropped, changed or swapped); between
equally near ones, the site's own wins ("councellor" is "counsellor" here, though "councillor" is
more common), then the more common.

symspellpy finds the nearest words by looking up the word's deletions in a table of the common
English words, made once per process (0.4 to 0.8 s and 12 MB); a lookup then takes 0.1 to 0.2 ms.
A query looks up at most MAX_WORDS words of at most MAX_LENGTH letters, and asks the index about
them and at most MAX_CANDIDATES corrections of each.
"""

import functools
import importlib.resources
import re

from symspellpy import SymSpell, Verbosity

from articles.freshness import remembered
from articles.models import Article
from articles.search import _backend
from articles.synonyms import editors_groups

MIN_LENGTH = 4  # shorter words ("thx", "gp") are left alone: too many words are one edit away
MAX_LENGTH = 24  # longer ones too: not a word anyone misspells, and no need to look
MAX_WORDS = 10  # unknown words of a query looked up, at most
MAX_CANDIDATES = 8  # equally near corrections of a word asked about, the most common first
MAX_DISTANCE = 2  # edits; 1 for words of up to SHORT letters
SHORT = 5
ACRONYM = 8  # letters: a word in capitals up to this long is taken as an acronym
# English words rarer than this (a count in symspellpy's dictionary, of a trillion or so words
# written) are known, so never changed, but not offered as what a reader meant: 40,000 words are.
COMMON = 250_000
# symspellpy's prefix length, the letters of a word its table indexes: 5 keeps the table to 12 MB
# and 0.4 s to make (7, its default: 67 MB and 1 s) for lookups of 0.1 to 0.2 ms (0.05).
PREFIX = 5

_TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")  # a word as typed, "therapist's" too


@functools.cache
def english():
    """symspellpy's English dictionary: {word: count}, read once per process."""
    path = importlib.resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt"
    counts = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, count = line.split()
        counts[word] = int(count)
    return counts


def _speller(words):
    speller = SymSpell(max_dictionary_edit_distance=MAX_DISTANCE, prefix_length=PREFIX)
    for word, count in words.items():
        speller.create_dictionary_entry(word, count)
    return speller


@functools.cache
def english_speller():
    """The common English words, indexed for lookups (made once per process)."""
    return _speller({word: count for word, count in english().items() if count >= COMMON})


def editors_speller():
    """The words of the editors' search synonyms, indexed for lookups (made once per process in
    each content generation)."""
    return remembered("spelling-editors-words", _editors_speller)


def _editors_speller():
    words = {word for phrases in editors_groups() for phrase in phrases for word in phrase.split()}
    return _speller({word: 1 for word in words if word.isascii() and word.isalpha()})


def candidates(word, editors):
    """The known words nearest to `word` (lowercase), at most MAX_CANDIDATES, the most common
    first: English's and the editors' words, at most MAX_DISTANCE edits away (one for a short word)."""
    distance = 1 if len(word) <= SHORT else MAX_DISTANCE
    found = [
        *english_speller().lookup(word, Verbosity.CLOSEST, distance),
        *editors.lookup(word, Verbosity.CLOSEST, distance),
    ]
    nearest = min((item.distance for item in found), default=None)
    counts = english()
    return sorted(
        {item.term for item in found if item.distance == nearest},
        key=lambda term: (-counts.get(term, 0), term),
    )[:MAX_CANDIDATES]


def choice(word, nearest, site):
    """What the reader meant by `word` (lowercase), given its `nearest` known words and those of
    them (and of it) that are the `site`'s own; None for the word itself. The site's own first,
    then the most common; a short word is one edit from many others (and may be an acronym typed
    in lowercase: "adhd" is not "add"), so it becomes only one of the site's own."""
    if word in site:
        return None
    own = next((term for term in nearest if term in site), None)
    return own or (nearest[0] if nearest and len(word) > SHORT else None)


def _maybe_misspelt(word):
    """Whether `word` (as typed) is worth asking about: of MIN_LENGTH to MAX_LENGTH Latin letters,
    not a word of up to ACRONYM capitals (an acronym the site doesn't use is still the reader's:
    "EMDR", "CACREP"),
    and not English."""
    return (
        MIN_LENGTH <= len(word) <= MAX_LENGTH
        and word.isascii()
        and word.isalpha()
        and not (word.isupper() and len(word) <= ACRONYM)
        and word.casefold() not in english()
    )


def _cased(correction, typed):
    """The correction written as the reader wrote the word: "Therapsit" is "Therapist"."""
    if typed.isupper():
        return correction.upper()
    if typed[0].isupper():
        return correction.capitalize()
    return correction


def corrected(query):
    """The query with each unknown word replaced by what the reader most likely meant, everything
    else (spaces, punctuation, a possessive "'s") as typed; None when nothing changed. Words with
    another apostrophe ("shouldn't") are left alone. A query of English words asks nothing of the
    database, any other one question."""
    typed = {}  # each word worth asking about, lowercase: its nearest known words
    for match in _TOKEN.finditer(query):
        word = _without_possessive(match.group())[0]
        if len(typed) < MAX_WORDS and _maybe_misspelt(word):
            typed[word.casefold()] = []
    if not typed:
        return None
    editors = editors_speller()
    for word in typed:
        typed[word] = candidates(word, editors)
    # Which of the words, and of their corrections where that decides (a short word's, or two or
    # more equally near), are the site's own.
    asked = {
        term
        for word, nearest in typed.items()
        for term in [word, *(nearest if len(nearest) > 1 or len(word) <= SHORT else [])]
    }
    site = {term for term in asked if term in editors.words}
    site |= _backend().words_present(Article.objects.published(), sorted(asked - site))
    meant = {word: choice(word, nearest, site) for word, nearest in typed.items()}

    def replace(match):
        word, ending = _without_possessive(match.group())
        better = meant.get(word.casefold()) if _maybe_misspelt(word) else None
        return _cased(better, word) + ending if better else match.group()

    text = _TOKEN.sub(replace, query)
    return text if text != query else None


def _without_possessive(token):
    """("therapsit", "'s") for "therapsit's"."""
    return (token[:-2], token[-2:]) if token[-2:] in ("'s", "\u2019s") else (token, "")

"""The stems of a section's words, kept with the section (Section.search_stems, made on write) so
that search can tell which of many words a candidate has without reading the full-text index's
lists of every section that has them (articles/search/sqlite.py: the thesaurus's words).

The words are read as SQLite's full-text index reads them (its "porter unicode61 remove_diacritics
2" tokenizer, articles/fts.py): letters and digits, in lower case, accents removed, each reduced by
the Porter stemmer (PyStemmer's), so "cried" and "cries" are "cri". FTS5 has its own Porter
stemmer, which stems 26 of the 40,000 commonest English words otherwise ("psychology", "possibly"):
a section's stems and a query's are both made here, so they always agree with each other.
"""

import re
import threading
import unicodedata

import Stemmer

QUESTION_END = "|"  # between the question's stems and the answer's: a phrase never spans the two
_WORD = re.compile(r"[^\W_]+")
_local = threading.local()  # a PyStemmer stemmer is not to be shared between threads


def _stemmer():
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("porter")
    return stemmer


def stems(text):
    """The text's words, stemmed, in order; as FTS5 does, a word of fewer than 3 or more than 64
    letters is kept as it is."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(character for character in folded if not unicodedata.combining(character))
    stem = _stemmer().stemWord
    return [stem(word) if 3 <= len(word) <= 64 else word for word in _WORD.findall(plain)]


def section_stems(question, answer_text):
    """What Section.search_stems keeps: the question's stems, QUESTION_END, the answer's."""
    return " ".join([*stems(question), QUESTION_END, *stems(answer_text)])


def phrases(typed):
    """Phrases (each a word or words in a row, as typed) made ready for has_any: (the one-word
    ones' stems, the others' stems with a space at each end)."""
    single, runs = set(), []
    for words in map(stems, typed):
        if len(words) == 1:
            single.update(words)
        elif words:
            runs.append(f" {' '.join(words)} ")
    return frozenset(single), runs


def words_of(stored):
    """A section's search_stems made ready for has_any: (its stems, as a set; them with a space at
    each end)."""
    return frozenset(stored.split()), f" {stored} "


def has_any(words, ready):
    """Does a section whose words_of() are `words` have any of the phrases `ready` (phrases())?"""
    single, runs = ready
    every, padded = words
    return not single.isdisjoint(every) or any(run in padded for run in runs)

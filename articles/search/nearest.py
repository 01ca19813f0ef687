"""The sections whose meaning is nearest a query's (articles/meaning.py), for both databases.

A first pass compares signs only: every published section's 384 signs (48 bytes, stored with the
section) are kept in this process, read again once per content generation (after any change to
what readers see, and when the generation's key ends: 0.8 s at 100,000 sections), and compared with the
query's by counting the signs that differ, which NumPy does for 100,000 sections in a few
milliseconds and 5 MB. Its best few are then scored exactly, with their stored vectors. So a search
reads a bounded number of vectors, however many sections the site has.
"""

import numpy as np

from articles import meaning
from articles.freshness import Remembered, remembered
from articles.models import Section

# The index in a store of its own: the shared one keeps the 500 newest small values (a page's
# related articles, say), and reading 100,000 sections again because 500 article pages were read
# since would cost a reader a second.
_INDEX = Remembered(1)


def _index():
    """(ids, signs): the published sections' ids and their signs, as six rows of 64-bit words (row
    n: every section's nth word; compared a row at a time, 2.5 times as quick as a section at a
    time)."""
    rows = Section.objects.published().exclude(meaning_signs=b"").values_list("pk", "meaning_signs")
    pks, signs = [], bytearray()
    for pk, row in rows.iterator(chunk_size=10_000):
        pks.append(pk)
        signs += row
    matrix = np.frombuffer(bytes(signs), dtype=np.uint64).reshape(len(pks), -1).T.copy() if pks else None
    return np.array(pks, dtype=np.int64), matrix


def sections(vector, limit):
    """The ids of the (at most) `limit` published sections whose signs are nearest the vector's."""
    pks, matrix = remembered("search-meaning-signs", _index, store=_INDEX)
    if matrix is None:
        return []
    query = np.frombuffer(meaning.signs(vector), dtype=np.uint64)
    differing = np.zeros(len(pks), dtype=np.uint16)
    for words, word in zip(matrix, query, strict=True):
        differing += np.bitwise_count(words ^ word)
    if len(pks) > limit:
        nearest = np.argpartition(differing, limit)[:limit]
        return pks[nearest].tolist()
    return pks.tolist()


def scores(vector, pks):
    """{id: how near the section's meaning is to the vector's (its dot product, -1 to 1)} for the
    given sections: one query for their stored vectors."""
    rows = Section.objects.filter(pk__in=list(pks)).exclude(meaning=b"").values_list("pk", "meaning")
    return {pk: float(meaning.from_bytes(data) @ vector) for pk, data in rows}

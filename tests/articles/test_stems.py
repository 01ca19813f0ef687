"""A section's stems (articles/stems.py), made on write and read by search for the thesaurus's
words; and the words' candidates read from a bounded number of matches (search.WORDS_READ)."""

import importlib

import pytest
from django.db import connection

from articles import search, stems
from articles.models import Section

pytestmark = pytest.mark.django_db


def test_words_are_stemmed_as_the_index_stems_them():
    found = stems.stems("Crying, cried: the THERAPIST'S Café")
    assert found == ["cry", "cri", "the", "therapist", "s", "cafe"]
    # FTS5's own Porter stemmer gives the same for the demo's 776 different stems; short words stay.
    assert stems.stems("a is ok") == ["a", "is", "ok"]


def test_a_phrase_is_found_only_as_words_in_a_row_and_never_across_question_and_answer():
    stored = stems.section_stems("Can my therapist hug me?", "Hugs can be fine. Limits apply.")
    words = stems.words_of(stored)
    assert stems.has_any(words, stems.phrases(["limit"]))  # "Limits": the same stem
    assert stems.has_any(words, stems.phrases(["therapist hugs"]))
    assert not stems.has_any(words, stems.phrases(["hug therapist"]))
    assert not stems.has_any(words, stems.phrases(["me hugs"]))  # the question's end, the answer's start
    assert not stems.has_any(words, stems.phrases(["boundary", ""]))


def test_a_sections_stems_are_made_when_it_is_saved_and_again_when_its_words_change(make_article):
    section = make_article(sections=1).sections.get()
    section.question, section.answer = "Is a present all right?", "A **small** gift, usually."
    section.save()
    stored = Section.objects.get(pk=section.pk).search_stems
    assert stored == "is a present all right | a small gift usual"
    Section.objects.filter(pk=section.pk).update(search_stems="")
    from articles.services import sections_render

    assert sections_render(sections=Section.objects.filter(pk=section.pk)) == 1
    assert Section.objects.get(pk=section.pk).search_stems == stored


def test_the_migration_gives_every_existing_section_its_stems(make_article):
    article = make_article(sections=3)
    Section.objects.filter(article=article).update(search_stems="")
    migration = importlib.import_module("articles.migrations.0019_section_search_stems")
    from types import SimpleNamespace

    from django.apps import apps

    migration.fill(apps, SimpleNamespace(connection=connection))
    for section in Section.objects.filter(article=article):
        assert section.search_stems == stems.section_stems(section.question, section.answer_text)


@pytest.mark.skipif(
    "connection.vendor != 'sqlite'", reason="PostgreSQL matches the thesaurus on each candidate's vector"
)
def test_the_thesaurus_is_matched_in_the_stems_so_a_stale_stem_misses_only_its_synonyms(make_article):
    """SQLite: the reader's own words come from the index (it follows every write); only the
    thesaurus's are read in the stems."""
    section = make_article(sections=1).sections.get()
    section.question, section.answer = "Can I give my therapist a gift?", "A small one, usually."
    section.save()
    groups = search.query_groups("present")
    (measured,) = search._backend().measure(Section.objects.published(), [section.pk], groups, [0])
    assert (measured.own, measured.wide) == (0, 1)
    Section.objects.filter(pk=section.pk).update(search_stems="can i | a small one")
    (measured,) = search._backend().measure(Section.objects.published(), [section.pk], groups, [0])
    assert (measured.own, measured.wide) == (0, 0)


def test_the_words_candidates_are_the_best_of_the_newest_sections_they_find(make_article):
    """However many sections a word is in, found() scores at most `read` of them: the newest."""
    article = make_article(sections=0)
    made = [
        Section.objects.create(article=article, question=f"Question {n} about umbrellas", answer="Umbrellas.")
        for n in range(6)
    ]
    groups = search.query_groups("umbrellas")
    backend = search._backend()
    every = backend.found(Section.objects.published(), groups, 10, 100)
    assert sorted(every) == sorted(section.pk for section in made)
    newest = backend.found(Section.objects.published(), groups, 10, 3)
    assert sorted(newest) == sorted(section.pk for section in made[-3:])
    assert len(backend.found(Section.objects.published(), groups, 2, 3)) == 2


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's windows of ids")
@pytest.mark.parametrize("windows", [(1, 2), (1, 100), (100, 200)])
def test_postgresql_finds_the_newest_matches_whatever_window_they_are_in(make_article, monkeypatch, windows):
    """The matches are looked for in the newest ids first, a wider window only when a narrower one
    found too few: the newest `read` are the same as when every match is read."""
    from articles.search import postgres

    article = make_article(sections=0)
    made = []
    for n in range(24):  # a match in every fourth section: sparse among the newest ids
        umbrellas = n % 4 == 0
        section = Section.objects.create(
            article=article, question=f"Question {n}", answer="Umbrellas." if umbrellas else "Rain."
        )
        if umbrellas:
            made.append(section.pk)
    groups = search.query_groups("umbrellas")
    monkeypatch.setattr(postgres, "WINDOWS", windows)
    newest = postgres.found(Section.objects.published(), groups, 10, 3)
    assert sorted(newest) == sorted(made[-3:])
    assert sorted(postgres.found(Section.objects.published(), groups, 10, 100)) == sorted(made)

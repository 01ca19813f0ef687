"""What a section means (articles/meaning.py): the encoder gives the reference implementation's
vectors, works with no network, and each section's vector is made when it is saved and kept in
step with its question and answer; the first pass over signs (articles/search/nearest.py) finds the
nearest sections and reads a bounded number of vectors."""

import json
import socket
from pathlib import Path

import numpy as np
import pytest
import reversion
from reversion.models import Version

from articles import meaning
from articles.models import Section
from articles.search import nearest
from articles.services import sections_render


def article_with(make_article, pairs, **fields):
    article = make_article(sections=0, **fields)
    for position, (question, answer) in enumerate(pairs, start=1):
        Section.objects.create(article=article, question=question, answer=answer, position=position)
    return article


REFERENCE = json.loads((Path(__file__).parent / "meaning_reference.json").read_text())


@pytest.mark.parametrize("case", REFERENCE["vectors"], ids=lambda case: case["text"][:30])
def test_the_encoder_gives_the_reference_implementations_vectors(case):
    """Made by sentence-transformers with PyTorch from the same model files (the last text is
    longer than the model's 256 tokens: both cut it the same way)."""
    vector = meaning.embed(case["text"])
    expected = np.array(case["vector"], dtype=np.float32)
    assert vector.shape == (meaning.DIMENSIONS,)
    assert np.abs(vector - expected).max() < 1e-3
    assert float(vector @ expected) > 0.9999


def test_texts_that_mean_the_same_are_closer_than_texts_that_do_not():
    hug = meaning.embed("Can my therapist hug me?")
    assert hug @ meaning.embed("is my shrink allowed to give me a cuddle") > 0.5
    assert hug @ meaning.embed("my cat died") < 0.25


def test_the_model_is_read_from_the_installed_package_with_no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the model tried to use the network")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    meaning._model.cache_clear()
    meaning._remembered.cache_clear()
    try:
        assert meaning.embed("a text never seen before in this process").shape == (meaning.DIMENSIONS,)
    finally:
        meaning._model.cache_clear()
        meaning._remembered.cache_clear()


def test_a_stored_vector_is_the_section_vector_in_half_precision():
    vector = meaning.section_vector("Can a therapist hug me?", "Sometimes, if you want it.")
    stored = meaning.from_bytes(meaning.to_bytes(vector))
    assert len(meaning.to_bytes(vector)) == 2 * meaning.DIMENSIONS
    assert np.abs(stored - vector).max() < 1e-3
    assert len(meaning.signs(vector)) == meaning.DIMENSIONS // 8


@pytest.mark.django_db
def test_a_sections_meaning_is_made_when_it_is_saved_and_again_when_its_words_change(make_article):
    article = article_with(make_article, [("Can a therapist hug me?", "Sometimes, if you want it.")])
    section = article.sections.get()
    first = meaning.from_bytes(bytes(section.meaning))
    expected = meaning.section_vector(section.question, section.answer_text)
    assert np.abs(first - expected).max() < 1e-3
    assert bytes(section.meaning_signs) == meaning.signs(expected)

    section.question = "How much does therapy cost?"
    section.save(update_fields=["question"])  # only the question named: the meaning goes too
    section.refresh_from_db()
    assert bytes(section.meaning) != meaning.to_bytes(first)
    assert float(meaning.from_bytes(bytes(section.meaning)) @ meaning.embed("therapy fees")) > float(
        first @ meaning.embed("therapy fees")
    )


@pytest.mark.django_db
def test_stale_or_missing_meanings_are_made_again_by_sections_render(make_article):
    section = article_with(
        make_article, [("Can a therapist hug me?", "Sometimes, if you want it.")]
    ).sections.get()
    Section.objects.filter(pk=section.pk).update(meaning=b"", meaning_signs=b"", rendered_with="old")
    assert sections_render(sections=Section.objects.exclude(rendered_with="x")) == 1
    section.refresh_from_db()
    assert len(bytes(section.meaning)) == 2 * meaning.DIMENSIONS


@pytest.mark.django_db
def test_revisions_keep_what_editors_write_not_the_meaning(make_article):
    article = article_with(make_article, [("Can a therapist hug me?", "Sometimes.")])
    with reversion.create_revision():
        section = article.sections.get()
        section.save()
    data = Version.objects.get_for_object(section).first().field_dict
    assert "meaning" not in data and "meaning_signs" not in data


@pytest.mark.django_db
def test_the_first_pass_finds_the_nearest_sections_and_scores_only_those(
    make_article, django_assert_num_queries
):
    article_with(
        make_article,
        [
            ("Can a therapist hug me?", "A hug can comfort, if you want one."),
            ("How much does therapy cost?", "Fees vary; ask before you start."),
            ("What is a psychiatrist?", "A medical doctor who can prescribe medication."),
        ],
    )
    query = meaning.embed("is my counsellor allowed to give me a cuddle")
    found = nearest.sections(query, 1)
    assert [Section.objects.get(pk=pk).question for pk in found] == ["Can a therapist hug me?"]
    assert len(nearest.sections(query, 10)) == 3
    with django_assert_num_queries(1):
        scores = nearest.scores(query, found)
    assert list(scores) == found and 0.3 < scores[found[0]] <= 1.0


@pytest.mark.django_db
def test_drafts_are_not_in_the_first_pass(make_article):
    article_with(make_article, [("Can a therapist hug me?", "Sometimes.")], status="draft")
    assert nearest.sections(meaning.embed("can my therapist hug me"), 10) == []


@pytest.mark.django_db
def test_the_signs_index_is_not_pushed_out_by_the_many_small_remembered_values(
    make_article, settings, monkeypatch
):
    from articles.freshness import remembered

    settings.DEBUG = False
    article_with(make_article, [("Can a therapist hug me?", "Sometimes.")])
    made, read = [], nearest._index
    monkeypatch.setattr(nearest, "_index", lambda: made.append(1) or read())
    query = meaning.embed("can my therapist hug me")
    assert nearest.sections(query, 1) and nearest.sections(query, 1)
    for n in range(600):  # more small values than the shared store keeps (related articles...)
        remembered(f"related:{n}", lambda n=n: n)
    assert nearest.sections(query, 1)
    assert len(made) == 1

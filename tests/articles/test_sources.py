"""Sources and citations: markers in an answer become numbered notes with a list of sources under
the answer and `citation` in the JSON-LD; an unknown marker is refused; the sources page and the
admin list what cites each source."""

import json

import pytest

from articles import citations
from articles.models import Article, Section, Source
from tests.articles.helpers import article_form
from tests.pages import soup, text


@pytest.fixture
def sources(db):
    apa = Source.objects.create(
        key="apa-2017",
        issuer="American Psychological Association",
        title="Ethical Principles of Psychologists and Code of Conduct",
        edition="2002, amended 2010 and 2016",
        country="US",
        url="https://www.apa.org/ethics/code",
        places_are="standard",
    )
    bacp = Source.objects.create(
        key="bacp-2018",
        issuer="British Association for Counselling and Psychotherapy",
        title="Ethical Framework for the Counselling Professions",
        edition="2018",
        country="GB",
        url="https://www.bacp.co.uk/ethical-framework",
        short_name="BACP",
    )
    return apa, bacp


CITING = (
    "Never with a current client[^apa-2017:10.05][^bacp-2018:paragraph 34]. "
    "After therapy, not for two years[^apa-2017:10.08], and never to exploit[^apa-2017:10.05]."
)


def test_markers_become_numbered_notes_with_a_list_of_sources(client, make_article, sources):
    article = make_article(sections=0)
    Section.objects.create(
        article=article, position=1, question="Can a therapist date a client?", answer=CITING
    )
    page = soup(client.get(article.get_absolute_url()))
    answer = page.select_one(".qa .answer")
    notes = [a.get_text() for a in answer.select("sup a")]
    assert notes == ["[1]", "[2]", "[3]", "[1]"]  # the same source and place keeps its number
    assert "[^" not in answer.get_text()
    items = page.select(".qa .sources li")
    assert [li.get_text(" ", strip=True) for li in items] == [
        "American Psychological Association, Ethical Principles of Psychologists and Code of Conduct "
        "(2002, amended 2010 and 2016), standard 10.05. United States",
        "British Association for Counselling and Psychotherapy, Ethical Framework for the Counselling "
        "Professions (2018), paragraph 34. United Kingdom",
        "American Psychological Association, Ethical Principles of Psychologists and Code of Conduct "
        "(2002, amended 2010 and 2016), standard 10.08. United States",
    ]
    # Each number links to its note, and each note out to its source.
    for link in answer.select("sup a"):
        assert page.find(id=link["href"][1:]) in items
    assert items[1].a["href"] == "https://www.bacp.co.uk/ethical-framework"


def test_the_json_ld_carries_the_citations(client, make_article, sources):
    article = make_article(sections=0)
    Section.objects.create(
        article=article, position=1, question="Can a therapist date a client?", answer=CITING
    )
    data = json.loads(
        soup(client.get(article.get_absolute_url())).find("script", type="application/ld+json").string
    )
    answer = data["mainEntity"][0]["acceptedAnswer"]
    assert [work["name"] for work in answer["citation"]] == [
        "Ethical Principles of Psychologists and Code of Conduct, standard 10.05",
        "Ethical Framework for the Counselling Professions, paragraph 34",
        "Ethical Principles of Psychologists and Code of Conduct, standard 10.08",
    ]
    assert answer["citation"][0]["author"] == {
        "@type": "Organization",
        "name": "American Psychological Association",
    }
    assert answer["citation"][1]["url"] == "https://www.bacp.co.uk/ethical-framework"
    # The plain text (what search reads too) names each note briefly, where the source has a
    # short name.
    assert "Never with a current client (UK: BACP paragraph 34)." in answer["text"]
    assert "[1]" not in answer["text"] and "[^" not in answer["text"]


def test_an_answer_without_markers_has_no_sources_list(client, make_article):
    page = soup(client.get(make_article(sections=1).get_absolute_url()))
    assert page.select(".sources") == []
    assert "citation" not in page.find("script", type="application/ld+json").string


def test_an_unknown_marker_is_refused_next_to_the_answer_and_the_text_kept(admin_client, sources):
    answer = "Never[^apa-2017:10.05], and see [^apa-2071:10.08]."
    response = admin_client.post(
        "/admin/articles/article/add/", article_form([("Can a therapist date a client?", answer, "1")])
    )
    assert response.status_code == 200
    assert not Article.objects.exists()
    page = soup(response)
    errors = page.select(".errorlist")
    assert any("“apa-2071”, which is not a known source" in e.get_text() for e in errors)
    assert page.select_one("textarea[name=sections-0-answer]").get_text().strip() == answer


@pytest.mark.parametrize(
    "written",
    ["[^APA 2017]", "[^apa-2017:" + "x" * 41 + "]", "[^]", "[^-apa:1]"],
)
def test_text_written_like_a_marker_that_is_not_one_is_refused(sources, written):
    problems = citations.problems(f"Never {written}.", {"apa-2017"})
    assert len(problems) == 1 and "is not a citation" in problems[0]


@pytest.mark.parametrize("place", ['<img src=x onerror="alert(1)">', "`10.08`", "a*b*", "10\\.08", "a_b_"])
def test_a_place_can_carry_no_markup(client, make_article, sources, place):
    """Markdown's and HTML's own characters are refused in a place (Python-Markdown would take
    them apart before the marker is read), and such a marker is never a note."""
    marker = f"[^apa-2017:{place}]"
    assert "is not a citation" in citations.problems(f"No{marker}.", {"apa-2017"})[0]
    article = make_article(sections=0)
    section = Section.objects.create(
        article=article, position=1, question="Is it allowed?", answer=f"No{marker}."
    )
    assert section.citations == "[]" and "\x02" not in section.answer_html
    assert "<img" not in client.get(article.get_absolute_url()).content.decode()


def test_a_marker_that_reaches_the_renderer_unknown_is_left_as_written(make_article):
    article = make_article(sections=0)
    section = Section.objects.create(article=article, position=1, question="Q?", answer="Text [^nowhere:1].")
    assert "[^nowhere:1]" in section.answer_html and section.citations == "[]"


def test_editing_a_source_changes_the_pages_and_the_text_that_cite_it(
    client, admin_client, make_article, sources
):
    apa, _ = sources
    article = make_article(sections=0)
    section = Section.objects.create(
        article=article, position=1, question="Q?", answer="Yes[^apa-2017:1.01]."
    )
    assert section.answer_text == "Yes."  # no short name: left out of the plain text
    fields = {"issuer": apa.issuer, "edition": apa.edition, "country": "US", "url": apa.url, "places_are": ""}
    response = admin_client.post(
        f"/admin/articles/source/{apa.pk}/change/", fields | {"title": "Ethics Code", "short_name": "APA"}
    )
    assert response.status_code == 302
    assert "Ethics Code</cite>" in client.get(article.get_absolute_url()).content.decode()
    section.refresh_from_db()
    assert section.answer_text == "Yes (US: APA 1.01)."


def test_a_source_added_after_an_answer_named_it_makes_its_notes(admin_client, make_article, sources):
    article = make_article(sections=0)
    section = Section.objects.create(article=article, position=1, question="Q?", answer="Yes[^aca-2014:A.2].")
    assert "[^aca-2014:A.2]" in section.answer_html  # imported before the source was kept
    fields = {"key": "aca-2014", "issuer": "American Counseling Association", "title": "ACA Code of Ethics"}
    assert admin_client.post("/admin/articles/source/add/", fields).status_code == 302
    section.refresh_from_db()
    assert "[1]" in section.answer_html and section.citations == '[["aca-2014","A.2"]]'


def test_a_note_written_by_hand_in_html_is_left_as_it_is(make_article, sources):
    article = make_article(sections=0)
    answer = 'Yes[^apa-2017:1.01]. <sup><a href="#extra-source-x-5">[5]</a></sup>'
    section = Section.objects.create(article=article, position=1, question="Q?", answer=answer)
    assert section.answer_text == "Yes. [5]"


def test_sections_citing_a_key_are_found_by_the_key_not_by_a_place(make_article, sources):
    article = make_article(sections=0)
    by_key = Section.objects.create(
        article=article, position=1, question="A?", answer="A[^apa-2017:bacp-2018]."
    )
    by_place = Section.objects.create(article=article, position=2, question="B?", answer="B[^bacp-2018:1].")
    assert list(Section.objects.citing("bacp-2018")) == [by_place]
    assert list(Section.objects.citing("apa-2017")) == [by_key]


def test_the_sources_page_lists_each_source_with_the_published_answers_citing_it(
    client, make_article, sources, django_assert_max_num_queries
):
    live = make_article(sections=0, title="Live article")
    Section.objects.create(article=live, position=1, question="Live question?", answer="Yes[^apa-2017:1.01].")
    draft = make_article(sections=0, status="draft", title="Draft article")
    Section.objects.create(
        article=draft, position=1, question="Draft question?", answer="Yes[^apa-2017:1.02]."
    )
    with django_assert_max_num_queries(3 + 5):  # the sources, one for each, and the session's few
        response = client.get("/sources/")
    page = soup(response)
    apa = page.select_one("#source-apa-2017")
    assert "Live question?" in apa.get_text() and "Draft question?" not in text(response)
    assert apa.select_one(f"a[href='/articles/{live.slug}/#live-question']")
    assert "No published answer cites it yet." in page.select_one("#source-bacp-2018").get_text()
    assert page.select_one("footer a[href='/sources/']")


def test_a_cited_source_is_not_deleted_and_the_admin_says_what_cites_it(admin_client, make_article, sources):
    apa, bacp = sources
    article = make_article(sections=0, title="Dating")
    Section.objects.create(article=article, position=1, question="Q?", answer="No[^apa-2017:10.05].")
    page = text(admin_client.get(f"/admin/articles/source/{apa.pk}/delete/"))
    assert "Dating: Q? (cites apa-2017)" in page
    response = admin_client.post(f"/admin/articles/source/{apa.pk}/delete/", {"post": "yes"})
    assert Source.objects.filter(pk=apa.pk).exists() and response.status_code in (200, 403)
    admin_client.post(f"/admin/articles/source/{bacp.pk}/delete/", {"post": "yes"})
    assert not Source.objects.filter(pk=bacp.pk).exists()  # cited nowhere


def test_the_admin_lists_what_cites_a_source_and_keeps_its_key(admin_client, make_article, sources):
    apa, _ = sources
    article = make_article(sections=0, status="draft", title="Dating")
    Section.objects.create(article=article, position=1, question="Q?", answer="No[^apa-2017:10.05].")
    listing = soup(admin_client.get("/admin/articles/source/"))
    assert listing.select_one(".field-cited_by").get_text() in ("1", "0")
    page = soup(admin_client.get(f"/admin/articles/source/{apa.pk}/change/"))
    assert "Dating" in page.select_one(".cited-in").get_text()
    assert page.select_one("input[name=key]") is None  # shown, not editable


def test_the_demo_answers_cite_their_sources(db):
    from articles.demo import load_articles

    load_articles()
    cited = Section.objects.exclude(citations="[]")
    assert cited.count() >= 10
    assert not Section.objects.filter(answer_html__contains="[^").exists()
    assert not Section.objects.filter(answer__regex=r"\((US|UK): ").exists()  # the old way, converted


@pytest.mark.django_db(transaction=True)  # announcements go again on commit
def test_the_sources_page_follows_added_and_deleted_sources(client, admin_client, sources, settings):
    settings.DEBUG = False  # what is the same for everyone is kept, as in production
    assert "Ethical Framework" in text(client.get("/sources/"))
    _, bacp = sources
    assert admin_client.post(f"/admin/articles/source/{bacp.pk}/delete/", {"post": "yes"}).status_code == 302
    assert "Ethical Framework" not in text(client.get("/sources/"))
    fields = {
        "key": "nasw-2017",
        "issuer": "National Association of Social Workers",
        "title": "Code of Ethics",
    }
    assert admin_client.post("/admin/articles/source/add/", fields).status_code == 302
    assert "National Association of Social Workers" in text(client.get("/sources/"))

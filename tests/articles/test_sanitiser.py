import re

import pytest

from articles.markdown import markdown_to_html
from articles.models import Section

ATTACKS = {
    "script": "Hello <script>alert('x')</script> there",
    "onerror": 'Look: <img src="x.png" onerror="alert(1)">',
    "javascript-link": "[click me](javascript:alert(1))",
    "javascript-html-link": '<a href="JaVaScRiPt:alert(1)">click</a>',
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "onclick": '<p onclick="alert(1)">text</p>',
}


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
def test_dangerous_markup_is_removed(attack):
    html = markdown_to_html(attack).lower()
    for needle in ("<script", "onerror", "onclick", "javascript:", "<iframe", "alert(1)</"):
        assert needle not in html


@pytest.mark.django_db
@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
def test_dangerous_markup_never_reaches_a_readers_page(client, make_article, attack):
    article = make_article(sections=0)
    Section.objects.create(article=article, question="Is this safe?", answer=attack)
    page = client.get(f"/articles/{article.slug}/").content.decode().lower()
    body = page.split("<main", 1)[1]
    # The page's one script is its JSON-LD data, whose text can't close the element.
    json_ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    assert "<" not in json_ld.group(1)
    body = body.replace(json_ld.group(0), "")
    for needle in ("<script", "onerror=", "onclick=", "javascript:", "<iframe"):
        assert needle not in body


def test_safe_markdown_survives():
    html = markdown_to_html("Some **bold**, a [link](https://www.nhs.uk/) and:\n\n- one\n- two")
    assert "<strong>bold</strong>" in html
    assert 'href="https://www.nhs.uk/"' in html
    assert "<ul>" in html and "<li>one</li>" in html


def test_answer_headings_start_below_the_question_heading():
    html = markdown_to_html("# Big\n\n## Smaller\n\ntext")
    assert "<h1" not in html and "<h2" not in html
    assert "<h3>Big</h3>" in html and "<h4>Smaller</h4>" in html

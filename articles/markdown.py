"""
Markdown for answers, rendered to HTML that is safe to show to readers.

Python-Markdown passes raw HTML through untouched, so every rendering goes through nh3 with an
allowlist: no scripts, no event handlers, no `javascript:` links, no frames.
"""

import html

import markdown
import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "abbr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def markdown_to_html(text):
    """Render an answer. Headings start at h3: the page has the h1 and each question is an h2."""
    rendered = markdown.markdown(
        text,
        extensions=["toc", "sane_lists", "tables"],
        extension_configs={"toc": {"baselevel": 3}},
        output_format="html",
    )
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def html_to_text(cleaned_html):
    """Cleaned HTML as plain text without markup, e.g. for JSON-LD and meta descriptions."""
    stripped = nh3.clean(cleaned_html, tags=set())
    return " ".join(html.unescape(stripped).split())


def markdown_to_text(text):
    return html_to_text(markdown_to_html(text))

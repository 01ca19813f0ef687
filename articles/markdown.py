"""
Markdown for answers, rendered to HTML that is safe to show to readers.

Python-Markdown passes raw HTML through untouched, so every rendering goes through nh3 with an
allowlist: no scripts, no event handlers, no `javascript:` links, no frames.
"""

import hashlib
import html
import inspect

import markdown
import nh3

from articles import citations, meaning

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
    "sup",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["toc", "sane_lists", "tables"]
EXTENSION_CONFIGS = {"toc": {"baselevel": 3}}


def _renderer_fingerprint():
    settings = [
        markdown.__version__,
        nh3.__version__,
        sorted(ALLOWED_TAGS),
        sorted(ALLOWED_URL_SCHEMES),
        sorted((tag, sorted(names)) for tag, names in ALLOWED_ATTRIBUTES.items()),
        EXTENSIONS,
        sorted(EXTENSION_CONFIGS["toc"].items()),
        meaning.VERSION,
        inspect.getsource(citations),  # the markers, their notes and the plain text's names
    ]
    return hashlib.sha256(repr(settings).encode()).hexdigest()[:16]


# What renders answers: the libraries' versions and the settings above, and what makes a section's
# meaning (articles/meaning.py, stored with the answer). Answers are stored with the
# renderer that made them; `migrate` renders again those made by another (articles.signals).
RENDERER = _renderer_fingerprint()


def markdown_to_html(text, cited=None):
    """Render an answer. Headings start at h3: the page has the h1 and each question is an h2.
    `cited`: a citations.CitationsExtension, to turn citation markers into numbered notes."""
    rendered = markdown.markdown(
        text,
        extensions=[*EXTENSIONS, *([cited] if cited else [])],
        extension_configs=EXTENSION_CONFIGS,
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

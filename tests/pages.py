"""Reading pages in tests, as a browser would see them."""

from bs4 import BeautifulSoup


def soup(response):
    """The page of a response (or HTML text) as a parsed document."""
    content = response if isinstance(response, (str, bytes)) else response.content
    return BeautifulSoup(content, "html.parser")


def text(response):
    """The words of a page, as a reader sees them (tags gone, white space folded)."""
    return soup(response).get_text(" ", strip=True)

import pytest

from tests.pages import soup, text

pytestmark = pytest.mark.django_db


def test_the_privacy_page_says_what_is_kept_with_the_sites_own_numbers(client, settings):
    settings.FAQSITE_GUEST_DATA_DAYS = 45
    settings.SESSION_COOKIE_AGE = 10 * 24 * 3600
    page = client.get("/privacy/")
    words = " ".join(text(page).split())
    assert "deleted 45 days after you last used them" in words
    assert "The counts are deleted after 45 days." in words  # searches (articles/search_log.py)
    assert "If you don't visit for 10 days you are logged out" in words
    assert soup(page).find("a", href="/accounts/")  # where to download or delete it
    # Every page's footer links to it.
    assert soup(client.get("/")).select_one("footer a[href='/privacy/']")

"""Counting searches in a real browser: the click on a result reaches the site (search-clicks.js,
under the page's Content Security Policy), and going Back to the results counts no new search."""

import re
import time

import pytest
from playwright.sync_api import expect

from articles.models import WeeklySearch

pytestmark = pytest.mark.django_db(transaction=True)


def counted(text, until, seconds=5):
    """The row of `text` once `until(row)` holds (the beacon arrives when it arrives)."""
    deadline = time.monotonic() + seconds
    while True:
        row = WeeklySearch.objects.filter(text=text).first()
        if (row is not None and until(row)) or time.monotonic() > deadline:
            return row
        time.sleep(0.1)


def test_a_click_on_a_result_is_counted_and_back_counts_no_new_search(page, site):
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.goto(f"{site}/search/?q=Gifts")
    expect(page.locator(".search-hit").first).to_contain_text("gift")
    page.locator(".search-hit a").first.click()
    expect(page).to_have_url(re.compile(r"/articles/boundaries-in-therapy/"))
    row = counted("gifts", lambda row: row.clicked == 1)
    assert (row.searches, row.readers, row.found_nothing, row.clicked) == (1, 1, 0, 1)
    page.go_back()
    expect(page.locator(".search-hit").first).to_contain_text("gift")
    # The same words searched again from the box: a second search by the same reader.
    page.get_by_role("searchbox", name="Search the questions and answers").press("Enter")
    expect(page.locator(".search-hit").first).to_contain_text("gift")
    row = counted("gifts", lambda row: row.searches == 2)
    assert (row.searches, row.readers, row.clicked) == (2, 1, 1)
    assert not problems, problems


def test_without_javascript_searches_are_counted_and_clicks_are_not(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/search/?q=gifts")
    page.locator(".search-hit a").first.click()
    expect(page).to_have_url(re.compile(r"/articles/boundaries-in-therapy/"))
    time.sleep(0.5)
    row = WeeklySearch.objects.get(text="gifts")
    assert (row.searches, row.clicked) == (1, 0)
    context.close()

"""Counting searches in a real browser: the click on a result reaches the site (search-clicks.js,
under the page's Content Security Policy), and going Back to the results counts no new search."""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
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
    page.get_by_role("combobox", name="Search the questions and answers").press("Enter")
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


def test_the_editors_page_fits_a_phone_and_hides_words_of_few_readers(page, site, editors_group, shoot):
    editor = get_user_model().objects.create_user("erin", password="editor-pass-123", is_staff=True)
    editor.groups.add(editors_group)
    client = Client()
    client.force_login(editor)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site}])
    week = WeeklySearch.week_for(timezone.localdate())
    WeeklySearch.objects.create(
        text="grief after my dog died", week=week, searches=8, readers=6, found_nothing=8
    )
    WeeklySearch.objects.create(text="therapist texting me at night", week=week, searches=5, readers=4)
    WeeklySearch.objects.create(text="my secret", week=week, searches=2, readers=2, found_nothing=2)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{site}/admin/quizzes/quiz/")
    page.get_by_role("link", name="Searches without an answer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Searches without an answer")
    expect(page.get_by_role("rowheader", name="grief after my dog died")).to_be_visible()
    expect(page.locator("#content-main")).not_to_contain_text("my secret")
    expect(page.locator("#content-main")).to_contain_text("2 more searches by fewer than 3 readers each")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    shoot(page, "admin-searches-without-an-answer")

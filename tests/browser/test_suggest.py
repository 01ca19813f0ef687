"""Questions suggested as the reader types (static/articles/suggest.js), in a real browser: the
WAI-ARIA combobox with a listbox popup on the home page and the search page, keyboard and pointer,
stale answers dropped, axe and the HTML checker with the list open, and the plain form without
JavaScript."""

import json
import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import violations
from tests.test_html_validity import VNU, java  # noqa: F401 - `java` is a fixture

pytestmark = pytest.mark.django_db(transaction=True)

HOME_BOX = "Ask a question or search for a word"
SEARCH_BOX = "Search the questions and answers"


def type_into(page, box, text):
    """Type as a reader does, a key at a time, and wait for the list of suggestions."""
    box.press_sequentially(text, delay=40)
    expect(box).to_have_attribute("aria-expanded", "true")
    return page.locator("#" + box.get_attribute("aria-controls"))


def html_errors(java, page, tmp_path):  # noqa: F811 - the fixture's value
    """The Nu HTML checker's errors in the page as it stands now (the list open)."""
    path = tmp_path / "page.html"
    path.write_text(page.content())
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    return [
        f"{m.get('lastLine')}: {m['message']}"
        for m in json.loads(result.stdout)["messages"]
        if m["type"] == "error"
    ]


def test_suggestions_on_the_home_page_by_keyboard(page, site, java, tmp_path):  # noqa: F811
    page.goto(site)
    box = page.get_by_role("combobox", name=HOME_BOX)
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_attribute("aria-autocomplete", "list")
    listbox = type_into(page, box, "can my therapist")
    expect(listbox).to_have_attribute("role", "listbox")
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    count = options.count()
    assert 1 <= count <= 6
    # A polite live region says how many, without moving the focus from the box.
    expect(page.locator("[aria-live=polite]")).to_have_text(f"{count} suggested questions.")
    expect(box).to_be_focused()
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile(".*"))

    # Down and Up move through the suggestions; the focus stays in the box.
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", options.nth(0).get_attribute("id"))
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", options.nth(1).get_attribute("id"))
    expect(options.nth(0)).not_to_have_attribute("aria-selected", "true")
    box.press("ArrowUp")
    expect(box).to_have_attribute("aria-activedescendant", options.nth(0).get_attribute("id"))
    box.press("ArrowUp")  # from the first, Up goes round to the last
    expect(box).to_have_attribute("aria-activedescendant", options.nth(count - 1).get_attribute("id"))
    box.press("ArrowDown")
    expect(box).to_be_focused()

    # axe and the HTML checker find nothing with the list open and a suggestion chosen.
    assert violations(page) == []
    assert html_errors(java, page, tmp_path) == []

    # Escape closes the list and keeps what was typed; Down opens it again.
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(listbox).to_be_hidden()
    expect(box).to_have_value("can my therapist")
    box.press("ArrowDown")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-activedescendant", options.nth(0).get_attribute("id"))
    box.press("ArrowDown")
    chosen = options.nth(1).locator(".suggestion-question").text_content()
    box.press("Enter")  # opens the chosen suggestion, not the search
    expect(page).to_have_url(re.compile(r"/articles/[\w-]+/#[\w-]+$"))
    anchor = page.url.split("#")[1]
    expect(page.locator(f"#{anchor}")).to_have_text(chosen)
    expect(page.locator(f"#{anchor}")).to_be_in_viewport()


def test_suggestions_on_the_search_page_by_pointer(page, site, java, tmp_path):  # noqa: F811
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(site + "/search/?q=gift")
    box = page.get_by_role("combobox", name=SEARCH_BOX)
    expect(box).to_have_value("gift")
    expect(page.locator("#search-q-suggestions")).to_be_hidden()  # not opened by the page itself
    box.fill("")
    listbox = type_into(page, box, "confidential")
    option = listbox.get_by_role("option").first
    # On a phone the list fits the width: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert violations(page) == []
    assert html_errors(java, page, tmp_path) == []
    question = option.locator(".suggestion-question").text_content()
    option.click()
    expect(page).to_have_url(re.compile(r"/articles/[\w-]+/#[\w-]+$"))
    expect(page.locator("#" + page.url.split("#")[1])).to_have_text(question)


def test_enter_without_a_chosen_suggestion_searches(page, site):
    page.goto(site)
    box = page.get_by_role("combobox", name=HOME_BOX)
    type_into(page, box, "gift")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=gift$"))
    expect(page.locator(".search-hit").first).to_be_visible()


def test_one_request_per_pause_and_stale_answers_dropped(page, site):
    asked, dropped = [], []
    page.on("request", lambda r: "/search/suggest/" in r.url and asked.append(r.url))
    page.on("requestfailed", lambda r: "/search/suggest/" in r.url and dropped.append(r.url))
    held = []

    def hold_the_first(route):
        if not held:
            held.append(route)  # answered late, after a newer query was asked
        else:
            route.continue_()

    page.goto(site)
    page.route("**/search/suggest/*", hold_the_first)
    box = page.get_by_role("combobox", name=HOME_BOX)
    box.press_sequentially("crying", delay=20)  # quicker than the pause: one request
    page.wait_for_timeout(400)
    assert [url.split("?")[1] for url in asked] == ["q=crying"]
    box.press_sequentially(" gift", delay=20)
    expect(box).to_have_attribute("aria-expanded", "true")
    assert [url.split("?")[1] for url in asked] == ["q=crying", "q=crying%20gift"]
    assert dropped == [asked[0]]  # the first was cancelled when the second was asked
    try:
        held[0].continue_()
    except Exception:  # noqa: S110 - the browser has already dropped it
        pass
    page.wait_for_timeout(300)
    shown = page.locator("#home-q-suggestions [role=option] .suggestion-question").all_text_contents()

    def answer(query):
        return [
            s["question"] for s in page.request.get(f"{site}/search/suggest/?q={query}").json()["suggestions"]
        ]

    assert answer("crying") != answer("crying gift")
    assert shown == answer("crying gift")  # the late answer to "crying" changed nothing


def test_fewer_than_two_letters_ask_nothing_and_close_the_list(page, site):
    asked = []
    page.on("request", lambda r: "/search/suggest/" in r.url and asked.append(r.url))
    page.goto(site)
    box = page.get_by_role("combobox", name=HOME_BOX)
    box.press_sequentially("g")
    page.wait_for_timeout(400)
    assert asked == []
    listbox = type_into(page, box, "ift")
    box.press("Backspace")
    box.press("Backspace")
    box.press("Backspace")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")


def test_without_javascript_the_form_is_as_it_was(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site)
    box = page.get_by_role("searchbox", name=HOME_BOX)
    assert box.get_attribute("role") is None and page.locator("[role=listbox]").count() == 0
    box.fill("gift")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=gift$"))
    expect(page.get_by_role("searchbox", name=SEARCH_BOX)).to_have_value("gift")
    context.close()


def test_the_script_is_one_file_under_the_sites_policy(page, site):
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site)
    type_into(page, page.get_by_role("combobox", name=HOME_BOX), "gift")
    assert errors == []  # no Content-Security-Policy report, no script error
    source = Path(__file__).resolve().parents[2] / "static" / "articles" / "suggest.js"
    assert "innerHTML" not in source.read_text()  # suggestions are text, never markup

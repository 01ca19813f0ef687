"""What readers searched for, counted per week without knowing who (articles/search_log.py): the
counting, the clicks, the editors' "Searches without an answer" page, and the retention."""

import logging
import threading
from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django import db
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import OperationalError, connection, models
from django.test import Client
from django.utils import timezone

from articles import search_log, services, views
from articles.models import WeeklySearch
from articles.search_log import COOKIE_NAME, MAX_COUNTED, weekly_report
from tests.pages import soup, text

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 12, 7)


@pytest.fixture
def answers(make_article):
    """A published article whose sections a search for "answer" finds."""
    return make_article(sections=3)


@pytest.fixture
def on(monkeypatch):
    """on(moment): the clock says `moment` (an aware datetime) from now on."""

    def set_clock(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_clock


def at(day, hour=12, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=timezone.get_current_timezone())


def rows():
    return {row.text: row for row in WeeklySearch.objects.all()}


def search(client, query, **params):
    return client.get("/search/", {"q": query, **params})


# Counting searches


def test_a_search_that_finds_nothing_is_counted_by_its_plain_words_in_its_week(client, answers, on):
    on(at(MONDAY + timedelta(days=3)))  # a Thursday
    response = search(client, "  Zebra, ASTROLOGY?! ")
    assert response.status_code == 200
    row = WeeklySearch.objects.get()
    assert (row.text, row.week) == ("zebra astrology", MONDAY)
    assert (row.searches, row.readers, row.found_nothing, row.clicked) == (1, 1, 1, 0)


def test_a_search_that_finds_answers_is_counted_as_found(client, answers):
    search(client, "answer")
    row = WeeklySearch.objects.get()
    assert (row.text, row.searches, row.readers, row.found_nothing) == ("answer", 1, 1, 0)


def test_a_browser_searching_again_is_one_reader_and_two_searches(client, answers):
    search(client, "Can my therapist hug me?")
    search(client, "can my therapist HUG me")  # the same words, made plain
    search(client, "answer")
    assert (rows()["can my therapist hug me"].searches, rows()["can my therapist hug me"].readers) == (2, 1)
    search(Client(), "can my therapist hug me")  # another browser
    row = rows()["can my therapist hug me"]
    assert (row.searches, row.readers) == (3, 2)
    assert (rows()["answer"].searches, rows()["answer"].readers) == (1, 1)


def test_later_pages_empty_searches_and_staff_are_not_counted(client, make_article, editor):
    make_article(sections=15)  # two pages of results for "answer"
    assert search(client, "answer", page=2).status_code == 200
    search(client, "")
    search(client, "?!… ")
    client.head("/search/", {"q": "answer"})
    assert not WeeklySearch.objects.exists()
    staff = Client()
    staff.force_login(editor)
    search(staff, "answer")
    assert not WeeklySearch.objects.exists()
    search(client, "answer", page=1)
    assert WeeklySearch.objects.get().searches == 1


def test_the_readers_cookie_lists_no_words_is_sent_only_to_search_and_ends_with_the_week(client, answers, on):
    on(at(MONDAY + timedelta(days=2), hour=9))
    response = search(client, "my secret worry")
    cookie = response.cookies[COOKIE_NAME]
    assert cookie["path"] == "/search/" and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["expires"] == "Mon, 14 Dec 2026 00:00:00 GMT"  # the next Monday
    assert cookie["max-age"] == (4 * 24 + 15) * 3600
    assert "secret" not in cookie.value and "worry" not in cookie.value
    # No other cookie: a search makes no session and leaves no visitor key.
    assert set(response.cookies) == {COOKIE_NAME}
    # Searching again sets nothing new.
    assert COOKIE_NAME not in search(client, "My secret worry!").cookies


def test_a_forged_or_last_weeks_cookie_counts_the_reader_again(client, answers, on):
    on(at(MONDAY + timedelta(days=6), hour=23))  # Sunday
    search(client, "answer")
    on(at(MONDAY + timedelta(days=7), hour=1))  # Monday: a new week, a new count
    search(client, "answer")
    assert [(row.week, row.readers) for row in WeeklySearch.objects.order_by("week")] == [
        (MONDAY, 1),
        (MONDAY + timedelta(days=7), 1),
    ]
    value = client.cookies[COOKIE_NAME].value
    client.cookies[COOKIE_NAME] = value[:-2] + ("AA" if not value.endswith("AA") else "BB")
    search(client, "answer")
    assert WeeklySearch.objects.get(week=MONDAY + timedelta(days=7)).readers == 2


def test_the_cookie_stays_small_however_many_searches(client, answers):
    for n in range(MAX_COUNTED + 10):
        search(client, f"question number {n}")
    assert len(client.cookies[COOKIE_NAME].value) < 1000
    # The newest are remembered; the oldest fall out and would be counted again.
    search(client, f"question number {MAX_COUNTED + 9}")
    search(client, "question number 0")
    assert rows()[f"question number {MAX_COUNTED + 9}"].readers == 1
    assert rows()["question number 0"].readers == 2


def test_long_searches_are_counted_under_a_bounded_text():
    assert len(WeeklySearch.text_for("word " * 100)) <= 100
    assert WeeklySearch.text_for("word " * 100).endswith("word")  # cut at a space
    assert WeeklySearch.text_for("x" * 300) == "x" * 100
    assert WeeklySearch.text_for("Don’t   I—need\tthe_thérapist’s OK?") == "dont i need the thérapists ok"
    assert WeeklySearch.text_for("ＦＵＬＬ width") == "full width"
    assert WeeklySearch.text_for("!!! ???") == ""


def test_searches_past_the_hourly_limit_from_one_address_are_shown_but_not_counted(
    client, answers, monkeypatch
):
    monkeypatch.setattr(search_log, "SEARCH_LOG_RATE", "3/h")
    for n in range(5):
        assert search(client, f"search {n}").status_code == 200
    assert sorted(rows()) == ["search 0", "search 1", "search 2"]
    search(Client(REMOTE_ADDR="192.0.2.9"), "search 4")  # another address is counted
    assert "search 4" in rows()


def test_a_search_is_shown_even_when_it_cannot_be_counted(client, answers, monkeypatch, caplog):
    def broken(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(search_log, "search_record", broken)
    with caplog.at_level(logging.WARNING, logger="articles.search_log"):
        response = search(client, "answer")
    assert response.status_code == 200 and "3 answers found" in text(response)
    assert "could not be counted" in caplog.text
    assert COOKIE_NAME not in response.cookies  # not counted, so not remembered as counted


def test_a_row_another_request_made_first_is_added_to_not_replaced():
    """The week's row made by another request (at the same moment, say) is kept and counted on."""
    WeeklySearch.objects.create(text="crying", week=MONDAY, searches=4, readers=3, found_nothing=1)
    services.search_record(text="crying", week=MONDAY, found=0, new_reader=True)
    row = WeeklySearch.objects.get()
    assert (row.searches, row.readers, row.found_nothing) == (5, 4, 2)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a real race needs concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_searches_made_at_the_same_moment_are_all_counted():
    """Eight connections count the same new search at once, five times over: no count is lost
    and there is one row."""
    for round_ in range(5):
        barrier = threading.Barrier(8)
        errors = []

        def run(n, round_=round_, barrier=barrier, errors=errors):
            try:
                barrier.wait(timeout=10)
                services.search_record(text=f"race {round_}", week=MONDAY, found=n % 2, new_reader=n < 3)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                db.connections.close_all()

        threads = [threading.Thread(target=run, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert not errors, errors
        row = WeeklySearch.objects.get(text=f"race {round_}")
        assert (row.searches, row.readers, row.found_nothing) == (8, 3, 4)


# Nothing about who searched


def test_the_counts_hold_no_identity():
    """No account, address, session, visitor or browser: only words, a week and counts."""
    fields = {field.name: field for field in WeeklySearch._meta.get_fields()}
    assert set(fields) == {"id", "text", "week", "searches", "readers", "found_nothing", "clicked"}
    assert not any(field.is_relation for field in fields.values())
    assert all(
        isinstance(fields[name], models.PositiveIntegerField)
        for name in ("searches", "readers", "found_nothing", "clicked")
    )


def test_a_logged_in_readers_search_is_counted_as_anyones(client, reader, answers):
    client.force_login(reader)
    response = search(client, "answer")
    assert response["Cache-Control"] == "private, no-store"  # a logged-in reader's pages stay so
    row = WeeklySearch.objects.values().get()
    assert {key: row[key] for key in row if key not in ("id", "week")} == {
        "text": "answer",
        "searches": 1,
        "readers": 1,
        "found_nothing": 0,
        "clicked": 0,
    }


# Clicks


def click(client, query="answer", **headers):
    return client.post("/search/clicks/", {"q": query}, headers={"Sec-Fetch-Site": "same-origin", **headers})


def test_a_click_on_a_result_is_counted_for_the_search(client, answers):
    search(client, "Answer!")
    response = click(client, "answer")
    assert response.status_code == 204
    assert WeeklySearch.objects.get().clicked == 1
    # Not more clicks than searches that found something: a second is refused.
    response = click(client, "answer")
    assert response.status_code == 404 and "waiting for a click" in response.content.decode()
    assert WeeklySearch.objects.get().clicked == 1


def test_a_click_by_staff_is_not_counted(client, answers, editor):
    search(client, "answer")
    staff = Client()
    staff.force_login(editor)
    assert click(staff, "answer").status_code == 204
    assert WeeklySearch.objects.get().clicked == 0


def test_a_click_for_a_search_that_found_nothing_or_was_never_made_is_not_counted(client, answers):
    search(client, "zebra astrology")
    assert click(client, "zebra astrology").status_code == 404
    assert click(client, "never searched").status_code == 404
    assert WeeklySearch.objects.get().clicked == 0


def test_a_click_just_after_monday_midnight_counts_for_sundays_search(client, answers, on):
    on(at(MONDAY + timedelta(days=6), hour=23, minute=59))
    search(client, "answer")
    on(at(MONDAY + timedelta(days=7), hour=0, minute=1))
    assert click(client, "answer").status_code == 204
    assert WeeklySearch.objects.get().clicked == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://attacker.example"},
    ],
)
def test_a_click_sent_from_another_sites_page_is_refused(client, answers, headers):
    search(client, "answer")
    response = client.post("/search/clicks/", {"q": "answer"}, headers=headers)
    assert response.status_code == 403 and "this site's own search page" in response.content.decode()
    assert WeeklySearch.objects.get().clicked == 0


def test_clicks_are_limited_per_address(client, answers, monkeypatch):
    monkeypatch.setattr(views, "SEARCH_CLICK_RATE", "2/h")
    for _ in range(3):
        search(client, "answer")
    assert [click(client).status_code for _ in range(3)] == [204, 204, 429]
    assert "Too many clicks" in click(client).content.decode()
    assert WeeklySearch.objects.get().clicked == 2


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({}, "send its words as q"),
        ({"q": ""}, "send its words as q"),
        ({"q": "?!"}, "no letters or digits"),
        ({"q": "x" * 2001}, "at most 2,000 characters"),
    ],
)
def test_a_click_without_a_searchs_words_is_a_400_that_says_why(client, data, words):
    response = client.post("/search/clicks/", data, headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 400 and words in response.content.decode()
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_clicks_are_only_posted(client):
    assert client.get("/search/clicks/", {"q": "answer"}).status_code == 405


def test_the_search_page_loads_the_click_script_only_for_a_search(client, answers):
    script = soup(search(client, "answer")).find("script", src=lambda src: src and "search-clicks" in src)
    assert script["data-click-url"] == "/search/clicks/" and script.has_attr("defer")
    assert not soup(client.get("/search/")).find("script", src=lambda src: src and "search-clicks" in src)


# The editors' page


def add(text, week=MONDAY, searches=5, readers=3, found_nothing=0, clicked=0):
    return WeeklySearch.objects.create(
        text=text, week=week, searches=searches, readers=readers, found_nothing=found_nothing, clicked=clicked
    )


def page(client, user):
    client.force_login(user)
    return client.get("/admin/articles/article/searches/")


def test_editors_see_the_searches_left_without_an_answer_by_week(client, editor):
    add("grief after a pet died", searches=9, readers=4, found_nothing=9)
    add("fees", searches=6, readers=5, clicked=2)  # found answers: 4 left without a click
    add("answered well", searches=7, readers=6, clicked=7)  # every search clicked: not shown
    add("my cat died", searches=4, readers=2, found_nothing=4)  # 2 readers: counts only
    add("my ex is my therapist", searches=1, readers=1, found_nothing=0)
    add("older question", week=MONDAY - timedelta(days=7), searches=3, readers=3, found_nothing=3)
    response = page(client, editor)
    assert response.status_code == 200
    html = soup(response)
    weeks = html.select(".module")
    assert [week.h2.get_text() for week in weeks] == [
        "Week of Monday 7 December to Sunday 13 December 2026",
        "Week of Monday 30 November to Sunday 6 December 2026",
    ]
    table = [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for row in weeks[0].select("tbody tr")
    ]
    assert table == [
        ["grief after a pet died", "9", "4", "9", "0"],
        ["fees", "6", "5", "0", "4"],
        ["5 more searches by fewer than 3 readers each (their words are not shown)", "5", "–", "4", "1"],
    ]
    page_text = text(response)
    assert "my cat died" not in page_text and "my ex is my therapist" not in page_text
    assert "answered well" not in page_text
    assert "27 searches: 13 found nothing, 5 found answers and had no click." in page_text
    assert "without JavaScript a click is not counted" in page_text


def test_a_row_has_no_admin_page_of_its_own(client, editor):
    """One would show the words of a search fewer than 3 readers made."""
    assert WeeklySearch not in admin.site._registry
    row = add("my cat died", readers=1)
    client.force_login(editor)
    response = client.get(f"/admin/articles/weeklysearch/{row.pk}/change/")
    assert response.status_code == 404 and "my cat died" not in response.content.decode()


def test_readers_and_staff_without_the_permission_are_refused(client, reader, django_user_model):
    add("grief after a pet died", found_nothing=5)
    response = page(client, reader)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    staff = django_user_model.objects.create_user("dora", "dora@example.org", "dora-password", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["change_article", "view_quiz"]))
    staff_client = Client()
    response = page(staff_client, staff)
    assert response.status_code == 403 and "grief" not in response.content.decode()
    for url in ["/admin/quizzes/quiz/", "/admin/articles/article/"]:  # and no link to it
        response = staff_client.get(url)
        assert response.status_code == 200 and "Searches without an answer" not in response.content.decode()


def test_editors_find_the_page_beside_content_health_and_on_the_article_list(client, editor):
    client.force_login(editor)
    for url in ["/admin/quizzes/quiz/", "/admin/articles/article/"]:
        link = soup(client.get(url)).find("a", string="Searches without an answer")
        assert link["href"] == "/admin/articles/article/searches/", url
    assert soup(client.get("/admin/quizzes/quiz/health/")).find("a", href="/admin/articles/article/searches/")


def test_with_nothing_counted_the_page_says_so(client, editor):
    assert "No searches have been counted yet." in text(page(client, editor))


def test_the_report_is_two_queries_and_shows_at_most_fifty_rows_a_week(
    django_assert_num_queries, monkeypatch
):
    for weeks_ago in range(3):
        for n in range(60):
            add(
                f"question {n:02}",
                week=MONDAY - timedelta(days=7 * weeks_ago),
                searches=3 + n,
                found_nothing=1,
            )
    with django_assert_num_queries(2):
        report = weekly_report()
    assert [week.week for week in report] == [MONDAY - timedelta(days=7 * n) for n in range(3)]
    first = report[0]
    assert len(first.rows) == 50 and first.more_rows == 10
    assert [row.text for row in first.rows[:2]] == ["question 59", "question 58"]  # most unanswered first


# Kept 90 days


def test_clear_guest_data_deletes_the_weeks_that_began_more_than_90_days_ago(on):
    on(at(MONDAY))
    add("old", week=MONDAY - timedelta(days=91))
    add("still here", week=MONDAY - timedelta(days=84))
    add("this week", week=MONDAY)
    out = StringIO()
    call_command("clear_guest_data", stdout=out)
    assert "and 1 weekly search count older than 90 days" in out.getvalue()
    assert set(rows()) == {"still here", "this week"}
    call_command("clear_guest_data", stdout=out)  # again: nothing more
    assert set(rows()) == {"still here", "this week"}
    call_command("clear_guest_data", "--days", "7", stdout=out)
    assert set(rows()) == {"this week"}


def test_the_older_than_read_is_by_the_day_the_week_began():
    add("a", week=MONDAY)
    assert not WeeklySearch.objects.older_than(at(MONDAY, hour=23)).exists()
    assert WeeklySearch.objects.older_than(at(MONDAY + timedelta(days=1), hour=0)).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's commit waits for the disk")
def test_counting_a_search_does_not_wait_for_the_disk_on_postgresql():
    services.search_record(text="crying", week=MONDAY, found=1, new_reader=True)
    with connection.cursor() as cursor:  # still inside the test's transaction, where SET LOCAL holds
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "off"


def test_a_corrected_search_is_counted_and_clicked_under_the_words_typed(client, make_article):
    """The search page searches "therapist" for "therapsit"; the click script sends what is in the
    address, the words typed: both count on one row."""
    article = make_article(sections=0)
    article.sections.create(question="Can a therapist hug me?", answer="Sometimes.", position=1)
    page = search(client, "therapsit hug")
    assert "Showing results for" in page.content.decode()
    assert set(rows()) == {"therapsit hug"}
    assert click(client, "therapsit hug").status_code == 204
    assert rows()["therapsit hug"].clicked == 1

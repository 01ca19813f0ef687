import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from accounts.mail import wait_for_sent
from articles.visitors import Reader
from quizzes import services
from quizzes.models import Attempt
from tests.pages import soup, text
from tests.quizzes.helpers import answer, right, start

pytestmark = pytest.mark.django_db

SIGNUP = {
    "username": "dana",
    "email": "dana@example.org",
    "password1": "calm-river-stones-42",
    "password2": "calm-river-stones-42",
}


def test_sign_up_logs_in_and_returns_to_where_the_reader_was(client):
    response = client.post("/accounts/signup/?next=/quizzes/", SIGNUP)
    assert response.status_code == 302 and response["Location"] == "/quizzes/"
    user = get_user_model().objects.get(username="dana")
    assert user.email == "dana@example.org" and not user.is_staff
    assert "Signed in as dana" in text(client.get("/quizzes/"))


def test_sign_up_ignores_a_next_address_on_another_site(client):
    response = client.post("/accounts/signup/?next=https://evil.example/", SIGNUP)
    assert response["Location"] == "/progress/"


def test_sign_up_applies_the_password_validators(client):
    response = client.post("/accounts/signup/", {**SIGNUP, "password1": "12345678", "password2": "12345678"})
    assert response.status_code == 200
    assert "This password is too common" in text(response)
    assert not get_user_model().objects.filter(username="dana").exists()


def test_log_in_returns_to_where_the_reader_was_and_log_out_needs_post(client, reader):
    page = client.get("/accounts/login/?next=/quizzes/")
    assert 'name="next" value="/quizzes/"' in page.content.decode()
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": "alice-password", "next": "/quizzes/"}
    )
    assert response["Location"] == "/quizzes/"
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/")["Location"] == "/"


def test_password_change(client, reader):
    client.force_login(reader)
    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": "alice-password",
            "new_password1": "another-calm-phrase-7",
            "new_password2": "another-calm-phrase-7",
        },
    )
    assert response["Location"] == "/accounts/password/change/done/"
    reader.refresh_from_db()
    assert reader.check_password("another-calm-phrase-7")


def test_password_reset_by_email_and_no_hint_about_unknown_addresses(client, reader):
    known = client.post("/accounts/password/reset/", {"email": "alice@example.org"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert known["Location"] == unknown["Location"] == "/accounts/password/reset/sent/"
    wait_for_sent()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alice@example.org"]
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)[1]
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in text(form_page)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": "a-new-calm-phrase-9",
            "new_password2": "a-new-calm-phrase-9",
        },
    )
    assert response["Location"] == "/accounts/password/reset/done/"
    reader.refresh_from_db()
    assert reader.check_password("a-new-calm-phrase-9")


def _fail_login(client, username, address="10.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": "wrong"}, REMOTE_ADDR=address)


def test_repeated_failed_log_ins_are_locked_for_a_while_with_a_message(client, reader):
    for _ in range(4):
        assert _fail_login(client, "alice").status_code == 200
    locked = _fail_login(client, "alice")
    assert locked.status_code == 429
    assert "Too many attempts to log in" in text(locked) and "15 minutes" in text(locked)
    # Even the right password waits now...
    response = client.post(
        "/accounts/login/",
        {"username": "alice", "password": "alice-password"},
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == 429
    # ...but another address is not affected.
    other = Client()
    response = other.post(
        "/accounts/login/",
        {"username": "alice", "password": "alice-password"},
        REMOTE_ADDR="10.0.0.2",
    )
    assert response.status_code == 302


def test_log_in_messages_never_reveal_whether_an_account_exists(client, reader):
    wrong_password = text(_fail_login(client, "alice", "10.0.0.3"))
    no_account = text(_fail_login(client, "nobody", "10.0.0.4"))
    assert wrong_password == no_account
    for _ in range(4):
        _fail_login(client, "alice", "10.0.0.3")
        _fail_login(client, "nobody", "10.0.0.4")
    locked_existing = _fail_login(client, "alice", "10.0.0.3")
    locked_missing = _fail_login(client, "nobody", "10.0.0.4")
    assert locked_existing.status_code == locked_missing.status_code == 429
    assert text(locked_existing) == text(locked_missing)


def test_signing_up_moves_a_visitors_quiz_progress_into_the_account(client, make_quiz):
    quiz = make_quiz(questions=3)
    attempt = start(client, quiz)
    answer(client, attempt, 1, right(attempt, 1))
    answer(client, attempt, 2, right(attempt, 2))
    client.post("/accounts/signup/", SIGNUP)
    attempt.refresh_from_db()
    assert attempt.user.username == "dana" and attempt.visitor_key == ""
    progress = text(client.get("/progress/"))
    assert "In progress: 2 of 3 answered" in progress
    assert client.get(f"/attempts/{attempt.pk}/")["Location"].endswith("/questions/3/")


def test_logging_in_keeps_both_attempts_when_the_account_had_one_open_too(client, reader, make_quiz):
    quiz = make_quiz(questions=3)
    account_attempt, _ = services.attempt_start(quiz=quiz, reader=Reader(user=reader))
    visitor_attempt = start(client, quiz)
    answer(client, visitor_attempt, 1, right(visitor_attempt, 1))
    client.post("/accounts/login/", {"username": "alice", "password": "alice-password"})
    account_attempt.refresh_from_db()
    visitor_attempt.refresh_from_db()
    assert visitor_attempt.user == reader and visitor_attempt.status == "open"
    assert account_attempt.status == "set_aside"  # kept, with its answers, in the history
    assert Attempt.objects.filter(user=reader, quiz=quiz, status="open").count() == 1


def test_behind_a_proxy_each_forwarded_client_has_its_own_pause(client, reader, settings):
    settings.BEHIND_PROXY = True
    for _ in range(5):
        client.post(
            "/accounts/login/",
            {"username": "alice", "password": "wrong"},
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR="203.0.113.5",
        )
    other = Client().post(
        "/accounts/login/",
        {"username": "alice", "password": "alice-password"},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="spoofed, 198.51.100.7",
    )
    assert other.status_code == 302
    again = client.post(
        "/accounts/login/",
        {"username": "alice", "password": "alice-password"},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )
    assert again.status_code == 429


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/password/reset/", "/accounts/signup/"])
def test_account_pages_show_the_sites_name(client, url, settings):
    page = soup(client.get(url))
    assert page.select_one(".site-name").get_text() == settings.SITE_NAME
    assert page.title.get_text().endswith(settings.SITE_NAME)


def test_the_reset_email_names_the_site(client, reader, settings):
    client.post("/accounts/password/reset/", {"email": "alice@example.org"})
    wait_for_sent()
    assert settings.SITE_NAME in mail.outbox[0].subject and settings.SITE_NAME in mail.outbox[0].body


def test_sign_up_errors_are_linked_to_their_fields(client):
    page = soup(client.post("/accounts/signup/", {**SIGNUP, "email": "bad"}))
    field = page.find("input", attrs={"name": "email"})
    assert field["aria-invalid"] == "true"
    described = [page.find(id=i) for i in field["aria-describedby"].split()]
    words = " ".join(d.get_text() for d in described if d)
    assert "Error: Enter an email address in the right form, like name@example.org." in words


def test_sign_up_and_password_reset_are_limited_per_address(client, reader):
    for _ in range(20):
        client.post("/accounts/signup/", {**SIGNUP, "username": "alice"}, REMOTE_ADDR="10.2.2.2")
    response = client.post("/accounts/signup/", {**SIGNUP, "username": "alice"}, REMOTE_ADDR="10.2.2.2")
    assert response.status_code == 429 and "Too many requests" in text(response)
    assert "already exists" not in text(response)
    for _ in range(10):
        client.post("/accounts/password/reset/", {"email": "alice@example.org"}, REMOTE_ADDR="10.3.3.3")
    response = client.post(
        "/accounts/password/reset/", {"email": "alice@example.org"}, REMOTE_ADDR="10.3.3.3"
    )
    wait_for_sent()
    assert response.status_code == 429 and len(mail.outbox) == 10


# --- addresses and names an attacker (or a typo) sends: never a 500 ------------------------------


@pytest.mark.parametrize(
    "next_", ["foo", "progress", "quizzes:quiz_list", "", "//evil.example/x", "\\\\evil"]
)
def test_sign_up_with_a_next_that_is_not_a_path_here_goes_to_the_usual_page(client, make_quiz, next_):
    quiz = make_quiz(questions=2)
    attempt = start(client, quiz)
    answer(client, attempt, 1, right(attempt, 1))
    client.raise_request_exception = False
    response = client.post(f"/accounts/signup/?next={next_}", SIGNUP)
    assert response.status_code == 302 and response["Location"] == "/progress/"
    # Logged in, with the guest's attempt moved into the new account.
    assert "Signed in as dana" in text(client.get("/quizzes/"))
    attempt.refresh_from_db()
    assert attempt.user.username == "dana"
    # Signed in already, the same address goes to the same place.
    response = client.get(f"/accounts/signup/?next={next_}")
    assert response.status_code == 302 and response["Location"] == "/progress/"


def test_log_in_with_a_very_long_username_is_refused_like_any_wrong_password(client):
    client.raise_request_exception = False
    for _ in range(2):
        response = client.post("/accounts/login/", {"username": "x" * 5000, "password": "nope"})
        assert response.status_code == 200
        assert "The username or password is not right" in text(response)
    response = client.post("/admin/login/?next=/admin/", {"username": "y" * 300, "password": "nope"})
    assert response.status_code == 200


def test_one_address_trying_many_usernames_is_stopped_but_a_few_typos_are_not(client, reader, monkeypatch):
    from accounts import views

    monkeypatch.setattr(views, "LOGIN_FAILURE_RATE", "6/h")  # 50 in the site; fewer keeps this quick
    # A few typos, then the right password: no pause.
    for _ in range(3):
        assert _fail_login(client, "alice", "10.0.1.1").status_code == 200
    ok = client.post(
        "/accounts/login/", {"username": "alice", "password": "alice-password"}, REMOTE_ADDR="10.0.1.1"
    )
    assert ok.status_code == 302
    client.logout()
    # Spraying: a new username each time, from one address (axes pauses a username, not this).
    statuses = [_fail_login(client, f"user{n}", "10.0.2.2").status_code for n in range(8)]
    assert statuses[:7] == [200] * 7 and statuses[7] == 429
    assert "Too many requests" in text(_fail_login(client, "alice", "10.0.2.2"))
    admin = client.post("/admin/login/", {"username": "x", "password": "y"}, REMOTE_ADDR="10.0.2.2")
    assert admin.status_code == 429
    # Another address is not affected.
    assert _fail_login(Client(), "user99", "10.0.3.3").status_code == 200


def test_password_reset_answers_as_fast_for_an_address_with_an_account_as_without(
    client, reader, monkeypatch
):
    """The medians of many alternating requests, compared with each other (never with a number of
    milliseconds): before the mail went to the background, a known address took several times as long."""
    import statistics
    import time

    from accounts import views

    monkeypatch.setattr(views, "RESET_RATE", "1000/h")
    timings = {"alice@example.org": [], "nobody@example.org": []}
    for _ in range(25):
        for email, taken in timings.items():
            start = time.perf_counter()
            client.post("/accounts/password/reset/", {"email": email})
            taken.append(time.perf_counter() - start)
    wait_for_sent()
    known, unknown = (statistics.median(taken) for taken in timings.values())
    assert known < unknown * 1.5, (known, unknown)
    assert len(mail.outbox) == 25

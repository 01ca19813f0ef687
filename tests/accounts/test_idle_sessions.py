"""A signed-in session ends after a while without a visit: 14 days for readers, 8 hours for staff."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.utils import timezone

from tests.pages import text

pytestmark = pytest.mark.django_db

DAY = 24 * 3600


def _log_in(client, username, password):
    assert client.post("/accounts/login/", {"username": username, "password": password}).status_code == 302
    client.get("/quizzes/")  # the first visit signed in sets when the session ends


def _ends_in(client):
    session = Session.objects.get(session_key=client.cookies["sessionid"].value)
    return (session.expire_date - timezone.now()).total_seconds()


def _idle(client, seconds):
    """As if the reader had not visited for `seconds`: the stored end moves that much closer."""
    session = client.session
    session.set_expiry(session.get_expiry_date() - timedelta(seconds=seconds))
    session.save()
    caches["sessions"].clear()


def test_a_readers_session_lasts_14_idle_days_and_each_visit_moves_the_end_on(client, reader):
    _log_in(client, "alice", "alice-password")
    assert 14 * DAY - 60 < _ends_in(client) <= 14 * DAY
    _idle(client, 3 * DAY)  # a visit three days later: not written again yet (half is 7 days)
    client.get("/quizzes/")
    assert 11 * DAY - 60 < _ends_in(client) <= 11 * DAY
    _idle(client, 5 * DAY)  # six days left: moved on to 14 again
    assert "Signed in as alice" in text(client.get("/quizzes/"))
    assert 14 * DAY - 60 < _ends_in(client) <= 14 * DAY
    _idle(client, 15 * DAY)  # gone past its end: signed out
    assert "Log in" in text(client.get("/quizzes/"))


def test_a_staff_session_lasts_8_idle_hours(client, editor):
    _log_in(client, "charlie", "charlie-password")
    assert 8 * 3600 - 60 < _ends_in(client) <= 8 * 3600
    _idle(client, 9 * 3600)
    assert client.get("/admin/").status_code == 302  # to the log-in page

"""Fixtures for the quizzes' tests."""

from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def clock(monkeypatch):
    """timezone.now() (and so today's date) as the test sets it: clock.now, moved with
    clock.move(minutes=...) or clock.move(days=...). For time limits and spaced review."""

    class Clock:
        now = timezone.now()

        def move(self, **delta):
            self.now += timedelta(**delta)

    fixed = Clock()
    monkeypatch.setattr(timezone, "now", lambda: fixed.now)
    return fixed

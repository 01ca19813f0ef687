"""Certificates of completion: a passed quiz gives a printable page whose address anyone can open
to check it is genuine; it can't be made up or moved to another attempt; staff can withdraw it."""

import pytest
from django.test import Client

from quizzes.certificates import certificate_token
from quizzes.models import Attempt
from tests.pages import soup, text
from tests.quizzes.helpers import take

pytestmark = pytest.mark.django_db


def certificate_link(client, attempt):
    link = soup(client.get(f"/attempts/{attempt.pk}/results/")).find(
        "a", string="Your certificate of completion"
    )
    return link["href"] if link else None


def test_a_passed_quiz_gives_a_certificate_anyone_can_check(client, reader, make_quiz):
    client.force_login(reader)
    quiz = make_quiz(questions=2, title="Boundaries basics")
    passed = take(client, quiz)
    url = certificate_link(client, passed)
    assert url == f"/certificates/{certificate_token(passed)}/"
    words = text(Client().get(url))  # anyone, without an account
    assert "This certifies that alice passed the quiz Boundaries basics" in words
    assert f"on {passed.finished_at:%-d %B %Y}, with a score of 100% (pass mark 70%)" in words
    assert "It is not a professional qualification." in words


def test_no_certificate_for_a_quiz_not_passed_a_review_or_a_visitor(client, reader, make_quiz):
    quiz = make_quiz(questions=2)
    guest = take(client, quiz)  # a visitor: asked to sign up instead
    assert certificate_link(client, guest) is None
    assert "Sign up to get a certificate" in text(client.get(f"/attempts/{guest.pk}/results/"))
    assert Client().get(f"/certificates/{certificate_token(guest)}/").status_code == 404
    client.force_login(reader)  # the visitor's attempts move into the new account: now it has one
    assert certificate_link(client, guest) is not None
    failed = take(client, quiz, correct=False)
    assert certificate_link(client, failed) is None
    assert Client().get(f"/certificates/{certificate_token(failed)}/").status_code == 404


@pytest.mark.parametrize("forged", ["made-up", "{pk}", "{other}:{signature}", "{pk}:{signature}x"])
def test_a_certificate_address_cannot_be_made_up_or_moved_to_another_attempt(
    client, reader, other_reader, make_quiz, forged
):
    client.force_login(reader)
    quiz = make_quiz(questions=1)
    mine = take(client, quiz)
    other = Client()
    other.force_login(other_reader)
    theirs = take(other, quiz)  # passed: it has a certificate of its own, at its own address
    pk, signature = certificate_token(mine).split(":", 1)
    token = forged.format(pk=pk, signature=signature, other=theirs.pk)
    assert Client().get(f"/certificates/{token}/").status_code == 404


def test_staff_can_withdraw_a_certificate_and_editors_cannot_see_readers_attempts(
    client, reader, editor, django_user_model, make_quiz
):
    reader_browser = Client()
    reader_browser.force_login(reader)
    passed = take(reader_browser, make_quiz(questions=1))
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "root-password")
    client.force_login(admin)
    listing = client.get("/admin/quizzes/attempt/")
    assert listing.status_code == 200 and "alice" in text(listing)
    client.post("/admin/quizzes/attempt/", {"action": "withdraw", "_selected_action": [passed.pk]})
    response = Client().get(f"/certificates/{certificate_token(passed)}/")
    assert response.status_code == 410 and "Certificate withdrawn" in text(response)
    assert "alice" not in text(response)
    client.post("/admin/quizzes/attempt/", {"action": "restore", "_selected_action": [passed.pk]})
    assert Client().get(f"/certificates/{certificate_token(passed)}/").status_code == 200
    editor_browser = Client()
    editor_browser.force_login(editor)
    assert editor_browser.get("/admin/quizzes/attempt/").status_code == 403
    assert Attempt.objects.get(pk=passed.pk).certificate_withdrawn_at is None

"""One error pattern for every form in the site (GOV.UK's): "Error:" in the title, a summary at the top
whose links lead to the fields, and at each field its message, named by the field's
aria-describedby, in words that say what to do. Never Django's "This field is required."."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.pages import soup
from tests.quizzes.helpers import start

GENERIC = ["This field is required", "Enter a valid", "didn’t match", "Please enter a correct"]


def assert_the_error_pattern(response, expected):
    """The page of a refused form: `expected` is the summary's messages, in order."""
    assert response.status_code in (200, 400), response
    page = soup(response)
    assert page.title.get_text().startswith("Error: ")
    summary = page.select_one(".error-summary")
    assert summary.h2.get_text() == "There is a problem"
    assert summary["role"] == "alert"
    # The summary takes the focus as the page opens, and nothing else asks for it.
    assert page.select("[autofocus]") == [summary]
    # The summary comes before the page's heading and the form.
    assert summary.find_next("h1") is not None and summary.find_next("form") is not None
    links = summary.select("a")
    assert [link.get_text() for link in links] == expected
    for link in links:
        target = page.find(id=link["href"].removeprefix("#"))
        assert target is not None and target.name in ("input", "button"), link
        assert target.find_parent("form") is not None
        # At the field: the same words after "Error:" (for screen readers), named by the field's,
        # or its group's, aria-describedby.
        owner = target if target.has_attr("aria-describedby") else target.find_parent("fieldset")
        if owner is None:  # an error about the whole form (a wrong password): to its first field
            assert target is target.find_parent("form").find("input", type=lambda t: t != "hidden")
            continue
        described = [page.find(id=i) for i in owner["aria-describedby"].split()]
        assert any(f"Error: {link.get_text()}" in d.get_text(" ", strip=True) for d in described if d), link
    words = page.get_text(" ", strip=True)
    assert not [generic for generic in GENERIC if generic in words]
    return page


def fields_in_error(page):
    return sorted(i["name"] for i in page.select("input[aria-invalid=true]"))


@pytest.mark.django_db
def test_sign_up(client):
    page = assert_the_error_pattern(
        client.post("/accounts/signup/", {}),
        ["Enter a username.", "Enter your email address.", "Enter a password.", "Enter the password again."],
    )
    assert fields_in_error(page) == ["email", "password1", "password2", "username"]
    assert_the_error_pattern(
        client.post(
            "/accounts/signup/",
            {"username": "a b", "email": "nope", "password1": "calm-river-42", "password2": "calm-river-43"},
        ),
        [
            "Enter a username made of letters, numbers and @ . + - _ only.",
            "Enter an email address in the right form, like name@example.org.",
            "The two passwords are not the same: enter the same password twice.",
        ],
    )


@pytest.mark.django_db
def test_an_email_address_too_long_to_keep_is_refused_in_words(client, reader):
    too_long = "a" * 250 + "@example.org"
    assert_the_error_pattern(
        client.post("/accounts/signup/", {"username": "erin", "email": too_long}),
        [
            "Enter an email address of 254 characters or fewer.",
            "Enter a password.",
            "Enter the password again.",
        ],
    )
    client.force_login(reader)
    assert_the_error_pattern(
        client.post("/accounts/email/", {"email-email": too_long, "email-password": "alice-password"}),
        ["Enter an email address of 254 characters or fewer."],
    )
    reader.refresh_from_db()
    assert reader.email == "alice@example.org"


@pytest.mark.django_db
def test_two_step_log_in(client, editor):
    TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    client.post("/accounts/login/", {"username": "charlie", "password": "charlie-password"})
    assert_the_error_pattern(
        client.post("/accounts/two-step/", {}), ["Enter the 6-digit code your app shows."]
    )
    # Too long and not digits: one message, said once.
    assert_the_error_pattern(
        client.post("/accounts/two-step/", {"code": "x" * 30}),
        ["Enter the 6 digits your app shows, like 123 456."],
    )


@pytest.mark.django_db
def test_log_in(client, reader):
    assert_the_error_pattern(
        client.post("/accounts/login/", {}), ["Enter your username.", "Enter your password."]
    )
    # About the whole form: the summary's link leads to the first field.
    page = assert_the_error_pattern(
        client.post("/accounts/login/", {"username": "alice", "password": "wrong"}),
        ["The username or password is not right: check both (capitals count)."],
    )
    assert page.select_one(".error-summary a")["href"] == "#id_username"


@pytest.mark.django_db
def test_password_pages(client, reader):
    assert_the_error_pattern(client.post("/accounts/password/reset/", {}), ["Enter your email address."])
    uid = urlsafe_base64_encode(force_bytes(reader.pk))
    link = f"/accounts/password/reset/{uid}/{default_token_generator.make_token(reader)}/"
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    assert_the_error_pattern(
        client.post(form_url, {}), ["Enter a new password.", "Enter the new password again."]
    )
    client.force_login(reader)
    assert_the_error_pattern(
        client.post("/accounts/password/change/", {"old_password": "wrong"}),
        [
            "That is not your current password: enter it again.",
            "Enter a new password.",
            "Enter the new password again.",
        ],
    )


@pytest.mark.django_db
def test_my_account(client, reader):
    client.force_login(reader)
    page = assert_the_error_pattern(
        client.post("/accounts/email/", {}),
        ["Enter your new email address.", "Enter your password to change your email address."],
    )
    # Only the form that was sent shows mistakes.
    assert not page.select("#div_id_delete-password.has-error")
    assert_the_error_pattern(
        client.post("/accounts/delete/", {}), ["Enter your password to delete your account."]
    )


@pytest.mark.django_db
def test_quiz_question(client, make_quiz):
    attempt = start(client, make_quiz(questions=2))
    page = assert_the_error_pattern(
        client.post(f"/attempts/{attempt.pk}/questions/1/", {}), ["Choose an answer."]
    )
    assert page.select_one(".error-summary a")["href"] == "#id_answer_0"


@pytest.mark.django_db
def test_was_this_helpful(client, make_article):
    section = make_article(sections=1).sections.get()
    page = assert_the_error_pattern(
        client.post(f"/sections/{section.pk}/feedback/", {"helpful": "maybe"}), ["Choose Yes or No."]
    )
    # The Yes and No buttons are on the page, so the reader can answer there.
    buttons = page.select(f"form[action='/sections/{section.pk}/feedback/'] button")
    assert [b["value"] for b in buttons] == ["yes", "no"]

"""Staff log in in two steps: the password, then a code from an authenticator app (TOTP). Tests
here log in through the forms (client.force_login does both steps: tests/conftest.py)."""

import json
from base64 import b32decode, b32encode
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.models import Article
from tests.test_settings import PRODUCTION, run_manage

pytestmark = pytest.mark.django_db
STEP = "/accounts/two-step/"


@pytest.fixture
def staff(editor):
    editor.set_password("grace-password")
    editor.username = "grace"
    editor.save()
    return editor


def password_log_in(user, password, browser=None):
    browser = browser or Client()
    response = browser.post("/accounts/login/", {"username": user.username, "password": password})
    assert response.status_code == 302, response
    return browser


def code(device, offset=0):
    return f"{totp(device.bin_key, t0=device.t0 - offset * device.step):06d}"


def with_app(user):
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def a_moment_later(device):
    """As if the few seconds a person takes to type the next code had gone by."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=60)
    )


def page(response):
    return BeautifulSoup(response.content, "html.parser")


def test_staff_with_only_their_password_are_sent_to_the_second_step_from_every_page(staff, make_article):
    draft = make_article(status="draft", slug="a-draft")
    browser = password_log_in(staff, "grace-password")
    for path in ("/admin/", "/admin/articles/article/", f"/articles/{draft.slug}/", "/", "/accounts/"):
        response = browser.get(path)
        assert response.status_code == 302 and response["Location"].startswith(f"{STEP}?next="), path
    # A stolen password is not an editor's session: no admin, no draft, by GET or POST.
    response = browser.post("/admin/articles/article/add/", {"title": "x", "slug": "x", "summary": "x"})
    assert response["Location"].startswith(STEP) and not Article.objects.filter(slug="x").exists()
    assert browser.get(f"/articles/{draft.slug}/", follow=True).redirect_chain[-1][0].startswith(STEP)
    # Log-out is always allowed, and logs out.
    assert browser.post("/accounts/logout/")["Location"] == "/"
    assert browser.get("/admin/")["Location"].startswith("/admin/login/")


def test_the_admins_own_log_in_form_leads_to_the_second_step_too(staff):
    browser = Client()
    response = browser.post("/admin/login/?next=/admin/", {"username": "grace", "password": "grace-password"})
    assert response["Location"] == "/admin/"
    assert browser.get("/admin/")["Location"] == f"{STEP}?next=%2Fadmin%2F"


def test_an_editor_sets_up_the_app_once_and_then_logs_in_with_its_codes(staff):
    browser = password_log_in(staff, "grace-password")
    setup = page(browser.get(f"{STEP}?next=/admin/"))
    assert setup.h1.get_text() == "Set up two-step log-in"
    assert setup.select_one(".qr-code svg title").get_text() == "QR code for your authenticator app"
    key = b32decode(setup.select_one(".totp-secret").get_text().replace(" ", ""))
    device = TOTPDevice.objects.get(user=staff)
    assert key == device.bin_key and not device.confirmed
    # The same secret on a second visit (the app may be scanned from either).
    assert page(browser.get(STEP)).select_one(".totp-secret").get_text().replace(" ", "") == (
        setup.select_one(".totp-secret").get_text().replace(" ", "")
    )

    wrong = browser.post(
        STEP, {"code": "000000" if code(device) != "000000" else "111111", "next": "/admin/"}
    )
    assert wrong.status_code == 400 and "That code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    assert browser.get("/admin/").status_code == 302
    a_moment_later(device)

    response = browser.post(STEP, {"code": code(device), "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    admin = browser.get("/admin/")
    assert admin.status_code == 200 and "Two-step log-in is on" in admin.content.decode()

    # The next log-in asks for a code only: the secret is never shown again.
    later = password_log_in(staff, "grace-password")
    ask = page(later.get(f"{STEP}?next=/admin/articles/"))
    assert ask.h1.get_text() == "Enter your code" and not ask.select(".totp-secret, .qr-code")
    response = later.post(STEP, {"code": code(device, offset=1), "next": "/admin/articles/"})
    assert response["Location"] == "/admin/articles/"
    assert later.get("/admin/articles/").status_code == 200


def test_a_code_used_once_is_refused_the_second_time(staff):
    device = with_app(staff)
    first = password_log_in(staff, "grace-password")
    used = code(device)
    assert first.post(STEP, {"code": used})["Location"] == "/progress/"
    replay = password_log_in(staff, "grace-password")
    response = replay.post(STEP, {"code": used})
    assert response.status_code == 400 and "used already" in response.content.decode()
    assert replay.get("/admin/").status_code == 302


def test_another_accounts_code_is_refused(staff, django_user_model):
    with_app(staff)
    other = django_user_model.objects.create_user("henry", password="henry-password", is_staff=True)
    others_app = with_app(other)
    browser = password_log_in(staff, "grace-password")
    assert browser.post(STEP, {"code": code(others_app)}).status_code == 400
    assert browser.get("/admin/").status_code == 302


def test_guessing_codes_is_slowed_down_and_said_so(staff):
    device = with_app(staff)
    browser = password_log_in(staff, "grace-password")
    right = code(device)
    wrong = "123456" if right != "123456" else "654321"
    assert "not right" in browser.post(STEP, {"code": wrong}).content.decode()
    # At once after a wrong code, even the right one is not checked: the page says to wait.
    response = browser.post(STEP, {"code": right})
    assert response.status_code == 400 and "wait 1 second," in response.content.decode()
    for failures in (2, 3):
        a_moment_later(device)
        browser.post(STEP, {"code": wrong})
        assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count == failures
    assert "wait 4 seconds," in browser.post(STEP, {"code": right}).content.decode()
    a_moment_later(device)
    assert browser.post(STEP, {"code": right}).status_code == 302


def test_the_session_gets_a_new_key_when_the_code_is_given(staff):
    device = with_app(staff)
    browser = password_log_in(staff, "grace-password")
    before = browser.cookies["sessionid"].value
    browser.post(STEP, {"code": code(device)})
    assert browser.cookies["sessionid"].value != before
    # The old key (perhaps fixed by an attacker before the log-in) is no editor's session.
    stale = Client()
    stale.cookies["sessionid"] = before
    assert stale.get("/admin/")["Location"].startswith("/admin/login/")


def test_where_to_go_next_is_a_path_on_this_site_only(staff):
    device = with_app(staff)
    browser = password_log_in(staff, "grace-password")
    response = browser.post(STEP, {"code": code(device), "next": "https://evil.example/admin/"})
    assert response["Location"] == "/progress/"  # LOGIN_REDIRECT_URL


def test_readers_have_no_second_step(reader):
    browser = password_log_in(reader, "alice-password")
    assert browser.get("/progress/").status_code == 200
    assert browser.get(STEP).status_code == 404


def test_a_bad_code_is_refused_in_words_and_changes_nothing(staff):
    device = with_app(staff)
    browser = password_log_in(staff, "grace-password")
    for bad in ("", "12345", "abcdef", "1234567", "١٢٣٤٥٦", "\x00" * 6, "9" * 10_000):
        response = browser.post(STEP, {"code": bad})
        assert response.status_code == 400, bad
        assert "Error: Enter the 6" in page(response).select_one("#id_code_error").get_text()
    assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count == 0


def test_with_the_setting_off_staff_choose_and_an_app_once_set_up_is_always_asked(settings, staff):
    settings.FAQSITE_STAFF_TWO_STEP = False
    browser = password_log_in(staff, "grace-password")
    assert browser.get("/admin/").status_code == 200
    assert "Set up two-step log-in" in browser.get("/accounts/").content.decode()
    with_app(staff)
    assert browser.get("/admin/")["Location"].startswith(STEP)


@pytest.mark.parametrize(
    ("env", "asked"),
    [({}, "True"), ({"DJANGO_DEBUG": "true"}, "False"), ({"FAQSITE_STAFF_TWO_STEP": "false"}, "False")],
)
def test_staff_are_asked_by_default_with_debug_off_and_the_setting_can_say_otherwise(env, asked):
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.FAQSITE_STAFF_TWO_STEP)",
        env_extra={**PRODUCTION, **env},
    )
    assert result.stdout.split()[-1] == asked, result.stderr


def test_my_account_says_whether_it_is_on_and_the_download_names_the_app_never_its_secret(staff):
    device = with_app(staff)
    browser = password_log_in(staff, "grace-password")
    browser.post(STEP, {"code": code(device)})
    text = page(browser.get("/accounts/")).find(id="two-step").find_next("p").get_text()
    assert text.startswith("On: you log in with your password and then a code")
    download = browser.get("/accounts/my-data.json").content.decode()
    assert json.loads(download)["account"]["two_step_apps"][0]["name"] == "phone"
    # The secret in neither of its forms.
    assert device.key not in download and b32encode(device.bin_key).decode() not in download


def test_an_administrator_removes_a_lost_app_and_the_editor_sets_up_a_new_one(staff, admin_user):
    device = with_app(staff)
    admin = Client()
    admin.force_login(admin_user)
    url = f"/admin/otp_totp/totpdevice/{device.pk}/delete/"
    assert admin.post(url, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    browser = password_log_in(staff, "grace-password")
    assert page(browser.get(STEP)).h1.get_text() == "Set up two-step log-in"


def test_a_command_removes_a_lost_app_when_no_administrator_can_log_in(staff, capsys):
    from django.core.management import CommandError, call_command

    device = with_app(staff)
    browser = password_log_in(staff, "grace-password")
    browser.post(STEP, {"code": code(device)})
    assert browser.get("/admin/").status_code == 200
    call_command("remove_two_step_app", "grace")
    assert "Removed grace's authenticator app" in capsys.readouterr().out
    # The session it verified is no longer verified: the next page asks for a new app.
    assert browser.get("/admin/")["Location"].startswith(STEP)
    with pytest.raises(CommandError, match="grace has no authenticator app set up"):
        call_command("remove_two_step_app", "grace")
    with pytest.raises(CommandError, match="No account has the username 'nobody'"):
        call_command("remove_two_step_app", "nobody")


def test_each_log_in_sets_up_its_own_app_so_a_secret_seen_by_a_thief_is_worth_nothing(staff, mailoutbox):
    from accounts.mail import wait_for_sent

    thief = password_log_in(staff, "grace-password")
    thiefs_key = page(thief.get(STEP)).select_one(".totp-secret").get_text()
    thiefs_app = TOTPDevice.objects.get(user=staff)
    editor = password_log_in(staff, "grace-password")
    editors_key = page(editor.get(STEP)).select_one(".totp-secret").get_text()
    assert editors_key != thiefs_key
    # The thief's app, not set up, went when the editor's was made: its code opens nothing.
    assert thief.post(STEP, {"code": code(thiefs_app)})["Location"] == STEP
    assert thief.get("/admin/")["Location"].startswith(STEP)
    editors_app = TOTPDevice.objects.get(user=staff)
    assert editor.post(STEP, {"code": code(editors_app)}).status_code == 302
    assert page(thief.get(STEP)).h1.get_text() == "Enter your code"
    # And the editor is told, in case it was not them.
    wait_for_sent()
    assert [m.to for m in mailoutbox] == [["charlie@example.org"]]
    assert "two-step log-in was set up" in mailoutbox[0].subject
    assert "Tell an administrator" in mailoutbox[0].body


def test_an_app_set_up_meanwhile_in_another_session_wins(staff):
    """Two log-ins setting up at the same moment: the code of the second to arrive, checked after
    the first confirmed its app, confirms nothing."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    from accounts import two_step

    request = RequestFactory().post(STEP)
    request.user, request.session = staff, SessionStore()
    pending = two_step.authenticator_to_set_up(request)
    with_app(staff)  # the other log-in confirmed its app first
    assert two_step.check_code(request, pending, code(pending)) == (False, 0)
    assert not TOTPDevice.objects.filter(pk=pending.pk).exists()
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).count() == 1


def test_the_admin_never_shows_an_apps_secret(staff, admin_user):
    device = with_app(staff)
    admin = Client()
    admin.force_login(admin_user)
    change = admin.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in change and b32encode(device.bin_key).decode() not in change

"""Two-step log-in for staff: after the password, a code from an authenticator app (TOTP,
django-otp). A staff account can change what every reader sees, so a stolen password alone must
not be enough."""

import math
from base64 import b32encode

import segno
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.mail import send_later

APP_NAME = "Authenticator app"


def required_for(user) -> bool:
    """Must this signed-in user give a code before anything else? Staff, when the site asks it of
    them (FAQSITE_STAFF_TWO_STEP, on with debug off), and anyone who has set up an app."""
    if not user.is_authenticated or not user.is_staff:
        return False
    return settings.FAQSITE_STAFF_TWO_STEP or authenticator_of(user) is not None


def authenticator_of(user):
    """The user's set-up (confirmed) authenticator app, or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


# The app being set up in this session (its device's id): each session sets up its own, so a
# secret shown to one log-in (perhaps a thief's, with the password) is never another's.
SETTING_UP_SESSION_KEY = "two_step_setting_up"


def authenticator_to_set_up(request, *, make=True):
    """The app this session is setting up: the same secret on every visit until it is confirmed.
    With `make`, a session without one gets a new one, which replaces any other session's app
    that was not confirmed; else None."""
    user = request.user
    pending = TOTPDevice.objects.filter(user=user, confirmed=False)
    device = pending.filter(pk=request.session.get(SETTING_UP_SESSION_KEY)).first()
    if device is None and make:
        pending.delete()
        device = TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)
        request.session[SETTING_UP_SESSION_KEY] = device.pk
    return device


def secret_in_groups(device) -> str:
    """The secret as a person types it into an app: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device) -> str:
    """The app's settings as a QR code, an SVG to put in the page (no image file, no script)."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, border=2, title="QR code for your authenticator app"
    )
    return svg.replace("<svg ", '<svg role="img" aria-label="QR code for your authenticator app" ', 1)


def check_code(request, device, code) -> tuple[bool, int]:
    """Check a code against the device; returns (accepted, seconds to wait first). django-otp
    refuses a code used before, and after each wrong code it waits twice as long before it checks
    another (1, 2, 4... seconds): a code sent during the wait is not checked, and the wait is said.
    When the code is right, the session counts as verified, under a new session key; a device
    being set up is confirmed, unless another app was set up meanwhile (then it is removed)."""
    with transaction.atomic():
        # The user's row taken first: two set-ups of one account confirm one after the other.
        get_user_model().objects.select_for_update().filter(pk=device.user_id).first()
        device = TOTPDevice.objects.select_for_update().filter(pk=device.pk).first()
        if device is None or (not device.confirmed and authenticator_of(device.user) is not None):
            if device is not None:
                device.delete()
            return False, 0
        allowed, details = device.verify_is_allowed()
        if not allowed:
            return False, max(1, math.ceil((details["locked_until"] - timezone.now()).total_seconds()))
        if not device.verify_token(code):
            return False, 0
        newly_set_up = not device.confirmed
        if newly_set_up:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
    request.session.pop(SETTING_UP_SESSION_KEY, None)
    request.session.cycle_key()
    otp_login(request, device)
    if newly_set_up:
        _tell_the_owner(device)
    return True, 0


def _tell_the_owner(device):
    """An email to the account's address: an app was set up, when, and what to do if it wasn't
    them (someone with the password could set one up before they did)."""
    user = device.user
    if not user.email:
        return
    context = {"user": user, "site_name": settings.SITE_NAME, "when": timezone.now()}
    send_later(
        send_mail,
        render_to_string("accounts/two_step_set_up_subject.txt", context).strip(),
        render_to_string("accounts/two_step_set_up_email.txt", context),
        None,
        [user.email],
    )


def apps_remove(user) -> int:
    """Remove the user's authenticator apps (set up or not); returns how many were set up. Their
    sessions verified by one no longer count as verified (django-otp finds no device)."""
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).count()
    TOTPDevice.objects.filter(user=user).delete()
    return confirmed

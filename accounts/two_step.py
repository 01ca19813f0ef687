"""Two-step log-in for staff: after the password, a code from an authenticator app (TOTP,
django-otp). A staff account can change what every reader sees, so a stolen password alone must
not be enough."""

import math
from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

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


def authenticator_to_set_up(user):
    """The app the user is setting up: the same secret on every visit until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


def secret_in_groups(device) -> str:
    """The secret as a person types it into an app: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device) -> str:
    """The app's settings as a QR code, an SVG to put in the page (no image file, no script)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=4, border=2, title="QR code for your authenticator app"
    )


def check_code(request, device, code) -> tuple[bool, int]:
    """Check a code against the device; returns (accepted, seconds to wait first). django-otp
    refuses a code used before, and after each wrong code it waits twice as long before it checks
    another (1, 2, 4... seconds): a code sent during the wait is not checked, and the wait is said.
    When the code is right, the session counts as verified, under a new session key."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, details = device.verify_is_allowed()
        if not allowed:
            return False, max(1, math.ceil((details["locked_until"] - timezone.now()).total_seconds()))
        if not device.verify_token(code):
            return False, 0
        if not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    request.session.cycle_key()
    otp_login(request, device)
    return True, 0


def apps_remove(user) -> int:
    """Remove the user's authenticator apps (set up or not); returns how many were set up. Their
    sessions verified by one no longer count as verified (django-otp finds no device)."""
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).count()
    TOTPDevice.objects.filter(user=user).delete()
    return confirmed

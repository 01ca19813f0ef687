"""Certificates of completion: a passed whole-quiz attempt of a signed-in reader has one, at an
address signed with the site's secret key, so that anyone can open it to check it is genuine and
no one can make one up. Staff can withdraw one (the page then says so)."""

from django.core import signing

from quizzes.models import Attempt

SALT = "quizzes.certificate"


def certificate_token(attempt) -> str:
    return signing.Signer(salt=SALT).sign(str(attempt.pk))


def certificate_attempt(token):
    """The attempt a certificate address is for, or None when the address was not signed here or
    the attempt gives no certificate (not passed, a review, a visitor's)."""
    try:
        pk = int(signing.Signer(salt=SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    return Attempt.objects.certified().select_related("quiz", "user").filter(pk=pk).first()


def reader_name(user):
    return user.get_full_name() or user.get_username()

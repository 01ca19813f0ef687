"""Writes and reads about a reader's account that touch other apps' data, through accounts.signals."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.signals import account_deleting, personal_data


def account_data(*, user) -> dict:
    """Everything the site keeps about `user`, as JSON types: the account, then each app's part."""
    data = {
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            # Staff's authenticator apps: when set up and last used, never their secret.
            "two_step_apps": [
                {
                    "name": app.name,
                    "set_up": app.created_at.isoformat() if app.created_at else None,
                    "last_used": app.last_used_at.isoformat() if app.last_used_at else None,
                }
                for app in TOTPDevice.objects.filter(user=user, confirmed=True)
            ],
        }
    }
    for _, part in personal_data.send(sender=get_user_model(), user=user):
        data.update(part or {})
    return data


@transaction.atomic
def account_delete(*, user) -> None:
    """Delete the account: each app deletes or anonymises its data first, all in one transaction."""
    account_deleting.send(sender=get_user_model(), user=user)
    user.delete()

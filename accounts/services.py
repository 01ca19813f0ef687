"""Writes and reads about a reader's account that touch other apps' data, through accounts.signals."""

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.signals import account_deleting, personal_data


def account_data(*, user) -> dict:
    """Everything the site keeps about `user`, as JSON types: the account, then each app's part."""
    data = {
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
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

"""What each app keeps about a reader, joined to the accounts app's "My account" (its download and
its deletion, accounts.signals) here, since no app may know the others. Connected in apps.py."""

from articles.services import reader_votes_anonymise, reader_votes_data
from quizzes.selectors import reader_attempts_data
from quizzes.services import reader_attempts_anonymise


def personal_data(sender, user, **kwargs):
    return {**reader_attempts_data(user=user), **reader_votes_data(user=user)}


def account_deleting(sender, user, **kwargs):
    reader_attempts_anonymise(user=user)
    reader_votes_anonymise(user=user)

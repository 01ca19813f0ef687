"""What the accounts app asks of the apps that keep a reader's data, without knowing them.

Each app that keeps data about a reader connects receivers in its own code:

- `personal_data` (sent with `user`): return a dict of what the app keeps about the reader, made of
  JSON types, each key a heading of the reader's download ("quiz_attempts", "votes").
- `account_deleting` (sent with `user`, inside the deletion's transaction, before the user row goes):
  delete or anonymise what the app keeps about the reader. Raising stops the deletion: nothing
  changes.
"""

from django.dispatch import Signal

personal_data = Signal()
account_deleting = Signal()

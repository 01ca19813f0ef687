"""What django-axes is told about a log-in attempt (AXES_USERNAME_CALLABLE in settings)."""

from django.conf import settings

# django-axes keeps the username in 255-character columns; a longer one (an attacker's, or pasted
# by mistake) made PostgreSQL refuse the row and the log-in page answer 500.
USERNAME_MAX_LENGTH = 255


def attempted_username(request, credentials):
    """The username the log-in form sent (where axes itself would look), cut to what axes can keep.
    No account has a name that long (Django allows 150 characters), so the cut merges no real
    reader's count with another's."""
    field = settings.AXES_USERNAME_FORM_FIELD
    username = credentials.get(field) if credentials else getattr(request, "data", request.POST).get(field)
    return username[:USERNAME_MAX_LENGTH] if isinstance(username, str) else username

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from faqsite.editors import GROUP

USERNAME = "editor"


class Command(BaseCommand):
    help = (
        "Development only: create the local 'editor' account (or reset its password) "
        "with a new random password, and print how to log in."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000", help="The port the site is served on.")

    def handle(self, *args, port, **options):
        if not settings.DEBUG:
            raise CommandError("local_editor only runs with DJANGO_DEBUG on; it is not for production.")
        password = secrets.token_urlsafe(12)
        user, created = get_user_model().objects.get_or_create(username=USERNAME)
        user.is_staff = True
        user.is_superuser = False
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=GROUP))
        self.stdout.write(
            "\n"
            f"  Site:   http://127.0.0.1:{port}/\n"
            f"  Admin:  http://127.0.0.1:{port}/admin/\n"
            f"  Log in as “{USERNAME}” with the password {password}\n"
            f"  (an editor account, {'created' if created else 'password reset'} just now; "
            "each `make run` makes a new password)\n"
        )

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts import two_step


class Command(BaseCommand):
    help = (
        "Remove a staff member's authenticator app (a lost phone): at their next log-in they set up "
        "a new one. For when no administrator can log in to do it in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account has the username {username!r}.")
        removed = two_step.apps_remove(user)
        if not removed:
            raise CommandError(f"{username} has no authenticator app set up: nothing to remove.")
        self.stdout.write(
            f"Removed {username}'s authenticator app; they set up a new one at their next log-in."
        )

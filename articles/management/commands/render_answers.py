from django.core.management.base import BaseCommand

from articles.models import Section
from articles.services import sections_render


class Command(BaseCommand):
    help = (
        "Render every answer again from its Markdown and store it: run after changing the Markdown "
        "extensions or the sanitiser's allowlist (articles/markdown.py). Pages only read the result."
    )

    def handle(self, *args, **options):
        total = Section.objects.count()
        changed = sections_render(sections=Section.objects.all())
        self.stdout.write(f"Rendered {total} answer(s): {changed} changed.")

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class FaqsiteConfig(AppConfig):
    """The project itself: it wires the apps (URLs, the sitemap index, the demo loader, the
    Editors group) and is the only package that knows them all. No app imports it."""

    name = "faqsite"
    verbose_name = "Site"

    def ready(self):
        from faqsite.editors import editors_group_sync

        # Sent after every `migrate` (and test-database flush), once the other apps' permissions exist.
        post_migrate.connect(editors_group_sync, sender=self, dispatch_uid="faqsite.editors_group_sync")

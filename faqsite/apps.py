from django.apps import AppConfig
from django.db.models.signals import post_migrate


class FaqsiteConfig(AppConfig):
    """The project itself: it wires the apps (URLs, the sitemap index, the demo loader, the
    Editors group, the page cache) and is the only package that knows them all. No app imports it."""

    name = "faqsite"
    verbose_name = "Site"

    def ready(self):
        from django.core.signals import setting_changed

        from accounts import signals as accounts_signals
        from articles.freshness import content_changed
        from faqsite import readers_data
        from faqsite.context_processors import page_links_forget
        from faqsite.editors import editors_group_sync
        from faqsite.lookups import register as register_lookups

        register_lookups()

        # A reader's "My account": the download and the deletion reach the apps' data.
        accounts_signals.personal_data.connect(
            readers_data.personal_data, dispatch_uid="faqsite.personal_data"
        )
        accounts_signals.account_deleting.connect(
            readers_data.account_deleting, dispatch_uid="faqsite.account_deleting"
        )

        setting_changed.connect(page_links_forget, dispatch_uid="faqsite.page_links_forget")

        # Sent after every `migrate` (and test-database flush), once the other apps' permissions exist.
        post_migrate.connect(editors_group_sync, sender=self, dispatch_uid="faqsite.editors_group_sync")
        # A deploy migrates: pages made by the old templates and renderer go too. (A write to what
        # readers see is announced by its writer: articles.services.articles_changed.)
        post_migrate.connect(content_changed, sender=self, dispatch_uid="faqsite.content_changed")

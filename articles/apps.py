from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate, post_save, pre_save

        from articles import signals
        from articles.models import Article, Section

        # What readers see is announced by the writers themselves (services.articles_changed), not
        # by signals: those below are Django's hooks for what has no other (a log-in, a migrate,
        # a raw save). tests/test_announcements.py holds the list.
        user_logged_in.connect(signals.visitor_votes_claim, dispatch_uid="articles.visitor_votes_claim")
        pre_save.connect(
            signals.section_render_on_raw_save, sender=Section, dispatch_uid="articles.section_render"
        )
        post_migrate.connect(
            signals.sections_render_stale, sender=self, dispatch_uid="articles.sections_render"
        )
        post_migrate.connect(signals.search_index_repair, sender=self, dispatch_uid="articles.search_index")
        # An article's old addresses redirect to it (services.article_redirect_record).
        uid = "articles.redirects"
        pre_save.connect(signals.article_slug_before_save, sender=Article, dispatch_uid=uid)
        post_save.connect(signals.article_redirect_on_slug_change, sender=Article, dispatch_uid=uid)

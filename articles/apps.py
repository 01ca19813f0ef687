from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate, pre_save

        from articles.models import Section
        from articles.signals import section_render_on_raw_save, sections_render_stale, visitor_votes_claim

        user_logged_in.connect(visitor_votes_claim, dispatch_uid="articles.visitor_votes_claim")
        pre_save.connect(section_render_on_raw_save, sender=Section, dispatch_uid="articles.section_render")
        post_migrate.connect(sections_render_stale, sender=self, dispatch_uid="articles.sections_render")

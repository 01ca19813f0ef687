from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import (
            m2m_changed,
            post_delete,
            post_migrate,
            post_save,
            pre_delete,
            pre_save,
        )

        from articles import signals
        from articles.models import Article, Section, Topic

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
        # Article bodies, rendered on write (services.article_body).
        uid = "articles.body"
        post_save.connect(signals.article_body_on_article_save, sender=Article, dispatch_uid=uid)
        post_save.connect(signals.article_body_on_section_change, sender=Section, dispatch_uid=uid)
        post_delete.connect(signals.article_body_on_section_change, sender=Section, dispatch_uid=uid)
        topics = Article.topics.through
        m2m_changed.connect(signals.article_body_on_topics_change, sender=topics, dispatch_uid=uid)
        m2m_changed.connect(
            signals.article_body_before_topics_clear, sender=topics, dispatch_uid=uid + ".pre"
        )
        post_save.connect(signals.article_body_on_topic_save, sender=Topic, dispatch_uid=uid)
        pre_delete.connect(signals.article_body_before_topic_delete, sender=Topic, dispatch_uid=uid)
        post_delete.connect(signals.article_body_on_topic_delete, sender=Topic, dispatch_uid=uid)

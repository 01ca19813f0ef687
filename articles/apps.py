from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from articles.signals import visitor_votes_claim

        user_logged_in.connect(visitor_votes_claim, dispatch_uid="articles.visitor_votes_claim")

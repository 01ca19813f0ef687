from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = "Quizzes"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from articles.signals import article_page_extras, home_page_extras
        from quizzes.signals import home_quizzes, test_yourself_links, visitor_attempts_claim

        user_logged_in.connect(visitor_attempts_claim, dispatch_uid="quizzes.visitor_attempts_claim")
        article_page_extras.connect(test_yourself_links, dispatch_uid="quizzes.test_yourself_links")
        home_page_extras.connect(home_quizzes, dispatch_uid="quizzes.home_quizzes")

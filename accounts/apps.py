from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from accounts.signals import claim_visitor_progress

        user_logged_in.connect(claim_visitor_progress, dispatch_uid="claim_visitor_progress")

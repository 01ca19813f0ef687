from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Sign-up, and Django's own log-in and password views with our templates. It knows only
    django.contrib.auth: the content apps move a visitor's data into the account themselves, on
    Django's `user_logged_in` signal (sign-up logs the new reader in)."""

    name = "accounts"
    verbose_name = "Accounts"

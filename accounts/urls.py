from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import resolve_url
from django.urls import path, reverse_lazy
from django.utils.functional import lazy

from accounts import views
from accounts.forms import ChangePasswordForm, LogInForm, NewPasswordForm

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("email/", views.account_email, name="account_email"),
    path("my-data.json", views.account_download, name="account_download"),
    path("delete/", views.account_remove, name="account_delete"),
    path("signup/", views.signup, name="signup"),
    path(
        "login/",
        views.failed_log_ins_limited(
            auth_views.LoginView.as_view(
                template_name="accounts/login.html",
                authentication_form=LogInForm,
                redirect_authenticated_user=True,
            )
        ),
        name="login",
    ),
    path("two-step/", views.two_step_log_in, name="two_step"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change_form.html",
            form_class=ChangePasswordForm,
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html",
            # Where a log-in leads: the project says (LOGIN_REDIRECT_URL), this app doesn't know.
            extra_context={"continue_url": lazy(resolve_url, str)(settings.LOGIN_REDIRECT_URL)},
        ),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        views.LimitedPasswordResetView.as_view(
            template_name="accounts/password_reset_form.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            extra_email_context={"site_name": settings.SITE_NAME},
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            form_class=NewPasswordForm,
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]

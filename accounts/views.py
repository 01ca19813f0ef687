import functools
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordResetView
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.template.defaultfilters import pluralize
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from accounts import two_step
from accounts.forms import (
    AccountDeleteForm,
    EmailChangeForm,
    PasswordResetMailLaterForm,
    SignupForm,
    TwoStepCodeForm,
)
from accounts.services import account_data, account_delete

SIGNUP_RATE = "20/h"  # per address
RESET_RATE = "10/h"  # per address
# Failed log-ins from one address, whatever the usernames (password spraying). django-axes pauses
# one username at one address after 5 failures; this stops one address trying many usernames.
# An office behind one address makes a few typos an hour, far from 50.
LOGIN_FAILURE_RATE = "50/h"
LOGIN_FAILURE_GROUP = "accounts.login-failures"
PASSWORD_CHECK_RATE = "10/h"  # noqa: S105 - a rate, per account (changing the email, deleting)


def _safe_next(request, default=None):
    """Where to go next: the request's `next` when it is a path on this site (`/quizzes/`), else
    `default` (the log-in redirect when not given). Anything else (another site, `foo`, a view's
    name) is ignored, never reversed or followed."""
    target = request.POST.get("next") or request.GET.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL) if default is None else default


@sensitive_post_parameters("password1", "password2")
def signup(request):
    if request.user.is_authenticated:
        return HttpResponseRedirect(_safe_next(request))
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and is_ratelimited(
        request, group="accounts.signup", key="ip", rate=SIGNUP_RATE, increment=True
    ):
        # Each try says whether a username is taken: keep that from being asked in bulk.
        return render(request, "accounts/too_many.html", status=429)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # Logging in also moves this browser's quiz progress into the new account.
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return HttpResponseRedirect(_safe_next(request))
    return render(request, "accounts/signup.html", {"form": form, "next": _safe_next(request, "")})


def failed_log_ins_limited(view):
    """A log-in view that answers 429 (accounts/too_many.html) to an address that has failed to log
    in LOGIN_FAILURE_RATE times, counting each failure: a POST answered with the form again.
    Wraps the readers' log-in and the admin's (faqsite/urls.py)."""

    def limited(request, increment):
        return is_ratelimited(
            request, group=LOGIN_FAILURE_GROUP, key="ip", rate=LOGIN_FAILURE_RATE, increment=increment
        )

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and limited(request, increment=False):
            return render(request, "accounts/too_many.html", status=429)
        response = view(request, *args, **kwargs)
        if request.method == "POST" and response.status_code == 200:
            limited(request, increment=True)
        return response

    return wrapper


class LimitedPasswordResetView(PasswordResetView):
    """Django's password reset, with at most RESET_RATE requests from one address (each sends an
    email), the email sent off the request path."""

    form_class = PasswordResetMailLaterForm

    def post(self, request, *args, **kwargs):
        if is_ratelimited(
            request, group="accounts.password-reset", key="ip", rate=RESET_RATE, increment=True
        ):
            return render(request, "accounts/too_many.html", status=429)
        return super().post(request, *args, **kwargs)


def _account_page(request, email_form=None, delete_form=None, status=200):
    context = {
        "email_form": email_form or EmailChangeForm(request.user, initial={"email": request.user.email}),
        "delete_form": delete_form or AccountDeleteForm(request.user),
        "forms_with_errors": [form for form in (email_form, delete_form) if form is not None and form.errors],
        "authenticator": two_step.authenticator_of(request.user) if request.user.is_staff else None,
    }
    return render(request, "accounts/account.html", context, status=status)


@login_required
def account(request):
    """My account: what the site keeps, a download of it, the email address, deleting it all."""
    return _account_page(request)


def _with_password(request, form_class, done):
    """Check the posted form that asks for the reader's password; `done(form)` when it is valid,
    else My account again with its errors. At most PASSWORD_CHECK_RATE tries an hour per account,
    so that a stolen session can't be used to guess the password."""
    if is_ratelimited(
        request, group="accounts.password-check", key="user", rate=PASSWORD_CHECK_RATE, increment=True
    ):
        return render(request, "accounts/too_many.html", status=429)
    form = form_class(request.user, request.POST)
    if not form.is_valid():
        return _account_page(request, **{f"{form.prefix}_form": form}, status=400)
    return done(form)


@login_required
@require_POST
@sensitive_post_parameters()
def account_email(request):
    def change(form):
        request.user.email = form.cleaned_data["email"]
        request.user.save(update_fields=["email"])
        messages.success(request, "Your email address is changed.")
        return redirect("accounts:account")

    return _with_password(request, EmailChangeForm, change)


@login_required
def account_download(request):
    """Everything the site keeps about the reader, as a JSON file."""
    response = JsonResponse(account_data(user=request.user), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@login_required
@require_POST
@sensitive_post_parameters()
def account_remove(request):
    def delete(form):
        account_delete(user=request.user)
        logout(request)
        messages.success(
            request, "Your account is deleted. Your answers and votes are no longer linked to you."
        )
        return redirect("/")

    return _with_password(request, AccountDeleteForm, delete)


@login_required
@sensitive_post_parameters("code")
@sensitive_variables("device", "context")
def two_step_log_in(request):
    """The second step of a staff log-in: the code from the authenticator app; or, the first time,
    setting the app up (its QR code and secret, then a code to show it works)."""
    if not request.user.is_staff:
        raise Http404("Two-step log-in is for editors' accounts.")
    next_url = _safe_next(request, "")
    if request.user.is_verified():
        return HttpResponseRedirect(_safe_next(request))
    device = two_step.authenticator_of(request.user)
    setting_up = device is None
    if setting_up:
        device = two_step.authenticator_to_set_up(request, make=request.method != "POST")
        if device is None:
            messages.info(request, "The set-up was started again in another log-in: scan this new code.")
            return redirect(request.path + (f"?{urlencode({'next': next_url})}" if next_url else ""))
    form = TwoStepCodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        accepted, wait = two_step.check_code(request, device, form.cleaned_data["code"])
        if accepted:
            if setting_up:
                messages.success(
                    request, "Two-step log-in is on: from now on you log in with a code from your app."
                )
            return HttpResponseRedirect(_safe_next(request))
        form.add_error(
            "code",
            f"After a wrong code, the next one waits a little longer: wait {wait} "
            f"second{pluralize(wait)}, then enter the code your app shows."
            if wait
            else "That code is not right, or was used already. Enter the code your app shows now.",
        )
    context = {"form": form, "next": next_url, "setting_up": setting_up}
    if setting_up:
        context |= {"qr_code": two_step.qr_code_svg(device), "secret": two_step.secret_in_groups(device)}
    return render(request, "accounts/two_step.html", context, status=400 if form.errors else 200)

from django.contrib.auth import login
from django.contrib.auth.views import PasswordResetView
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters

from accounts.forms import SignupForm
from faqsite.net import over_limit

SIGNUPS_PER_HOUR = 20
RESETS_PER_HOUR = 10


def _safe_next(request, default="quizzes:progress"):
    target = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@sensitive_post_parameters("password1", "password2")
def signup(request):
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and over_limit(request, "signup", SIGNUPS_PER_HOUR):
        # Each try says whether a username is taken: keep that from being asked in bulk.
        return render(request, "accounts/too_many.html", status=429)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # Logging in also moves this browser's quiz progress into the new account.
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(_safe_next(request))
    return render(request, "accounts/signup.html", {"form": form, "next": _safe_next(request, "")})


class LimitedPasswordResetView(PasswordResetView):
    """Django's password reset, with at most RESETS_PER_HOUR requests an hour from one address
    (each sends an email)."""

    def post(self, request, *args, **kwargs):
        if over_limit(request, "password-reset", RESETS_PER_HOUR):
            return render(request, "accounts/too_many.html", status=429)
        return super().post(request, *args, **kwargs)

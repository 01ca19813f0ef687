from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    UserCreationForm,
)

from accounts.mail import send_later

# The site's one error pattern (GOV.UK's): each message says what to do about this field, in
# words a reader would use ("Enter your email address."), never "This field is required."
EMAIL_LENGTH = 254  # what Django's User.email holds
ENTER_EMAIL = {
    "required": "Enter your email address.",
    "max_length": f"Enter an email address of {EMAIL_LENGTH} characters or fewer.",
    "invalid": "Enter an email address in the right form, like name@example.org.",
}
MISMATCH = {"password_mismatch": "The two passwords are not the same: enter the same password twice."}


class SpecificErrorsMixin:
    """Labels and error messages for Django's own forms, field by field: `words` maps a field's
    name to its label, hint and messages ({"label": ..., "help_text": ..., "required": ...}).
    A form with mistakes says each message once per field, and gives up its autofocus: the page's
    error summary takes the focus (templates/includes/error_summary.html)."""

    words: dict[str, dict[str, str]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, words in self.words.items():
            field = self.fields[name]
            words = dict(words)
            field.label = words.pop("label", field.label)
            field.help_text = words.pop("help_text", field.help_text)
            field.error_messages = {**field.error_messages, **words}

    def full_clean(self):
        super().full_clean()
        if not self._errors:
            return
        for errors in self._errors.values():  # each ErrorList reads as its messages
            messages = list(errors)
            errors.data[:] = [e for n, e in enumerate(errors.data) if messages[n] not in messages[:n]]
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)


class SignupForm(SpecificErrorsMixin, UserCreationForm):
    email = forms.EmailField(
        label="Email address",
        max_length=EMAIL_LENGTH,
        help_text="Only for resetting your password if you forget it. We never show it to anyone.",
    )
    error_messages = {**UserCreationForm.error_messages, **MISMATCH}
    words = {
        "username": {
            "help_text": "Up to 150 letters, numbers and @ . + - _ (no spaces).",
            "required": "Enter a username.",
            "invalid": "Enter a username made of letters, numbers and @ . + - _ only.",
            "max_length": "Enter a username of 150 characters or fewer.",
        },
        "email": ENTER_EMAIL,
        "password1": {"required": "Enter a password."},
        "password2": {"label": "Password again", "required": "Enter the password again."},
    }

    class Meta(UserCreationForm.Meta):
        fields = ["username", "email"]


class LogInForm(SpecificErrorsMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "The username or password is not right: check both (capitals count).",
    }
    words = {
        "username": {"required": "Enter your username."},
        "password": {"required": "Enter your password."},
    }


class NewPasswordForm(SpecificErrorsMixin, SetPasswordForm):
    error_messages = {**SetPasswordForm.error_messages, **MISMATCH}
    words = {
        "new_password1": {"required": "Enter a new password."},
        "new_password2": {"label": "New password again", "required": "Enter the new password again."},
    }


class ChangePasswordForm(SpecificErrorsMixin, PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        **MISMATCH,
        "password_incorrect": "That is not your current password: enter it again.",
    }
    words = {
        "old_password": {"label": "Current password", "required": "Enter your current password."},
        **NewPasswordForm.words,
    }


class PasswordCheckMixin:
    """A form that asks for the reader's current password before doing what it does."""

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.", code="password_incorrect")
        return password


class EmailChangeForm(PasswordCheckMixin, forms.Form):
    prefix = "email"  # two forms on one page, each with a password field
    email = forms.EmailField(
        label="New email address",
        max_length=EMAIL_LENGTH,
        error_messages={**ENTER_EMAIL, "required": "Enter your new email address."},
    )
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": "Enter your password to change your email address."},
    )


class AccountDeleteForm(PasswordCheckMixin, forms.Form):
    prefix = "delete"
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput,
        help_text="Deleting can't be undone.",
        error_messages={"required": "Enter your password to delete your account."},
    )


class PasswordResetMailLaterForm(SpecificErrorsMixin, PasswordResetForm):
    """Django's password reset, with the email made and sent in the background: the answer comes as
    fast whether or not the address has an account, so its timing doesn't tell."""

    words = {"email": {"label": "Email address", **ENTER_EMAIL}}

    def send_mail(self, *args, **kwargs):
        send_later(super().send_mail, *args, **kwargs)


class TwoStepCodeForm(SpecificErrorsMixin, forms.Form):
    code = forms.RegexField(
        label="Code from your authenticator app",
        regex=r"^\s*[0-9]{3} ?[0-9]{3}\s*$",
        max_length=20,
        error_messages={
            "required": "Enter the 6-digit code your app shows.",
            "invalid": "Enter the 6 digits your app shows, like 123 456.",
            "max_length": "Enter the 6 digits your app shows, like 123 456.",
        },
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())

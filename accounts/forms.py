from django import forms
from django.contrib.auth.forms import PasswordResetForm, UserCreationForm

from accounts.mail import send_later


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        help_text="Only for resetting your password if you forget it. We never show it to anyone."
    )

    class Meta(UserCreationForm.Meta):
        fields = ["username", "email"]


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
    email = forms.EmailField(label="New email address")
    password = forms.CharField(label="Your password", strip=False, widget=forms.PasswordInput)


class AccountDeleteForm(PasswordCheckMixin, forms.Form):
    prefix = "delete"
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput,
        help_text="Deleting can't be undone.",
    )


class PasswordResetMailLaterForm(PasswordResetForm):
    """Django's password reset, with the email made and sent in the background: the answer comes as
    fast whether or not the address has an account, so its timing doesn't tell."""

    def send_mail(self, *args, **kwargs):
        send_later(super().send_mail, *args, **kwargs)


class TwoStepCodeForm(forms.Form):
    code = forms.RegexField(
        label="Code from your authenticator app",
        regex=r"^\s*[0-9]{3} ?[0-9]{3}\s*$",
        max_length=20,
        error_messages={"invalid": "Enter the 6 digits your app shows, like 123 456."},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())

from django import forms
from django.contrib.auth.forms import UserCreationForm


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        help_text="Only for resetting your password if you forget it. We never show it to anyone."
    )

    class Meta(UserCreationForm.Meta):
        fields = ["username", "email"]

from django import forms

from quizzes.models import Question

INVALID_CHOICE = "That is not one of this question's choices."


class AnswerForm(forms.Form):
    """One question's choices, by id and text only; the item grades the answer when the service
    saves it (AttemptItem.grade)."""

    def __init__(self, item, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = item.choices_for_form()
        if item.kind == Question.Kind.MULTIPLE:
            field = forms.TypedMultipleChoiceField(
                choices=choices,
                coerce=int,
                widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                error_messages={"required": "Choose at least one answer.", "invalid_choice": INVALID_CHOICE},
                help_text="Choose all the answers that apply.",
            )
            initial = item.chosen or []
        else:
            field = forms.TypedChoiceField(
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": "Choose an answer.", "invalid_choice": INVALID_CHOICE},
            )
            initial = item.chosen[0] if item.chosen else None
        field.label = item.prompt
        field.initial = initial
        self.fields["answer"] = field

    def chosen_ids(self):
        answer = self.cleaned_data["answer"]
        return answer if isinstance(answer, list) else [answer]

    @property
    def is_forged(self):
        """True when the browser sent a choice this question never offered."""
        return any(error.code == "invalid_choice" for error in self.errors.as_data().get("answer", []))

from django import forms

from quizzes.models import Question

INVALID_CHOICE = "That is not one of this question's choices."


class AnswerForm(forms.Form):
    """One question's choices, by text and their place in this attempt's order only (1, 2, 3…):
    the page says nothing of the editor's order or of which is right; the item grades the answer
    when the service saves it (AttemptItem.grade)."""

    def __init__(self, item, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ids = [choice_id for choice_id, _ in item.choices_for_form()]
        choices = [(n, text) for n, (_, text) in enumerate(item.choices_for_form(), start=1)]
        if item.kind == Question.Kind.MULTIPLE:
            field = forms.TypedMultipleChoiceField(
                choices=choices,
                coerce=int,
                widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                error_messages={"required": "Choose at least one answer.", "invalid_choice": INVALID_CHOICE},
                help_text="Choose all the answers that apply.",
            )
            initial = [self.ids.index(i) + 1 for i in item.chosen or [] if i in self.ids]
        else:
            field = forms.TypedChoiceField(
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": "Choose an answer.", "invalid_choice": INVALID_CHOICE},
            )
            initial = (
                self.ids.index(item.chosen[0]) + 1 if item.chosen and item.chosen[0] in self.ids else None
            )
        field.label = item.prompt
        field.initial = initial
        self.fields["answer"] = field

    def chosen_ids(self):
        answer = self.cleaned_data["answer"]
        return [self.ids[n - 1] for n in (answer if isinstance(answer, list) else [answer])]

    @property
    def is_forged(self):
        """True when the browser sent a choice this question never offered."""
        return any(error.code == "invalid_choice" for error in self.errors.as_data().get("answer", []))

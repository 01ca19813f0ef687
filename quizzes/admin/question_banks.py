"""A quiz's questions in and out as Moodle GIFT files (quizzes/gift.py, a format of
quizzes/interchange.py), from the quiz's admin page.

Wired by QuizAdmin.get_urls as `partial(import_view, self)` and `partial(export_view, self)`,
named "admin:quizzes_quiz_import" and "admin:quizzes_quiz_export". The import is read, shown for
review with what will be added and what is skipped, and saved only from the review page."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from articles.admin.pages import admin_page
from articles.forms import UploadOrPasteForm
from quizzes import gift
from quizzes.interchange import KIND_NAMES, import_version, quizzes_import_questions, sections_found
from quizzes.models import Quiz
from quizzes.services import QuizError


class GiftImportForm(UploadOrPasteForm):
    expected = gift.FILE_KIND
    missing = "Choose a GIFT file or paste its text."
    problems = (gift.GiftError,)

    file = forms.FileField(required=False, help_text="A GIFT file, as Moodle exports it (UTF-8 text).")
    # strip=False: the line numbers of what is skipped must be the file's.
    text = forms.CharField(
        label="Or paste GIFT text",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 80}),
    )

    def read(self, source, upload):
        return {"bank": gift.parse(source)}


def export_view(model_admin, request, pk):
    quiz = get_object_or_404(Quiz, pk=pk)
    if not model_admin.has_view_permission(request, quiz):
        raise PermissionDenied
    response = HttpResponse(gift.export(quiz), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{quiz.slug}.gift.txt"'
    return response


def import_view(model_admin, request, pk):
    # The quiz is the one in the address, and only one its editor may change: nothing posted
    # chooses another.
    quiz = get_object_or_404(Quiz, pk=pk)
    if not model_admin.has_change_permission(request, quiz) or not request.user.has_perms(
        ["quizzes.add_question", "quizzes.add_choice"]
    ):
        raise PermissionDenied
    posted = request.method == "POST"
    form = GiftImportForm(request.POST if posted else None, request.FILES if posted else None)
    bank, notes = None, []
    if posted and form.is_valid():
        bank = form.cleaned_data["bank"]
        notes = sorted(bank.notes + sections_found(bank)[1])
        if "save" in request.POST:
            try:
                report = quizzes_import_questions(
                    quiz=quiz,
                    bank=bank,
                    user=request.user,
                    reviewed_version=request.POST.get("version", ""),
                )
            except QuizError as problem:
                form.add_error(None, str(problem))
            else:
                model_admin.message_user(request, report.summary(), messages.SUCCESS)
                if report.skipped:
                    lines = ", ".join(str(line) for line, _ in report.skipped)
                    message = f"Skipped the questions on lines {lines} (the review page said why)."
                    model_admin.message_user(request, message, messages.WARNING)
                if report.notes:
                    listed = "; ".join(f"line {line}: {note}" for line, note in report.notes)
                    model_admin.message_user(request, f"Notes: {listed}.", messages.WARNING)
                return redirect(reverse("admin:quizzes_quiz_change", args=[quiz.pk]))
    return admin_page(
        model_admin,
        request,
        "admin/quizzes/quiz/import_questions.html",
        title=f"Import questions into “{quiz}”",
        crumb="Import questions",
        original=quiz,
        quiz=quiz,
        form=form,
        bank=bank,
        groups=_by_kind(bank.questions) if bank else [],
        notes=notes,
        version=import_version(quiz),
    )


def _by_kind(questions):
    """[(kind name, [question, ...]), ...] in the order of Question.Kind, for the review."""
    return [
        (name, [question for question in questions if question.kind == kind])
        for kind, name in KIND_NAMES.items()
        if any(question.kind == kind for question in questions)
    ]

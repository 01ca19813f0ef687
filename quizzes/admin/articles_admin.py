"""What the quizzes app adds to the articles app's admin pages: on a section's page, the quiz
questions that test it; on an article's page, "Make a quiz from this article".

Why here, and why by registering again: the articles app knows nothing of quizzes (apps point one
way), so the app that owns the questions adds them to the articles' pages, as an app adds an inline
to django.contrib.auth's UserAdmin. Django has no hook for adding an inline to another app's
ModelAdmin, so the articles app's SectionAdmin and ArticleAdmin are unregistered and subclasses
registered in their place; everything else about those pages stays the articles app's."""

from django.contrib import admin

from articles.admin import ArticleAdmin, SectionAdmin
from articles.formsets import BoundedInline
from articles.models import Article, Section
from quizzes.models import Question


class SectionQuestionsInline(BoundedInline, admin.TabularInline):
    """On a section's admin page: the quiz questions that test it (shown, never posted)."""

    model = Question
    fk_name = "section"
    fields = ["quiz", "prompt", "is_archived"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    verbose_name = "quiz question that tests this section"
    verbose_name_plural = "Quiz questions that test this section"


admin.site.unregister(Section)


@admin.register(Section)
class SectionWithQuestionsAdmin(SectionAdmin):
    inlines = [*SectionAdmin.inlines, SectionQuestionsInline]


admin.site.unregister(Article)


@admin.register(Article)
class ArticleWithQuizzesAdmin(ArticleAdmin):
    """The article's page gains "Make a quiz from this article" (its template links to the quiz
    form with ?source_article=)."""

    change_form_template = "admin/quizzes/article/change_form.html"

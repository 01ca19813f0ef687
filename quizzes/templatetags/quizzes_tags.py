from django import template

from quizzes.models import Quiz

register = template.Library()


@register.simple_tag
def quizzes_testing(article):
    """Published quizzes whose questions link to a section of `article` ("Test yourself")."""
    return list(Quiz.objects.testing_article(article))

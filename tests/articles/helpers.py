"""Building the admin's article form in tests, as an editor's browser would post it."""

from articles.models import Section


def article_form(sections, **fields):
    """The POST data of the admin's article form with the given (question, answer) sections."""
    data = {
        "title": "Are therapists allowed to cry?",
        "slug": "are-therapists-allowed-to-cry",
        "summary": "Yes, within limits.",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "sections-TOTAL_FORMS": str(len(sections)),
        "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
        "share_links-TOTAL_FORMS": "0",
        "share_links-INITIAL_FORMS": "0",
        "share_links-MIN_NUM_FORMS": "0",
        "share_links-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for i, (question, answer, position) in enumerate(sections):
        data[f"sections-{i}-question"] = question
        data[f"sections-{i}-answer"] = answer
        data[f"sections-{i}-position"] = position
        data[f"sections-{i}-anchor"] = ""
    return data


def change_form(article, sections, **fields):
    """The article's change form with (id or None, question, answer) sections, existing ones
    first, as the editor sees it."""
    fields = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "status": article.status,
        **fields,
    }
    data = article_form(
        [(question, answer, str(n)) for n, (_, question, answer) in enumerate(sections, 1)],
        **fields,
    )
    data["sections-INITIAL_FORMS"] = str(sum(1 for pk, _, _ in sections if pk))
    for i, (pk, _, _) in enumerate(sections):
        if pk:
            data[f"sections-{i}-id"] = pk
            data[f"sections-{i}-article"] = article.pk
            data[f"sections-{i}-anchor"] = Section.objects.get(pk=pk).anchor
    return data

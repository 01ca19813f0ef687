"""Compare two saved versions of an article (the history page's "Compare")."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from reversion.models import Version

from articles.admin.pages import admin_page
from articles.compare import compare_versions
from articles.models import Article


def compare_view(model_admin, request, object_id):
    """Two saved versions of an article side by side: its fields and its sections."""
    article = get_object_or_404(Article, pk=object_id)
    if not model_admin.has_view_or_change_permission(request, article):
        raise PermissionDenied
    versions = list(Version.objects.get_for_object(article).select_related("revision__user"))
    by_id = {str(version.revision_id): version for version in versions}
    older = by_id.get(request.GET.get("a")) or (versions[1] if len(versions) > 1 else None)
    newer = by_id.get(request.GET.get("b")) or (versions[0] if versions else None)
    return admin_page(
        model_admin,
        request,
        "admin/articles/article/compare.html",
        title=f"Compare versions: {article}",
        crumb="Compare",
        original=article,
        versions=versions,
        older=older,
        newer=newer,
        changes=compare_versions(older, newer) if older and newer else None,
    )

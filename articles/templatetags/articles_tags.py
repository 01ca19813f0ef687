import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

from articles.markdown import markdown_to_html

register = template.Library()

# The same escapes as django.utils.html.json_script: nothing in the data can close the <script>.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def markdown(text):
    """Markdown rendered to sanitised HTML (see articles.markdown)."""
    return mark_safe(markdown_to_html(text))  # noqa: S308 - sanitised by nh3


@register.filter
def json_ld(data):
    """`data` as JSON that is safe inside <script type="application/ld+json">."""
    dumped = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(dumped.translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308 - escaped above

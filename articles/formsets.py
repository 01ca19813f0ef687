"""The bound on the rows an admin page edits at once, used by every inline on every admin page.

A posted page says itself how many forms to build (its management form: TOTAL_FORMS and
INITIAL_FORMS), so a forged one could ask for millions. Django builds at most a formset's
`absolute_max` forms, but sets that to max_num + 1,000 and trusts INITIAL_FORMS as posted. Here
`absolute_max` is the inline's own `max_num` (the page's bound: more is refused with "Please submit
at most N forms"), and the initial forms are never more than the forms built.
"""

from django.core.exceptions import ImproperlyConfigured
from django.forms.models import BaseInlineFormSet


class BoundedFormSetMixin:
    def initial_form_count(self):
        count = super().initial_form_count()
        return min(count, self.total_form_count()) if self.is_bound else count


class BoundedInlineFormSet(BoundedFormSetMixin, BaseInlineFormSet):
    pass


class BoundedInline:
    """Mixin for an InlineModelAdmin, before Django's class: its formset builds at most `max_num`
    forms (which every such inline sets), whatever is posted."""

    formset = BoundedInlineFormSet

    def get_formset(self, request, obj=None, **kwargs):
        if self.max_num is None or not issubclass(self.formset, BoundedFormSetMixin):
            raise ImproperlyConfigured(f"{type(self).__name__} needs a max_num and a bounded formset.")
        return super().get_formset(request, obj, **{"absolute_max": self.max_num, **kwargs})

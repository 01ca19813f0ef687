"""The bound on the rows an admin page edits at once, used by every inline on every admin page.

A posted page says itself how many forms to build (its management form: TOTAL_FORMS and
INITIAL_FORMS), so a forged one could ask for millions. Django builds at most a formset's
`absolute_max` forms, but sets that to max_num + 1,000 and trusts INITIAL_FORMS as posted. Here
`absolute_max` is the inline's own `max_num` (the page's bound: more is refused with "Please submit
at most N forms"), or the number of rows the object already has if that is more (rows from before
a bound, which the page shows, must still be saved, or deleted down to it), and the initial forms
are never more than the forms built. What is posted never raises the bound.
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
        formset = super().get_formset(request, obj, **{"absolute_max": self.max_num, **kwargs})
        formset.absolute_max = max(self.max_num, _rows_of(obj, formset.fk))  # a class of its own
        return formset


def _rows_of(obj, fk):
    """How many rows `obj` has through `fk`: read with it if they were (prefetched), else counted."""
    if obj is None or obj.pk is None:
        return 0
    prefetched = getattr(obj, "_prefetched_objects_cache", {}).get(fk.remote_field.get_accessor_name())
    if prefetched is not None:
        return len(prefetched)
    return fk.model._default_manager.filter(**{fk.name: obj}).count()

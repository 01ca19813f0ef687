"""A lookup Django leaves unguarded.

Since Django 5.0 an integer compared with a number outside the column's range matches nothing
(`id=99999999999999999999`), but `id__in=[99999999999999999999]` still reaches the database, and
SQLite's driver raises OverflowError: a 500 for any form that checks posted ids with `__in`, such as
every many-to-many field (Django's ModelMultipleChoiceField: topics, a group's permissions, a user's
groups) and the admin's autocomplete widgets. Here such values are left out of the list, as
`exact` leaves them out. (README, "Known issues upstream".)
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def register():
    IntegerField.register_lookup(IntegerFieldIn)

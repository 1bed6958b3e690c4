"""``field__in_ids=[…]``: membership in a list of integer ids, bound as ONE array parameter on
PostgreSQL (``= ANY(%s)``) instead of one placeholder per id; ``date_field__in_dates=Dates(…)``
the same for dates.

A province officer's scope is ~975 unit ids. Django's ``__in`` prepares, resolves and binds each id
on every query (about 30 ms of Python per province list page, measured with cProfile); PostgreSQL
plans ``IN (…)`` as ``= ANY(ARRAY[…])`` anyway, so the plan is the same and only the Python goes.
Other databases get the plain ``IN (…)``.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models import Lookup


class _Whole:
    """Values the ORM passes through whole, as ONE array parameter on PostgreSQL."""

    __slots__ = ("values",)

    def __iter__(self):
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self.values)})"


class Ids(_Whole):
    """Integer ids already known to be ints (a user's scope), for ``__in_ids``: the ORM passes it
    through whole, where a list is resolved and prepared element by element on every ``filter()``
    (~2,000 calls per province page for its two scoped filters)."""

    def __init__(self, values: list[int]) -> None:
        self.values = values


class Dates(_Whole):
    """Dates for ``__in_dates``: one array parameter on PostgreSQL, so a query over the windows of
    a dashboard has the same SQL whatever their number (``apps.core.prepared`` compiles it once)."""

    def __init__(self, values) -> None:
        self.values = sorted(set(values))


class _InArray(Lookup):
    """``lhs = ANY(%s::<array_type>[])`` on PostgreSQL, ``lhs IN (%s, …)`` elsewhere."""

    prepare_rhs = False
    whole: type[_Whole]
    array_type: str

    def prep_values(self, values) -> list:
        return list(values)

    def adapted(self, connection, value):
        return value

    def get_prep_lookup(self) -> list:
        return self.rhs.values if isinstance(self.rhs, self.whole) else self.prep_values(self.rhs)

    def as_sql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::{self.array_type}[])", (*lhs_params, list(self.rhs))
        values = [self.adapted(connection, value) for value in self.rhs]
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", (*lhs_params, *values)


class InIds(_InArray):
    lookup_name = "in_ids"
    whole = Ids
    array_type = "bigint"

    def prep_values(self, values) -> list[int]:
        return [int(value) for value in values]


class InDates(_InArray):
    lookup_name = "in_dates"
    whole = Dates
    array_type = "date"

    def adapted(self, connection, value):
        return connection.ops.adapt_datefield_value(value)


models.DateField.register_lookup(InDates)

# Relations keep their own lookup table (RelatedIn, RelatedExact…), so register there too: the
# scoping lookups end on a foreign key ("commune") or a many-to-many ("communes").
models.Field.register_lookup(InIds)
models.ForeignObject.register_lookup(InIds)

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


class Ids:
    """Integer ids already known to be ints (a user's scope), for ``__in_ids``: the ORM passes it
    through whole, where a list is resolved and prepared element by element on every ``filter()``
    (~2,000 calls per province page for its two scoped filters)."""

    __slots__ = ("values",)

    def __init__(self, values: list[int]) -> None:
        self.values = values

    def __iter__(self):
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)

    def __repr__(self) -> str:
        return f"Ids({len(self.values)})"


class InIds(Lookup):
    lookup_name = "in_ids"
    prepare_rhs = False

    def get_prep_lookup(self) -> list[int]:
        if isinstance(self.rhs, Ids):
            return self.rhs.values
        return [int(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", (*lhs_params, list(self.rhs))
        placeholders = ", ".join(["%s"] * len(self.rhs))
        return f"{lhs} IN ({placeholders})", (*lhs_params, *self.rhs)


class Dates:
    """Dates for ``__in_dates``, passed through whole like ``Ids``: one array parameter on
    PostgreSQL, so a query over the windows of a dashboard has the same SQL whatever their number
    (``apps.core.prepared`` compiles it once)."""

    __slots__ = ("values",)

    def __init__(self, values) -> None:
        self.values = sorted(set(values))

    def __iter__(self):
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)

    def __repr__(self) -> str:
        return f"Dates({len(self.values)})"


class InDates(Lookup):
    lookup_name = "in_dates"
    prepare_rhs = False

    def get_prep_lookup(self) -> list:
        return list(self.rhs.values if isinstance(self.rhs, Dates) else self.rhs)

    def as_sql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::date[])", (*lhs_params, list(self.rhs))
        values = [connection.ops.adapt_datefield_value(value) for value in self.rhs]
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", (*lhs_params, *values)


models.DateField.register_lookup(InDates)

# Relations keep their own lookup table (RelatedIn, RelatedExact…), so register there too: the
# scoping lookups end on a foreign key ("commune") or a many-to-many ("communes").
models.Field.register_lookup(InIds)
models.ForeignObject.register_lookup(InIds)

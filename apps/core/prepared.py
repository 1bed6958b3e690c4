"""Hot reads compiled once per process: ``@prepared`` runs a queryset's own SQL with new parameter
values instead of building and compiling the same queryset again on every page.

Why: a province dashboard makes about 25 reads whose shape never changes, only their values (the
communes, the period, a date). Building each queryset (``filter`` resolving lookups, joins,
expressions) and compiling it to SQL was about 1 ms of Python per read, as much as the database
took to answer it (measured with the benchmark's own SQL timer): the page spent more time saying
what it wanted than getting it.

How: the first call builds the queryset with *sentinels* (typed placeholder values no real data
holds), compiles it with the ORM and records where each sentinel landed among the SQL's
parameters. Every later call puts its own values in those places and executes the ORM's SQL
through Django's cursor (query counting, execute wrappers and the replica router still apply),
then converts the rows with the ORM's own converters. A builder whose parameter the ORM
transforms on the way (``startswith`` adds ``%``, ``__in`` spreads a list over several
placeholders) cannot be replayed: it is refused at its first call, so a test on PostgreSQL finds it.

Only PostgreSQL replays (``Ids`` is one array parameter there; on SQLite it is one placeholder per
id, so the SQL's shape follows the list's length): elsewhere the builder's queryset is evaluated
as it is. Both paths return the same rows; the tests run them side by side.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Model, QuerySet, Value
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesIterable,
    ValuesListIterable,
    get_related_populators,
)

from .lookups import Dates, Ids

#: the databases whose compiled SQL is replayed (see the module docstring)
REPLAYED_VENDORS = frozenset({"postgresql"})

#: sentinels: typed values no query of the app holds as a constant. Integers stay inside a small
#: integer column's range (the ORM answers "nothing" for an out-of-range value without asking the
#: database); texts carry a private-use mark.
_INT_BASES = (30_011, 31_013)
_DATE_BASES = (dt.date(1001, 1, 1), dt.date(1002, 2, 2))
_DATETIME_BASES = (dt.datetime(1001, 1, 1, tzinfo=dt.UTC), dt.datetime(1002, 2, 2, tzinfo=dt.UTC))
_MARK = "\ue000"


def _sentinel(name: str, value: Any, n: int, round_: int) -> Any:
    """Placeholder number ``n`` of round ``round_``, of ``value``'s type."""
    if isinstance(value, bool) or value is None:
        raise TypeError(f"@prepared: «{name}» ({value!r}) would change the query's shape, not a value")
    if isinstance(value, int):
        return _INT_BASES[round_] + n
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise TypeError(f"@prepared: «{name}» is a naive datetime (the ORM would convert it on the way)")
        return _DATETIME_BASES[round_] + dt.timedelta(minutes=n)
    if isinstance(value, dt.date):
        return _DATE_BASES[round_] + dt.timedelta(days=n)
    if isinstance(value, str):
        return f"{_MARK}{round_}.{n}{_MARK}"
    if isinstance(value, Ids):
        return Ids([_INT_BASES[round_] + n])
    if isinstance(value, Dates):
        return Dates([_DATE_BASES[round_] + dt.timedelta(days=n)])
    raise TypeError(
        f"@prepared: «{name}» has type {type(value).__name__}; "
        "use int, date, aware datetime, str, Ids, Dates or a tuple of them"
    )


def _bind(value: Any) -> Any:
    """A real value as the ORM passes it to the database (``Ids``, ``Dates``: a list)."""
    if isinstance(value, Ids | Dates):
        return list(value.values)
    if isinstance(value, str):
        return str(value)  # a TextChoices member as its value
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        raise TypeError(f"@prepared: a naive datetime ({value!r}) would be read in another time zone")
    return value


def _placeholders(kwargs: dict[str, Any], round_: int) -> tuple[dict[str, Any], dict[tuple[str, int | None], Any]]:
    """The sentinels to build with, and each as the ORM binds it, by (keyword, element of a
    tuple or None). A tuple (``kind__in=kinds``) is spread over one placeholder per element, so its
    length is part of the query's shape."""
    args: dict[str, Any] = {}
    bound: dict[tuple[str, int | None], Any] = {}
    for n, (name, value) in enumerate(sorted(kwargs.items())):
        if isinstance(value, tuple):
            args[name] = tuple(_sentinel(name, v, n * 64 + i, round_) for i, v in enumerate(value))
            bound.update({(name, i): _bind(v) for i, v in enumerate(args[name])})
        else:
            args[name] = _sentinel(name, value, n * 64, round_)
            bound[(name, None)] = _bind(args[name])
    return args, bound


def _shape(kwargs: dict[str, Any]) -> tuple:
    return tuple(
        (name, type(value), len(value) if isinstance(value, tuple) else None) for name, value in sorted(kwargs.items())
    )


def _mentions(param: Any, sentinels: list[Any]) -> bool:
    """Whether ``param`` carries a sentinel inside it (transformed: it cannot be replaced)."""
    if isinstance(param, str):
        return _MARK in param
    if isinstance(param, list | tuple):
        return any(_mentions(p, sentinels) for p in param)
    return any(type(param) is type(s) and param == s for s in sentinels)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    #: for each SQL parameter: the (keyword, element of a tuple or None) it takes its value from,
    #: or None and a constant
    slots: tuple[tuple[tuple[str, int | None] | None, Any], ...]
    #: the ORM's converters of the selected columns: (position, (functions, expression))
    converters: tuple[tuple[int, tuple[list[Any], Any]], ...]
    kind: str
    names: tuple[str, ...] = ()
    model: type[Model] | None = None
    init_list: tuple[str, ...] = ()
    model_span: tuple[int, int] = (0, 0)
    annotation_col_map: tuple[tuple[str, int], ...] = ()
    #: what ``select_related`` needs to attach the related objects (as ``ModelIterable`` does)
    klass_info: dict | None = None
    select: tuple = ()


def _kind_of(qs: QuerySet) -> str:
    iterable = qs._iterable_class
    if iterable is FlatValuesListIterable:
        return "flat"
    if iterable is ValuesListIterable:
        return "tuples"
    if iterable is ValuesIterable:
        return "dicts"
    if iterable is ModelIterable:
        if qs._prefetch_related_lookups or qs._known_related_objects:
            raise TypeError("@prepared: a model query with prefetched or known related objects is not replayed")
        return "models"
    raise TypeError(f"@prepared: {iterable.__name__} is not replayed")


def _compile(build: Callable[..., QuerySet], kwargs: dict[str, Any], alias: str) -> _Compiled:
    """Compile ``build`` twice, with two sets of sentinels: a parameter that follows the sentinels
    is a slot, one that stays the same is a constant; anything else (a transformed or spread value,
    a shape that depends on the value) is refused."""
    rounds = []
    for round_ in (0, 1):
        args, bound = _placeholders(kwargs, round_)
        qs = build(**args)
        compiler = qs.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        rounds.append((qs, compiler, sql, list(params), bound))
    (qs, compiler, sql, params, bound), (_qs, _c, sql_b, params_b, bound_b) = rounds
    where = f"@prepared {build.__qualname__}"
    if sql != sql_b or len(params) != len(params_b):
        raise ValueError(f"{where}: the SQL's shape depends on the values")
    every = [*bound.values(), *bound_b.values()]
    slots: list[tuple[tuple[str, int | None] | None, Any]] = []
    seen = set()
    for a, b in zip(params, params_b, strict=True):
        key = next((k for k, s in bound.items() if type(a) is type(s) and a == s), None)
        if key is not None and type(b) is type(bound_b[key]) and b == bound_b[key]:
            slots.append((key, None))
            seen.add(key[0])
        elif type(a) is type(b) and a == b and not _mentions(a, every):
            slots.append((None, a))
        else:
            raise ValueError(f"{where}: the ORM transformed a parameter ({a!r})")
    missing = set(kwargs) - seen
    if missing:
        raise ValueError(f"{where}: {sorted(missing)} reach no SQL parameter")
    kind = _kind_of(qs)
    fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
    extra: dict[str, Any] = {}
    query = qs.query
    if kind == "dicts":
        extra["names"] = tuple(query.selected or [*query.extra_select, *query.values_select, *query.annotation_select])
    elif kind == "models":
        info = compiler.klass_info
        start, end = info["select_fields"][0], info["select_fields"][-1] + 1
        extra.update(
            model=info["model"],
            init_list=tuple(f[0].target.attname for f in compiler.select[start:end]),
            model_span=(start, end),
            annotation_col_map=tuple(compiler.annotation_col_map.items()),
            klass_info=info,
            select=tuple(compiler.select),
        )
    converters = tuple(compiler.get_converters(fields).items())
    return _Compiled(sql, tuple(slots), converters, kind, **extra)


def _params(c: _Compiled, kwargs: dict[str, Any]) -> list[Any]:
    return [
        const if key is None else _bind(kwargs[key[0]] if key[1] is None else kwargs[key[0]][key[1]])
        for key, const in c.slots
    ]


def _rows(c: _Compiled, alias: str, kwargs: dict[str, Any]) -> list[Any]:
    params = _params(c, kwargs)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(c.sql, params)
        raw = cursor.fetchall()
    if c.converters:
        converted = []
        for row in raw:
            row = list(row)
            for pos, (convs, expression) in c.converters:
                value = row[pos]
                for converter in convs:
                    value = converter(value, expression, connection)
                row[pos] = value
            converted.append(row)
        raw = converted
    if c.kind == "flat":
        return [row[0] for row in raw]
    if c.kind == "tuples":
        return [tuple(row) for row in raw]
    if c.kind == "dicts":
        return [dict(zip(c.names, row, strict=False)) for row in raw]
    start, end = c.model_span
    populators = get_related_populators(c.klass_info, list(c.select), alias) if c.klass_info else []
    objects = []
    for row in raw:
        obj = c.model.from_db(alias, list(c.init_list), tuple(row[start:end]))
        for populator in populators:
            populator.populate(row, obj)
        for attr, pos in c.annotation_col_map:
            setattr(obj, attr, row[pos])
        objects.append(obj)
    return objects


def single_row(qs: QuerySet, **aggregates: Any) -> QuerySet:
    """``qs.aggregate(**aggregates)`` as a queryset of one dict, which ``@prepared`` can compile
    (``aggregate()`` runs at once). No GROUP BY: one row, zeros on an empty set, as ``aggregate``."""
    return qs.order_by().values(_one=Value(1)).annotate(**aggregates).values(*aggregates)


def prepared(build: Callable[..., QuerySet]) -> Callable[..., list[Any]]:
    """``build(**values) -> QuerySet`` becomes a function of the same keywords returning the list
    the queryset gives (values, tuples, dicts or model instances), compiled once per process and
    database vendor. The values are int, date, aware datetime, str, ``Ids``, ``Dates`` or a tuple
    of int, date or str (``kind__in=kinds``: its length is part of the shape); everything else the
    query says is frozen at its first call, so whatever may change between calls (today's date,
    a setting, a list of codes) must be one of the keywords."""
    compiled: dict[tuple, _Compiled] = {}

    def _compiled(kwargs: dict[str, Any]) -> tuple[_Compiled | None, str]:
        model = getattr(run, "model", None)
        if model is None:
            _placeholders(kwargs, 0)  # a value of a type that cannot be replayed is refused before any query
            run.model = model = build(**kwargs).model  # type: ignore[attr-defined]
        alias = router.db_for_read(model)
        vendor = connections[alias].vendor
        if vendor not in REPLAYED_VENDORS:
            return None, alias
        key = (vendor, _shape(kwargs))
        c = compiled.get(key)
        if c is None:
            try:
                c = compiled[key] = _compile(build, kwargs, alias)
            except EmptyResultSet:  # an empty tuple (``__in=()``): the ORM answers it without SQL
                return None, alias
        return c, alias

    @functools.wraps(build)
    def run(**kwargs: Any) -> list[Any]:
        c, alias = _compiled(kwargs)
        return list(build(**kwargs)) if c is None else _rows(c, alias, kwargs)

    def sql(**kwargs: Any) -> tuple[str, list[Any]]:
        """The query's SQL and parameters for these values, to run inside a larger statement
        (``EmptyResultSet`` as the ORM raises it, off PostgreSQL)."""
        c, _alias = _compiled(kwargs)
        if c is None:
            sql_text, params = build(**kwargs).query.sql_with_params()
            return sql_text, list(params)
        return c.sql, _params(c, kwargs)

    run.sql = sql  # type: ignore[attr-defined]
    run.compiled = compiled  # type: ignore[attr-defined]
    return run

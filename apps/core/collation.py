"""Vietnamese alphabetical order, the same on PostgreSQL and SQLite.

Officials read lists of names in the order of the Vietnamese alphabet: a ă â b c d đ e ê g h i k l m
n o ô ơ p q r s t u ư v x y, tones only breaking ties (none, huyền, hỏi, ngã, sắc, nặng), so
"Bạch" comes before "Bình" and every "Đ" after every "D". Neither the byte order of the stored text
nor the unaccented search column gives that ("Đức" between "Dung" and "Duy").

* PostgreSQL: the ICU collation ``vi_icu`` (migration ``core.0003_vietnamese_icu_collation``).
* SQLite: a collation of the same name, registered on every new connection, that compares with
  :func:`vi_key`, so the same ``Collate(..., "vi_icu")`` expression sorts alike on both.

Use :func:`vi_order` for querysets and :func:`vi_sorted` / :func:`vi_key` for lists in Python.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any, TypeVar

from django.db.models import F, QuerySet
from django.db.models.expressions import OrderBy
from django.db.models.functions import Collate

COLLATION = "vi_icu"

T = TypeVar("T")

# Primary letters of the Vietnamese alphabet (f, j, w, z sort where the Latin alphabet puts them).
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_PRIMARY = {letter: i for i, letter in enumerate(_ALPHABET)}
# Marks that make a different letter (breve, circumflex, horn) and tone marks (secondary weight).
_LETTER_MARKS = {("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê", ("o", "\u0302"): "ô"}
_LETTER_MARKS |= {("o", "\u031b"): "ơ", ("u", "\u031b"): "ư"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng


def _units(value: str) -> list[tuple[str, int, bool]]:
    """(base letter, tone, upper case) for each character of ``value``."""
    out: list[tuple[str, int, bool]] = []
    for ch in unicodedata.normalize("NFD", value):
        if unicodedata.combining(ch) and out:
            base, tone, upper = out[-1]
            if (base, ch) in _LETTER_MARKS:
                out[-1] = (_LETTER_MARKS[(base, ch)], tone, upper)
            elif ch in _TONES:
                out[-1] = (base, _TONES[ch], upper)
            continue
        low = ch.lower()
        out.append(("đ" if low in "đð" else low, 0, ch != low))
    return out


def _primary(char: str) -> tuple[int, int]:
    # Spaces and punctuation before digits before letters, as ICU's root order does.
    if char in _PRIMARY:
        return (2, _PRIMARY[char])
    if char.isdigit():
        return (1, int(char) if char.isdecimal() else ord(char))
    return (0 if not char.isalpha() else 3, ord(char))


@lru_cache(maxsize=16384)
def vi_key(value: str | None) -> tuple:
    """The sort key of ``value`` in Vietnamese order: letters first, then tones, then case."""
    units = _units(value or "")
    return (
        tuple(_primary(base) for base, _tone, _upper in units),
        tuple(tone for _base, tone, _upper in units),
        tuple(upper for _base, _tone, upper in units),
    )


def vi_sorted(items: Iterable[T], key: Callable[[T], Any] | None = None, *, reverse: bool = False) -> list[T]:
    """``sorted`` in Vietnamese order; ``key`` gives the text of an item (the item itself by default)."""
    text = key or (lambda item: item)
    return sorted(items, key=lambda item: vi_key(str(text(item) or "")), reverse=reverse)


def vi_collate(field: str) -> Collate:
    """``field`` under the Vietnamese collation, for ``order_by`` or ``Meta.ordering``."""
    return Collate(F(field), COLLATION)


def vi_order(qs: QuerySet, *fields: str) -> QuerySet:
    """``qs.order_by(*fields)`` with every text field compared in Vietnamese order.

    A field prefixed with ``-`` sorts descending; a field prefixed with ``=`` is ordered as is
    (numbers, dates, codes: ``vi_order(qs, "=depth", "name")``)."""
    ordering: list[OrderBy | str] = []
    for spec in fields:
        if spec.startswith("="):
            ordering.append(spec[1:])
        elif spec.startswith("-"):
            ordering.append(vi_collate(spec[1:]).desc())
        else:
            ordering.append(vi_collate(spec).asc())
    return qs.order_by(*ordering)


def _sqlite_compare(a: str | None, b: str | None) -> int:
    ka, kb = vi_key(a), vi_key(b)
    return (ka > kb) - (ka < kb)


def register_sqlite_collation(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: teach each new SQLite connection the ``vi_icu`` collation."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(COLLATION, _sqlite_compare)

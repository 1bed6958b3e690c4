"""The filters every list shares, for the selectors of every app: the word search over the stored
diacritic-free ``search_text`` column, the commune, exact-match vocabularies and a date period.

A list's ``filters`` dataclass names them the same way everywhere (``q``, ``commune``, ``date_from``,
``date_to``); what a kind filters in its own way (a link table, "open only") stays in its selector.
``ScopedFilterForm`` is the form half: the search box and the communes of the reader's scope.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

from . import scoping
from .text import normalize


@dataclass
class ListFilters:
    """The filters every list has: the word search and the commune (an id). A kind's filters
    dataclass extends it with its own vocabularies (and ``PeriodFilters`` for a date period)."""

    q: str = ""
    commune: int | None = None


@dataclass
class PeriodFilters:
    """A date period, inclusive at both ends (``filter_rows(period=…)``)."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None


def search_q(text: str, field: str = "search_text") -> Q:
    """Every word must appear (any order) in the stored diacritic-free search column."""
    q = Q()
    for token in normalize(text).split():
        q &= Q(**{f"{field}__contains": token})
    return q


def filter_rows(
    qs: QuerySet,
    filters: Any,
    *,
    exact: Iterable[str] | Mapping[str, str] = (),
    period: str | tuple[str, str] = "",
    commune: str | None = "commune_id",
) -> QuerySet:
    """``qs`` narrowed by the shared filters that are set: ``q`` (word search), ``commune`` (an id,
    through the ``commune`` lookup; ``None`` when the caller filters communes itself), each ``exact``
    attribute (a name, or attribute → lookup), and ``date_from``/``date_to`` on the ``period`` field
    (or, for a span, the pair (end field, start field): the rows overlapping the period)."""
    if getattr(filters, "q", ""):
        qs = qs.filter(search_q(filters.q))
    if commune and getattr(filters, "commune", None):
        qs = qs.filter(**{commune: filters.commune})
    pairs = exact.items() if isinstance(exact, Mapping) else ((name, name) for name in exact)
    for attr, lookup in pairs:
        value = getattr(filters, attr)
        if value:
            qs = qs.filter(**{lookup: value})
    if period:
        ends_on, starts_on = (period, period) if isinstance(period, str) else period
        if filters.date_from:
            qs = qs.filter(**{f"{ends_on}__gte": filters.date_from})
        if filters.date_to:
            qs = qs.filter(**{f"{starts_on}__lte": filters.date_to})
    return qs


def vocabulary_filter(label, everything, choices) -> forms.ChoiceField:
    """A filter by one vocabulary, its blank first choice (``everything``, "Mọi …") filtering nothing."""
    return forms.ChoiceField(label=label, required=False, choices=[("", everything), *choices])


class ScopedFilterForm(forms.Form):
    """A list's filter form: the search box, then ``commune`` (declared by the kind's app, as its
    lists name a commune) offering the reader's current communes, then the kind's own fields."""

    q = forms.CharField(label=gettext_lazy("Tìm"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = scoping.current_communes(user)

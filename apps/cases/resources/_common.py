"""What the import steps share: file references, match keys and the listing of what an updating row changes."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from apps.areas.models import AdministrativeUnit
from apps.core.imports import FieldChange

from .. import services
from ..models import CaseFile, Ethnicity
from . import columns as cols


class _FileRef(NamedTuple):
    pk: int
    person_id: int
    commune_id: int
    commune_name: str
    status: str


def _commune_text(value) -> str:
    """The commune cell as text: a code typed as a number (2458.0) back to "2458"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _name_key(normalized_name: str) -> str:
    """Word-order-free key of a normalised name, as ``Person.name_key``."""
    return " ".join(sorted(normalized_name.split()))


def _chunks(values: list, size: int = 2000):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _fk_value(value):
    return value.pk if hasattr(value, "pk") else value


def _shown(value) -> str:
    """A stored or imported value as the preview shows it."""
    if value in (None, ""):
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, AdministrativeUnit):
        return value.full_name
    if isinstance(value, Ethnicity):
        return value.name
    return str(value)


def _differences(case: CaseFile, data: services.CaseInput, substance_names: dict[str, str]) -> list[FieldChange]:
    """What applying ``data`` to ``case`` (loaded with its person and substances) would change,
    field by field in the template's column order; empty when the row changes nothing."""
    changes: list[tuple[int, FieldChange]] = []
    order = list(cols.FIELD_COLUMNS)
    for target, values in ((case.person, data.person), (case, data.case)):
        for name, value in values.items():
            field = target._meta.get_field(name)
            if getattr(target, field.attname) == _fk_value(value):
                continue
            old = getattr(target, name)
            column = cols.FIELD_COLUMNS.get(name) or str(field.verbose_name)
            rank = order.index(name) if name in order else len(order)
            changes.append((rank, FieldChange(column, _shown(old), _shown(value))))
    current = sorted(s.code for s in case.substances.all())
    proposed = sorted(set(data.substances))
    if current != proposed:

        def names(codes):
            return ", ".join(substance_names.get(c, c) for c in codes)

        changes.append((order.index("substances"), FieldChange(cols.COL_SUBST, names(current), names(proposed))))
    return [c for _r, c in sorted(changes, key=lambda item: item[0])]


# What a row can change on a matched file, by column: the preview's baseline digests these (the
# person's fields, then the file's), so a colleague's edit of any of them refuses the confirmation.
_PERSON_BASELINE = {
    "full_name": cols.COL_NAME,
    "aliases": cols.COL_ALIAS,
    "sex": cols.COL_SEX,
    "date_of_birth": cols.COL_DOB,
    "birth_year": cols.COL_DOB,
    "ethnicity": cols.COL_ETHNIC,
    "citizen_id": cols.COL_ID,
    "current_unit": cols.COL_COMMUNE,
    "current_village": cols.COL_VILLAGE,
    "current_address": cols.COL_ADDRESS,
}
_CASE_BASELINE = {
    "commune": cols.COL_COMMUNE,
    "recorded_unit": cols.COL_COMMUNE,
    "case_type": cols.COL_TYPE,
    "detected_on": cols.COL_DETECTED,
    "notes": cols.COL_NOTES,
}

#: optional cells that, left blank on a row matching an existing file, keep the stored value
_KEPT_WHEN_BLANK = ("aliases", "ethnicity", "citizen_id", "current_village", "current_address", "notes")

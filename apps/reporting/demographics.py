"""Who has a case file open at the end of a period, by sex, age band (QĐ 13/2019), ethnicity
(Kinh / ethnic minorities / not recorded, plus every group) and substance: the dashboards' and
reports' breakdowns. Counts only, JSON-ready; the people counted are the stock of
``apps.cases.stocks`` (the same as ``indicators.people_total``).

``breakdowns(*, commune_ids, end)`` for a set of communes, ``breakdowns_by_commune`` each commune
separately, ``merge_breakdowns(parts, end)`` adds breakdowns of disjoint sets of communes and
``top_groups(items, n)`` keeps the n largest plus "other".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from apps.cases import stocks
from apps.cases.choices import AgeBand, Sex
from apps.cases.models import CaseFile, Ethnicity, SubstanceType

from .readers import KINH_CODE, id_list


def age_band(birth_year: int | None, on: dt.date) -> str:
    """Band of QĐ 13/2019 by birth year (often the only thing known), as ``cases`` filters it."""
    if not birth_year:
        return ""
    age = on.year - birth_year
    if age < 14:
        return AgeBand.UNDER_14
    if age < 16:
        return AgeBand.FROM_14
    if age < 18:
        return AgeBand.FROM_16
    if age <= 30:
        return AgeBand.FROM_18
    return AgeBand.OVER_30


def _items(counts: dict[str, int], labels: dict[str, str], order: Sequence[str]) -> list[dict[str, Any]]:
    return [{"code": code, "label": labels[code], "count": counts.get(code, 0)} for code in order]


@dataclass
class _BreakdownCounts:
    total: int = 0
    with_substance: int = 0
    sex: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    bands: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    by_ethnicity: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    by_substance: dict[int, int] = field(default_factory=lambda: defaultdict(int))


def _breakdown_counts(ids: list[int], end: dt.date) -> dict[int, _BreakdownCounts]:
    """Raw counts per commune of the people with a file open at ``end``: ONE query."""
    open_sql, open_params = stocks.files_on_sql(ids, end)
    file_t = CaseFile._meta.db_table
    person_t = CaseFile._meta.get_field("person").related_model._meta.db_table
    through_t = CaseFile.substances.through._meta.db_table
    sql = (
        f"WITH open_files AS ({open_sql}) "  # noqa: S608 - table names from the models, values are params
        f"SELECT 'p', f.commune_id, p.sex, p.birth_year, p.ethnicity_id, COUNT(*) "
        f"FROM {file_t} f INNER JOIN {person_t} p ON p.id = f.person_id "
        f"WHERE f.id IN (SELECT * FROM open_files) GROUP BY 2, 3, 4, 5 "
        f"UNION ALL SELECT 's', f.commune_id, NULL, NULL, s.substancetype_id, COUNT(*) "
        f"FROM {through_t} s INNER JOIN {file_t} f ON f.id = s.casefile_id "
        f"WHERE s.casefile_id IN (SELECT * FROM open_files) GROUP BY 2, 5 "
        f"UNION ALL SELECT 'n', f.commune_id, NULL, NULL, NULL, COUNT(DISTINCT s.casefile_id) "
        f"FROM {through_t} s INNER JOIN {file_t} f ON f.id = s.casefile_id "
        f"WHERE s.casefile_id IN (SELECT * FROM open_files) GROUP BY 2"
    )
    counts: dict[int, _BreakdownCounts] = defaultdict(_BreakdownCounts)
    if not ids:
        return counts
    with connection.cursor() as cursor:
        cursor.execute(sql, open_params)
        rows = cursor.fetchall()
    for kind, commune_id, person_sex, birth_year, ref_id, n in rows:
        c = counts[int(commune_id)]
        if kind == "s":
            c.by_substance[ref_id] += n
        elif kind == "n":
            c.with_substance += n or 0
        else:
            c.total += n
            c.sex[person_sex] += n
            c.bands[age_band(birth_year, end)] += n
            if ref_id is not None:
                c.by_ethnicity[ref_id] += n
    return counts


def _format_breakdown(c: _BreakdownCounts, end: dt.date, ethnicities: dict, substance_types: list) -> dict[str, Any]:
    groups: dict[str, int] = defaultdict(int)
    for ethnicity_id, n in c.by_ethnicity.items():
        code = ethnicities[ethnicity_id].code if ethnicity_id in ethnicities else ""
        groups["kinh" if code == KINH_CODE else "minority"] += n
    groups["unknown"] = c.total - groups["kinh"] - groups["minority"]
    substances = [
        {"code": st.code, "label": st.name, "count": c.by_substance[st.pk], "order": position}
        for position, st in enumerate(substance_types)
        if c.by_substance.get(st.pk)
    ]
    substances.append(
        {"code": "none", "label": "Chưa ghi loại ma túy", "count": c.total - c.with_substance, "order": 10**6}
    )
    return {
        "end": end.isoformat(),
        "total": c.total,
        "sex": _items(c.sex, {s.value: str(s.label) for s in Sex}, Sex.values),
        "age_band": _items(c.bands, {b.value: str(b.label) for b in AgeBand}, AgeBand.values)
        + ([{"code": "", "label": "Không rõ năm sinh", "count": c.bands[""]}] if c.bands.get("") else []),
        "ethnicity_group": _items(
            groups,
            {"kinh": "Kinh", "minority": "Các dân tộc thiểu số", "unknown": "Chưa ghi dân tộc"},
            ["kinh", "minority", "unknown"],
        ),
        "ethnicity": sorted(
            (
                {"code": ethnicities[eid].code, "label": ethnicities[eid].name, "count": n}
                for eid, n in c.by_ethnicity.items()
                if eid in ethnicities
            ),
            key=lambda it: (-it["count"], it["code"]),
        ),
        "substance": substances,
    }


def _reference() -> tuple[dict, list]:
    # the two reference lists are read whatever the data (a constant number of queries)
    return {e.pk: e for e in Ethnicity.objects.all()}, list(SubstanceType.objects.order_by("order", "code"))


def breakdowns(*, commune_ids: Iterable[Any], end: dt.date) -> dict[str, Any]:
    """People with a case file open at ``end`` (as the stock indicators count them) by sex, age band,
    ethnicity and substance. Counts only; JSON-ready. ONE query, whatever the communes: the open
    files are found once (a common table expression) and grouped (people; substances; files with a
    substance); two more read the names of the ethnic groups and substances.

    ``{"end": iso date, "total": n, "sex": [...], "age_band": [...], "ethnicity_group": [...],
    "ethnicity": [...], "substance": [...]}``; each list holds ``{"code", "label", "count"}``.
    ``ethnicity_group`` is Kinh / ethnic minorities / not recorded; ``ethnicity`` every group with at
    least one person, most numerous first (see ``top_groups``). A person may use several substances,
    so the substance counts may add up to more than ``total``; "none" counts files without any.
    """
    total = _BreakdownCounts()
    for c in _breakdown_counts(id_list(commune_ids), end).values():
        total.total += c.total
        total.with_substance += c.with_substance
        for mine, theirs in (
            (total.sex, c.sex),
            (total.bands, c.bands),
            (total.by_ethnicity, c.by_ethnicity),
            (total.by_substance, c.by_substance),
        ):
            for key, n in theirs.items():
                mine[key] += n
    return _format_breakdown(total, end, *_reference())


def breakdowns_by_commune(*, commune_ids: Iterable[Any], end: dt.date) -> dict[int, dict[str, Any]]:
    """``breakdowns`` of each commune separately (every commune given has an entry), in the same
    three queries; ``merge_breakdowns`` of them equals ``breakdowns`` of them all."""
    ids = id_list(commune_ids)
    counts = _breakdown_counts(ids, end)
    reference = _reference()
    return {cid: _format_breakdown(counts.get(cid) or _BreakdownCounts(), end, *reference) for cid in ids}


def top_groups(items: list[dict[str, Any]], n: int = 6, other_label: str = "Các dân tộc khác") -> list[dict]:
    """The ``n`` largest items and one "other" item for the rest (for charts)."""
    ordered = sorted(items, key=lambda it: (-it["count"], it["code"]))
    head, rest = ordered[:n], ordered[n:]
    if rest:
        head.append({"code": "other", "label": other_label, "count": sum(it["count"] for it in rest)})
    return head


def merge_breakdowns(parts: Iterable[dict[str, Any]], end: dt.date) -> dict[str, Any]:
    """Add breakdowns of disjoint sets of communes (e.g. locked snapshots + live figures)."""
    merged: dict[str, Any] = {"end": end.isoformat(), "total": 0}
    order: dict[str, list[str]] = {}
    sums: dict[str, dict[str, dict[str, Any]]] = {}
    for part in parts:
        if not part:
            continue
        merged["total"] += int(part.get("total", 0))
        for key, items in part.items():
            if not isinstance(items, list):
                continue
            bucket = sums.setdefault(key, {})
            keys = order.setdefault(key, [])
            for item in items:
                if item["code"] not in bucket:
                    bucket[item["code"]] = {**item, "count": 0}
                    keys.append(item["code"])
                bucket[item["code"]]["count"] += int(item["count"])
    for key, keys in order.items():
        items = [sums[key][code] for code in keys]
        if key == "ethnicity":
            items.sort(key=lambda it: (-it["count"], it["code"]))
        elif key == "substance":  # parts list only the substances they have: back to catalogue order
            items.sort(key=lambda it: (it["code"] == "none", it.get("order", 0)))
        merged[key] = items
    return merged

"""Reads over administrative units: scoping, history (in force on a date, successors,
predecessors) and resolution of a unit written by a person (code or name, with or without
diacritics, current or former)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import scoping
from apps.core.collation import vi_order, vi_sorted
from apps.core.text import nfc, normalize, strip_diacritics

from .choices import KIND_PREFIXES, KIND_WORDS, MAP_ORDER, STATISTICAL_MAPS, Level, MapVerification
from .models import AdministrativeUnit, UnitGeneration, UnitPopulation, UnitSuccession


class UnitResolutionError(ValueError):
    """A unit written by a person could not be resolved to exactly one unit."""

    def __init__(self, message: str, candidates: list[AdministrativeUnit] | None = None):
        super().__init__(message)
        self.message = message
        self.candidates = candidates or []


def home_province() -> AdministrativeUnit | None:
    """The province this installation serves (``PCMT_PROVINCE_CODE``), on today's map."""
    return AdministrativeUnit.objects.current().filter(level=Level.PROVINCE, code=settings.PCMT_PROVINCE_CODE).first()


def unit_list(*, user, query: str = "", include_former: bool = False, level: str = "") -> QuerySet:
    """Units visible to ``user``; current only unless ``include_former``; diacritic-free search."""
    qs = scoping.visible_to(AdministrativeUnit.objects.operational(), user).select_related("parent", "generation")
    if not include_former:
        qs = qs.current()
    if level:
        qs = qs.filter(level=level)
    needle = _readings(query)[0].name if query.strip() else ""
    if needle:
        qs = qs.filter(Q(search_name__contains=needle) | Q(code=query.strip()))
    return vi_order(qs, "=valid_to", "=level", "name") if include_former else qs.order_by("path")


def unit_get(*, user, pk: int) -> AdministrativeUnit:
    """One unit in the user's scope with everything its page shows (404 otherwise)."""
    qs = AdministrativeUnit.objects.select_related("parent", "parent__parent", "generation").prefetch_related(
        Prefetch("children", queryset=vi_order(AdministrativeUnit.objects.all(), "name")),
        Prefetch("populations", queryset=UnitPopulation.objects.order_by("-year").select_related("updated_by")),
        Prefetch("successions", queryset=UnitSuccession.objects.select_related("new", "new__parent")),
        Prefetch(
            "predecessions",
            queryset=vi_order(UnitSuccession.objects.select_related("old", "old__parent"), "old__name"),
        ),
    )
    return scoping.get_visible_or_404(qs, user, pk=pk)


def unit_scope_stats(*, user) -> dict[str, int]:
    """Counts of the units in the user's scope, for the home page."""
    qs = scoping.visible_to(AdministrativeUnit.objects.operational(), user)
    row = qs.aggregate(
        current_communes=Count("pk", filter=Q(level=Level.COMMUNE, valid_to__isnull=True)),
        former_communes=Count("pk", filter=Q(level=Level.COMMUNE, valid_to__isnull=False)),
    )
    return row


def units_in_force_on(day: dt.date) -> QuerySet:
    return AdministrativeUnit.objects.in_force_on(day)


def unit_successors(unit: AdministrativeUnit) -> list[UnitSuccession]:
    """The units that replaced ``unit`` (several when it was split), with the ``partly`` flag."""
    return list(vi_order(unit.successions.select_related("new"), "new__name"))


def unit_predecessors(unit: AdministrativeUnit) -> list[UnitSuccession]:
    """The former units that make up ``unit``."""
    return list(vi_order(unit.predecessions.select_related("old", "old__parent"), "old__name"))


def unit_descendants(unit: AdministrativeUnit, *, include_self: bool = False) -> QuerySet:
    return AdministrativeUnit.objects.subtree(unit, include_self=include_self)


def unit_current_successors(unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    """Today's unit(s) covering a (possibly former) unit, following conversions transitively."""
    seen: set[int] = set()
    frontier = [unit]
    result: list[AdministrativeUnit] = []
    while frontier:
        node = frontier.pop()
        if node.pk in seen:
            continue
        seen.add(node.pk)
        if node.valid_to is None:
            result.append(node)
            continue
        frontier.extend(s.new for s in node.successions.select_related("new"))
    return vi_sorted(result, key=lambda u: u.name)


def unit_in_force(unit: AdministrativeUnit, day: dt.date) -> list[AdministrativeUnit]:
    """The unit(s) that covered ``unit``'s territory on ``day``: itself, its successors after its
    end, or its predecessors before its start."""
    if (unit.valid_from is None or unit.valid_from <= day) and (unit.valid_to is None or unit.valid_to >= day):
        return [unit]
    if unit.valid_to is not None and day > unit.valid_to:
        return [s.new for s in unit_successors(unit) if s.new.valid_from is None or s.new.valid_from <= day]
    return [p.old for p in unit_predecessors(unit)]


def _split_kind_prefix(name: str) -> tuple[str, tuple[str, ...]]:
    for prefix, kinds in KIND_PREFIXES:
        if name.startswith(prefix + " ") or (prefix.endswith(".") and name.startswith(prefix)):
            return name[len(prefix) :].strip(), kinds
    return name, ()


def _strip_kind_prefix(name: str) -> str:
    return _split_kind_prefix(name)[0]


def _has_marks(text: str) -> bool:
    return strip_diacritics(text) != text


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def tone_key(text: str) -> tuple[tuple[str, str], ...]:
    """Compare Vietnamese words by their letters and tone, wherever the tone mark sits ("Hoà" and
    "Hòa" are the same word; "Thanh" and "Thành" are not)."""
    key = []
    for word in nfc(text).lower().split():
        decomposed = unicodedata.normalize("NFD", word)
        tones = "".join(ch for ch in decomposed if ch in _TONES)
        key.append((unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES)), tones))
    return tuple(key)


@dataclass(frozen=True)
class _Reading:
    name: str  # normalised, for the indexed search column
    kinds: tuple[str, ...]
    written: str  # the name as typed (without the kind word), to compare diacritics when typed


def _readings(text: str) -> list[_Reading]:
    """The ways to read a typed unit name. A leading kind word is a prefix ("Xã Trung Sơn"), but
    "Quản Bạ", "Phương Độ" and "Xà Phìn" begin with a name that only looks like one once the
    diacritics are gone: with diacritics the word must be the kind word itself ("Phường", not
    "Phương"); without them both readings are tried."""
    written = nfc(text)
    norm = normalize(written)
    name, kinds = _split_kind_prefix(norm)
    if not kinds:
        return [_Reading(norm, (), written)]
    words, rest = written.split(), name.split()
    prefix_words = words[: len(words) - len(rest)]
    prefix = " ".join(prefix_words).lower()
    remainder = " ".join(words[len(prefix_words) :])
    if not prefix_words or "." in prefix:  # "TT.", "P.Tân Quang": abbreviations are always kind prefixes
        return [_Reading(name, kinds, " ".join(written.split())[len(norm) - len(name) :].strip())]
    if not _has_marks(prefix):
        return [_Reading(name, kinds, remainder), _Reading(norm, (), written)]
    if prefix in KIND_WORDS:
        return [_Reading(name, kinds, remainder)]
    return [_Reading(norm, (), written)]


@dataclass(frozen=True)
class _Query:
    readings: tuple[_Reading, ...]
    qualifiers: frozenset[str]

    @property
    def name(self) -> str:
        return self.readings[0].name

    def filter(self, qs: QuerySet) -> list[AdministrativeUnit]:
        found: dict[int, AdministrativeUnit] = {}
        for reading in self.readings:
            rows = qs.filter(search_name=reading.name)
            if reading.kinds:
                rows = rows.filter(kind__in=reading.kinds)
            units = list(rows)
            if _has_marks(reading.written):
                # Diacritics typed are meant: "Tân Thanh" is not "Tân Thành".
                wanted = tone_key(reading.written)
                units = [u for u in units if tone_key(u.name) == wanted]
            if self.qualifiers:
                units = [u for u in units if _has_ancestor_named(u, self.qualifiers)]
            for unit in units:
                found.setdefault(unit.pk, unit)
        return list(found.values())


def _parse(text: str) -> _Query:
    # "Đạo Viện, Yên Sơn" / "Đạo Viện (huyện Yên Sơn)" / "Đạo Viện - Yên Sơn": the part after the
    # separator names an ancestor and disambiguates equal names.
    raw = text.replace("(", ",").replace(")", "").replace(" - ", ",")
    head, _sep, tail = raw.partition(",")
    qualifiers = frozenset(r.name for r in _readings(tail)) if tail.strip() else frozenset()
    return _Query(readings=tuple(_readings(head)), qualifiers=qualifiers)


def _describe(unit: AdministrativeUnit) -> str:
    parent = f", {unit.parent.full_name}" if unit.parent_id else ""
    era = "" if unit.valid_to is None else f" (trước {unit.valid_to:%d/%m/%Y})"
    return f"{unit.full_name}{parent} – mã {unit.code}{era}"


def describe_candidates(candidates: list[AdministrativeUnit]) -> str:
    return "; ".join(_describe(u) for u in candidates)


def resolve_unit(
    text: str,
    *,
    on: dt.date | None = None,
    level: str | None = Level.COMMUNE,
    within: QuerySet | None = None,
) -> AdministrativeUnit:
    """Exactly one unit for a code or a name (diacritics optional, "xã"/"phường" prefix optional).

    ``on`` keeps only units in force on that date; ``within`` restricts to a queryset (e.g. the
    user's scope). Codes are reused between generations, so a bare code without ``on`` may be
    ambiguous; "pre2025:2266" or "2025:2266" names the generation explicitly.
    Raises ``UnitResolutionError`` listing the candidates.
    """
    text = (text or "").strip()
    if not text:
        raise UnitResolutionError("Chưa ghi đơn vị hành chính.")
    # The statistical maps of the time are not what people type: a name resolves on the working map.
    qs = (within if within is not None else AdministrativeUnit.objects.all()).operational().select_related("parent")
    if level:
        qs = qs.filter(level=level)
    if on is not None:
        qs = qs.in_force_on(on)
    generation, sep, code = text.partition(":")
    if sep and code.strip().isdigit():
        candidates = list(qs.filter(generation_id=generation.strip(), code=str(int(code))))
    elif text.isdigit():
        candidates = list(qs.filter(code=str(int(text))))
    else:
        candidates = _parse(text).filter(qs)
    if not candidates:
        raise UnitResolutionError(_not_found(text, qs))
    if len(candidates) > 1:
        raise UnitResolutionError(
            f"“{text}” ứng với nhiều đơn vị: {describe_candidates(candidates)}. Hãy ghi mã đơn vị hoặc thêm tên "
            "huyện/tỉnh cũ sau dấu phẩy.",
            candidates,
        )
    return candidates[0]


def resolve_current_unit(text: str, *, within: QuerySet | None = None) -> AdministrativeUnit:
    """Today's commune for a code or name that may be current or former (through the official
    conversion). A former commune split between several new ones is ambiguous by nature: the
    error lists the new communes so the person can choose."""
    text = (text or "").strip()
    qs = AdministrativeUnit.objects.operational().filter(level=Level.COMMUNE).select_related("parent")
    generation, sep, code = text.partition(":")
    if text.isdigit() or (sep and code.strip().isdigit()):
        try:
            unit = resolve_unit(text, on=None if sep else timezone.localdate(), within=qs)
        except UnitResolutionError:
            unit = resolve_unit(text, within=qs)
        matches = [unit]
    else:
        matches = _exact_current_first(_parse(text).filter(qs))
        if not matches:
            raise UnitResolutionError(_not_found(text, qs))
    current: dict[int, AdministrativeUnit] = {}
    orphans: list[AdministrativeUnit] = []
    for unit in matches:
        successors = unit_current_successors(unit)
        if not successors:
            orphans.append(unit)
        for successor in successors:
            current[successor.pk] = successor
    if not current and orphans:
        # The official conversion table has no row for it (Phú Thịnh, 2482): say so, by name.
        raise UnitResolutionError(
            f"{describe_candidates(orphans)} không còn tồn tại và không có đơn vị kế thừa trong bảng chuyển đổi "
            "chính thức: hãy ghi xã, phường hiện nay của địa bàn này.",
            orphans,
        )
    if within is not None:
        allowed = set(within.filter(pk__in=current.keys()).values_list("pk", flat=True))
        if not allowed:
            raise UnitResolutionError(f"Đơn vị “{text}” nằm ngoài phạm vi được giao.")
        current = {pk: u for pk, u in current.items() if pk in allowed}
    if len(current) == 1:
        return next(iter(current.values()))
    options = vi_sorted(current.values(), key=lambda u: u.name)
    raise UnitResolutionError(
        f"“{text}” ứng với nhiều đơn vị hiện nay: {describe_candidates(options)}. Hãy chọn một đơn vị.", options
    )


def _not_found(text: str, qs: QuerySet) -> str:
    """The refusal, naming the units that differ only in diacritics (a typing slip is likelier
    than a unit that does not exist). Only in the message: they are not candidates to choose."""
    message = f"Không tìm thấy đơn vị hành chính “{text}”."
    query = _parse(text)
    if not text.strip().isdigit() and ":" not in text:
        # "Xã Minh Xuân" for "Phường Minh Xuân": the same name under another kind word is not taken
        # silently (it may be another unit), but named so the person can correct the cell.
        other_kind = _Query(
            readings=tuple(_Reading(r.name, (), r.written) for r in query.readings if r.kinds),
            qualifiers=query.qualifiers,
        )
        meant = _exact_current_first(other_kind.filter(qs)) if other_kind.readings else []
        if meant:
            current = [u for u in meant if u.valid_to is None] or meant
            names = " hay ".join(u.full_name if u.valid_to is None else _describe(u) for u in current[:3])
            written = " ".join(nfc(text).split())
            return _("Không có %(written)s; có phải %(meant)s?") % {"written": written, "meant": names}
    loose = _Query(
        readings=tuple(_Reading(r.name, r.kinds, strip_diacritics(r.written)) for r in query.readings),
        qualifiers=query.qualifiers,
    )
    near = loose.filter(qs) if not text.strip().isdigit() and ":" not in text else []
    if near:
        message += f" Dấu tiếng Việt khác với: {describe_candidates(near[:5])}."
    return message


def _exact_current_first(matches: list[AdministrativeUnit]) -> list[AdministrativeUnit]:
    """A current unit wins over former units of exactly the same name (Thái Bình, Việt Lâm, Tân
    Tiến exist today and before 2025); former units whose name differs in its diacritics stay
    candidates ("tan thanh" typed without marks may mean Tân Thanh or a former Tân Thành)."""
    current_names = {tone_key(u.name) for u in matches if u.valid_to is None}
    return [u for u in matches if u.valid_to is None or tone_key(u.name) not in current_names]


def _has_ancestor_named(unit: AdministrativeUnit, qualifiers: frozenset[str]) -> bool:
    node = unit.parent
    while node is not None:
        if node.search_name in qualifiers or normalize(node.full_name) in qualifiers:
            return True
        node = node.parent
    return False


def population_for(*, unit: AdministrativeUnit, year: int) -> UnitPopulation | None:
    return UnitPopulation.objects.filter(unit=unit, year=year).first()


# --- maps of the time (issue 10 §4) ------------------------------------------------------------------


def map_for_year(year: int):
    """The map a past year is counted and classified on: the statistical map as it stood on
    1 January of that year, or the latest one before it (2021–2024: the 2020 map, the last list
    known to hold on 1 January; from 2025 the working maps). None from 2025 on."""
    if year >= 2025:
        return None
    return (
        UnitGeneration.objects.filter(code__in=STATISTICAL_MAPS, as_of__year__lte=year).order_by("-as_of").first()
        or UnitGeneration.objects.filter(code__in=STATISTICAL_MAPS).order_by("as_of").first()
    )


def map_label(generation, communes: int) -> str:
    """ "Theo bản đồ hành chính năm 2020 (138 đơn vị)", with [P] when the map is only partly verified."""
    year = generation.as_of.year if generation.as_of else generation.code
    text = f"Theo bản đồ hành chính năm {year} ({communes} đơn vị)"
    if generation.verification != MapVerification.VERIFIED:
        text += " – danh mục suy ra, chưa kiểm chứng đầy đủ"
    return text


@dataclass
class MapProjection:
    """Where a unit of any generation lies on one target map: ``target[unit_id]`` is the unit of
    the target map covering it, or None when that cannot be told (a commune formed from several
    old ones, going back; an old commune split between several, going forward; a territory the
    target map does not hold). Built from the conversion table in two queries."""

    generation: str
    target: dict[int, int | None]
    units: dict[int, AdministrativeUnit]

    def of(self, unit_id: int | None) -> int | None:
        if unit_id is None:
            return None
        return self.target.get(unit_id)


def map_projection(generation: str, *, root_codes: Sequence[str] = ()) -> MapProjection:
    """Project every unit of the chain 2019 → 2020 → pre2025 → 2025 onto ``generation``.

    Going forward (an older unit onto a newer map) a unit follows its successor while it became
    exactly one unit wholly; going back, while it was formed from exactly one unit (it lies inside
    it, even when that one was split). ``root_codes``: the target map's provinces to keep (e.g.
    old Tuyên Quang "8"); a unit landing outside them is None."""
    order = {g: i for i, g in enumerate(MAP_ORDER)}
    rank = order[generation]
    rows = list(
        UnitSuccession.objects.filter(old__level=Level.COMMUNE).values_list(
            "old_id", "new_id", "partly", "old__generation_id", "new__generation_id"
        )
    )
    forward: dict[int, list[tuple[int, bool]]] = {}
    backward: dict[int, list[int]] = {}
    for old_id, new_id, partly, old_gen, new_gen in rows:
        if order.get(new_gen, -1) != order.get(old_gen, -2) + 1:
            continue  # only steps between neighbouring maps
        forward.setdefault(old_id, []).append((new_id, partly))
        backward.setdefault(new_id, []).append(old_id)
    units = {
        u.pk: u
        for u in AdministrativeUnit.objects.filter(level=Level.COMMUNE, generation_id__in=MAP_ORDER).only(
            "pk", "generation_id", "path", "code", "name", "full_name", "kind"
        )
    }
    prefixes = tuple(f"{generation}:{code}/" for code in root_codes)
    target: dict[int, int | None] = {}

    def walk(uid: int) -> int | None:
        seen = 0
        while uid is not None and seen < len(MAP_ORDER):
            unit = units.get(uid)
            if unit is None:
                return None
            step = order.get(unit.generation_id, -1) - rank
            if step == 0:
                return uid if not prefixes or unit.path.startswith(prefixes) else None
            if step < 0:
                nexts = forward.get(uid, [])
                uid = nexts[0][0] if len(nexts) == 1 and not nexts[0][1] else None
            else:
                prevs = backward.get(uid, [])
                uid = prevs[0] if len(prevs) == 1 else None
            seen += 1
        return None

    for uid in units:
        target[uid] = walk(uid)
    return MapProjection(generation=generation, target=target, units=units)

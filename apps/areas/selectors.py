"""Reads over administrative units: scoping, history (in force on a date, successors,
predecessors) and resolution of a unit written by a person (code or name, with or without
diacritics, current or former)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from apps.core import scoping
from apps.core.collation import vi_order, vi_sorted
from apps.core.text import nfc, normalize, strip_diacritics

from .choices import KIND_PREFIXES, KIND_WORDS, Level
from .models import AdministrativeUnit, UnitPopulation, UnitSuccession


class UnitResolutionError(ValueError):
    """A unit written by a person could not be resolved to exactly one unit."""

    def __init__(self, message: str, candidates: list[AdministrativeUnit] | None = None):
        super().__init__(message)
        self.message = message
        self.candidates = candidates or []


def unit_list(*, user, query: str = "", include_former: bool = False, level: str = "") -> QuerySet:
    """Units visible to ``user``; current only unless ``include_former``; diacritic-free search."""
    qs = scoping.visible_to(AdministrativeUnit.objects.all(), user).select_related("parent", "generation")
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
    qs = scoping.visible_to(AdministrativeUnit.objects.all(), user)
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
    qs = (within if within is not None else AdministrativeUnit.objects.all()).select_related("parent")
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
    qs = AdministrativeUnit.objects.filter(level=Level.COMMUNE).select_related("parent")
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

"""Reading one cell of a register spreadsheet: numbers written the Vietnamese way, choices by
label or code, articles of the Criminal Code, yes/no, sex, and the commune as written."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.areas.models import AdministrativeUnit
from apps.areas.selectors import UnitResolutionError, resolve_unit
from apps.cases.choices import Sex
from apps.core.text import normalize

from ..choices import CriminalArticle

_GROUPED = {".": re.compile(r"^[1-9]\d{0,2}(\.\d{3})+$"), ",": re.compile(r"^[1-9]\d{0,2}(,\d{3})+$")}
_ARTICLE = re.compile(r"\b(2[45]\d)\s*(a?)\b")
_YES = {"co", "x", "1", "true", "yes", "da", "da triet pha", "roi"}
_NO = {"khong", "0", "false", "no", "chua", "chua triet pha"}


def parse_decimal(value: Any, *, places: int, allow_grouping: bool = True) -> Decimal | None:
    """A non-negative number as Vietnamese spreadsheets write it: 1,5 / 1.234,5 / 1234.5 / 1 234.

    A text cell with one separator followed by exactly three digits (“1.500”, “2,750”) could be a
    thousands group or a decimal part — a factor of 1000 on a seizure — so it is refused with a
    request to write it unambiguously; numeric Excel cells are never ambiguous.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(_("Giá trị phải là số."))
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        if "," in text and "." in text:
            decimal_sep = "," if text.rfind(",") > text.rfind(".") else "."
            group_sep = "." if decimal_sep == "," else ","
            text = text.replace(group_sep, "").replace(decimal_sep, ".")
        elif "," in text or "." in text:
            sep = "," if "," in text else "."
            if allow_grouping and _GROUPED[sep].match(text):
                if text.count(sep) == 1:
                    raise ValueError(
                        _("“%(v)s” không rõ là số nguyên hay số thập phân: hãy ghi %(whole)s hoặc %(dec)s.")
                        % {"v": text, "whole": text.replace(sep, ""), "dec": text.replace(sep, ",").rstrip("0")}
                    )
                text = text.replace(sep, "")
            else:
                text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(_("“%(v)s” không phải là số.") % {"v": value}) from exc
    if not number.is_finite():
        raise ValueError(_("“%(v)s” không phải là số.") % {"v": value})
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def parse_choice(value: Any, choices: type[models.TextChoices]) -> str | None:
    """A choice written as its label (diacritics optional, a unique beginning or part is enough)
    or its code. Raises ``ValueError`` listing the accepted labels."""
    if value is None or value == "":
        return None
    key = normalize(str(value))
    options = [(v, normalize(str(label))) for v, label in choices.choices]
    for test in (
        lambda v, label: key in (v, label),
        lambda v, label: label.startswith(key),
        lambda v, label: key in label,
    ):
        found = [v for v, label in options if test(v, label)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            break
    raise ValueError(
        _("Không nhận ra “%(v)s”. Giá trị hợp lệ: %(options)s.")
        % {"v": value, "options": "; ".join(str(label) for _v, label in choices.choices)}
    )


def parse_article(value: Any) -> str | None:
    """“251”, “Điều 251”, “Đ.256a BLHS” or the title of the offence."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and float(value).is_integer():
        value = str(int(value))
    match = _ARTICLE.search(normalize(str(value)))
    if match and f"{match.group(1)}{match.group(2)}" in CriminalArticle.values:
        return f"{match.group(1)}{match.group(2)}"
    return parse_choice(value, CriminalArticle)


def parse_bool(value: Any, *, default: bool) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    key = normalize(str(value))
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise ValueError(_("Hãy ghi “Có” hoặc “Không”."))


def parse_sex(value: Any) -> str | None:
    return {"nam": Sex.MALE, "nu": Sex.FEMALE, "m": Sex.MALE, "f": Sex.FEMALE}.get(normalize(str(value or "")))


def resolve_written_unit(text: str) -> AdministrativeUnit:
    """A commune as written in a register: today's commune first, otherwise a former one
    (“Đạo Viện, Yên Sơn”, “pre2025:2467”). Raises ``UnitResolutionError`` with candidates."""
    try:
        return resolve_unit(text, on=timezone.localdate())
    except UnitResolutionError as exc:
        if exc.candidates:
            raise
    return resolve_unit(text)


def unit_as_written(unit: AdministrativeUnit) -> str:
    """The text the import resolves back to this unit (the export writes it)."""
    if unit.valid_to is None or unit.parent_id is None:
        return unit.full_name
    return f"{unit.full_name}, {unit.parent.full_name}"

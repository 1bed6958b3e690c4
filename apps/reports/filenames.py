"""Names of the downloaded report files: Vietnamese words without diacritics, so they read as
what they are ("bao-cao-quy-III-2026-tinh-tuyen-quang.pdf") and survive every mail client and
file system; the Content-Disposition header carries them as ``filename`` and ``filename*``."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote

from apps.core.text import strip_diacritics

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def slug(text: str) -> str:
    """ "Tỉnh Tuyên Quang" → "tinh-tuyen-quang"."""
    return _NOT_SLUG.sub("-", strip_diacritics(text or "").lower()).strip("-")


def period_slug(kind: str, year: int, number: int | None) -> str:
    """The period as written in a report title: "quy-III-2026", "thang-10-2026", "6-thang-dau-nam-2026"."""
    if kind == "month":
        return f"thang-{number}-{year}"
    if kind == "quarter":
        return f"quy-{ROMAN.get(number or 1, number)}-{year}"
    if kind == "half":
        return f"6-thang-dau-nam-{year}"
    if kind == "nine_months":
        return f"9-thang-{year}"
    return f"nam-{year}"


def report_filename(
    *,
    unit,
    period_kind: str = "",
    year: int | None = None,
    number: int | None = None,
    as_of: dt.date | None = None,
    draft: bool = False,
    ext: str = "pdf",
) -> str:
    """The file name of a periodic report (a period) or of the people list (``as_of``); a draft
    (preview) starts with "du-thao-" so it is never taken for the issued file."""
    if year:
        base = f"bao-cao-{period_slug(period_kind, year, number)}"
    else:
        base = "danh-sach-nguoi-co-ho-so-quan-ly" + (f"-den-ngay-{as_of:%d-%m-%Y}" if as_of else "")
    name = f"{base}-{slug(unit.full_name)}" if unit is not None else base
    return f"{'du-thao-' if draft else ''}{name}.{ext}"


def attachment(filename: str) -> str:
    """The Content-Disposition value: ``filename`` for every client, ``filename*`` (RFC 6266)."""
    return f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"

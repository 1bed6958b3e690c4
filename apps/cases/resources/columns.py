"""The spreadsheet's column names, the field each one fills, and the date cell reader."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from apps.core.imports import clip

from ..choices import Sex

COL_NAME, COL_ALIAS, COL_SEX, COL_DOB = "Họ và tên", "Tên gọi khác", "Giới tính", "Ngày sinh hoặc năm sinh"
COL_ETHNIC, COL_ID, COL_COMMUNE, COL_VILLAGE = "Dân tộc", "Số CCCD/CMND", "Xã/phường", "Thôn/tổ dân phố"
#: today's commune, needed only when the commune cell names a former one split between several
COL_CURRENT = "Xã/phường hiện nay"
COL_ADDRESS, COL_TYPE, COL_SUBST, COL_DETECTED, COL_NOTES = (
    "Địa chỉ",
    "Loại hồ sơ",
    "Chất ma túy",
    "Ngày phát hiện",
    "Ghi chú",
)

# service/model field → column, so errors raised by services name the spreadsheet column
FIELD_COLUMNS = {
    "full_name": COL_NAME,
    "aliases": COL_ALIAS,
    "sex": COL_SEX,
    "date_of_birth": COL_DOB,
    "birth_year": COL_DOB,
    "ethnicity": COL_ETHNIC,
    "citizen_id": COL_ID,
    "commune": COL_COMMUNE,
    "recorded_unit": COL_COMMUNE,
    "current_commune": COL_CURRENT,
    "current_village": COL_VILLAGE,
    "current_address": COL_ADDRESS,
    "case_type": COL_TYPE,
    "substances": COL_SUBST,
    "detected_on": COL_DETECTED,
    "notes": COL_NOTES,
}


def parse_date(value, *, allow_year: bool = False) -> tuple[dt.date | None, int | None]:
    """(date, year) from an Excel date cell, "dd/mm/yyyy", ISO text, or (if allowed) a bare year."""
    if value in (None, ""):
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), value.year
    if isinstance(value, dt.date):
        return value, value.year
    if isinstance(value, int | float) and allow_year and 1900 <= int(value) <= 2100 and float(value).is_integer():
        return None, int(value)
    text = str(value).strip()
    if allow_year and text.isdigit() and len(text) == 4:
        return None, int(text)
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        try:
            day = dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time zone
            return day, day.year
        except ValueError:
            continue
    raise ValueError(_("“%(v)s” không phải ngày hợp lệ (dd/mm/yyyy).") % {"v": clip(text)})


SEX_WORDS = {"nam": Sex.MALE, "nu": Sex.FEMALE, "m": Sex.MALE, "f": Sex.FEMALE}

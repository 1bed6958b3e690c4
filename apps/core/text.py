"""Vietnamese text normalisation for search and matching.

Officers type names with or without diacritics ("nguyen van hung" for "Nguyễn Văn Hùng"); the same
function builds the stored search columns and normalises the query, so both sides always agree and
the search works identically on SQLite and PostgreSQL.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def strip_diacritics(value: str) -> str:
    """Remove Vietnamese tone and vowel marks; "đ"/"Đ" become "d"/"D" (they are letters, not marks)."""
    decomposed = unicodedata.normalize("NFD", value)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", stripped.replace("đ", "d").replace("Đ", "D"))


def normalize(value: str | None) -> str:
    """Lower-case, diacritic-free, single-spaced form used for search columns and queries."""
    if not value:
        return ""
    return _SPACES.sub(" ", strip_diacritics(value).lower()).strip()


def nfc(value: str) -> str:
    """Canonical composition: "Hoà" typed on one keyboard equals "Hoà" typed on another."""
    return unicodedata.normalize("NFC", value).strip()

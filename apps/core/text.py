"""Vietnamese text normalisation for search and matching.

Officers type names with or without diacritics ("nguyen van hung" for "Nguyễn Văn Hùng"); the same
function builds the stored search columns and normalises the query, so both sides always agree and
the search works identically on SQLite and PostgreSQL.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Legacy Vietnamese encodings (and some fonts' keyboards) give the Latin eth for the d with stroke.
_LEGACY_LETTERS = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})


def _visible(value: str) -> str:
    """Drop invisible format characters (zero-width space/joiners, BOM, soft hyphen, word joiner,
    direction marks: Unicode category Cf) that copy-paste brings in and that would make two equal
    names differ; control characters other than line breaks and tabs go too."""
    return "".join(
        ch for ch in value if unicodedata.category(ch) != "Cf" and (ch in "\n\r\t" or unicodedata.category(ch) != "Cc")
    )


def nfc(value: str) -> str:
    """The stored form of any typed or imported text: canonical composition ("Hoà" typed on one
    keyboard equals "Hoà" typed on another), "Ð" read as "Đ", invisible characters removed, trimmed."""
    return unicodedata.normalize("NFC", _visible(str(value))).translate(_LEGACY_LETTERS).strip()


def clean_name(value: str | None) -> str:
    """The stored form of a name or other one-line text: ``nfc`` and single spaces."""
    if value is None:
        return ""
    return _SPACES.sub(" ", nfc(value)).strip()


def strip_diacritics(value: str) -> str:
    """Remove Vietnamese tone and vowel marks; "đ"/"Đ" (and the legacy "ð"/"Ð") become "d"/"D"
    (they are letters, not marks)."""
    decomposed = unicodedata.normalize("NFD", _visible(value).translate(_LEGACY_LETTERS))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", stripped.replace("đ", "d").replace("Đ", "D"))


def normalize(value: str | None) -> str:
    """Lower-case, diacritic-free, single-spaced form used for search columns and queries."""
    if not value:
        return ""
    return _SPACES.sub(" ", strip_diacritics(value).lower()).strip()

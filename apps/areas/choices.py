from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    # The root of a national tree (the national benchmark's synthetic generation; not in the catalogue).
    COUNTRY = "country", _("Cấp trung ương")
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class MapVerification(models.TextChoices):
    VERIFIED = "verified", _("Đã kiểm chứng [V]")
    PARTLY = "partly", _("Kiểm chứng một phần, suy ra [P]")
    UNVERIFIED = "unverified", _("Chưa kiểm chứng [U]")


#: The statistical maps of the time (issue 10 §4): the old provinces as they stood on 1 January of
#: these years, used only to count and classify past years on the units of the time. They are
#: never resolved from typed text nor listed as former units (``pre2025`` is the former map that
#: records convert from); their codes repeat those of ``pre2025`` for the same communes.
STATISTICAL_MAPS = ("2019", "2020")
#: The chain of maps, oldest first: a figure follows it forward (old → new) or backward.
MAP_ORDER = ("2019", "2020", "pre2025", "2025")


class Kind(models.TextChoices):
    TINH = "tinh", _("Tỉnh")
    THANH_PHO_TW = "thanh_pho_tw", _("Thành phố trực thuộc trung ương")
    HUYEN = "huyen", _("Huyện")
    QUAN = "quan", _("Quận")
    THI_XA = "thi_xa", _("Thị xã")
    THANH_PHO = "thanh_pho", _("Thành phố")
    XA = "xa", _("Xã")
    PHUONG = "phuong", _("Phường")
    THI_TRAN = "thi_tran", _("Thị trấn")
    DAC_KHU = "dac_khu", _("Đặc khu")


# Prefixes officers write before a unit's name ("Xã Trung Sơn", "TT. Tân Yên"), normalised, longest
# first, with the kind(s) they denote: "Phường Tân Quang" and "Xã Tân Quang" are different units.
KIND_PREFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("thanh pho", ("thanh_pho", "thanh_pho_tw")),
    ("thi tran", ("thi_tran",)),
    ("thi xa", ("thi_xa",)),
    ("dac khu", ("dac_khu",)),
    ("phuong", ("phuong",)),
    ("huyen", ("huyen",)),
    ("quan", ("quan",)),
    ("tinh", ("tinh",)),
    ("xa", ("xa",)),
    ("tp.", ("thanh_pho", "thanh_pho_tw")),
    ("tt.", ("thi_tran",)),
    ("tp", ("thanh_pho", "thanh_pho_tw")),
    ("tt", ("thi_tran",)),
    ("p.", ("phuong",)),
    ("x.", ("xa",)),
)

# The kind words as written with their diacritics: "Phường Độ" is a ward, "Phương Độ" a name.
KIND_WORDS = frozenset({"thành phố", "thị trấn", "thị xã", "đặc khu", "phường", "huyện", "quận", "tỉnh", "xã"})

"""Choices of the three registers, and the one table of allowed hotspot status changes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HotspotKind(models.TextChoices):
    POINT = "point", _("Điểm")
    HOTSPOT = "hotspot", _("Tụ điểm")
    # Criterion b of QĐ 28/2025/QĐ-TTg counts these places (domain.md §2).
    HARBOURING = "harbouring", _("Địa điểm tổ chức, chứa chấp sử dụng trái phép")


class HotspotStatus(models.TextChoices):
    ACTIVE = "active", _("Đang hoạt động")
    SURVEILLANCE = "surveillance", _("Đang theo dõi, giám sát")
    ELIMINATED = "eliminated", _("Đã triệt xóa")
    REEMERGED = "reemerged", _("Hoạt động trở lại")


#: from → the statuses it may move to (``services.hotspot_change_status`` refuses anything else)
HOTSPOT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    HotspotStatus.ACTIVE: (HotspotStatus.SURVEILLANCE, HotspotStatus.ELIMINATED),
    HotspotStatus.SURVEILLANCE: (HotspotStatus.ELIMINATED,),
    HotspotStatus.ELIMINATED: (HotspotStatus.REEMERGED,),
    HotspotStatus.REEMERGED: (HotspotStatus.SURVEILLANCE, HotspotStatus.ELIMINATED),
}


class CriminalArticle(models.TextChoices):
    """Drug offences of the Criminal Code (Bộ luật Hình sự 2015, Chương XX; Art. 256a added by
    Law 86/2025/QH15, in force from 01/7/2025)."""

    A247 = (
        "247",
        _("Điều 247 – Trồng cây thuốc phiện, cây côca, cây cần sa hoặc các loại cây khác có chứa chất ma túy"),
    )
    A248 = "248", _("Điều 248 – Sản xuất trái phép chất ma túy")
    A249 = "249", _("Điều 249 – Tàng trữ trái phép chất ma túy")
    A250 = "250", _("Điều 250 – Vận chuyển trái phép chất ma túy")
    A251 = "251", _("Điều 251 – Mua bán trái phép chất ma túy")
    A252 = "252", _("Điều 252 – Chiếm đoạt chất ma túy")
    A255 = "255", _("Điều 255 – Tổ chức sử dụng trái phép chất ma túy")
    A256 = "256", _("Điều 256 – Chứa chấp việc sử dụng trái phép chất ma túy")
    A256A = "256a", _("Điều 256a – Sử dụng trái phép chất ma túy")
    A257 = "257", _("Điều 257 – Cưỡng bức người khác sử dụng trái phép chất ma túy")
    A258 = "258", _("Điều 258 – Lôi kéo người khác sử dụng trái phép chất ma túy")
    OTHER = "other", _("Khác")


class CaseStage(models.TextChoices):
    DETECTED = "detected", _("Phát hiện")
    PROSECUTED = "prosecuted", _("Khởi tố")
    INDICTED = "indicted", _("Truy tố")
    TRIED = "tried", _("Xét xử")
    CLOSED = "closed", _("Kết thúc")


class PlantSpecies(models.TextChoices):
    OPIUM_POPPY = "opium_poppy", _("Cây thuốc phiện")
    CANNABIS = "cannabis", _("Cây cần sa")
    COCA = "coca", _("Cây côca")
    OTHER = "other", _("Khác")

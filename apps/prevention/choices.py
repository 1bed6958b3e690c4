"""Choices of the prevention app (propaganda, high-risk register, tip-offs, model points, targets)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.choices import Verification  # noqa: F401 - re-exported: models and forms use choices.Verification


class ActivityKind(models.TextChoices):
    """Form of a propaganda / education activity (hình thức tuyên truyền)."""

    CONFERENCE = "conference", _("Hội nghị, tọa đàm, nói chuyện chuyên đề")
    LOUDSPEAKER = "loudspeaker", _("Phát thanh trên hệ thống loa")
    VISUAL = "visual", _("Pa nô, áp phích, băng rôn, khẩu hiệu")
    LEAFLET = "leaflet", _("Phát tờ rơi, tài liệu")
    ONLINE = "online", _("Mạng xã hội, trang thông tin điện tử")
    CONTEST = "contest", _("Hội thi, cuộc thi tìm hiểu")
    PERFORMANCE = "performance", _("Văn nghệ, tiểu phẩm")
    VILLAGE_MEETING = "village_meeting", _("Lồng ghép họp thôn, tổ dân phố")
    COUNSELLING = "counselling", _("Tư vấn cá nhân, đến tận gia đình")
    SCHOOL = "school", _("Ngoại khóa, sinh hoạt tại trường học")


class Topic(models.TextChoices):
    """What an activity was about (one activity may cover several topics)."""

    SYNTHETIC = "synthetic_nps", _("Tác hại của ma túy tổng hợp, chất hướng thần mới")
    SIGNS = "addiction_signs", _("Dấu hiệu nhận biết người sử dụng, nghiện ma túy")
    METHODS = "criminal_methods", _("Phương thức, thủ đoạn của tội phạm ma túy")
    PREVENTION = "prevention", _("Kỹ năng phòng ngừa, phòng tránh ma túy")
    DUTIES = "citizen_duties", _("Trách nhiệm của công dân, tố giác tội phạm ma túy")
    LAW = "law", _("Quy định pháp luật về phòng, chống ma túy")


class HighRiskStatus(models.TextChoices):
    ACTIVE = "active", _("Đang theo dõi")
    MOVED = "moved", _("Đã chuyển đi nơi khác")
    REMOVED = "removed", _("Đưa ra khỏi danh sách")


class HighRiskSource(models.TextChoices):
    MANUAL = "manual", _("Cán bộ nhập")
    CASES = "cases", _("Tự động từ hồ sơ quản lý")


class TipOffChannel(models.TextChoices):
    IN_PERSON = "in_person", _("Trực tiếp")
    PHONE = "phone", _("Điện thoại")
    LETTER = "letter", _("Thư, đơn")
    HOTLINE = "hotline", _("Đường dây nóng")
    ONLINE = "online", _("Trực tuyến (mạng xã hội, cổng thông tin)")


class TipOffStatus(models.TextChoices):
    RECEIVED = "received", _("Mới tiếp nhận")
    VERIFYING = "verifying", _("Đang xác minh")
    HANDLED = "handled", _("Đã xử lý")
    TRANSFERRED = "transferred", _("Đã chuyển cơ quan có thẩm quyền")
    CLOSED = "closed", _("Kết thúc")


OPEN_TIPOFF_STATUSES = (TipOffStatus.RECEIVED, TipOffStatus.VERIFYING)


class EvaluationResult(models.TextChoices):
    GOOD = "good", _("Tốt")
    FAIR = "fair", _("Khá")
    AVERAGE = "average", _("Trung bình")
    WEAK = "weak", _("Yếu")


class Comparison(models.TextChoices):
    GTE = "gte", _("≥ (từ … trở lên)")
    LTE = "lte", _("≤ (từ … trở xuống)")


class TargetMetric(models.TextChoices):
    """The metrics a plan target can follow (``Target.indicator``). Their computations are
    registered in ``targets.py`` with ``@indicator``; this static list gives the model field its
    choices without the model importing the computations (a test keeps the two equal)."""

    HIGH_RISK_COVERAGE = "high_risk_coverage", "Tỷ lệ người nhóm nguy cơ cao được tiếp cận (%)"
    MODEL_POINTS_PER_AREA_GROUP = (
        "model_points_per_area_group",
        "Tỷ lệ nhóm địa bàn (huyện cũ) có mô hình điểm (%)",
    )
    DRUG_FREE_COMMUNE_SHARE = (
        "drug_free_commune_share",
        "Tỷ lệ xã, phường không ma túy (phân loại được phê duyệt gần nhất, %)",
    )
    COMMUNES_WITH_PROBLEMS_REDUCTION = (
        "communes_with_problems_reduction",
        "Mức giảm số xã, phường có tệ nạn ma túy so với số liệu nền (%)",
    )
    HOTSPOTS_NEW = "hotspots_new", "Số điểm, tụ điểm mới phát hiện trong kỳ"
    HOTSPOTS_ELIMINATED_SHARE = "hotspots_eliminated_share", "Tỷ lệ điểm, tụ điểm được triệt xóa trong kỳ (%)"


class Recurrence(models.TextChoices):
    ONCE = "once", _("Một lần, đến hạn")
    YEARLY = "yearly", _("Hằng năm (tính từ 01/01 đến 31/12)")


class TargetStatus(models.TextChoices):
    MET = "met", _("Đã đạt")
    ON_TRACK = "on_track", _("Đúng tiến độ")
    AT_RISK = "at_risk", _("Có nguy cơ không đạt")
    #: the deadline passed without the target being met: the final value, no longer a risk
    MISSED = "missed", _("Không đạt")
    NO_DATA = "no_data", _("Chưa có dữ liệu")

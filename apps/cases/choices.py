from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.choices import Verification  # noqa: F401 - re-exported: models and forms use choices.Verification


class Sex(models.TextChoices):
    MALE = "M", _("Nam")
    FEMALE = "F", _("Nữ")


class IdKind(models.TextChoices):
    CCCD = "cccd", _("Căn cước công dân / Căn cước (12 số)")
    CMND = "cmnd", _("Chứng minh nhân dân cũ (9 số)")


class Education(models.TextChoices):
    NONE = "none", _("Không biết chữ")
    PRIMARY = "primary", _("Tiểu học")
    LOWER_SECONDARY = "lower_secondary", _("Trung học cơ sở")
    UPPER_SECONDARY = "upper_secondary", _("Trung học phổ thông")
    VOCATIONAL = "vocational", _("Trung cấp, cao đẳng")
    UNIVERSITY = "university", _("Đại học trở lên")
    UNKNOWN = "unknown", _("Không rõ")


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("Chưa kết hôn")
    MARRIED = "married", _("Đã kết hôn")
    DIVORCED = "divorced", _("Ly hôn, ly thân")
    WIDOWED = "widowed", _("Góa")
    UNKNOWN = "unknown", _("Không rõ")


class CaseType(models.TextChoices):
    USER = "user", _("Người sử dụng trái phép chất ma túy")
    ADDICT = "addict", _("Người nghiện ma túy")


class UseMethod(models.TextChoices):
    SMOKE = "smoke", _("Hút")
    INHALE = "inhale", _("Hít")
    INJECT = "inject", _("Tiêm chích")
    ORAL = "oral", _("Uống, nuốt")
    MIXED = "mixed", _("Nhiều cách")
    OTHER = "other", _("Khác")


class Whereabouts(models.TextChoices):
    """Where the person is now — the location breakdown of QĐ 13/2019/QĐ-TTg (domain.md §4.6)."""

    COMMUNITY = "community", _("Tại cộng đồng")
    REHAB_FACILITY = "rehab_facility", _("Tại cơ sở cai nghiện")
    PRISON = "prison", _("Trại giam, trại tạm giam, trường giáo dưỡng, cơ sở giáo dục")
    UNKNOWN = "unknown", _("Không rõ nơi ở (bỏ trốn, đi khỏi địa phương)")


class Status(models.TextChoices):
    """States of a case file (domain.md §4.5)."""

    SIGNS = "signs", _("Có dấu hiệu sử dụng trái phép")
    POSITIVE = "positive", _("Xét nghiệm dương tính")
    MANAGED = "managed", _("Người sử dụng trái phép – đang quản lý")
    DETERMINING = "determining", _("Đang xác định tình trạng nghiện")
    AWAITING_REGISTRATION = "awaiting_registration", _("Người nghiện – chờ đăng ký cai nghiện")
    VOLUNTARY_COMMUNITY = "voluntary_community", _("Cai nghiện tự nguyện tại gia đình, cộng đồng")
    VOLUNTARY_FACILITY = "voluntary_facility", _("Cai nghiện tự nguyện tại cơ sở")
    METHADONE = "methadone", _("Điều trị thay thế (methadone)")
    COMPULSORY_DOSSIER = "compulsory_dossier", _("Lập hồ sơ đề nghị cai nghiện bắt buộc")
    COMPULSORY = "compulsory", _("Đang cai nghiện bắt buộc")
    POST_REHAB = "post_rehab", _("Quản lý sau cai nghiện tại nơi cư trú")
    CRIMINAL = "criminal", _("Chuyển xử lý hình sự (Điều 256a BLHS)")
    CLOSED = "closed", _("Kết thúc quản lý")


OPEN_STATUSES = [s for s in Status.values if s != Status.CLOSED]
# Statuses in which the person lives in the commune and needs periodic home visits.
COMMUNITY_STATUSES = [
    Status.MANAGED,
    Status.AWAITING_REGISTRATION,
    Status.VOLUNTARY_COMMUNITY,
    Status.METHADONE,
    Status.POST_REHAB,
    Status.COMPULSORY_DOSSIER,
]


class EventKind(models.TextChoices):
    OPENED = "opened", _("Lập hồ sơ")
    TEST = "test", _("Kết quả xét nghiệm")
    MANAGEMENT_DECISION = "management_decision", _("Quyết định quản lý người sử dụng")
    MANAGEMENT_END = "management_end", _("Kết thúc thời hạn quản lý")
    DETERMINATION_REFERRAL = "determination_referral", _("Đưa đi xác định tình trạng nghiện")
    DETERMINATION = "determination", _("Kết quả xác định tình trạng nghiện (Mẫu 04, NĐ 109/2021)")
    REHAB_REGISTRATION = "rehab_registration", _("Đăng ký cai nghiện tự nguyện")
    METHADONE_START = "methadone_start", _("Bắt đầu điều trị methadone")
    METHADONE_STOP = "methadone_stop", _("Ngừng điều trị methadone")
    REHAB_COMPLETED = "rehab_completed", _("Hoàn thành cai nghiện")
    COMPULSORY_DOSSIER = "compulsory_dossier", _("Lập hồ sơ đề nghị cai nghiện bắt buộc")
    COURT_DECISION = "court_decision", _("Quyết định của Tòa án")
    FACILITY_RELEASE = "facility_release", _("Chấp hành xong, trở về địa phương")
    POST_REHAB_END = "post_rehab_end", _("Kết thúc quản lý sau cai nghiện")
    VIOLATION = "violation", _("Vi phạm, xử phạt hành chính")
    RELAPSE = "relapse", _("Tái sử dụng ma túy")
    PROSECUTION = "prosecution", _("Bắt, khởi tố hình sự (Điều 256a BLHS)")
    TRANSFER = "transfer", _("Chuyển nơi cư trú")
    HOME_VISIT = "home_visit", _("Thăm gặp, kiểm tra tại gia đình")
    NOTE = "note", _("Ghi chú")
    WHEREABOUTS = "whereabouts", _("Thay đổi nơi ở hiện tại")
    DEATH = "death", _("Chết")
    CLOSURE = "closure", _("Kết thúc hồ sơ")
    REOPENED = "reopened", _("Phát hiện dấu hiệu sử dụng trở lại")


class CloseReason(models.TextChoices):
    NEGATIVE_TEST = "negative_test", _("Xét nghiệm âm tính")
    TERM_COMPLETED = "term_completed", _("Hết thời hạn quản lý, không tái sử dụng")
    REHAB_COMPLETED = "rehab_completed", _("Hoàn thành cai nghiện / quản lý sau cai")
    COURT_REJECTED = "court_rejected", _("Tòa án không chấp nhận đề nghị")
    DEATH = "death", _("Chết")
    TRANSFERRED = "transferred", _("Chuyển nơi cư trú sang xã khác")
    IMPRISONED = "imprisoned", _("Chấp hành án phạt tù dài hạn")
    OTHER = "other", _("Lý do khác")


class AgeBand(models.TextChoices):
    """Age bands of QĐ 13/2019/QĐ-TTg."""

    UNDER_14 = "lt14", _("Dưới 14")
    FROM_14 = "14_16", _("Từ 14 đến dưới 16")
    FROM_16 = "16_18", _("Từ 16 đến dưới 18")
    FROM_18 = "18_30", _("Từ 18 đến 30")
    OVER_30 = "gt30", _("Trên 30")


class DurationUnit(models.TextChoices):
    DAYS = "days", _("ngày")
    WORKING_DAYS = "working_days", _("ngày làm việc")
    MONTHS = "months", _("tháng")
    HOURS = "hours", _("giờ")


class DurationKey(StrEnum):
    """The legal durations the workflow reads (``LegalDuration.key``; one row per key and law,
    seeded from ``reference._DURATIONS``). A key the code uses without rows would silently give a
    file no due date, so ``tests/cases/test_duration_keys.py`` checks every key has its rows."""

    MANAGEMENT_PERIOD = "management_period"
    REGISTRATION_DEADLINE = "registration_deadline"
    VOLUNTARY_REHAB_MIN = "voluntary_rehab_min"
    VOLUNTARY_REHAB_MAX = "voluntary_rehab_max"
    COMPULSORY_REHAB_MIN = "compulsory_rehab_min"
    COMPULSORY_REHAB_MAX = "compulsory_rehab_max"
    COMPULSORY_REHAB_MINOR_MIN = "compulsory_rehab_minor_min"
    COMPULSORY_REHAB_MINOR_MAX = "compulsory_rehab_minor_max"
    POST_REHAB_PERIOD = "post_rehab_period"
    HOME_VISIT_INTERVAL = "home_visit_interval"

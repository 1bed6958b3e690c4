from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation(request):
    """Navigation entries the user's role may open (a link that would answer 403 is not shown)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [("home", _("Trang chủ"), reverse("core:home"))]
    if user.has_perm("cases.view_casefile"):
        if user.has_perm("cases.change_casefile"):
            items.append(("worklist", _("Việc cần làm"), reverse("cases:worklist")))
        items.append(("cases", _("Hồ sơ"), reverse("cases:casefile_list")))
    if user.has_perm("registers.view_hotspot"):
        items.append(("registers", _("Sổ theo dõi"), reverse("registers:hotspot_list")))
    if user.has_perm("cases.merge_person"):
        items.append(("duplicates", _("Trùng người"), reverse("cases:duplicates")))
    if user.has_perm("classification.view_assessmentresult"):
        items.append(("classification", _("Phân loại địa bàn"), reverse("classification:table")))
    if user.has_perm("reporting.view_dashboard"):
        items.append(("reporting", _("Thống kê"), reverse("reporting:dashboard")))
    if user.has_perm("reports.view_issuedreport"):
        url = reverse("reports:index") if user.has_perm("reports.issue_issuedreport") else reverse("reports:archive")
        items.append(("reports", _("Báo cáo"), url))
    if user.has_perm("prevention.view_activity"):
        items.append(("prevention", _("Phòng ngừa"), reverse("prevention:index")))
    elif user.has_perm("prevention.view_target"):
        items.append(("prevention", _("Chỉ tiêu"), reverse("prevention:target_list")))
    if user.has_perm("areas.view_administrativeunit"):
        items.append(("units", _("Đơn vị hành chính"), reverse("areas:unit_list")))
    if user.has_perm("audit.view_auditlogentry"):
        items.append(("audit", _("Nhật ký"), reverse("audit:entry_list")))
    if user.is_staff and (user.is_superuser or user.has_perm("accounts.view_user")):
        items.append(("admin", _("Quản trị"), reverse("admin:index")))
    path = request.path
    nav = [
        {
            "key": key,
            "label": label,
            "url": url,
            "active": (
                path == url
                if key in ("home", "worklist")
                else path.startswith("/registers/")
                if key == "registers"
                else path.startswith("/prevention/")
                if key == "prevention"
                else path.startswith("/reports/")
                if key == "reports"
                else path.startswith(url)
            ),
        }
        for key, label, url in items
    ]
    return {"nav_items": nav}

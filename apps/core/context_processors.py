from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import registry
from .registry import NavEntry, nav_link


def _admin(user):
    if user.is_staff and (user.is_superuser or user.has_perm("accounts.view_user")):
        return _("Quản trị"), reverse("admin:index")
    return None


# The foundation's own entries; the apps above add theirs from their AppConfig.ready() (orders
# 10-80 leave the foundation's units, log and admin at the end of the bar).
for _entry in (
    NavEntry("home", 0, nav_link(_("Trang chủ"), "core:home"), exact=True),
    NavEntry("units", 90, nav_link(_("Đơn vị hành chính"), "areas:unit_list", "areas.view_administrativeunit")),
    NavEntry("audit", 100, nav_link(_("Nhật ký"), "audit:entry_list", "audit.view_auditlogentry")),
    NavEntry("admin", 110, _admin),
):
    registry.register_nav(_entry)


def navigation(request):
    """Navigation entries the user's role may open (a link that would answer 403 is not shown)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    path = request.path
    nav = []
    for entry in registry.nav_entries():
        built = entry.build(user)
        if built is None:
            continue
        label, url = built
        nav.append({"key": entry.key, "label": label, "url": url, "active": entry.is_active(path, url)})
    return {"nav_items": nav}

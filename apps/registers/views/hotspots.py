"""Pages of the hotspot register: list, page, forms, status changes, export and import."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.generic import ServiceFormView
from apps.core.views import ImportTemplateView

from .. import actions, selectors
from ..choices import HotspotStatus
from ..forms import HotspotFilterForm, HotspotForm, HotspotStatusForm
from ..models import Hotspot
from ..resources.hotspots import HotspotResource
from ..services import hotspots as hotspot_services
from .base import RegisterDetailView, RegisterExportView, RegisterFormView, RegisterImportView, RegisterListView


class HotspotListView(RegisterListView):
    model = Hotspot
    template_name = "registers/hotspot_list.html"
    tab_label = gettext_lazy("Điểm, tụ điểm")
    tab_position = 1
    filter_form_class = HotspotFilterForm
    filters_class = selectors.HotspotFilters
    selector = selectors.hotspot_list


class HotspotDetailView(RegisterDetailView):
    model = Hotspot
    getter = selectors.hotspot_get
    template_name = "registers/hotspot_detail.html"
    context_object_name = "hotspot"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, hotspot = self.request.user, self.object
        ctx.update(
            history=list(hotspot.status_changes.all()),
            linked_cases=selectors.hotspot_linked_cases(user=user, hotspot=hotspot),
            next_statuses=[HotspotStatus(s) for s in hotspot_services.allowed_statuses(hotspot.status)]
            if ctx["can_change"]
            else [],
        )
        return ctx


class HotspotFormView(RegisterFormView):
    permission_model = Hotspot
    getter = selectors.hotspot_get
    create_service = hotspot_services.hotspot_create
    update_service = hotspot_services.hotspot_update
    record_arg = "hotspot"
    template_name = "registers/hotspot_form.html"
    add_title = gettext_lazy("Thêm điểm, tụ điểm")
    edit_title = gettext_lazy("Sửa “%(n)s”")
    list_label = gettext_lazy("Điểm, tụ điểm")
    legend = gettext_lazy("Điểm, tụ điểm")

    def object_label(self, obj) -> str:
        return obj.name

    def get_form(self, data=None, files=None):
        return HotspotForm(data, instance=self.object, user=self.request.user)

    def service_data(self, form) -> hotspot_services.HotspotInput:
        d = form.cleaned_data
        return hotspot_services.HotspotInput(
            name=d["name"],
            kind=d["kind"],
            discovered_on=d["discovered_on"],
            commune=d.get("commune"),
            recorded_unit=d.get("recorded_unit"),
            village=d.get("village", ""),
            address=d.get("address", ""),
            latitude=d.get("latitude"),
            longitude=d.get("longitude"),
            notes=d.get("notes", ""),
            linked_cases=list(d["linked_cases"]) if "linked_cases" in form.fields else None,
        )

    def service_extras(self, form) -> dict:
        if self.object is not None:
            return {}
        # Only a new hotspot takes its status from this form; a change of status has its own page.
        d = form.cleaned_data
        return {"status": d.get("status") or HotspotStatus.ACTIVE, "status_since": d.get("status_since")}

    def success_message(self, obj):
        return _("Đã lưu điểm, tụ điểm “%(n)s”.") % {"n": obj.name}


class HotspotStatusView(ServiceFormView):
    permission_model = Hotspot
    permission_action = "change"
    template_name = "registers/hotspot_status_form.html"

    def get_object(self):
        return selectors.hotspot_get(user=self.request.user, pk=self.kwargs["pk"], action="change")

    def get_form(self, data=None, files=None):
        if data is None:
            return HotspotStatusForm(hotspot=self.object, initial={"to_status": self.request.GET.get("to", "")})
        return HotspotStatusForm(data, hotspot=self.object)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(hotspot=self.object, history=list(self.object.status_changes.all()))
        return ctx

    def save(self, form):
        d = form.cleaned_data
        hotspot_services.hotspot_change_status(
            actor=self.request.user,
            hotspot=self.object,
            to_status=d["to_status"],
            changed_on=d["changed_on"],
            reason=d.get("reason", ""),
            expected_version=d.get("version"),
        )
        self.to_status = d["to_status"]
        return self.object

    def success_url(self, obj):
        return reverse("registers:hotspot_detail", args=[obj.pk])

    def success_message(self, obj):
        return _("Đã chuyển sang “%(s)s”.") % {"s": HotspotStatus(self.to_status).label}


HotspotExportView = RegisterExportView.of(HotspotListView)


class HotspotImportView(RegisterImportView):
    resource_class = HotspotResource
    audit_action = actions.HOTSPOT_IMPORT
    title = gettext_lazy("Nhập điểm, tụ điểm từ tệp Excel")


class HotspotImportTemplateView(ImportTemplateView):
    resource_class = HotspotResource
    filename = "mau-nhap-diem-tu-diem.xlsx"

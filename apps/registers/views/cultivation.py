"""Pages of the register of illicit cultivation finds: list, page, forms, export and import."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.views import ImportTemplateView

from .. import actions, selectors
from ..forms import CultivationFilterForm, CultivationForm
from ..models import Cultivation
from ..resources.cultivation import CultivationResource
from ..services import cultivation as cultivation_services
from .base import (
    RegisterDetailView,
    RegisterExportView,
    RegisterFormView,
    RegisterImportView,
    RegisterListView,
    _cleaned,
)


class CultivationListView(RegisterListView):
    model = Cultivation
    template_name = "registers/cultivation_list.html"
    tab_label = gettext_lazy("Trồng cây có chứa chất ma túy")
    tab_position = 3
    filter_form_class = CultivationFilterForm
    filters_class = selectors.CultivationFilters
    selector = selectors.cultivation_list


class CultivationDetailView(RegisterDetailView):
    model = Cultivation
    getter = selectors.cultivation_get
    template_name = "registers/cultivation_detail.html"
    context_object_name = "item"


class CultivationFormView(RegisterFormView):
    permission_model = Cultivation
    getter = selectors.cultivation_get
    create_service = cultivation_services.cultivation_create
    update_service = cultivation_services.cultivation_update
    record_arg = "cultivation"
    add_title = gettext_lazy("Thêm vụ phát hiện cây có chứa chất ma túy")
    edit_title = gettext_lazy("Sửa %(n)s")
    list_label = gettext_lazy("Trồng cây có chứa chất ma túy")
    legend = gettext_lazy("Phát hiện, triệt phá")

    def get_form(self, data=None, files=None):
        return CultivationForm(data, instance=self.object, user=self.request.user)

    def service_data(self, form) -> cultivation_services.CultivationInput:
        d = form.cleaned_data
        return cultivation_services.CultivationInput(
            found_on=d["found_on"],
            species=d["species"],
            commune=d.get("commune"),
            recorded_unit=d.get("recorded_unit"),
            plants=_cleaned(form, "plants", 0),
            area_m2=_cleaned(form, "area_m2", 0),
            destroyed=d.get("destroyed", False),
            village=d.get("village", ""),
            notes=d.get("notes", ""),
        )

    def success_message(self, obj):
        return _("Đã lưu %(n)s.") % {"n": obj.number}


CultivationExportView = RegisterExportView.of(CultivationListView)


class CultivationImportView(RegisterImportView):
    resource_class = CultivationResource
    audit_action = actions.CULTIVATION_IMPORT
    title = gettext_lazy("Nhập số liệu trồng cây có chứa chất ma túy từ tệp Excel")


class CultivationImportTemplateView(ImportTemplateView):
    resource_class = CultivationResource
    filename = "mau-nhap-trong-cay-ma-tuy.xlsx"

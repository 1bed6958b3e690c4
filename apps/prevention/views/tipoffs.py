"""Pages of tip-offs; the informant's identity has a page (and a permission) of its own."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from apps.core import scoping
from apps.core.generic import FilteredListView, RecordFormView
from apps.core.views import (
    ScopedViewMixin,
)

from .. import exports, forms, selectors, services
from ..models import Informant, TipOff
from ._common import PreventionExportView

# --- tip-offs ------------------------------------------------------------------------------------


class TipOffListView(FilteredListView):
    model = TipOff
    template_name = "prevention/tipoff_list.html"
    filter_form_class = forms.TipOffFilterForm
    selector = selectors.tipoff_list


TipOffExportView = PreventionExportView.of(TipOffListView, write=exports.TIPOFF.response)


class TipOffDetailView(ScopedViewMixin, TemplateView):
    permission_model = TipOff
    template_name = "prevention/tipoff_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        tip_off = selectors.tipoff_get(user=user, pk=self.kwargs["pk"])
        ctx.update(
            tip_off=tip_off,
            can_edit=scoping.has_action(user, TipOff, "change"),
            # Asked only for users allowed to read the informant; others learn nothing about it.
            has_informant=selectors.tipoff_has_informant(user=user, tip_off=tip_off),
            links=selectors.register_links(user=user, tip_off=tip_off),
        )
        return ctx


class TipOffInformantView(ScopedViewMixin, TemplateView):
    """Who gave the tip-off: only with ``prevention.view_informant``, every opening audited."""

    permission_model = Informant
    template_name = "prevention/tipoff_informant.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        tip_off = selectors.tipoff_get(user=user, pk=self.kwargs["pk"])
        ctx.update(tip_off=tip_off, informant=services.informant_read(actor=user, tip_off=tip_off))
        return ctx


class TipOffFormView(RecordFormView):
    add_title = gettext_lazy("Tiếp nhận tin báo, tố giác")
    edit_title = gettext_lazy("Cập nhật xử lý tin báo")
    permission_model = TipOff
    url_namespace = "prevention"
    getter = selectors.tipoff_get
    create_service = services.tipoff_create
    update_service = services.tipoff_update
    record_arg = "tip_off"
    template_name = "prevention/tipoff_form.html"

    def informant_allowed(self) -> bool:
        """The informant section: on a new tip-off for whoever records it (write-only); on an
        existing one only for someone allowed to read it."""
        return self.object is None or self.request.user.has_perm("prevention.view_informant")

    def get_form(self, data=None, files=None):
        form = forms.TipOffForm(data, user=self.request.user, tip_off=self.object)
        form.informant = None
        if self.informant_allowed():
            initial = None
            if self.object is not None and data is None:
                informant = services.informant_read(actor=self.request.user, tip_off=self.object)
                if informant is not None:
                    initial = {
                        "full_name": informant.full_name,
                        "phone": informant.phone,
                        "address": informant.address,
                    }
            form.informant = forms.InformantForm(data, prefix="inf", initial=initial)
        return form

    def is_valid(self, form) -> bool:
        return form.is_valid() & (form.informant is None or form.informant.is_valid())

    def service_data(self, form) -> services.TipOffInput:
        d = form.cleaned_data
        return services.TipOffInput(
            received_on=d["received_on"],
            channel=d["channel"],
            commune=d["commune"],
            summary=d["summary"],
            status=d["status"],
            result=d.get("result", ""),
            crime_case_id=d.get("crime_case_id"),
            hotspot_id=d.get("hotspot_id"),
        )

    def service_extras(self, form) -> dict:
        informant = None if form.informant is None else services.InformantInput(**form.informant.cleaned_data)
        return {"informant": informant}

    def success_message(self, obj):
        return _("Đã lưu %(t)s.") % {"t": obj}

"""Pages of the high-risk register and its coverage."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from apps.core import scoping
from apps.core.generic import FilteredListView, RecordFormView
from apps.core.views import (
    AuditedReadMixin,
    BreakGlassMixin,
    ScopedViewMixin,
)

from .. import actions, exports, forms, selectors, services
from ..models import HighRiskPerson
from ._common import PreventionExportView

# --- high-risk register --------------------------------------------------------------------------


def _sync_register(user) -> None:
    """People with an open case file join the register when it is opened (no signals)."""
    services.highrisk_sync_many(commune_ids=selectors.current_commune_ids(user))


class HighRiskListView(AuditedReadMixin, FilteredListView):
    model = HighRiskPerson
    read_action = actions.HIGHRISK_LIST_VIEW
    template_name = "prevention/highrisk_list.html"
    filter_form_class = forms.HighRiskFilterForm
    selector = selectors.highrisk_list
    kind = "highrisk"

    def get_queryset(self):
        _sync_register(self.request.user)
        return super().get_queryset()


HighRiskExportView = PreventionExportView.of(HighRiskListView, write=exports.HIGHRISK.response)


class HighRiskDetailView(BreakGlassMixin, AuditedReadMixin, ScopedViewMixin, TemplateView):
    permission_model = HighRiskPerson
    template_name = "prevention/highrisk_detail.html"
    read_action = actions.HIGHRISK_VIEW

    def get_break_glass_object(self):
        if self.read_object is None:
            self.read_object = selectors.highrisk_get(user=self.request.user, pk=self.kwargs["pk"])
        return self.read_object

    def read_details(self):
        return None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        entry = self.get_break_glass_object()
        ctx.update(
            entry=entry,
            history=selectors.highrisk_history(user=user, person=entry),
            can_edit=scoping.has_action(user, HighRiskPerson, "change"),
            can_view_case=entry.person_id is not None and user.has_perm("cases.view_casefile"),
        )
        return ctx


class HighRiskFormView(RecordFormView):
    add_title = gettext_lazy("Thêm người vào sổ nhóm nguy cơ cao")
    edit_title = gettext_lazy("Sửa thông tin người nguy cơ cao")
    permission_model = HighRiskPerson
    url_namespace, url_kind = "prevention", "highrisk"
    getter = selectors.highrisk_get
    create_service = services.highrisk_create
    update_service = services.highrisk_update
    record_arg = "entry"
    template_name = "prevention/form.html"

    def get_form(self, data=None, files=None):
        return forms.HighRiskForm(data, user=self.request.user, entry=self.object)

    def service_data(self, form) -> services.HighRiskInput:
        d = form.cleaned_data
        return services.HighRiskInput(
            commune=d["commune"],
            full_name=d["full_name"],
            birth_year=d["birth_year"],
            sex=d["sex"],
            category=d["category"],
            village=d.get("village", ""),
            status=d["status"],
            status_note=d.get("status_note", ""),
            notes=d.get("notes", ""),
        )

    def success_message(self, obj):
        return _("Đã lưu %(p)s vào sổ nhóm nguy cơ cao.") % {"p": obj}


class CoverageView(ScopedViewMixin, TemplateView):
    """Coverage of the high-risk register per commune and period, with whom to reach next."""

    permission_model = HighRiskPerson
    template_name = "prevention/coverage.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        _sync_register(user)
        data = self.request.GET
        if not data:
            # Default: the officer's own commune (when they have one) over the current year.
            year = selectors.today().year
            communes = list(scoping.current_communes(user)[:2])
            data = {"start": f"01/01/{year}", "end": f"31/12/{year}"}
            if len(communes) == 1:
                data["commune"] = communes[0].pk
        form = forms.CoverageForm(data, user=user)
        form.is_valid()
        cleaned = getattr(form, "cleaned_data", {})
        start, end, commune = cleaned.get("start"), cleaned.get("end"), cleaned.get("commune")
        ctx.update(form=form, start=start, end=end, coverage=None, summary=None)
        if not form.errors:
            ctx["coverage"] = selectors.coverage(user=user, commune=commune, start=start, end=end) if commune else None
            summary = selectors.coverage_by_commune(user=user, start=start, end=end)
            ctx["summary"] = summary if len(summary) > 1 or commune is None else None
        return ctx

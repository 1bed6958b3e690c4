"""The officer's worklist, the case list and its export."""

from django.http import Http404
from django.utils import timezone
from django.views.generic import TemplateView, View

from apps.audit import actions
from apps.core import scoping
from apps.core.views import AuditedReadMixin, ScopedListView, ScopedViewMixin

from .. import selectors
from ..exports import export_response
from ..forms import CaseFilterForm
from ..models import CaseFile
from ..public_holidays import missing_holiday_years


def _filters(form) -> selectors.CaseFilters:
    if not form.is_valid():
        return selectors.CaseFilters(open_only=True)
    d = form.cleaned_data
    return selectors.CaseFilters(
        q=d.get("q") or "",
        commune=d["commune"].pk if d.get("commune") else None,
        status=d.get("status") or "",
        open_only=bool(d.get("open_only")),
        case_type=d.get("case_type") or "",
        substance=d.get("substance") or "",
        sex=d.get("sex") or "",
        age_band=d.get("age_band") or "",
        ethnicity=d["ethnicity"].pk if d.get("ethnicity") else None,
        sort=d.get("sort") or "-updated",
    )


class WorklistView(ScopedViewMixin, TemplateView):
    """The commune officer's daily page: what needs doing, overdue first."""

    permission_model = CaseFile
    template_name = "cases/worklist.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["worklist"] = selectors.worklist(user=self.request.user)
        ctx["missing_holiday_years"] = missing_holiday_years(timezone.localdate())
        return ctx


class CaseListView(AuditedReadMixin, ScopedListView):
    model = CaseFile
    read_action = actions.CASE_LIST_VIEW
    template_name = "cases/casefile_list.html"
    paginate_by = 25

    def get_queryset(self):
        self.filter_form = CaseFilterForm(self.request.GET or None, user=self.request.user)
        return selectors.case_list(user=self.request.user, filters=_filters(self.filter_form))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["filter_form"] = self.filter_form
        ctx.update(scoping.can_flags(self.request.user, CaseFile, "export", "add", "import"))
        return ctx


class CaseExportView(ScopedViewMixin, View):
    """The filtered list as .xlsx or .csv: scoped, formula-safe, audited."""

    permission_model = CaseFile
    permission_action = "export"

    def get(self, request, fmt):
        if fmt not in ("xlsx", "csv"):
            raise Http404
        form = CaseFilterForm(request.GET or None, user=request.user)
        qs = selectors.case_list(user=request.user, filters=_filters(form), action="export")
        return export_response(actor=request.user, queryset=qs, fmt=fmt, filters=request.GET.urlencode())

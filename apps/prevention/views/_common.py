"""The prevention hub and the export every list shares; the list/form kit is core's (``apps.core.generic``)."""

from django.views.generic import TemplateView

from apps.core.generic import ExportView
from apps.core.views import ScopedViewMixin

from .. import selectors
from ..models import Activity


class HubView(ScopedViewMixin, TemplateView):
    """The prevention home page: the year's figures and the way to each register."""

    permission_model = Activity
    template_name = "prevention/index.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["summary"] = selectors.prevention_summary(user=self.request.user)
        return ctx


class PreventionExportView(ExportView):
    """A prevention list as .xlsx, built from the list by ``PreventionExportView.of(ListView,
    write=…)``: ``write(actor=…, queryset=…, filters=…)`` writes the file (a ``Sheet``'s
    ``response`` in ``exports``)."""

    formats = ("xlsx",)
    write = None

    def export(self, request, queryset, fmt):
        return type(self).write(actor=request.user, queryset=queryset, filters=request.GET.urlencode())

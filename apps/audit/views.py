import datetime as dt

from django.utils import timezone
from django.views.generic import TemplateView

from apps.core.views import ScopedListView, ScopedViewMixin

from . import actions, selectors
from .digest import access_digest, parse_month
from .forms import EntryFilterForm
from .models import AuditLogEntry


class EntryListView(ScopedListView):
    model = AuditLogEntry
    template_name = "audit/entry_list.html"
    paginate_by = 50

    def get_queryset(self):
        self.filter_form = EntryFilterForm(self.request.GET or None)
        filters = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        return selectors.entry_list(
            user=self.request.user,
            actor=filters.get("actor", ""),
            action=filters.get("action", ""),
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
            object_type=self.request.GET.get("type", ""),
            object_id=self.request.GET.get("object", ""),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["filter_form"] = self.filter_form
        for entry in ctx["object_list"]:
            entry.action_label = actions.label(entry.action)
        return ctx


class AccessDigestView(ScopedViewMixin, TemplateView):
    """The month's access digest for the province: lookups, break-glass views, flagged accounts."""

    permission_model = AuditLogEntry
    template_name = "audit/access_digest.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        try:
            month = parse_month(self.request.GET.get("month", ""))
        except ValueError:
            month = today.replace(day=1)
        previous = (month - dt.timedelta(days=1)).replace(day=1)
        following = (month + dt.timedelta(days=32)).replace(day=1)
        ctx.update(
            month=month,
            previous=previous,
            following=following if following <= today else None,
            rows=access_digest(user=self.request.user, month=month),
        )
        return ctx

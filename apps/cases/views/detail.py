"""The case page: the file, its timeline, the actions open on it, its audit trail."""

from django.utils import timezone
from django.views.generic import TemplateView

from apps.audit import actions
from apps.audit.selectors import entries_for_object
from apps.core import scoping
from apps.core.views import BreakGlassMixin, ScopedViewMixin

from .. import selectors, services, workflow
from ..choices import EventKind
from ..models import CaseFile


def _labelled(entries):
    for entry in entries:
        entry.action_label = actions.label(entry.action)
    return entries


def _with_void_flag(user, event, case):
    event.can_void = services.may_void(user, event, case)
    return event


class CaseDetailView(BreakGlassMixin, ScopedViewMixin, TemplateView):
    permission_model = CaseFile
    template_name = "cases/casefile_detail.html"
    case = None

    def get_break_glass_object(self):
        if self.case is None:
            self.case = selectors.case_get(user=self.request.user, pk=self.kwargs["pk"])
        return self.case

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        case = self.get_break_glass_object()
        services.case_record_view(actor=user, case=case, reason=self.break_glass or "")
        can_change = scoping.has_action(user, CaseFile, "change")
        ctx.update(
            case=case,
            person=selectors.person_for_case(user=user, case=case),
            timeline=[_with_void_flag(user, e, case) for e in selectors.case_timeline(case)],
            transferred_to=selectors.case_transferred_to(case),
            transitions=workflow.allowed_transitions(
                case.status,
                workflow.age_range(case.person.date_of_birth, case.person.birth_year, timezone.localdate()),
            )
            if scoping.has_action(user, CaseFile, "transition") and case.close_reason != "transferred"
            else [],
            free_events=[(k, EventKind(k).label) for k in services.FREE_EVENTS] if can_change and case.is_open else [],
            can_change=can_change and case.is_open,
            can_transfer=can_change and case.is_open,
            audit_entries=_labelled(entries_for_object(user=user, obj=case))
            if user.has_perm("cases.view_casefile_audit")
            else None,
            duplicates=selectors.duplicates_find(
                user=user,
                full_name=case.person.full_name,
                birth_year=case.person.birth_year,
                sex=case.person.sex,
                citizen_id=case.person.citizen_id,
                exclude_person=case.person_id,
            ),
        )
        return ctx

"""Timeline writes: transitions, free events, voiding or correcting an entry."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from apps.core.generic import attach_errors, save_status
from apps.core.views import BreakGlassMixin, ScopedViewMixin

from .. import selectors, services, workflow
from ..choices import EventKind
from ..forms import EventForm, TransitionForm, VoidEventForm
from ..models import CaseFile


class CaseTransitionView(ScopedViewMixin, TemplateView):
    permission_model = CaseFile
    permission_action = "transition"
    template_name = "cases/transition_form.html"

    def get_object(self):
        case = selectors.case_get(user=self.request.user, pk=self.kwargs["pk"], action="transition")
        self.transition = workflow.TRANSITIONS_BY_CODE.get(self.kwargs["code"])
        if self.transition is None:
            raise Http404
        return case

    def get(self, request, *args, **kwargs):
        self.case = self.get_object()
        form = TransitionForm(transition=self.transition, initial={"version": self.case.version})
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(case=self.case, transition=self.transition, allowed=self.case.status in self.transition.sources)
        return ctx

    def post(self, request, *args, **kwargs):
        self.case = self.get_object()
        form = TransitionForm(request.POST, transition=self.transition)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        d = form.cleaned_data
        data = services.EventInput(
            event_date=d["event_date"],
            decision_number=d.get("decision_number", ""),
            decision_date=d.get("decision_date"),
            signer=d.get("signer", ""),
            facility=d.get("facility", ""),
            result=d.get("result", ""),
            end_date=d.get("end_date"),
            notes=d.get("notes", ""),
            close_reason=d.get("close_reason", ""),
        )
        try:
            services.case_transition(
                actor=request.user,
                case=self.case,
                code=self.transition.code,
                data=data,
                expected_version=d.get("version"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.render_to_response(self.get_context_data(form=form), status=save_status(form))
        messages.success(request, _("Đã ghi: %(t)s.") % {"t": self.transition.label})
        return redirect("cases:casefile_detail", pk=self.case.pk)


class CaseEventView(ScopedViewMixin, TemplateView):
    permission_model = CaseFile
    permission_action = "change"
    template_name = "cases/event_form.html"

    def get_object(self):
        case = selectors.case_get(user=self.request.user, pk=self.kwargs["pk"], action="change")
        if self.kwargs["kind"] not in services.FREE_EVENTS:
            raise Http404
        self.kind = self.kwargs["kind"]
        return case

    def get(self, request, *args, **kwargs):
        self.case = self.get_object()
        return self.render_to_response(self.get_context_data(form=EventForm(kind=self.kind)))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(case=self.case, kind_label=EventKind(self.kind).label)
        return ctx

    def post(self, request, *args, **kwargs):
        self.case = self.get_object()
        form = EventForm(request.POST, kind=self.kind)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.case_add_event(
                    actor=request.user,
                    case=self.case,
                    kind=self.kind,
                    data=services.EventInput(
                        event_date=d["event_date"],
                        result=d.get("result", ""),
                        notes=d.get("notes", ""),
                        whereabouts=d.get("whereabouts", ""),
                    ),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Đã ghi: %(k)s.") % {"k": EventKind(self.kind).label})
                return redirect("cases:casefile_detail", pk=self.case.pk)
        return self.render_to_response(self.get_context_data(form=form))


class _EventVoidPage(ScopedViewMixin, TemplateView):
    permission_model = CaseFile
    template_name = "cases/event_void_form.html"
    case = None

    def get_object(self):
        """The case (``get_break_glass_object``: within scope) and the entry to void (``self.event``)."""
        case = self.get_break_glass_object()
        self.event = case.events.select_related("created_by").filter(pk=self.kwargs["event_pk"]).first()
        if self.event is None:
            raise Http404
        if not services.may_void(self.request.user, self.event, case):
            if self.event.voided_at or self.event.kind not in services.VOIDABLE_EVENTS or not case.is_open:
                raise Http404  # nothing to void here: the page does not exist for this entry
            raise PermissionDenied
        return case

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(case=self.case, event=self.event)
        return ctx

    def get(self, request, *args, **kwargs):
        self.case = self.get_object()
        form = VoidEventForm(event=self.event)
        form.initial.update(version=self.case.version)
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        self.case = self.get_object()
        form = VoidEventForm(request.POST, event=self.event)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        d = form.cleaned_data
        try:
            if d.get("correct"):
                services.case_correct_event(
                    actor=request.user,
                    case=self.case,
                    event=self.event,
                    reason=d["reason"],
                    expected_version=d["version"],
                    data=services.EventInput(
                        event_date=d["event_date"],
                        result=d.get("result", ""),
                        notes=d.get("notes", ""),
                        whereabouts=d.get("whereabouts", ""),
                    ),
                )
                messages.success(request, _("Đã hủy mục ghi nhầm và ghi lại mục đúng."))
            else:
                services.case_void_event(
                    actor=request.user,
                    case=self.case,
                    event=self.event,
                    reason=d["reason"],
                    expected_version=d["version"],
                )
                messages.success(request, _("Đã hủy mục ghi nhầm; mục vẫn hiện trong diễn biến, gạch ngang."))
        except ValidationError as exc:
            attach_errors(exc, form)
            return self.render_to_response(self.get_context_data(form=form), status=save_status(form))
        return redirect("cases:casefile_detail", pk=self.case.pk)


class EventVoidView(BreakGlassMixin, _EventVoidPage):
    """Void (and optionally correct) a timeline entry: the author, or province staff (after the
    break-glass reason for another commune's record). Out of scope 404, in scope but neither 403."""

    def get_break_glass_object(self):
        if self.case is None:
            self.case = selectors.case_get(user=self.request.user, pk=self.kwargs["pk"])
        return self.case

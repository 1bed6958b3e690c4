from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from apps.audit import actions
from apps.audit.selectors import entries_for_object
from apps.core import scoping
from apps.core.views import (
    AuditedReadMixin,
    BreakGlassMixin,
    ImportTemplateView,
    ScopedImportView,
    ScopedListView,
    ScopedViewMixin,
)

from . import selectors, services, workflow
from .choices import EventKind
from .exports import export_response
from .forms import CaseFilterForm, CaseForm, EventForm, PersonForm, TransferForm, TransitionForm, VoidEventForm
from .models import CaseFile, Person, PersonMerge
from .public_holidays import missing_holiday_years
from .resources import CaseResource


def _labelled(entries):
    for entry in entries:
        entry.action_label = actions.label(entry.action)
    return entries


def _with_void_flag(user, event, case):
    event.can_void = services.may_void(user, event, case)
    return event


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
        ctx["can_export"] = scoping.has_action(self.request.user, CaseFile, "export")
        ctx["can_add"] = scoping.has_action(self.request.user, CaseFile, "add")
        ctx["can_import"] = scoping.has_action(self.request.user, CaseFile, "import")
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


class CaseFormMixin(ScopedViewMixin, TemplateView):
    permission_model = CaseFile
    template_name = "cases/casefile_form.html"
    case = None

    def forms(self, data=None):
        person = self.case.person if self.case else None
        return (
            PersonForm(data, instance=person, user=self.request.user, prefix="p"),
            CaseForm(data, instance=self.case, user=self.request.user, prefix="c"),
        )

    def get_object(self):
        """Edit views fetch their case here, after dispatch() checked the role (403 before 404)."""
        return None

    def get(self, request, *args, **kwargs):
        self.case = self.get_object()
        person_form, case_form = self.forms()
        return self.render_to_response(self.get_context_data(person_form=person_form, case_form=case_form))

    def _input(self, person_form, case_form) -> services.CaseInput:
        p, c = dict(person_form.cleaned_data), dict(case_form.cleaned_data)
        substances = c.pop("substances", [])
        c.pop("version", None)
        self.person_version = p.pop("version", None)
        if self.case:
            c.pop("commune", None)
        if p.get("date_of_birth"):
            p["birth_year"] = p["date_of_birth"].year
        return services.CaseInput(person=p, case=c, substances=substances)

    def post(self, request, *args, **kwargs):
        self.case = self.get_object()
        person_form, case_form = self.forms(request.POST)
        ctx = {"person_form": person_form, "case_form": case_form}
        # Both forms are checked (no short-circuit), then the service's rules on whatever could be
        # read, and the duplicate check: every error of the page comes back in one round trip.
        forms_valid = all([person_form.is_valid(), case_form.is_valid()])
        if not forms_valid:
            _attach_rule_errors(person_form, case_form)
        data = self._input(person_form, case_form)
        if self.case is None and "confirm_new_person" not in request.POST and _identity_known(data.person):
            try:
                matches = services.person_lookup(
                    actor=request.user,
                    full_name=data.person["full_name"],
                    birth_year=data.person.get("birth_year"),
                    sex=data.person["sex"],
                    citizen_id=_cid(data.person.get("citizen_id")),
                )
            except services.LookupLimitError as exc:
                case_form.add_error(None, exc)
                return self.render_to_response(self.get_context_data(**ctx), status=429)
            if matches:
                ctx["duplicates"] = matches
        if not forms_valid or ctx.get("duplicates"):
            return self.render_to_response(self.get_context_data(**ctx))
        try:
            case = self.save(data, case_form)
        except ValidationError as exc:
            _attach_errors(exc, person_form, case_form)
            return self.render_to_response(
                self.get_context_data(**ctx), status=409 if getattr(exc, "code", None) == "stale" else 200
            )
        messages.success(request, _("Đã lưu hồ sơ %(n)s.") % {"n": case.file_number})
        return redirect("cases:casefile_detail", pk=case.pk)


def _cid(raw) -> str:
    try:
        return services.normalize_citizen_id(raw)[0]
    except ValidationError:
        return ""


def _identity_known(person: dict) -> bool:
    return bool(person.get("full_name") and person.get("sex") and person.get("birth_year"))


def _attach_rule_errors(person_form, case_form) -> None:
    """The service's rules over the values the forms could read, on fields without an error yet."""
    errors = services.case_input_errors(person_form.cleaned_data, case_form.cleaned_data)
    for field, found in errors.items():
        for form in (person_form, case_form):
            if field in form.fields and not form.has_error(field):
                form.add_error(field, found)


def _attach_errors(exc: ValidationError, person_form, case_form) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = person_form if field in person_form.fields else case_form
            target.add_error(field if field in target.fields else None, errors)
    else:
        case_form.add_error(None, exc)


class CaseCreateView(CaseFormMixin):
    permission_action = "add"

    def save(self, data, case_form):
        return services.case_create(actor=self.request.user, data=data)


class CaseUpdateView(BreakGlassMixin, AuditedReadMixin, CaseFormMixin):
    permission_action = "change"
    read_action = actions.CASE_EDIT_VIEW

    def get_object(self):
        if self.case is None:
            self.case = selectors.case_get(user=self.request.user, pk=self.kwargs["pk"], action="change")
        self.read_object = self.case
        return self.case

    def get_break_glass_object(self):
        return self.get_object()

    def read_details(self):
        return None

    def get(self, request, *args, **kwargs):
        self.case = self.get_object()
        if not self.case.is_open:
            # Closed files are read-only (the services refuse too): no form full of live data.
            messages.error(request, services.closed_message(self.case))
            return redirect("cases:casefile_detail", pk=self.case.pk)
        return super().get(request, *args, **kwargs)

    def save(self, data, case_form):
        return services.case_update(
            actor=self.request.user,
            case=self.case,
            data=data,
            expected_version=case_form.cleaned_data.get("version"),
            expected_person_version=self.person_version,
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["case"] = self.case
        return ctx


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
            status = 409 if exc.code == "stale" else 200
            return self.render_to_response(self.get_context_data(form=form), status=status)
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
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
            status = 409 if exc.code == "stale" else 200
            return self.render_to_response(self.get_context_data(form=form), status=status)
        return redirect("cases:casefile_detail", pk=self.case.pk)


class EventVoidView(BreakGlassMixin, _EventVoidPage):
    """Void (and optionally correct) a timeline entry: the author, or province staff (after the
    break-glass reason for another commune's record). Out of scope 404, in scope but neither 403."""

    def get_break_glass_object(self):
        if self.case is None:
            self.case = selectors.case_get(user=self.request.user, pk=self.kwargs["pk"])
        return self.case


class CaseTransferView(ScopedViewMixin, TemplateView):
    permission_model = CaseFile
    permission_action = "change"
    template_name = "cases/transfer_form.html"

    def get(self, request, *args, **kwargs):
        case = selectors.case_get(user=request.user, pk=kwargs["pk"], action="change")
        return self.render_to_response(self.get_context_data(form=TransferForm(case=case), case=case))

    def post(self, request, *args, **kwargs):
        case = selectors.case_get(user=request.user, pk=kwargs["pk"], action="change")
        form = TransferForm(request.POST, case=case)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.case_transfer(
                    actor=request.user,
                    case=case,
                    to_commune=d["to_commune"],
                    data=services.EventInput(event_date=d["event_date"], notes=d.get("notes", "")),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Đã chuyển hồ sơ đến %(u)s.") % {"u": d["to_commune"]})
                return redirect("cases:casefile_detail", pk=case.pk)
        return self.render_to_response(self.get_context_data(form=form, case=case))


class CaseImportView(ScopedImportView):
    resource_class = CaseResource
    import_kind = "cases"
    audit_action = "cases.casefile.import"
    title = _("Nhập hồ sơ từ tệp Excel")
    template_url_name = "cases:import_template"
    success_url = reverse_lazy("cases:casefile_list")


class CaseImportTemplateView(ImportTemplateView):
    resource_class = CaseResource
    filename = "mau-nhap-ho-so.xlsx"


class DuplicateReviewView(AuditedReadMixin, TemplateView):
    """Province reviewers: possible duplicates, merge (reversible) or mark as different people."""

    template_name = "cases/duplicates.html"
    read_action = actions.DUPLICATES_VIEW

    def read_details(self):
        return {"pairs": len(self._pairs)}

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("cases.merge_person"):
            raise PermissionDenied
        return TemplateView.dispatch(self, request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["pairs"] = self._pairs = selectors.duplicate_candidates(user=user)
        ctx["merges"] = list(
            PersonMerge.objects.filter(undone_at__isnull=True, kept__in=selectors.visible_people(user))
            .select_related("kept", "merged", "merged_by")
            .order_by("-merged_at")[:50]
        )
        return ctx

    def post(self, request, *args, **kwargs):
        user = request.user
        people = selectors.visible_people(user)
        try:
            with transaction.atomic():
                if "undo" in request.POST:
                    record = PersonMerge.objects.filter(kept__in=people).get(pk=request.POST["undo"])
                    services.person_unmerge(actor=user, record=record)
                    messages.success(request, _("Đã hoàn tác việc gộp."))
                else:
                    first = people.get(pk=request.POST.get("first"))
                    second = people.get(pk=request.POST.get("second"))
                    if "distinct" in request.POST:
                        services.person_mark_distinct(actor=user, first=first, second=second)
                        messages.success(request, _("Đã ghi nhận: hai người khác nhau."))
                    else:
                        services.person_merge(
                            actor=user, keep=first, merge=second, reason=request.POST.get("reason", "")
                        )
                        messages.success(request, _("Đã gộp hồ sơ. Có thể hoàn tác."))
        except (Person.DoesNotExist, PersonMerge.DoesNotExist, ValueError) as exc:
            raise Http404 from exc
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(reverse("cases:duplicates"))

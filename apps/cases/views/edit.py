"""Opening and editing a file: the person and case forms, the duplicate check, the service's errors."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from apps.audit import actions
from apps.core.generic import attach_errors, save_status
from apps.core.views import AuditedReadMixin, BreakGlassMixin, ScopedViewMixin

from .. import selectors, services
from ..forms import CaseForm, PersonForm
from ..models import CaseFile


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
            # The file's form first: an error naming no field of either form stands above it.
            attach_errors(exc, case_form, person_form)
            return self.render_to_response(self.get_context_data(**ctx), status=save_status(case_form))
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

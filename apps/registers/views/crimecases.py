"""Pages of the drug crime case register: list, page (an audited read), forms, export and import."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.views import ImportTemplateView

from .. import actions, selectors
from ..forms import CrimeCaseFilterForm, CrimeCaseForm, OffenderFormSet
from ..models import CrimeCase
from ..resources.crimecases import CrimeCaseResource
from ..services import crimecases as crimecase_services
from .base import (
    RegisterDetailView,
    RegisterExportView,
    RegisterFormView,
    RegisterImportView,
    RegisterListView,
    _cleaned,
)


class CrimeCaseListView(RegisterListView):
    model = CrimeCase
    template_name = "registers/crimecase_list.html"
    tab_label = gettext_lazy("Vụ án về ma túy")
    tab_position = 2
    filter_form_class = CrimeCaseFilterForm
    filters_class = selectors.CrimeCaseFilters
    selector = selectors.crime_case_list


class CrimeCaseDetailView(RegisterDetailView):
    model = CrimeCase
    getter = selectors.crime_case_get
    template_name = "registers/crimecase_detail.html"
    context_object_name = "case"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, case = self.request.user, self.object
        # Names of arrested people are personal data: the opening is recorded.
        crimecase_services.crime_case_record_view(actor=user, crime_case=case)
        offenders = list(case.offenders.all())
        # Only the case files the user may open (none without the case-file role: visible_to).
        files = selectors.offender_case_files(user=user, crime_case=case)
        for offender in offenders:
            offender.case_file_pk = files.get(offender.person_id)
        ctx["offenders"] = offenders
        return ctx


class CrimeCaseFormView(RegisterFormView):
    """The case and its offenders (a formset, ``form.offenders``) are validated and saved together."""

    permission_model = CrimeCase
    getter = selectors.crime_case_get
    create_service = crimecase_services.crime_case_create
    update_service = crimecase_services.crime_case_update
    record_arg = "crime_case"
    template_name = "registers/crimecase_form.html"
    add_title = gettext_lazy("Thêm vụ án về ma túy")
    edit_title = gettext_lazy("Sửa vụ án %(n)s")
    list_label = gettext_lazy("Vụ án về ma túy")

    def get_form(self, data=None, files=None):
        initial = None
        if self.object is not None and data is None:
            initial = [
                {
                    "id": o.pk,
                    "full_name": o.full_name,
                    "birth_year": o.birth_year,
                    "sex": o.sex,
                    "arrested_on": o.arrested_on,
                    "person": o.person_id,
                }
                for o in self.object.offenders.all()
            ]
        form = CrimeCaseForm(data, instance=self.object, user=self.request.user)
        form.offenders = OffenderFormSet(data, initial=initial, prefix="o", user=self.request.user)
        return form

    def is_valid(self, form) -> bool:
        # Both validated, so the page shows the errors of each at once.
        return form.is_valid() & form.offenders.is_valid()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["formset"] = ctx["form"].offenders
        return ctx

    def service_data(self, form) -> crimecase_services.CrimeCaseInput:
        d = form.cleaned_data
        return crimecase_services.CrimeCaseInput(
            occurred_on=d["occurred_on"],
            article=d["article"],
            summary=d["summary"],
            commune=d.get("commune"),
            recorded_unit=d.get("recorded_unit"),
            offenders_count=d.get("offenders_count"),
            stage=d["stage"],
            heroin_g=_cleaned(form, "heroin_g", 0),
            synthetic_g=_cleaned(form, "synthetic_g", 0),
            cannabis_g=_cleaned(form, "cannabis_g", 0),
            other_g=_cleaned(form, "other_g", 0),
            synthetic_tablets=_cleaned(form, "synthetic_tablets", 0),
            other_desc=d.get("other_desc", ""),
            notes=d.get("notes", ""),
        )

    def service_extras(self, form) -> dict:
        return {"offenders": self._offenders(form)}

    def _offenders(self, form) -> list[crimecase_services.OffenderInput]:
        return [
            crimecase_services.OffenderInput(
                full_name=o["full_name"],
                sex=o["sex"],
                arrested_on=o["arrested_on"],
                birth_year=o.get("birth_year"),
                person=o.get("person"),
                pk=o.get("id"),
            )
            for o in form.offenders.cleaned_data
            if o and o.get("full_name") and not o.get("DELETE")
        ]

    def success_message(self, obj):
        return _("Đã lưu vụ án %(n)s.") % {"n": obj.number}


CrimeCaseExportView = RegisterExportView.of(CrimeCaseListView)


class CrimeCaseImportView(RegisterImportView):
    resource_class = CrimeCaseResource
    audit_action = actions.CRIMECASE_IMPORT
    title = gettext_lazy("Nhập vụ án về ma túy từ tệp Excel")


class CrimeCaseImportTemplateView(ImportTemplateView):
    resource_class = CrimeCaseResource
    filename = "mau-nhap-vu-an-ma-tuy.xlsx"

"""Views of the registers: parse the request, call a selector or a service, render.

Every view goes through core's scoped mixins: 403 without the role, 404 outside the area.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from apps.core import scoping
from apps.core.views import ImportTemplateView, ScopedDetailView, ScopedImportView, ScopedListView, ScopedViewMixin

from . import actions, selectors, services
from .choices import HotspotStatus
from .exports import export_register
from .forms import (
    CrimeCaseFilterForm,
    CrimeCaseForm,
    CultivationFilterForm,
    CultivationForm,
    HotspotFilterForm,
    HotspotForm,
    HotspotStatusForm,
    OffenderFormSet,
)
from .models import CrimeCase, Cultivation, Hotspot
from .resources import CrimeCaseResource, CultivationResource, HotspotResource


def _attach(exc: ValidationError, *forms) -> None:
    """Service errors next to the field they name (first form holding it), others on top."""
    if not hasattr(exc, "error_dict"):
        forms[0].add_error(None, exc)
        return
    for name, errors in exc.message_dict.items():
        target = next((f for f in forms if name in f.fields), forms[0])
        target.add_error(name if name in target.fields else None, errors)


def _cleaned(form, name, default=None):
    value = form.cleaned_data.get(name)
    return default if value in (None, "") else value


class RegisterListMixin:
    """Shared list behaviour: filter form → selector filters, and the action buttons."""

    filter_form_class = None
    filters_class = None
    paginate_by = 25

    def get_filters(self):
        self.filter_form = self.filter_form_class(self.request.GET or None, user=self.request.user)
        if not self.filter_form.is_valid():
            return self.filters_class()
        data = {k: v for k, v in self.filter_form.cleaned_data.items() if v not in (None, "")}
        if data.get("commune") is not None:
            data["commune"] = data["commune"].pk
        return self.filters_class(**data)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, model = self.request.user, self.get_permission_model()
        ctx.update(
            filter_form=self.filter_form,
            can_add=scoping.has_action(user, model, "add"),
            can_import=scoping.has_action(user, model, "import"),
            can_export=scoping.has_action(user, model, "export"),
        )
        return ctx


class RegisterExportView(ScopedViewMixin, View):
    """The filtered list as .xlsx or .csv: scoped, formula-safe, audited."""

    permission_action = "export"
    kind = ""
    filter_form_class = None
    filters_class = None
    selector = None

    def get(self, request, fmt):
        if fmt not in ("xlsx", "csv"):
            raise Http404
        form = self.filter_form_class(request.GET or None, user=request.user)
        filters = self.filters_class()
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            if data.get("commune") is not None:
                data["commune"] = data["commune"].pk
            filters = self.filters_class(**data)
        queryset = type(self).selector(user=request.user, filters=filters, action="export")
        return export_register(
            actor=request.user, kind=self.kind, queryset=queryset, fmt=fmt, filters=request.GET.urlencode()
        )


class RegisterFormView(ScopedViewMixin, TemplateView):
    """Create (``permission_action = "add"``) or edit (``"change"``) one record."""

    object = None

    def load_object(self):
        """Edit views fetch their object here, after dispatch() checked the role (403 before 404)."""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["object"] = self.object
        return ctx


# --- hotspots ------------------------------------------------------------------------------------


class HotspotListView(RegisterListMixin, ScopedListView):
    model = Hotspot
    template_name = "registers/hotspot_list.html"
    filter_form_class = HotspotFilterForm
    filters_class = selectors.HotspotFilters

    def get_queryset(self):
        return selectors.hotspot_list(user=self.request.user, filters=self.get_filters())


class HotspotDetailView(ScopedDetailView):
    model = Hotspot
    template_name = "registers/hotspot_detail.html"
    context_object_name = "hotspot"

    def get_object(self, queryset=None):
        return selectors.hotspot_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, hotspot = self.request.user, self.object
        can_change = scoping.has_action(user, Hotspot, "change")
        ctx.update(
            history=list(hotspot.status_changes.all()),
            linked_cases=selectors.hotspot_linked_cases(user=user, hotspot=hotspot),
            can_change=can_change,
            next_statuses=[HotspotStatus(s) for s in services.allowed_statuses(hotspot.status)] if can_change else [],
        )
        return ctx


class HotspotFormView(RegisterFormView):
    permission_model = Hotspot
    template_name = "registers/hotspot_form.html"

    def form(self, data=None):
        return HotspotForm(data, instance=self.object, user=self.request.user)

    def get(self, request, *args, **kwargs):
        self.load_object()
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request, *args, **kwargs):
        self.load_object()
        form = self.form(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            data = services.HotspotInput(
                name=d["name"],
                kind=d["kind"],
                discovered_on=d["discovered_on"],
                commune=d.get("commune"),
                recorded_unit=d.get("recorded_unit"),
                village=d.get("village", ""),
                address=d.get("address", ""),
                latitude=d.get("latitude"),
                longitude=d.get("longitude"),
                notes=d.get("notes", ""),
                linked_cases=list(d["linked_cases"]) if "linked_cases" in form.fields else None,
            )
            try:
                hotspot = self.save(data, form)
            except ValidationError as exc:
                _attach(exc, form)
            else:
                messages.success(request, _("Đã lưu điểm, tụ điểm “%(n)s”.") % {"n": hotspot.name})
                return redirect("registers:hotspot_detail", pk=hotspot.pk)
        return self.render_to_response(self.get_context_data(form=form), status=_status(form))


class HotspotCreateView(HotspotFormView):
    permission_action = "add"

    def save(self, data, form):
        d = form.cleaned_data
        return services.hotspot_create(
            actor=self.request.user,
            data=data,
            status=d.get("status") or HotspotStatus.ACTIVE,
            status_since=d.get("status_since"),
        )


class HotspotUpdateView(HotspotFormView):
    permission_action = "change"

    def load_object(self):
        self.object = selectors.hotspot_get(user=self.request.user, pk=self.kwargs["pk"], action="change")

    def save(self, data, form):
        return services.hotspot_update(
            actor=self.request.user, hotspot=self.object, data=data, expected_version=form.cleaned_data.get("version")
        )


class HotspotStatusView(ScopedViewMixin, TemplateView):
    permission_model = Hotspot
    permission_action = "change"
    template_name = "registers/hotspot_status_form.html"

    def setup_objects(self):
        self.hotspot = selectors.hotspot_get(user=self.request.user, pk=self.kwargs["pk"], action="change")

    def get(self, request, *args, **kwargs):
        self.setup_objects()
        form = HotspotStatusForm(hotspot=self.hotspot, initial={"to_status": request.GET.get("to", "")})
        return self.render_to_response(self.ctx(form))

    def ctx(self, form):
        return self.get_context_data(form=form, hotspot=self.hotspot, history=list(self.hotspot.status_changes.all()))

    def post(self, request, *args, **kwargs):
        self.setup_objects()
        form = HotspotStatusForm(request.POST, hotspot=self.hotspot)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.hotspot_change_status(
                    actor=request.user,
                    hotspot=self.hotspot,
                    to_status=d["to_status"],
                    changed_on=d["changed_on"],
                    reason=d.get("reason", ""),
                    expected_version=d.get("version"),
                )
            except ValidationError as exc:
                _attach(exc, form)
            else:
                label = HotspotStatus(d["to_status"]).label
                messages.success(request, _("Đã chuyển sang “%(s)s”.") % {"s": label})
                return redirect("registers:hotspot_detail", pk=self.hotspot.pk)
        return self.render_to_response(self.ctx(form), status=_status(form))


class HotspotExportView(RegisterExportView):
    permission_model = Hotspot
    kind = "hotspot"
    filter_form_class = HotspotFilterForm
    filters_class = selectors.HotspotFilters
    selector = selectors.hotspot_list


class HotspotImportView(ScopedImportView):
    resource_class = HotspotResource
    import_kind = "registers.hotspot"
    audit_action = actions.HOTSPOT_IMPORT
    title = gettext_lazy("Nhập điểm, tụ điểm từ tệp Excel")
    template_name = "registers/import.html"
    template_url_name = "registers:hotspot_import_template"
    success_url = reverse_lazy("registers:hotspot_list")


class HotspotImportTemplateView(ImportTemplateView):
    resource_class = HotspotResource
    filename = "mau-nhap-diem-tu-diem.xlsx"


# --- crime cases ---------------------------------------------------------------------------------


class CrimeCaseListView(RegisterListMixin, ScopedListView):
    model = CrimeCase
    template_name = "registers/crimecase_list.html"
    filter_form_class = CrimeCaseFilterForm
    filters_class = selectors.CrimeCaseFilters

    def get_queryset(self):
        return selectors.crime_case_list(user=self.request.user, filters=self.get_filters())


class CrimeCaseDetailView(ScopedDetailView):
    model = CrimeCase
    template_name = "registers/crimecase_detail.html"
    context_object_name = "case"

    def get_object(self, queryset=None):
        return selectors.crime_case_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, case = self.request.user, self.object
        # Names of arrested people are personal data: the opening is recorded.
        services.crime_case_record_view(actor=user, crime_case=case)
        offenders = list(case.offenders.all())
        # Only the case files the user may open (none without the case-file role: visible_to).
        files = selectors.offender_case_files(user=user, crime_case=case)
        for offender in offenders:
            offender.case_file_pk = files.get(offender.person_id)
        ctx.update(offenders=offenders, can_change=scoping.has_action(user, CrimeCase, "change"))
        return ctx


class CrimeCaseFormView(RegisterFormView):
    permission_model = CrimeCase
    template_name = "registers/crimecase_form.html"

    def forms(self, data=None):
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
        return (
            CrimeCaseForm(data, instance=self.object, user=self.request.user),
            OffenderFormSet(data, initial=initial, prefix="o", user=self.request.user),
        )

    def get(self, request, *args, **kwargs):
        self.load_object()
        form, formset = self.forms()
        return self.render_to_response(self.get_context_data(form=form, formset=formset))

    def post(self, request, *args, **kwargs):
        self.load_object()
        form, formset = self.forms(request.POST)
        if form.is_valid() and formset.is_valid():
            d = form.cleaned_data
            data = services.CrimeCaseInput(
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
            offenders = [
                services.OffenderInput(
                    full_name=o["full_name"],
                    sex=o["sex"],
                    arrested_on=o["arrested_on"],
                    birth_year=o.get("birth_year"),
                    person=o.get("person"),
                    pk=o.get("id"),
                )
                for o in formset.cleaned_data
                if o and o.get("full_name") and not o.get("DELETE")
            ]
            try:
                case = self.save(data, offenders, form)
            except ValidationError as exc:
                _attach(exc, form)
            else:
                messages.success(request, _("Đã lưu vụ án %(n)s.") % {"n": case.number})
                return redirect("registers:crimecase_detail", pk=case.pk)
        return self.render_to_response(self.get_context_data(form=form, formset=formset), status=_status(form))


class CrimeCaseCreateView(CrimeCaseFormView):
    permission_action = "add"

    def save(self, data, offenders, form):
        return services.crime_case_create(actor=self.request.user, data=data, offenders=offenders)


class CrimeCaseUpdateView(CrimeCaseFormView):
    permission_action = "change"

    def load_object(self):
        self.object = selectors.crime_case_get(user=self.request.user, pk=self.kwargs["pk"], action="change")

    def save(self, data, offenders, form):
        return services.crime_case_update(
            actor=self.request.user,
            crime_case=self.object,
            data=data,
            offenders=offenders,
            expected_version=form.cleaned_data.get("version"),
        )


class CrimeCaseExportView(RegisterExportView):
    permission_model = CrimeCase
    kind = "crimecase"
    filter_form_class = CrimeCaseFilterForm
    filters_class = selectors.CrimeCaseFilters
    selector = selectors.crime_case_list


class CrimeCaseImportView(ScopedImportView):
    resource_class = CrimeCaseResource
    import_kind = "registers.crimecase"
    audit_action = actions.CRIMECASE_IMPORT
    title = gettext_lazy("Nhập vụ án về ma túy từ tệp Excel")
    template_name = "registers/import.html"
    template_url_name = "registers:crimecase_import_template"
    success_url = reverse_lazy("registers:crimecase_list")


class CrimeCaseImportTemplateView(ImportTemplateView):
    resource_class = CrimeCaseResource
    filename = "mau-nhap-vu-an-ma-tuy.xlsx"


# --- cultivation ---------------------------------------------------------------------------------


class CultivationListView(RegisterListMixin, ScopedListView):
    model = Cultivation
    template_name = "registers/cultivation_list.html"
    filter_form_class = CultivationFilterForm
    filters_class = selectors.CultivationFilters

    def get_queryset(self):
        return selectors.cultivation_list(user=self.request.user, filters=self.get_filters())


class CultivationDetailView(ScopedDetailView):
    model = Cultivation
    template_name = "registers/cultivation_detail.html"
    context_object_name = "item"

    def get_object(self, queryset=None):
        return selectors.cultivation_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_change"] = scoping.has_action(self.request.user, Cultivation, "change")
        return ctx


class CultivationFormView(RegisterFormView):
    permission_model = Cultivation
    template_name = "registers/cultivation_form.html"

    def form(self, data=None):
        return CultivationForm(data, instance=self.object, user=self.request.user)

    def get(self, request, *args, **kwargs):
        self.load_object()
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request, *args, **kwargs):
        self.load_object()
        form = self.form(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            data = services.CultivationInput(
                found_on=d["found_on"],
                species=d["species"],
                commune=d.get("commune"),
                recorded_unit=d.get("recorded_unit"),
                plants=_cleaned(form, "plants", 0),
                area_m2=_cleaned(form, "area_m2", 0),
                destroyed=d.get("destroyed", False),
                village=d.get("village", ""),
                notes=d.get("notes", ""),
            )
            try:
                item = self.save(data, form)
            except ValidationError as exc:
                _attach(exc, form)
            else:
                messages.success(request, _("Đã lưu %(n)s.") % {"n": item.number})
                return redirect("registers:cultivation_detail", pk=item.pk)
        return self.render_to_response(self.get_context_data(form=form), status=_status(form))


class CultivationCreateView(CultivationFormView):
    permission_action = "add"

    def save(self, data, form):
        return services.cultivation_create(actor=self.request.user, data=data)


class CultivationUpdateView(CultivationFormView):
    permission_action = "change"

    def load_object(self):
        self.object = selectors.cultivation_get(user=self.request.user, pk=self.kwargs["pk"], action="change")

    def save(self, data, form):
        return services.cultivation_update(
            actor=self.request.user,
            cultivation=self.object,
            data=data,
            expected_version=form.cleaned_data.get("version"),
        )


class CultivationExportView(RegisterExportView):
    permission_model = Cultivation
    kind = "cultivation"
    filter_form_class = CultivationFilterForm
    filters_class = selectors.CultivationFilters
    selector = selectors.cultivation_list


class CultivationImportView(ScopedImportView):
    resource_class = CultivationResource
    import_kind = "registers.cultivation"
    audit_action = actions.CULTIVATION_IMPORT
    title = gettext_lazy("Nhập số liệu trồng cây có chứa chất ma túy từ tệp Excel")
    template_name = "registers/import.html"
    template_url_name = "registers:cultivation_import_template"
    success_url = reverse_lazy("registers:cultivation_list")


class CultivationImportTemplateView(ImportTemplateView):
    resource_class = CultivationResource
    filename = "mau-nhap-trong-cay-ma-tuy.xlsx"


def _status(form) -> int:
    """409 when the save was refused because someone else saved first, 200 otherwise."""
    errors = form.errors.as_data()
    return 409 if any(e.code == "stale" for field_errors in errors.values() for e in field_errors) else 200

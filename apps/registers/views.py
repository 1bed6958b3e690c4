"""Views of the registers: parse the request, call a selector or a service, render.

Every view is built on core's kit (``core.generic``): 403 without the role, 404 outside the area,
the edited record loaded by ``get_object()`` after the role check.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core import scoping
from apps.core.generic import ExportView, FilteredListView, ServiceFormView
from apps.core.views import ImportTemplateView, ScopedDetailView, ScopedImportView

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


def _cleaned(form, name, default=None):
    value = form.cleaned_data.get(name)
    return default if value in (None, "") else value


class RegisterExportView(ExportView):
    """The filtered list as .xlsx or .csv: scoped, formula-safe, audited. ``of(ListView)`` builds
    a kind's export from its list, so both always filter alike."""

    kind = ""

    @classmethod
    def of(cls, list_view: type[FilteredListView]) -> type[RegisterExportView]:
        attrs = ("filter_form_class", "filters_class", "selector")
        return type(
            f"{list_view.model.__name__}ExportView",
            (cls,),
            {
                "permission_model": list_view.model,
                "kind": list_view.model._meta.model_name,
                **{name: getattr(list_view, name) for name in attrs},
            },
        )

    def export(self, request, queryset, fmt):
        return export_register(
            actor=request.user, kind=self.kind, queryset=queryset, fmt=fmt, filters=request.GET.urlencode()
        )


class RegisterImportView(ScopedImportView):
    """A kind's Excel import: its routes follow the kind's names (``<kind>_import_template``, back
    to ``<kind>_list``)."""

    template_name = "registers/import.html"

    @property
    def _kind(self) -> str:
        return self.resource_class._meta.model._meta.model_name

    @property
    def template_url_name(self) -> str:
        return f"registers:{self._kind}_import_template"

    @property
    def success_url(self) -> str:
        return reverse(f"registers:{self._kind}_list")


class RegisterDetailView(ScopedDetailView):
    """A record's page: loaded through the kind's ``getter`` selector (404 outside the area), with
    ``can_change`` for the edit button."""

    getter = None

    def get_object(self, queryset=None):
        return type(self).getter(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_change"] = scoping.has_action(self.request.user, self.model, "change")
        return ctx


class RegisterListView(FilteredListView):
    """A register's list; with a ``tab_label`` the kind gets its tab in ``registers/_tabs.html``
    (in the order the kinds are declared), shown to the roles that may view it."""

    tab_label = ""
    tabs: list[type[RegisterListView]] = []

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.tab_label:
            RegisterListView.tabs.append(cls)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["register_tabs"] = [
            {
                "kind": (name := view.model._meta.model_name),
                "label": view.tab_label,
                "url": reverse(f"registers:{name}_list"),
                "visible": user.has_perm(f"registers.view_{name}"),
            }
            for view in RegisterListView.tabs
        ]
        return ctx


class RegisterFormView(ServiceFormView):
    """Create or edit one record of a kind; saved, it opens the record's page (``<kind>_detail``);
    cancelled, the record's page or the kind's list. An edit (``permission_action = "change"``)
    loads its record through the kind's ``getter`` selector, after the role check.

    The page is ``registers/form.html``, driven by ``add_title``, ``edit_title`` (a format with
    the record's ``object_label``), ``list_label`` and ``legend``: a simple kind needs no template."""

    getter = None
    template_name = "registers/form.html"
    add_title = ""
    edit_title = ""
    list_label = ""
    legend = ""

    def object_label(self, obj) -> str:
        return obj.number

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.object is not None:
            label = self.object_label(self.object)
            ctx.update(title=self.edit_title % {"n": label}, object_label=label)
        else:
            ctx["title"] = self.add_title
        ctx.update(list_label=self.list_label, legend=self.legend)
        return ctx

    def get_object(self):
        if self.permission_action != "change":
            return None
        return type(self).getter(user=self.request.user, pk=self.kwargs["pk"], action="change")

    def success_url(self, obj):
        return reverse(f"registers:{self.get_permission_model()._meta.model_name}_detail", args=[obj.pk])

    def cancel_url(self):
        name = self.get_permission_model()._meta.model_name
        if self.object is not None:
            return reverse(f"registers:{name}_detail", args=[self.object.pk])
        return reverse(f"registers:{name}_list")


# --- hotspots ------------------------------------------------------------------------------------


class HotspotListView(RegisterListView):
    model = Hotspot
    template_name = "registers/hotspot_list.html"
    tab_label = gettext_lazy("Điểm, tụ điểm")
    filter_form_class = HotspotFilterForm
    filters_class = selectors.HotspotFilters
    selector = selectors.hotspot_list


class HotspotDetailView(RegisterDetailView):
    model = Hotspot
    getter = selectors.hotspot_get
    template_name = "registers/hotspot_detail.html"
    context_object_name = "hotspot"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, hotspot = self.request.user, self.object
        ctx.update(
            history=list(hotspot.status_changes.all()),
            linked_cases=selectors.hotspot_linked_cases(user=user, hotspot=hotspot),
            next_statuses=[HotspotStatus(s) for s in services.allowed_statuses(hotspot.status)]
            if ctx["can_change"]
            else [],
        )
        return ctx


class HotspotFormView(RegisterFormView):
    permission_model = Hotspot
    getter = selectors.hotspot_get
    template_name = "registers/hotspot_form.html"
    add_title = gettext_lazy("Thêm điểm, tụ điểm")
    edit_title = gettext_lazy("Sửa “%(n)s”")
    list_label = gettext_lazy("Điểm, tụ điểm")
    legend = gettext_lazy("Điểm, tụ điểm")

    def object_label(self, obj) -> str:
        return obj.name

    def get_form(self, data=None, files=None):
        return HotspotForm(data, instance=self.object, user=self.request.user)

    def _input(self, form) -> services.HotspotInput:
        d = form.cleaned_data
        return services.HotspotInput(
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

    def success_message(self, obj):
        return _("Đã lưu điểm, tụ điểm “%(n)s”.") % {"n": obj.name}


class HotspotCreateView(HotspotFormView):
    permission_action = "add"

    def save(self, form):
        d = form.cleaned_data
        return services.hotspot_create(
            actor=self.request.user,
            data=self._input(form),
            status=d.get("status") or HotspotStatus.ACTIVE,
            status_since=d.get("status_since"),
        )


class HotspotUpdateView(HotspotFormView):
    permission_action = "change"

    def save(self, form):
        return services.hotspot_update(
            actor=self.request.user,
            hotspot=self.object,
            data=self._input(form),
            expected_version=form.cleaned_data.get("version"),
        )


class HotspotStatusView(ServiceFormView):
    permission_model = Hotspot
    permission_action = "change"
    template_name = "registers/hotspot_status_form.html"

    def get_object(self):
        return selectors.hotspot_get(user=self.request.user, pk=self.kwargs["pk"], action="change")

    def get_form(self, data=None, files=None):
        if data is None:
            return HotspotStatusForm(hotspot=self.object, initial={"to_status": self.request.GET.get("to", "")})
        return HotspotStatusForm(data, hotspot=self.object)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(hotspot=self.object, history=list(self.object.status_changes.all()))
        return ctx

    def save(self, form):
        d = form.cleaned_data
        services.hotspot_change_status(
            actor=self.request.user,
            hotspot=self.object,
            to_status=d["to_status"],
            changed_on=d["changed_on"],
            reason=d.get("reason", ""),
            expected_version=d.get("version"),
        )
        self.to_status = d["to_status"]
        return self.object

    def success_url(self, obj):
        return reverse("registers:hotspot_detail", args=[obj.pk])

    def success_message(self, obj):
        return _("Đã chuyển sang “%(s)s”.") % {"s": HotspotStatus(self.to_status).label}


HotspotExportView = RegisterExportView.of(HotspotListView)


class HotspotImportView(RegisterImportView):
    resource_class = HotspotResource
    import_kind = "registers.hotspot"
    audit_action = actions.HOTSPOT_IMPORT
    title = gettext_lazy("Nhập điểm, tụ điểm từ tệp Excel")


class HotspotImportTemplateView(ImportTemplateView):
    resource_class = HotspotResource
    filename = "mau-nhap-diem-tu-diem.xlsx"


# --- crime cases ---------------------------------------------------------------------------------


class CrimeCaseListView(RegisterListView):
    model = CrimeCase
    template_name = "registers/crimecase_list.html"
    tab_label = gettext_lazy("Vụ án về ma túy")
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
        services.crime_case_record_view(actor=user, crime_case=case)
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

    def _input(self, form) -> services.CrimeCaseInput:
        d = form.cleaned_data
        return services.CrimeCaseInput(
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

    def _offenders(self, form) -> list[services.OffenderInput]:
        return [
            services.OffenderInput(
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


class CrimeCaseCreateView(CrimeCaseFormView):
    permission_action = "add"

    def save(self, form):
        return services.crime_case_create(
            actor=self.request.user, data=self._input(form), offenders=self._offenders(form)
        )


class CrimeCaseUpdateView(CrimeCaseFormView):
    permission_action = "change"

    def save(self, form):
        return services.crime_case_update(
            actor=self.request.user,
            crime_case=self.object,
            data=self._input(form),
            offenders=self._offenders(form),
            expected_version=form.cleaned_data.get("version"),
        )


CrimeCaseExportView = RegisterExportView.of(CrimeCaseListView)


class CrimeCaseImportView(RegisterImportView):
    resource_class = CrimeCaseResource
    import_kind = "registers.crimecase"
    audit_action = actions.CRIMECASE_IMPORT
    title = gettext_lazy("Nhập vụ án về ma túy từ tệp Excel")


class CrimeCaseImportTemplateView(ImportTemplateView):
    resource_class = CrimeCaseResource
    filename = "mau-nhap-vu-an-ma-tuy.xlsx"


# --- cultivation ---------------------------------------------------------------------------------


class CultivationListView(RegisterListView):
    model = Cultivation
    template_name = "registers/cultivation_list.html"
    tab_label = gettext_lazy("Trồng cây có chứa chất ma túy")
    filter_form_class = CultivationFilterForm
    filters_class = selectors.CultivationFilters
    selector = selectors.cultivation_list


class CultivationDetailView(RegisterDetailView):
    model = Cultivation
    getter = selectors.cultivation_get
    template_name = "registers/cultivation_detail.html"
    context_object_name = "item"


class CultivationFormView(RegisterFormView):
    permission_model = Cultivation
    getter = selectors.cultivation_get
    add_title = gettext_lazy("Thêm vụ phát hiện cây có chứa chất ma túy")
    edit_title = gettext_lazy("Sửa %(n)s")
    list_label = gettext_lazy("Trồng cây có chứa chất ma túy")
    legend = gettext_lazy("Phát hiện, triệt phá")

    def get_form(self, data=None, files=None):
        return CultivationForm(data, instance=self.object, user=self.request.user)

    def _input(self, form) -> services.CultivationInput:
        d = form.cleaned_data
        return services.CultivationInput(
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

    def success_message(self, obj):
        return _("Đã lưu %(n)s.") % {"n": obj.number}


class CultivationCreateView(CultivationFormView):
    permission_action = "add"

    def save(self, form):
        return services.cultivation_create(actor=self.request.user, data=self._input(form))


class CultivationUpdateView(CultivationFormView):
    permission_action = "change"

    def save(self, form):
        return services.cultivation_update(
            actor=self.request.user,
            cultivation=self.object,
            data=self._input(form),
            expected_version=form.cleaned_data.get("version"),
        )


CultivationExportView = RegisterExportView.of(CultivationListView)


class CultivationImportView(RegisterImportView):
    resource_class = CultivationResource
    import_kind = "registers.cultivation"
    audit_action = actions.CULTIVATION_IMPORT
    title = gettext_lazy("Nhập số liệu trồng cây có chứa chất ma túy từ tệp Excel")


class CultivationImportTemplateView(ImportTemplateView):
    resource_class = CultivationResource
    filename = "mau-nhap-trong-cay-ma-tuy.xlsx"

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from apps.audit import actions
from apps.core import scoping
from apps.core.locking import version_missing_error
from apps.core.views import ImportTemplateView, ScopedDetailView, ScopedImportView, ScopedListView, ScopedViewMixin

from . import selectors, services
from .choices import Level
from .forms import PopulationForm
from .models import AdministrativeUnit, UnitPopulation
from .resources import PopulationResource


class UnitListView(ScopedListView):
    model = AdministrativeUnit
    template_name = "areas/unit_list.html"
    paginate_by = 50

    def get_queryset(self):
        params = self.request.GET
        return selectors.unit_list(
            user=self.request.user,
            query=params.get("q", ""),
            include_former=params.get("former") == "1",
            level=params.get("level", "") if params.get("level") in Level.values else "",
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            q=self.request.GET.get("q", ""),
            former=self.request.GET.get("former") == "1",
            level=self.request.GET.get("level", ""),
            levels=Level.choices,
        )
        return ctx


class UnitDetailView(ScopedDetailView):
    model = AdministrativeUnit
    template_name = "areas/unit_detail.html"
    context_object_name = "unit"

    def get_object(self, queryset=None):
        return selectors.unit_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        unit = self.object
        ctx["ancestors"] = _ancestors(unit)
        # A commune officer's unit has a parent outside their scope: show it, but do not link to a 404.
        ctx["parent_visible"] = unit.parent_id is not None and scoping.can(self.request.user, "view", unit.parent)
        # A former commune split between several new ones names them all, but links only those the
        # viewer may open (the others would answer 404): the same for predecessors and children.
        ctx["openable_ids"] = set(scoping.visible_unit_ids(self.request.user))
        ctx["successions"] = list(unit.successions.all())
        ctx["predecessions"] = list(unit.predecessions.all())
        ctx["children"] = list(unit.children.all())
        ctx["populations"] = list(unit.populations.all())
        ctx["can_edit_population"] = unit.is_current and scoping.has_action(
            self.request.user, UnitPopulation, "change"
        )
        return ctx


def _ancestors(unit):
    chain = []
    node = unit.parent
    while node is not None:
        chain.append(node)
        node = node.parent
    return list(reversed(chain))


class PopulationEditView(ScopedViewMixin, FormView):
    """Enter or correct a unit's resident population for a year (audited, optimistic locking)."""

    model = AdministrativeUnit
    permission_model = UnitPopulation
    permission_action = "change"
    form_class = PopulationForm
    template_name = "areas/population_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.unit = None
        return super().dispatch(request, *args, **kwargs)

    def get_object(self):
        if self.unit is None:
            self.unit = scoping.get_visible_or_404(
                AdministrativeUnit.objects.current().select_related("parent"), self.request.user, pk=self.kwargs["pk"]
            )
        return self.unit

    def get_initial(self):
        initial = super().get_initial()
        year = self.request.GET.get("year")
        if year and year.isdigit():
            record = selectors.population_for(unit=self.get_object(), year=int(year))
            if record:
                initial.update(
                    year=record.year, population=record.population, source=record.source, version=record.version
                )
        return initial

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["unit"] = self.get_object()
        return ctx

    def form_valid(self, form):
        data = form.cleaned_data
        if data.get("version") is None and selectors.population_for(unit=self.get_object(), year=data["year"]):
            # Changing a year already recorded: without the version a colleague's figure is overwritten.
            form.add_error(None, version_missing_error())
            return self.form_invalid(form)
        try:
            services.population_set(
                actor=self.request.user,
                unit=self.get_object(),
                year=data["year"],
                population=data["population"],
                source=data["source"],
                expected_version=data.get("version"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã lưu dân số năm %(year)s.") % {"year": data["year"]})
        return redirect(reverse("areas:unit_detail", args=[self.get_object().pk]))


class PopulationImportView(ScopedImportView):
    resource_class = PopulationResource
    import_kind = "population"
    audit_action = actions.POPULATION_IMPORT
    title = gettext_lazy("Nhập dân số từ tệp Excel")
    template_url_name = "areas:population_template"
    success_url = reverse_lazy("areas:unit_list")


class PopulationTemplateView(ImportTemplateView):
    resource_class = PopulationResource
    filename = "mau-nhap-dan-so.xlsx"

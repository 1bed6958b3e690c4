"""Pages of commune classification. Views only parse input and render; reads go through
``selectors`` (scoped), writes through ``services`` (audited). Every view uses the scoped mixins of
``apps.core.views``: a missing role answers 403, an object outside the user's area 404."""

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from apps.areas.models import AdministrativeUnit
from apps.core import scoping
from apps.core.generic import attach_errors
from apps.core.locking import version_missing_error
from apps.core.views import ScopedListView, ScopedViewMixin

from . import rules, selectors, services
from .choices import RouteKind
from .forms import (
    ApproveForm,
    KeyRouteForm,
    MapFiguresForm,
    OverrideForm,
    RuleSetImportForm,
    RunForm,
    TableFilterForm,
)
from .models import Assessment, AssessmentResult, KeyRoute, RuleSet


def _error_messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _spec_context(spec: rules.RuleSetSpec) -> dict:
    """Levels with their criteria and the threshold text, for the criteria tables."""
    return {
        "spec": spec,
        "levels": [
            {
                "level": level,
                "criteria": [{"c": c, "threshold": rules.criterion_threshold_text(c, spec)} for c in level.criteria],
            }
            for level in spec.ordered_levels()
        ],
        "unverified_count": spec.unverified_count(),
    }


class _ObjectOnceMixin:
    """The page's object from ``load_object()``, read once per request however many steps ask for
    it, and only after ``dispatch()`` checked the role (403 before an out-of-scope 404)."""

    _object = None

    def get_object(self):
        if self._object is None:
            self._object = self.load_object()
        return self._object


# --- rule sets ----------------------------------------------------------------------------------


class RuleSetListView(ScopedViewMixin, TemplateView):
    permission_model = RuleSet
    template_name = "classification/ruleset_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rule_sets"] = selectors.ruleset_list()
        ctx["can_import"] = scoping.has_action(self.request.user, RuleSet, "import")
        return ctx


class RuleSetDetailView(ScopedViewMixin, TemplateView):
    permission_model = RuleSet
    template_name = "classification/ruleset_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        rule_set = selectors.ruleset_get(pk=self.kwargs["pk"])
        ctx.update(_spec_context(selectors.ruleset_spec(rule_set)))
        ctx["rule_set"] = rule_set
        ctx.update(scoping.can_flags(self.request.user, RuleSet, "export", "import"))
        ctx["can_set_parameters"] = scoping.has_action(self.request.user, Assessment, "run")
        return ctx


class RuleSetExportView(ScopedViewMixin, View):
    """The rule set as a readable JSON file (the same format ``import_ruleset`` reads)."""

    permission_model = RuleSet
    permission_action = "export"

    def get(self, request, pk):
        rule_set = selectors.ruleset_get(pk=pk)
        data = selectors.ruleset_export_data(rule_set)
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2) + "\n", content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{rule_set.code}-v{rule_set.version}.json"'
        return response


class RuleSetImportView(ScopedViewMixin, FormView):
    """Upload a rule set file: validated as a whole, refused with every error, or imported."""

    permission_model = RuleSet
    permission_action = "import"
    form_class = RuleSetImportForm
    template_name = "classification/ruleset_import.html"

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            rule_set = services.ruleset_import(
                actor=self.request.user,
                content=upload.read(),
                replace=form.cleaned_data["replace"],
                filename=upload.name,
            )
        except ValidationError as exc:
            return self.render_to_response(self.get_context_data(form=form, import_errors=_error_messages(exc)))
        messages.success(
            self.request,
            _("Đã nhập bộ tiêu chí %(code)s, phiên bản %(v)s.") % {"code": rule_set.code, "v": rule_set.version},
        )
        return redirect("classification:ruleset_detail", pk=rule_set.pk)


class RuleSetParameterView(ScopedViewMixin, View):
    """POST: set the lower bound of an unverified threshold (an assumed parameter)."""

    permission_model = Assessment
    permission_action = "run"

    def post(self, request, pk):
        rule_set = selectors.ruleset_get(pk=pk)
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = None
        try:
            if version is None:
                # Without the version it was opened at, a stale page would overwrite a newer bound.
                raise version_missing_error()
            rule_set = services.ruleset_set_parameter(
                actor=request.user,
                rule_set=rule_set,
                level_code=request.POST.get("level", ""),
                criterion_code=request.POST.get("criterion", ""),
                threshold=request.POST.get("threshold", "").strip().replace(",", "."),
                expected_version=version,
            )
        except ValidationError as exc:
            for message in _error_messages(exc):
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Đã lưu tham số, bộ tiêu chí lên phiên bản %(v)s. Chạy lại phân loại để áp dụng.")
                % {"v": rule_set.version},
            )
        return redirect("classification:ruleset_detail", pk=pk)


# --- classification table, assessments -----------------------------------------------------------


class ClassificationTableView(ScopedViewMixin, TemplateView):
    """The approved classification of a year under a rule set: every commune the user may see."""

    permission_model = AssessmentResult
    template_name = "classification/table.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        form = TableFilterForm(self.request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        years = selectors.published_years(user=user)
        year = data.get("year") or (years[0] if years else timezone.localdate().year - 1)
        rule_set = data.get("ruleset")
        approved = selectors.approved_assessment(year=year, rule_set=rule_set)
        if rule_set is None:
            rule_set = approved.rule_set if approved else selectors.ruleset_for_year(year)
        can_manage = scoping.has_action(user, Assessment, "view")
        ctx.update(
            form=form,
            year=year,
            years=years,
            rule_set=rule_set,
            rule_sets=RuleSet.objects.order_by("-effective_from"),
            assessment=approved,
            table=selectors.classification_table(user=user, assessment=approved, level=data.get("level") or "")
            if approved
            else None,
            can_manage=can_manage,
            can_run=scoping.has_action(user, Assessment, "run"),
            runs=list(selectors.assessments_for(year=year, rule_set=rule_set)[:20]) if can_manage else [],
            can_view_routes=scoping.has_action(user, KeyRoute, "view"),
        )
        if approved:
            ctx.update(_spec_context(approved.spec))
            ctx["counts_base_url"] = (
                f"{reverse('classification:table')}?{urlencode({'year': year, 'ruleset': approved.rule_set.code})}&"
            )
        return ctx


class MapFiguresView(ScopedViewMixin, TemplateView):
    """People with a management record in a past year per unit, on the map of that time or
    converted to today's communes (issue 10 §4): what a past classification rests on."""

    permission_model = Assessment
    permission_action = "run"
    template_name = "classification/map_figures.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = MapFiguresForm(self.request.GET or {"year": 2019, "map_choice": "time"})
        data = form.cleaned_data if form.is_valid() else {"year": 2019, "map_choice": "time"}
        ctx.update(
            form=form,
            figures=selectors.map_figures(
                user=self.request.user, year=data["year"], map_choice=data.get("map_choice") or ""
            ),
        )
        return ctx


class AssessmentDetailView(ScopedViewMixin, TemplateView):
    """One run (proposal, approved or superseded): the table, the changes against the approved
    assessment of the same year, and the approve/override actions."""

    permission_model = Assessment
    template_name = "classification/assessment_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        assessment = selectors.assessment_get(user=user, pk=self.kwargs["pk"])
        level = self.request.GET.get("level", "")
        ctx.update(_spec_context(assessment.spec))
        ctx.update(
            assessment=assessment,
            table=selectors.classification_table(user=user, assessment=assessment, level=level),
            diff=selectors.assessment_diff(user=user, assessment=assessment),
            can_approve=assessment.is_proposed and scoping.has_action(user, Assessment, "approve"),
            can_override=assessment.is_proposed and scoping.has_action(user, Assessment, "override"),
            counts_base_url=f"{reverse('classification:assessment_detail', args=[assessment.pk])}?",
        )
        return ctx


class AssessmentRunView(ScopedViewMixin, FormView):
    permission_model = Assessment
    permission_action = "run"
    form_class = RunForm
    template_name = "classification/assessment_run.html"

    def get_initial(self):
        initial = super().get_initial()
        year = self.request.GET.get("year", "")
        initial["year"] = int(year) if year.isdigit() else timezone.localdate().year - 1
        code = self.request.GET.get("ruleset", "")
        rule_set = RuleSet.objects.filter(code=code).first() if code else selectors.ruleset_for_year(initial["year"])
        if rule_set:
            initial["rule_set"] = rule_set.pk
        return initial

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            assessment = services.assessment_run(
                actor=self.request.user,
                rule_set=data["rule_set"],
                year=data["year"],
                note=data.get("note", ""),
                map_choice=data.get("map_choice") or "",
            )
        except (PermissionDenied, ValidationError) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Đã chạy phân loại năm %(y)s theo %(code)s cho %(n)s xã, phường (đề xuất, chưa phê duyệt).")
            % {"y": assessment.year, "code": assessment.rule_set.code, "n": assessment.results.count()},
        )
        return redirect("classification:assessment_detail", pk=assessment.pk)


class AssessmentApproveView(_ObjectOnceMixin, ScopedViewMixin, FormView):
    permission_model = Assessment
    permission_action = "approve"
    form_class = ApproveForm
    template_name = "classification/assessment_approve.html"

    def load_object(self):
        return selectors.assessment_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        assessment = self.get_object()
        ctx.update(
            assessment=assessment,
            table=selectors.classification_table(user=user, assessment=assessment),
            diff=selectors.assessment_diff(user=user, assessment=assessment),
        )
        return ctx

    def form_valid(self, form):
        try:
            services.assessment_approve(actor=self.request.user, assessment=self.get_object())
        except (PermissionDenied, ValidationError) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Đã phê duyệt kết quả phân loại."))
        return redirect("classification:assessment_detail", pk=self.get_object().pk)


class ResultDetailView(ScopedViewMixin, TemplateView):
    """Why a commune got its level: every criterion of every level with value, threshold, result
    and reason, plus the indicators and any override."""

    permission_model = AssessmentResult
    template_name = "classification/result_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        result = selectors.result_get(user=user, pk=self.kwargs["pk"])
        indicators = rules.Indicators.from_dict(result.indicators)
        used = rules.indicators_used(result.assessment.spec)
        ctx.update(
            result=result,
            assessment=result.assessment,
            explanation=result.explanation,
            indicator_rows=[
                {
                    "code": code,
                    "label": rules.INPUTS[code].label,
                    "value": rules.format_value(indicators.lookup(code)[0], rules.INPUTS[code].unit),
                    "missing": indicators.lookup(code)[1],
                    "detail": indicators.details.get(code, ""),
                }
                for code in used
                if code in rules.INPUTS
            ],
            population=indicators.details.get("population", ""),
            can_override=result.assessment.is_proposed and scoping.has_action(user, Assessment, "override"),
            can_view_assessment=scoping.has_action(user, Assessment, "view"),
        )
        return ctx


class ResultOverrideView(_ObjectOnceMixin, ScopedViewMixin, FormView):
    permission_model = Assessment
    permission_action = "override"
    form_class = OverrideForm
    template_name = "classification/result_override.html"

    def load_object(self):
        return selectors.result_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["spec"] = self.get_object().assessment.spec
        return kwargs

    def get_initial(self):
        result = self.get_object()
        return {"level": result.final_level if result.final_level != rules.UNDETERMINED else ""}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["result"] = self.get_object()
        ctx["assessment"] = self.get_object().assessment
        return ctx

    def form_valid(self, form):
        result = self.get_object()
        try:
            services.assessment_override(
                actor=self.request.user,
                result=result,
                level=form.cleaned_data["level"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            attach_errors(exc, form)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã điều chỉnh loại của %(c)s.") % {"c": result.commune.full_name})
        return redirect("classification:assessment_detail", pk=result.assessment_id)


class CommuneHistoryView(ScopedViewMixin, TemplateView):
    """A commune's classification over the years, every run kept (approved, superseded, proposals)."""

    permission_model = AssessmentResult
    template_name = "classification/commune_history.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        commune = scoping.get_visible_or_404(
            AdministrativeUnit.objects.filter(level="commune"), user, pk=self.kwargs["pk"]
        )
        history = selectors.commune_history(user=user, commune=commune)
        ctx.update(commune=commune, history=history, can_view_assessment=scoping.has_action(user, Assessment, "view"))
        return ctx


# --- key routes ---------------------------------------------------------------------------------


class KeyRouteListView(ScopedListView):
    model = KeyRoute
    template_name = "classification/keyroute_list.html"
    paginate_by = 50

    def get_queryset(self):
        year = self.request.GET.get("year", "")
        self.year = int(year) if year.isdigit() else None
        return selectors.keyroute_list(user=self.request.user, year=self.year)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["year"] = self.year
        ctx["kinds"] = RouteKind.choices
        ctx.update(scoping.can_flags(self.request.user, KeyRoute, "add", "change", "delete"))
        return ctx


class KeyRouteFormMixin(ScopedViewMixin, FormView):
    permission_model = KeyRoute
    form_class = KeyRouteForm
    template_name = "classification/keyroute_form.html"
    route = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kwargs["instance"] = self.route
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["route"] = self.route
        return ctx

    def form_valid(self, form):
        data = {k: form.cleaned_data[k] for k in services.KEYROUTE_FIELDS}
        try:
            route = self.save(data, form)
        except ValidationError as exc:
            attach_errors(exc, form)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã lưu tuyến “%(n)s”.") % {"n": route.name})
        return redirect(reverse("classification:keyroute_list") + f"?year={route.year}")


class KeyRouteCreateView(KeyRouteFormMixin):
    permission_action = "add"

    def get_initial(self):
        return {"year": timezone.localdate().year}

    def save(self, data, form):
        return services.keyroute_create(actor=self.request.user, data=data)


class KeyRouteUpdateView(KeyRouteFormMixin):
    permission_action = "change"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and scoping.has_action(request.user, KeyRoute, "change"):
            self.route = selectors.keyroute_get(user=request.user, pk=kwargs["pk"], action="change")
        return super().dispatch(request, *args, **kwargs)

    def save(self, data, form):
        return services.keyroute_update(
            actor=self.request.user, route=self.route, data=data, expected_version=form.cleaned_data.get("version")
        )


class KeyRouteDeleteView(ScopedViewMixin, TemplateView):
    permission_model = KeyRoute
    permission_action = "delete"
    template_name = "classification/keyroute_confirm_delete.html"

    def get_route(self):
        return selectors.keyroute_get(user=self.request.user, pk=self.kwargs["pk"], action="delete")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["route"] = self.get_route()
        return ctx

    def post(self, request, *args, **kwargs):
        route = self.get_route()
        year = route.year
        services.keyroute_delete(actor=request.user, route=route)
        messages.success(request, _("Đã xóa tuyến “%(n)s”.") % {"n": route.name})
        return redirect(reverse("classification:keyroute_list") + f"?year={year}")

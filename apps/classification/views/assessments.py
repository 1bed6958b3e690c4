"""The classification table, the map figures, and the assessments: running, reading and approving one."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from apps.core import scoping
from apps.core.views import ScopedViewMixin

from .. import selectors, services
from ..forms import ApproveForm, MapFiguresForm, RunForm, TableFilterForm
from ..models import Assessment, AssessmentResult, KeyRoute, RuleSet
from .common import ObjectOnceMixin, spec_context


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
            ctx.update(spec_context(approved.spec))
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
        ctx.update(spec_context(assessment.spec))
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


class AssessmentApproveView(ObjectOnceMixin, ScopedViewMixin, FormView):
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

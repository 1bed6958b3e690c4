"""One commune's result (why its level, the officer's override) and its classification over the years."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from apps.areas.models import AdministrativeUnit
from apps.core import scoping
from apps.core.generic import attach_errors
from apps.core.views import ScopedViewMixin

from .. import rules, selectors, services
from ..forms import OverrideForm
from ..models import Assessment, AssessmentResult
from .common import ObjectOnceMixin


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


class ResultOverrideView(ObjectOnceMixin, ScopedViewMixin, FormView):
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

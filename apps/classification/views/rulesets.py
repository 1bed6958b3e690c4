"""Rule-set pages: the list, one rule set's criteria, its JSON export and import, and setting a
parameter."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from apps.core import scoping
from apps.core.locking import version_missing_error
from apps.core.views import ScopedViewMixin

from .. import selectors, services
from ..forms import RuleSetImportForm
from ..models import Assessment, RuleSet
from .common import spec_context


def _error_messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


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
        ctx.update(spec_context(selectors.ruleset_spec(rule_set)))
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

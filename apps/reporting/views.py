"""Pages of reporting: dashboards (province / scope, commune), the submission status board and a
commune's submission page (submit, return, approve, reopen). Views only parse input and render;
reads go through ``selectors`` (scoped: 404 outside the user's area), writes through ``services``
(audited). A missing role answers 403."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from apps.areas.choices import Level
from apps.areas.models import AdministrativeUnit
from apps.cases.selectors import worklist as case_worklist
from apps.core.locking import version_missing_error
from apps.core.prepared import prepared
from apps.prevention.selectors import target_board

from . import indicators, maps, selectors, services
from .forms import ApproveForm, PeriodForm, ReasonForm, ReturnForm, SubmitForm
from .models import SubmissionStatus

SORTS = ["name", "level", *selectors.TABLE_CODES]


class PermissionRequiredMixin:
    """403 unless the user holds ``required_perm`` (anonymous users are sent to the login page by
    the login-required middleware before this runs)."""

    required_perm = services.VIEW_PERM

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.required_perm):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PeriodMixin:
    def get_map_choice(self) -> str:
        """``?map=converted``: a past period converted to today's communes (default: its own map)."""
        return maps.parse_choice(self.request.GET.get("map"))

    def map_query(self) -> str:
        return "&map=converted" if self.get_map_choice() == maps.CONVERTED else ""

    def get_period(self):
        source = self.request.POST if self.request.method == "POST" else self.request.GET
        submitted = PeriodForm(source or None)
        period = submitted.period()
        self.period_form = PeriodForm(initial=PeriodForm.initial_for(period))
        self.period_form.refused = submitted.rejected  # said on the page, not silently replaced
        return period


def _commune_or_404(user, pk: int) -> AdministrativeUnit:
    """A current commune inside the user's scope (404 otherwise, like a missing one)."""
    found = _commune_unit(pk=int(pk), level=Level.COMMUNE)
    if not found:
        raise Http404
    services.scoped_commune_ids(user, found[0])
    return found[0]


@prepared
def _commune_unit(*, pk: int, level: str):
    return AdministrativeUnit.objects.current().filter(pk=pk, level=level)


def _figure_groups(values: dict, snapshot_values: dict | None) -> list:
    """Indicators by group: (title, [(code, definition, current value, submitted value)])."""
    return [
        (
            title,
            [
                (code, d, values.get(code), snapshot_values.get(code) if snapshot_values else None)
                for code, d in indicators.INDICATORS.items()
                if d.group == group
            ],
        )
        for group, title in indicators.GROUPS.items()
    ]


def _targets(user, dash=None):
    """The plan targets over the user's whole scope; ``dash``: that scope's dashboard, whose
    communes and data stamps the targets then reuse."""
    if not user.has_perm("prevention.view_target"):
        return None
    if dash is None:
        board = target_board(user=user)
    else:
        board = target_board(user=user, commune_ids=dash.commune_ids, stamps=dash.stamps)
    board.url = reverse("prevention:target_list")
    return board


class DashboardView(PermissionRequiredMixin, PeriodMixin, TemplateView):
    """The dashboard of the user's whole scope (the province for province staff), or with
    ``?unit=`` of one unit inside it (a province of a national scope; a commune redirects)."""

    template_name = "reporting/dashboard.html"

    def _unit(self) -> AdministrativeUnit | None:
        raw = self.request.GET.get("unit", "")
        if not raw:
            return None
        if not raw.isdigit():
            raise Http404
        try:
            unit = AdministrativeUnit.objects.current().get(pk=int(raw))
        except AdministrativeUnit.DoesNotExist as exc:
            raise Http404 from exc
        services.scoped_commune_ids(self.request.user, unit)  # 404 outside the scope
        return unit

    def get(self, request, *args, **kwargs):
        unit = self._unit()
        if unit is not None and unit.level == Level.COMMUNE:
            query = request.GET.copy()
            query.pop("unit")
            url = reverse("reporting:commune_dashboard", kwargs={"pk": unit.pk})
            return redirect(f"{url}?{query.urlencode()}" if query else url)
        self.unit = unit
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        period = self.get_period()
        sort = self.request.GET.get("sort", "")
        if sort.lstrip("-") not in SORTS:
            sort = ""
        unit = self.unit
        dash = selectors.dashboard(user=user, unit=unit, period=period, sort=sort, map_choice=self.get_map_choice())
        area = unit or getattr(user, "area", None)
        ctx.update(
            dash=dash,
            period=period,
            period_form=self.period_form,
            scope_label=area.full_name if area else "Toàn hệ thống",
            unit=unit,
            period_query=selectors.period_query(period) + (f"&unit={unit.pk}" if unit else "") + self.map_query(),
            map_choices=maps.CHOICES,
            table_columns=[
                (code, short, indicators.INDICATORS[code]) for code, short in selectors.TABLE_COLUMNS.items()
            ],
            table_codes=selectors.TABLE_CODES,
            indicator_defs=indicators.INDICATORS,
            # the plan's targets read the same records: cached under the same data stamp
            targets=selectors.cached(
                "targets",
                [user.pk, dash.commune_ids, str(timezone.localdate())],
                lambda: _targets(user, dash if unit is None else None),
                dash.stamp,
            ),
            sort=sort,
            can_board=user.has_perm("reporting.view_submission"),
        )
        return ctx


class CommuneDashboardView(PermissionRequiredMixin, PeriodMixin, TemplateView):
    template_name = "reporting/commune_dashboard.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        commune = _commune_or_404(user, self.kwargs["pk"])
        period = self.get_period()
        dash = selectors.dashboard(
            user=user, unit=commune, period=period, with_table=False, map_choice=self.get_map_choice()
        )
        worklist = None
        # The worklist covers the user's whole scope: shown only when that scope is this commune.
        if user.has_perm("cases.view_casefile") and services.scoped_commune_ids(user) == [commune.pk]:
            worklist = case_worklist(user=user, limit=0).counts
        ctx.update(
            dash=dash,
            commune=commune,
            period=period,
            period_form=self.period_form,
            period_query=selectors.period_query(period) + self.map_query(),
            map_choices=maps.CHOICES,
            worklist=worklist,
            can_board=user.has_perm("reporting.view_submission"),
        )
        return ctx


class StatusBoardView(PermissionRequiredMixin, PeriodMixin, TemplateView):
    required_perm = "reporting.view_submission"
    template_name = "reporting/status_board.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        period = self.get_period()
        state = self.request.GET.get("state", "")
        if state not in selectors.BOARD_STATES:
            state = ""
        board = selectors.status_board(user=self.request.user, period=period, state=state)
        ctx.update(
            board=board,
            count_items=[(code, label, board.counts[code]) for code, (label, _b) in selectors.BOARD_STATES.items()],
            period=period,
            period_form=self.period_form,
            period_query=selectors.period_query(period),
        )
        return ctx


class SubmissionView(PermissionRequiredMixin, PeriodMixin, TemplateView):
    """A commune's figures for a period and what can be done with them: submit (commune officer),
    return with a reason, approve, reopen with a reason (province staff)."""

    required_perm = "reporting.view_submission"
    template_name = "reporting/submission.html"

    def setup_objects(self):
        user = self.request.user
        self.commune = _commune_or_404(user, self.kwargs["pk"])
        self.period = self.get_period()
        self.submission = selectors.submission_for(user=user, commune=self.commune, period=self.period)

    def get(self, request, *args, **kwargs):
        self.setup_objects()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        submission = self.submission
        status = submission.status if submission else SubmissionStatus.DRAFT
        figures = services.figures_for(user=user, unit=self.commune, period=self.period, with_breakdowns=False)
        snapshot_values = (
            services.parse_values((submission.snapshot or {}).get("indicators"))
            if submission and submission.snapshot
            else None
        )
        groups = _figure_groups(figures.values, snapshot_values)
        period_ended = services.today() > self.period.end
        can_submit = user.has_perm(services.SUBMIT_PERM) and status in (
            SubmissionStatus.DRAFT,
            SubmissionStatus.RETURNED,
        )
        can_review = user.has_perm(services.REVIEW_PERM)
        ctx.update(
            commune=self.commune,
            period=self.period,
            period_form=self.period_form,
            period_query=selectors.period_query(self.period),
            submission=submission,
            status=status,
            state=selectors.board_state(submission, self.period, services.today()),
            states=selectors.BOARD_STATES,
            figures=figures,
            groups=groups,
            period_ended=period_ended,
            can_submit=can_submit and period_ended,
            can_return=can_review and status == SubmissionStatus.SUBMITTED,
            can_approve=can_review and status == SubmissionStatus.SUBMITTED,
            approve_url=_review_url("reporting:submission_approve", self.commune, self.period),
            return_url=_review_url("reporting:submission_return", self.commune, self.period),
            can_reopen=can_review and status == SubmissionStatus.APPROVED,
            submit_form=kwargs.get("submit_form") or SubmitForm(),
            reason_form=kwargs.get("reason_form") or ReasonForm(),
            action_error=kwargs.get("action_error"),
        )
        return ctx

    def post(self, request, *args, **kwargs):
        self.setup_objects()
        user = request.user
        action = request.POST.get("action", "")
        version = request.POST.get("version")
        expected = int(version) if version and version.isdigit() else None
        submit_form, reason_form = SubmitForm(), ReasonForm()
        try:
            if action == "submit":
                submit_form = SubmitForm(request.POST)
                if submit_form.is_valid():
                    services.submission_submit(
                        actor=user, commune=self.commune, period=self.period, note=submit_form.cleaned_data["note"]
                    )
                    messages.success(request, _("Đã nộp số liệu %(period)s lên tỉnh.") % {"period": self.period.label})
                    return self._back()
            elif action == "reopen":
                # Approving and returning are deliberate steps on their own pages (SubmissionApproveView,
                # SubmissionReturnView); reopening an approved period stays here, behind its reason.
                if self.submission is None:
                    raise ValidationError("Xã chưa nộp số liệu kỳ này.")
                if expected is None:
                    raise version_missing_error()
                reason_form = ReasonForm(request.POST)
                if reason_form.is_valid():
                    services.period_reopen(
                        actor=user,
                        submission=self.submission,
                        reason=reason_form.cleaned_data["reason"],
                        expected_version=expected,
                    )
                    messages.success(
                        request,
                        _("Đã mở lại kỳ %(period)s của %(commune)s.")
                        % {"period": self.period.label, "commune": self.commune},
                    )
                    return self._back()
            else:
                raise ValidationError("Thao tác không hợp lệ.")
        except PermissionDenied:
            raise
        except ValidationError as exc:
            ctx = self.get_context_data(submit_form=submit_form, reason_form=reason_form, action_error=exc.messages)
            return self.render_to_response(ctx, status=400)
        ctx = self.get_context_data(submit_form=submit_form, reason_form=reason_form)
        return self.render_to_response(ctx, status=400)

    def _back(self):
        return redirect(_review_url("reporting:submission", self.commune, self.period))


def _review_url(name: str, commune: AdministrativeUnit, period) -> str:
    return f"{reverse(name, kwargs={'pk': commune.pk})}?{selectors.period_query(period)}"


class _ReviewView(PermissionRequiredMixin, PeriodMixin, TemplateView):
    """A province decision on a commune's submitted figures, on a page of its own (issue 12 §1):
    GET shows what the decision is about, POST makes it. A form with errors is shown again with
    what was typed; nothing is decided until the form is valid."""

    required_perm = services.REVIEW_PERM
    form_class: type
    submit_label = ""

    def setup_objects(self):
        user = self.request.user
        self.commune = _commune_or_404(user, self.kwargs["pk"])
        self.period = self.get_period()
        self.submission = selectors.submission_for(user=user, commune=self.commune, period=self.period)

    def reviewable(self) -> bool:
        return self.submission is not None and self.submission.status == SubmissionStatus.SUBMITTED

    def get(self, request, *args, **kwargs):
        self.setup_objects()
        return self.render_to_response(self.get_context_data(form=self.form_class()))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        submission = self.submission
        snapshot = (submission.snapshot or {}) if submission else {}
        submitted = services.parse_values(snapshot.get("indicators")) if snapshot else {}
        ctx.update(
            commune=self.commune,
            period=self.period,
            period_query=selectors.period_query(self.period),
            submission=submission,
            reviewable=self.reviewable(),
            groups=_figure_groups(submitted, None),
            back_url=_review_url("reporting:submission", self.commune, self.period),
        )
        return ctx

    def post(self, request, *args, **kwargs):
        self.setup_objects()
        form = self.form_class(request.POST)
        version = request.POST.get("version", "")
        try:
            if not self.reviewable():
                raise ValidationError(_("Số liệu kỳ này không ở trạng thái chờ tỉnh duyệt."))
            if not version.isdigit():
                raise version_missing_error()
            if form.is_valid():
                self.decide(form.cleaned_data, int(version))
                return redirect(_review_url("reporting:submission", self.commune, self.period))
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def decide(self, data: dict, expected_version: int) -> None:
        raise NotImplementedError


class SubmissionApproveView(_ReviewView):
    """Approve and lock: a confirmation listing the commune, the period and the figures it locks."""

    template_name = "reporting/submission_approve.html"
    form_class = ApproveForm

    def decide(self, data, expected_version):
        services.submission_approve(
            actor=self.request.user, submission=self.submission, expected_version=expected_version
        )
        messages.success(
            self.request,
            _("Đã phê duyệt và khóa số liệu %(period)s của %(commune)s.")
            % {"period": self.period.label, "commune": self.commune},
        )


class SubmissionReturnView(_ReviewView):
    """Return to the commune, with a required reason (stored on the submission, shown to the commune)."""

    template_name = "reporting/submission_return.html"
    form_class = ReturnForm

    def decide(self, data, expected_version):
        services.submission_return(
            actor=self.request.user,
            submission=self.submission,
            reason=data["reason"],
            expected_version=expected_version,
        )
        messages.success(
            self.request,
            _("Đã trả lại số liệu %(period)s cho %(commune)s.")
            % {"period": self.period.label, "commune": self.commune},
        )

"""Pages of the periodic reports. Views parse input and render; reads go through ``selectors``
(scoped), writes through ``services`` (audited). Every view uses the scoped mixins of
``apps.core.views``: a missing role answers 403, a unit or report outside the user's area 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from apps.core import scoping
from apps.core.views import ScopedViewMixin
from apps.reporting import maps

from . import selectors, services, sources
from .documents import annex_tables, header_context, subject_line, summary_table
from .filenames import attachment
from .formatting import short_date
from .forms import HeaderConfigForm, IssueForm, PeopleListForm, PeriodPickForm
from .models import IssuedReport, ReportHeaderConfig, ReportKind, ReportStatus

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _current_period_params() -> dict[str, int | str]:
    today = timezone.localdate()
    return {"kind": "quarter", "year": today.year, "number": (today.month - 1) // 3 + 1}


class ReportIndexView(ScopedViewMixin, TemplateView):
    """Choose the unit and the period, then open the draft."""

    permission_model = IssuedReport
    permission_action = "issue"
    template_name = "reports/index.html"

    def get(self, request, *args, **kwargs):
        form = PeriodPickForm(request.GET or None, user=request.user, initial=_current_period_params())
        if request.GET and form.is_valid():
            data = form.cleaned_data
            url = reverse("reports:draft", args=[data["unit"].pk])
            query = f"kind={data['kind']}&year={data['year']}&number={data['number']}"
            if data.get("map_choice") == maps.CONVERTED:
                query += "&map=converted"
            return redirect(f"{url}?{query}")
        recent = selectors.issued_list(user=request.user)[:10]
        return self.render_to_response(self.get_context_data(form=form, recent=recent))


class ReportDraftView(ScopedViewMixin, TemplateView):
    """The draft: prefilled, editable narrative and the figures it is based on; POST issues it."""

    permission_model = IssuedReport
    permission_action = "issue"
    template_name = "reports/draft.html"

    def _period(self):
        params = {**_current_period_params(), **{k: v for k, v in self.request.GET.items() if v}}
        try:
            kind = params["kind"] if params["kind"] in dict(sources.period_kinds()) else "quarter"
            year, number = int(params["year"]), int(params.get("number") or 1)
            if not (2000 <= year <= 2100 and 1 <= number <= (12 if kind == "month" else 4)):
                raise ValueError
        except (TypeError, ValueError):
            kind, year, number = "quarter", timezone.localdate().year, 1
        return sources.get_period(kind, year, number)

    def _draft(self):
        unit = selectors.unit_get(user=self.request.user, pk=self.kwargs["unit_pk"])
        return services.draft_build(
            user=self.request.user,
            unit=unit,
            period=self._period(),
            map_choice=maps.parse_choice(self.request.GET.get("map")),
        )

    @staticmethod
    def _document_date(form):
        if form.is_bound and form.is_valid() and form.cleaned_data.get("document_date"):
            return form.cleaned_data["document_date"]
        return timezone.localdate()

    def _context(self, draft, form, **extra):
        period = draft.figures["period"]
        return self.get_context_data(
            draft=draft,
            form=form,
            unit=draft.unit,
            period=draft.figures["period"],
            subject=subject_line(draft.figures["period"]["label"]),
            data_window=f"{short_date(period['start'])} – {short_date(period['end'])}",
            head=header_context(draft.header, form["number"].value() or "", self._document_date(form)),
            summary=summary_table(draft.figures),
            annex_count=len(annex_tables(draft.figures)),
            commune_count=len(draft.figures["rows"]),
            background=len(draft.figures["rows"]) > services.SYNC_MAX_COMMUNES,
            can_edit_header=scoping.has_action(self.request.user, ReportHeaderConfig, "change"),
            **extra,
        )

    def get(self, request, *args, **kwargs):
        draft = self._draft()
        initial = {f"section_{code}": text for code, text in draft.narrative.items()}
        initial.update(document_date=timezone.localdate(), digest=draft.digest)
        return self.render_to_response(self._context(draft, IssueForm(initial=initial)))

    def post(self, request, *args, **kwargs):
        """``step``: "preview" shows the draft as it will be issued, "pdf" downloads it marked
        "DỰ THẢO" (nothing archived), "edit" goes back to the form, "issue" (the preview's button)
        issues it. The draft page itself offers only the preview: a report is seen before issued."""
        draft = self._draft()
        form = IssueForm(request.POST)
        step = request.POST.get("step") or "issue"
        if not form.is_valid() or step == "edit":
            return self.render_to_response(self._context(draft, form), status=200 if form.is_valid() else 400)
        if step == "pdf":
            content = services.draft_pdf(
                actor=request.user,
                draft=draft,
                narrative_text=form.narrative(),
                number=form.cleaned_data["number"],
                document_date=form.cleaned_data["document_date"],
            )
            response = HttpResponse(content, content_type=PDF)
            response["Content-Disposition"] = attachment(services.draft_filename(draft))
            response["Cache-Control"] = "private, no-store"
            return response
        if form.cleaned_data["digest"] != draft.digest:
            data = request.POST.copy()
            data["digest"] = draft.digest
            messages.warning(
                request,
                _(
                    "Số liệu đã thay đổi kể từ khi mở bản nháp. Bảng số liệu bên dưới đã được cập nhật; "
                    "hãy kiểm tra lại nội dung rồi bấm phát hành lần nữa."
                ),
            )
            return self.render_to_response(self._context(draft, IssueForm(data), stale=True), status=409)
        if step == "preview":
            self.template_name = "reports/preview.html"
            return self.render_to_response(self._context(draft, form))
        report = services.report_issue(
            actor=request.user,
            unit=draft.unit,
            period=draft.period,
            narrative_text=form.narrative(),
            number=form.cleaned_data["number"],
            document_date=form.cleaned_data["document_date"],
            figures=draft.figures,
        )
        return redirect("reports:progress", pk=report.pk)


class ReportProgressView(ScopedViewMixin, TemplateView):
    """Where the report is: refreshed every 2 s (no JavaScript) until it is done or failed."""

    permission_model = IssuedReport
    template_name = "reports/progress.html"

    def _report(self):
        report = selectors.issued_get(user=self.request.user, pk=self.kwargs["pk"])
        if report.is_people_list and not self.request.user.has_perm("reports.view_people_list"):
            raise PermissionDenied
        return report

    def get(self, request, *args, **kwargs):
        report = self._report()
        return self.render_to_response(
            self.get_context_data(
                report=report,
                refresh=not report.is_finished,
                can_retry=report.status != ReportStatus.DONE and scoping.can(request.user, "issue", report),
                can_export=not report.is_people_list and scoping.can(request.user, "export", report),
            )
        )

    def post(self, request, *args, **kwargs):
        report = self._report()
        services.report_retry(actor=request.user, report=report)
        messages.info(request, _("Đã đưa báo cáo vào hàng đợi để tạo lại."))
        return redirect("reports:progress", pk=report.pk)


class ReportArchiveView(ScopedViewMixin, TemplateView):
    """Issued reports in the user's area, newest first."""

    permission_model = IssuedReport
    template_name = "reports/archive.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        kind = self.request.GET.get("kind", "")
        kind = kind if kind in ReportKind.values else ""
        reports = selectors.issued_list(user=user, kind=kind)
        from django.core.paginator import Paginator

        page = Paginator(reports, 30).get_page(self.request.GET.get("page"))
        ctx.update(
            page_obj=page,
            reports=page.object_list,
            kind=kind,
            kinds=ReportKind.choices if user.has_perm("reports.view_people_list") else [],
            can_issue=scoping.has_action(user, IssuedReport, "issue"),
            can_people_list=user.has_perm("reports.view_people_list"),
        )
        return ctx


class ReportDownloadView(ScopedViewMixin, View):
    """The archived file, byte for byte (audited)."""

    permission_model = IssuedReport

    def get(self, request, pk):
        report = selectors.issued_get(user=request.user, pk=pk)
        try:
            content = services.report_download(actor=request.user, report=report)
        except ValidationError:
            return redirect("reports:progress", pk=report.pk)
        except services.ReportIntegrityError:
            return HttpResponse(
                _("Tệp lưu trữ không còn khớp mã SHA-256 đã ghi khi phát hành; hãy báo quản trị hệ thống."),
                status=409,
                content_type="text/plain; charset=utf-8",
            )
        response = HttpResponse(content, content_type=PDF)
        response["Content-Disposition"] = attachment(report.filename)
        response["X-Content-SHA256"] = report.sha256
        response["Cache-Control"] = "private, no-store"
        return response


class ReportExportView(ScopedViewMixin, View):
    """The report's tables as .xlsx, from the figures archived with it (audited)."""

    permission_model = IssuedReport
    permission_action = "export"

    def get(self, request, pk):
        report = selectors.issued_get(user=request.user, pk=pk, action="export")
        if report.is_people_list:
            raise PermissionDenied
        content = services.report_export_xlsx(actor=request.user, report=report)
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = attachment(f"{report.filename.removesuffix('.pdf')}.xlsx")
        response["Cache-Control"] = "private, no-store"
        return response


class PeopleListView(ScopedViewMixin, TemplateView):
    """The "Danh sách người có hồ sơ quản lý" (named people): dedicated permission, own area only."""

    permission_model = IssuedReport
    template_name = "reports/people_list.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("reports.view_people_list"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=PeopleListForm(user=request.user)))

    def post(self, request, *args, **kwargs):
        form = PeopleListForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        report = services.people_list_issue(
            actor=request.user,
            unit=form.cleaned_data["unit"],
            as_of=form.cleaned_data["as_of"],
            number=form.cleaned_data["number"],
        )
        return redirect("reports:progress", pk=report.pk)


class HeaderListView(ScopedViewMixin, TemplateView):
    """Each unit's header (configured or default)."""

    permission_model = ReportHeaderConfig
    permission_action = "change"
    template_name = "reports/header_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        units = list(selectors.report_units(self.request.user))
        configs = {c.unit_id: c for c in ReportHeaderConfig.objects.filter(unit__in=units)}
        ctx["rows"] = [
            {"unit": u, "config": configs.get(u.pk), "header": services.header_for(u) if u.pk in configs else None}
            for u in units
        ]
        return ctx


class HeaderEditView(ScopedViewMixin, TemplateView):
    """Edit a unit's header: issuing body, number symbol, signer and recipients (audited)."""

    permission_model = ReportHeaderConfig
    permission_action = "change"
    template_name = "reports/header_form.html"

    def _unit(self):
        return selectors.unit_get(user=self.request.user, pk=self.kwargs["unit_pk"])

    def _form(self, unit, data=None):
        config = ReportHeaderConfig.objects.filter(unit=unit).first()
        initial = services.header_for(unit)
        initial["version"] = config.version if config else None
        form = HeaderConfigForm(data, initial=initial)
        form.require_version(config is not None)
        return form, config

    def get(self, request, *args, **kwargs):
        unit = self._unit()
        form, config = self._form(unit)
        return self.render_to_response(self.get_context_data(form=form, unit=unit, config=config))

    def post(self, request, *args, **kwargs):
        unit = self._unit()
        form, config = self._form(unit, request.POST)
        if form.is_valid():
            try:
                services.header_save(
                    actor=request.user, unit=unit, data=form.cleaned_data, version=form.cleaned_data.get("version")
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Đã lưu thể thức báo cáo của %(unit)s.") % {"unit": unit.full_name})
                return redirect("reports:header_list")
        return self.render_to_response(self.get_context_data(form=form, unit=unit, config=config), status=400)

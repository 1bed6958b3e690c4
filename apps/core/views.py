"""Generic views that route every request through ``scoping``.

Concrete views only declare ``model``/``queryset``, ``permission_action`` and templates.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView, TemplateView, View

from apps.accounts.roles import role_label
from apps.areas import selectors as area_selectors
from apps.audit.services import audit_read

from . import home, import_jobs, scoping, tasks
from .imports import ImportFileError, PendingImport, count_rows, import_file, read_upload, review_preview


class ScopedViewMixin:
    """403 when the role lacks the permission; the queryset is restricted to the user's area, so
    ``get_object()`` answers 404 for anything outside it."""

    permission_action = "view"
    permission_model = None

    def get_permission_model(self):
        if self.permission_model is not None:
            return self.permission_model
        if getattr(self, "model", None) is not None:
            return self.model
        return self.queryset.model

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not scoping.has_action(
            request.user, self.get_permission_model(), self.permission_action
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return scoping.visible_to(super().get_queryset(), self.request.user, self.permission_action)


def _area_of(obj):
    """The unit an object is filed under when its ``area_lookup`` is a plain field (else ``None``)."""
    lookup = getattr(obj, "area_lookup", None)
    if lookup and "__" not in lookup:
        value = getattr(obj, lookup, None)
        return value if hasattr(value, "level") else None
    return None


class AuditedReadMixin:
    """One audit entry per successful GET of a page showing personal data (the page, not its rows).

    Views set ``read_action`` (a code ending in a read verb) and, when the page shows one record,
    ``self.read_object`` while loading it, so the entry lands in that record's "who viewed" panel."""

    read_action = ""
    read_object = None
    break_glass = None

    def read_details(self) -> dict | None:
        query = self.request.GET.urlencode()
        return {"filters": query} if query else None

    def record_read(self) -> None:
        obj = self.read_object
        reason = self.break_glass
        details = self.read_details() or {}
        if reason:
            details["break_glass"] = reason
        audit_read(
            actor=self.request.user,
            action=self.read_action,
            obj=obj,
            area=_area_of(obj) if obj is not None else None,
            after=details or None,
            message=_("Lý do truy cập ngoài địa bàn: %(r)s") % {"r": reason} if reason else "",
        )

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if response.status_code == 200 and self.read_action:
            self.record_read()
        return response


class BreakGlassMixin:
    """Opening a named record outside one's own commune asks for a reason first (see
    ``scoping.needs_reason``). The prompt names only the commune, never the person; the reason
    then goes with every view of that record for a short time (``scoping.break_glass_grant``).

    Views implement ``get_break_glass_object()`` (the record, fetched within scope, so out of
    scope still answers 404 before any prompt)."""

    break_glass_template = "core/break_glass.html"
    break_glass = None

    def get_break_glass_object(self):
        raise NotImplementedError

    def break_glass_unit(self, obj):
        return _area_of(obj)

    def _prompt(self, request, obj, error: str = ""):
        return render(
            request,
            self.break_glass_template,
            {"unit": self.break_glass_unit(obj), "error": error, "min_length": scoping.BREAK_GLASS_MIN_LENGTH},
        )

    def _glass_closed(self, request):
        """The prompt to show, or ``None`` when the record may be shown."""
        obj = self.get_break_glass_object()
        if not scoping.needs_reason(request.user, self.break_glass_unit(obj)):
            return None
        reason = scoping.break_glass_reason(request, obj)
        if reason is None:
            return self._prompt(request, obj)
        self.break_glass = reason
        return None

    def get(self, request, *args, **kwargs):
        return self._glass_closed(request) or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if "break_glass_reason" in request.POST:
            obj = self.get_break_glass_object()
            reason = " ".join(request.POST["break_glass_reason"].split())
            if len(reason) < scoping.BREAK_GLASS_MIN_LENGTH:
                error = _("Hãy ghi rõ lý do (ít nhất %(n)s ký tự).") % {"n": scoping.BREAK_GLASS_MIN_LENGTH}
                return self._prompt(request, obj, error)
            scoping.break_glass_grant(request, obj, reason[:500])
            return redirect(request.get_full_path())
        closed = self._glass_closed(request)
        if closed is not None:
            return closed
        handler = getattr(super(), "post", None)
        if handler is None:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return handler(request, *args, **kwargs)


class ScopedListView(ScopedViewMixin, ListView):
    paginate_by = 50

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx["querystring"] = query.urlencode()
        return ctx


class ScopedDetailView(ScopedViewMixin, DetailView):
    pass


class HomeView(TemplateView):
    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["roles"] = [role_label(g.name) for g in user.groups.all()]
        ctx["unit"] = user.area
        if user.area is not None:
            ctx["unit_stats"] = area_selectors.unit_scope_stats(user=user)
        # each app's section (worklist counts, reporting tasks, queues, key figures), see core.registry
        ctx.update(home.sections(user=user))
        return ctx


class ScopedImportView(ScopedViewMixin, TemplateView):
    """Upload → dry-run preview with every row error → confirm. All-or-nothing (see core.imports)."""

    template_name = "generic/import.html"
    permission_action = "import"
    resource_class = None
    import_kind = ""
    audit_action = ""
    title = ""
    template_url_name = ""
    success_url = "/"

    def get_permission_model(self):
        return self.resource_class._meta.model

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            title=self.title,
            columns=self.resource_class.columns,
            template_url_name=self.template_url_name,
            max_mb=settings.IMPORT_MAX_UPLOAD_MB,
            blank_keeps_stored=getattr(self.resource_class, "blank_keeps_stored", False),
        )
        return ctx

    def get(self, request, *args, **kwargs):
        token = request.GET.get("job", "")
        if token:
            return self._job_page(request, token)
        return super().get(request, *args, **kwargs)

    def _background_path(self) -> str | None:
        return import_jobs.resource_path(self.resource_class)

    def _start_job(self, request, *, token: str, confirm: bool, total: int):
        tasks.start_import(
            user=request.user,
            token=token,
            kind=self.import_kind,
            resource=self._background_path(),
            audit_action=self.audit_action,
            confirm=confirm,
            total=total,
        )
        return redirect(f"{request.path}?job={token}")

    def _job_page(self, request, token: str):
        """The state of a background import: progress (the page reloads itself), then its report."""
        job = import_jobs.read_job(token)
        if job is None or job.get("user") != request.user.pk or job.get("kind") != self.import_kind:
            error = ImportFileError(
                _("Phiên nhập dữ liệu đã hết hạn hoặc không hợp lệ. Chưa có gì được ghi; hãy tải tệp lên lại.")
            )
            return self.render_to_response(self.get_context_data(file_error=str(error)), status=400)
        if job["state"] in ("queued", "running"):
            return self.render_to_response(self.get_context_data(job=job))
        if job["state"] == "failed":
            import_jobs.discard_job(token)
            return self.render_to_response(self.get_context_data(file_error=job["error"]), status=400)
        report = import_jobs.report_from_dict(job["report"])
        if job["confirm"] and report.ok:
            import_jobs.discard_job(token)
            messages.success(request, self._done_message(report))
            return redirect(self.success_url)
        ctx = {"report": report, "filename": job.get("filename", "")}
        if report.ok or report.stale:
            ctx["token"] = token
        return self.render_to_response(self.get_context_data(**ctx))

    @staticmethod
    def _done_message(report) -> str:
        return _("Đã nhập %(n)s dòng: %(new)s thêm mới, %(upd)s cập nhật, %(skip)s không thay đổi.") % {
            "n": report.total_rows,
            "new": report.new,
            "upd": report.updated,
            "skip": report.skipped,
        }

    def post(self, request, *args, **kwargs):
        resource = self.resource_class(user=request.user)
        token = request.POST.get("token", "")
        try:
            if token:
                pending, content, meta = PendingImport.load(token, user=request.user, kind=self.import_kind)
                if "cancel" in request.POST:
                    pending.discard()
                    import_jobs.discard_job(token)
                    messages.info(request, _("Đã hủy nhập dữ liệu; không có gì được ghi."))
                    return redirect(request.path)
                job = import_jobs.read_job(token)
                if "recheck" in request.POST:
                    # Refused because the data moved since the preview: the same upload, checked
                    # against the data as it is now (a new baseline), to be confirmed again.
                    if job is not None and self._background_path():
                        return self._start_job(request, token=token, confirm=False, total=job.get("total", 0))
                    filename = meta["filename"]
                    return self._preview(request, resource, content=content, filename=filename, pending=pending)
                if job is not None and self._background_path():
                    if job.get("confirm"):
                        # A double tap or a replayed confirmation: the import is already queued or done.
                        return redirect(f"{request.path}?job={token}")
                    # Previewed in the background: confirmed in the background too.
                    return self._start_job(request, token=token, confirm=True, total=job.get("total", 0))
                report = import_file(
                    actor=request.user,
                    resource=resource,
                    content=content,
                    filename=meta["filename"],
                    dry_run=False,
                    audit_action=self.audit_action,
                    expected=PendingImport.baseline_of(meta),
                )
                if report.ok:
                    pending.discard()
                    messages.success(request, self._done_message(report))
                    return redirect(self.success_url)
                ctx = {"report": report, "filename": meta["filename"]}
                if report.stale:
                    ctx["token"] = token  # kept: the same upload can be checked again
                else:
                    pending.discard()
                return self.render_to_response(self.get_context_data(**ctx))
            upload = request.FILES.get("file")
            if upload is None:
                raise ImportFileError(_("Hãy chọn tệp cần nhập."))
            content = read_upload(upload)
            rows = count_rows(content, upload.name, resource) if self._background_path() else 0
            if rows > settings.IMPORT_BACKGROUND_ROWS:
                pending = PendingImport.create(
                    user=request.user, kind=self.import_kind, filename=upload.name, content=content
                )
                return self._start_job(request, token=pending.token, confirm=False, total=rows)
            return self._preview(request, resource, content=content, filename=upload.name)
        except ImportFileError as exc:
            return self.render_to_response(self.get_context_data(file_error=str(exc)), status=400)

    def _preview(self, request, resource, *, content: bytes, filename: str, pending: PendingImport | None = None):
        """The dry run; a valid file waits for its confirmation with the baseline it was checked on."""
        report = import_file(
            actor=request.user,
            resource=resource,
            content=content,
            filename=filename,
            dry_run=True,
            audit_action=self.audit_action,
        )
        review_preview(actor=request.user, resource=resource, report=report, kind=self.import_kind, filename=filename)
        ctx = {"report": report, "filename": filename}
        if report.ok and pending is not None:
            pending.set_baseline(report.baseline)
            ctx["token"] = pending.token
        elif report.ok:
            ctx["token"] = PendingImport.create(
                user=request.user, kind=self.import_kind, filename=filename, content=content, baseline=report.baseline
            ).token
        elif pending is not None:
            pending.discard()
        return self.render_to_response(self.get_context_data(**ctx))


class ImportTemplateView(ScopedViewMixin, View):
    """The .xlsx template with the Vietnamese headers an import expects."""

    permission_action = "import"
    resource_class = None
    filename = "mau-nhap.xlsx"

    def get_permission_model(self):
        return self.resource_class._meta.model

    def get(self, request, *args, **kwargs):
        response = HttpResponse(
            self.resource_class.template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{self.filename}"'
        return response


@login_not_required
@never_cache
@require_safe
def health(request):
    """For the province's monitoring (no login): 200 when the database answers, every migration is
    applied, a worker went round its loop lately and the disk has room; 503 naming the failed
    check otherwise. Holds no personal data, host names or versions."""
    from .health import run_checks

    result = run_checks()
    return JsonResponse(result, status=200 if result["status"] == "ok" else 503)

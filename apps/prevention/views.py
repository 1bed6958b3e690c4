"""Pages of the prevention app: they parse input, call one service or selector, and render.

Every view goes through ``ScopedViewMixin`` (403 without the role's permission, 404 outside the
user's area). Multi-unit records (activities, trainings) are fetched through the selectors'
``pk__in`` helpers, never ``get_visible_or_404`` on the join.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from apps.audit.services import audit_read
from apps.core import scoping
from apps.core.views import (
    AuditedReadMixin,
    BreakGlassMixin,
    ImportTemplateView,
    ScopedImportView,
    ScopedListView,
    ScopedViewMixin,
)

from . import actions, exports, forms, selectors, services
from .models import Activity, HighRiskPerson, Informant, ModelPoint, Target, TipOff, Training
from .resources import ActivityResource, ReachResource
from .targets import REGISTRY


def _attach_errors(exc: ValidationError, form) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _status(exc: ValidationError) -> int:
    return 409 if getattr(exc, "code", None) == "stale" else 200


class HubView(ScopedViewMixin, TemplateView):
    """The prevention home page: the year's figures and the way to each register."""

    permission_model = Activity
    template_name = "prevention/index.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["summary"] = selectors.prevention_summary(user=self.request.user)
        return ctx


class FilteredListView(ScopedListView):
    """A list with a filter form (``filter_form_class(GET, user=…)``) and an export permission."""

    filter_form_class = None
    paginate_by = 25

    def get_filter_form(self):
        return self.filter_form_class(self.request.GET or None, user=self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["filter_form"] = self.filter_form
        ctx["can_add"] = scoping.has_action(user, self.model, "add")
        ctx["can_export"] = scoping.has_action(user, self.model, "export")
        return ctx


class ExportView(ScopedViewMixin, View):
    permission_action = "export"
    filter_form_class = None

    def get(self, request):
        form = self.filter_form_class(request.GET or None, user=request.user)
        return self.export(request, form.filters())


class ServiceFormView(ScopedViewMixin, TemplateView):
    """GET renders the form; POST validates it and calls ``save`` (a service). A stale edit answers
    409 with the service's message naming who changed what."""

    template_name = "prevention/form.html"
    title = ""
    object = None

    def load(self):
        """Fetch the edited object here, after dispatch() checked the role (403 before 404)."""

    def get_form(self, data=None, files=None):
        raise NotImplementedError

    def save(self, form):
        raise NotImplementedError

    def success_url(self, obj) -> str:
        raise NotImplementedError

    def cancel_url(self) -> str:
        return ""

    def context(self, form, **extra):
        return self.get_context_data(
            form=form, title=self.title, object=self.object, cancel_url=self.cancel_url(), **extra
        )

    def is_valid(self, form) -> bool:
        return form.is_valid()

    def get(self, request, *args, **kwargs):
        self.load()
        return self.render_to_response(self.context(self.get_form()))

    def post(self, request, *args, **kwargs):
        self.load()
        form = self.get_form(request.POST, request.FILES)
        if not self.is_valid(form):
            return self.render_to_response(self.context(form))
        try:
            obj = self.save(form)
        except ValidationError as exc:
            _attach_errors(exc, form)
            return self.render_to_response(self.context(form), status=_status(exc))
        messages.success(request, self.success_message(obj))
        return redirect(self.success_url(obj))

    def success_message(self, obj) -> str:
        return _("Đã lưu.")


# --- activities --------------------------------------------------------------------------------------


class ActivityListView(FilteredListView):
    model = Activity
    template_name = "prevention/activity_list.html"
    filter_form_class = forms.ActivityFilterForm

    def get_queryset(self):
        self.filter_form = self.get_filter_form()
        return selectors.activity_list(user=self.request.user, filters=self.filter_form.filters())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_import"] = scoping.has_action(self.request.user, Activity, "import")
        return ctx


class ActivityExportView(ExportView):
    permission_model = Activity
    filter_form_class = forms.ActivityFilterForm

    def export(self, request, filters):
        qs = selectors.activity_list(user=request.user, filters=filters, action="export")
        return exports.activity_export(
            actor=request.user, queryset=qs, groups=selectors.audience_groups(), filters=request.GET.urlencode()
        )


class ActivityDetailView(ScopedViewMixin, TemplateView):
    permission_model = Activity
    template_name = "prevention/activity_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        activity = selectors.activity_get(user=user, pk=self.kwargs["pk"])
        can_change = scoping.has_action(user, Activity, "change")
        full = selectors.activity_fully_in_scope(user, activity)
        can_view_people = scoping.has_action(user, HighRiskPerson, "view")
        ctx.update(
            activity=activity,
            can_edit=can_change and full,
            can_record_reaches=can_change and can_view_people,
            partly_outside=not full,
            reaches=selectors.activity_reaches(user=user, activity=activity) if can_view_people else None,
            attachment_form=forms.AttachmentForm() if can_change and full else None,
        )
        return ctx


class ActivityFormView(ServiceFormView):
    permission_model = Activity
    template_name = "prevention/activity_form.html"

    def get_form(self, data=None, files=None):
        return forms.ActivityForm(data, user=self.request.user, activity=self.object)

    def _input(self, form) -> services.ActivityInput:
        d = form.cleaned_data
        return services.ActivityInput(
            title=d["title"],
            date_from=d["date_from"],
            date_to=d.get("date_to"),
            communes=list(d["communes"]),
            kind=d["kind"],
            topics=d["topics"],
            participation=form.participation(),
            sessions=d["sessions"],
            materials_count=d["materials_count"],
            materials_description=d.get("materials_description", ""),
            organiser=d["organiser"],
            reporting_officer=d.get("reporting_officer"),
            notes=d.get("notes", ""),
            reached=list(d.get("reached") or []),
        )

    def success_url(self, obj):
        return reverse("prevention:activity_detail", args=[obj.pk])

    def success_message(self, obj):
        return _("Đã lưu hoạt động “%(t)s”.") % {"t": obj.title}


class ActivityCreateView(ActivityFormView):
    permission_action = "add"
    title = gettext_lazy("Thêm hoạt động tuyên truyền")

    def save(self, form):
        return services.activity_create(actor=self.request.user, data=self._input(form))

    def cancel_url(self):
        return reverse("prevention:activity_list")


class ActivityUpdateView(ActivityFormView):
    permission_action = "change"
    title = gettext_lazy("Sửa hoạt động tuyên truyền")

    def load(self):
        self.object = selectors.activity_get(user=self.request.user, pk=self.kwargs["pk"], action="change")
        if not selectors.activity_fully_in_scope(self.request.user, self.object):
            raise PermissionDenied

    def save(self, form):
        return services.activity_update(
            actor=self.request.user,
            activity=self.object,
            data=self._input(form),
            expected_version=form.cleaned_data.get("version"),
        )

    def cancel_url(self):
        return reverse("prevention:activity_detail", args=[self.object.pk])


class ActivityReachView(ServiceFormView):
    """Record which registered people of the officer's communes an activity reached (also on a
    multi-commune activity whose shared data they cannot edit)."""

    permission_model = Activity
    permission_action = "change"
    template_name = "prevention/activity_reaches.html"
    title = gettext_lazy("Người nguy cơ cao được tiếp cận")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not scoping.has_action(request.user, HighRiskPerson, "view"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def load(self):
        self.object = selectors.activity_get(user=self.request.user, pk=self.kwargs["pk"], action="change")

    def get_form(self, data=None, files=None):
        return forms.ReachForm(data, user=self.request.user, activity=self.object)

    def save(self, form):
        services.activity_set_reaches(
            actor=self.request.user, activity=self.object, persons=list(form.cleaned_data["reached"])
        )
        return self.object

    def success_url(self, obj):
        return reverse("prevention:activity_detail", args=[obj.pk])

    def cancel_url(self):
        return reverse("prevention:activity_detail", args=[self.object.pk])

    def success_message(self, obj):
        return _("Đã ghi danh sách người được tiếp cận.")


class ActivityAttachView(ServiceFormView):
    permission_model = Activity
    permission_action = "change"
    title = gettext_lazy("Đính kèm ảnh, tài liệu")

    def load(self):
        self.object = selectors.activity_get(user=self.request.user, pk=self.kwargs["pk"], action="change")
        if not selectors.activity_fully_in_scope(self.request.user, self.object):
            raise PermissionDenied

    def get_form(self, data=None, files=None):
        return forms.AttachmentForm(data, files)

    def save(self, form):
        services.attachment_add(actor=self.request.user, activity=self.object, upload=form.cleaned_data["file"])
        return self.object

    def success_url(self, obj):
        return reverse("prevention:activity_detail", args=[obj.pk])

    def cancel_url(self):
        return reverse("prevention:activity_detail", args=[self.object.pk])

    def success_message(self, obj):
        return _("Đã đính kèm tệp.")


class AttachmentDownloadView(ScopedViewMixin, View):
    """Attachments are served only here, to users who may see the activity."""

    permission_model = Activity

    def get(self, request, pk):
        attachment = selectors.attachment_get(user=request.user, pk=pk)
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, OSError) as exc:
            raise Http404 from exc
        # Photos of activities may show people: every download is a read of personal data.
        audit_read(
            actor=request.user,
            action=actions.ATTACHMENT_DOWNLOAD,
            obj=attachment,
            after={"activity": attachment.activity_id, "name": attachment.original_name},
        )
        return FileResponse(
            handle,
            as_attachment=attachment.content_type == "application/pdf",
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )


class ActivityImportView(ScopedImportView):
    resource_class = ActivityResource
    import_kind = "prevention-activities"
    audit_action = actions.ACTIVITY_IMPORT
    title = gettext_lazy("Nhập hoạt động tuyên truyền từ tệp Excel")
    template_url_name = "prevention:activity_import_template"
    success_url = reverse_lazy("prevention:activity_list")


class ActivityImportTemplateView(ImportTemplateView):
    resource_class = ActivityResource
    filename = "mau-nhap-hoat-dong-tuyen-truyen.xlsx"


class ReachImportView(ScopedImportView):
    """Upload the list of registered people an activity reached (attendance sheet)."""

    resource_class = ReachResource
    audit_action = actions.ACTIVITY_REACH_IMPORT
    title = gettext_lazy("Nhập danh sách người nguy cơ cao được tiếp cận")
    template_url_name = "prevention:reach_import_template"
    permission_action = "change"

    def get_permission_model(self):
        return Activity

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if not scoping.has_action(request.user, HighRiskPerson, "view"):
                raise PermissionDenied
            if scoping.has_action(request.user, Activity, "change"):
                activity = selectors.activity_get(user=request.user, pk=kwargs["pk"], action="change")
                self.resource_class = type("BoundReachResource", (ReachResource,), {"activity": activity})
                self.import_kind = f"prevention-reaches-{activity.pk}"
                self.success_url = reverse("prevention:activity_detail", args=[activity.pk])
                self.activity = activity
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = f"{self.title}: {self.activity.title}"
        return ctx


class ReachImportTemplateView(ImportTemplateView):
    resource_class = ReachResource
    filename = "mau-nhap-nguoi-duoc-tiep-can.xlsx"
    permission_action = "change"

    def get_permission_model(self):
        return Activity


# --- high-risk register --------------------------------------------------------------------------


def _sync_register(user) -> None:
    """People with an open case file join the register when it is opened (no signals)."""
    services.highrisk_sync_many(commune_ids=selectors.current_commune_ids(user))


class HighRiskListView(AuditedReadMixin, FilteredListView):
    model = HighRiskPerson
    read_action = actions.HIGHRISK_LIST_VIEW
    template_name = "prevention/highrisk_list.html"
    filter_form_class = forms.HighRiskFilterForm

    def get_queryset(self):
        _sync_register(self.request.user)
        self.filter_form = self.get_filter_form()
        return selectors.highrisk_list(user=self.request.user, filters=self.filter_form.filters())


class HighRiskExportView(ExportView):
    permission_model = HighRiskPerson
    filter_form_class = forms.HighRiskFilterForm

    def export(self, request, filters):
        qs = selectors.highrisk_list(user=request.user, filters=filters, action="export")
        return exports.highrisk_export(actor=request.user, queryset=qs, filters=request.GET.urlencode())


class HighRiskDetailView(BreakGlassMixin, AuditedReadMixin, ScopedViewMixin, TemplateView):
    permission_model = HighRiskPerson
    template_name = "prevention/highrisk_detail.html"
    read_action = actions.HIGHRISK_VIEW

    def get_break_glass_object(self):
        if self.read_object is None:
            self.read_object = selectors.highrisk_get(user=self.request.user, pk=self.kwargs["pk"])
        return self.read_object

    def read_details(self):
        return None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        entry = self.get_break_glass_object()
        ctx.update(
            entry=entry,
            history=selectors.highrisk_history(user=user, person=entry),
            can_edit=scoping.has_action(user, HighRiskPerson, "change"),
            can_view_case=entry.person_id is not None and user.has_perm("cases.view_casefile"),
        )
        return ctx


class HighRiskFormView(ServiceFormView):
    permission_model = HighRiskPerson

    def get_form(self, data=None, files=None):
        return forms.HighRiskForm(data, user=self.request.user, entry=self.object)

    def _input(self, form) -> services.HighRiskInput:
        d = form.cleaned_data
        return services.HighRiskInput(
            commune=d["commune"],
            full_name=d["full_name"],
            birth_year=d["birth_year"],
            sex=d["sex"],
            category=d["category"],
            village=d.get("village", ""),
            status=d["status"],
            status_note=d.get("status_note", ""),
            notes=d.get("notes", ""),
        )

    def success_url(self, obj):
        return reverse("prevention:highrisk_detail", args=[obj.pk])

    def success_message(self, obj):
        return _("Đã lưu %(p)s vào sổ nhóm nguy cơ cao.") % {"p": obj}


class HighRiskCreateView(HighRiskFormView):
    permission_action = "add"
    title = gettext_lazy("Thêm người vào sổ nhóm nguy cơ cao")

    def save(self, form):
        return services.highrisk_create(actor=self.request.user, data=self._input(form))

    def cancel_url(self):
        return reverse("prevention:highrisk_list")


class HighRiskUpdateView(HighRiskFormView):
    permission_action = "change"
    title = gettext_lazy("Sửa thông tin người nguy cơ cao")

    def load(self):
        self.object = selectors.highrisk_get(user=self.request.user, pk=self.kwargs["pk"], action="change")

    def save(self, form):
        return services.highrisk_update(
            actor=self.request.user,
            entry=self.object,
            data=self._input(form),
            expected_version=form.cleaned_data.get("version"),
        )

    def cancel_url(self):
        return reverse("prevention:highrisk_detail", args=[self.object.pk])


class CoverageView(ScopedViewMixin, TemplateView):
    """Coverage of the high-risk register per commune and period, with whom to reach next."""

    permission_model = HighRiskPerson
    template_name = "prevention/coverage.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        _sync_register(user)
        data = self.request.GET
        if not data:
            # Default: the officer's own commune (when they have one) over the current year.
            year = selectors.today().year
            communes = list(selectors.current_communes(user)[:2])
            data = {"start": f"01/01/{year}", "end": f"31/12/{year}"}
            if len(communes) == 1:
                data["commune"] = communes[0].pk
        form = forms.CoverageForm(data, user=user)
        form.is_valid()
        cleaned = getattr(form, "cleaned_data", {})
        start, end, commune = cleaned.get("start"), cleaned.get("end"), cleaned.get("commune")
        ctx.update(form=form, start=start, end=end, coverage=None, summary=None)
        if not form.errors:
            ctx["coverage"] = selectors.coverage(user=user, commune=commune, start=start, end=end) if commune else None
            summary = selectors.coverage_by_commune(user=user, start=start, end=end)
            ctx["summary"] = summary if len(summary) > 1 or commune is None else None
        return ctx


# --- trainings -----------------------------------------------------------------------------------


class TrainingListView(FilteredListView):
    model = Training
    template_name = "prevention/training_list.html"
    filter_form_class = forms.TrainingFilterForm

    def get_queryset(self):
        self.filter_form = self.get_filter_form()
        return selectors.training_list(user=self.request.user, filters=self.filter_form.filters())


class TrainingExportView(ExportView):
    permission_model = Training
    filter_form_class = forms.TrainingFilterForm

    def export(self, request, filters):
        qs = selectors.training_list(user=request.user, filters=filters, action="export")
        return exports.training_export(actor=request.user, queryset=qs, filters=request.GET.urlencode())


class TrainingDetailView(ScopedViewMixin, TemplateView):
    permission_model = Training
    template_name = "prevention/training_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        training = selectors.training_get(user=user, pk=self.kwargs["pk"])
        units = [p.unit_id for p in training.participations.all()]
        ctx.update(
            training=training,
            can_edit=scoping.has_action(user, Training, "change") and not selectors.units_outside_scope(user, units),
        )
        return ctx


class TrainingFormView(ServiceFormView):
    permission_model = Training
    template_name = "prevention/training_form.html"

    def get_form(self, data=None, files=None):
        form = forms.TrainingForm(data, training=self.object)
        form.units = forms.participation_formset(self.request.user, data, self.object)
        return form

    def is_valid(self, form) -> bool:
        return form.is_valid() & form.units.is_valid()

    def _input(self, form) -> services.TrainingInput:
        d = form.cleaned_data
        rows = [(f.cleaned_data["unit"], f.cleaned_data["count"]) for f in form.units if f.cleaned_data.get("unit")]
        return services.TrainingInput(
            held_on=d["held_on"], topic=d["topic"], organiser=d["organiser"], participations=rows, notes=d["notes"]
        )

    def success_url(self, obj):
        return reverse("prevention:training_detail", args=[obj.pk])

    def success_message(self, obj):
        return _("Đã lưu lớp tập huấn “%(t)s”.") % {"t": obj.topic}


class TrainingCreateView(TrainingFormView):
    permission_action = "add"
    title = gettext_lazy("Thêm lớp tập huấn")

    def save(self, form):
        return services.training_create(actor=self.request.user, data=self._input(form))

    def cancel_url(self):
        return reverse("prevention:training_list")


class TrainingUpdateView(TrainingFormView):
    permission_action = "change"
    title = gettext_lazy("Sửa lớp tập huấn")

    def load(self):
        self.object = selectors.training_get(user=self.request.user, pk=self.kwargs["pk"], action="change")
        if selectors.units_outside_scope(self.request.user, [p.unit_id for p in self.object.participations.all()]):
            raise PermissionDenied

    def save(self, form):
        return services.training_update(
            actor=self.request.user,
            training=self.object,
            data=self._input(form),
            expected_version=form.cleaned_data.get("version"),
        )

    def cancel_url(self):
        return reverse("prevention:training_detail", args=[self.object.pk])


# --- model points --------------------------------------------------------------------------------


class ModelPointListView(FilteredListView):
    model = ModelPoint
    template_name = "prevention/modelpoint_list.html"
    filter_form_class = forms.ModelPointFilterForm

    def get_queryset(self):
        self.filter_form = self.get_filter_form()
        return selectors.modelpoint_list(user=self.request.user, filters=self.filter_form.filters())


class ModelPointExportView(ExportView):
    permission_model = ModelPoint
    filter_form_class = forms.ModelPointFilterForm

    def export(self, request, filters):
        qs = selectors.modelpoint_list(user=request.user, filters=filters, action="export")
        return exports.modelpoint_export(actor=request.user, queryset=qs, filters=request.GET.urlencode())


class ModelPointDetailView(ScopedViewMixin, TemplateView):
    permission_model = ModelPoint
    template_name = "prevention/modelpoint_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["point"] = selectors.modelpoint_get(user=user, pk=self.kwargs["pk"])
        ctx["can_edit"] = scoping.has_action(user, ModelPoint, "change")
        return ctx


class ModelPointFormView(ServiceFormView):
    permission_model = ModelPoint

    def get_form(self, data=None, files=None):
        return forms.ModelPointForm(data, user=self.request.user, point=self.object)

    def _input(self, form) -> services.ModelPointInput:
        d = form.cleaned_data
        return services.ModelPointInput(
            commune=d["commune"],
            name=d["name"],
            decision_number=d["decision_number"],
            decision_date=d["decision_date"],
            started_on=d["started_on"],
            ended_on=d.get("ended_on"),
            description=d.get("description", ""),
        )

    def success_url(self, obj):
        return reverse("prevention:modelpoint_detail", args=[obj.pk])

    def success_message(self, obj):
        return _("Đã lưu mô hình “%(n)s”.") % {"n": obj.name}


class ModelPointCreateView(ModelPointFormView):
    permission_action = "add"
    title = gettext_lazy("Thêm mô hình điểm")

    def save(self, form):
        return services.modelpoint_create(actor=self.request.user, data=self._input(form))

    def cancel_url(self):
        return reverse("prevention:modelpoint_list")


class ModelPointUpdateView(ModelPointFormView):
    permission_action = "change"
    title = gettext_lazy("Sửa mô hình điểm")

    def load(self):
        self.object = selectors.modelpoint_get(user=self.request.user, pk=self.kwargs["pk"], action="change")

    def save(self, form):
        return services.modelpoint_update(
            actor=self.request.user,
            point=self.object,
            data=self._input(form),
            expected_version=form.cleaned_data.get("version"),
        )

    def cancel_url(self):
        return reverse("prevention:modelpoint_detail", args=[self.object.pk])


class ModelPointEvaluateView(ServiceFormView):
    permission_model = ModelPoint
    permission_action = "change"
    title = gettext_lazy("Đánh giá mô hình điểm")

    def load(self):
        self.object = selectors.modelpoint_get(user=self.request.user, pk=self.kwargs["pk"], action="change")

    def get_form(self, data=None, files=None):
        return forms.EvaluationForm(data)

    def save(self, form):
        d = form.cleaned_data
        services.modelpoint_evaluate(
            actor=self.request.user, point=self.object, year=d["year"], result=d["result"], notes=d.get("notes", "")
        )
        return self.object

    def success_url(self, obj):
        return reverse("prevention:modelpoint_detail", args=[obj.pk])

    def cancel_url(self):
        return reverse("prevention:modelpoint_detail", args=[self.object.pk])

    def success_message(self, obj):
        return _("Đã ghi kết quả đánh giá.")


# --- tip-offs ------------------------------------------------------------------------------------


class TipOffListView(FilteredListView):
    model = TipOff
    template_name = "prevention/tipoff_list.html"
    filter_form_class = forms.TipOffFilterForm

    def get_queryset(self):
        self.filter_form = self.get_filter_form()
        return selectors.tipoff_list(user=self.request.user, filters=self.filter_form.filters())


class TipOffExportView(ExportView):
    permission_model = TipOff
    filter_form_class = forms.TipOffFilterForm

    def export(self, request, filters):
        qs = selectors.tipoff_list(user=request.user, filters=filters, action="export")
        return exports.tipoff_export(actor=request.user, queryset=qs, filters=request.GET.urlencode())


class TipOffDetailView(ScopedViewMixin, TemplateView):
    permission_model = TipOff
    template_name = "prevention/tipoff_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        tip_off = selectors.tipoff_get(user=user, pk=self.kwargs["pk"])
        ctx.update(
            tip_off=tip_off,
            can_edit=scoping.has_action(user, TipOff, "change"),
            # Asked only for users allowed to read the informant; others learn nothing about it.
            has_informant=selectors.tipoff_has_informant(user=user, tip_off=tip_off),
            links=selectors.register_links(user=user, tip_off=tip_off),
        )
        return ctx


class TipOffInformantView(ScopedViewMixin, TemplateView):
    """Who gave the tip-off: only with ``prevention.view_informant``, every opening audited."""

    permission_model = Informant
    template_name = "prevention/tipoff_informant.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        tip_off = selectors.tipoff_get(user=user, pk=self.kwargs["pk"])
        ctx.update(tip_off=tip_off, informant=services.informant_read(actor=user, tip_off=tip_off))
        return ctx


class TipOffFormView(ServiceFormView):
    permission_model = TipOff
    template_name = "prevention/tipoff_form.html"

    def informant_allowed(self) -> bool:
        """The informant section: on a new tip-off for whoever records it (write-only); on an
        existing one only for someone allowed to read it."""
        return self.object is None or self.request.user.has_perm("prevention.view_informant")

    def get_form(self, data=None, files=None):
        form = forms.TipOffForm(data, user=self.request.user, tip_off=self.object)
        form.informant = None
        if self.informant_allowed():
            initial = None
            if self.object is not None and data is None:
                informant = services.informant_read(actor=self.request.user, tip_off=self.object)
                if informant is not None:
                    initial = {
                        "full_name": informant.full_name,
                        "phone": informant.phone,
                        "address": informant.address,
                    }
            form.informant = forms.InformantForm(data, prefix="inf", initial=initial)
        return form

    def is_valid(self, form) -> bool:
        return form.is_valid() & (form.informant is None or form.informant.is_valid())

    def _input(self, form) -> services.TipOffInput:
        d = form.cleaned_data
        return services.TipOffInput(
            received_on=d["received_on"],
            channel=d["channel"],
            commune=d["commune"],
            summary=d["summary"],
            status=d["status"],
            result=d.get("result", ""),
            crime_case_id=d.get("crime_case_id"),
            hotspot_id=d.get("hotspot_id"),
        )

    def _informant(self, form) -> services.InformantInput | None:
        if form.informant is None:
            return None
        return services.InformantInput(**form.informant.cleaned_data)

    def success_url(self, obj):
        return reverse("prevention:tipoff_detail", args=[obj.pk])

    def success_message(self, obj):
        return _("Đã lưu %(t)s.") % {"t": obj}


class TipOffCreateView(TipOffFormView):
    permission_action = "add"
    title = gettext_lazy("Tiếp nhận tin báo, tố giác")

    def save(self, form):
        return services.tipoff_create(actor=self.request.user, data=self._input(form), informant=self._informant(form))

    def cancel_url(self):
        return reverse("prevention:tipoff_list")


class TipOffUpdateView(TipOffFormView):
    permission_action = "change"
    title = gettext_lazy("Cập nhật xử lý tin báo")

    def load(self):
        self.object = selectors.tipoff_get(user=self.request.user, pk=self.kwargs["pk"], action="change")

    def save(self, form):
        return services.tipoff_update(
            actor=self.request.user,
            tip_off=self.object,
            data=self._input(form),
            expected_version=form.cleaned_data.get("version"),
            informant=self._informant(form),
        )

    def cancel_url(self):
        return reverse("prevention:tipoff_detail", args=[self.object.pk])


# --- targets -------------------------------------------------------------------------------------


class TargetListView(ScopedViewMixin, TemplateView):
    """Each target with its baseline, current value over the reader's scope, target and status."""

    permission_model = Target
    template_name = "prevention/target_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["board"] = selectors.target_board(user=self.request.user)
        ctx["indicators"] = REGISTRY
        return ctx

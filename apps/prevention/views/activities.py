"""Pages of propaganda/education activities: list, export, detail, forms, people reached, attachments, imports."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from apps.audit.services import audit_read
from apps.core import scoping
from apps.core.generic import FilteredListView, RecordFormView
from apps.core.views import (
    ImportTemplateView,
    ScopedImportView,
    ScopedViewMixin,
)

from .. import actions, exports, forms, selectors, services
from ..models import Activity, HighRiskPerson
from ..resources import ActivityResource, ReachResource
from ._common import PreventionExportView

# --- activities --------------------------------------------------------------------------------------


class ActivityListView(FilteredListView):
    model = Activity
    template_name = "prevention/activity_list.html"
    filter_form_class = forms.ActivityFilterForm
    selector = selectors.activity_list


def _activity_export(**kwargs):
    # One column of people per audience group of the day.
    return exports.activity_export(groups=selectors.audience_groups(), **kwargs)


ActivityExportView = PreventionExportView.of(ActivityListView, write=_activity_export)


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


class ActivityFormView(RecordFormView):
    permission_model = Activity
    url_namespace = "prevention"
    getter = selectors.activity_get
    create_service = services.activity_create
    update_service = services.activity_update
    record_arg = "activity"
    template_name = "prevention/activity_form.html"

    def get_form(self, data=None, files=None):
        return forms.ActivityForm(data, user=self.request.user, activity=self.object)

    def service_data(self, form) -> services.ActivityInput:
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

    def success_message(self, obj):
        return _("Đã lưu hoạt động “%(t)s”.") % {"t": obj.title}


class ActivityCreateView(ActivityFormView):
    permission_action = "add"
    title = gettext_lazy("Thêm hoạt động tuyên truyền")


class _OneActivityView(RecordFormView):
    """A form about one existing activity, back on its page afterwards. ``whole``: it changes the
    activity's shared data, which only someone with every one of its communes in scope may do."""

    permission_model = Activity
    permission_action = "change"
    url_namespace = "prevention"
    getter = selectors.activity_get
    whole = True
    done_message = gettext_lazy("Đã lưu.")

    def get_object(self):
        obj = super().get_object()
        if self.whole and not selectors.activity_fully_in_scope(self.request.user, obj):
            raise PermissionDenied
        return obj

    def success_message(self, obj):
        return str(self.done_message)


class ActivityUpdateView(ActivityFormView, _OneActivityView):
    title = gettext_lazy("Sửa hoạt động tuyên truyền")


class ActivityReachView(_OneActivityView):
    """Record which registered people of the officer's communes an activity reached (also on a
    multi-commune activity whose shared data they cannot edit)."""

    whole = False
    done_message = gettext_lazy("Đã ghi danh sách người được tiếp cận.")
    template_name = "prevention/activity_reaches.html"
    title = gettext_lazy("Người nguy cơ cao được tiếp cận")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not scoping.has_action(request.user, HighRiskPerson, "view"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, data=None, files=None):
        return forms.ReachForm(data, user=self.request.user, activity=self.object)

    def save(self, form):
        services.activity_set_reaches(
            actor=self.request.user, activity=self.object, persons=list(form.cleaned_data["reached"])
        )
        return self.object


class ActivityAttachView(_OneActivityView):
    template_name = "prevention/form.html"
    title = gettext_lazy("Đính kèm ảnh, tài liệu")
    done_message = gettext_lazy("Đã đính kèm tệp.")

    def get_form(self, data=None, files=None):
        return forms.AttachmentForm(data, files)

    def save(self, form):
        services.attachment_add(actor=self.request.user, activity=self.object, upload=form.cleaned_data["file"])
        return self.object


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

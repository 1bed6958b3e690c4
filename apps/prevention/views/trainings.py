"""Pages of trainings."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from apps.core import scoping
from apps.core.generic import FilteredListView, RecordFormView
from apps.core.views import (
    ScopedViewMixin,
)

from .. import exports, forms, selectors, services
from ..models import Training
from ._common import PreventionExportView

# --- trainings -----------------------------------------------------------------------------------


class TrainingListView(FilteredListView):
    model = Training
    template_name = "prevention/training_list.html"
    filter_form_class = forms.TrainingFilterForm
    selector = selectors.training_list


TrainingExportView = PreventionExportView.of(TrainingListView, write=exports.TRAINING.response)


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
            can_edit=scoping.has_action(user, Training, "change") and not scoping.units_outside_scope(user, units),
        )
        return ctx


class TrainingFormView(RecordFormView):
    add_title = gettext_lazy("Thêm lớp tập huấn")
    edit_title = gettext_lazy("Sửa lớp tập huấn")

    def get_object(self):
        obj = super().get_object()
        # a class shared with communes outside the editor's scope is edited by whoever holds them all
        if obj is not None and scoping.units_outside_scope(
            self.request.user, [p.unit_id for p in obj.participations.all()]
        ):
            raise PermissionDenied
        return obj

    permission_model = Training
    url_namespace = "prevention"
    getter = selectors.training_get
    create_service = services.training_create
    update_service = services.training_update
    record_arg = "training"
    template_name = "prevention/training_form.html"

    def get_form(self, data=None, files=None):
        form = forms.TrainingForm(data, training=self.object)
        form.units = forms.participation_formset(self.request.user, data, self.object)
        return form

    def is_valid(self, form) -> bool:
        return form.is_valid() & form.units.is_valid()

    def service_data(self, form) -> services.TrainingInput:
        d = form.cleaned_data
        rows = [(f.cleaned_data["unit"], f.cleaned_data["count"]) for f in form.units if f.cleaned_data.get("unit")]
        return services.TrainingInput(
            held_on=d["held_on"], topic=d["topic"], organiser=d["organiser"], participations=rows, notes=d["notes"]
        )

    def success_message(self, obj):
        return _("Đã lưu lớp tập huấn “%(t)s”.") % {"t": obj.topic}

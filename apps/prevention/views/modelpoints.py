"""Pages of model points and their yearly evaluations."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from apps.core import scoping
from apps.core.generic import FilteredListView, RecordFormView
from apps.core.views import (
    ScopedViewMixin,
)

from .. import exports, forms, selectors, services
from ..models import ModelPoint
from ._common import PreventionExportView

# --- model points --------------------------------------------------------------------------------


class ModelPointListView(FilteredListView):
    model = ModelPoint
    template_name = "prevention/modelpoint_list.html"
    filter_form_class = forms.ModelPointFilterForm
    selector = selectors.modelpoint_list


ModelPointExportView = PreventionExportView.of(ModelPointListView, write=exports.MODELPOINT.response)


class ModelPointDetailView(ScopedViewMixin, TemplateView):
    permission_model = ModelPoint
    template_name = "prevention/modelpoint_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["point"] = selectors.modelpoint_get(user=user, pk=self.kwargs["pk"])
        ctx["can_edit"] = scoping.has_action(user, ModelPoint, "change")
        return ctx


class _ModelPointPage(RecordFormView):
    """A form about a model point, back on its page once saved."""

    permission_model = ModelPoint
    url_namespace = "prevention"
    getter = selectors.modelpoint_get


class ModelPointFormView(_ModelPointPage):
    add_title = gettext_lazy("Thêm mô hình điểm")
    edit_title = gettext_lazy("Sửa mô hình điểm")
    create_service = services.modelpoint_create
    update_service = services.modelpoint_update
    record_arg = "point"
    template_name = "prevention/form.html"

    def get_form(self, data=None, files=None):
        return forms.ModelPointForm(data, user=self.request.user, point=self.object)

    def service_data(self, form) -> services.ModelPointInput:
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

    def success_message(self, obj):
        return _("Đã lưu mô hình “%(n)s”.") % {"n": obj.name}


class ModelPointEvaluateView(_ModelPointPage):
    permission_action = "change"
    template_name = "prevention/form.html"
    title = gettext_lazy("Đánh giá mô hình điểm")

    def get_form(self, data=None, files=None):
        return forms.EvaluationForm(data)

    def save(self, form):
        d = form.cleaned_data
        services.modelpoint_evaluate(
            actor=self.request.user, point=self.object, year=d["year"], result=d["result"], notes=d.get("notes", "")
        )
        return self.object

    def success_message(self, obj):
        return _("Đã ghi kết quả đánh giá.")

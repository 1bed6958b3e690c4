"""Forms of model points and their evaluations."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.areas.models import AdministrativeUnit
from apps.cases.forms import DateField

from .. import selectors
from ..choices import EvaluationResult
from ._common import CommuneChoiceField, ScopedFilterForm, ScopedRecordForm


class ModelPointForm(ScopedRecordForm):
    record_kwarg = "point"

    commune = CommuneChoiceField(label=_("Xã, phường"), queryset=AdministrativeUnit.objects.none())
    name = forms.CharField(label=_("Tên mô hình"), max_length=250)
    decision_number = forms.CharField(label=_("Số quyết định thành lập"), max_length=60)
    decision_date = DateField(label=_("Ngày quyết định"))
    started_on = DateField(label=_("Ngày bắt đầu hoạt động"), not_future=False)
    ended_on = DateField(label=_("Ngày dừng hoạt động"), required=False)
    description = forms.CharField(
        label=_("Nội dung, cách làm"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def record_initial(self, point) -> dict:
        names = ("name", "decision_number", "description", "decision_date", "started_on", "ended_on")
        return {name: getattr(point, name) for name in names}


class EvaluationForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=1900, max_value=2100)
    result = forms.ChoiceField(label=_("Kết quả"), choices=EvaluationResult.choices, widget=forms.RadioSelect)
    notes = forms.CharField(label=_("Nhận xét"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class ModelPointFilterForm(ScopedFilterForm):
    filters_class = selectors.ModelPointFilters
    active_only = forms.BooleanField(label=_("Chỉ mô hình đang hoạt động"), required=False)

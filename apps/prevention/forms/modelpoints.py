"""Forms of model points and their evaluations."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.areas.models import AdministrativeUnit
from apps.cases.forms import DateField
from apps.core import scoping
from apps.core.locking import VersionRequiredMixin

from .. import selectors
from ..choices import EvaluationResult
from ._common import CommuneChoiceField, ScopedFilterForm


class ModelPointForm(VersionRequiredMixin, forms.Form):
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

    def __init__(self, *args, user, point=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = scoping.current_communes(user)
        if point is not None:
            self.initial.update({name: getattr(point, name) for name in ("name", "decision_number", "description")})
            self.initial.update(
                commune=point.commune_id,
                decision_date=point.decision_date,
                started_on=point.started_on,
                ended_on=point.ended_on,
                version=point.version,
            )
            self.require_version()
            self.fields["commune"].disabled = True
        else:
            communes = list(self.fields["commune"].queryset[:2])
            if len(communes) == 1:
                self.initial["commune"] = communes[0].pk


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

"""Forms of the high-risk register and of its coverage view."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.areas.models import AdministrativeUnit
from apps.cases.choices import Sex
from apps.cases.forms import DateField
from apps.core import scoping
from apps.core.filtering import vocabulary_filter

from .. import selectors
from ..choices import HighRiskSource, HighRiskStatus
from ..models import AudienceGroup
from ._common import CommuneChoiceField, ScopedFilterForm, ScopedRecordForm


class HighRiskForm(ScopedRecordForm):
    record_kwarg = "entry"

    commune = CommuneChoiceField(label=_("Xã, phường"), queryset=AdministrativeUnit.objects.none())
    full_name = forms.CharField(label=_("Họ và tên"), max_length=120)
    birth_year = forms.IntegerField(label=_("Năm sinh"), min_value=1900, max_value=2100)
    sex = forms.ChoiceField(label=_("Giới tính"), choices=Sex.choices, widget=forms.RadioSelect)
    category = forms.ModelChoiceField(label=_("Nhóm nguy cơ"), queryset=AudienceGroup.objects.filter(high_risk=True))
    village = forms.CharField(label=_("Thôn, tổ dân phố"), max_length=120, required=False)
    status = forms.ChoiceField(label=_("Tình trạng"), choices=HighRiskStatus.choices, initial=HighRiskStatus.ACTIVE)
    status_note = forms.CharField(label=_("Ghi chú tình trạng"), max_length=200, required=False)
    notes = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def record_initial(self, entry) -> dict:
        names = ("full_name", "birth_year", "sex", "village", "status", "status_note", "notes")
        return {name: getattr(entry, name) for name in names} | {"category": entry.category_id}


class HighRiskFilterForm(ScopedFilterForm):
    filters_class = selectors.HighRiskFilters
    category = forms.ModelChoiceField(
        label=_("Nhóm nguy cơ"),
        required=False,
        queryset=AudienceGroup.objects.filter(high_risk=True),
        empty_label=_("Mọi nhóm"),
    )
    status = forms.ChoiceField(
        label=_("Tình trạng"), required=False, choices=[("all", _("Mọi tình trạng")), *HighRiskStatus.choices]
    )
    source = vocabulary_filter(_("Nguồn"), _("Mọi nguồn"), HighRiskSource.choices)

    def filters(self) -> selectors.HighRiskFilters:
        # blank means the active ones (the default); "all" lifts the status filter
        filters = super().filters()
        if filters.status == "all":
            filters.status = ""
        return filters


class CoverageForm(forms.Form):
    commune = CommuneChoiceField(
        label=_("Xã, phường"), required=False, queryset=AdministrativeUnit.objects.none(), empty_label=_("— Chọn —")
    )
    start = DateField(label=_("Từ ngày"), required=False, not_future=False)
    end = DateField(label=_("Đến ngày"), required=False, not_future=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = scoping.current_communes(user)

    def clean(self):
        data = super().clean()
        year = timezone.localdate().year
        data["start"] = data.get("start") or dt.date(year, 1, 1)
        data["end"] = data.get("end") or dt.date(year, 12, 31)
        if data["end"] < data["start"]:
            self.add_error("end", _("Ngày kết thúc không được trước ngày bắt đầu."))
        return data

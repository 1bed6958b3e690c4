"""Forms of tip-offs and of an informant's details."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.areas.models import AdministrativeUnit
from apps.cases.forms import DateField
from apps.core.filtering import vocabulary_filter

from .. import selectors
from ..choices import TipOffChannel, TipOffStatus
from ._common import CommuneChoiceField, ScopedFilterForm, ScopedRecordForm


class TipOffForm(ScopedRecordForm):
    record_kwarg = "tip_off"

    received_on = DateField(label=_("Ngày tiếp nhận"))
    channel = forms.ChoiceField(label=_("Hình thức tiếp nhận"), choices=[("", "—"), *TipOffChannel.choices])
    commune = CommuneChoiceField(label=_("Xã, phường"), queryset=AdministrativeUnit.objects.none())
    summary = forms.CharField(label=_("Nội dung tin báo"), widget=forms.Textarea(attrs={"rows": 4}))
    status = forms.ChoiceField(
        label=_("Tình trạng xử lý"), choices=TipOffStatus.choices, initial=TipOffStatus.RECEIVED
    )
    result = forms.CharField(label=_("Kết quả xử lý"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    crime_case_id = forms.IntegerField(
        label=_("Mã vụ án liên quan (sổ vụ án)"), required=False, min_value=1, help_text=_("Số thứ tự trong hệ thống.")
    )
    hotspot_id = forms.IntegerField(
        label=_("Mã điểm, tụ điểm liên quan"), required=False, min_value=1, help_text=_("Số thứ tự trong hệ thống.")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if kwargs.get("tip_off") is None:
            self.initial["received_on"] = timezone.localdate()

    def record_initial(self, tip_off) -> dict:
        names = ("received_on", "channel", "summary", "status", "result", "crime_case_id", "hotspot_id")
        return {name: getattr(tip_off, name) for name in names}


class InformantForm(forms.Form):
    """The informant section: never pre-filled except for someone allowed to read it."""

    full_name = forms.CharField(label=_("Họ và tên người báo tin"), max_length=120, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=250, required=False)


class TipOffFilterForm(ScopedFilterForm):
    filters_class = selectors.TipOffFilters
    channel = vocabulary_filter(_("Hình thức"), _("Mọi hình thức"), TipOffChannel.choices)
    status = vocabulary_filter(_("Tình trạng"), _("Mọi tình trạng"), TipOffStatus.choices)
    date_from = DateField(label=_("Từ ngày"), required=False, not_future=False)
    date_to = DateField(label=_("Đến ngày"), required=False, not_future=False)

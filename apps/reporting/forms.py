"""Forms of reporting: the period picker and the review reasons."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import PeriodKind
from .periods import NUMBERS, latest_ended, period_get


class PeriodForm(forms.Form):
    """Kind + year + number; anything missing or invalid falls back to the latest ended quarter."""

    kind = forms.ChoiceField(label=_("Loại kỳ"), choices=PeriodKind.choices, required=False)
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100, required=False)
    number = forms.IntegerField(
        label=_("Tháng / quý"), min_value=1, max_value=12, required=False, help_text=_("Tháng 1–12 hoặc quý 1–4.")
    )

    def period(self):
        default = latest_ended()
        if not self.is_valid():
            return default
        data = self.cleaned_data
        kind, year, number = data.get("kind"), data.get("year"), data.get("number")
        if not kind or not year:
            return default
        if kind not in (PeriodKind.MONTH, PeriodKind.QUARTER):
            number = 1
        if number not in NUMBERS[kind]:
            return default
        if year > timezone.localdate().year + 1:
            return default
        return period_get(kind, year, number)

    @staticmethod
    def initial_for(period) -> dict:
        return {"kind": period.kind, "year": period.year, "number": period.number}


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}), min_length=5, max_length=2000, strip=True
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do trả lại"),
        help_text=_("Xã sẽ thấy lý do này trên trang chủ và trang số liệu của kỳ."),
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=5,
        max_length=2000,
        strip=True,
    )


class ApproveForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Tôi đã xem số liệu xã đã nộp và đồng ý phê duyệt, khóa số liệu của kỳ"), required=True
    )


class SubmitForm(forms.Form):
    note = forms.CharField(label=_("Ghi chú gửi tỉnh (không bắt buộc)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

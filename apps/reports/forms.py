"""Forms of the reports: they parse and present; the services check every rule again."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.cases.forms import DateField
from apps.core.locking import VersionRequiredMixin
from apps.reporting import maps
from apps.reporting.forms import bind_number_widget, check_number, number_field

from . import selectors, sources
from .models import ReportHeaderConfig
from .narrative import SECTIONS
from .services import HEADER_FIELDS


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


def _years():
    """From this year back to 2019, the year of Plan 63 and of the oldest map of the time."""
    this_year = timezone.localdate().year
    return [(y, str(y)) for y in range(this_year, 2018, -1)]


class PeriodPickForm(forms.Form):
    """Unit and period of a report (GET: the draft is built from them)."""

    unit = UnitChoiceField(label=_("Đơn vị"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=_("Loại kỳ"), choices=sources.period_kinds, initial="quarter")
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, choices=_years)
    number = number_field(
        help_text=_("Tháng (1–12) cho báo cáo tháng, quý (I–IV) cho báo cáo quý; bỏ qua với các kỳ khác.")
    )
    map_choice = forms.ChoiceField(
        label=_("Bản đồ hành chính"),
        choices=maps.CHOICES,
        initial=maps.TIME,
        required=False,
        help_text=_("Chỉ áp dụng cho kỳ báo cáo trước năm 2025."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.report_units(user)
        if user.area_id and not self.is_bound:
            self.fields["unit"].initial = user.area_id
        bind_number_widget(self)

    def clean(self):
        data = super().clean()
        data["number"] = check_number(self, data.get("kind"), data.get("number"))
        return data

    def period(self):
        data = self.cleaned_data
        return sources.get_period(data["kind"], data["year"], data["number"])


class IssueForm(forms.Form):
    """The editable draft: number, date and the text of every section."""

    number = forms.CharField(
        label=_("Số văn bản"),
        required=False,
        max_length=20,
        help_text=_("Để trống nếu văn thư sẽ ghi số sau."),
    )
    document_date = DateField(label=_("Ngày văn bản"), not_future=False)
    digest = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for section in SECTIONS:
            # A part without sub-heading (I, III, IV) is titled by the part heading printed above it.
            label = section.heading or _("Nội dung")
            self.fields[f"section_{section.code}"] = forms.CharField(
                label=label,
                required=False,
                max_length=20000,
                widget=forms.Textarea(attrs={"rows": 10, "data-section": section.code}),
            )

    def narrative(self) -> dict[str, str]:
        return {s.code: self.cleaned_data.get(f"section_{s.code}", "") for s in SECTIONS}

    def section_fields(self):
        return [(s, self[f"section_{s.code}"]) for s in SECTIONS]


class HeaderConfigForm(VersionRequiredMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ReportHeaderConfig
        fields = HEADER_FIELDS
        widgets = {"recipients": forms.Textarea(attrs={"rows": 6})}


class PeopleListForm(forms.Form):
    unit = UnitChoiceField(label=_("Đơn vị"), queryset=None, empty_label=None)
    as_of = DateField(label=_("Tính đến ngày"))
    number = forms.CharField(label=_("Số văn bản"), required=False, max_length=20)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.report_units(user)
        if not self.is_bound:
            self.fields["as_of"].initial = timezone.localdate()
            if user.area_id:
                self.fields["unit"].initial = user.area_id

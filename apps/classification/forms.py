from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.areas.models import AdministrativeUnit
from apps.core import scoping
from apps.core.collation import vi_order
from apps.core.locking import VersionRequiredMixin

from . import rules
from .models import KeyRoute, RuleSet

YEAR_FIELD = {"min_value": 2000, "max_value": 2100}


def _ruleset_choices():
    return RuleSet.objects.order_by("-effective_from", "code")


def _map_choice_field(**kwargs) -> forms.ChoiceField:
    # Issue 10 §4: a year before the two-tier map (01/7/2025) is classified on the communes of its
    # time by default; province staff may convert it to today's communes instead.
    return forms.ChoiceField(
        label=_("Bản đồ hành chính"),
        choices=[
            ("time", _("Theo bản đồ hành chính thời điểm đó")),
            ("converted", _("Quy đổi sang đơn vị hiện nay")),
        ],
        initial="time",
        required=False,
        **kwargs,
    )


class TableFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), required=False, **YEAR_FIELD)
    ruleset = forms.ModelChoiceField(
        label=_("Bộ tiêu chí"), queryset=RuleSet.objects.none(), required=False, to_field_name="code"
    )
    level = forms.CharField(label=_("Loại"), required=False, max_length=30)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ruleset"].queryset = _ruleset_choices()


class RunForm(forms.Form):
    year = forms.IntegerField(
        label=_("Năm đánh giá"), help_text=_("Số liệu từ 01/01 đến 31/12 của năm."), **YEAR_FIELD
    )
    rule_set = forms.ModelChoiceField(label=_("Bộ tiêu chí"), queryset=RuleSet.objects.none())
    map_choice = _map_choice_field(
        widget=forms.RadioSelect,
        help_text=_(
            "Chỉ áp dụng cho năm trước 2026: bản đồ tại ngày 01/01 của năm đánh giá (2019: 141 đơn vị, "
            "2020: 138 đơn vị của tỉnh Tuyên Quang cũ) hoặc 124 xã, phường hiện nay."
        ),
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule_set"].queryset = _ruleset_choices()

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year > timezone.localdate().year:
            raise forms.ValidationError(_("Không đánh giá được năm chưa đến."))
        return year


class MapFiguresForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), **YEAR_FIELD)
    map_choice = _map_choice_field()


class OverrideForm(forms.Form):
    level = forms.ChoiceField(label=_("Loại chính thức"))
    reason = forms.CharField(
        label=_("Lý do điều chỉnh"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Căn cứ (văn bản, số liệu bổ sung, ý kiến cơ quan có thẩm quyền). Bắt buộc, được ghi nhật ký."),
    )

    def __init__(self, *args, spec: rules.RuleSetSpec, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(code, spec.label_for(code)) for code in spec.outcome_codes()]


class ApproveForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Tôi đã xem kết quả và các thay đổi so với lần phê duyệt trước"), required=True
    )


class RuleSetImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp bộ tiêu chí (.json)"))
    replace = forms.BooleanField(
        label=_("Thay thế phiên bản hiện có (tạo phiên bản mới của cùng mã)"),
        required=False,
        help_text=_("Các đợt phân loại đã chạy vẫn giữ bộ tiêu chí tại thời điểm chạy."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024
        if upload.size > limit:
            raise forms.ValidationError(_("Tệp quá lớn."))
        return upload


class KeyRouteForm(VersionRequiredMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = KeyRoute
        fields = ["commune", "year", "name", "kind", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = vi_order(
            AdministrativeUnit.objects.current().filter(level="commune"), "name"
        )
        scoping.restrict_form_fields(self, user)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.require_version()

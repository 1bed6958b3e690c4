"""Forms of the registers: they parse and present; every rule is checked again by the services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.areas.models import AdministrativeUnit
from apps.cases.choices import Sex
from apps.cases.forms import DateField
from apps.cases.models import CaseFile
from apps.cases.selectors import visible_people
from apps.core import filtering, scoping
from apps.core.collation import vi_order
from apps.core.filtering import vocabulary_filter
from apps.core.locking import VersionRequiredMixin

from .choices import HOTSPOT_TRANSITIONS, CaseStage, CriminalArticle, HotspotKind, HotspotStatus, PlantSpecies
from .models import CrimeCase, Cultivation, Hotspot
from .selectors import CRIMECASE_SORTS, CULTIVATION_SORTS, HOTSPOT_SORTS
from .services.crimecases import AMOUNT_FIELDS


def _former_communes(user):
    return vi_order(
        AdministrativeUnit.objects.former()
        .filter(level="commune", pk__in=scoping.visible_unit_ids(user))
        .select_related("parent"),
        "name",
    )


class FormerUnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        parent = f", {obj.parent.full_name}" if obj.parent_id else ""
        return f"{obj.full_name}{parent} (mã {obj.code})"


def _decimal(label, places, **kwargs):
    return forms.DecimalField(
        label=label,
        decimal_places=places,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        **kwargs,
    )


class CommuneFieldsMixin:
    """The commune the record counts towards (today's units in the user's scope) and, optionally,
    the former (pre-2025) commune as written in the paper register."""

    def setup_communes(self, user) -> None:
        self.fields["commune"] = forms.ModelChoiceField(
            label=_("Xã, phường"),
            queryset=scoping.current_communes(user),
            required=False,
            help_text=_("Xã, phường hiện nay (từ 01/7/2025) mà bản ghi được tính vào."),
        )
        self.fields["recorded_unit"] = FormerUnitChoiceField(
            label=_("Xã cũ ghi trong sổ (nếu có)"),
            queryset=_former_communes(user),
            required=False,
            help_text=_(
                "Chỉ chọn khi sổ ghi tên xã trước 01/7/2025. Xã cũ bị chia cho nhiều xã mới thì phải chọn cả "
                "xã, phường hiện nay."
            ),
        )
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk:
            self.fields["commune"].initial = instance.commune_id
            self.fields["recorded_unit"].initial = instance.recorded_unit_id
        elif getattr(user, "area", None) is not None and user.area.level == "commune":
            self.fields["commune"].initial = user.area.pk
        if not self.fields["recorded_unit"].queryset.exists():
            del self.fields["recorded_unit"]


# --- hotspots ------------------------------------------------------------------------------------


class HotspotForm(VersionRequiredMixin, CommuneFieldsMixin, forms.ModelForm):
    discovered_on = DateField(label=_("Ngày phát hiện"))
    latitude = _decimal(_("Vĩ độ"), 6, required=False, min_value=-90, max_value=90, help_text=_("Ví dụ 21,823300"))
    longitude = _decimal(
        _("Kinh độ"), 6, required=False, min_value=-180, max_value=180, help_text=_("Ví dụ 105,214200")
    )
    # Creation only: a register copied from paper may start in any status.
    status = forms.ChoiceField(label=_("Tình trạng hiện nay"), choices=HotspotStatus.choices, required=False)
    status_since = DateField(label=_("Tình trạng từ ngày"), required=False, help_text=_("Bỏ trống: ngày phát hiện."))
    linked_cases = forms.ModelMultipleChoiceField(
        label=_("Hồ sơ quản lý liên quan"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Người sử dụng ma túy có hồ sơ, liên quan đến điểm này (giữ Ctrl để chọn nhiều)."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Hotspot
        fields = ["kind", "name", "village", "address", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    field_order = [
        "commune",
        "recorded_unit",
        "kind",
        "name",
        "village",
        "address",
        "latitude",
        "longitude",
        "discovered_on",
        "status",
        "status_since",
        "linked_cases",
        "notes",
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_communes(user)
        if user.has_perm("cases.view_casefile"):
            self.fields["linked_cases"].queryset = scoping.visible_to(
                CaseFile.objects.select_related("person").order_by("file_number"), user
            )
            self.fields["linked_cases"].label_from_instance = lambda c: f"{c.file_number} – {c.person.full_name}"
        else:
            del self.fields["linked_cases"]
        if self.instance.pk:
            del self.fields["status"], self.fields["status_since"]
            self.fields["version"].initial = self.instance.version
            self.require_version()
            self.fields["discovered_on"].initial = self.instance.discovered_on
            self.fields["latitude"].initial = self.instance.latitude
            self.fields["longitude"].initial = self.instance.longitude
            if "linked_cases" in self.fields:
                self.fields["linked_cases"].initial = list(self.instance.linked_cases.values_list("pk", flat=True))
        else:
            self.fields["status"].initial = HotspotStatus.ACTIVE
        self.order_fields(self.field_order)


class HotspotStatusForm(VersionRequiredMixin, forms.Form):
    to_status = forms.ChoiceField(label=_("Chuyển sang tình trạng"), choices=(), widget=forms.RadioSelect)
    changed_on = DateField(label=_("Ngày"))
    reason = forms.CharField(
        label=_("Lý do, kết quả"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ví dụ: biện pháp đã áp dụng, số đối tượng bị xử lý, căn cứ đánh giá."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, hotspot: Hotspot, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = HOTSPOT_TRANSITIONS.get(hotspot.status, ())
        self.fields["to_status"].choices = [(s, HotspotStatus(s).label) for s in allowed]
        self.fields["changed_on"].initial = timezone.localdate()
        self.fields["version"].initial = hotspot.version
        self.require_version()


class _RegisterFilterForm(filtering.ScopedFilterForm):
    commune = forms.ModelChoiceField(label=_("Xã, phường"), required=False, queryset=AdministrativeUnit.objects.none())


class HotspotFilterForm(_RegisterFilterForm):
    kind = vocabulary_filter(_("Loại"), _("Mọi loại"), HotspotKind.choices)
    status = vocabulary_filter(_("Tình trạng"), _("Mọi tình trạng"), HotspotStatus.choices)
    open_only = forms.BooleanField(label=_("Chỉ điểm chưa triệt xóa"), required=False)
    sort = forms.ChoiceField(label=_("Sắp xếp"), required=False, choices=[(k, k) for k in HOTSPOT_SORTS])


# --- crime cases ---------------------------------------------------------------------------------


class CrimeCaseForm(VersionRequiredMixin, CommuneFieldsMixin, forms.ModelForm):
    occurred_on = DateField(label=_("Ngày xảy ra, phát hiện"))
    offenders_count = forms.IntegerField(
        label=_("Số đối tượng bị bắt"),
        min_value=0,
        required=False,
        help_text=_("Bỏ trống: bằng số người ghi tên bên dưới. Có thể lớn hơn (người chưa rõ lai lịch)."),
    )
    heroin_g = _decimal(_("Heroin (gam)"), 3, min_value=0, required=False)
    synthetic_g = _decimal(_("Ma túy tổng hợp (gam)"), 3, min_value=0, required=False)
    synthetic_tablets = forms.IntegerField(label=_("Ma túy tổng hợp (viên)"), min_value=0, required=False)
    cannabis_g = _decimal(_("Cần sa (gam)"), 3, min_value=0, required=False)
    other_g = _decimal(_("Ma túy khác (gam)"), 3, min_value=0, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CrimeCase
        fields = ["article", "stage", "summary", "other_desc", "notes"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3}), "notes": forms.Textarea(attrs={"rows": 2})}

    field_order = [
        "commune",
        "recorded_unit",
        "occurred_on",
        "article",
        "stage",
        "summary",
        "offenders_count",
        "heroin_g",
        "synthetic_g",
        "synthetic_tablets",
        "cannabis_g",
        "other_g",
        "other_desc",
        "notes",
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_communes(user)
        case = self.instance
        if case.pk:
            self.fields["version"].initial = case.version
            self.require_version()
            for name in ("occurred_on", "offenders_count", "synthetic_tablets", *AMOUNT_FIELDS):
                self.fields[name].initial = getattr(case, name)
        self.order_fields(self.field_order)

    SEIZURE_FIELDS = ("heroin_g", "synthetic_g", "synthetic_tablets", "cannabis_g", "other_g", "other_desc")

    def case_fields(self):
        """The visible fields about the case itself (the template shows seizures apart)."""
        return [bf for bf in self.visible_fields() if bf.name not in self.SEIZURE_FIELDS]

    def seizure_fields(self):
        return [self[name] for name in self.SEIZURE_FIELDS]


class OffenderForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    full_name = forms.CharField(label=_("Họ và tên"), max_length=120, required=False)
    birth_year = forms.IntegerField(label=_("Năm sinh"), min_value=1900, max_value=2100, required=False)
    sex = forms.ChoiceField(label=_("Giới tính"), choices=[("", "—"), *Sex.choices], required=False)
    arrested_on = DateField(label=_("Ngày bắt"), required=False)
    person = forms.ModelChoiceField(
        label=_("Người đã có hồ sơ quản lý"),
        queryset=None,
        required=False,
        help_text=_("Nếu người này đang có hồ sơ quản lý tại địa bàn."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.has_perm("cases.view_casefile"):
            self.fields["person"].queryset = vi_order(visible_people(user), "full_name", "=birth_year")
        else:
            del self.fields["person"]

    def clean(self):
        data = super().clean()
        if data.get("DELETE") or not data.get("full_name"):
            return data
        if not data.get("sex"):
            self.add_error("sex", _("Hãy chọn giới tính."))
        if not data.get("arrested_on"):
            self.add_error("arrested_on", _("Hãy ghi ngày bắt."))
        return data


class BaseOffenderFormSet(forms.BaseFormSet):
    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["user"] = self.user
        return kwargs


OffenderFormSet = forms.formset_factory(OffenderForm, formset=BaseOffenderFormSet, extra=2, can_delete=True)


class CrimeCaseFilterForm(_RegisterFilterForm):
    article = vocabulary_filter(_("Tội danh"), _("Mọi tội danh"), CriminalArticle.choices)
    stage = vocabulary_filter(_("Giai đoạn"), _("Mọi giai đoạn"), CaseStage.choices)
    date_from = DateField(label=_("Từ ngày"), required=False, not_future=False)
    date_to = DateField(label=_("Đến ngày"), required=False, not_future=False)
    sort = forms.ChoiceField(label=_("Sắp xếp"), required=False, choices=[(k, k) for k in CRIMECASE_SORTS])


# --- cultivation ---------------------------------------------------------------------------------


class CultivationForm(VersionRequiredMixin, CommuneFieldsMixin, forms.ModelForm):
    found_on = DateField(label=_("Ngày phát hiện"))
    plants = forms.IntegerField(label=_("Số cây"), min_value=0, required=False)
    area_m2 = _decimal(_("Diện tích (m²)"), 2, min_value=0, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Cultivation
        fields = ["species", "destroyed", "village", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    field_order = [
        "commune",
        "recorded_unit",
        "found_on",
        "species",
        "plants",
        "area_m2",
        "destroyed",
        "village",
        "notes",
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_communes(user)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.require_version()
            for name in ("found_on", "plants", "area_m2"):
                self.fields[name].initial = getattr(self.instance, name)
        self.order_fields(self.field_order)


class CultivationFilterForm(_RegisterFilterForm):
    species = vocabulary_filter(_("Loại cây"), _("Mọi loại cây"), PlantSpecies.choices)
    destroyed = forms.ChoiceField(
        label=_("Triệt phá"),
        required=False,
        choices=[("", _("Tất cả")), ("1", _("Đã triệt phá")), ("0", _("Chưa triệt phá"))],
    )
    date_from = DateField(label=_("Từ ngày"), required=False, not_future=False)
    date_to = DateField(label=_("Đến ngày"), required=False, not_future=False)
    sort = forms.ChoiceField(label=_("Sắp xếp"), required=False, choices=[(k, k) for k in CULTIVATION_SORTS])

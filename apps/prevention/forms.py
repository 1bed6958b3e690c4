"""Forms of the prevention pages. They only parse input: rules live in ``services``.

Every choice of a unit, a person or a user is narrowed to the reader's scope here (no leaking
dropdowns); the services check it again.
"""

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.areas.models import AdministrativeUnit
from apps.cases.choices import Sex
from apps.cases.forms import DateField
from apps.core import scoping
from apps.core.collation import vi_order
from apps.core.locking import VersionRequiredMixin

from . import selectors
from .choices import (
    ActivityKind,
    EvaluationResult,
    HighRiskSource,
    HighRiskStatus,
    TipOffChannel,
    TipOffStatus,
    Topic,
)
from .models import AudienceGroup, HighRiskPerson


class CommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class CommuneMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class PersonMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        village = f" – {obj.village}" if obj.village else ""
        return f"{obj.full_name} ({obj.birth_year}){village} – {obj.commune.full_name}"


def _officers(user):
    qs = vi_order(get_user_model().objects.filter(is_active=True), "full_name", "=username")
    if not user.is_superuser:
        qs = qs.filter(area__in=scoping.visible_unit_ids(user))
    return qs


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name()


# --- activities --------------------------------------------------------------------------------------


class ActivityForm(VersionRequiredMixin, forms.Form):
    title = forms.CharField(label=_("Nội dung, tên hoạt động"), max_length=250)
    date_from = DateField(label=_("Từ ngày"))
    date_to = DateField(
        label=_("Đến ngày"), required=False, not_future=False, help_text=_("Bỏ trống nếu trong một ngày.")
    )
    communes = CommuneMultipleChoiceField(
        label=_("Xã, phường"), queryset=AdministrativeUnit.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    kind = forms.ChoiceField(label=_("Hình thức"), choices=[("", "—"), *ActivityKind.choices])
    topics = forms.MultipleChoiceField(label=_("Chủ đề"), choices=Topic.choices, widget=forms.CheckboxSelectMultiple)
    sessions = forms.IntegerField(label=_("Số buổi, số lần"), min_value=1, initial=1)
    materials_count = forms.IntegerField(label=_("Số tài liệu, tờ rơi đã phát"), min_value=0, initial=0)
    materials_description = forms.CharField(label=_("Tài liệu đã phát"), max_length=300, required=False)
    organiser = forms.CharField(label=_("Đơn vị tổ chức"), max_length=200)
    reporting_officer = OfficerChoiceField(label=_("Cán bộ báo cáo"), queryset=None, required=False)
    notes = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    reached = PersonMultipleChoiceField(
        label=_("Người nguy cơ cao được tiếp cận"),
        queryset=HighRiskPerson.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Người trong sổ nhóm nguy cơ cao của các xã, phường đã chọn (thuộc phạm vi được giao)."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, activity=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.groups = selectors.audience_groups()
        self.fields["communes"].queryset = scoping.current_communes(user)
        self.fields["reporting_officer"].queryset = _officers(user)
        self.fields["reporting_officer"].initial = user.pk
        reached_ids = []
        if activity is not None:
            reached_ids = list(activity.reaches.values_list("person_id", flat=True))
        self.fields["reached"].queryset = selectors.reach_candidates(
            user=user, commune_ids=selectors.current_commune_ids(user), include_ids=reached_ids
        )
        for group in self.groups:
            self.fields[f"group_{group.pk}"] = forms.IntegerField(
                label=group.name, min_value=0, required=False, widget=forms.NumberInput(attrs={"class": "num-input"})
            )
        if activity is not None:
            self.initial.update(
                title=activity.title,
                date_from=activity.date_from,
                date_to=activity.date_to if activity.date_to != activity.date_from else None,
                communes=[c.pk for c in activity.communes.all()],
                kind=activity.kind,
                topics=[t.topic for t in activity.topics.all()],
                sessions=activity.sessions,
                materials_count=activity.materials_count,
                materials_description=activity.materials_description,
                organiser=activity.organiser,
                reporting_officer=activity.reporting_officer_id,
                notes=activity.notes,
                reached=reached_ids,
                version=activity.version,
            )
            self.require_version()
            for p in activity.participations.all():
                self.initial[f"group_{p.group_id}"] = p.count
        else:
            communes = list(self.fields["communes"].queryset[:2])
            if len(communes) == 1:
                self.initial["communes"] = [communes[0].pk]
            self.initial["date_from"] = timezone.localdate()

    def group_fields(self, high_risk: bool):
        return [self[f"group_{g.pk}"] for g in self.groups if g.high_risk == high_risk]

    @property
    def group_fields_high(self):
        return self.group_fields(True)

    @property
    def group_fields_general(self):
        return self.group_fields(False)

    def participation(self) -> dict[int, int]:
        return {
            g.pk: self.cleaned_data[f"group_{g.pk}"]
            for g in self.groups
            if self.cleaned_data.get(f"group_{g.pk}") is not None
        }

    def main_fields(self):
        skip = {"reached", "version"} | {f"group_{g.pk}" for g in self.groups}
        return [self[name] for name in self.fields if name not in skip]


class ReachForm(forms.Form):
    reached = PersonMultipleChoiceField(
        label=_("Người nguy cơ cao được tiếp cận"),
        queryset=HighRiskPerson.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, activity, **kwargs):
        super().__init__(*args, **kwargs)
        commune_ids = [c.pk for c in activity.communes.all()]
        reached = list(activity.reaches.values_list("person_id", flat=True))
        self.fields["reached"].queryset = selectors.reach_candidates(
            user=user, commune_ids=commune_ids, include_ids=reached
        )
        self.initial["reached"] = [pk for pk in reached if pk in {p.pk for p in self.fields["reached"].queryset}]


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp ảnh hoặc tài liệu"),
        help_text=_("Ảnh .jpg, .jpeg, .png hoặc tài liệu .pdf, tối đa 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
    )


def _commune_filter_field():
    return CommuneChoiceField(
        label=_("Xã, phường"),
        required=False,
        queryset=AdministrativeUnit.objects.none(),
        empty_label=_("Mọi xã, phường"),
    )


class ActivityFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm"), required=False)
    commune = _commune_filter_field()
    kind = forms.ChoiceField(
        label=_("Hình thức"), required=False, choices=[("", _("Mọi hình thức")), *ActivityKind.choices]
    )
    topic = forms.ChoiceField(label=_("Chủ đề"), required=False, choices=[("", _("Mọi chủ đề")), *Topic.choices])
    group = forms.ModelChoiceField(
        label=_("Nhóm đối tượng"), required=False, queryset=AudienceGroup.objects.all(), empty_label=_("Mọi nhóm")
    )
    date_from = DateField(label=_("Từ ngày"), required=False, not_future=False)
    date_to = DateField(label=_("Đến ngày"), required=False, not_future=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = scoping.current_communes(user)

    def filters(self) -> selectors.ActivityFilters:
        if not self.is_valid():
            return selectors.ActivityFilters()
        d = self.cleaned_data
        return selectors.ActivityFilters(
            q=d.get("q") or "",
            commune=d["commune"].pk if d.get("commune") else None,
            kind=d.get("kind") or "",
            topic=d.get("topic") or "",
            group=d["group"].pk if d.get("group") else None,
            date_from=d.get("date_from"),
            date_to=d.get("date_to"),
        )


# --- high-risk register --------------------------------------------------------------------------


class HighRiskForm(VersionRequiredMixin, forms.Form):
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

    def __init__(self, *args, user, entry=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = scoping.current_communes(user)
        if entry is not None:
            self.initial.update(
                commune=entry.commune_id,
                full_name=entry.full_name,
                birth_year=entry.birth_year,
                sex=entry.sex,
                category=entry.category_id,
                village=entry.village,
                status=entry.status,
                status_note=entry.status_note,
                notes=entry.notes,
                version=entry.version,
            )
            self.require_version()
            self.fields["commune"].disabled = True
        else:
            communes = list(self.fields["commune"].queryset[:2])
            if len(communes) == 1:
                self.initial["commune"] = communes[0].pk


class HighRiskFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm"), required=False)
    commune = _commune_filter_field()
    category = forms.ModelChoiceField(
        label=_("Nhóm nguy cơ"),
        required=False,
        queryset=AudienceGroup.objects.filter(high_risk=True),
        empty_label=_("Mọi nhóm"),
    )
    status = forms.ChoiceField(
        label=_("Tình trạng"), required=False, choices=[("all", _("Mọi tình trạng")), *HighRiskStatus.choices]
    )
    source = forms.ChoiceField(
        label=_("Nguồn"), required=False, choices=[("", _("Mọi nguồn")), *HighRiskSource.choices]
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = scoping.current_communes(user)

    def filters(self) -> selectors.HighRiskFilters:
        if not self.is_valid():
            return selectors.HighRiskFilters()
        d = self.cleaned_data
        status = d.get("status") or HighRiskStatus.ACTIVE
        return selectors.HighRiskFilters(
            q=d.get("q") or "",
            commune=d["commune"].pk if d.get("commune") else None,
            category=d["category"].pk if d.get("category") else None,
            status="" if status == "all" else status,
            source=d.get("source") or "",
        )


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


# --- trainings -----------------------------------------------------------------------------------


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class TrainingForm(VersionRequiredMixin, forms.Form):
    held_on = DateField(label=_("Ngày tổ chức"))
    topic = forms.CharField(label=_("Nội dung tập huấn"), max_length=250)
    organiser = forms.CharField(label=_("Đơn vị tổ chức"), max_length=200)
    notes = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, training=None, **kwargs):
        super().__init__(*args, **kwargs)
        if training is not None:
            self.initial.update(
                held_on=training.held_on,
                topic=training.topic,
                organiser=training.organiser,
                notes=training.notes,
                version=training.version,
            )
            self.require_version()


def training_units(user):
    """Units a training may count participants for: today's province and communes in scope."""
    qs = AdministrativeUnit.objects.current().filter(level__in=["province", "commune"])
    if not user.is_superuser:
        qs = qs.filter(pk__in=scoping.visible_unit_ids(user))
    return vi_order(qs, "=depth", "name")


class TrainingParticipationForm(forms.Form):
    unit = UnitChoiceField(label=_("Đơn vị"), queryset=AdministrativeUnit.objects.none(), required=False)
    count = forms.IntegerField(label=_("Số người"), min_value=1, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = training_units(user)

    def clean(self):
        data = super().clean()
        if data.get("unit") and not data.get("count"):
            self.add_error("count", _("Hãy ghi số người."))
        if data.get("count") and not data.get("unit"):
            self.add_error("unit", _("Hãy chọn đơn vị."))
        return data


TrainingParticipationFormSet = forms.formset_factory(TrainingParticipationForm, extra=3)


def participation_formset(user, data=None, training=None):
    initial = None
    if training is not None:
        initial = [{"unit": p.unit_id, "count": p.count} for p in training.participations.all()]
    elif data is None:
        units = list(training_units(user).filter(level="commune")[:2])
        if len(units) == 1:
            initial = [{"unit": units[0].pk}]
    return TrainingParticipationFormSet(data, initial=initial, prefix="units", form_kwargs={"user": user})


class TrainingFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm"), required=False)
    unit = UnitChoiceField(label=_("Đơn vị"), required=False, queryset=AdministrativeUnit.objects.none())
    date_from = DateField(label=_("Từ ngày"), required=False, not_future=False)
    date_to = DateField(label=_("Đến ngày"), required=False, not_future=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = training_units(user)

    def filters(self) -> selectors.TrainingFilters:
        if not self.is_valid():
            return selectors.TrainingFilters()
        d = self.cleaned_data
        return selectors.TrainingFilters(
            q=d.get("q") or "",
            unit=d["unit"].pk if d.get("unit") else None,
            date_from=d.get("date_from"),
            date_to=d.get("date_to"),
        )


# --- model points --------------------------------------------------------------------------------


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


class ModelPointFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm"), required=False)
    commune = _commune_filter_field()
    active_only = forms.BooleanField(label=_("Chỉ mô hình đang hoạt động"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = scoping.current_communes(user)

    def filters(self) -> selectors.ModelPointFilters:
        if not self.is_valid():
            return selectors.ModelPointFilters()
        d = self.cleaned_data
        return selectors.ModelPointFilters(
            q=d.get("q") or "",
            commune=d["commune"].pk if d.get("commune") else None,
            active_only=bool(d.get("active_only")),
        )


# --- tip-offs ------------------------------------------------------------------------------------


class TipOffForm(VersionRequiredMixin, forms.Form):
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

    def __init__(self, *args, user, tip_off=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = scoping.current_communes(user)
        if tip_off is not None:
            self.initial.update(
                received_on=tip_off.received_on,
                channel=tip_off.channel,
                commune=tip_off.commune_id,
                summary=tip_off.summary,
                status=tip_off.status,
                result=tip_off.result,
                crime_case_id=tip_off.crime_case_id,
                hotspot_id=tip_off.hotspot_id,
                version=tip_off.version,
            )
            self.require_version()
            self.fields["commune"].disabled = True
        else:
            communes = list(self.fields["commune"].queryset[:2])
            if len(communes) == 1:
                self.initial["commune"] = communes[0].pk
            self.initial["received_on"] = timezone.localdate()


class InformantForm(forms.Form):
    """The informant section: never pre-filled except for someone allowed to read it."""

    full_name = forms.CharField(label=_("Họ và tên người báo tin"), max_length=120, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=250, required=False)


class TipOffFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm"), required=False)
    commune = _commune_filter_field()
    channel = forms.ChoiceField(
        label=_("Hình thức"), required=False, choices=[("", _("Mọi hình thức")), *TipOffChannel.choices]
    )
    status = forms.ChoiceField(
        label=_("Tình trạng"), required=False, choices=[("", _("Mọi tình trạng")), *TipOffStatus.choices]
    )
    date_from = DateField(label=_("Từ ngày"), required=False, not_future=False)
    date_to = DateField(label=_("Đến ngày"), required=False, not_future=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = scoping.current_communes(user)

    def filters(self) -> selectors.TipOffFilters:
        if not self.is_valid():
            return selectors.TipOffFilters()
        d = self.cleaned_data
        return selectors.TipOffFilters(
            q=d.get("q") or "",
            commune=d["commune"].pk if d.get("commune") else None,
            channel=d.get("channel") or "",
            status=d.get("status") or "",
            date_from=d.get("date_from"),
            date_to=d.get("date_to"),
        )

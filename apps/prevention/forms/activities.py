"""Forms of propaganda/education activities: the activity, people reached, attachments, the list filter."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.areas.models import AdministrativeUnit
from apps.cases.forms import DateField
from apps.core import scoping
from apps.core.filtering import vocabulary_filter
from apps.core.locking import VersionRequiredMixin

from .. import selectors
from ..choices import ActivityKind, Topic
from ..models import AudienceGroup, HighRiskPerson
from ._common import (
    CommuneMultipleChoiceField,
    OfficerChoiceField,
    PersonMultipleChoiceField,
    ScopedFilterForm,
    _officers,
)


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


class ActivityFilterForm(ScopedFilterForm):
    filters_class = selectors.ActivityFilters
    kind = vocabulary_filter(_("Hình thức"), _("Mọi hình thức"), ActivityKind.choices)
    topic = vocabulary_filter(_("Chủ đề"), _("Mọi chủ đề"), Topic.choices)
    group = forms.ModelChoiceField(
        label=_("Nhóm đối tượng"), required=False, queryset=AudienceGroup.objects.all(), empty_label=_("Mọi nhóm")
    )
    date_from = DateField(label=_("Từ ngày"), required=False, not_future=False)
    date_to = DateField(label=_("Đến ngày"), required=False, not_future=False)

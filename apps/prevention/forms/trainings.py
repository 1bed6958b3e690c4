"""Forms of trainings and their participants."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.areas.models import AdministrativeUnit
from apps.cases.forms import DateField
from apps.core import scoping
from apps.core.collation import vi_order
from apps.core.locking import VersionRequiredMixin

from .. import selectors


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

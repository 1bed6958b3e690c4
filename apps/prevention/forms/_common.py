"""Choice fields shared by the prevention forms, each narrowed to the reader's scope."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from apps.areas.models import AdministrativeUnit
from apps.core import filtering, scoping
from apps.core.collation import vi_order
from apps.core.generic import filters_from
from apps.core.locking import VersionRequiredMixin


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


def _commune_filter_field():
    return CommuneChoiceField(
        label=_("Xã, phường"),
        required=False,
        queryset=AdministrativeUnit.objects.none(),
        empty_label=_("Mọi xã, phường"),
    )


class ScopedRecordForm(VersionRequiredMixin, forms.Form):
    """An entry form on a commune's record, passed as the ``record_kwarg`` keyword: the commune
    among the user's current communes; editing, ``record_initial(record)`` pre-fills the form, the
    version is required and the commune is fixed; adding, a user with one commune has it chosen."""

    record_kwarg = "record"

    def __init__(self, *args, user, **kwargs):
        record = kwargs.pop(self.record_kwarg, None)
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = scoping.current_communes(user)
        if record is not None:
            self.initial.update(self.record_initial(record), commune=record.commune_id, version=record.version)
            self.require_version()
            self.fields["commune"].disabled = True
        else:
            communes = list(self.fields["commune"].queryset[:2])
            if len(communes) == 1:
                self.initial["commune"] = communes[0].pk

    def record_initial(self, record) -> dict:
        raise NotImplementedError


class ScopedFilterForm(filtering.ScopedFilterForm):
    """A prevention list's filter form (``core.filtering.ScopedFilterForm``); its valid input
    becomes the selector's ``filters_class``."""

    filters_class = None
    commune = _commune_filter_field()

    def filters(self):
        return filters_from(self, self.filters_class)

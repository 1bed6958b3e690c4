"""Choice fields shared by the prevention forms, each narrowed to the reader's scope."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from apps.areas.models import AdministrativeUnit
from apps.core import scoping
from apps.core.collation import vi_order


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

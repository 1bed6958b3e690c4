from django import forms
from django.utils.translation import gettext_lazy as _

from . import actions


class EntryFilterForm(forms.Form):
    actor = forms.CharField(label=_("Người thực hiện"), required=False)
    action = forms.ChoiceField(
        label=_("Hành động"),
        required=False,
        # read when the form is built: the apps add their labels from AppConfig.ready()
        choices=lambda: [("", _("Tất cả")), *actions.LABELS.items()],
    )
    date_from = forms.DateField(
        label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})
    )
    date_to = forms.DateField(
        label=_("Đến ngày"), required=False, widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})
    )

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.resources import VNIntegerWidget


class PopulationForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    population = forms.CharField(label=_("Dân số đang cư trú"), help_text=_("Số người, ví dụ 12.345."), max_length=20)
    source = forms.CharField(label=_("Nguồn số liệu"), max_length=200, required=False)
    # The version the editor saw; a mismatch at save time means someone else saved meanwhile.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = dt.date.today().year  # noqa: DTZ011

    def clean_population(self):
        try:
            value = VNIntegerWidget(minimum=1).clean(self.cleaned_data["population"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        if value is None:
            raise forms.ValidationError(_("Hãy nhập dân số."))
        return value

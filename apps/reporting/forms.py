"""Forms of reporting: the period picker and the review reasons."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from .models import PeriodKind
from .periods import NUMBERS, ROMAN, latest_ended, period_get

FIRST_YEAR = 2015


def year_choices() -> list[tuple[int, str]]:
    """The years a period can be picked in, newest first (next year for plans made ahead)."""
    return [(y, str(y)) for y in range(timezone.localdate().year + 1, FIRST_YEAR - 1, -1)]


def number_choices(kind: str) -> list[tuple[int, str]]:
    """The numbers valid for a kind of period: months 1–12, quarters I–IV, nothing else."""
    if kind == PeriodKind.MONTH:
        return [(n, gettext("Tháng %(n)s") % {"n": n}) for n in NUMBERS[kind]]
    if kind == PeriodKind.QUARTER:
        return [(n, gettext("Quý %(n)s") % {"n": ROMAN[n]}) for n in NUMBERS[kind]]
    return [(1, gettext("(không áp dụng)"))]


class PeriodNumberSelect(forms.Select):
    """The month or quarter of a period, offering only the numbers of the chosen kind. The options
    of the other kinds follow in ``<template>`` elements: ``period-picker.js`` swaps them in when the
    kind changes (without the script the server still refuses a quarter 5).

    It writes its ``<select>`` itself, byte for byte what ``forms.Select``'s templates wrote: those
    (select, one option template and one attrs template per option) were a third of the period
    picker's rendering, on every reporting page."""

    kind = PeriodKind.QUARTER

    def __init__(self, attrs=None):
        super().__init__({"data-period-number": "", **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        self.choices = number_choices(self.kind)
        selected = self.format_value(value)
        options = []
        for number, label in _number_options(self.kind):
            # forms.Select marks only the first option matching the value
            mark = " selected" if number in selected else ""
            if mark:
                selected = ()
            options.append(f'\n  <option value="{number}"{mark}>{label}</option>\n')
        attrs = "".join(_attr(k, v) for k, v in self.build_attrs(self.attrs, attrs).items())
        html = f'<select name="{escape(name)}"{attrs}>{"".join(options)}\n</select>{_number_templates()}'
        return mark_safe(html)  # noqa: S308 - the name, attributes and labels are escaped


def _attr(name: str, value) -> str:
    """One attribute as ``django/forms/widgets/attrs.html`` writes it (``True``: no value)."""
    if value is False:
        return ""
    if value is True:
        return f" {name}"
    return f' {name}="{escape(str(value))}"'


#: (language, kind) → the kind's options, (value, escaped label): constant once translated
_OPTIONS: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {}
#: language → the ``<template>`` elements of every kind's options
_TEMPLATES: dict[str, SafeString] = {}


def _number_options(kind: str) -> tuple[tuple[str, str], ...]:
    key = (get_language(), kind)
    if key not in _OPTIONS:
        _OPTIONS[key] = tuple((str(n), escape(str(label))) for n, label in number_choices(kind))
    return _OPTIONS[key]


def _number_templates() -> SafeString:
    language = get_language()
    if language not in _TEMPLATES:
        _TEMPLATES[language] = format_html_join(
            "",
            '<template data-period-choices="{}">{}</template>',
            [
                (kind, format_html_join("", '<option value="{}">{}</option>', number_choices(kind)))
                for kind in (PeriodKind.MONTH, PeriodKind.QUARTER, "")
            ],
        )
    return _TEMPLATES[language]


def number_field(**kwargs) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("Tháng / quý"),
        coerce=int,
        required=False,
        choices=[(n, str(n)) for n in NUMBERS[PeriodKind.MONTH]],
        widget=PeriodNumberSelect,
        **kwargs,
    )


def check_number(form: forms.Form, kind: str | None, number: int | None) -> int:
    """The number the kind allows (1 for the kinds without one); an error on the field otherwise."""
    if kind not in (PeriodKind.MONTH, PeriodKind.QUARTER):
        return 1
    if number is None:
        form.add_error("number", gettext("Chọn tháng hoặc quý."))
    elif number not in NUMBERS[kind]:
        form.add_error(
            "number",
            gettext("Quý phải từ 1 đến 4.") if kind == PeriodKind.QUARTER else gettext("Tháng phải từ 1 đến 12."),
        )
    return number or 1


def bind_number_widget(form: forms.Form) -> None:
    """Render the numbers of the kind the form shows (submitted, else initial)."""
    kind = form.data.get(form.add_prefix("kind")) if form.is_bound else None
    kind = kind or form.initial.get("kind") or form.fields["kind"].initial or PeriodKind.QUARTER
    form.fields["number"].widget.kind = kind


class PeriodForm(forms.Form):
    """Kind + year + number, each from a list of valid choices; anything missing or invalid falls
    back to the latest ended quarter, and ``rejected`` says why."""

    kind = forms.ChoiceField(label=_("Loại kỳ"), choices=PeriodKind.choices, required=False)
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, choices=year_choices, required=False, empty_value=None)
    number = number_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bind_number_widget(self)
        self.fields["number"].widget.attrs["data-testid"] = "period-number"

    def clean(self):
        data = super().clean()
        if data.get("kind") and data.get("year"):
            data["number"] = check_number(self, data["kind"], data.get("number"))
        return data

    @property
    def rejected(self) -> list[str]:
        """Why the submitted period was not shown (empty when it was, or nothing was chosen)."""
        if not self.is_bound or self.is_valid():
            return []
        return [str(m) for errors in self.errors.values() for m in errors]

    def period(self):
        # The latest ended period costs two queries: only asked for when the URL names none.
        if not self.is_valid():
            return latest_ended()
        data = self.cleaned_data
        kind, year, number = data.get("kind"), data.get("year"), data.get("number")
        if not kind or not year:
            return latest_ended()
        return period_get(kind, year, number)

    @staticmethod
    def initial_for(period) -> dict:
        return {"kind": period.kind, "year": period.year, "number": period.number}


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}), min_length=5, max_length=2000, strip=True
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do trả lại"),
        help_text=_("Xã sẽ thấy lý do này trên trang chủ và trang số liệu của kỳ."),
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=5,
        max_length=2000,
        strip=True,
    )


class ApproveForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Tôi đã xem số liệu xã đã nộp và đồng ý phê duyệt, khóa số liệu của kỳ"), required=True
    )


class SubmitForm(forms.Form):
    note = forms.CharField(label=_("Ghi chú gửi tỉnh (không bắt buộc)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

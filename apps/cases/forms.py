import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from apps.areas.models import AdministrativeUnit
from apps.core import scoping
from apps.core.collation import vi_order
from apps.core.locking import VersionRequiredMixin

from .choices import AgeBand, CaseType, CloseReason, Sex, Status, Whereabouts
from .models import CaseFile, Ethnicity, Person, SubstanceType
from .selectors import SORTS
from .services import PERSON_FIELDS, VOID_REASON_MIN_LENGTH, normalize_citizen_id

DATE_WIDGET = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


EARLIEST_FORM_DATE = dt.date(1900, 1, 1)  # birth dates included


class DateField(forms.DateField):
    widget = DATE_WIDGET

    def __init__(self, *args, not_future=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.not_future = not_future

    def validate(self, value):
        super().validate(value)
        if value and self.not_future and value > timezone.localdate():
            raise forms.ValidationError(_("Ngày không được sau ngày hôm nay."))
        if value and value < EARLIEST_FORM_DATE:
            # 05/01/0001 is a valid date for Python but a typo for a person's record.
            raise forms.ValidationError(
                _("Ngày không hợp lý (trước năm %(y)s).") % {"y": EARLIEST_FORM_DATE.year}, code="implausible"
            )


class PersonForm(VersionRequiredMixin, forms.ModelForm):
    date_of_birth = DateField(label=_("Ngày sinh"), required=False, help_text=_("Bỏ trống nếu chỉ biết năm sinh."))
    birth_year = forms.IntegerField(label=_("Năm sinh"), required=False, min_value=1900, max_value=2100)
    citizen_id = forms.CharField(
        label=_("Số CCCD/CMND"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("12 chữ số (CMND cũ: 9 chữ số)."),
    )
    # The person is shared by the files of every commune they lived in: edits are checked against
    # the version the editor opened, like the file's own version.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Person
        # The services' editable fields, in their order; the kind of identity number is not typed
        # but read from the number itself (``normalize_citizen_id``).
        fields = [name for name in PERSON_FIELDS if name != "citizen_id_kind"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = vi_order(AdministrativeUnit.objects.current().filter(level="commune"), "name")
        # Residence may be any commune of the province (people move); only the file's commune is scoped.
        self.fields["permanent_unit"].queryset = units
        self.fields["current_unit"].queryset = units
        self.fields["ethnicity"].queryset = Ethnicity.objects.all()
        self.fields["sex"].widget = forms.RadioSelect(choices=Sex.choices)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.require_version()

    def clean_citizen_id(self):
        # The identity check belongs with the other field checks: reported in the same round trip.
        return normalize_citizen_id(self.cleaned_data.get("citizen_id"))[0]

    def clean(self):
        data = super().clean()
        if not data.get("date_of_birth") and not data.get("birth_year"):
            self.add_error("birth_year", _("Cần ghi ngày sinh hoặc năm sinh."))
        return data


class CaseForm(VersionRequiredMixin, forms.ModelForm):
    detected_on = DateField(label=_("Ngày phát hiện"))
    first_use_date = DateField(label=_("Bắt đầu sử dụng"), required=False)
    substances = forms.MultipleChoiceField(
        label=_("Chất ma túy sử dụng"), required=False, widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CaseFile
        fields = [
            "commune",
            "case_type",
            "detected_on",
            "whereabouts",
            "use_method",
            "first_use_date",
            "assigned_officer",
            "helper_name",
            "criminal_record",
            "administrative_sanctions",
            "notes",
        ]
        widgets = {
            "criminal_record": forms.Textarea(attrs={"rows": 2}),
            "administrative_sanctions": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["substances"].choices = list(SubstanceType.objects.values_list("code", "name"))
        self.fields["commune"].queryset = AdministrativeUnit.objects.current().filter(level="commune")
        self.fields["assigned_officer"].queryset = get_user_model().objects.filter(is_active=True)
        scoping.restrict_form_fields(self, user)
        self.fields["assigned_officer"].queryset = get_user_model().objects.filter(
            is_active=True, area__in=scoping.visible_unit_ids(user)
        ) if not user.is_superuser else self.fields["assigned_officer"].queryset  # fmt: skip
        if self.instance.pk:
            self.fields["commune"].disabled = True
            self.fields["substances"].initial = list(self.instance.substances.values_list("code", flat=True))
            self.fields["version"].initial = self.instance.version
            self.require_version()
        elif getattr(user, "area", None) and user.area.level == "commune":
            self.fields["commune"].initial = user.area.pk


class TransitionForm(VersionRequiredMixin, forms.Form):
    event_date = DateField(label=_("Ngày"))
    decision_number = forms.CharField(label=_("Số quyết định/văn bản"), max_length=60, required=False)
    decision_date = DateField(label=_("Ngày quyết định"), required=False)
    signer = forms.CharField(label=_("Người ký"), max_length=120, required=False)
    facility = forms.CharField(label=_("Cơ sở, cơ quan thực hiện"), max_length=200, required=False)
    result = forms.CharField(label=_("Kết quả"), max_length=200, required=False)
    end_date = DateField(label=_("Đến ngày (theo quyết định)"), required=False, not_future=False)
    close_reason = forms.ChoiceField(label=_("Lý do kết thúc"), required=False, choices=[("", "—")])
    notes = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, transition, **kwargs):
        super().__init__(*args, **kwargs)
        self.require_version()  # a step always changes an existing file
        self.fields["event_date"].initial = timezone.localdate()
        if not transition.needs_end_date:
            del self.fields["end_date"]
        if not (transition.needs_decision or transition.target in (Status.MANAGED, Status.POST_REHAB)):
            for name in ("decision_number", "decision_date", "signer"):
                del self.fields[name]
        else:
            self.fields["decision_number"].required = transition.needs_decision
        if not transition.needs_facility and transition.target not in (Status.COMPULSORY_DOSSIER,):
            del self.fields["facility"]
        else:
            self.fields["facility"].required = transition.needs_facility
        if transition.choose_reason:
            reasons = [c for c in CloseReason.choices if c[0] not in ("transferred", "negative_test")]
            self.fields["close_reason"].choices = [("", "—"), *reasons]
            self.fields["close_reason"].required = True
        else:
            del self.fields["close_reason"]


class EventForm(forms.Form):
    event_date = DateField(label=_("Ngày"))
    result = forms.CharField(label=_("Kết quả, nội dung chính"), max_length=200, required=False)
    whereabouts = forms.ChoiceField(label=_("Nơi ở hiện nay"), choices=Whereabouts.choices, required=False)
    notes = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event_date"].initial = timezone.localdate()
        if kind != "whereabouts":
            del self.fields["whereabouts"]


class TransferForm(forms.Form):
    to_commune = forms.ModelChoiceField(
        label=_("Chuyển đến xã, phường"),
        queryset=AdministrativeUnit.objects.none(),
        help_text=_("Hồ sơ tại xã này được đóng; xã nhận có hồ sơ mới, liên kết với lịch sử cũ."),
    )
    event_date = DateField(label=_("Ngày chuyển"))
    notes = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        # Any current commune of the province may receive the person: names only, no data of theirs.
        self.fields["to_commune"].queryset = vi_order(
            AdministrativeUnit.objects.current().filter(level="commune").exclude(pk=case.commune_id), "name"
        )
        self.fields["event_date"].initial = timezone.localdate()


class FastSelect(forms.Select):
    """``forms.Select`` writing the same HTML as Django's templates, in Python: the filters of the
    province's case list hold ~220 options, and one template include per option was a quarter
    of the list page's time."""

    @staticmethod
    def _attrs(attrs: dict) -> str:
        # django/forms/widgets/attrs.html
        return "".join(
            f" {conditional_escape(name)}" + ("" if value is True else f'="{escape(str(value))}"')
            for name, value in attrs.items()
            if value is not False
        )

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        out = [f'<select name="{conditional_escape(widget["name"])}"{self._attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in group_choices:
                out.append(
                    f'\n  <option value="{escape(str(option["value"]))}"{self._attrs(option["attrs"])}>'
                    f"{conditional_escape(option['label'])}</option>\n"  # select_option.html's last line end
                )
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


class _ListChoiceIterator(forms.models.ModelChoiceIterator):
    """The choices read with one plain SELECT. Django's iterator calls ``queryset.iterator()``,
    which on PostgreSQL outside a transaction opens a server-side cursor (DECLARE … WITH HOLD,
    materialised, then FETCHed): two extra round trips per select on every list page."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in list(self.queryset):
            yield self.choice(obj)


class ListModelChoiceField(forms.ModelChoiceField):
    iterator = _ListChoiceIterator


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm"), required=False)
    commune = ListModelChoiceField(
        label=_("Xã, phường"),
        required=False,
        queryset=AdministrativeUnit.objects.none(),
        empty_label=_("Mọi xã, phường"),
        widget=FastSelect,
    )
    status = forms.ChoiceField(
        label=_("Tình trạng"), required=False, choices=[("", _("Mọi tình trạng"))], widget=FastSelect
    )
    open_only = forms.BooleanField(label=_("Chỉ hồ sơ đang quản lý"), required=False)
    case_type = forms.ChoiceField(
        label=_("Loại"), required=False, choices=[("", _("Mọi loại")), *CaseType.choices], widget=FastSelect
    )
    substance = forms.ChoiceField(label=_("Chất ma túy"), required=False, widget=FastSelect)
    sex = forms.ChoiceField(
        label=_("Giới tính"), required=False, choices=[("", _("Nam, nữ")), *Sex.choices], widget=FastSelect
    )
    age_band = forms.ChoiceField(
        label=_("Độ tuổi"), required=False, choices=[("", _("Mọi độ tuổi")), *AgeBand.choices], widget=FastSelect
    )
    ethnicity = ListModelChoiceField(
        label=_("Dân tộc"),
        required=False,
        queryset=Ethnicity.objects.all(),
        empty_label=_("Mọi dân tộc"),
        widget=FastSelect,
    )
    sort = forms.ChoiceField(label=_("Sắp xếp"), required=False, choices=[(k, k) for k in SORTS], widget=FastSelect)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = vi_order(
            AdministrativeUnit.objects.current()
            .filter(level="commune")
            .filter(pk__in_ids=scoping.visible_unit_ids(user)),
            "name",
        )
        self.fields["status"].choices = [("", _("Mọi tình trạng")), *Status.choices]
        self.fields["substance"].choices = [("", _("Mọi chất")), *SubstanceType.objects.values_list("code", "name")]


class VoidEventForm(VersionRequiredMixin, forms.Form):
    """Void a timeline entry recorded by mistake, with a reason; ticking "correct" records the
    corrected entry in its place (the fields start from the voided entry's values)."""

    reason = forms.CharField(
        label=_("Lý do hủy"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ví dụ: ghi nhầm hồ sơ, sai ngày thăm gặp. Mục bị hủy vẫn hiện trong diễn biến, gạch ngang."),
        error_messages={"required": _("Hãy ghi lý do hủy (ít nhất 10 ký tự).")},
    )
    correct = forms.BooleanField(label=_("Ghi lại mục đúng thay cho mục này"), required=False)
    event_date = DateField(label=_("Ngày (mục đúng)"), required=False)
    result = forms.CharField(label=_("Kết quả, nội dung chính (mục đúng)"), max_length=200, required=False)
    whereabouts = forms.ChoiceField(label=_("Nơi ở hiện nay (mục đúng)"), choices=Whereabouts.choices, required=False)
    notes = forms.CharField(label=_("Ghi chú (mục đúng)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, event, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "event_date": event.event_date,
                "result": event.result,
                "notes": event.notes,
                "whereabouts": event.whereabouts,
            },
        )
        super().__init__(*args, **kwargs)
        self.require_version()
        if event.kind != "whereabouts":
            del self.fields["whereabouts"]

    def clean_reason(self) -> str:
        reason = " ".join(self.cleaned_data["reason"].split())
        if len(reason) < VOID_REASON_MIN_LENGTH:
            raise forms.ValidationError(_("Hãy ghi lý do hủy (ít nhất %(n)s ký tự).") % {"n": VOID_REASON_MIN_LENGTH})
        return reason

    def clean(self):
        data = super().clean()
        if data.get("correct") and not data.get("event_date") and not self.has_error("event_date"):
            self.add_error("event_date", _("Hãy nhập ngày của mục đúng."))
        edited = {n for n in self.changed_data if n in self.data} & {"event_date", "result", "whereabouts", "notes"}
        if not data.get("correct") and edited:
            # What was typed for the corrected entry is never dropped without a word.
            self.add_error(
                "correct",
                _(
                    "Bạn đã sửa nội dung của mục đúng: hãy đánh dấu ô này để ghi lại mục đúng, hoặc trả các ô về "
                    "như cũ nếu chỉ muốn hủy."
                ),
            )
        return data

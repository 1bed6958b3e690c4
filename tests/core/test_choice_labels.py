"""``get_<field>_display()`` on the case models: the same labels as Django's, without re-translating
every choice of the field on each call (issue 14 §3: a worklist row called it four times, and each
call hashed every lazy label of the field, ~2,500 gettext calls for one page)."""

from unittest import mock

from django.utils import translation

from apps.cases.choices import CaseType, EventKind, Sex, Status
from apps.cases.models import CaseEvent, CaseFile, Person


def test_labels_are_the_choice_labels():
    for value, label in Status.choices:
        assert CaseFile(status=value).get_status_display() == str(label)
    for value, label in CaseType.choices:
        assert CaseFile(case_type=value).get_case_type_display() == str(label)
    for value, label in Sex.choices:
        assert Person(sex=value).get_sex_display() == str(label)
    for value, label in EventKind.choices:
        assert CaseEvent(kind=value).get_kind_display() == str(label)
    assert isinstance(CaseFile(status=Status.MANAGED).get_status_display(), str)


def test_a_value_outside_the_choices_is_shown_as_it_is_stored():
    assert CaseFile(status="no_such_status").get_status_display() == "no_such_status"
    assert CaseFile(use_method="").get_use_method_display() == ""
    assert CaseEvent(from_status=None).get_from_status_display() is None


def test_labels_are_translated_once_per_language():
    expected = str(Status.MANAGED.label)
    CaseFile(status=Status.MANAGED).get_status_display()  # first call of this language: translated
    with mock.patch("django.utils.translation._trans.gettext", side_effect=AssertionError("re-translated")):
        for _i in range(3):
            assert CaseFile(status=Status.MANAGED).get_status_display() == expected


def test_each_language_has_its_own_labels():
    with translation.override("en"):
        english = CaseFile(status=Status.MANAGED).get_status_display()
        assert english == str(Status.MANAGED.label)
    with (
        translation.override("vi"),
        mock.patch("django.utils.translation._trans.gettext", side_effect=lambda s: f"vi:{s}") as gettext,
    ):
        # a language not seen yet is translated through its own catalogue, not served the English cache
        from apps.core import choice_labels

        choice_labels.clear()
        assert CaseFile(status=Status.MANAGED).get_status_display().startswith("vi:")
        assert gettext.called
    choice_labels.clear()

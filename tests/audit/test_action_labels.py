"""Audit action codes are stored in the log and never change meaning: each is declared once, with
its label, in one app."""

import pytest

from apps.audit import actions
from apps.core.codes import CodeLabels


def test_an_app_cannot_redeclare_another_apps_code_with_another_label(monkeypatch):
    monkeypatch.setattr(actions, "LABELS", CodeLabels(actions.LABELS))
    code = next(iter(actions.LABELS))
    same = actions.LABELS[code]
    actions.register_labels({code: same})  # the same declaration again (a second ready()) is harmless
    assert actions.LABELS[code] is same
    with pytest.raises(ValueError, match="declared twice"):
        actions.register_labels({code: "Một nhãn khác"})
    assert actions.LABELS[code] is same


def test_one_app_cannot_declare_a_code_twice():
    labels = CodeLabels()
    labels.add("x.model.verb", "Nhãn")
    with pytest.raises(ValueError, match="declared twice"):
        labels.add("x.model.verb", "Nhãn khác")

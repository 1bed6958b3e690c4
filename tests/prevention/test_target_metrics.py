"""``Target.indicator`` takes its choices from a static list (``choices.TargetMetric``) so the model
never imports the computations; the list and the registry of computations must stay equal."""

from apps.prevention import targets
from apps.prevention.choices import TargetMetric
from apps.prevention.models import Target


def test_every_registered_metric_is_a_choice_with_the_same_label_and_nothing_else():
    assert targets.indicator_choices() == TargetMetric.choices


def test_the_target_field_offers_the_static_list():
    assert Target._meta.get_field("indicator").choices == TargetMetric.choices

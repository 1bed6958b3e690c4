"""What several classification pages share: the criteria tables of a rule set, and the page's
object read once per request."""

from .. import rules


def spec_context(spec: rules.RuleSetSpec) -> dict:
    """Levels with their criteria and the threshold text, for the criteria tables."""
    return {
        "spec": spec,
        "levels": [
            {
                "level": level,
                "criteria": [{"c": c, "threshold": rules.criterion_threshold_text(c, spec)} for c in level.criteria],
            }
            for level in spec.ordered_levels()
        ],
        "unverified_count": spec.unverified_count(),
    }


class ObjectOnceMixin:
    """The page's object from ``load_object()``, read once per request however many steps ask for
    it, and only after ``dispatch()`` checked the role (403 before an out-of-scope 404)."""

    _object = None

    def get_object(self):
        if self._object is None:
            self._object = self.load_object()
        return self._object

"""Permissions this app adds to each role, added to ``apps.accounts.roles`` from
``ClassificationConfig.ready()`` (the one place they are written)."""

_VIEW = [
    "classification.view_ruleset",
    "classification.view_keyroute",
    "classification.view_assessmentresult",
]
_PROVINCE = [
    *_VIEW,
    "classification.export_ruleset",
    "classification.add_keyroute",
    "classification.change_keyroute",
    "classification.delete_keyroute",
    "classification.view_assessment",
    "classification.run_assessment",
    "classification.approve_assessment",
    "classification.override_assessment",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    # Their own commune's published result and explanation, the criteria, the routes through it.
    "commune_officer": [*_VIEW],
    # Same, for their unit (aggregates; no personal data is involved).
    "steering_member": [*_VIEW],
    # Runs, overrides and approves the classification; maintains the key routes.
    "province_staff": [*_PROVINCE],
    # Plus importing rule sets (legal configuration).
    "administrator": [*_PROVINCE, "classification.import_ruleset"],
}

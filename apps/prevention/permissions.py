"""The prevention permissions each role holds, added to ``apps.accounts.roles`` from
``PreventionConfig.ready()`` (the one place they are written).
``prevention.view_informant`` is deliberately in NO role: it is granted to named province staff
one by one (Django admin → user → permissions), so reading who gave a tip-off is a personal
authorisation, never a side effect of a role.
"""

_WORK = [
    "prevention.view_activity",
    "prevention.add_activity",
    "prevention.change_activity",
    "prevention.import_activity",
    "prevention.export_activity",
    "prevention.view_highriskperson",
    "prevention.add_highriskperson",
    "prevention.change_highriskperson",
    "prevention.export_highriskperson",
    "prevention.view_training",
    "prevention.add_training",
    "prevention.change_training",
    "prevention.export_training",
    "prevention.view_modelpoint",
    "prevention.add_modelpoint",
    "prevention.change_modelpoint",
    "prevention.export_modelpoint",
    "prevention.view_tipoff",
    "prevention.add_tipoff",
    "prevention.change_tipoff",
    "prevention.export_tipoff",
    "prevention.view_target",
]
_PROVINCE = [
    # Province-organised campaigns and trainings cover several communes.
    "prevention.view_activity",
    "prevention.add_activity",
    "prevention.change_activity",
    "prevention.import_activity",
    "prevention.export_activity",
    "prevention.view_highriskperson",
    "prevention.export_highriskperson",
    "prevention.view_training",
    "prevention.add_training",
    "prevention.change_training",
    "prevention.export_training",
    # Model points are evaluated by the province each year.
    "prevention.view_modelpoint",
    "prevention.change_modelpoint",
    "prevention.export_modelpoint",
    "prevention.view_tipoff",
    "prevention.export_tipoff",
    "prevention.view_target",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    # Enters and maintains their commune's prevention work.
    "commune_officer": _WORK,
    # Aggregates only: the targets page, never the register of people or the tip-offs.
    "steering_member": ["prevention.view_target"],
    "province_staff": _PROVINCE,
    # Plus the reference data: audience groups and the targets (legal configuration, in the admin).
    "administrator": [
        *_PROVINCE,
        "prevention.view_audiencegroup",
        "prevention.add_audiencegroup",
        "prevention.change_audiencegroup",
        "prevention.change_target",
    ],
}

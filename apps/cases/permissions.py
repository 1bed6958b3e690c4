"""The case-file permissions each role holds, added to ``apps.accounts.roles`` from
``CasesConfig.ready()`` (the one place they are written)."""

_WORK = [
    "cases.view_casefile",
    "cases.add_casefile",
    "cases.change_casefile",
    "cases.transition_casefile",
    "cases.import_casefile",
    "cases.export_casefile",
]
_READ = ["cases.view_casefile", "cases.export_casefile", "cases.view_casefile_audit"]
_PROVINCE = [
    *_READ,
    "cases.merge_person",
    # voids or corrects a timeline entry recorded by mistake, whoever recorded it (issue 12 §1)
    "cases.void_caseevent",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    # Enters and maintains the files of their own commune.
    "commune_officer": _WORK,
    # steering_member: none — aggregates only, never personal records.
    # Reads every file of the province, merges duplicate people, voids entries recorded by mistake.
    "province_staff": _PROVINCE,
    # Plus the legal reference data (durations, holidays, ethnicities), edited in the admin.
    "administrator": [
        *_PROVINCE,
        "cases.view_legalduration",
        "cases.change_legalduration",
        "cases.add_legalduration",
        "cases.view_holiday",
        "cases.add_holiday",
        "cases.change_holiday",
        "cases.delete_holiday",
        "cases.view_ethnicity",
        "cases.change_ethnicity",
    ],
}

"""The register permissions each role holds, added to ``apps.accounts.roles`` from
``RegistersConfig.ready()`` (the one place they are written).
"""

_MODELS = ("hotspot", "crimecase", "cultivation")

#: commune officers enter and maintain their commune's registers. No ``delete``: a record entered
#: by mistake is corrected, never removed (the period aggregates and the audit trail rely on it).
WORK_REGISTERS: list[str] = [
    f"registers.{action}_{model}" for model in _MODELS for action in ("view", "add", "change", "import", "export")
]

#: province staff read every commune's registers and export them.
READ_REGISTERS: list[str] = [f"registers.{action}_{model}" for model in _MODELS for action in ("view", "export")]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    "commune_officer": WORK_REGISTERS,
    "province_staff": READ_REGISTERS,
    # The administrator reads like province staff (the Django admin is read-only for registers).
    "administrator": READ_REGISTERS,
    # steering_member: none — aggregates only, never the registers (offenders are personal data).
}

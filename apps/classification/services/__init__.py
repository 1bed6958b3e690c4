"""Writes for commune classification. Every change is validated, runs in one transaction and writes
its audit row in it (views, management commands and the data migration call these functions).

``actor=None`` means the system (management commands run by whoever holds the server): permission
checks apply to user actors only, and the audit row records the command's name instead.

One module per sub-domain: ``rulesets`` (import, the assumed-bound parameter, the shipped files),
``keyroutes`` (the key drug routes), ``runs`` (classifying the communes of a year into a proposal)
and ``decisions`` (override and approval), with the permission checks and audit action codes in
``_common``; callers keep using ``services.<name>``, re-exported here.
"""

from ._common import (
    ASSESSMENT_APPROVE,
    ASSESSMENT_RUN,
    ASSESSMENT_SUPERSEDE,
    KEYROUTE_CREATE,
    KEYROUTE_DELETE,
    KEYROUTE_UPDATE,
    RESULT_OVERRIDE,
    RULESET_CREATE,
    RULESET_IMPORT,
    RULESET_REPLACE,
)
from .decisions import assessment_approve, assessment_override
from .keyroutes import KEYROUTE_FIELDS, keyroute_create, keyroute_delete, keyroute_update
from .rulesets import (
    PARAMETER_PERMISSION,
    SHIPPED_DIR,
    RuleSetImportError,
    load_shipped,
    parse_ruleset_file,
    ruleset_import,
    ruleset_load_shipped,
    ruleset_set_parameter,
    write_spec,
)
from .runs import CONVERTED, MAP_OF_THE_TIME, assessment_run, classify, map_for_choice

__all__ = [
    "ASSESSMENT_APPROVE",
    "ASSESSMENT_RUN",
    "ASSESSMENT_SUPERSEDE",
    "KEYROUTE_CREATE",
    "KEYROUTE_DELETE",
    "KEYROUTE_UPDATE",
    "RESULT_OVERRIDE",
    "RULESET_CREATE",
    "RULESET_IMPORT",
    "RULESET_REPLACE",
    "assessment_approve",
    "assessment_override",
    "KEYROUTE_FIELDS",
    "keyroute_create",
    "keyroute_delete",
    "keyroute_update",
    "PARAMETER_PERMISSION",
    "SHIPPED_DIR",
    "RuleSetImportError",
    "load_shipped",
    "parse_ruleset_file",
    "ruleset_import",
    "ruleset_load_shipped",
    "ruleset_set_parameter",
    "write_spec",
    "CONVERTED",
    "MAP_OF_THE_TIME",
    "assessment_run",
    "classify",
    "map_for_choice",
]

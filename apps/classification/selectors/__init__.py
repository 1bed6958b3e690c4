"""Reads for commune classification: the indicators of every commune for a period (a constant
number of grouped queries, whatever the number of communes), rule sets as engine specs, and the
scoped views of assessments and their results.

Units and history. Every record counted here (case files, and the registers' hotspots, crimes and
cultivation) already carries today's commune: records entered under a pre-2025 unit are converted
to their current commune when recorded (``cases`` and ``registers`` derive ``commune`` through the
official conversion, ``areas.UnitSuccession``). Grouping by ``commune`` therefore *is* the old→new
conversion: a past year "converted to today's communes".

A past year is assessed by default on the map of its time (issue 10 §4, ``on_map``): the units of
that map (2019, 2020, early 2025), each case file in the old unit it was recorded under or derives
from (``stocks.counts_in_window_on_map``), the registers, submissions and key routes of a current
commune in its old unit when that is a single one. What cannot be attributed is reported apart
(``unattributed``), never added to a commune.

One module per kind of read: ``indicators`` (the figures the rules classify on), ``rulesets``,
``assessments`` (assessments, results, tables, diffs, key routes) and ``maps`` (a year's figures
on its map); callers keep using ``selectors.<name>``, re-exported here.
"""

from .assessments import (
    AssessmentDiff,
    ClassificationTable,
    DiffRow,
    LevelCount,
    TableRow,
    approved_assessment,
    assessment_diff,
    assessment_get,
    assessments_for,
    classification_table,
    commune_history,
    criteria_text,
    keyroute_get,
    keyroute_list,
    previous_approved,
    published_years,
    result_get,
    results_visible_to,
)
from .indicators import (
    PUBLISHED,
    REGISTER_INDICATORS,
    RegisterTotals,
    current_communes,
    default_map_for,
    gather_indicators,
    map_communes,
    registers_module,
)
from .maps import MapFigureRow, MapFigures, map_figures
from .rulesets import ruleset_export_data, ruleset_for_year, ruleset_get, ruleset_list, ruleset_spec

__all__ = [
    "PUBLISHED",
    "REGISTER_INDICATORS",
    "RegisterTotals",
    "current_communes",
    "default_map_for",
    "gather_indicators",
    "map_communes",
    "registers_module",
    "ruleset_export_data",
    "ruleset_for_year",
    "ruleset_get",
    "ruleset_list",
    "ruleset_spec",
    "AssessmentDiff",
    "ClassificationTable",
    "DiffRow",
    "LevelCount",
    "TableRow",
    "approved_assessment",
    "assessment_diff",
    "assessment_get",
    "assessments_for",
    "classification_table",
    "commune_history",
    "criteria_text",
    "keyroute_get",
    "keyroute_list",
    "previous_approved",
    "published_years",
    "result_get",
    "results_visible_to",
    "MapFigureRow",
    "MapFigures",
    "map_figures",
]

"""The upload → dry-run preview → confirm flow shared by every spreadsheet import.

A file is imported whole or not at all: the preview runs the real import inside a transaction
that is rolled back, the confirmation runs it again in one transaction that only commits when
no row has an error. Errors are reported per row and column, in Vietnamese.

One module per step: ``report`` (row errors, changes and the report a run returns), ``reading``
(an upload to a dataset, xlsx and csv), ``pending`` (the uploaded file kept between preview and
confirmation), ``baselines`` (refusing a confirmation when a colleague changed a target since
the preview) and ``running`` (``run_import``, ``import_file``, ``review_preview``); callers keep
using ``imports.<name>``, re-exported here.
"""

from .baselines import baseline_conflicts, empty_baseline, lock_targets, stale_message
from .pending import PendingImport
from .reading import ALLOWED_EXTENSIONS, DATA_SHEET_KEYS, count_rows, dataset_from_bytes, read_upload
from .report import (
    MESSAGE_MAX_CHARS,
    FieldChange,
    ImportFileError,
    ImportReport,
    RowChange,
    RowError,
    UnitConversion,
    clip,
    field_changes,
    shown,
    target_digest,
)
from .running import import_file, logger, review_preview, run_import

__all__ = [
    "FieldChange",
    "ImportFileError",
    "ImportReport",
    "MESSAGE_MAX_CHARS",
    "RowChange",
    "RowError",
    "UnitConversion",
    "clip",
    "field_changes",
    "shown",
    "target_digest",
    "ALLOWED_EXTENSIONS",
    "DATA_SHEET_KEYS",
    "count_rows",
    "dataset_from_bytes",
    "read_upload",
    "PendingImport",
    "baseline_conflicts",
    "empty_baseline",
    "lock_targets",
    "stale_message",
    "import_file",
    "logger",
    "review_preview",
    "run_import",
]

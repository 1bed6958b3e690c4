"""Writes on the registers. Views, imports and the demo data all call these functions: each one
checks the role and the area, validates, refuses a save based on a stale version (optimistic
locking) and writes its audit row in the same transaction as the change.

One module per register kind (``hotspots``, ``crimecases``, ``cultivation``) on the shared rules in
``_common`` (text and decimal cleaning, the commune as written, locking, numbering, the audit
write). Nothing is re-exported here: callers import the kind's module
(``from apps.registers.services import hotspots as hotspot_services``), so a new kind adds its
module and edits no list.
"""

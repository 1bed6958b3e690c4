"""Who acts: the one convention for the acting user, the system actor and the authorship columns.

* Every service takes a keyword-only ``actor``. A request passes ``request.user``; a background
  job acts as the user who asked for it (an import confirmed in the worker as its uploader, a
  report rendered for its requester), so its rows and audit entries name that person.
* The **system** — management commands run by whoever holds the server, data migrations, the
  scheduled jobs nobody asked for — is ``None``: write ``actor=actors.SYSTEM`` (or
  ``system_actor()``), never leave it to a default by accident. The system holds every
  permission and every unit on the write side (``scoping.require``, ``ensure_can``,
  ``commune_error``, ``ensure_units_in_scope``). Reads are never asked for the system: a selector
  always has a user, so a forgotten user cannot widen a read.
* ``created_by`` / ``updated_by`` / ``…_by`` columns are ``user_or_none(actor)``: the user, or
  ``None`` for the system (never an anonymous user). The abstract ``core.models.VersionedModel``
  leaves ``created_by`` to each model so its ``related_name`` and null-ness stay the model's own.
* The system's audit rows have no actor and the username ``SYSTEM_USERNAME`` ("system"); a
  command may name itself instead (``create_account`` writes "manage.py"). The demo seed acts as
  the demo accounts, so its data looks like an officer's work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    AnyUser = AbstractBaseUser | AnonymousUser

SYSTEM: None = None
SYSTEM_USERNAME = "system"


def system_actor() -> None:
    """The system actor (``None``), for commands, data migrations and scheduled jobs."""
    return SYSTEM


def is_system(actor: AnyUser | None) -> bool:
    """Is this the system acting (no user at all)? An anonymous user is not the system."""
    return actor is None


def is_user(actor: AnyUser | None) -> bool:
    """Is this a signed-in user (not the system, not anonymous)?"""
    return actor is not None and bool(getattr(actor, "is_authenticated", False))


def user_or_none(actor: AnyUser | None) -> Any:
    """The user to record as author or editor (``created_by``, ``updated_by``…): ``None`` for the
    system or an anonymous actor."""
    return actor if is_user(actor) else None

"""Argon2id with the parameters of the settings (``PCMT_ARGON2_*``), measured on the server.

Django's own Argon2 hasher fixes m=100 MiB, t=2, p=8 as class attributes: about 0.5 s a login on
the 2-core server, and 100 MiB per login in progress. Here they come from the settings, so a
province can raise them on a bigger machine; ``must_update`` compares a stored hash with them, so
every hash made with other parameters (or by PBKDF2) is rehashed at the user's next login.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher

#: OWASP Password Storage Cheat Sheet, Argon2id minimum (19 MiB, 2 passes, 1 lane)
OWASP_MIN = {"memory_cost": 19_456, "time_cost": 2, "parallelism": 1}


class PcmtArgon2PasswordHasher(Argon2PasswordHasher):
    # Same algorithm name as Django's: hashes stay readable by the stock hasher and vice versa.
    algorithm = "argon2"

    @property
    def time_cost(self) -> int:  # type: ignore[override]
        return max(int(settings.PCMT_ARGON2_TIME_COST), OWASP_MIN["time_cost"])

    @property
    def memory_cost(self) -> int:  # type: ignore[override]
        return max(int(settings.PCMT_ARGON2_MEMORY_KIB), OWASP_MIN["memory_cost"])

    @property
    def parallelism(self) -> int:  # type: ignore[override]
        return max(int(settings.PCMT_ARGON2_PARALLELISM), OWASP_MIN["parallelism"])

"""Which of faasguard's on-disk caches are off (`FAASGUARD_NO_CACHE`).

Two caches live under `$XDG_CACHE_HOME/faasguard/`: parsed Terraform files (`terraform`, per
project file) and the compact index of the installed AWS SDK models (`sdk-models`, per
installation). `FAASGUARD_NO_CACHE=1` (any value that is not a list of those names) turns both
off; `FAASGUARD_NO_CACHE=terraform` turns off only the named ones, e.g. to time a first scan of a
project on an installation that has run before.
"""

from __future__ import annotations

import os

KINDS = frozenset({"terraform", "sdk-models"})


def cache_off(kind: str) -> bool:
    value = os.environ.get("FAASGUARD_NO_CACHE", "").strip()
    if not value:
        return False
    names = {part.strip() for part in value.split(",") if part.strip()}
    return kind in names if names <= KINDS else True

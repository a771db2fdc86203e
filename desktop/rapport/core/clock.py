"""What "today" is for the log, due dates and plans: the real date, or ``RAPPORT_TODAY``.

The logic itself always takes ``today`` as an argument; only the command line and the
window ask this module, so scripts and tests can pin the date with the environment.
"""

from __future__ import annotations

import os
from datetime import date

from rapport.core.errors import BadInput

ENV_TODAY = "RAPPORT_TODAY"


def today() -> date:
    """The real date, unless ``RAPPORT_TODAY=YYYY-MM-DD`` pins it."""
    text = os.environ.get(ENV_TODAY, "").strip()
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{ENV_TODAY} must be a date (YYYY-MM-DD), not {text!r}") from None

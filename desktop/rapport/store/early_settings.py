"""A few preferences read straight from the journal file before it is opened.

The window places itself (size, position, the view last shown) before peewee and the
journal are even loaded, so it paints as soon as a bare window would. Plain ``sqlite3``,
read-only; anything amiss reads as "nothing stored".
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def peek(journal_path: Path, keys: Iterable[str]) -> dict[str, Any]:
    wanted = list(keys)
    if not wanted or not Path(journal_path).is_file():
        return {}
    marks = ",".join("?" * len(wanted))
    try:
        uri = f"{Path(journal_path).resolve().as_uri()}?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=0.2)) as conn:
            rows = conn.execute(
                f"SELECT key, value FROM setting WHERE key IN ({marks})", wanted
            ).fetchall()
    except sqlite3.Error:
        return {}
    out: dict[str, Any] = {}
    for key, value in rows:
        with contextlib.suppress(ValueError, TypeError):
            out[str(key)] = json.loads(value)
    return out

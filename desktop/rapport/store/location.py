"""Where the journal lives: ``--data-dir``, else ``RAPPORT_DATA_DIR``, else the platform default."""

from __future__ import annotations

import os
from pathlib import Path

JOURNAL_NAME = "journal.sqlite"
ENV_DATA_DIR = "RAPPORT_DATA_DIR"
DEMO_FOLDER = "demo"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("Rapport", appauthor=False))


def journal_path(directory: Path, *, demo: bool = False) -> Path:
    """The user's journal, or the sample journal kept apart in its own folder."""
    if demo:
        return directory / DEMO_FOLDER / JOURNAL_NAME
    return directory / JOURNAL_NAME

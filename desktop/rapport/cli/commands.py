"""The list of command modules; each has ``register(subparsers)``. Add new ones here."""

from __future__ import annotations

from rapport.cli import (
    backup_cmd,
    calendar_cmd,
    config_cmd,
    export_cmd,
    generosity_cmd,
    import_cmd,
    people_cmd,
)

MODULES = [
    people_cmd,
    config_cmd,
    import_cmd,
    export_cmd,
    generosity_cmd,
    backup_cmd,
    calendar_cmd,
]

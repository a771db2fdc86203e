"""Preferences kept in the journal, each declared once with its default and label.

The preferences UI and ``rapport config`` build themselves from ``SETTINGS``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from rapport.store.models import Setting


@dataclass(frozen=True)
class SettingDef:
    key: str
    default: Any
    label: str
    group: str
    help: str = ""

    @property
    def kind(self) -> type:
        return type(self.default)


SETTINGS: list[SettingDef] = [
    SettingDef("home_city", "", "Home city", "Places", "Your own city: never a trip."),
    SettingDef("reach_km", 50.0, "Within reach (km)", "Places", "Who counts as near a trip."),
    SettingDef("cadence.tier1", 21, "Tier 1 cadence (days)", "Keeping in touch"),
    SettingDef("cadence.tier2", 60, "Tier 2 cadence (days)", "Keeping in touch"),
    SettingDef("cadence.tier3", 180, "Tier 3 cadence (days)", "Keeping in touch"),
    SettingDef("cadence.default", 365, "Untiered cadence (days)", "Keeping in touch"),
    SettingDef("backup.folder", "", "Backup folder", "Backups", "Empty: inside the data folder."),
    SettingDef("backup.daily", 12, "Daily backups kept", "Backups"),
    SettingDef("backup.weekly", 10, "Weekly backups kept", "Backups"),
    SettingDef("backup.monthly", 9, "Monthly backups kept", "Backups"),
    SettingDef("backup.interval_minutes", 30, "Back up while changed, every (minutes)", "Backups"),
    SettingDef("calendar.refresh_hours", 4, "Refresh calendar feeds every (hours)", "Calendar"),
    SettingDef(
        "invite.template",
        "Hi {first},\n\nI'll be in {city} from {start} to {end}. "
        "Would you have time for a coffee?\n\nBest,\n{me}",
        "Coffee invitation",
        "Calendar",
        "Placeholders: {first} {name} {city} {start} {end} {me}",
    ),
    SettingDef("me.name", "", "Your name", "You"),
    SettingDef("me.email", "", "Your email", "You"),
]
_BY_KEY = {s.key: s for s in SETTINGS}


class UnknownSetting(KeyError):
    pass


def definition(key: str) -> SettingDef:
    try:
        return _BY_KEY[key]
    except KeyError:
        if key.startswith("ui."):  # window state: free-form, never shown as a preference
            return SettingDef(key, None, key, "UI")
        raise UnknownSetting(key) from None


def get(key: str) -> Any:
    spec = definition(key)
    row = Setting.get_or_none(Setting.key == key)
    if row is None:
        return spec.default
    return json.loads(row.value)


def put(key: str, value: Any) -> None:
    definition(key)
    Setting.insert(key=key, value=json.dumps(value)).on_conflict_replace().execute()


def coerce(key: str, text: str) -> Any:
    """Parse what a user typed for ``key`` into the setting's type; ValueError if it won't."""
    spec = definition(key)
    kind = spec.kind
    if kind is bool:
        lowered = text.strip().lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off"}:
            return False
        raise ValueError(f"{key} takes yes or no, not {text!r}")
    try:
        if kind is int:
            return int(text)
        if kind is float:
            value = float(text)
            if value != value or value in (float("inf"), float("-inf")):
                raise ValueError(text)
            return value
    except ValueError:
        raise ValueError(f"{key} takes a number, not {text!r}") from None
    return text

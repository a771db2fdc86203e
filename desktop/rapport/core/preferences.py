"""Reading and changing preferences, with validation that needs the domain (a home city)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from rapport.core import gazetteer
from rapport.core.changes import Changes
from rapport.core.errors import BadInput
from rapport.store import settings

# Trips and flags depend on these: changing one rebuilds them at once.
REBUILDS_TRIPS = frozenset({"home_city", "reach_km"})

Validator = Callable[[Any], Any]
_VALIDATORS: dict[str, Validator] = {}


def validator(key: str) -> Callable[[Validator], Validator]:
    """Register a check (value -> value, raising BadInput) for a preference."""

    def wrap(func: Validator) -> Validator:
        _VALIDATORS[key] = func
        return func

    return wrap


def get(key: str) -> Any:
    try:
        return settings.get(key)
    except settings.UnknownSetting:
        raise BadInput(f"no preference named {key!r} (see 'rapport config list')") from None


def put(key: str, value: Any, *, today: date | None = None) -> Changes:
    """Store a preference; ``today`` dates the trips a new home city or reach rebuilds."""
    try:
        settings.definition(key)
    except settings.UnknownSetting:
        raise BadInput(f"no preference named {key!r} (see 'rapport config list')") from None
    check = _VALIDATORS.get(key)
    if check is not None:
        value = check(value)
    settings.put(key, value)
    changes = Changes(settings=True)
    if key in REBUILDS_TRIPS:
        from rapport.core import clock, trips

        changes = changes | trips.rebuild_trips(today=today or clock.today())
    return changes


def set_text(key: str, text: str) -> Any:
    """Set a preference from what a user typed; returns the stored value."""
    try:
        value = settings.coerce(key, text)
    except settings.UnknownSetting:
        raise BadInput(f"no preference named {key!r} (see 'rapport config list')") from None
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    put(key, value)
    return get(key)


def all_values() -> dict[str, Any]:
    return {spec.key: settings.get(spec.key) for spec in settings.SETTINGS}


@validator("reach_km")
def _reach(value: Any) -> float:
    km = float(value)
    if not 1 <= km <= 1000:
        raise BadInput(f"reach_km must be between 1 and 1000, not {value}")
    return km


@validator("home_city")
def _home_city(value: Any) -> str:
    """A city the gazetteer knows, stored as its unambiguous label ("Cambridge, MA, US")."""
    text = " ".join(str(value or "").split())
    if not text:
        return ""  # unset: trips fall back to a guess from the calendar
    found = gazetteer.resolve(text)
    if found is None:
        raise BadInput(f"no city called {text!r} (try 'City, Country', e.g. 'Cambridge, MA')")
    return found.label

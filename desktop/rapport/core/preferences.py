"""Reading and changing preferences, with validation that needs the domain (a home city)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rapport.core.changes import Changes
from rapport.core.errors import BadInput
from rapport.store import settings

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


def put(key: str, value: Any) -> Changes:
    try:
        settings.definition(key)
    except settings.UnknownSetting:
        raise BadInput(f"no preference named {key!r} (see 'rapport config list')") from None
    check = _VALIDATORS.get(key)
    if check is not None:
        value = check(value)
    settings.put(key, value)
    return Changes(settings=True)


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

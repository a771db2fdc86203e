"""Shared by the calendar core tests: a pinned "today", fixtures, and small calendars."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rapport.core import people, preferences
from rapport.core.calendar import sources

TODAY = date(2026, 11, 27)
CALENDAR = Path(__file__).parent.parent / "fixtures" / "calendar"


def fixture_bytes(name: str) -> bytes:
    return (CALENDAR / name).read_bytes()


def vevent(uid: str, summary: str, start: str, end: str, *extra: str) -> str:
    """A VEVENT; ``start``/``end`` are raw values ("20270315T102000Z" or "VALUE=DATE:20270315")."""

    def prop(name: str, value: str) -> str:
        return f"{name};{value}" if value.startswith(("VALUE=", "TZID=")) else f"{name}:{value}"

    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20261120T120000Z",
        prop("DTSTART", start),
        prop("DTEND", end),
        f"SUMMARY:{summary}",
        *extra,
        "END:VEVENT",
    ]
    return "\r\n".join(lines)


def calendar(*events: str, name: str = "Test travel") -> bytes:
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Rapport tests//EN", f"X-WR-CALNAME:{name}"]
    return ("\r\n".join([*head, *events, "END:VCALENDAR"]) + "\r\n").encode()


def import_bytes(data: bytes, location: str = "test.ics") -> sources.CalendarImportReport:
    return sources.import_ics_bytes(data, location, today=TODAY)


def set_home(city: str) -> None:
    preferences.put("home_city", city)


def person(name: str, city: str, region: str = "", country: str = "", **extra: object) -> int:
    pid, _ = people.create_person(name, city=city, region=region, country=country, **extra)  # type: ignore[arg-type]
    return pid


def table_dump() -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table: to prove a refused import changed nothing."""
    from rapport.store.models import db_proxy

    tables = [
        r[0]
        for r in db_proxy.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ).fetchall()
    ]
    return {
        t: db_proxy.execute_sql(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in tables
    }

"""Small builders for the generosity tests: people with a join date, acts on given days."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from rapport.core import acts
from rapport.core.people import create_person
from rapport.store.models import Person


def person(name: str, *, joined: date = date(2025, 1, 1), **fields: Any) -> int:
    pid, _ = create_person(name, **fields)
    Person.update(created=datetime(joined.year, joined.month, joined.day, 12, 0)).where(
        Person.id == pid
    ).execute()
    return pid


def give(pid: int | list[int], kind: str, on: date, **kw: Any) -> int:
    ids = pid if isinstance(pid, list) else [pid]
    return acts.log_act(ids, kind, on=on, **kw)[0]


def receive(pid: int | list[int], kind: str, on: date, **kw: Any) -> int:
    return give(pid, kind, on, direction="received", **kw)

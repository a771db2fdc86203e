"""Follow-ups: after a meeting is done, a word of thanks (or a link) within two days.

"Afterward, I stay on their radar with a word of appreciation or a link." A follow-up is
open while nothing has been given to that person since the meeting; it is shown for a
while after its two days are up, marked late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rapport.store.models import db_proxy

THANK_WITHIN_DAYS = 2
SHOW_FOR_DAYS = 14  # after the meeting; older follow-ups are let go


@dataclass(frozen=True)
class FollowUp:
    person_id: int
    name: str
    meeting_id: int
    meeting_kind: str
    meeting_title: str
    met_on: date
    due_by: date

    def late(self, today: date) -> bool:
        return today > self.due_by

    def reason(self, today: date) -> str:
        what = self.meeting_title or self.meeting_kind
        when = "by today" if today == self.due_by else f"by {self.due_by:%a %d %b}"
        if self.late(today):
            when = f"late since {self.due_by:%a %d %b}"
        return f"{what} on {self.met_on:%a %d %b}: a word of thanks or a link, {when}"


def meeting_day(starts_at: Any, timezone: str) -> date | None:
    """The local day of a meeting stored as a UTC instant (its own zone when it has one)."""
    if starts_at is None:
        return None
    moment = starts_at if isinstance(starts_at, datetime) else _parse(str(starts_at))
    if moment is None:
        return None
    if timezone:
        try:
            zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            return moment.date()
        return moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone).date()
    return moment.date()


def _parse(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def follow_ups(today: date, *, show_for_days: int = SHOW_FOR_DAYS) -> list[FollowUp]:
    """Open follow-ups on ``today``, soonest due first."""
    # A day of slack either side: the stored instant is UTC, the day is local.
    earliest = today - timedelta(days=show_for_days + 1)
    rows = db_proxy.execute_sql(
        "SELECT m.id, m.kind, m.title, m.starts_at, m.timezone, p.id, p.name "
        "FROM meeting m JOIN meeting_person mp ON mp.meeting_id = m.id "
        "JOIN person p ON p.id = mp.person_id "
        "WHERE m.status = 'done' AND m.starts_at >= ? AND p.archived = 0",
        [earliest.isoformat()],
    ).fetchall()
    candidates: list[FollowUp] = []
    for mid, kind, title, starts_at, zone, pid, name in rows:
        day = meeting_day(starts_at, str(zone or ""))
        if day is None or day > today or (today - day).days > show_for_days:
            continue
        candidates.append(
            FollowUp(
                person_id=int(pid),
                name=str(name),
                meeting_id=int(mid),
                meeting_kind=str(kind),
                meeting_title=str(title or ""),
                met_on=day,
                due_by=day + timedelta(days=THANK_WITHIN_DAYS),
            )
        )
    if not candidates:
        return []
    ids = sorted({f.person_id for f in candidates})
    last_given: dict[int, date] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for pid, last in db_proxy.execute_sql(
            "SELECT person_id, max(date) FROM act_person "
            f"WHERE ledger = 'given' AND person_id IN ({marks}) GROUP BY person_id",
            chunk,
        ).fetchall():
            last_given[int(pid)] = date.fromisoformat(str(last)[:10])
    open_ = [
        f for f in candidates if f.person_id not in last_given or last_given[f.person_id] < f.met_on
    ]
    # One follow-up per person: the latest meeting is the one to thank them for.
    latest: dict[int, FollowUp] = {}
    for f in open_:
        if f.person_id not in latest or f.met_on > latest[f.person_id].met_on:
            latest[f.person_id] = f
    return sorted(latest.values(), key=lambda f: (f.due_by, f.name.casefold(), f.person_id))

"""``rapport subscribe``, ``refresh``, ``calendars``, ``trips``, ``trip``, ``suggestions``,
``flag``, ``visit``, ``invite``, ``meetings``, ``meeting``: travel and coffee flags.

``.ics`` files are imported by ``rapport import FILE.ics`` (the importers registry).
"Today" is the real date unless ``RAPPORT_TODAY=YYYY-MM-DD`` pins it. ``trips`` and
``suggestions`` rebuild trips and flags first, so they reflect the current people and
preferences (home city, reach).

JSON shapes (a contract with scripts):
- ``trips --json``: ``[{"id", "city", "country", "start", "end", "lat", "lon", "events"}]``,
  dates ISO and inclusive, local at the destination; ``events`` is a list of
  ``{"id", "summary"}`` in time order.
- ``suggestions --json``: ``[{"trip_id", "city", "person", "distance_km", "score",
  "reasons", "state"}]``, trip by trip in date order, best first.
- ``refresh --json``: ``{"sources": [{"id", "location", "name", "unchanged", "added",
  "updated", "removed", "events", "trips", "warnings", "error"}]}``.
- ``meetings --json``: ``[{"id", "kind", "title", "starts_at", "timezone", "location",
  "trip_id", "status", "people"}]``.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rapport.cli.context import Context
from rapport.core import clock, flags, invitations, meetings, people, trips
from rapport.core.calendar import sources
from rapport.core.calendar.sources import CalendarImportReport
from rapport.core.errors import BadInput
from rapport.core.progress import Progress
from rapport.store.models import Meeting, MeetingPerson, db_proxy


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def register(sub: Any) -> None:
    p = sub.add_parser("subscribe", help="subscribe to a calendar feed (https:// or webcal://)")
    p.add_argument("url", metavar="URL")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=subscribe_cmd)

    p = sub.add_parser("refresh", help="fetch subscribed feeds (and re-read calendar files)")
    p.add_argument("--source", type=int, metavar="ID", help="only this calendar source")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=refresh_cmd)

    p = sub.add_parser("calendars", help="the calendar files and feeds imported")
    p.add_argument("--remove", type=int, metavar="ID", help="forget a source and its events")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=calendars_cmd)

    p = sub.add_parser("trips", help="trips found in your calendars (upcoming by default)")
    p.add_argument("--from", dest="start", type=_day, metavar="DATE")
    p.add_argument("--to", dest="end", type=_day, metavar="DATE")
    p.add_argument("--all", action="store_true", help="include dismissed trips")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=trips_cmd)

    p = sub.add_parser("trip", help="correct a trip: place, dates, dismiss, merge, split")
    p.add_argument("trip_id", type=int, metavar="ID")
    p.add_argument("--place", metavar="CITY")
    p.add_argument("--start", type=_day, metavar="DATE")
    p.add_argument("--end", type=_day, metavar="DATE")
    p.add_argument("--dismiss", action="store_true")
    p.add_argument("--restore", action="store_true", help="undo a dismissal")
    p.add_argument("--reset", action="store_true", help="forget place and date corrections")
    p.add_argument("--merge", type=int, action="append", default=[], metavar="OTHER_ID")
    p.add_argument("--split", type=_day, metavar="DATE", help="the first day of a second trip")
    p.set_defaults(func=trip_cmd)

    p = sub.add_parser("suggestions", help="people to invite for coffee on upcoming trips")
    p.add_argument("--from", dest="start", type=_day, metavar="DATE")
    p.add_argument("--trip", type=int, metavar="ID", help="only this trip")
    p.add_argument("--all", action="store_true", help="include dismissed and snoozed flags")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=suggestions_cmd)

    p = sub.add_parser("flag", help="dismiss, snooze or restore a suggestion")
    p.add_argument("flag_id", type=int, metavar="FLAG_ID")
    p.add_argument("state", choices=flags.STATES)
    p.add_argument("--until", type=_day, metavar="DATE", help="snooze until (default: a week)")
    p.set_defaults(func=flag_cmd)

    p = sub.add_parser("visit", help="a contact is coming to your city: flag them")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--from", dest="start", type=_day, required=True, metavar="DATE")
    p.add_argument("--to", dest="end", type=_day, required=True, metavar="DATE")
    p.add_argument("--city", metavar="CITY", help="default: your home city")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=visit_cmd)

    p = sub.add_parser(
        "invite",
        help="invite a flagged person for coffee: print the mailto: link, write the .ics",
        description="Plans the meeting (or reuses the one planned), prints the mailto: draft "
        "and, with --ics, writes the invitation; the flag and the meeting become 'invited'.",
    )
    p.add_argument("flag_id", type=int, metavar="FLAG_ID")
    p.add_argument("--ics", type=Path, metavar="FILE", help="write the .ics invitation here")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=invite_cmd)

    p = sub.add_parser("meetings", help="planned meetings; --ics exports them")
    p.add_argument("--all", action="store_true", help="include done and declined")
    p.add_argument("--ics", type=Path, metavar="FILE", help="write open meetings as .ics")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=meetings_cmd)

    p = sub.add_parser("meeting", help="move a meeting on: invited, confirmed, done, declined")
    p.add_argument("meeting_id", type=int, metavar="ID")
    p.add_argument("status", choices=meetings.STATUSES)
    p.add_argument("--log", action="store_true", help="when done, log it as a touchpoint")
    p.set_defaults(func=meeting_cmd)


# ---- sources -----------------------------------------------------------------------------


def _report_json(r: CalendarImportReport) -> dict[str, Any]:
    return {
        "id": r.source_id,
        "location": r.location,
        "name": r.name,
        "unchanged": r.unchanged,
        "added": r.added,
        "updated": r.updated,
        "removed": r.removed,
        "events": r.events,
        "trips": r.trips,
        "warnings": list(r.warnings),
        "error": r.error,
    }


def subscribe_cmd(ctx: Context, args: argparse.Namespace) -> int:
    ctx.journal()
    report = sources.subscribe(args.url, today=clock.today(), progress=Progress.silent())
    if args.json:
        ctx.print_json(_report_json(report))
        return 0
    print(f"{report.location}: {report.summary()}")
    for warning in report.warnings:
        print(f"  warning: {warning}", file=sys.stderr)
    return 0


def refresh_cmd(ctx: Context, args: argparse.Namespace) -> int:
    ctx.journal()
    reports = sources.refresh(args.source, today=clock.today(), progress=Progress.silent())
    if args.json:
        ctx.print_json({"sources": [_report_json(r) for r in reports]})
    else:
        for r in reports:
            print(f"{r.location}: {r.summary()}")
    failed = [r for r in reports if r.error]
    for r in failed:
        print(f"rapport: {r.location}: {r.error}", file=sys.stderr)
    return 1 if failed else 0


def calendars_cmd(ctx: Context, args: argparse.Namespace) -> int:
    ctx.journal()
    if args.remove is not None:
        sources.remove_source(args.remove, today=clock.today())
    found = sources.list_sources()
    if args.json:
        ctx.print_json(
            [
                {
                    "id": s.id,
                    "kind": s.kind,
                    "location": s.location,
                    "name": s.name,
                    "last_fetch": s.last_fetch.isoformat() if s.last_fetch else None,
                    "last_error": s.last_error,
                    "events": s.events,
                }
                for s in found
            ]
        )
        return 0
    for s in found:
        error = f"  (last error: {s.last_error})" if s.last_error else ""
        print(f"#{s.id} {s.kind} {s.name or s.location}: {s.events} events{error}")
    return 0


# ---- trips -------------------------------------------------------------------------------


def trips_cmd(ctx: Context, args: argparse.Namespace) -> int:
    ctx.journal()
    today = clock.today()
    trips.rebuild_trips(today=today)
    found = trips.list_trips(args.start or today, args.end, include_dismissed=args.all)
    if args.json:
        ctx.print_json([t.as_json() for t in found])
        return 0
    if not found:
        print("no trips" + ("" if args.start or args.end else " coming up"))
    for t in found:
        where = ", ".join(x for x in (t.city, t.country) if x) or "somewhere"
        extra = " (dismissed)" if t.dismissed else ""
        extra += f" (visit of #{t.person_id})" if t.person_id else ""
        print(f"#{t.id} {where}: {t.start} to {t.end}, {t.flags} to see{extra}")
    return 0


def trip_cmd(ctx: Context, args: argparse.Namespace) -> int:
    ctx.journal()
    today = clock.today()
    tid = args.trip_id
    trips.get_trip(tid)
    if args.dismiss and args.restore:
        raise BadInput("--dismiss and --restore contradict each other")
    if args.reset:
        trips.reset_trip(tid, today=today)
    if args.place is not None or args.start is not None or args.end is not None:
        trips.correct_trip(tid, place=args.place, start=args.start, end=args.end, today=today)
    if args.dismiss or args.restore:
        trips.dismiss_trip(tid, dismissed=args.dismiss)
    if args.merge:
        trips.merge_trips([tid, *args.merge], today=today)
    if args.split is not None:
        second, _ = trips.split_off(tid, args.split, today=today)
        print(f"split: #{tid} and #{second}")
    shown = trips.list_trips(include_dismissed=True)
    for t in shown:
        if t.id == tid or t.id in args.merge:
            print(f"#{t.id} {t.city}: {t.start} to {t.end}{' (dismissed)' if t.dismissed else ''}")
    return 0


# ---- flags -------------------------------------------------------------------------------


def suggestions_cmd(ctx: Context, args: argparse.Namespace) -> int:
    ctx.journal()
    today = clock.today()
    trips.rebuild_trips(today=today)
    found = flags.suggestions(
        start=args.start, trip_id=args.trip, include_dismissed=args.all, today=today
    )
    if args.json:
        ctx.print_json([s.as_json() for s in found])
        return 0
    if not found:
        print("nobody to suggest")
    trip_id = None
    for s in found:
        if s.trip_id != trip_id:
            trip_id = s.trip_id
            print(f"trip #{s.trip_id} {s.city}:")
        state = "" if s.state == "new" else f" [{s.state}]"
        print(f"  flag #{s.flag_id} {s.person} ({s.score:.0f}){state}: {'; '.join(s.reasons)}")
    return 0


def flag_cmd(ctx: Context, args: argparse.Namespace) -> int:
    ctx.journal()
    until = args.until
    if args.state == "snoozed" and until is None:
        until = clock.today() + timedelta(days=7)
    flags.set_flag_state(args.flag_id, args.state, snooze_until=until)
    print(
        f"flag #{args.flag_id}: {args.state}"
        + (f" until {until}" if args.state == "snoozed" else "")
    )
    return 0


def visit_cmd(ctx: Context, args: argparse.Namespace) -> int:
    ctx.journal()
    person = people.find_person(args.name)
    trip_id, _ = trips.add_visit(
        int(person.id), args.start, args.end, args.city, today=clock.today()
    )
    view = trips.get_trip(trip_id)
    if args.json:
        ctx.print_json(view.as_json())
    else:
        print(f"#{trip_id} {person.name} visits {view.city}: {view.start} to {view.end}")
    return 0


def _meeting_for_flag(flag_id: int) -> int:
    """The open meeting already planned for this flag's person on its trip, or a new one."""
    flag = flags.get_flag(flag_id)
    row = (
        Meeting.select(Meeting.id)
        .join(MeetingPerson)
        .where(
            (Meeting.trip == flag.trip_id)
            & (MeetingPerson.person == flag.person_id)
            & (Meeting.status.in_(["suggested", "invited"]))
        )
        .order_by(Meeting.id)
        .first()
    )
    if row is not None:
        return int(row.id)
    return meetings.plan_meeting([], flag_id=flag_id)[0]


def invite_cmd(ctx: Context, args: argparse.Namespace) -> int:
    ctx.journal()
    with db_proxy.atomic():
        mid = _meeting_for_flag(args.flag_id)
        invitation = invitations.invitation_for(mid)
        ics = invitations.invitation_ics(mid) if args.ics else None
        if meetings.get_meeting(mid).status == "suggested":
            meetings.set_meeting_status(mid, "invited")
    if args.ics is not None and ics is not None:
        try:
            args.ics.write_bytes(ics)
        except OSError as exc:
            raise BadInput(f"cannot write the invitation: {exc.strerror or exc}", args.ics) from exc
    if args.json:
        ctx.print_json(
            {
                "meeting_id": mid,
                "to": invitation.to,
                "subject": invitation.subject,
                "body": invitation.body,
                "mailto": invitation.mailto,
                "ics": str(args.ics) if args.ics else None,
            }
        )
        return 0
    print(invitation.mailto)
    if not invitation.to:
        print("rapport: warning: no email address for this person", file=sys.stderr)
    return 0


# ---- meetings ----------------------------------------------------------------------------


def meetings_cmd(ctx: Context, args: argparse.Namespace) -> int:
    ctx.journal()
    found = meetings.list_meetings(meetings.STATUSES if args.all else meetings.OPEN)
    if args.ics is not None:
        data = invitations.meetings_ics([m.id for m in found if m.status in meetings.OPEN])
        try:
            args.ics.write_bytes(data)
        except OSError as exc:
            raise BadInput(f"cannot write the file: {exc.strerror or exc}", args.ics) from exc
    if args.json:
        ctx.print_json([m.as_json() for m in found])
        return 0
    for m in found:
        when = m.starts_at.isoformat() if m.starts_at else "no time yet"
        print(f"#{m.id} {m.title} [{m.status}] {when}")
    return 0


def meeting_cmd(ctx: Context, args: argparse.Namespace) -> int:
    ctx.journal()
    meetings.set_meeting_status(args.meeting_id, args.status)
    if args.log:
        meetings.log_meeting(args.meeting_id)
    print(f"meeting #{args.meeting_id}: {args.status}")
    return 0

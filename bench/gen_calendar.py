"""Generate a realistic travel calendar (.ics) of any size for the import benchmarks.

The shapes follow what people really export: TripIt flights, hotels and all-day trip
markers with long folded descriptions, flights Gmail adds to Google Calendar (UTC times),
Outlook meetings with Windows zone names, attendees and alarms, trains, multi-day
conferences, and a few recurring series with EXDATEs and moved occurrences. Several time
zones are used, each with its VTIMEZONE. Deterministic for a given seed.

Usage: ``python bench/gen_calendar.py OUT.ics [EVENTS]``; from code: ``write_calendar(path)``.
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

# (IATA, city as TripIt writes it, country, IANA zone)
AIRPORTS = [
    ("LHR", "London", "GB", "Europe/London"),
    ("BOS", "Boston, MA", "US", "America/New_York"),
    ("JFK", "New York, NY", "US", "America/New_York"),
    ("SFO", "San Francisco, CA", "US", "America/Los_Angeles"),
    ("SEA", "Seattle, WA", "US", "America/Los_Angeles"),
    ("FRA", "Frankfurt", "DE", "Europe/Berlin"),
    ("BER", "Berlin", "DE", "Europe/Berlin"),
    ("MUC", "Munich", "DE", "Europe/Berlin"),
    ("CDG", "Paris", "FR", "Europe/Paris"),
    ("AMS", "Amsterdam", "NL", "Europe/Amsterdam"),
    ("LIS", "Lisbon", "PT", "Europe/Lisbon"),
    ("NRT", "Tokyo", "JP", "Asia/Tokyo"),
    ("SIN", "Singapore", "SG", "Asia/Singapore"),
    ("SYD", "Sydney", "AU", "Australia/Sydney"),
    ("ORD", "Chicago, IL", "US", "America/Chicago"),
    ("YYZ", "Toronto, ON", "CA", "America/Toronto"),
]
AIRLINES = [
    ("BA", "British Airways"),
    ("LH", "Lufthansa"),
    ("UA", "United Airlines"),
    ("AF", "Air France"),
    ("KL", "KLM"),
    ("DL", "Delta Air Lines"),
    ("NH", "ANA"),
    ("TP", "TAP Air Portugal"),
    ("AC", "Air Canada"),
    ("SQ", "Singapore Airlines"),
]
HOTELS = [
    ("Hilton Boston Back Bay", "40 Dalton St, Boston, MA, 02115", "America/New_York"),
    ("The Westin Grand Berlin", "Friedrichstraße 158-164, 10117 Berlin, Germany", "Europe/Berlin"),
    ("Hotel Le Marais", "12 Rue de Turenne, 75004 Paris, France", "Europe/Paris"),
    ("Park Hyatt Tokyo", "3-7-1-2 Nishi-Shinjuku, Shinjuku-ku, Tokyo 163-1055", "Asia/Tokyo"),
    ("Hotel Zetta", "55 5th St, San Francisco, CA 94103", "America/Los_Angeles"),
    ("citizenM Tower of London", "40 Trinity Square, London EC3N 4DJ", "Europe/London"),
    ("Pestana Palace", "Rua Jau 54, 1300-314 Lisboa, Portugal", "Europe/Lisbon"),
]
TRAINS = [
    ("Eurostar 9014", "London St Pancras", "Paris Gare du Nord", "Europe/London"),
    ("ICE 597", "Berlin Hbf", "München Hbf", "Europe/Berlin"),
    ("Amtrak Acela 2151", "New York Penn", "Boston South Station", "America/New_York"),
    ("Thalys 9321", "Paris Nord", "Amsterdam Centraal", "Europe/Paris"),
]
CONFERENCES = [
    ("PyCon US 2027", "Long Beach Convention Center, 300 E Ocean Blvd, Long Beach, CA 90802"),
    ("Web Summit", "Altice Arena, Rossio dos Olivais, 1990-231 Lisboa, Portugal"),
    ("EuroPython 2027", "Prague Congress Centre, 5. května 65, 140 00 Praha 4, Czechia"),
    ("re:Invent", "The Venetian, 3355 S Las Vegas Blvd, Las Vegas, NV 89109"),
]
PEOPLE = [
    "Ana Lima",
    "Jörg Müller",
    "Priya Raman",
    "Tom O'Neill",
    "Chen Wei",
    "Fatima Zahra",
    "Lars Eriksson",
    "Mia Rossi",
]
MEETINGS = [
    "1:1 with {p}",
    "Coffee with {p}",
    "Project sync",
    "Dentist",
    "Quarterly planning",
    "Lunch with {p}",
    "Design review",
    "Call: {p} / partnership",
]
# Outlook writes Windows zone names; the rest use IANA ids with a VTIMEZONE each.
WINDOWS_ZONES = {
    "W. Europe Standard Time": "Europe/Berlin",
    "Pacific Standard Time": "America/Los_Angeles",
}

LOREM = (
    "Please bring the signed documents and the printed agenda. Parking is available in "
    "the garage on the corner; ask at the front desk for a visitor badge. "
)


def fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 sequence."""
    raw = line.encode()
    if len(raw) <= 75:
        return line + "\r\n"
    out: list[str] = []
    chunk: list[str] = []
    size = 0
    limit = 75
    for ch in line:
        n = len(ch.encode())
        if size + n > limit:
            out.append("".join(chunk))
            chunk, size, limit = [], 0, 74
        chunk.append(ch)
        size += n
    out.append("".join(chunk))
    return "\r\n ".join(out) + "\r\n"


def esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _vtimezone(tzid: str, zone: str) -> list[str]:
    """A VTIMEZONE with the zone's current rules, as calendar programs write it."""
    rules = {
        "Europe/London": (
            "+0000",
            "+0100",
            "GMT",
            "BST",
            "-1SU",
            3,
            "-1SU",
            10,
            "010000",
            "020000",
        ),
        "Europe/Berlin": (
            "+0100",
            "+0200",
            "CET",
            "CEST",
            "-1SU",
            3,
            "-1SU",
            10,
            "020000",
            "030000",
        ),
        "Europe/Paris": (
            "+0100",
            "+0200",
            "CET",
            "CEST",
            "-1SU",
            3,
            "-1SU",
            10,
            "020000",
            "030000",
        ),
        "Europe/Amsterdam": (
            "+0100",
            "+0200",
            "CET",
            "CEST",
            "-1SU",
            3,
            "-1SU",
            10,
            "020000",
            "030000",
        ),
        "Europe/Lisbon": (
            "+0000",
            "+0100",
            "WET",
            "WEST",
            "-1SU",
            3,
            "-1SU",
            10,
            "010000",
            "020000",
        ),
        "America/New_York": (
            "-0500",
            "-0400",
            "EST",
            "EDT",
            "2SU",
            3,
            "1SU",
            11,
            "020000",
            "020000",
        ),
        "America/Toronto": (
            "-0500",
            "-0400",
            "EST",
            "EDT",
            "2SU",
            3,
            "1SU",
            11,
            "020000",
            "020000",
        ),
        "America/Chicago": (
            "-0600",
            "-0500",
            "CST",
            "CDT",
            "2SU",
            3,
            "1SU",
            11,
            "020000",
            "020000",
        ),
        "America/Los_Angeles": (
            "-0800",
            "-0700",
            "PST",
            "PDT",
            "2SU",
            3,
            "1SU",
            11,
            "020000",
            "020000",
        ),
        "Australia/Sydney": (
            "+1000",
            "+1100",
            "AEST",
            "AEDT",
            "1SU",
            10,
            "1SU",
            4,
            "020000",
            "030000",
        ),
    }
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}"]
    if zone in rules:
        std, dst, sname, dname, dday, dmon, sday, smon, dtime, stime = rules[zone]
        lines += [
            "BEGIN:DAYLIGHT",
            f"TZOFFSETFROM:{std}",
            f"TZOFFSETTO:{dst}",
            f"TZNAME:{dname}",
            f"DTSTART:19700101T{dtime}",
            f"RRULE:FREQ=YEARLY;BYMONTH={dmon};BYDAY={dday}",
            "END:DAYLIGHT",
            "BEGIN:STANDARD",
            f"TZOFFSETFROM:{dst}",
            f"TZOFFSETTO:{std}",
            f"TZNAME:{sname}",
            f"DTSTART:19701001T{stime}",
            f"RRULE:FREQ=YEARLY;BYMONTH={smon};BYDAY={sday}",
            "END:STANDARD",
        ]
    else:
        offset = ZoneInfo(zone).utcoffset(datetime(2027, 1, 1))
        assert offset is not None
        minutes = int(offset.total_seconds()) // 60
        sign = "+" if minutes >= 0 else "-"
        hhmm = f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"
        lines += [
            "BEGIN:STANDARD",
            f"TZOFFSETFROM:{hhmm}",
            f"TZOFFSETTO:{hhmm}",
            "DTSTART:19700101T000000",
            "END:STANDARD",
        ]
    lines.append("END:VTIMEZONE")
    return lines


def _stamp(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(dt: datetime) -> str:
    return dt.strftime("%Y%m%dT%H%M%S")


class _Writer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.lines: list[str] = []
        self.n = 0

    def day(self) -> date:
        # Spread over several years around the injected "today" of 2026-11-27.
        return date(2025, 1, 1) + timedelta(days=self.rng.randrange(0, 5 * 365))

    def uid(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}-{self.n:06d}-{self.rng.randrange(16**8):08x}@rapport.example"

    def common(self, uid: str) -> list[str]:
        stamp = datetime(2026, 11, 1, tzinfo=UTC) + timedelta(
            seconds=self.rng.randrange(0, 2_000_000)
        )
        return [
            f"DTSTAMP:{_stamp(stamp)}",
            f"UID:{uid}",
            f"CREATED:{_stamp(stamp - timedelta(days=30))}",
            f"LAST-MODIFIED:{_stamp(stamp)}",
            f"SEQUENCE:{self.rng.randrange(0, 3)}",
        ]

    def emit(self, props: list[str], alarm: bool = False) -> None:
        self.lines.append("BEGIN:VEVENT")
        self.lines += props
        if alarm:
            self.lines += [
                "BEGIN:VALARM",
                "ACTION:DISPLAY",
                "DESCRIPTION:Reminder",
                "TRIGGER:-PT30M",
                "END:VALARM",
            ]
        self.lines.append("END:VEVENT")

    # ---- event shapes -------------------------------------------------------------

    def tripit_flight(self) -> None:
        rng = self.rng
        (a, acity, _, azone), (b, _, _, bzone) = rng.sample(AIRPORTS, 2)
        code, airline = rng.choice(AIRLINES)
        num = rng.randrange(1, 2999)
        d = self.day()
        dep = datetime(d.year, d.month, d.day, rng.randrange(6, 22), rng.choice((0, 15, 30, 45)))
        dep = dep.replace(tzinfo=ZoneInfo(azone))
        arr = (dep + timedelta(minutes=rng.randrange(60, 14 * 60))).astimezone(ZoneInfo(bzone))
        desc = (
            f"[Flight] {dep:%m/%d/%Y} {airline}({code}) #{num} dep {a} {dep:%I:%M%p %Z}; "
            f"arr {b} {arr:%I:%M%p %Z}; Seat 23A; confirmation {rng.randrange(16**6):06X}\n"
            f"View and/or edit details in TripIt : https://www.tripit.com/trip/show/id/"
            f"{rng.randrange(10**8)}\nTripIt - organize your travel at https://www.tripit.com"
        )
        uid = self.uid("tripit-air")
        self.emit(
            [
                *self.common(uid),
                f"DTSTART:{_stamp(dep)}",
                f"DTEND:{_stamp(arr)}",
                fold(f"SUMMARY:{code}{num} {a} to {b}").rstrip("\r\n"),
                fold(f"LOCATION:{esc(acity)} ({a})").rstrip("\r\n"),
                fold(f"DESCRIPTION:{esc(desc)}").rstrip("\r\n"),
                "GEO:42.364347;-71.005181",
                "TRANSP:TRANSPARENT",
            ]
        )

    def gmail_flight(self) -> None:
        rng = self.rng
        (a, acity, _, azone), (_, bcity, _, _) = rng.sample(AIRPORTS, 2)
        code, airline = rng.choice(AIRLINES)
        num = rng.randrange(1, 2999)
        d = self.day()
        dep = datetime(d.year, d.month, d.day, rng.randrange(6, 22), 5, tzinfo=ZoneInfo(azone))
        arr = dep + timedelta(minutes=rng.randrange(60, 14 * 60))
        city = bcity.split(",")[0]
        uid = self.uid("gmail")
        self.emit(
            [
                *self.common(uid),
                f"DTSTART:{_stamp(dep)}",
                f"DTEND:{_stamp(arr)}",
                f"SUMMARY:Flight to {city} ({code} {num})",
                f"LOCATION:{esc(acity.split(',')[0])} {a}",
                fold(
                    "DESCRIPTION:"
                    + esc(
                        f"To see detailed information for automatically created events "
                        f"like this one, use the official Google Calendar app. "
                        f"https://g.co/calendar\n\nThis event was created from an email "
                        f"you received in Gmail. {airline} flight {code} {num}."
                    )
                ).rstrip("\r\n"),
                "STATUS:CONFIRMED",
                "TRANSP:OPAQUE",
            ],
            alarm=True,
        )

    def hotel(self) -> None:
        rng = self.rng
        name, addr, zone = rng.choice(HOTELS)
        d = self.day()
        nights = rng.randrange(1, 6)
        uid = self.uid("tripit-lodging")
        if rng.random() < 0.5:
            props = [
                f"DTSTART;VALUE=DATE:{d:%Y%m%d}",
                f"DTEND;VALUE=DATE:{d + timedelta(days=nights + 1):%Y%m%d}",
                fold(f"SUMMARY:Hotel: {esc(name)}").rstrip("\r\n"),
            ]
        else:
            start = datetime(d.year, d.month, d.day, 15, 0)
            props = [
                f"DTSTART;TZID={zone}:{_local(start)}",
                f"DTEND;TZID={zone}:{_local(start + timedelta(hours=1))}",
                fold(f"SUMMARY:Check-in: {esc(name)}").rstrip("\r\n"),
            ]
        desc = (
            f"[Lodging] {name}\nConfirmation #{rng.randrange(10**9)}\n{addr}\n"
            f"Check-in {d:%a %b %d}; {nights} nights. {LOREM * 2}"
        )
        self.emit(
            [
                *self.common(uid),
                *props,
                fold(f"LOCATION:{esc(addr)}").rstrip("\r\n"),
                fold(f"DESCRIPTION:{esc(desc)}").rstrip("\r\n"),
                "TRANSP:TRANSPARENT",
            ]
        )

    def trip_marker(self) -> None:
        rng = self.rng
        _, city, _, _ = rng.choice(AIRPORTS)
        d = self.day()
        uid = self.uid("tripit-trip")
        self.emit(
            [
                *self.common(uid),
                f"DTSTART;VALUE=DATE:{d:%Y%m%d}",
                f"DTEND;VALUE=DATE:{d + timedelta(days=rng.randrange(2, 9)):%Y%m%d}",
                fold(f"SUMMARY:{esc(city)}, {d:%B %Y}").rstrip("\r\n"),
                fold(f"LOCATION:{esc(city)}").rstrip("\r\n"),
                fold(
                    "DESCRIPTION:"
                    + esc(
                        f"View and/or edit details in TripIt : https://www.tripit.com/trip/"
                        f"show/id/{rng.randrange(10**8)}\n\n{LOREM}"
                    )
                ).rstrip("\r\n"),
                "TRANSP:TRANSPARENT",
            ]
        )

    def train(self) -> None:
        rng = self.rng
        number, frm, to, zone = rng.choice(TRAINS)
        d = self.day()
        dep = datetime(d.year, d.month, d.day, rng.randrange(6, 20), 1)
        uid = self.uid("rail")
        self.emit(
            [
                *self.common(uid),
                f"DTSTART;TZID={zone}:{_local(dep)}",
                f"DTEND;TZID={zone}:{_local(dep + timedelta(minutes=rng.randrange(90, 300)))}",
                fold(f"SUMMARY:{number} {esc(frm)} to {esc(to)}").rstrip("\r\n"),
                fold(f"LOCATION:{esc(frm)}").rstrip("\r\n"),
                f"DESCRIPTION:Coach 7\\, seat 45. Booking reference {rng.randrange(10**6)}.",
            ],
            alarm=True,
        )

    def conference(self) -> None:
        rng = self.rng
        name, venue = rng.choice(CONFERENCES)
        d = self.day()
        uid = self.uid("conf")
        self.emit(
            [
                *self.common(uid),
                f"DTSTART;VALUE=DATE:{d:%Y%m%d}",
                f"DTEND;VALUE=DATE:{d + timedelta(days=rng.randrange(2, 5)):%Y%m%d}",
                fold(f"SUMMARY:{esc(name)}").rstrip("\r\n"),
                fold(f"LOCATION:{esc(venue)}").rstrip("\r\n"),
                f"URL:https://conference.example/{self.n}",
                fold(f"DESCRIPTION:{esc(LOREM * 3)}").rstrip("\r\n"),
                "CATEGORIES:Conference,Travel",
            ]
        )

    def meeting(self, outlook: bool) -> None:
        rng = self.rng
        title = rng.choice(MEETINGS).format(p=rng.choice(PEOPLE))
        d = self.day()
        start = datetime(d.year, d.month, d.day, rng.randrange(8, 18), rng.choice((0, 30)))
        if outlook:
            tzid = rng.choice(list(WINDOWS_ZONES))
        else:
            tzid = rng.choice(("Europe/Berlin", "America/New_York", "Europe/London"))
        who = rng.sample(PEOPLE, 3)
        props = [
            *self.common(self.uid("mtg")),
            f"DTSTART;TZID={tzid}:{_local(start)}",
            f"DTEND;TZID={tzid}:{_local(start + timedelta(minutes=rng.choice((30, 45, 60))))}",
            fold(f"SUMMARY:{esc(title)}").rstrip("\r\n"),
            fold(f"LOCATION:{esc(rng.choice(('Room 4.12', 'Zoom', 'Café Einstein', '')))}").rstrip(
                "\r\n"
            ),
            fold(f'ORGANIZER;CN="{who[0]}":mailto:{who[0].split()[0].lower()}@example.com').rstrip(
                "\r\n"
            ),
        ]
        for p in who[1:]:
            props.append(
                fold(
                    f'ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN="{p}";RSVP=TRUE:'
                    f"mailto:{p.split()[0].lower()}@example.com"
                ).rstrip("\r\n")
            )
        props.append(fold(f"DESCRIPTION:{esc(LOREM)}").rstrip("\r\n"))
        if outlook:
            props += [
                "CLASS:PUBLIC",
                "PRIORITY:5",
                "X-MICROSOFT-CDO-BUSYSTATUS:BUSY",
                "X-MICROSOFT-CDO-IMPORTANCE:1",
            ]
        self.emit(props, alarm=rng.random() < 0.5)

    def series(self) -> int:
        """A weekly meeting inside the import window, sometimes with EXDATE and an override."""
        rng = self.rng
        tzid = rng.choice(("Europe/Berlin", "W. Europe Standard Time", "America/New_York"))
        d = date(2026, 9, 7) + timedelta(days=rng.randrange(0, 300))
        start = datetime(d.year, d.month, d.day, 10, 0)
        uid = self.uid("series")
        count = rng.randrange(5, 30)
        title = rng.choice(("Weekly team sync", "Standup", "Office hours"))
        props = [
            *self.common(uid),
            f"DTSTART;TZID={tzid}:{_local(start)}",
            f"DTEND;TZID={tzid}:{_local(start + timedelta(minutes=30))}",
            f"SUMMARY:{title}",
            f"RRULE:FREQ=WEEKLY;COUNT={count}",
            "LOCATION:Room 2",
        ]
        emitted = 1
        if count > 3 and rng.random() < 0.5:
            props.append(f"EXDATE;TZID={tzid}:{_local(start + timedelta(weeks=2))}")
        self.emit(props)
        if count > 4 and rng.random() < 0.5:
            moved = start + timedelta(weeks=3)
            self.emit(
                [
                    *self.common(uid),
                    f"RECURRENCE-ID;TZID={tzid}:{_local(moved)}",
                    f"DTSTART;TZID={tzid}:{_local(moved + timedelta(hours=2))}",
                    f"DTEND;TZID={tzid}:{_local(moved + timedelta(hours=2, minutes=30))}",
                    f"SUMMARY:{title} (moved)",
                ]
            )
            emitted += 1
        return emitted


def calendar_text(events: int = 10_000, seed: int = 2027) -> str:
    """The calendar as text with CRLF line ends: ``events`` VEVENT components."""
    rng = random.Random(seed)
    w = _Writer(rng)
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//TripIt.com//TripIt Travel Calendar//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:TripIt - Travel",
        "X-PUBLISHED-TTL:PT1H",
    ]
    for zone in sorted({a[3] for a in AIRPORTS} | {h[2] for h in HOTELS}):
        head += _vtimezone(zone, zone)
    for win, zone in WINDOWS_ZONES.items():
        head += _vtimezone(win, zone)
    shapes = [
        (w.tripit_flight, 14),
        (w.gmail_flight, 6),
        (w.hotel, 10),
        (w.trip_marker, 6),
        (w.train, 5),
        (w.conference, 3),
        (lambda: w.meeting(outlook=False), 30),
        (lambda: w.meeting(outlook=True), 24),
    ]
    funcs = [f for f, _ in shapes]
    weights = [n for _, n in shapes]
    made = 0
    while made < events:
        if rng.random() < 0.02 and events - made >= 2:
            made += w.series()
            continue
        rng.choices(funcs, weights)[0]()
        made += 1
    return "\r\n".join([*head, *w.lines, "END:VCALENDAR"]) + "\r\n"


def write_calendar(path: Path, events: int = 10_000, seed: int = 2027) -> Path:
    """Write the generated calendar to ``path`` (UTF-8) and return it."""
    path.write_bytes(calendar_text(events, seed).encode("utf-8"))
    return path


if __name__ == "__main__":
    out = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    write_calendar(out, n)
    print(f"{out}: {n} events, {out.stat().st_size / 1e6:.1f} MB")

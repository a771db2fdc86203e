"""Generate a large, realistic journal (people, emails, links, circles, goals, cities) fast.

Benchmarks need journals of 10k and 100k people shaped like real ones: most people have a
work email and a LinkedIn profile, some have several emails, a phone, a Mastodon handle or
a blog; most have a city (typed the way people type them, often resolved to a place), an
organisation and a title; a third have notes; a few are archived. Circles nest, goals
have linked people with roles and open slots. Rows go in with ``executemany`` inside one
transaction, so 100k people take seconds. Deterministic for a given seed.

Usage: ``python bench/gen_journal.py DIR [PEOPLE]``; from code: ``make_journal(path)``.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from rapport.core.names import name_key
from rapport.store.journal import Journal, open_journal

# fmt: off
GIVEN = [
    "Amara", "Ben", "Chen", "Dana", "Elif", "Farid", "Greta", "Hiro", "Ines", "Jonas", "Kemi",
    "Lars", "Maya", "Nikhil", "Olga", "Pablo", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Viktor",
    "Wen", "Ximena", "Yusuf", "Zoë", "Aiko", "Bruno", "Camille", "Diego", "Esther", "Felix",
    "Grace", "Hannah", "Ivan", "Julia", "Kofi", "Lena", "Mateo", "Noor", "Oscar", "Priya", "Rahul",
    "Sofia", "Thomas", "Ursula", "Valentina", "William", "Xavier", "Yara", "Zeynep", "Anna",
    "Björn", "Chloé", "David", "Emma", "François", "Gabriel", "Hélène", "Isabel", "James",
    "Katarzyna", "Liam", "Mohammed", "Nadia", "Olivia", "Pedro", "Rafael", "Sarah", "Tomás",
    "Ulrich", "Vera", "Wojciech", "Yuki", "Zara", "Ahmed", "Beatriz", "Carlos",
]
FAMILY = [
    "Okafor", "Schmidt", "Nakamura", "Rossi", "Dubois", "Kowalski", "Haddad", "Lindqvist",
    "Fernández", "Chen", "Patel", "O'Brien", "Müller", "Andersen", "Costa", "Ivanova", "Kim",
    "Mensah", "Novak", "Silva", "Tanaka", "Walker", "Yilmaz", "Zhang", "García", "Jensen", "Smith",
    "Johnson", "Brown", "Martin", "Bernard", "Moreau", "Weber", "Wagner", "Becker", "Hoffmann",
    "Romano", "Ricci", "Lopez", "Gonzalez", "Nguyen", "Tran", "Singh", "Kumar", "Sato", "Suzuki",
    "Takahashi", "Watanabe", "Ito", "Yamamoto", "Kobayashi", "Park", "Lee", "Wang", "Li", "Liu",
    "Nielsen", "Hansen", "Johansson", "Karlsson", "Virtanen", "Horvath", "Nowak", "Dvořák",
    "Popescu", "Papadopoulos", "Öztürk", "Cohen", "Levi", "Mahlangu",
]
CJK_NAMES = [
    "山田 太郎", "佐藤 花子", "鈴木 一郎", "高橋 美咲", "田中 健", "渡辺 直子", "伊藤 翔",
    "王 伟", "李 娜", "张 敏", "刘 洋", "陈 静", "김 민준", "이 서연", "박 지훈",
]
# (typed variants, region, country, latitude, longitude, time zone, population)
CITIES = [
    (("Boston", "Boston, MA", "boston"), "MA", "US", 42.3584, -71.0598, "America/New_York", 617594),
    (("Cambridge", "Cambridge, MA"), "MA", "US", 42.3751, -71.1056, "America/New_York", 105162),
    (
        ("New York", "NYC", "New York City", "Brooklyn"),
        "NY",
        "US",
        40.7143,
        -74.006,
        "America/New_York",
        8175133,
    ),
    (("San Francisco", "SF"), "CA", "US", 37.7749, -122.4194, "America/Los_Angeles", 864816),
    (("Oakland",), "CA", "US", 37.8044, -122.2708, "America/Los_Angeles", 419267),
    (("Palo Alto",), "CA", "US", 37.4419, -122.143, "America/Los_Angeles", 64403),
    (("Seattle",), "WA", "US", 47.6062, -122.3321, "America/Los_Angeles", 608660),
    (("Chicago",), "IL", "US", 41.85, -87.65, "America/Chicago", 2720546),
    (("Austin",), "TX", "US", 30.2672, -97.7431, "America/Chicago", 931830),
    (("Toronto",), "ON", "CA", 43.7001, -79.4163, "America/Toronto", 2600000),
    (("Berlin",), "", "DE", 52.5244, 13.4105, "Europe/Berlin", 3426354),
    (("Munich", "München"), "", "DE", 48.1374, 11.5755, "Europe/Berlin", 1260391),
    (("Frankfurt", "Frankfurt am Main"), "", "DE", 50.1155, 8.6842, "Europe/Berlin", 650000),
    (("London",), "", "GB", 51.5085, -0.1257, "Europe/London", 7556900),
    (("Paris",), "", "FR", 48.8534, 2.3488, "Europe/Paris", 2138551),
    (("Amsterdam",), "", "NL", 52.374, 4.8897, "Europe/Amsterdam", 741636),
    (("Lisbon", "Lisboa"), "", "PT", 38.7167, -9.1333, "Europe/Lisbon", 517802),
    (("Zurich", "Zürich"), "", "CH", 47.3667, 8.55, "Europe/Zurich", 341730),
    (("Stockholm",), "", "SE", 59.3326, 18.0649, "Europe/Stockholm", 1515017),
    (("Tokyo", "東京"), "", "JP", 35.6895, 139.6917, "Asia/Tokyo", 8336599),
    (("Singapore",), "", "SG", 1.2897, 103.8501, "Asia/Singapore", 3547809),
    (("Sydney",), "NSW", "AU", -33.8678, 151.2073, "Australia/Sydney", 4627345),
    (("Bangalore", "Bengaluru"), "KA", "IN", 12.9719, 77.5937, "Asia/Kolkata", 5104047),
    (("São Paulo",), "SP", "BR", -23.5475, -46.6361, "America/Sao_Paulo", 10021295),
]
# Small towns a gazetteer may not know: typed but never resolved.
UNRESOLVED = [
    "Kleinmachnow", "Westford", "Hove", "Mölndal", "Chapel Hill", "Ashby de la Zouch",
]
ORG_HEADS = [
    "Northwind", "Blue Harbor", "Acme", "Lumen", "Fjord", "Paper Crane", "Kestrel", "Open Commons",
    "Tidewater", "Maple & Finch", "Quantum Orchard", "Sunday", "Atlas", "Helix", "Granite",
    "Silver Birch", "Copper Kettle", "Red Fern", "Polar", "Juniper", "Beacon", "Harbour Lights",
]
ORG_TAILS = [
    "Ventures", "Capital", "Robotics", "Health", "Labs", "Studio", "Analytics", "Foundation",
    "Bank", "Software", "Logistics", "Bio", "Systems", "Media", "Partners", "Energy", "GmbH",
]
TITLES = [
    "Partner", "Founder & CEO", "Head of Sales", "CTO", "Staff Engineer", "Product Lead",
    "VP Marketing", "Angel investor", "Community manager", "Designer", "Journalist", "Professor",
    "Recruiter", "Account Executive", "Data Scientist", "Chief of Staff", "Engineering Manager",
]
HOW_MET = [
    "PyCon US hallway track", "Introduced by a friend at a dinner", "Replied to my blog post",
    "Web Summit speakers' lounge", "Former colleague", "LinkedIn message about hiring",
    "Meetup in Berlin", "Alumni event", "", "", "",
]
NOTES = [
    "Loves sourdough and trail running.",
    "Writes a newsletter on B2B sales; subscribe and share it.",
    "Looking for a senior Rust engineer — introduce Lena?",
    "Kids: two, both at school in Lyon. Ask about the marathon.",
    "Invested in three climate startups last year; prefers warm intros.",
    "Met again at the conference afterparty, talked about open source funding.",
    "Moved from London to Lisbon in spring; remote-first team.",
    "Speaks at JSConf every year. Great on developer relations.",
]
CIRCLES = [
    ("Work", ["Investors", "Founders", "Colleagues", "Customers", "Recruiters"]),
    ("Community", ["Python", "Rust", "Climate tech", "Open source", "Design"]),
    ("Friends", ["School", "University", "Climbing"]),
    ("Family", []),
    ("Press", ["Podcasts"]),
    ("Conferences", ["PyCon US", "Web Summit", "EuroPython", "FOSDEM"]),
]
GOALS = [
    (
        "Raise a seed round",
        ["A partner at a climate-focused fund", "Someone who raised from Blue Harbor"],
    ),
    (
        "Hire a head of sales in Berlin",
        ["Someone who runs sales at a Berlin startup", "A recruiter who knows Berlin SaaS"],
    ),
    ("Speak at PyCon US", ["A past PyCon program committee member"]),
    (
        "Open a Lisbon office",
        ["A lawyer who has set up a Portuguese company", "Someone in Lisbon's startup scene"],
    ),
    ("Find a mentor in developer relations", ["A DevRel lead at a developer-tools company"]),
    (
        "Write a book on offline-first apps",
        ["An editor at a technical publisher", "Someone who has self-published"],
    ),
    ("Launch in Japan", ["A localisation expert for Japanese", "A partner in Tokyo"]),
    ("Learn to sail", []),
]
ROLES = [
    "expert", "decision maker", "connector", "mentor", "peer", "investor", "customer",
]

PERSON_COLUMNS = (
    "id", "name", "given_name", "family_name", "additional_names", "prefix", "suffix", "nickname",
    "name_key", "organization", "title", "city", "region", "country", "place_id", "birthday",
    "how_we_met", "met_through_id", "tier", "cadence_days", "notes", "archived", "created",
    "updated",
)
# fmt: on


def _insert(
    cur: object, table: str, columns: tuple[str, ...], rows: list[tuple[object, ...]]
) -> None:
    marks = ",".join("?" * len(columns))
    names = ",".join(f'"{c}"' for c in columns)
    cur.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)  # type: ignore[attr-defined]


def _slug(text: str) -> str:
    return "".join(c for c in text.lower() if c.isascii() and c.isalnum()) or "x"


def fill(journal: Journal, people: int, seed: int = 1) -> None:
    """Add ``people`` people and everything around them to an empty ``journal``."""
    rng = random.Random(seed)
    con = journal.db.connection()
    cur = con.cursor()
    cur.execute("BEGIN")
    try:
        places = [
            (n + 1, c[0][0], c[2], c[1], c[3], c[4], c[5], c[6], "city")
            for n, c in enumerate(CITIES)
        ]
        _insert(
            cur,
            "place",
            ("id", "name", "country", "region", "lat", "lon", "timezone", "population", "kind"),
            places,
        )
        orgs = [f"{h} {t}" for h in ORG_HEADS for t in ORG_TAILS]
        start = datetime(2015, 1, 1)
        person_rows: list[tuple[object, ...]] = []
        emails: list[tuple[object, ...]] = []
        links: list[tuple[object, ...]] = []
        phones: list[tuple[object, ...]] = []
        for pid in range(1, people + 1):
            if rng.random() < 0.03:
                name = rng.choice(CJK_NAMES)
                family, given = name.split(" ")
            else:
                given, family = rng.choice(GIVEN), rng.choice(FAMILY)
                name = f"{given} {family}"
            roll = rng.random()
            if roll < 0.75:
                n = rng.randrange(len(CITIES))
                variants, region, country = CITIES[n][0], CITIES[n][1], CITIES[n][2]
                city, place_id = rng.choice(variants), n + 1
            elif roll < 0.8:
                city, region, country, place_id = rng.choice(UNRESOLVED), "", "", None
            else:
                city, region, country, place_id = "", "", "", None
            org = rng.choice(orgs) if rng.random() < 0.85 else ""
            created = start + timedelta(minutes=pid * 37)
            person_rows.append(
                (
                    pid,
                    name,
                    given,
                    family,
                    "",
                    "",
                    "",
                    "",
                    name_key(name),
                    org,
                    rng.choice(TITLES) if org else "",
                    city,
                    region,
                    country,
                    place_id,
                    f"{rng.randint(1955, 2002)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                    if rng.random() < 0.3
                    else "",
                    rng.choice(HOW_MET),
                    rng.randrange(1, pid) if pid > 10 and rng.random() < 0.05 else None,
                    rng.choice([1, 2, 2, 3, 3, 3, None, None]),
                    None,
                    rng.choice(NOTES) if rng.random() < 0.33 else "",
                    1 if rng.random() < 0.03 else 0,
                    created,
                    created,
                )
            )
            slug = f"{_slug(given)}.{_slug(family)}"
            domain = f"{_slug(org)}.example" if org else "mail.example"
            address = f"{slug}{pid}@{domain}"
            emails.append((pid, address, address.casefold(), "work"))
            if rng.random() < 0.2:
                home = f"{slug}.{pid}@home.example"
                emails.append((pid, home, home, "home"))
            if rng.random() < 0.6:
                url = f"https://www.linkedin.com/in/{slug.replace('.', '-')}-{pid}"
                links.append((pid, "linkedin", url, url.removeprefix("https://www.")))
            if rng.random() < 0.2:
                url = f"https://x.com/{slug.replace('.', '_')}{pid}"
                links.append((pid, "twitter", url, url.removeprefix("https://")))
            if rng.random() < 0.1:
                handle = f"@{slug.replace('.', '')}{pid}@mastodon.social"
                links.append((pid, "mastodon", handle, handle.lstrip("@")))
            if rng.random() < 0.08:
                url = f"https://{slug.replace('.', '')}{pid}.blog.example/"
                links.append((pid, "blog", url, url.removeprefix("https://").rstrip("/")))
            if rng.random() < 0.4:
                phones.append((pid, f"+1 617 555 {rng.randint(0, 9999):04d}", "mobile"))
        _insert(cur, "person", PERSON_COLUMNS, person_rows)
        _insert(cur, "email", ("person_id", "address", "key", "label"), emails)
        _insert(cur, "link", ("person_id", "service", "url", "key"), links)
        _insert(cur, "phone", ("person_id", "number", "label"), phones)

        circle_rows: list[tuple[object, ...]] = []
        leaf_ids: list[int] = []
        for top_pos, (top, children) in enumerate(CIRCLES):
            top_id = len(circle_rows) + 1
            circle_rows.append((top_id, top, None, top_pos))
            if not children:
                leaf_ids.append(top_id)
            for pos, child in enumerate(children):
                cid = len(circle_rows) + 1
                circle_rows.append((cid, child, top_id, pos))
                leaf_ids.append(cid)
        _insert(cur, "circle", ("id", "name", "parent_id", "position"), circle_rows)
        memberships = []
        for pid in range(1, people + 1):
            k = rng.choice([0, 0, 1, 1, 1, 2, 2, 3])
            for cid in rng.sample(leaf_ids, k):
                memberships.append((pid, cid))
        _insert(cur, "person_circle", ("person_id", "circle_id"), memberships)

        goal_rows, slot_rows, goal_people = [], [], []
        for pos, (title, slots) in enumerate(GOALS):
            gid = pos + 1
            goal_rows.append((gid, title, "", None, "active", pos, start))
            linked = rng.sample(range(1, people + 1), min(people, rng.randint(8, 60)))
            for pid in linked:
                goal_people.append((gid, pid, rng.choice(ROLES)))
            for spos, description in enumerate(slots):
                filled = linked[0] if spos == 0 and rng.random() < 0.3 else None
                slot_rows.append((gid, description, rng.choice(ROLES[:3]), filled, spos))
        _insert(
            cur,
            "goal",
            ("id", "title", "why", "target_date", "status", "position", "created"),
            goal_rows,
        )
        _insert(cur, "goal_person", ("goal_id", "person_id", "role"), goal_people)
        _insert(cur, "slot", ("goal_id", "description", "role", "person_id", "position"), slot_rows)
        cur.execute("COMMIT")
    except BaseException:
        cur.execute("ROLLBACK")
        raise
    cur.execute("ANALYZE")


def make_journal(path: Path, people: int = 100_000, seed: int = 1) -> Path:
    """Create (or re-create) a journal at ``path`` with ``people`` people; returns its path.

    ``path`` is the journal file, or a folder to put ``journal.sqlite`` in.
    """
    path = Path(path)
    if path.suffix != ".sqlite":
        path = path / "journal.sqlite"
    for suffix in ("", "-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.unlink()
    journal = open_journal(path, bind=False)
    try:
        fill(journal, people, seed)
    finally:
        journal.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        journal.close()
    return path


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python bench/gen_journal.py DIR [PEOPLE]", file=sys.stderr)
        return 2
    people = int(argv[1]) if len(argv) > 1 else 100_000
    began = time.perf_counter()
    path = make_journal(Path(argv[0]), people)
    print(f"{path}: {people} people in {time.perf_counter() - began:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

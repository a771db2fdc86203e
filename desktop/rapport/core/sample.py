"""A generated sample journal (~200 people, goals, circles, cities, a year of generosity
log and touchpoints) to try Rapport with.

It lives in its own folder, apart from the user's journal; ``rapport --demo`` opens it.
The same seed always makes the same journal, so screenshots and tests are stable.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from rapport.core import acts, circles, clock, goals, people
from rapport.core.calendar.sample_travel import add_sample_travel
from rapport.core.links import link_key
from rapport.core.progress import Progress
from rapport.store.models import Email, GoalPerson, Link, Meeting, MeetingPerson, Person, db_proxy

SEED = 20261127

GIVEN = [
    "Amara",
    "Ben",
    "Chen",
    "Dana",
    "Elif",
    "Farid",
    "Greta",
    "Hiro",
    "Ines",
    "Jonas",
    "Kemi",
    "Lars",
    "Maya",
    "Nikhil",
    "Olga",
    "Pablo",
    "Quinn",
    "Rosa",
    "Sven",
    "Tariq",
    "Uma",
    "Viktor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoë",
    "Aiko",
    "Bruno",
    "Camille",
    "Diego",
    "Esther",
    "Felix",
    "Grace",
    "Hannah",
    "Ivan",
    "Julia",
    "Kofi",
    "Lena",
    "Mateo",
    "Noor",
    "Oscar",
    "Priya",
]
FAMILY = [
    "Okafor",
    "Schmidt",
    "Nakamura",
    "Rossi",
    "Dubois",
    "Kowalski",
    "Haddad",
    "Lindqvist",
    "Fernández",
    "Chen",
    "Patel",
    "O'Brien",
    "Müller",
    "Andersen",
    "Costa",
    "Ivanova",
    "Kim",
    "Mensah",
    "Novak",
    "Silva",
    "Tanaka",
    "Walker",
    "Yilmaz",
    "Zhang",
    "García",
    "Jensen",
]
JAPANESE = ["山田 太郎", "佐藤 花子", "鈴木 一郎", "高橋 美咲", "田中 健"]
CITIES = [
    ("Boston", "MA", "US"),
    ("Cambridge", "MA", "US"),
    ("New York City", "NY", "US"),
    ("Brooklyn", "NY", "US"),
    ("San Francisco", "CA", "US"),
    ("Oakland", "CA", "US"),
    ("Palo Alto", "CA", "US"),
    ("Berlin", "", "DE"),
    ("Munich", "", "DE"),
    ("London", "", "GB"),
    ("Paris", "", "FR"),
    ("Amsterdam", "", "NL"),
    ("Lisbon", "", "PT"),
    ("Tokyo", "", "JP"),
    ("Toronto", "ON", "CA"),
    ("Zurich", "", "CH"),
    ("Stockholm", "", "SE"),
    ("Austin", "TX", "US"),
]
ORGS = [
    "Northwind Ventures",
    "Blue Harbor Capital",
    "Acme Robotics",
    "Lumen Health",
    "Fjord Labs",
    "Paper Crane Studio",
    "Kestrel Analytics",
    "Open Commons Foundation",
    "Tidewater Bank",
    "Maple & Finch",
    "Quantum Orchard",
    "Sunday Software",
    "Atlas Logistics",
    "Helix Bio",
]
TITLES = [
    "Partner",
    "Founder & CEO",
    "Head of Sales",
    "CTO",
    "Staff Engineer",
    "Product Lead",
    "VP Marketing",
    "Angel investor",
    "Community manager",
    "Designer",
    "Journalist",
    "Professor",
]
HOW_MET = [
    "PyCon US hallway track",
    "Introduced by a friend at a dinner",
    "Replied to my blog post",
    "Web Summit speakers' lounge",
    "Former colleague",
    "LinkedIn message about hiring",
    "Meetup in Berlin",
    "Alumni event",
]
CIRCLES = [
    "Work/Investors",
    "Work/Founders",
    "Work/Colleagues",
    "Community/Python",
    "Community/Climate tech",
    "Friends",
    "Family",
    "Press",
]
GOALS = [
    (
        "Raise a seed round",
        "Eighteen months of runway for the team",
        [
            ("A partner at a climate-focused fund", "decision maker"),
            ("Someone who raised from Blue Harbor", "connector"),
        ],
    ),
    (
        "Hire a head of sales in Berlin",
        "Sales need a local leader before the EU launch",
        [
            ("Someone who runs sales at a Berlin startup", "expert"),
            ("A recruiter who knows Berlin SaaS", "connector"),
        ],
    ),
    (
        "Speak at PyCon US",
        "Share what we learned building offline-first apps",
        [("A past PyCon program committee member", "expert")],
    ),
]


def ensure_sample_journal(progress: Progress | None = None) -> bool:
    """Fill the (demo) journal with sample data if it has no people; True if it did."""
    if Person.select().exists():
        return False
    fill_sample(progress=progress)
    return True


def fill_sample(
    count: int = 200, progress: Progress | None = None, today: date | None = None
) -> None:
    """Make the sample; its log runs for the year before ``today`` (by default the real date,
    or ``RAPPORT_TODAY``)."""
    rng = random.Random(SEED)
    progress = progress or Progress.silent()
    with db_proxy.atomic():
        circle_ids = [circles.circle_by_path(path, create=True)[0] for path in CIRCLES]
        goal_ids: list[int] = []
        slot_ids: list[int] = []
        for title, why, slots in GOALS:
            target = date(2027, 6, 30) + timedelta(days=90 * len(goal_ids))
            gid, _ = goals.create_goal(title, why, target)
            goal_ids.append(gid)
            for description, role in slots:
                slot_ids.append(goals.add_slot(gid, description, role)[0])
        ids: list[int] = []
        for i in range(count):
            ids.append(_sample_person(rng, i))
            if i % 20 == 0:
                progress.update(i, count, "Making sample people")
        special = people.create_person(
            "<b>Bold</b> <img src=x>",
            organization="Markup & Co",
            city="Boston",
            region="MA",
            country="US",
            notes="Their name is shown exactly as typed, never as markup.",
        )[0]
        ids.append(special)
        for pid in ids:
            for cid in rng.sample(circle_ids, rng.choice([0, 1, 1, 2])):
                circles.add_to_circle([pid], cid)
        for gid in goal_ids:
            chosen = rng.sample(ids, 8)
            for pid in chosen:
                goals.link_people(gid, [pid], rng.choice(goals.ROLES[:3]))
        goals.fill_slot(slot_ids[1], ids[3])
        for pid in rng.sample(ids[10:], 30):
            people.update_person(pid, met_through=rng.choice(ids[:10]))
        people.set_archived(rng.sample(ids[20:], 6))
        progress.update(count, count, "Making a year of generosity log")
        _sample_log(random.Random(SEED + 1), ids, today or clock.today())
        progress.update(count, count, "Making sample travel")
        add_sample_travel(ids, today or clock.today())


def _sample_person(rng: random.Random, i: int) -> int:
    if i < len(JAPANESE):
        name = JAPANESE[i]
        given, family = name.split(" ")[1], name.split(" ")[0]
        city, region, country = "Tokyo", "", "JP"
    else:
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        name = f"{given} {family}"
        city, region, country = rng.choice(CITIES)
    org = rng.choice(ORGS)
    pid, _ = people.create_person(
        name,
        given_name=given,
        family_name=family,
        organization=org,
        title=rng.choice(TITLES),
        city=city,
        region=region,
        country=country,
        tier=rng.choice([1, 2, 2, 3, 3, 3, None]),
        how_we_met=rng.choice(HOW_MET),
        notes=rng.choice(
            ["", "", "Loves sourdough and trail running.", "Writes a newsletter on B2B sales."]
        ),
        birthday=f"{rng.randint(1960, 2000)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        if rng.random() < 0.4
        else "",
    )
    slug = f"{given}.{family}".lower().replace(" ", "").replace("'", "")
    address = f"{slug}{i}@example.com"
    Email.create(person=pid, address=address, key=address.casefold(), label="work")
    if rng.random() < 0.7:
        url = f"https://www.linkedin.com/in/{slug}-{i}"
        Link.create(person=pid, service="linkedin", url=url, key=link_key(url))
    if rng.random() < 0.3:
        url = f"https://mastodon.social/@{slug.replace('.', '')}{i}"
        Link.create(person=pid, service="mastodon", url=url, key=link_key(url))
    return pid


# -- the generosity log ----------------------------------------------------------------------

GIVEN_KINDS = (
    ["share"] * 30
    + ["amplify"] * 20
    + ["thanks"] * 15
    + ["intro"] * 8
    + ["help"] * 8
    + ["recommend"] * 7
    + ["invite"] * 5
    + ["gift"] * 3
    + ["other"] * 4
)
RECEIVED_KINDS = ["share"] * 4 + ["thanks"] * 4 + ["intro"] * 2 + ["help"] * 2 + ["recommend"]
TOUCH_KINDS = ["message"] * 5 + ["call"] * 3 + ["coffee"] * 3 + ["meal"] + ["met"] * 2
NOTES = {
    "share": [
        ("Sent the essay on usage-based pricing", "https://blog.example.com/usage-pricing"),
        ("The offline-first sync talk they asked about", "https://talks.example.org/offline-sync"),
        ("A Berlin SaaS salary report for their hiring", "https://data.example.com/berlin-saas"),
        ("Podcast episode on climate fund theses", "https://pod.example.net/climate-funds"),
    ],
    "amplify": [
        ("Boosted their launch post", "https://mastodon.social/@example/11245"),
        ("Shared their conference talk with my team", ""),
        ("Commented on their article about hiring", "https://www.linkedin.com/feed/"),
    ],
    "thanks": [
        ("Your post changed how we price — thank you", ""),
        ("Thank-you note after the coffee", ""),
        ("Thanked them for the warm intro", ""),
    ],
    "intro": [("Introduced them: both building in climate tech", "")],
    "help": [
        ("Reviewed their pitch deck", ""),
        ("Read the draft of their PyCon proposal", ""),
        ("Helped with a visa letter question", ""),
    ],
    "recommend": [("LinkedIn recommendation", ""), ("Referred them to a client", "")],
    "invite": [("Invited to our founders' dinner", ""), ("Invited to speak at our meetup", "")],
    "gift": [("Sent 'Never Eat Alone' as a thank-you", "")],
    "other": [("Sent birthday wishes", "")],
    "coffee": [("Coffee near their office", "")],
    "meal": [("Lunch after the meetup", "")],
    "call": [("Catch-up call", ""), ("Call about the seed round", "")],
    "message": [("Checked in by message", ""), ("Congratulated them on the new role", "")],
    "met": [("Met at a conference", "")],
}


RECEIVED_NOTES = {
    "share": [
        ("Sent me a thread on seed-round terms", "https://news.example.com/seed-terms"),
        ("Sent me their notes from the conference", ""),
    ],
    "thanks": [("Thanked me for the intro", ""), ("Said my talk helped their team", "")],
    "intro": [("Introduced me to an investor they trust", "")],
    "help": [("Gave feedback on our pricing page", ""), ("Checked my hiring plan", "")],
    "recommend": [("Recommended me for a panel", "")],
}


def _note(rng: random.Random, kind: str, direction: str) -> tuple[str, str]:
    notes = RECEIVED_NOTES if direction == "received" and kind in RECEIVED_NOTES else NOTES
    note, url = rng.choice(notes[kind])
    return note, url


def _sample_log(rng: random.Random, ids: list[int], today: date) -> None:
    """About a year of acts and touchpoints, busier lately, mostly with a close circle."""
    live = [pid for pid in ids if not Person.get_by_id(pid).archived]
    for pid in live:
        joined = today - timedelta(days=rng.randint(30, 420))
        Person.update(created=datetime(joined.year, joined.month, joined.day, 9, 0)).where(
            Person.id == pid
        ).execute()
    on_goals = [gp.person_id for gp in GoalPerson.select(GoalPerson.person)]
    close = list(dict.fromkeys([p for p in on_goals if p in live] + rng.sample(live, 40)))
    # Leave a few goal people untouched lately, so Serve next has someone to suggest.
    quiet = set(close[: len(close) // 5])

    def someone() -> int:
        return rng.choice(close) if rng.random() < 0.8 else rng.choice(live)

    for week in range(52, -1, -1):
        busy = 1.0 + (52 - week) / 26  # the habit grows over the year
        for _ in range(max(0, round(rng.gauss(2.5 * busy, 1.2)))):
            _one(rng, today, week, "given", rng.choice(GIVEN_KINDS), someone, quiet)
        for _ in range(max(0, round(rng.gauss(1.2 * busy, 0.8)))):
            _one(rng, today, week, "received", rng.choice(RECEIVED_KINDS), someone, quiet)
        for _ in range(max(0, round(rng.gauss(1.5 * busy, 0.8)))):
            _one(rng, today, week, "given", rng.choice(TOUCH_KINDS), someone, quiet)
    # Two meetings done lately: one waits for its thank-you, one got it.
    for days_ago, thanked in ((1, False), (3, True)):
        pid = rng.choice([p for p in close if p not in quiet])
        name = Person.get_by_id(pid).name
        day = today - timedelta(days=days_ago)
        meeting = Meeting.create(
            kind="coffee",
            title=f"Coffee with {name}",
            starts_at=datetime(day.year, day.month, day.day, 15, 0),
            status="done",
        )
        MeetingPerson.create(meeting=meeting.id, person=pid)
        acts.log_act([pid], "coffee", on=day, note="Coffee", meeting_id=int(meeting.id))
        if thanked:
            acts.log_act([pid], "thanks", on=day + timedelta(days=1), note="Thanks for the coffee")


def _one(
    rng: random.Random,
    today: date,
    week: int,
    direction: str,
    kind: str,
    someone: object,
    quiet: set[int],
) -> None:
    assert callable(someone)
    day = today - timedelta(days=week * 7 + rng.randint(0, 6))
    if day > today:
        return
    who = [someone()]
    if kind == "intro":
        while len(who) < 2:
            other = someone()
            if other not in who:
                who.append(other)
    if week < 10 and any(pid in quiet for pid in who):
        return
    note, url = _note(rng, kind, direction)
    acts.log_act(who, kind, on=day, direction=direction, note=note, url=url)

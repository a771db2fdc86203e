"""A generated sample journal (~200 people, goals, circles, cities) to try Rapport with.

It lives in its own folder, apart from the user's journal; ``rapport --demo`` opens it.
The same seed always makes the same journal, so screenshots and tests are stable.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from rapport.core import circles, goals, people
from rapport.core.links import link_key
from rapport.core.progress import Progress
from rapport.store.models import Email, Link, Person, db_proxy

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


def fill_sample(count: int = 200, progress: Progress | None = None) -> None:
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

"""The journal's tables as peewee models, bound to one database proxy at open time."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import peewee as pw

db_proxy = pw.DatabaseProxy()


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class BaseModel(pw.Model):
    # peewee makes these at run time; declared so the type checker knows them.
    id: Any

    class Meta:
        database = db_proxy
        legacy_table_names = False


class Place(BaseModel):
    """A gazetteer entry cached in the journal (people and trips point at it)."""

    geonameid = pw.IntegerField(null=True, unique=True)
    name = pw.CharField()
    country = pw.CharField(default="")  # ISO 3166-1 alpha-2
    region = pw.CharField(default="")  # admin1 code, e.g. "MA"
    lat = pw.FloatField()
    lon = pw.FloatField()
    timezone = pw.CharField(default="")
    population = pw.IntegerField(default=0)
    kind = pw.CharField(default="city")  # city | airport


class Person(BaseModel):
    name = pw.CharField(index=True)
    given_name = pw.CharField(default="")
    family_name = pw.CharField(default="")
    additional_names = pw.CharField(default="")
    prefix = pw.CharField(default="")
    suffix = pw.CharField(default="")
    nickname = pw.CharField(default="")
    name_key = pw.CharField(default="", index=True)  # normalised name, for matching on import
    organization = pw.CharField(default="", index=True)
    title = pw.CharField(default="")
    city = pw.CharField(default="", index=True)  # as typed or imported
    region = pw.CharField(default="")
    country = pw.CharField(default="")
    place = pw.ForeignKeyField(Place, null=True, on_delete="SET NULL", backref="people")
    place_id: int | None
    birthday = pw.CharField(default="")  # YYYY-MM-DD or --MM-DD
    how_we_met = pw.TextField(default="")
    met_through = pw.ForeignKeyField("self", null=True, on_delete="SET NULL", backref="introduced")
    met_through_id: int | None
    tier = pw.IntegerField(null=True)  # 1 closest .. 3 widest; None: not tiered
    cadence_days = pw.IntegerField(null=True)  # keep-in-touch cadence; None: default by tier
    notes = pw.TextField(default="")
    archived = pw.BooleanField(default=False, index=True)
    created = pw.DateTimeField(default=utcnow)
    updated = pw.DateTimeField(default=utcnow)


class Email(BaseModel):
    person = pw.ForeignKeyField(Person, on_delete="CASCADE", backref="emails")
    person_id: int
    address = pw.CharField()
    key = pw.CharField(index=True)  # lower-cased address, for matching
    label = pw.CharField(default="")


class Phone(BaseModel):
    person = pw.ForeignKeyField(Person, on_delete="CASCADE", backref="phones")
    person_id: int
    number = pw.CharField()
    label = pw.CharField(default="")


class Link(BaseModel):
    """A profile or site: linkedin, twitter, mastodon, github, blog, website, other."""

    person = pw.ForeignKeyField(Person, on_delete="CASCADE", backref="links")
    person_id: int
    service = pw.CharField(default="website")
    url = pw.CharField()
    key = pw.CharField(default="", index=True)  # normalised URL, for matching (LinkedIn)


class Address(BaseModel):
    person = pw.ForeignKeyField(Person, on_delete="CASCADE", backref="addresses")
    person_id: int
    label = pw.CharField(default="")
    street = pw.CharField(default="")
    locality = pw.CharField(default="")
    region = pw.CharField(default="")
    postcode = pw.CharField(default="")
    country = pw.CharField(default="")


class Circle(BaseModel):
    """A group of people; circles nest (a tree)."""

    name = pw.CharField()
    parent = pw.ForeignKeyField("self", null=True, on_delete="CASCADE", backref="children")
    parent_id: int | None
    position = pw.IntegerField(default=0)


class PersonCircle(BaseModel):
    person = pw.ForeignKeyField(Person, on_delete="CASCADE", backref="circle_links")
    person_id: int
    circle = pw.ForeignKeyField(Circle, on_delete="CASCADE", backref="person_links")
    circle_id: int

    class Meta:
        indexes = ((("person", "circle"), True),)


class Goal(BaseModel):
    """The people plan: what the user wants to achieve and who they need to know for it."""

    title = pw.CharField()
    why = pw.TextField(default="")
    target_date = pw.DateField(null=True)
    status = pw.CharField(default="active")  # active | paused | done | dropped
    position = pw.IntegerField(default=0)
    created = pw.DateTimeField(default=utcnow)


class GoalPerson(BaseModel):
    goal = pw.ForeignKeyField(Goal, on_delete="CASCADE", backref="person_links")
    goal_id: int
    person = pw.ForeignKeyField(Person, on_delete="CASCADE", backref="goal_links")
    person_id: int
    role = pw.CharField(default="")  # expert | decision maker | connector | ...

    class Meta:
        indexes = ((("goal", "person"), True),)


class Slot(BaseModel):
    """An open 'who I need to know' line on a goal; a person can fill it."""

    goal = pw.ForeignKeyField(Goal, on_delete="CASCADE", backref="slots")
    goal_id: int
    description = pw.CharField()
    role = pw.CharField(default="")
    person = pw.ForeignKeyField(Person, null=True, on_delete="SET NULL", backref="slots")
    person_id: int | None
    position = pw.IntegerField(default=0)


class CalendarSource(BaseModel):
    kind = pw.CharField(default="file")  # file | feed
    location = pw.CharField(unique=True)  # path or URL
    name = pw.CharField(default="")
    last_fetch = pw.DateTimeField(null=True)
    content_hash = pw.CharField(default="")
    etag = pw.CharField(default="")
    last_modified = pw.CharField(default="")
    last_error = pw.TextField(default="")
    enabled = pw.BooleanField(default=True)


class Trip(BaseModel):
    """A journey derived from events; user corrections (the user_* fields) survive re-import."""

    place = pw.ForeignKeyField(Place, null=True, on_delete="SET NULL", backref="trips")
    place_id: int | None
    start_date = pw.DateField(index=True)
    end_date = pw.DateField()
    key = pw.CharField(default="", index=True)  # stable identity across re-imports
    user_place = pw.ForeignKeyField(Place, null=True, on_delete="SET NULL")
    user_place_id: int | None
    user_start = pw.DateField(null=True)
    user_end = pw.DateField(null=True)
    dismissed = pw.BooleanField(default=False)
    person = pw.ForeignKeyField(Person, null=True, on_delete="CASCADE", backref="visits")
    person_id: int | None
    note = pw.TextField(default="")
    # The destination as written ("Italien") when the gazetteer could not place it.
    label = pw.CharField(default="")
    # Made by the user (a visit, the second half of a split): kept even with no events.
    manual = pw.BooleanField(default=False)


class Event(BaseModel):
    """An imported VEVENT; (source, uid, recurrence_id) is its identity for re-import."""

    source = pw.ForeignKeyField(CalendarSource, on_delete="CASCADE", backref="events")
    source_id: int
    uid = pw.CharField()
    recurrence_id = pw.CharField(default="")
    summary = pw.CharField(default="")
    description = pw.TextField(default="")
    location = pw.CharField(default="")
    start_utc = pw.DateTimeField(null=True, index=True)
    end_utc = pw.DateTimeField(null=True)
    tzid = pw.CharField(default="")
    all_day = pw.BooleanField(default=False)
    start_date = pw.DateField(null=True, index=True)
    end_date = pw.DateField(null=True)
    status = pw.CharField(default="")
    kind = pw.CharField(default="other")  # flight | train | hotel | trip | conference | other
    place = pw.ForeignKeyField(Place, null=True, on_delete="SET NULL")
    place_id: int | None
    # Where a flight or train leaves from; the destination text as the event wrote it.
    origin_place = pw.ForeignKeyField(Place, null=True, on_delete="SET NULL", backref="+")
    origin_place_id: int | None
    place_text = pw.CharField(default="")
    trip = pw.ForeignKeyField(Trip, null=True, on_delete="SET NULL", backref="events")
    trip_id: int | None
    # The user's merge or split put this event in that trip, whatever the grouping says.
    pinned_trip = pw.ForeignKeyField(Trip, null=True, on_delete="SET NULL", backref="+")
    pinned_trip_id: int | None
    content_hash = pw.CharField(default="")

    class Meta:
        indexes = ((("source", "uid", "recurrence_id"), True),)


class EventPerson(BaseModel):
    """A person the user linked to an event (e.g. 'connect while you're there')."""

    event = pw.ForeignKeyField(Event, on_delete="CASCADE", backref="person_links")
    event_id: int
    person = pw.ForeignKeyField(Person, on_delete="CASCADE", backref="event_links")
    person_id: int

    class Meta:
        indexes = ((("event", "person"), True),)


class Meeting(BaseModel):
    kind = pw.CharField(default="coffee")  # coffee | meal | call | event
    title = pw.CharField(default="")
    starts_at = pw.DateTimeField(null=True)  # UTC
    timezone = pw.CharField(default="")
    location = pw.CharField(default="")
    place = pw.ForeignKeyField(Place, null=True, on_delete="SET NULL")
    place_id: int | None
    trip = pw.ForeignKeyField(Trip, null=True, on_delete="SET NULL", backref="meetings")
    trip_id: int | None
    status = pw.CharField(default="suggested")  # suggested invited confirmed done declined
    notes = pw.TextField(default="")
    uid = pw.CharField(default="")  # the UID of the .ics invitation sent
    created = pw.DateTimeField(default=utcnow)


class MeetingPerson(BaseModel):
    meeting = pw.ForeignKeyField(Meeting, on_delete="CASCADE", backref="person_links")
    meeting_id: int
    person = pw.ForeignKeyField(Person, on_delete="CASCADE", backref="meeting_links")
    person_id: int

    class Meta:
        indexes = ((("meeting", "person"), True),)


class Act(BaseModel):
    """One entry of the generosity log, or a touchpoint (coffee, call, message...)."""

    date = pw.DateField(index=True)
    kind = pw.CharField()
    direction = pw.CharField(default="given")  # given | received
    url = pw.CharField(default="")
    note = pw.TextField(default="")
    meeting = pw.ForeignKeyField(Meeting, null=True, on_delete="SET NULL", backref="acts")
    meeting_id: int | None
    created = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = (
            (("kind", "date"), False),  # the log filtered by kind, newest first
            (("date", "direction", "kind"), False),  # the weekly chart, from the index alone
        )


class ActPerson(BaseModel):
    """A person an act concerns. ``date`` and ``ledger`` repeat the act's, so "last contact",
    "last given" and balances per person come from one index, never a join over every act."""

    act = pw.ForeignKeyField(Act, on_delete="CASCADE", backref="person_links")
    act_id: int
    person = pw.ForeignKeyField(Person, on_delete="CASCADE", backref="act_links")
    person_id: int
    date = pw.DateField()  # the act's date (kept equal by core/acts.py)
    ledger = pw.CharField(default="")  # given | received: a generosity act; "": a touchpoint

    class Meta:
        indexes = (
            (("act", "person"), True),
            (("person", "act"), False),
            (("person", "date"), False),
            (("person", "ledger", "date"), False),
        )


class Flag(BaseModel):
    """A person to invite on a trip."""

    trip = pw.ForeignKeyField(Trip, on_delete="CASCADE", backref="flags")
    trip_id: int
    person = pw.ForeignKeyField(Person, on_delete="CASCADE", backref="flags")
    person_id: int
    score = pw.FloatField(default=0)
    reasons = pw.TextField(default="[]")  # JSON list of sentences
    distance_km = pw.FloatField(null=True)
    state = pw.CharField(default="new")  # new | invited | dismissed | snoozed
    snooze_until = pw.DateField(null=True)

    class Meta:
        indexes = ((("trip", "person"), True),)


class Setting(BaseModel):
    """One preference, JSON-encoded; defaults are declared in store/settings.py."""

    key = pw.CharField(primary_key=True)
    value = pw.TextField()


ALL_MODELS: list[type[BaseModel]] = [
    Place,
    Person,
    Email,
    Phone,
    Link,
    Address,
    Circle,
    PersonCircle,
    Goal,
    GoalPerson,
    Slot,
    Meeting,
    MeetingPerson,
    Act,
    ActPerson,
    CalendarSource,
    Trip,
    Event,
    EventPerson,
    Flag,
    Setting,
]

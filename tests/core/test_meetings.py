"""Planning a coffee from a flag, its statuses, the mail draft and the .ics invitations."""

from __future__ import annotations

import urllib.parse
from datetime import UTC, date, datetime

import icalendar
import pytest
from travel_helpers import TODAY, fixture_bytes, import_bytes, person, set_home

from rapport.core import flags, invitations, meetings, preferences, trips
from rapport.core.errors import BadInput
from rapport.store.models import ActPerson, Email, Flag


def flagged_ana() -> tuple[int, int, int]:
    """(person id, trip id, flag id) for Ana in Cambridge MA, flagged on the Boston trip."""
    set_home("London")
    ana = person("Ana Lima", "Cambridge", "MA", "US", given_name="Ana", family_name="Lima")
    Email.create(person=ana, address="ana.lima@example.com", key="ana.lima@example.com")
    import_bytes(fixture_bytes("tripit_feed.ics"))
    [boston] = [t for t in trips.list_trips(TODAY) if t.city == "Boston"]
    [s] = flags.suggestions(trip_id=boston.id, today=TODAY)
    return ana, boston.id, s.flag_id


def me() -> None:
    preferences.put("me.name", "Sam O'Doe")
    preferences.put("me.email", "sam@example.org")


def test_invite_for_coffee_plans_a_suggested_meeting_on_the_trip(journal) -> None:
    ana, trip_id, flag_id = flagged_ana()
    mid, changes = meetings.plan_meeting([], flag_id=flag_id)
    view = meetings.get_meeting(mid)
    assert (view.status, view.kind, view.trip_id, view.person_ids) == (
        "suggested", "coffee", trip_id, (ana,),
    )  # fmt: skip
    assert view.title == "Coffee with Ana Lima" and changes.meetings
    # Proposed for 10:00 in Boston on the trip's first full day (16 March, EDT).
    assert view.starts_at == datetime(2027, 3, 16, 14, 0, tzinfo=UTC)
    assert view.timezone == "America/New_York"
    assert Flag.get_by_id(flag_id).state == "new"  # not invited until it is sent
    assert [m.id for m in meetings.meetings_between(date(2027, 3, 16), date(2027, 3, 16))] == [mid]
    assert meetings.meetings_between(date(2027, 3, 17), date(2027, 3, 31)) == []


def test_statuses_move_forward_only(journal) -> None:
    _, _, flag_id = flagged_ana()
    mid, _ = meetings.plan_meeting([], flag_id=flag_id)
    with pytest.raises(BadInput):
        meetings.set_meeting_status(mid, "done")
    meetings.set_meeting_status(mid, "invited")
    assert Flag.get_by_id(flag_id).state == "invited"
    with pytest.raises(BadInput):
        meetings.set_meeting_status(mid, "suggested")
    meetings.set_meeting_status(mid, "confirmed")
    meetings.set_meeting_status(mid, "done")
    with pytest.raises(BadInput):
        meetings.set_meeting_status(mid, "declined")
    with pytest.raises(BadInput):
        meetings.set_meeting_status(mid, "postponed")
    act_id, _ = meetings.log_meeting(mid)
    assert ActPerson.get(ActPerson.act == act_id).date == date(2027, 3, 16)


def test_a_declined_meeting_can_be_suggested_again(journal) -> None:
    _, _, flag_id = flagged_ana()
    mid, _ = meetings.plan_meeting([], flag_id=flag_id)
    meetings.set_meeting_status(mid, "declined")
    meetings.set_meeting_status(mid, "suggested")
    assert meetings.get_meeting(mid).status == "suggested"


def test_the_mail_draft_fills_the_template_and_encodes_it(journal) -> None:
    me()
    _, _, flag_id = flagged_ana()
    preferences.put(
        "invite.template",
        "Hi {first} & co,\n{name} — I'm in {city} {start}–{end}. "
        "50% chance of rain? {me} {unknown}",
    )
    mid, _ = meetings.plan_meeting([], flag_id=flag_id)
    invite = invitations.invitation_for(mid)
    assert invite.to == ["ana.lima@example.com"]
    assert invite.body == (
        "Hi Ana & co,\nAna Lima — I'm in Boston Monday 15 March–Friday 19 March. "
        "50% chance of rain? Sam O'Doe {unknown}"
    )
    assert invite.subject == "Coffee while I'm in Boston (15–19 Mar)?"
    url = invite.mailto
    assert url.startswith("mailto:ana.lima@example.com?subject=")
    assert " " not in url and "\n" not in url and "+" not in url
    assert "%0D%0A" in url and "%25%20chance" in url and "%26%20co" in url
    query = urllib.parse.parse_qs(url.split("?", 1)[1])
    assert query["subject"] == [invite.subject]
    assert query["body"] == [invite.body.replace("\n", "\r\n")]


def test_the_ics_invitation_is_an_itip_request(journal) -> None:
    me()
    _, _, flag_id = flagged_ana()
    mid, _ = meetings.plan_meeting([], flag_id=flag_id, location="Tatte Bakery, Cambridge")
    data = invitations.invitation_ics(mid)
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["METHOD"]) == "REQUEST"
    [event] = [c for c in cal.walk("VEVENT")]
    assert str(event["UID"]) == meetings.meeting_row(mid).uid
    assert event.decoded("DTSTART") == datetime(2027, 3, 16, 14, 0, tzinfo=UTC)
    assert "DTSTAMP" in event and str(event["LOCATION"]) == "Tatte Bakery, Cambridge"
    organizer = event["ORGANIZER"]
    assert str(organizer) == "mailto:sam@example.org" and organizer.params["CN"] == "Sam O'Doe"
    attendee = event["ATTENDEE"]
    attendees = attendee if isinstance(attendee, list) else [attendee]
    assert [str(a) for a in attendees] == ["mailto:ana.lima@example.com"]
    params = attendees[0].params
    assert (params["CN"], params["RSVP"], params["PARTSTAT"]) == (
        "Ana Lima", "TRUE", "NEEDS-ACTION",
    )  # fmt: skip


def test_an_invitation_needs_the_users_email(journal) -> None:
    _, _, flag_id = flagged_ana()
    mid, _ = meetings.plan_meeting([], flag_id=flag_id)
    with pytest.raises(BadInput, match=r"me\.email"):
        invitations.invitation_ics(mid)


def test_planned_meetings_export_for_the_main_calendar(journal) -> None:
    me()
    _, trip_id, flag_id = flagged_ana()
    ben = person("Ben Ortiz", "Boston", "MA", "US")
    first, _ = meetings.plan_meeting([], flag_id=flag_id)
    second, _ = meetings.plan_meeting(
        [ben], trip_id=trip_id, kind="meal", starts_at=datetime(2027, 3, 17, 19, 30)
    )
    dropped, _ = meetings.plan_meeting([ben], trip_id=trip_id)
    meetings.set_meeting_status(dropped, "declined")
    meetings.set_meeting_status(second, "confirmed")
    cal = icalendar.Calendar.from_ical(invitations.meetings_ics())
    assert str(cal["METHOD"]) == "PUBLISH"
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {"Coffee with Ana Lima", "Meal with Ben Ortiz"}
    meal = events["Meal with Ben Ortiz"]
    # 19:30 local in Boston is 23:30 UTC.
    assert meal.decoded("DTSTART") == datetime(2027, 3, 17, 23, 30, tzinfo=UTC)
    assert str(meal["STATUS"]) == "CONFIRMED"
    assert str(events["Coffee with Ana Lima"]["UID"]) == meetings.meeting_row(first).uid


def test_meeting_arguments_are_checked(journal) -> None:
    ana, _, _ = flagged_ana()
    with pytest.raises(BadInput):
        meetings.plan_meeting([])
    with pytest.raises(BadInput):
        meetings.plan_meeting([ana], kind="dance")
    with pytest.raises(BadInput):
        meetings.plan_meeting([424242])

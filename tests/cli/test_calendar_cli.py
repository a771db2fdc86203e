"""The calendar commands: ``import FILE.ics``, ``subscribe``, ``refresh``, ``trips``,
``suggestions``, ``visit``, ``invite``, ``meetings``, ``meeting``, ``trip``, ``flag``,
``calendars`` and ``config set home_city`` — JSON shapes and exit codes."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import icalendar
import pytest

from rapport.main import main

CALENDAR = Path(__file__).parent.parent / "fixtures" / "calendar"
TRIP_KEYS = ["id", "city", "country", "start", "end", "lat", "lon", "events"]
SUGGESTION_KEYS = ["trip_id", "city", "person", "distance_km", "score", "reasons", "state"]


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAPPORT_TODAY", "2026-11-27")


def run(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), *args])
    out, err = capsys.readouterr()
    return code, out, err


def ok(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> str:
    code, out, err = run(capsys, data, *args)
    assert code == 0, err
    return out


def journal_with_trips(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    ok(capsys, data, "config", "set", "home_city", "London")
    ok(capsys, data, "add", "Ana Lima", "--city", "Cambridge", "--region", "MA", "--country",
       "US", "--add-email", "ana.lima@example.com")  # fmt: skip
    ok(capsys, data, "add", "Sam Ito", "--city", "San Jose", "--region", "CA", "--country", "US")
    ok(capsys, data, "import", str(CALENDAR / "tripit_feed.ics"))


def test_import_ics_json_adds_events_and_trips(capsys, tmp_path) -> None:
    out = ok(capsys, tmp_path / "d", "import", str(CALENDAR / "tripit_feed.ics"), "--json")
    [entry] = json.loads(out)["files"]
    assert list(entry)[:9] == [
        "path", "kind", "added", "updated", "merged", "skipped", "warnings", "events", "trips",
    ]  # fmt: skip
    assert (entry["kind"], entry["added"], entry["events"], entry["trips"]) == ("ics", 11, 11, 3)
    again = json.loads(ok(capsys, tmp_path / "d", "import", str(CALENDAR / "tripit_feed.ics"),
                          "--json"))["files"][0]  # fmt: skip
    assert (again["added"], again["skipped"], again["events"]) == (0, 11, 11)


def test_import_of_contacts_and_a_calendar_together(capsys, tmp_path) -> None:
    contacts = Path(__file__).parent.parent / "fixtures" / "contacts" / "vcard_4.0.vcf"
    out = ok(capsys, tmp_path / "d", "import", str(contacts), str(CALENDAR / "train_trip.ics"),
             "--json")  # fmt: skip
    kinds = [f["kind"] for f in json.loads(out)["files"]]
    assert kinds == ["vcard", "ics"]


def test_a_bad_ics_exits_2_with_the_file_and_line(capsys, tmp_path) -> None:
    bad = tmp_path / "deep.ics"
    bad.write_bytes(
        b"BEGIN:VCALENDAR\r\n" + b"BEGIN:VEVENT\r\n" * 10 + b"END:VEVENT\r\n" * 10
        + b"END:VCALENDAR\r\n"
    )  # fmt: skip
    code, out, err = run(capsys, tmp_path / "d", "import", str(bad))
    assert (code, out) == (2, "")
    assert err.startswith(f"rapport: {bad}: line 6: ") and err.count("\n") == 1
    ok(capsys, tmp_path / "d", "import", str(CALENDAR / "train_trip.ics"))
    code, _, err = run(capsys, tmp_path / "d", "import", str(CALENDAR / "gmail_flight.ics"),
                       str(bad))  # fmt: skip
    assert code == 2
    trips = json.loads(ok(capsys, tmp_path / "d", "trips", "--json"))
    assert len(trips) == 3  # the good file of a refused batch was not imported either


def test_trips_json_shape_and_dates(capsys, tmp_path) -> None:
    data = tmp_path / "d"
    journal_with_trips(capsys, data)
    trips = json.loads(ok(capsys, data, "trips", "--json"))
    assert [list(t) for t in trips] == [TRIP_KEYS] * 3
    boston = trips[0]
    assert (boston["city"], boston["country"], boston["start"], boston["end"]) == (
        "Boston", "US", "2027-03-15", "2027-03-19",
    )  # fmt: skip
    assert isinstance(boston["lat"], float) and isinstance(boston["lon"], float)
    assert boston["events"][0]["summary"] == "Boston, MA, March 2027"
    assert all(list(e) == ["id", "summary"] for e in boston["events"])
    window = json.loads(ok(capsys, data, "trips", "--from", "2027-04-01", "--to", "2027-06-30",
                           "--json"))  # fmt: skip
    assert [t["city"] for t in window] == ["Berlin"]
    # Without --from: upcoming trips, whatever --to says.
    upcoming = json.loads(ok(capsys, data, "trips", "--to", "2027-06-30", "--json"))
    assert [t["city"] for t in upcoming] == ["Boston", "Berlin"]


def test_trips_upcoming_follows_rapport_today(capsys, tmp_path, monkeypatch) -> None:
    data = tmp_path / "d"
    journal_with_trips(capsys, data)
    monkeypatch.setenv("RAPPORT_TODAY", "2027-06-01")
    assert [t["city"] for t in json.loads(ok(capsys, data, "trips", "--json"))] == ["Lisbon"]
    monkeypatch.setenv("RAPPORT_TODAY", "June first")
    code, _, err = run(capsys, data, "trips")
    assert code == 2 and "RAPPORT_TODAY" in err


def test_suggestions_json_shape(capsys, tmp_path) -> None:
    data = tmp_path / "d"
    journal_with_trips(capsys, data)
    found = json.loads(ok(capsys, data, "suggestions", "--json"))
    assert [list(s) for s in found] == [SUGGESTION_KEYS]
    [ana] = found
    assert (ana["city"], ana["person"], ana["state"]) == ("Boston", "Ana Lima", "new")
    assert ana["distance_km"] == pytest.approx(4.2, abs=1)
    assert ana["reasons"][-1] == "4 km from Boston" and isinstance(ana["score"], float)
    assert json.loads(ok(capsys, data, "suggestions", "--from", "2027-04-01", "--json")) == []
    # Widening the reach (a preference) brings San Jose in for nothing here: no SF trip.
    ok(capsys, data, "config", "set", "reach_km", "100")
    assert len(json.loads(ok(capsys, data, "suggestions", "--json"))) == 1


def test_home_city_must_be_a_city_the_gazetteer_knows(capsys, tmp_path) -> None:
    data = tmp_path / "d"
    code, _, err = run(capsys, data, "config", "set", "home_city", "Atlantis Nowhere")
    assert code == 2 and err.startswith("rapport: no city called 'Atlantis Nowhere'")
    assert ok(capsys, data, "config", "set", "home_city", "cambridge, ma") == (
        "home_city = Cambridge, MA, US\n"
    )
    assert ok(capsys, data, "config", "get", "home_city") == "Cambridge, MA, US\n"
    ok(capsys, data, "import", str(CALENDAR / "tripit_feed.ics"))
    cities = [t["city"] for t in json.loads(ok(capsys, data, "trips", "--json"))]
    assert "Boston" not in cities


def test_invite_prints_the_mailto_and_writes_the_ics(capsys, tmp_path) -> None:
    data = tmp_path / "d"
    journal_with_trips(capsys, data)
    ok(capsys, data, "config", "set", "me.email", "sam@example.org")
    ok(capsys, data, "config", "set", "me.name", "Sam Doe")
    out = ok(capsys, data, "suggestions")
    flag_id = out.split("flag #")[1].split()[0]
    ics = tmp_path / "coffee.ics"
    out = ok(capsys, data, "invite", flag_id, "--ics", str(ics))
    assert out.startswith(
        "mailto:ana.lima@example.com?subject=Coffee%20while%20I%27m%20in%20Boston"
    )
    cal = icalendar.Calendar.from_ical(ics.read_bytes())
    assert str(cal["METHOD"]) == "REQUEST"
    [suggestion] = json.loads(ok(capsys, data, "suggestions", "--json"))
    assert suggestion["state"] == "invited"
    [meeting] = json.loads(ok(capsys, data, "meetings", "--json"))
    assert (meeting["status"], meeting["people"], meeting["kind"]) == (
        "invited", ["Ana Lima"], "coffee",
    )  # fmt: skip
    # Inviting again reuses the meeting.
    ok(capsys, data, "invite", flag_id)
    assert len(json.loads(ok(capsys, data, "meetings", "--json"))) == 1
    code, _, err = run(capsys, data, "meeting", str(meeting["id"]), "done")
    assert code == 2 and "cannot become done" in err
    ok(capsys, data, "meeting", str(meeting["id"]), "confirmed")
    ok(capsys, data, "meeting", str(meeting["id"]), "done", "--log")
    assert json.loads(ok(capsys, data, "meetings", "--json")) == []
    assert json.loads(ok(capsys, data, "meetings", "--all", "--json"))[0]["status"] == "done"
    export = tmp_path / "mine.ics"
    ok(capsys, data, "meetings", "--ics", str(export))
    assert icalendar.Calendar.from_ical(export.read_bytes())["METHOD"] == "PUBLISH"


def test_visit_flags_the_visitor(capsys, tmp_path) -> None:
    data = tmp_path / "d"
    journal_with_trips(capsys, data)
    ok(capsys, data, "add", "Klaus Weber", "--city", "Berlin", "--country", "DE")
    visit = json.loads(ok(capsys, data, "visit", "Klaus Weber", "--from", "2027-01-10", "--to",
                          "2027-01-12", "--json"))  # fmt: skip
    assert (visit["city"], visit["start"], visit["end"], visit["events"]) == (
        "London", "2027-01-10", "2027-01-12", [],
    )  # fmt: skip
    found = json.loads(ok(capsys, data, "suggestions", "--json"))
    assert found[0]["person"] == "Klaus Weber" and found[0]["reasons"][0].startswith("visiting")
    code, _, err = run(capsys, data, "visit", "Nobody Here", "--from", "2027-01-10", "--to",
                       "2027-01-12")  # fmt: skip
    assert code == 2 and "Nobody Here" in err
    code, _, err = run(capsys, data, "visit", "Klaus Weber", "--from", "soon", "--to", "later")
    assert code == 2


def test_trip_corrections_and_flag_states(capsys, tmp_path) -> None:
    data = tmp_path / "d"
    journal_with_trips(capsys, data)
    boston = json.loads(ok(capsys, data, "trips", "--json"))[0]
    ok(capsys, data, "trip", str(boston["id"]), "--place", "Cambridge, MA", "--end", "2027-03-18")
    fixed = json.loads(ok(capsys, data, "trips", "--json"))[0]
    assert (fixed["city"], fixed["end"]) == ("Cambridge", "2027-03-18")
    ok(capsys, data, "trip", str(boston["id"]), "--reset")
    flag_id = ok(capsys, data, "suggestions").split("flag #")[1].split()[0]
    ok(capsys, data, "flag", flag_id, "snoozed", "--until", "2027-01-01")
    assert json.loads(ok(capsys, data, "suggestions", "--json")) == []
    snoozed = json.loads(ok(capsys, data, "suggestions", "--all", "--json"))
    assert [s["state"] for s in snoozed] == ["snoozed"]
    ok(capsys, data, "flag", flag_id, "new")
    ok(capsys, data, "trip", str(boston["id"]), "--dismiss")
    assert "Boston" not in [t["city"] for t in json.loads(ok(capsys, data, "trips", "--json"))]
    assert json.loads(ok(capsys, data, "suggestions", "--json")) == []
    code, _, err = run(capsys, data, "trip", "999", "--dismiss")
    assert code == 2 and "no trip with id 999" in err
    out = ok(capsys, data, "trip", str(boston["id"]), "--restore", "--split", "2027-03-17")
    assert "split" in out
    assert len(json.loads(ok(capsys, data, "trips", "--json"))) == 4


class _FeedHandler(BaseHTTPRequestHandler):
    body = b""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def feed_url() -> Iterator[str]:
    _FeedHandler.body = (CALENDAR / "tripit_feed.ics").read_bytes()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _FeedHandler)
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/feed.ics"
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def test_subscribe_refresh_and_calendars(capsys, tmp_path, feed_url) -> None:
    data = tmp_path / "d"
    report = json.loads(ok(capsys, data, "subscribe", feed_url, "--json"))
    assert (report["added"], report["events"], report["error"]) == (11, 11, "")
    refreshed = json.loads(ok(capsys, data, "refresh", "--json"))
    [entry] = refreshed["sources"]
    assert list(entry) == [
        "id", "location", "name", "unchanged", "added", "updated", "removed", "events", "trips",
        "warnings", "error",
    ]  # fmt: skip
    assert entry["unchanged"] is True and entry["events"] == 11
    listed = json.loads(ok(capsys, data, "calendars", "--json"))
    assert [(s["kind"], s["location"], s["events"]) for s in listed] == [("feed", feed_url, 11)]
    code, _, err = run(capsys, data, "subscribe", "http://www.example.com/feed.ics")
    assert code == 2 and "https://" in err
    ok(capsys, data, "calendars", "--remove", str(listed[0]["id"]))
    assert json.loads(ok(capsys, data, "calendars", "--json")) == []


def test_refresh_exits_1_when_a_feed_fails(capsys, tmp_path, feed_url) -> None:
    data = tmp_path / "d"
    ok(capsys, data, "subscribe", feed_url)
    _FeedHandler.body = b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n"  # cut short
    code, _, err = run(capsys, data, "refresh")
    assert code == 1
    assert "incomplete download" in err and err.startswith(f"rapport: {feed_url}: ")
    assert json.loads(ok(capsys, data, "trips", "--json"))  # the last good copy stays

"""Feeds against a real HTTP server on 127.0.0.1: subscribe, refresh unchanged (304 or the
same bytes), changed and removed events, and the failures a user must read."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from travel_helpers import TODAY, calendar, fixture_bytes, set_home, table_dump, vevent

from rapport.core import trips
from rapport.core.calendar import feeds, sources
from rapport.core.errors import BadInput
from rapport.store.models import CalendarSource, Event


@dataclass
class Feed:
    """What the test server answers, and what it was asked."""

    body: bytes = b""
    etag: str = ""
    status: int = 200
    chunked: bool = False
    stall: threading.Event | None = None  # set: the handler waits on it before answering
    requests: list[dict[str, str]] = field(default_factory=list)


class Server:
    def __init__(self) -> None:
        self.feed = Feed()
        feed = self.feed

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                feed.requests.append(dict(self.headers.items()))
                if feed.stall is not None:
                    feed.stall.wait(10)
                    return
                if feed.status != 200:
                    self.send_error(feed.status)
                    return
                if feed.etag and self.headers.get("If-None-Match") == feed.etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/calendar; charset=utf-8")
                if feed.etag:
                    self.send_header("ETag", feed.etag)
                if feed.chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for i in range(0, len(feed.body), 4096):
                        part = feed.body[i : i + 4096]
                        self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
                    self.wfile.write(b"0\r\n\r\n")
                    return
                self.send_header("Content-Length", str(len(feed.body)))
                self.end_headers()
                self.wfile.write(feed.body)

            def log_message(self, *_args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/tripit/feed.ics"

    def close(self) -> None:
        if self.feed.stall is not None:
            self.feed.stall.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server()
    yield s
    s.close()


FLIGHT = vevent("f1@test", "BA213 LHR to BOS", "20270315T102000Z", "20270315T170500Z")
BACK = vevent("f2@test", "BA212 BOS to LHR", "20270319T233000Z", "20270320T063500Z")


def test_subscribe_imports_the_feed(journal, server) -> None:
    set_home("London")
    server.feed.body = fixture_bytes("tripit_feed.ics")
    report = sources.subscribe(server.url, today=TODAY)
    assert (report.added, report.trips) == (11, 3)
    source = CalendarSource.get()
    assert (source.kind, source.location, source.name) == ("feed", server.url, "TripIt - Ana Lima")
    assert source.last_fetch is not None and source.last_error == ""
    assert server.feed.requests[0]["User-Agent"].startswith("Rapport/")


def test_refresh_of_an_unchanged_feed_uses_the_etag(journal, server) -> None:
    server.feed.body, server.feed.etag = calendar(FLIGHT, BACK), '"v1"'
    sources.subscribe(server.url, today=TODAY)
    before = Event.select().count()
    [report] = sources.refresh(today=TODAY)
    assert report.unchanged and report.events == before and not report.error
    assert server.feed.requests[-1]["If-None-Match"] == '"v1"'


def test_refresh_of_unchanged_bytes_without_validators_is_skipped(
    journal, server, monkeypatch
) -> None:
    server.feed.body = calendar(FLIGHT, BACK)
    sources.subscribe(server.url, today=TODAY)
    monkeypatch.setattr(sources, "parse_ics", lambda *a, **k: pytest.fail("parsed again"))
    [report] = sources.refresh(today=TODAY)
    assert report.unchanged and report.events == 2


def test_refresh_picks_up_changed_and_removed_events(journal, server) -> None:
    set_home("London")
    server.feed.body, server.feed.etag = calendar(FLIGHT, BACK), '"v1"'
    sources.subscribe(server.url, today=TODAY)
    later = vevent("f2@test", "BA212 BOS to LHR", "20270321T233000Z", "20270322T063500Z")
    server.feed.body, server.feed.etag = calendar(FLIGHT, later), '"v2"'
    [report] = sources.refresh(today=TODAY)
    assert (report.added, report.updated, report.removed) == (0, 1, 0)
    [trip] = trips.list_trips(TODAY)
    assert str(trip.end) == "2027-03-21"
    server.feed.body, server.feed.etag = calendar(FLIGHT), '"v3"'
    [report] = sources.refresh(today=TODAY)
    assert report.removed == 1 and Event.select().count() == 1
    assert CalendarSource.get().etag == '"v3"'


def test_a_chunked_feed_is_read_to_the_end(journal, server) -> None:
    server.feed.body, server.feed.chunked = fixture_bytes("tripit_feed.ics"), True
    assert sources.subscribe(server.url, today=TODAY).added == 11


def test_a_server_error_is_stored_and_the_events_stay(journal, server) -> None:
    server.feed.body = calendar(FLIGHT, BACK)
    sources.subscribe(server.url, today=TODAY)
    server.feed.status = 404
    [report] = sources.refresh(today=TODAY)
    assert report.error == "127.0.0.1 answered 404 Not Found"
    assert CalendarSource.get().last_error == report.error
    assert Event.select().count() == 2
    server.feed.status = 200
    [report] = sources.refresh(today=TODAY)
    assert report.error == "" and CalendarSource.get().last_error == ""


def test_a_server_that_does_not_answer_times_out(journal, server) -> None:
    server.feed.body = calendar(FLIGHT)
    sources.subscribe(server.url, today=TODAY)
    server.feed.stall = threading.Event()
    [report] = sources.refresh(today=TODAY, timeout=0.3)
    assert report.error == "127.0.0.1 did not answer within 0.3 seconds"
    assert CalendarSource.get().last_error == report.error


@pytest.mark.parametrize("chunked", [False, True])
def test_an_oversized_feed_is_refused(journal, server, monkeypatch, chunked) -> None:
    server.feed.body = calendar(FLIGHT)
    sources.subscribe(server.url, today=TODAY)
    before = table_dump()
    monkeypatch.setattr(feeds, "MAX_FEED_BYTES", 10_000)
    server.feed.body = calendar(*(FLIGHT.replace("f1@", f"f{n}@") for n in range(100)))
    server.feed.chunked = chunked
    [report] = sources.refresh(today=TODAY)
    assert report.error == "127.0.0.1: the feed is larger than 10,000 bytes; not imported"
    after = table_dump()
    assert after.pop("calendar_source") != before.pop("calendar_source")  # last_error only
    assert after == before


def test_a_refused_connection_says_the_computer_may_be_offline(journal) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/feed.ics"
    with pytest.raises(BadInput, match="connection refused") as err:
        sources.subscribe(url, today=TODAY)
    assert "offline" in str(err.value)
    assert CalendarSource.select().count() == 0


def test_subscribing_to_something_that_is_not_a_calendar_keeps_nothing(journal, server) -> None:
    server.feed.body = b"<html><body>Sign in</body></html>"
    with pytest.raises(BadInput, match="not an iCalendar file"):
        sources.subscribe(server.url, today=TODAY)
    assert CalendarSource.select().count() == 0


def test_feed_addresses() -> None:
    assert feeds.normalise_url("webcal://www.tripit.com/feed/ical/private/X/tripit.ics") == (
        "https://www.tripit.com/feed/ical/private/X/tripit.ics"
    )
    assert feeds.normalise_url(" https://calendar.google.com/c/basic.ics ") == (
        "https://calendar.google.com/c/basic.ics"
    )
    with pytest.raises(BadInput, match="https://"):
        feeds.normalise_url("http://www.tripit.com/feed.ics")
    with pytest.raises(BadInput):
        feeds.normalise_url("ftp://example.com/feed.ics")
    with pytest.raises(BadInput):
        feeds.normalise_url("webcal://")


def test_feeds_due_for_refresh(journal, server) -> None:
    from datetime import timedelta

    server.feed.body = calendar(FLIGHT)
    sources.subscribe(server.url, today=TODAY)
    source = CalendarSource.get()
    assert sources.due_for_refresh(source.last_fetch + timedelta(hours=1)) == []
    assert sources.due_for_refresh(source.last_fetch + timedelta(hours=4)) == [source.id]

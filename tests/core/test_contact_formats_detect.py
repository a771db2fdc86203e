"""Telling contact files apart by content, the size cap, and link classification."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapport.core.contact_formats import (
    MAX_FILE_BYTES,
    classify_link,
    csv_rows,
    detect_kind,
    limits,
    normalise_linkedin_url,
    parse_contacts,
    parse_google_csv,
    parse_linkedin,
    parse_outlook_csv,
    parse_vcards,
    read_contacts_file,
)
from rapport.core.errors import BadInput, Cancelled
from rapport.core.progress import Progress

FIXTURES = Path(__file__).parents[1] / "fixtures" / "contacts"
LINKEDIN_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
UNKNOWN = (
    "not a contacts file we know (expected vCard, LinkedIn Connections.csv or Google Contacts CSV)"
)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("apple_contacts_3.0.vcf", "vcard"),
        ("google_contacts_3.0.vcf", "vcard"),
        ("android_2.1.vcf", "vcard"),
        ("vcard_4.0.vcf", "vcard"),
        ("latin1_names.vcf", "vcard"),
        ("broken_unterminated.vcf", "vcard"),
        ("linkedin_Connections.csv", "linkedin_csv"),
        ("broken_linkedin.csv", "linkedin_csv"),
        ("google_contacts.csv", "google_csv"),
        ("google_contacts_legacy.csv", "google_csv"),
        ("outlook_contacts.csv", "outlook_csv"),
    ],
)
def test_fixtures_are_detected_by_content(name: str, kind: str) -> None:
    path = FIXTURES / name
    assert detect_kind(path.read_bytes(), path) == kind


def test_content_beats_the_file_name(tmp_path: Path) -> None:
    vcard_named_csv = tmp_path / "contacts.csv"
    vcard_named_csv.write_bytes((FIXTURES / "vcard_4.0.vcf").read_bytes())
    assert detect_kind(vcard_named_csv.read_bytes(), vcard_named_csv) == "vcard"
    result = read_contacts_file(vcard_named_csv)
    assert (result.kind, result.records[0].full_name) == ("vcard", "Nguyễn Thị Lan")

    linkedin_named_vcf = tmp_path / "people.vcf"
    linkedin_named_vcf.write_bytes((FIXTURES / "linkedin_Connections.csv").read_bytes())
    result = read_contacts_file(linkedin_named_vcf)
    assert (result.kind, len(result.records)) == ("linkedin_csv", 19)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_detection_through_boms_and_utf16(encoding: str) -> None:
    vcard = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Mei Chen\r\nEND:VCARD\r\n"
    assert detect_kind(vcard.encode(encoding), "x") == "vcard"
    linkedin = (FIXTURES / "linkedin_Connections.csv").read_text("utf-8").replace("\n", "\r\n")
    assert detect_kind(linkedin.encode(encoding), "x") == "linkedin_csv"
    assert len(parse_linkedin(linkedin.encode(encoding), "x").records) == 19
    google = (FIXTURES / "google_contacts.csv").read_text("utf-8")
    assert detect_kind(google.encode(encoding), "x") == "google_csv"
    assert len(parse_google_csv(google.encode(encoding), "x").records) == 7


def test_calendar_is_recognised_and_routed_away() -> None:
    ics = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example//EN\r\nEND:VCALENDAR\r\n"
    assert detect_kind(ics, "trip.ics") == "ics"
    with pytest.raises(BadInput, match=r"this is a calendar \(\.ics\)"):
        parse_contacts(ics, "trip.ics")


@pytest.mark.parametrize(
    "data",
    [
        (FIXTURES / "not_contacts.txt").read_bytes(),
        b"",
        b"Name,Phone\nMei,123\n",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    ],
)
def test_unknown_files_are_refused_with_one_clear_line(data: bytes) -> None:
    with pytest.raises(BadInput) as err:
        detect_kind(data, "stuff.txt")
    assert str(err.value) == f"stuff.txt: {UNKNOWN}"


def test_parse_contacts_dispatches_on_content() -> None:
    for name, kind, first in [
        ("android_2.1.vcf", "vcard", "山田太郎"),
        ("linkedin_Connections.csv", "linkedin_csv", "Adaeze Okafor"),
        ("google_contacts_legacy.csv", "google_csv", "Kenji Watanabe"),
        ("outlook_contacts.csv", "outlook_csv", "Mr. Daniel Okafor"),
    ]:
        path = FIXTURES / name
        result = parse_contacts(path.read_bytes(), path)
        assert (result.kind, result.records[0].full_name) == (kind, first)


# -- the size cap ---------------------------------------------------------------------------------


def test_oversized_data_is_refused_by_every_reader() -> None:
    data = b"BEGIN:VCARD\r\n" + b"x" * MAX_FILE_BYTES
    for reader in (detect_kind, parse_linkedin, parse_google_csv, parse_outlook_csv):
        with pytest.raises(BadInput) as err:
            reader(data, "big.vcf")
        assert err.value.path == "big.vcf"
        assert err.value.message == "the file is 50 MB; contact files over 50 MB are refused"


def test_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "export.vcf"
    with path.open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 10 * 1024 * 1024)  # sparse: costs no disk
    with pytest.raises(BadInput) as err:
        read_contacts_file(path)
    assert err.value.path == str(path)
    assert err.value.message == "the file is 60 MB; contact files over 50 MB are refused"


def test_unreadable_file_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="cannot read the file"):
        read_contacts_file(tmp_path / "missing.vcf")


# -- links ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "hint", "service"),
    [
        ("https://www.linkedin.com/in/jane-doe-123/?trk=x", "", "linkedin"),
        ("linkedin.com/in/jane-doe", "", "linkedin"),
        ("https://de.linkedin.com/in/jürgen", "", "linkedin"),
        ("https://twitter.com/janedoe", "", "twitter"),
        ("https://x.com/janedoe", "", "twitter"),
        ("https://mobile.twitter.com/janedoe", "", "twitter"),
        ("@janedoe", "", "twitter"),
        ("janedoe", "Twitter", "twitter"),
        ("@jane@social.example.org", "", "mastodon"),
        ("jane@social.example.org", "Mastodon", "mastodon"),
        ("https://social.example.org/@jane", "", "mastodon"),
        ("https://github.com/janedoe", "Work", "github"),
        ("https://medium.com/@janedoe", "", "blog"),
        ("https://janedoe.substack.com", "", "blog"),
        ("https://example.org/notes", "Blog", "blog"),
        ("https://example.org", "", "website"),
        ("https://example.org", "_$!<HomePage>!$_", "website"),
        ("https://example.org", "_$!<Other>!$_", "other"),
        ("https://www.youtube.com/@janedoe", "", "other"),
        ("mailto:jane@example.com", "", "other"),
        ("janedoe", "", "other"),
    ],
)
def test_classify_link(value: str, hint: str, service: str) -> None:
    assert classify_link(value, hint) == service


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://www.linkedin.com/in/jane-doe-123/?trk=x", "linkedin.com/in/jane-doe-123"),
        ("http://linkedin.com/in/Jane-Doe-123", "linkedin.com/in/jane-doe-123"),
        ("www.linkedin.com/in/jane-doe-123/details/experience/", "linkedin.com/in/jane-doe-123"),
        ("https://uk.linkedin.com/in/jane-doe-123#about", "linkedin.com/in/jane-doe-123"),
        ("https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller/", "linkedin.com/in/jürgen-müller"),
        (
            "https://www.linkedin.com/pub/jane-doe/12/345/678",
            "linkedin.com/pub/jane-doe/12/345/678",
        ),
        (
            "https://www.linkedin.com/company/example-robotics/",
            "linkedin.com/company/example-robotics",
        ),
        ("https://example.com/in/jane", None),
        ("https://www.linkedin.com/", None),
        ("not a url", None),
    ],
)
def test_normalise_linkedin_url(url: str, key: str | None) -> None:
    assert normalise_linkedin_url(url) == key


# -- bounds on hostile files and cancellation ------------------------------------------------------


def test_too_many_values_refuse_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_VALUES", 5)
    card = "BEGIN:VCARD\r\nFN:A\r\nTEL:1\r\nTEL:2\r\nEND:VCARD\r\n"
    assert len(parse_vcards((card * 1).encode(), "x.vcf").records) == 1
    with pytest.raises(BadInput) as err:
        parse_vcards((card * 2).encode(), "x.vcf")
    assert err.value.line == 6  # the card that passed the limit
    assert "over 5 values" in err.value.message
    header = "First Name,Last Name,E-mail 1 - Label,E-mail 1 - Value\n"
    rows = header + "Mei,Chen,Work,a@example.org ::: b@example.org\n" * 3
    with pytest.raises(BadInput) as err:
        parse_google_csv(rows.encode(), "g.csv")
    assert err.value.line == 4


def test_overlong_property_head_is_refused() -> None:
    data = b"BEGIN:VCARD\r\nFN:A\r\nTEL" + b";TYPE=WORK" * 2000 + b":1\r\nEND:VCARD\r\n"
    with pytest.raises(BadInput) as err:
        parse_vcards(data, "x.vcf")
    assert err.value.line == 3
    assert "over 10,000 characters" in err.value.message


def test_too_wide_csv_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_rows, "MAX_COLUMNS", 3)
    text = "First Name,Last Name,Labels,E-mail 1 - Value\nMei,Chen,,\n"
    with pytest.raises(BadInput) as err:
        parse_google_csv(text.encode(), "g.csv")
    assert (err.value.line, err.value.message) == (
        1,
        "the header has 4 columns; over 3 is not a contacts export",
    )


def _many_cards(count: int) -> bytes:
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:P{0}\r\nN:{0};P;;;\r\nEND:VCARD\r\n"
    return "".join(card.format(i) for i in range(count)).encode()


def test_progress_is_reported_and_cancel_stops_the_parse() -> None:
    seen: list[tuple[int, int]] = []
    progress = Progress(lambda done, total, _label: seen.append((done, total)))
    data = _many_cards(10_000)
    assert len(parse_vcards(data, "x.vcf", progress).records) == 10_000
    assert seen
    assert all(done <= total for done, total in seen)

    progress = Progress(lambda *_: progress.cancel())
    with pytest.raises(Cancelled):
        parse_vcards(data, "x.vcf", progress)

    rows = LINKEDIN_HEADER + "\n" + "Mei,Chen,,,,,\n" * 5000
    progress = Progress(lambda *_: progress.cancel())
    with pytest.raises(Cancelled):
        parse_linkedin(rows.encode(), "c.csv", progress)

"""LinkedIn, Google and Outlook CSV reading, and the spreadsheet-safe CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from rapport.core.contact_formats import (
    AddressRecord,
    ContactRecord,
    ParseResult,
    csv_rows,
    parse_google_csv,
    parse_linkedin,
    parse_outlook_csv,
    write_csv,
)
from rapport.core.contact_formats.csv_export import HEADER, defuse
from rapport.core.errors import BadInput

FIXTURES = Path(__file__).parents[1] / "fixtures" / "contacts"
LINKEDIN_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"


def _read(name: str, parser: Callable[[bytes, Path], ParseResult]) -> ParseResult:
    path = FIXTURES / name
    return parser(path.read_bytes(), path)


# -- LinkedIn --------------------------------------------------------------------------------------


def test_linkedin_connections_with_notes_preamble() -> None:
    path = FIXTURES / "linkedin_Connections.csv"
    result = _read("linkedin_Connections.csv", parse_linkedin)
    assert result.kind == "linkedin_csv"
    assert len(result.records) == 19
    assert result.records[0] == ContactRecord(
        line=5,
        full_name="Adaeze Okafor",
        given_name="Adaeze",
        family_name="Okafor",
        organization="Northwind Research",
        title="Principal Scientist",
        emails=[("", "adaeze.okafor@northwind.example.com")],
        links=[("linkedin", "https://www.linkedin.com/in/adaeze-okafor-4b2a91")],
        how_we_met="Connected on LinkedIn on 2021-03-04",
    )
    by_name = {r.full_name: r for r in result.records}
    priya = by_name["Priya Raman, PhD"]
    assert (priya.family_name, priya.organization) == ("Raman, PhD", "Smith, Jones & Partners LLP")
    assert priya.emails == []  # most connections hide their address
    assert priya.how_we_met == "Connected on LinkedIn on 2020-01-02"
    assert by_name["Hannah Lee"].organization == "Lee & Co., Consulting"
    assert by_name["Diego Santos"].title == "Director, Latin America"
    bold = by_name["<b>Bold</b> <img src=x>"]
    assert (bold.line, bold.title) == (12, "<i>Head</i> of Tests")
    victor = by_name["Victor Hugo-Lambert"]
    assert victor.organization == '=HYPERLINK("http://x","y")'
    assert by_name["Chloé Martin 🚀"].family_name == "Martin 🚀"
    assert by_name["Rahul Verma"].organization == ""
    assert by_name["Yusuf Kaya"].how_we_met == "Connected on LinkedIn"
    assert [r.line for r in result.records][-3:] == [22, 23, 24]
    assert all(r.city == "" and r.links[0][0] == "linkedin" for r in result.records)
    assert result.warnings == [
        f"{path}: line 16: connection with no name (LinkedIn hides some members' data); skipped",
        f"{path}: line 24: 'Connected On' date 'Sometime in 2020' not understood; left out",
    ]


def test_linkedin_without_preamble_with_bom_and_crlf() -> None:
    row = (
        "Mei,Chen,https://www.linkedin.com/in/mei-chen-7c8d,,Example Robotics,Engineer,05 May 2020"
    )
    text = f"{LINKEDIN_HEADER}\r\n{row}\r\n"
    result = parse_linkedin(("\ufeff" + text).encode("utf-8"), "Connections.csv")
    assert [(r.line, r.full_name, r.how_we_met) for r in result.records] == [
        (2, "Mei Chen", "Connected on LinkedIn on 2020-05-05")
    ]


def test_older_linkedin_export_without_url_column() -> None:
    text = (
        "First Name,Last Name,Email Address,Company,Position,Connected On\n"
        "Ana,Souza,ana@example.com,Example Bank,Analyst,3/4/21\n"
    )
    (ana,) = parse_linkedin(text.encode(), "Connections.csv").records
    assert (ana.full_name, ana.emails, ana.links) == ("Ana Souza", [("", "ana@example.com")], [])
    assert ana.how_we_met == "Connected on LinkedIn on 2021-03-04"


def test_unclosed_quote_refuses_the_file_at_that_row() -> None:
    path = FIXTURES / "broken_linkedin.csv"
    with pytest.raises(BadInput) as err:
        parse_linkedin(path.read_bytes(), path)
    assert err.value.line == 7
    assert str(err.value) == f"{path}: line 7: a quote opened in this row is never closed"


def test_unclosed_quote_on_the_last_row() -> None:
    text = (
        f"{LINKEDIN_HEADER}\n"
        "Mei,Chen,,,Example,Engineer,05 May 2020\n"
        'Tom,"Baker,,,Example,Buyer,01 Feb 2020\n'
    )
    with pytest.raises(BadInput) as err:
        parse_linkedin(text.encode(), "c.csv")
    assert (err.value.line, err.value.message) == (3, "a quote opened in this row is never closed")


def test_row_wider_than_the_header_is_refused() -> None:
    text = f"{LINKEDIN_HEADER}\nMei,Chen,,,Example, Inc,Engineer,05 May 2020\n"
    with pytest.raises(BadInput) as err:
        parse_linkedin(text.encode(), "c.csv")
    assert err.value.line == 2
    assert "this row has 8 fields but the header has 7" in err.value.message


def test_linkedin_file_without_its_header_is_refused() -> None:
    with pytest.raises(BadInput, match=r"not a LinkedIn Connections\.csv"):
        parse_linkedin(b"Name,Phone\nMei,123\n", "c.csv")


def test_too_many_rows_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_rows, "MAX_ENTRIES", 2)
    text = f"{LINKEDIN_HEADER}\n" + "Mei,Chen,,,,,\n" * 3
    with pytest.raises(BadInput, match="over 100,000 contacts") as err:
        parse_linkedin(text.encode(), "c.csv")
    assert err.value.line == 4


def test_csv_field_over_the_csv_module_limit_is_refused_with_its_line() -> None:
    text = f'{LINKEDIN_HEADER}\nMei,Chen,,,,,\nTom,"{"x" * 200_000}",,,,,\n'
    with pytest.raises(BadInput) as err:
        parse_linkedin(text.encode(), "c.csv")
    assert err.value.line == 3
    assert "runs over 128 KB" in err.value.message


# -- Google ---------------------------------------------------------------------------------------


def test_google_csv_current_header() -> None:
    path = FIXTURES / "google_contacts.csv"
    result = _read("google_contacts.csv", parse_google_csv)
    assert result.kind == "google_csv"
    names = [r.full_name for r in result.records]
    assert names == [
        "Sofía Márquez",
        "<b>Bold</b> <img src=x>",
        "Grace Okoye",
        "Kwame Mensah",
        "Harbor Lights Bakery",
        "Lena Fischer",
        "Dr. Anna Maria Schmidt PhD",
    ]
    assert [r.line for r in result.records] == [2, 6, 7, 8, 9, 11, 12]
    assert result.records[0] == ContactRecord(
        line=2,
        full_name="Sofía Márquez",
        given_name="Sofía",
        family_name="Márquez",
        nickname="Sofi",
        organization="Tapas Labs",
        title="Head of Sales",
        emails=[
            ("work", "sofia.marquez@tapaslabs.example.com"),
            ("work", "sofia@tapaslabs.example.com"),
            ("home", "sofia@example.org"),
        ],
        phones=[("mobile", "+34 612 345 678")],
        links=[
            ("linkedin", "https://www.linkedin.com/in/sofia-marquez-8a1b2c"),
            ("blog", "https://sofia.example.org"),
        ],
        addresses=[
            AddressRecord(
                label="home",
                street="Calle de Alcalá 12",
                locality="Madrid",
                region="Comunidad de Madrid",
                postcode="28014",
                country="Spain",
            )
        ],
        city="Madrid",
        region="Comunidad de Madrid",
        country="Spain",
        birthday="1988-11-02",
        notes="Wants an intro to someone in Berlin logistics.\nPrefers mornings.",
        how_we_met="Web Summit 2022, Lisbon",
        categories=["Madrid", "starred"],
    )
    bold, grace, kwame, bakery, lena, anna = result.records[1:]
    assert bold.notes == '<a href="javascript:alert(1)">click</a>'
    assert bold.emails == [("other", "bold@example.com")]
    assert (grace.organization, grace.title) == ('=HYPERLINK("http://x","y")', "@admin")
    assert grace.categories == ["Investors"]
    # ":::" zips labels with values; the "* Work" address is primary, so the city is Accra.
    assert kwame.phones == [("mobile", "+233 20 555 0101"), ("work", "+233 30 555 0123")]
    assert kwame.addresses[1] == AddressRecord(
        label="work",
        street="14 Independence Ave\nFloor 3",
        locality="Accra",
        region="Greater Accra",
        country="Ghana",
    )
    assert (kwame.city, kwame.region, kwame.country) == ("Accra", "Greater Accra", "Ghana")
    assert kwame.birthday == "--05-30"
    assert kwame.categories == ["Accra", "Mentors"]
    assert bakery.addresses == [
        AddressRecord(label="work", street="22 Wharf St, Portland, ME 04101")
    ]
    assert bakery.city == ""  # a one-line address is kept whole, not guessed at
    assert lena.links == [("mastodon", "@lena@social.example.org")]
    assert (lena.city, lena.birthday) == ("Berlin", "")
    assert (anna.prefix, anna.additional_names, anna.suffix) == ("Dr.", "Maria", "PhD")
    assert anna.organization == "Example University, Physics"
    assert result.warnings == [
        f"{path}: line 10: contact with no name or organisation (someone@example.org); skipped",
        f"{path}: line 11: birthday '31.02.1990' is not a date, ignored",
    ]


def test_google_csv_legacy_header() -> None:
    result = _read("google_contacts_legacy.csv", parse_google_csv)
    assert result.warnings == []
    kenji, ana, bold = result.records
    assert kenji == ContactRecord(
        line=2,
        full_name="Kenji Watanabe",
        given_name="Kenji",
        family_name="Watanabe",
        organization="Example Motors",
        title="Engineer",
        emails=[("home", "kenji@example.com"), ("work", "k.watanabe@example-motors.example.com")],
        phones=[("mobile", "+81 80-5555-0123")],
        links=[("website", "http://kenji.example.org")],
        addresses=[
            AddressRecord(
                label="work",
                street="1-2-3 Meieki\nNakamura-ku",
                locality="Nagoya",
                region="Aichi",
                postcode="450-0002",
                country="Japan",
            )
        ],
        city="Nagoya",
        region="Aichi",
        country="Japan",
        birthday="1990-06-15",
        notes="Runs the Nagoya hardware meetup.",
        categories=["Tokyo", "Friends"],
    )
    assert ana.line == 7  # Kenji's quoted address runs over lines 2-6
    assert ana.links == [
        ("twitter", "https://twitter.com/anasouza_ex"),
        ("mastodon", "https://social.example.org/@anasouza"),
    ]
    assert (ana.city, ana.region, ana.country) == ("São Paulo", "SP", "Brazil")
    assert bold.full_name == "<b>Bold</b> <img src=x>"
    assert (bold.organization, bold.title) == ('=HYPERLINK("http://x","y")', "-1+1")
    assert bold.categories == ["Testers"]


def test_google_csv_unclosed_quote_in_notes_is_refused_at_its_row() -> None:
    text = (
        "First Name,Last Name,Notes,Labels\n"
        'Mei,Chen,"fine\nover two lines",* myContacts\n'
        'Tom,Baker,"never closed,* myContacts\n'
        "Ana,Souza,,\n"
    )
    with pytest.raises(BadInput) as err:
        parse_google_csv(text.encode(), "contacts.csv")
    assert (err.value.line, err.value.message) == (4, "a quote opened in this row is never closed")


# -- Outlook --------------------------------------------------------------------------------------


def _outlook_expected() -> list[ContactRecord]:
    return [
        ContactRecord(
            line=2,
            full_name="Mr. Daniel Okafor",
            given_name="Daniel",
            family_name="Okafor",
            prefix="Mr.",
            organization="Example Shipping, Logistics",
            title="Fleet Manager",
            emails=[("", "daniel.okafor@example.com")],
            phones=[("mobile", "+49 151 5555 0101"), ("work", "+49 40 5555 0100")],
            links=[("website", "https://shipping.example.com")],
            addresses=[
                AddressRecord(
                    label="work",
                    street="Am Sandtorkai 1",
                    locality="Hamburg",
                    postcode="20457",
                    country="Germany",
                ),
                AddressRecord(label="home", locality="Lübeck", country="Germany"),
            ],
            city="Hamburg",
            country="Germany",
            birthday="1980-06-23",
            notes="Met at the logistics fair.\nAsk about rail freight.",
            categories=["Conference", "Hamburg"],
        ),
        ContactRecord(
            line=4,
            full_name="Élodie Marchand",
            given_name="Élodie",
            family_name="Marchand",
            organization="Example Vins",
            emails=[("", "elodie@example.org")],
            addresses=[AddressRecord(label="home", locality="Bordeaux", country="France")],
            city="Bordeaux",
            country="France",
        ),
    ]


def test_outlook_csv() -> None:
    result = _read("outlook_contacts.csv", parse_outlook_csv)
    assert result.kind == "outlook_csv"
    assert result.warnings == []
    assert result.records == _outlook_expected()


def test_outlook_csv_saved_by_excel_as_utf16_with_tabs() -> None:
    rows = list(csv.reader(io.StringIO((FIXTURES / "outlook_contacts.csv").read_text("utf-8"))))
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\r\n").writerows(rows)
    result = parse_outlook_csv(out.getvalue().encode("utf-16"), "contacts.txt")
    assert result.records == _outlook_expected()


# -- CSV export -----------------------------------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_export_defuses_every_formula_start(start: str) -> None:
    value = f'{start}HYPERLINK("http://x","y")'
    record = ContactRecord(line=1, full_name=value, organization=value, notes=value)
    rows = list(csv.reader(io.StringIO(write_csv([record]), newline="")))
    assert rows[0] == list(HEADER)
    row = dict(zip(HEADER, rows[1], strict=True))
    for column in ("Name", "Organization", "Notes"):
        assert row[column] == "'" + value
        assert not row[column].startswith(("=", "+", "-", "@", "\t", "\r"))


def test_export_leaves_ordinary_cells_alone_and_joins_lists() -> None:
    record = ContactRecord(
        line=1,
        full_name="Mei Chen",
        given_name="Mei",
        family_name="Chen",
        organization="Example Robotics",
        emails=[("work", "mei@example.com"), ("home", "mei@example.org")],
        phones=[("mobile", "+41 79 555 01 23")],
        links=[
            ("linkedin", "https://www.linkedin.com/in/mei-chen-7c8d"),
            ("website", "https://mei.example.org"),
            ("blog", "https://blog.example.org"),
        ],
        addresses=[AddressRecord(label="work", street="1 Main St\nFloor 2", locality="Zürich")],
        city="Zürich",
        birthday="--03-14",
        categories=["Conference", "Zürich"],
        notes="Line one\nLine two, with a comma",
    )
    text = write_csv([record])
    assert text.startswith("Name,Given name,Family name,Nickname,Organization,Title,Emails,")
    assert text.endswith("\r\n")
    row = dict(zip(HEADER, list(csv.reader(io.StringIO(text, newline="")))[1], strict=True))
    assert row["Name"] == "Mei Chen"
    assert row["Emails"] == "mei@example.com; mei@example.org"
    assert row["Phones"] == "'+41 79 555 01 23"  # a leading '+' is a formula start too
    assert row["LinkedIn"] == "https://www.linkedin.com/in/mei-chen-7c8d"
    assert row["Websites"] == "https://mei.example.org; https://blog.example.org"
    assert row["Addresses"] == "work: 1 Main St, Floor 2, Zürich"
    assert row["Birthday"] == "'--03-14"
    assert row["Categories"] == "Conference; Zürich"
    assert row["Notes"] == "Line one\nLine two, with a comma"


def test_defuse() -> None:
    assert defuse("=1+1") == "'=1+1"
    assert defuse("Acme") == "Acme"
    assert defuse("") == ""
    assert defuse(" =1") == " =1"

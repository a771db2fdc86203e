"""vCard reading and writing: real-shaped exports, broken files, limits, and the round trip."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.core.contact_formats import (
    AddressRecord,
    ContactRecord,
    ParseResult,
    limits,
    parse_google_csv,
    parse_linkedin,
    parse_outlook_csv,
    parse_vcards,
    vcard,
    write_vcards,
)
from rapport.core.contact_formats.normalise import multi_line
from rapport.core.errors import BadInput

FIXTURES = Path(__file__).parents[1] / "fixtures" / "contacts"
Parser = Callable[[bytes, Path], ParseResult]


def _parse(name: str) -> ParseResult:
    path = FIXTURES / name
    return parse_vcards(path.read_bytes(), path)


def _begin_lines(name: str) -> list[int]:
    text = (FIXTURES / name).read_bytes().decode("utf-8", errors="replace")
    return [i for i, line in enumerate(text.split("\r\n"), 1) if line == "BEGIN:VCARD"]


def _vcf(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _card(*props: str) -> list[str]:
    return ["BEGIN:VCARD", "VERSION:3.0", *props, "END:VCARD"]


# -- Apple Contacts ------------------------------------------------------------------------------


def test_apple_export_reads_every_field() -> None:
    result = _parse("apple_contacts_3.0.vcf")
    assert result.kind == "vcard"
    assert result.warnings == []
    assert [r.line for r in result.records] == [1, 80, 125, 134]
    assert [r.line for r in result.records] == _begin_lines("apple_contacts_3.0.vcf")
    assert result.records[0] == ContactRecord(
        line=1,
        full_name="Dr. Adaeze Okafor",
        given_name="Adaeze",
        family_name="Okafor",
        additional_names="Ngozi",
        prefix="Dr.",
        organization="Northwind Research, Field Studies",
        title="Principal Scientist",
        emails=[
            ("work", "adaeze.okafor@northwind.example.com"),
            ("home", "ada.okafor@example.org"),
        ],
        phones=[("mobile", "+1 (617) 555-0142"), ("work", "+1 617 555 0199")],
        links=[
            ("linkedin", "https://www.linkedin.com/in/adaeze-okafor-4b2a91/"),
            ("blog", "https://notes.example.org/adaeze"),
            ("twitter", "https://twitter.com/adaeze_o"),
            ("mastodon", "https://scholar.social.example.org/@adaeze"),
        ],
        addresses=[
            AddressRecord(
                label="work",
                street="40 Dalton St\nSuite 1200",
                locality="Boston",
                region="MA",
                postcode="02115",
                country="United States",
            )
        ],
        city="Boston",
        region="MA",
        country="United States",
        birthday="--07-19",
        notes=(
            "Met at the Boston Data Summit 2023.\nIntroduced by Priya, who worked with her at MIT."
        ),
        categories=["Conference", "Boston"],
    )


def test_apple_item_labels_preferred_address_and_leap_birthday() -> None:
    mathieu = _parse("apple_contacts_3.0.vcf").records[1]
    assert mathieu.full_name == "Mathieu Lefèvre"
    assert mathieu.organization == "Atelier Lumière"  # the empty unit after ';' is dropped
    assert mathieu.emails == [
        ("Conference", "mathieu@atelier-lumiere.example.com"),
        ("home", "m.lefevre@example.org"),
    ]
    assert mathieu.phones == [("mobile", "+33 6 12 34 56 78"), ("main", "+33 4 72 00 00 00")]
    assert mathieu.links == [
        ("linkedin", "http://www.linkedin.com/in/mathieu-lefevre"),
        ("website", "https://atelier-lumiere.example.com"),
    ]
    assert [a.locality for a in mathieu.addresses] == ["Lyon", "Paris"]
    # The second address is marked preferred, so the city is Paris, not the first (Lyon).
    assert (mathieu.city, mathieu.region, mathieu.country) == ("Paris", "Île-de-France", "France")
    assert mathieu.birthday == "1984-02-29"


def test_markup_and_formulas_stay_plain_text() -> None:
    bold = _parse("apple_contacts_3.0.vcf").records[2]
    assert bold.full_name == "<b>Bold</b> <img src=x>"
    assert (bold.given_name, bold.family_name) == ("<b>Bold</b>", "<img src=x>")
    assert bold.organization == '=HYPERLINK("http://x","y")'
    assert bold.notes == "<script>alert(1)</script>"


def test_company_card_keeps_its_name_and_address() -> None:
    bakery = _parse("apple_contacts_3.0.vcf").records[3]
    assert bakery.full_name == "Harbor Lights Bakery"
    assert (bakery.given_name, bakery.family_name) == ("", "")
    assert bakery.organization == "Harbor Lights Bakery"
    assert (bakery.city, bakery.region, bakery.country) == ("Portland", "ME", "United States")


# -- Google, Android, vCard 4.0 -----------------------------------------------------------------


def test_google_export_and_nameless_card_warning() -> None:
    path = FIXTURES / "google_contacts_3.0.vcf"
    result = _parse("google_contacts_3.0.vcf")
    assert [r.full_name for r in result.records] == ["Sofía Márquez", "Kwame Mensah"]
    sofia, kwame = result.records
    assert sofia.nickname == "Sofi"
    assert sofia.emails == [
        ("work", "sofia.marquez@tapaslabs.example.com"),
        ("", "sofia@example.org"),
    ]
    assert sofia.links == [("linkedin", "https://www.linkedin.com/in/sofia-marquez-8a1b2c")]
    assert (sofia.city, sofia.region, sofia.country) == ("Madrid", "Comunidad de Madrid", "Spain")
    assert sofia.birthday == "1988-11-02"
    assert sofia.categories == ["Madrid", "starred"]  # Google's "myContacts" is not a circle
    assert kwame.birthday == "--05-30"
    assert kwame.addresses == [AddressRecord(label="Studio", locality="Accra", country="Ghana")]
    assert kwame.links == [("github", "https://github.com/kmensah-example")]
    assert kwame.categories == []
    assert result.warnings == [
        f"{path}: line 31: card has no name (no FN, N, ORG or NICKNAME) "
        "(no-name@example.org); skipped"
    ]


def test_android_21_quoted_printable_japanese_and_accents() -> None:
    result = _parse("android_2.1.vcf")
    assert result.warnings == []
    taro, jose, zoe = result.records
    assert [r.line for r in result.records] == [1, 18, 36]
    assert taro.full_name == "山田太郎"
    assert (taro.family_name, taro.given_name) == ("山田", "太郎")
    assert (taro.organization, taro.title) == ("山田商事", "営業部長")
    assert taro.phones == [("mobile", "+81 90-1234-5678"), ("home", "03-1234-5678")]
    assert taro.emails == [("home", "taro.yamada@example.org")]
    assert taro.addresses == [
        AddressRecord(
            label="home",
            street="千代田区丸の内1-1",
            locality="東京都",
            postcode="100-0005",
            country="日本",
        )
    ]
    # Soft line breaks split this note in the middle of UTF-8 sequences.
    assert taro.notes == "京都の学会で会った。次に東京へ行くときはコーヒーに誘うこと。Likes hiking."
    assert taro.birthday == "1979-10-03"
    assert jose.full_name == "José Ángel Núñez"
    assert (jose.given_name, jose.additional_names, jose.family_name) == ("José", "Ángel", "Núñez")
    assert jose.phones == [("mobile", "+52 55 5555 0101"), ("work fax", "+52 55 5555 0102")]
    assert jose.emails == [("work", "jose.nunez@example.com")]
    assert jose.links == [("website", "http://jose.example.org")]
    assert zoe.full_name == "Zoë Ångström"
    assert (zoe.city, zoe.country) == ("Göteborg", "Sverige")


def test_vcard_40_params_uris_and_yearless_birthday() -> None:
    lan, liam = _parse("vcard_4.0.vcf").records
    assert lan.full_name == "Nguyễn Thị Lan"
    assert (lan.family_name, lan.given_name, lan.additional_names) == ("Nguyễn", "Lan", "Thị")
    assert lan.emails == [("work", "lan.nguyen@example.com"), ("home", "lan@example.org")]
    assert lan.phones == [("mobile", "+84-90-555-0123"), ("work", "+84-24-5555-0100;ext=12")]
    # The LABEL parameter holds quoted text with a colon and newlines.
    assert lan.addresses == [
        AddressRecord(
            label="work",
            street="12 Lý Thường Kiệt",
            locality="Hà Nội",
            postcode="100000",
            country="Việt Nam",
        )
    ]
    assert lan.links == [
        ("website", "https://lan.example.org"),
        ("mastodon", "https://social.example.org/@lan"),
    ]
    assert lan.birthday == "--04-12"
    assert lan.notes == "Speaks at PyCon APAC.\nLoves phở."
    assert lan.categories == ["Conference", "Hanoi"]
    assert liam.organization == "Example Freight, Operations"
    assert (liam.city, liam.country) == ("Cork", "Ireland")  # PREF=1 beats the first address
    assert liam.birthday == "1985-04-12"
    assert liam.links == [("twitter", "https://www.x.com/liam_oc")]


# -- encodings -----------------------------------------------------------------------------------


def test_non_utf8_file_falls_back_to_windows_1252_with_a_warning() -> None:
    path = FIXTURES / "latin1_names.vcf"
    result = _parse("latin1_names.vcf")
    francois, jurgen = result.records
    assert francois.full_name == "François Lefèvre"
    # ’, € and – exist in Windows-1252 but not in Latin-1: the fallback picked the right one.
    assert francois.organization == "Société Générale d’Exemple"
    assert francois.notes == "Prix du café: 3 € – payé"
    assert jurgen.full_name == "Jürgen Müller"
    assert jurgen.addresses[0].street == "Königstraße 1"
    assert result.warnings == [
        f"{path}: the file is not valid UTF-8 (first bad byte on line 3); "
        "read it as Windows-1252 — check accented names"
    ]


def test_declared_charset_is_used_for_quoted_printable() -> None:
    data = _vcf(
        "BEGIN:VCARD",
        "VERSION:2.1",
        "FN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:Fran=E7ois Dupr=E9",
        "END:VCARD",
    )
    result = parse_vcards(data, "phone.vcf")
    assert result.records[0].full_name == "François Dupré"
    assert result.warnings == []


def test_bad_quoted_printable_bytes_fall_back_with_a_line_number() -> None:
    data = _vcf("BEGIN:VCARD", "VERSION:2.1", "FN;ENCODING=QUOTED-PRINTABLE:Ren=E9", "END:VCARD")
    result = parse_vcards(data, "old.vcf")
    assert result.records[0].full_name == "René"
    assert result.warnings == [
        "old.vcf: line 3: encoded text is not valid UTF-8; read it as Windows-1252 "
        "— check accented names"
    ]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_bom_and_utf16_files(encoding: str) -> None:
    text = "\r\n".join(_card("FN:Zoë Ångström", "N:Ångström;Zoë;;;")) + "\r\n"
    result = parse_vcards(text.encode(encoding), "export.vcf")
    assert [r.full_name for r in result.records] == ["Zoë Ångström"]
    assert result.warnings == []


def test_lf_and_cr_line_ends_read_like_crlf() -> None:
    lines = _card("FN:Mei Chen", "NOTE:first line", " continued")
    for sep in ("\n", "\r"):
        record = parse_vcards(sep.join(lines).encode(), "x.vcf").records[0]
        assert (record.full_name, record.notes) == ("Mei Chen", "first linecontinued")


# -- vCard 2.1 oddities --------------------------------------------------------------------------


def test_unindented_21_base64_photo_ends_at_blank_line() -> None:
    data = _vcf(
        "BEGIN:VCARD",
        "VERSION:2.1",
        "N:Berg;Ingrid",
        "PHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD",
        "2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0",
        "Hyc5PTgyPC4zNDL/2wBDAQkJCQwLDBgNDRgyIRwhMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIy",
        "",
        "TEL;WORK;VOICE:+47 22 55 50 10",
        "END:VCARD",
    )
    result = parse_vcards(data, "nokia.vcf")
    assert result.warnings == []
    ingrid = result.records[0]
    assert (ingrid.full_name, ingrid.phones) == ("Ingrid Berg", [("work", "+47 22 55 50 10")])


def test_21_agent_card_is_skipped_not_imported() -> None:
    data = _vcf(
        "BEGIN:VCARD",
        "VERSION:2.1",
        "N:Okafor;Daniel",
        "AGENT:",
        "BEGIN:VCARD",
        "VERSION:2.1",
        "N:Assistant;An",
        "END:VCARD",
        "TEL;WORK:+49 40 5555 0100",
        "END:VCARD",
    )
    records = parse_vcards(data, "agent.vcf").records
    assert [(r.full_name, r.phones) for r in records] == [
        ("Daniel Okafor", [("work", "+49 40 5555 0100")])
    ]


def test_21_folded_lines_keep_their_blank() -> None:
    data = _vcf("BEGIN:VCARD", "VERSION:2.1", "FN:Ana", "NOTE:Met in", " Lisbon", "END:VCARD")
    assert parse_vcards(data, "x.vcf").records[0].notes == "Met in Lisbon"


# -- refused and skipped ---------------------------------------------------------------------------


def test_unterminated_card_is_refused_at_its_begin_line() -> None:
    path = FIXTURES / "broken_unterminated.vcf"
    with pytest.raises(BadInput) as err:
        parse_vcards(path.read_bytes(), path)
    assert err.value.line == 12
    assert err.value.path == str(path)
    assert str(err.value) == f"{path}: line 12: this card has no END:VCARD (the file is cut short?)"


def test_begin_inside_an_open_card_is_refused_where_it_happens() -> None:
    data = _vcf(*_card("FN:Ok"), "BEGIN:VCARD", "FN:Cut short", *_card("FN:Next"))
    with pytest.raises(BadInput) as err:
        parse_vcards(data, "x.vcf")
    assert err.value.line == 7
    assert "the card starting on line 5 has no END:VCARD" in err.value.message


def test_not_a_vcard_is_refused_on_its_first_line() -> None:
    path = FIXTURES / "not_contacts.txt"
    with pytest.raises(BadInput) as err:
        parse_vcards(path.read_bytes(), path)
    assert (err.value.line, err.value.message) == (1, "not a vCard: expected BEGIN:VCARD")


def test_end_without_begin_and_empty_file() -> None:
    with pytest.raises(BadInput) as err:
        parse_vcards(_vcf(*_card("FN:A"), "END:VCARD"), "x.vcf")
    assert (err.value.line, err.value.message) == (5, "END:VCARD without a BEGIN:VCARD")
    with pytest.raises(BadInput, match="the file is empty"):
        parse_vcards(b"\r\n  \r\n", "empty.vcf")


def test_junk_lines_are_warned_about_and_skipped() -> None:
    data = _vcf(*_card("FN:Mei Chen", "this line is no property", "TITLE:Engineer"), "stray text")
    result = parse_vcards(data, "x.vcf")
    assert [(r.full_name, r.title) for r in result.records] == [("Mei Chen", "Engineer")]
    assert result.warnings == [
        "x.vcf: line 4: not a vCard property (no ':'), ignored",
        "x.vcf: line 7: text between cards, ignored",
    ]


def test_bad_birthday_is_warned_about_and_dropped() -> None:
    result = parse_vcards(_vcf(*_card("FN:Ana", "BDAY:sometime in May")), "x.vcf")
    assert result.records[0].birthday == ""
    assert result.warnings == ["x.vcf: line 4: birthday 'sometime in May' is not a date, ignored"]


def test_name_falls_back_to_n_then_organisation_then_nickname() -> None:
    data = _vcf(
        *_card("N:Chen;Mei;;Dr.;"),
        *_card("ORG:Example Robotics"),
        *_card("NICKNAME:Sunny"),
    )
    names = [r.full_name for r in parse_vcards(data, "x.vcf").records]
    assert names == ["Dr. Mei Chen", "Example Robotics", "Sunny"]


def test_warnings_are_capped() -> None:
    data = _vcf(*[line for _ in range(300) for line in _card("EMAIL:x@example.com")])
    warnings = parse_vcards(data, "many.vcf").warnings
    assert len(warnings) == 201
    assert warnings[-1] == "many.vcf: … and 100 more warnings"


# -- limits ----------------------------------------------------------------------------------------


def test_file_over_50_mb_is_refused_by_name() -> None:
    data = b"BEGIN:VCARD\r\n" + b" " * limits.MAX_FILE_BYTES
    with pytest.raises(BadInput) as err:
        parse_vcards(data, "huge.vcf")
    assert err.value.path == "huge.vcf"
    assert "over 50 MB are refused" in err.value.message


def test_card_with_too_many_properties_is_refused() -> None:
    data = _vcf(*_card(*["TEL:+1 555 0100"] * (limits.MAX_PROPERTIES_PER_CARD + 1)))
    with pytest.raises(BadInput) as err:
        parse_vcards(data, "x.vcf")
    assert err.value.line == 1
    assert "over 2,000 properties" in err.value.message


def test_card_with_too_many_lines_is_refused() -> None:
    folded = ["NOTE:x", *[" y"] * limits.MAX_LINES_PER_CARD]
    with pytest.raises(BadInput) as err:
        parse_vcards(_vcf(*_card(*folded)), "x.vcf")
    assert err.value.line == 1
    assert "runs over 250,000 lines" in err.value.message


def test_overlong_value_is_refused_at_its_line() -> None:
    data = _vcf(*_card("FN:A", "NOTE:" + "x" * (limits.MAX_VALUE_CHARS + 1)))
    with pytest.raises(BadInput) as err:
        parse_vcards(data, "x.vcf")
    assert err.value.line == 4
    assert "NOTE value is over 1,000,000 characters" in err.value.message


def test_too_many_cards_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vcard, "MAX_ENTRIES", 3)
    data = _vcf(*[line for i in range(4) for line in _card(f"FN:P{i}")])
    with pytest.raises(BadInput) as err:
        parse_vcards(data, "x.vcf")
    assert err.value.line == 13  # the fourth BEGIN:VCARD


def test_file_of_millions_of_lines_is_refused_quickly() -> None:
    with pytest.raises(BadInput, match="over 5,000,000 lines"):
        parse_vcards(b"BEGIN:VCARD\n" + b"\n" * limits.MAX_LINES, "x.vcf")


# -- writing ---------------------------------------------------------------------------------------


def _strip_lines(records: list[ContactRecord]) -> list[ContactRecord]:
    return [dataclasses.replace(r, line=0) for r in records]


@pytest.mark.parametrize(
    ("name", "parser"),
    [
        ("apple_contacts_3.0.vcf", parse_vcards),
        ("google_contacts_3.0.vcf", parse_vcards),
        ("android_2.1.vcf", parse_vcards),
        ("vcard_4.0.vcf", parse_vcards),
        ("latin1_names.vcf", parse_vcards),
        ("linkedin_Connections.csv", parse_linkedin),
        ("google_contacts.csv", parse_google_csv),
        ("google_contacts_legacy.csv", parse_google_csv),
        ("outlook_contacts.csv", parse_outlook_csv),
    ],
)
def test_every_fixture_round_trips_through_vcard(name: str, parser: Parser) -> None:
    path = FIXTURES / name
    records = parser(path.read_bytes(), path).records
    text = write_vcards(records)
    again = parse_vcards(text.encode("utf-8"), "written.vcf")
    assert again.warnings == []
    assert _strip_lines(again.records) == _strip_lines(records)


def test_written_lines_are_crlf_folded_at_75_octets_on_character_boundaries() -> None:
    record = ContactRecord(
        line=1,
        full_name="山田太郎",
        notes="京都の学会で会った。" * 20 + "\nSecond line; with, punctuation \\ done",
    )
    text = write_vcards([record])
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n")[:-1]:
        assert len(line.encode("utf-8")) <= 75
    assert parse_vcards(text.encode(), "w.vcf").records[0].notes == record.notes


def test_writer_escapes_text_values() -> None:
    record = ContactRecord(
        line=1,
        full_name="Smith, Jane; Jr.",
        organization="Lee & Co., Consulting; Europe",
        notes="a,b;c\\d\ne",
        categories=["Friends, close", "Berlin"],
    )
    text = write_vcards([record])
    assert "FN:Smith\\, Jane\\; Jr.\r\n" in text
    assert "ORG:Lee & Co.\\, Consulting\\; Europe\r\n" in text
    assert "NOTE:a\\,b\\;c\\\\d\\ne\r\n" in text
    assert "CATEGORIES:Friends\\, close,Berlin\r\n" in text
    back = parse_vcards(text.encode(), "w.vcf").records[0]
    assert (back.full_name, back.organization, back.notes, back.categories) == (
        record.full_name,
        record.organization,
        record.notes,
        record.categories,
    )


def test_writer_labels_links_and_city_without_address() -> None:
    record = ContactRecord(
        line=1,
        full_name="Mei Chen",
        emails=[("Zürich office", "mei@example.com"), ("work", "mei.chen@example.org")],
        phones=[("mobile", "+41 79 555 01 23"), ("work fax", "+41 44 555 01 00")],
        links=[("blog", "https://mei.example.org"), ("mastodon", "@mei@social.example.org")],
        city="Zürich",
        country="Switzerland",
        birthday="--03-14",
        how_we_met="Connected on LinkedIn on 2021-03-04",
    )
    text = write_vcards([record])
    assert "item1.EMAIL;TYPE=INTERNET:mei@example.com\r\nitem1.X-ABLabel:Zürich office\r\n" in text
    assert "EMAIL;TYPE=INTERNET,WORK:mei.chen@example.org\r\n" in text
    assert "TEL;TYPE=CELL:+41 79 555 01 23\r\n" in text
    assert "TEL;TYPE=WORK,FAX:+41 44 555 01 00\r\n" in text
    assert "ADR:;;;Zürich;;;Switzerland\r\n" in text
    assert "BDAY:--03-14\r\n" in text
    assert "X-RAPPORT-HOW-WE-MET:Connected on LinkedIn on 2021-03-04\r\n" in text
    back = parse_vcards(text.encode(), "w.vcf").records[0]
    assert back.emails == record.emails
    assert back.phones == record.phones
    assert back.links == record.links
    assert (back.city, back.country, back.birthday) == ("Zürich", "Switzerland", "--03-14")
    assert back.how_we_met == record.how_we_met


_name_text = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=40
).filter(lambda s: s.strip())
_note_text = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
    max_size=300,
)


@settings(max_examples=150, deadline=None)
@given(given_name=_name_text, family_name=_name_text, notes=_note_text, org=_name_text)
def test_any_name_and_note_round_trip(
    given_name: str, family_name: str, notes: str, org: str
) -> None:
    full = f"{given_name.strip()} {family_name.strip()}"
    record = ContactRecord(
        line=1,
        full_name=full,
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        organization=org.strip(),
        notes=notes,
    )
    text = write_vcards([record])
    result = parse_vcards(text.encode("utf-8"), "w.vcf")
    assert result.warnings == []
    (back,) = result.records
    assert back.full_name == full
    assert (back.given_name, back.family_name) == (given_name.strip(), family_name.strip())
    assert back.organization == org.strip()
    assert back.notes == multi_line(notes)

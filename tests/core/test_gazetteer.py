"""The gazetteer resolves what people type to the right place, fast, and never raises."""

from __future__ import annotations

import math
import sqlite3
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapport.core import gazetteer
from rapport.core.gazetteer import GazPlace, distance_km, normalize, resolve, within
from rapport.resources import resource

BOSTON = (42.35843, -71.05977)
SAN_FRANCISCO = (37.77493, -122.41942)
PORTLAND_MAINE = (43.66147, -70.25533)


def where(place: GazPlace | None) -> tuple[str, str, str] | None:
    return (place.name, place.country, place.region) if place else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Boston", ("Boston", "US", "MA")),
        ("Cambridge, MA", ("Cambridge", "US", "MA")),
        ("Cambridge, Mass.", ("Cambridge", "US", "MA")),
        ("NYC", ("New York City", "US", "NY")),
        ("nyc", ("New York City", "US", "NY")),
        ("SF", ("San Francisco", "US", "CA")),
        ("LA", ("Los Angeles", "US", "CA")),
        ("Frankfurt am Main", ("Frankfurt am Main", "DE", "05")),
        ("Frankfurt-am-Main", ("Frankfurt am Main", "DE", "05")),
        ("Frankfurt", ("Frankfurt am Main", "DE", "05")),
        ("Tokyo, Japan", ("Tokyo", "JP", "40")),
        ("東京", ("Tokyo", "JP", "40")),
        ("大阪", ("Osaka", "JP", "32")),
        ("Москва", ("Moscow", "RU", "48")),
        ("München", ("Munich", "DE", "02")),
        ("Zurich", ("Zürich", "CH", "ZH")),
        ("Zürich", ("Zürich", "CH", "ZH")),
        ("São Paulo", ("São Paulo", "BR", "27")),
        ("Sao Paulo", ("São Paulo", "BR", "27")),
        ("Kyoto", ("Kyoto", "JP", "22")),
        ("London", ("London", "GB", "ENG")),
        ("London, ON", ("London", "CA", "ON")),
        ("London, Ontario", ("London", "CA", "ON")),
        ("Portland", ("Portland", "US", "OR")),
        ("Portland, OR", ("Portland", "US", "OR")),
        ("Portland, Maine", ("Portland", "US", "ME")),
        ("Paris", ("Paris", "FR", "11")),
        ("Paris, TX", ("Paris", "US", "TX")),
        ("Paris France", ("Paris", "FR", "11")),
        ("Cambridge, UK", ("Cambridge", "GB", "ENG")),
        ("Cambridge, England", ("Cambridge", "GB", "ENG")),
        ("Washington, DC", ("Washington", "US", "DC")),
        ("St. Louis", ("St. Louis", "US", "MO")),
        ("Saint Louis, MO", ("St. Louis", "US", "MO")),
        ("Cologne", ("Köln", "DE", "07")),
        ("Brooklyn", ("Brooklyn", "US", "NY")),
        ("Oakland", ("Oakland", "US", "CA")),
        ("Palo Alto", ("Palo Alto", "US", "CA")),
        ("Menlo Park", ("Menlo Park", "US", "CA")),
        ("Santa Clara, CA", ("Santa Clara", "US", "CA")),
        ("Cupertino", ("Cupertino", "US", "CA")),
        ("Portola Valley, CA", ("Portola Valley", "US", "CA")),
        ("Woodside, CA", ("Woodside", "US", "CA")),  # California before Canada
    ],
)
def test_resolves_what_people_type(text: str, expected: tuple[str, str, str]) -> None:
    assert where(resolve(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("40 Dalton St, Boston, MA, 02115", ("Boston", "US", "MA")),
        (
            "Hilton Boston Back Bay, 40 Dalton St, Boston, MA 02115, United States",
            ("Boston", "US", "MA"),
        ),
        (
            "Moscone Center, 747 Howard St, San Francisco, CA 94103",
            ("San Francisco", "US", "CA"),
        ),
        ("1 Infinite Loop, Cupertino, CA 95014-2083, USA", ("Cupertino", "US", "CA")),
        ("Marienplatz 1, 80331 München, Germany", ("Munich", "DE", "02")),
        ("Boston MA 02115", ("Boston", "US", "MA")),
        ("221B Baker St\nLondon NW1 6XE\nUnited Kingdom", ("London", "GB", "ENG")),
        ("Room 4B; Western University; London, ON N6A 3K7", ("London", "CA", "ON")),
        # "Washington" is a state here only if a city stands to its left.
        ("Hotel Lobby, Washington", ("Washington", "US", "DC")),
        ("Marina Bay Sands, Singapore", ("Singapore", "SG", "")),
        (
            "Av. Paulista, 1578 - Bela Vista, São Paulo - SP, 01310-200, Brasil",
            ("São Paulo", "BR", "27"),
        ),
        ("San Francisco International Airport (SFO)", ("San Francisco", "US", "CA")),
        ("Frankfurt (Main)", ("Frankfurt am Main", "DE", "05")),
    ],
)
def test_reads_addresses_from_the_right(text: str, expected: tuple[str, str, str]) -> None:
    assert where(resolve(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Zoom",
        "Conference room 4B",
        "TBD",
        "Online",
        "Microsoft Teams Meeting",
        "https://zoom.us/j/123456789",
        "Home",
        "la",  # a word in lower case, not Los Angeles
        "Massachusetts",  # a region on its own is not a place with coordinates
        "",
        "   ",
        ",,;;",
        "12345",
        "Somewhere, Brazil",  # not Brazil, Indiana
        "Online (Zoom)",
        "Meet at THE lobby",
    ],
)
def test_text_naming_no_place_is_none(text: str) -> None:
    assert resolve(text) is None


def test_ambiguous_names_take_the_most_populous_unless_a_hint_says_otherwise() -> None:
    assert where(resolve("Portland")) == ("Portland", "US", "OR")
    assert where(resolve("Portland", near=PORTLAND_MAINE)) == ("Portland", "US", "ME")
    assert where(resolve("Cambridge")) == ("Cambridge", "GB", "ENG")
    assert where(resolve("Cambridge", near=BOSTON)) == ("Cambridge", "US", "MA")
    assert where(resolve("Cambridge", country="US")) == ("Cambridge", "US", "MA")
    assert where(resolve("London", country="CA")) == ("London", "CA", "ON")
    assert where(resolve("London", country="Canada")) == ("London", "CA", "ON")
    # Hints never override what the text says.
    assert where(resolve("Cambridge, UK", country="US", near=BOSTON)) == ("Cambridge", "GB", "ENG")
    # A hint for a country without such a place falls back to the best anywhere.
    assert where(resolve("Tokyo", country="US")) == ("Tokyo", "JP", "40")


def test_iata_codes_resolve_to_the_city_they_serve() -> None:
    assert where(resolve("BOS")) == ("Boston", "US", "MA")
    assert where(resolve("LHR")) == ("London", "GB", "ENG")
    assert where(resolve("NRT")) == ("Tokyo", "JP", "40")  # 66 km out, still Tokyo
    assert where(resolve("YYZ")) == ("Toronto", "CA", "ON")  # the metro area's city
    assert where(resolve("PWM")) == ("Portland", "US", "ME")
    boston = resolve("BOS")
    assert boston is not None and boston.kind == "city"
    assert boston == resolve("Boston")


def test_airport_gives_the_airport_itself() -> None:
    logan = gazetteer.airport("BOS")
    assert logan is not None
    assert logan.kind == "airport"
    assert logan.country == "US" and logan.region == "MA"
    assert logan.timezone == "America/New_York"
    assert distance_km(logan.point, BOSTON) < 5
    assert gazetteer.airport(" lhr ") == gazetteer.airport("LHR") is not None
    assert gazetteer.airport("ZZZ") is None
    assert gazetteer.airport("BOSTON") is None
    assert gazetteer.by_id(logan.geonameid) == logan


def test_by_id_round_trips() -> None:
    boston = resolve("Boston")
    assert boston is not None
    assert gazetteer.by_id(boston.geonameid) == boston
    assert gazetteer.by_id(4930956) == boston  # GeoNames' id for Boston
    assert gazetteer.by_id(0) is None
    assert gazetteer.by_id(-(10**9)) is None
    assert gazetteer.by_id(2**70) is None


def test_place_fields_and_label() -> None:
    cambridge = resolve("Cambridge, MA")
    assert cambridge is not None
    assert cambridge.label == "Cambridge, MA, US"
    assert cambridge.timezone == "America/New_York"
    assert cambridge.population > 100_000
    assert math.isclose(cambridge.lat, 42.3751, abs_tol=0.01)
    assert math.isclose(cambridge.lon, -71.1056, abs_tol=0.01)
    frankfurt = resolve("Frankfurt am Main")
    assert frankfurt is not None and frankfurt.label == "Frankfurt am Main, DE"
    assert frankfurt.timezone == "Europe/Berlin"


def test_distances() -> None:
    boston, cambridge = resolve("Boston"), resolve("Cambridge, MA")
    san_jose, san_francisco = resolve("San Jose, CA"), resolve("San Francisco")
    frankfurt, berlin = resolve("Frankfurt"), resolve("Berlin")
    assert boston and cambridge and san_jose and san_francisco and frankfurt and berlin
    assert distance_km(boston.point, cambridge.point) < 50
    assert distance_km(san_jose.point, san_francisco.point) > 50
    assert distance_km(frankfurt.point, berlin.point) == pytest.approx(424, abs=5)
    assert distance_km(BOSTON, BOSTON) == 0
    assert distance_km((0, 179.9), (0, -179.9)) == pytest.approx(22.2, abs=0.1)
    assert distance_km((90, 0), (-90, 0)) == pytest.approx(math.pi * 6371.0088)


def test_within_finds_cities_in_reach_nearest_first() -> None:
    near_boston = within(*BOSTON, 50)
    names = {(p.name, p.region) for p in near_boston}
    assert ("Cambridge", "MA") in names
    assert ("Boston", "MA") in names
    assert all(p.kind == "city" for p in near_boston)
    distances = [distance_km(BOSTON, p.point) for p in near_boston]
    assert distances == sorted(distances)
    assert max(distances) <= 50
    assert ("San Jose", "CA") not in {(p.name, p.region) for p in within(*SAN_FRANCISCO, 50)}
    assert ("San Jose", "CA") in {(p.name, p.region) for p in within(*SAN_FRANCISCO, 80)}
    boston = resolve("Boston")
    assert boston is not None and within(*boston.point, 0.0) == [boston]
    assert within(math.nan, 0, 50) == []
    assert within(0, 0, -1) == []


def _every_place_within(point: tuple[float, float], radius_km: float) -> set[int]:
    """By hand: every place in the latitude band, measured one by one (no cells)."""
    scale = gazetteer.COORD_SCALE
    band = (radius_km / gazetteer.KM_PER_DEGREE + 0.01) * scale
    uri = resource("gazetteer", "gazetteer.sqlite").as_uri() + "?mode=ro"
    con = sqlite3.connect(uri, uri=True)
    try:
        rows = con.execute(
            "SELECT id, lat, lon FROM place WHERE lat BETWEEN ? AND ?",
            (point[0] * scale - band, point[0] * scale + band),
        ).fetchall()
    finally:
        con.close()
    return {
        gid for gid, lat, lon in rows if distance_km(point, (lat / scale, lon / scale)) <= radius_km
    }


@pytest.mark.parametrize(
    ("point", "radius_km"),
    [
        (BOSTON, 50.0),
        ((-17.0, -179.9), 120.0),  # across the antimeridian, into Fiji
        ((78.2, 15.6), 300.0),  # near the pole
        ((0.0, 0.0), 10.0),  # open sea: nothing
    ],
)
def test_within_matches_a_brute_force_scan(point: tuple[float, float], radius_km: float) -> None:
    assert {p.geonameid for p in within(*point, radius_km)} == _every_place_within(point, radius_km)


def test_within_crosses_the_antimeridian() -> None:
    assert "Savusavu" in {p.name for p in within(-17.0, -179.9, 120)}


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Zürich", "zurich"),
        ("  São   Paulo ", "sao paulo"),
        ("Washington, D.C.", "washington dc"),
        ("St. Louis", "st louis"),
        ("Frankfurt-am-Main", "frankfurt am main"),
        ("Łódź", "lodz"),
        ("København", "kobenhavn"),
        ("Straße", "strasse"),
        ("ＴＯＫＹＯ", "tokyo"),
        ("O'Brien", "obrien"),
        ("Αθήνα", "αθηνα"),
        ("Москва", "москва"),
        ("東京", "東京"),
        ("İstanbul", "istanbul"),
    ],
)
def test_normalize(text: str, key: str) -> None:
    assert normalize(text) == key


@given(st.text(max_size=60))
def test_normalize_is_idempotent(text: str) -> None:
    assert normalize(normalize(text)) == normalize(text)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    text=st.one_of(
        st.text(max_size=120),
        st.lists(
            st.sampled_from(
                [
                    "Boston",
                    "MA",
                    "02115",
                    "CA",
                    "United States",
                    "BOS",
                    "東京",
                    "Paris",
                    "ON",
                    "40 Dalton St",
                    "TBD",
                    "",
                    " ",
                    "Zoom",
                    "Washington",
                    "Georgia",
                    "N6A 3K7",
                ]
            ),
            max_size=8,
        ).map(", ".join),
    ),
    country=st.one_of(st.none(), st.text(max_size=4), st.sampled_from(["US", "GB", "Japan"])),
    near=st.one_of(
        st.none(),
        st.tuples(st.floats(allow_nan=True), st.floats(allow_nan=True)),
        st.tuples(st.floats(-90, 90), st.floats(-180, 180)),
    ),
)
def test_resolve_never_raises(
    text: str, country: str | None, near: tuple[float, float] | None
) -> None:
    place = resolve(text, country=country, near=near)
    assert place is None or isinstance(place, GazPlace)


@settings(max_examples=60, deadline=None)
@given(
    lat=st.floats(allow_nan=True, allow_infinity=True),
    lon=st.floats(allow_nan=True, allow_infinity=True),
    radius=st.floats(0, 300),
)
def test_within_never_raises(lat: float, lon: float, radius: float) -> None:
    wrapped = (lon + 180) % 360 - 180  # any longitude is some meridian
    for place in within(lat, lon, radius):
        assert distance_km((lat, wrapped), place.point) <= radius + 1e-6


@given(
    a=st.tuples(st.floats(-90, 90), st.floats(-180, 180)),
    b=st.tuples(st.floats(-90, 90), st.floats(-180, 180)),
)
def test_distance_is_a_symmetric_bounded_metric(
    a: tuple[float, float], b: tuple[float, float]
) -> None:
    d = distance_km(a, b)
    assert 0 <= d <= math.pi * gazetteer.EARTH_RADIUS_KM + 1e-6
    assert d == pytest.approx(distance_km(b, a), abs=1e-6)


def test_concurrent_use_gives_the_same_answers() -> None:
    texts = ["Boston", "Cambridge, MA", "BOS", "東京", "London, ON", "Zoom", "Paris, TX"] * 20
    expected = [resolve(t) for t in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(resolve, texts)) == expected


def test_build_metadata() -> None:
    info = gazetteer.info()
    assert int(info["places"]) > 100_000
    assert int(info["names"]) > int(info["places"])
    assert int(info["airports"]) > 5_000

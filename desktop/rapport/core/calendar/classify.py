"""What kind of travel an event is, and the place text and codes the trip builder resolves.

Each kind collects evidence (weights in ``_score``, words in ``travel_words``); the best
kind above a threshold wins, else "other". Places are returned as text and IATA codes
for the gazetteer to resolve; nothing is looked up here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from rapport.core.calendar import travel_words as words
from rapport.core.calendar.records import EventRecord

Kind = Literal["flight", "train", "hotel", "trip", "conference", "other"]
# Order breaks ties: a flight that mentions a hotel is still a flight.
KINDS: tuple[Kind, ...] = ("flight", "train", "hotel", "conference", "trip", "other")
THRESHOLD = 0.45


@dataclass(frozen=True, slots=True)
class Classification:
    """The kind of an event and the places it names ("" when unknown)."""

    kind: Kind
    confidence: float  # 0..1, how sure the evidence makes us
    origin_text: str = ""  # where a flight or train leaves from: "LHR", "London St Pancras"
    destination_text: str = ""  # where the user will be: "BOS", "Boston, MA", an address
    iata_from: str = ""
    iata_to: str = ""
    flight_number: str = ""  # "BA213"
    train_number: str = ""  # "ICE 597", "Eurostar 9014"


def _any_word(items: tuple[str, ...], flags: int = re.IGNORECASE) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in sorted(items, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", flags)


_FLIGHT_WORD = _any_word(words.FLIGHT_WORDS)
_FLIGHT_TAG = re.compile(r"(?<!\w)(?:flight|flug|vol|vuelo)\s*[:#]\s*", re.IGNORECASE)
_AIRPORT_WORD = _any_word(words.AIRPORT_WORDS)
_FLIGHT_NUMBER = re.compile(words.FLIGHT_NUMBER)
_TRAIN_WORD = _any_word(words.TRAIN_WORDS)
_STATION_WORD = _any_word(words.STATION_WORDS)
_HOTEL_WORD = _any_word(words.HOTEL_WORDS)
_CONFERENCE_WORD = _any_word(words.CONFERENCE_WORDS)
_CONFERENCE_NAME = re.compile(words.CONFERENCE_NAME)
_TRIP_WORD = re.compile(r"(?<!\w)(?:" + "|".join(words.TRIP_WORDS) + r")\s+(?P<place>.+)", re.I)
_TRIP_MARKER = re.compile(
    rf"^(?P<place>.+?),?\s+(?:{words.MONTHS})\.?\s+[0-9]{{4}}$", re.IGNORECASE
)
# Short brands (ICE, IC, AVE) only in capitals, so "ice skating" is not a train.
_BRANDS = "|".join(
    (f"(?i:{re.escape(b)})" if len(b) > 4 else re.escape(b))
    for b in sorted(words.TRAIN_BRANDS, key=len, reverse=True)
)
_TRAIN_BRAND = re.compile(rf"(?<!\w)(?:{_BRANDS})(?!\w)")
_TRAIN_NUMBER = re.compile(
    rf"(?<!\w)((?:{_BRANDS})(?:\s+(?:{_BRANDS}))*)\s*([0-9]{{1,5}})(?![0-9])"
)
_SEPARATOR = "|".join(words.ROUTE_SEPARATORS)
_ROUTE = re.compile(
    rf"^(?:.*?(?<!\w)(?:from|von|de)\s+)?(?P<a>.*?)\s*(?:{_SEPARATOR})\s*(?P<b>.+)$",
    re.IGNORECASE,
)
_FROM_ONLY = re.compile(r"(?<!\w)(?:from|von|de)\s+(?P<a>.+)$", re.IGNORECASE)
_IATA_ROUTE = re.compile(
    r"(?<![A-Za-z])([A-Z]{3})\s*(?:→|➔|➝|⇒|->|–>|-|–|—|/|\s(?:to|TO|nach)\s)\s*([A-Z]{3})(?![A-Za-z])"
)
_CODE_IN_PARENS = re.compile(r"\(\s*([A-Z]{3})\s*\)")
_CODE_AT_END = re.compile(r"(?:^|[\s,/-])([A-Z]{3})$")
_CODE_AT_START = re.compile(r"^([A-Z]{3})(?:[\s,/-]|$)")
_DEP_ARR = re.compile(r"\b(dep|arr)\w*\s+([A-Z]{3})\b", re.IGNORECASE)
_HOTEL_PREFIX = re.compile(
    r"^\s*(?:" + "|".join(re.escape(p) for p in words.HOTEL_PREFIXES) + r")\s*[:\-–]?\s*",
    re.IGNORECASE,
)
_PUNCTUATION = " \t,;:|-–—()[]✈🚆🏨"
_EMPTY_PARENS = re.compile(r"\(\s*\)|\[\s*\]")


def classify(ev: EventRecord) -> Classification:
    """The kind of ``ev`` and the place text, codes and numbers it carries."""
    scores = _score(ev)
    kind = max(KINDS[:-1], key=lambda k: (scores[k], -KINDS.index(k)))
    best = scores[kind]
    if best < THRESHOLD:
        return Classification("other", round(max(0.3, 1.0 - best), 2))
    confidence = round(min(best, 1.0), 2)
    if kind == "flight":
        return _flight(ev, confidence)
    if kind == "train":
        return _train(ev, confidence)
    if kind == "hotel":
        return _hotel(ev, confidence)
    if kind == "trip":
        return _trip(ev, confidence)
    return Classification("conference", confidence, destination_text=ev.location)


def _words_alternative(items: tuple[str, ...]) -> str:
    alternatives = "|".join(re.escape(w) for w in sorted(items, key=len, reverse=True))
    return rf"(?i:(?<!\w)(?:{alternatives})(?!\w))"


# What a title can say, and how much each finding weighs for its kind. One pass of one
# pattern finds them all (earlier alternatives win where two would match the same text).
_TITLE_EVIDENCE: dict[str, tuple[Kind, float, str]] = {
    "train_number": ("train", 0.6, _TRAIN_NUMBER.pattern),
    "flight_number": ("flight", 0.3, words.FLIGHT_NUMBER),
    "iata_route": ("flight", 0.4, _IATA_ROUTE.pattern),
    "flight_word": ("flight", 0.6, _words_alternative(words.FLIGHT_WORDS)),
    "train_brand": ("train", 0.5, _TRAIN_BRAND.pattern),
    "train_word": ("train", 0.5, _words_alternative(words.TRAIN_WORDS)),
    "station": ("train", 0.3, _words_alternative(words.STATION_WORDS)),
    "hotel": ("hotel", 0.7, _words_alternative(words.HOTEL_WORDS)),
    "conference": (
        "conference",
        0.7,
        _words_alternative(words.CONFERENCE_WORDS) + "|" + words.CONFERENCE_NAME,
    ),
    "trip_word": ("trip", 0.7, r"(?i:(?<!\w)(?:" + "|".join(words.TRIP_WORDS) + r")\s)"),
}
_TITLE = re.compile("|".join(f"(?P<{name}>{p})" for name, (_, _, p) in _TITLE_EVIDENCE.items()))


def _score(ev: EventRecord) -> dict[Kind, float]:
    summary, location = ev.summary, ev.location
    head = ev.description[:400]
    s: dict[Kind, float] = dict.fromkeys(KINDS, 0.0)
    found: set[str] = set()
    for m in _TITLE.finditer(summary):
        name = m.lastgroup
        if name is None:
            continue
        if name == "iata_route" and not _iata_route(m.group(0)):
            continue  # three capitals that are not two airports
        found.add(name)
    for name in found:
        kind, weight, _ = _TITLE_EVIDENCE[name]
        s[kind] += weight
    if "iata_route" in found:
        # Codes alone ("API to SDK") are weak; codes that are the whole title are not.
        rest = _IATA_ROUTE.sub(" ", _FLIGHT_NUMBER.sub(" ", summary)).strip(_PUNCTUATION)
        if not rest:
            s["flight"] += 0.2
    if head.startswith("[Flight]") or (s["flight"] and _FLIGHT_WORD.search(head)):
        s["flight"] += 0.2
    if s["flight"] and (_AIRPORT_WORD.search(location) or _code_of(location)):
        s["flight"] += 0.15
    if head.startswith("[Rail]"):
        s["train"] += 0.4
    if s["train"] and "station" not in found and _STATION_WORD.search(location):
        s["train"] += 0.3
    if head.startswith("[Lodging]"):
        s["hotel"] += 0.4
    multi_day = _multi_day(ev)
    if multi_day and _address_like(location):
        s["conference"] += 0.5
    if (ev.all_day or multi_day) and _TRIP_MARKER.match(summary):
        s["trip"] += 0.8
    if ev.all_day and multi_day and "tripit.com/trip" in head:
        s["trip"] += 0.3
    return s


def _multi_day(ev: EventRecord) -> bool:
    if ev.all_day:
        return ev.start_date is not None and ev.end_date is not None and ev.end_date > ev.start_date
    if ev.start_utc is None or ev.end_utc is None:
        return False
    return ev.end_utc - ev.start_utc >= timedelta(hours=20)


def _address_like(text: str) -> bool:
    """A venue address ("300 E Ocean Blvd, Long Beach, CA") rather than a room or a city."""
    if text.count(",") >= 2:
        return True
    return "," in text and any(ch.isdigit() for ch in text)


# ---- places ---------------------------------------------------------------------------


def _iata_route(text: str) -> tuple[str, str] | None:
    codes = words.airport_codes()
    for m in _IATA_ROUTE.finditer(text):
        a, b = m.group(1), m.group(2)
        if a != b and a in codes and b in codes:
            return a, b
    return None


def _code_of(text: str) -> str:
    """The IATA code a place text carries: "(LHR)", "London LHR", "BOS"."""
    text = text.strip()
    codes = words.airport_codes()
    for pattern in (_CODE_IN_PARENS, _CODE_AT_END, _CODE_AT_START):
        m = pattern.search(text)
        if m and m.group(1) in codes:
            return m.group(1)
    return ""


def _place_text(text: str, code: str) -> str:
    if code:
        text = re.sub(rf"\(\s*{code}\s*\)|(?<![A-Za-z]){code}(?![A-Za-z])", " ", text)
    text = _EMPTY_PARENS.sub(" ", text)
    text = " ".join(text.split())
    return text.strip(_PUNCTUATION)


def _route(text: str) -> tuple[str, str]:
    """The two places of "A to B", "from A to B", "A → B"; either may be ""."""
    m = _ROUTE.match(text)
    if m:
        return m.group("a").strip(_PUNCTUATION), m.group("b").strip(_PUNCTUATION)
    m = _FROM_ONLY.search(text)
    if m:
        return m.group("a").strip(_PUNCTUATION), ""
    return "", ""


def _flight(ev: EventRecord, confidence: float) -> Classification:
    summary = ev.summary
    number = ""
    m = _FLIGHT_NUMBER.search(summary)
    if m:
        number = m.group(1) + m.group(2)
        summary = summary[: m.start()] + " " + summary[m.end() :]
    summary = _FLIGHT_TAG.sub(" ", summary)
    summary = _FLIGHT_WORD.sub(" ", _EMPTY_PARENS.sub(" ", summary))
    summary = _EMPTY_PARENS.sub(" ", " ".join(summary.split()))
    origin, destination = _route(summary)
    code_from, code_to = _code_of(origin), _code_of(destination)
    route = _iata_route(ev.summary)
    if route and not (code_from and code_to):
        code_from, code_to = route
    if not origin and ev.location:
        origin = ev.location
        code_from = code_from or _code_of(origin)
    if not (code_from and code_to):
        codes = words.airport_codes()
        for which, code in _DEP_ARR.findall(ev.description[:400]):
            if code in codes:
                if which.lower() == "dep" and not code_from:
                    code_from = code
                elif which.lower() == "arr" and not code_to:
                    code_to = code
    return Classification(
        "flight",
        confidence,
        origin_text=_place_text(origin, code_from) or code_from,
        destination_text=_place_text(destination, code_to) or code_to,
        iata_from=code_from,
        iata_to=code_to,
        flight_number=number,
    )


def _train(ev: EventRecord, confidence: float) -> Classification:
    summary = ev.summary
    number = ""
    m = _TRAIN_NUMBER.search(summary)
    if m:
        number = f"{' '.join(m.group(1).split())} {m.group(2)}"
        summary = summary[: m.start()] + " " + summary[m.end() :]
    else:
        summary = _TRAIN_BRAND.sub(" ", summary)
    summary = _TRAIN_WORD.sub(" ", summary)
    origin, destination = _route(" ".join(summary.split()).strip(_PUNCTUATION))
    if not origin and ev.location:
        origin = ev.location
    return Classification(
        "train",
        confidence,
        origin_text=_place_text(origin, ""),
        destination_text=_place_text(destination, ""),
        train_number=number,
    )


def _hotel(ev: EventRecord, confidence: float) -> Classification:
    name = _HOTEL_PREFIX.sub("", ev.summary).strip(_PUNCTUATION)
    return Classification("hotel", confidence, destination_text=ev.location or name)


def _trip(ev: EventRecord, confidence: float) -> Classification:
    place = ""
    m = _TRIP_MARKER.match(ev.summary)
    if m:
        place = m.group("place")
    else:
        w = _TRIP_WORD.search(ev.summary)
        if w:
            place = w.group("place")
    # The location is usually more precise ("Bar Harbor, ME" for "Vacation in Maine").
    return Classification(
        "trip", confidence, destination_text=ev.location or place.strip(_PUNCTUATION)
    )

"""The words and codes that tell a flight, train, hotel stay, trip or conference apart.

Plain data, read by ``classify``: adding a language or a rail brand is a line here. The
airport codes come from the gazetteer (``airportsdata``'s airports and city codes such as NYC).
"""

from __future__ import annotations

from rapport.core import gazetteer

# An IATA airline designator (two letters, or a letter and a digit) and a flight number.
FLIGHT_NUMBER = r"(?<![A-Za-z0-9])((?:[A-Z]{2}|[A-Z][0-9]|[0-9][A-Z]))\s?([0-9]{1,4})(?![0-9])"

FLIGHT_WORDS = ("flight", "flug", "vol", "vuelo", "voo", "volo", "vlucht", "flyg")
AIRPORT_WORDS = ("airport", "flughafen", "aéroport", "aeropuerto", "terminal", "gate", "boarding")
TRAIN_WORDS = ("train", "zug", "rail", "railway", "bahn", "tren", "treno", "trein", "tåg")
# Rail brands and service names as they open a booking: "ICE 597", "Eurostar 9014".
TRAIN_BRANDS = (
    "Amtrak",
    "Acela",
    "Northeast Regional",
    "Eurostar",
    "Thalys",
    "ICE",
    "IC",
    "EC",
    "ECE",
    "RJ",
    "RJX",
    "Railjet",
    "Nightjet",
    "NJ",
    "TGV",
    "TGV inOui",
    "inOui",
    "Ouigo",
    "Lyria",
    "TER",
    "AVE",
    "Avlo",
    "Renfe",
    "Frecciarossa",
    "Frecciargento",
    "Italo",
    "Avanti",
    "LNER",
    "GWR",
    "Caledonian Sleeper",
    "SBB",
    "ÖBB",
    "Westbahn",
    "FlixTrain",
    "Shinkansen",
    "Nozomi",
    "Hikari",
    "KTX",
    "VIA Rail",
    "Brightline",
    "Intercity",
    "Eurocity",
)
STATION_WORDS = (
    "hbf",
    "hauptbahnhof",
    "bahnhof",
    "gare",
    "station",
    "penn",
    "st pancras",
    "king's cross",
    "centraal",
    "centrale",
    "stazione",
    "estación",
    "union station",
)
HOTEL_WORDS = (
    "hotel",
    "hostel",
    "motel",
    "inn",
    "resort",
    "lodge",
    "lodging",
    "suites",
    "check-in",
    "check in",
    "checkin",
    "check-out",
    "check out",
    "checkout",
    "stay at",
    "staying at",
    "airbnb",
    "accommodation",
    "unterkunft",
    "übernachtung",
    "guesthouse",
    "b&b",
    "hilton",
    "marriott",
    "hyatt",
    "westin",
    "sheraton",
    "radisson",
    "novotel",
    "ibis",
    "citizenm",
)
CONFERENCE_WORDS = (
    "conference",
    "summit",
    "congress",
    "kongress",
    "konferenz",
    "symposium",
    "expo",
    "convention",
    "forum",
    "festival",
    "devcon",
    "re:invent",
    "hackathon",
)
# PyCon, KubeCon, JSConf, RubyConf: a capitalised name ending in Con/Conf.
CONFERENCE_NAME = r"\b[A-Z][A-Za-z]*(?:Con|Conf)\b"
TRIP_WORDS = (
    r"trip to",
    r"travel to",
    r"reise nach",
    r"voyage à",
    r"viaje a",
    r"viagem a",
    r"vacation in",
    r"holiday in",
    r"urlaub in",
)
# TripIt's all-day trip marker: "Boston, MA, March 2027".
MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    "januar|februar|märz|juni|juli|oktober|dezember|janvier|février|mars|avril|mai|juin|"
    "juillet|août|septembre|octobre|novembre|décembre"
)
# Prefixes that name the thing after them: "Check-in: Hilton", "Hotel: …", "Stay at …".
HOTEL_PREFIXES = (
    "check-in",
    "check in",
    "checkin",
    "check-out",
    "check out",
    "checkout",
    "hotel",
    "lodging",
    "stay at",
    "staying at",
    "airbnb",
    "reservation at",
)
# Between two places in a route.
ROUTE_SEPARATORS = (
    r"→",
    r"➔",
    r"➝",
    r"⇒",
    r"->",
    r"–>",
    r"\s—\s",
    r"\s–\s",
    r"\s-\s",
    r"\bto\b",
    r"\bnach\b",
    r"\bnaar\b",
    r"\bà\b",
)


def airport_codes() -> frozenset[str]:
    """IATA airport and metropolitan-area codes (BOS, LHR, NYC, LON), from the gazetteer
    (built from ``airportsdata``), so parsing a calendar never loads the whole airport list."""
    return gazetteer.iata_codes()

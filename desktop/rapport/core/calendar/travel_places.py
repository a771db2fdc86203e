"""Where each travel event takes the user: its classification's codes and texts to places.

An import resolves every distinct text and code once (a 10k-event calendar names a few
dozen places). IATA codes resolve to the city the airport serves — "within reach" is
measured from the city centre, not the runway — and to the airport itself only when no
city is known. Station and airport names ("Paris Gare du Nord", "Boston Logan
International Airport") resolve by dropping words from the end until a city is left.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapport.core import gazetteer
from rapport.core.calendar.classify import Classification
from rapport.core.gazetteer import GazPlace

# Kinds whose place decides a trip; other events are stored without a place.
TRAVEL_KINDS = frozenset({"flight", "train", "hotel", "trip", "conference"})
_MAX_DROPPED_WORDS = 4
_MIN_PREFIX_CHARS = 3


@dataclass(frozen=True, slots=True)
class TravelPlaces:
    """The places one classified event names (None when unknown or not travel)."""

    destination: GazPlace | None
    origin: GazPlace | None
    text: str  # the destination as the event wrote it


NO_PLACES = TravelPlaces(None, None, "")


class PlaceResolver:
    """Resolves classification texts and codes to gazetteer places, each one only once."""

    def __init__(self) -> None:
        self._texts: dict[tuple[str, bool], GazPlace | None] = {}
        self._codes: dict[str, GazPlace | None] = {}

    def code(self, iata: str) -> GazPlace | None:
        if iata not in self._codes:
            self._codes[iata] = gazetteer.resolve(iata) or gazetteer.airport(iata)
        return self._codes[iata]

    def text(self, text: str, *, station: bool = False) -> GazPlace | None:
        text = " ".join(text.split())
        if not text:
            return None
        key = (text, station)
        if key not in self._texts:
            self._texts[key] = self._resolve(text, station)
        return self._texts[key]

    @staticmethod
    def _resolve(text: str, station: bool) -> GazPlace | None:
        found = gazetteer.resolve(text)
        if found is not None or not station or "," in text:
            return found
        # "London St Pancras International" -> "London St Pancras" -> ... -> "London".
        words = text.split()
        for drop in range(1, min(_MAX_DROPPED_WORDS, len(words) - 1) + 1):
            prefix = " ".join(words[:-drop])
            if len(prefix) < _MIN_PREFIX_CHARS:
                break
            found = gazetteer.resolve(prefix)
            if found is not None:
                return found
        return None

    def places(self, c: Classification) -> TravelPlaces:
        """The destination (and, for a flight or train, the origin) of a classified event."""
        if c.kind not in TRAVEL_KINDS:
            return NO_PLACES
        moving = c.kind in ("flight", "train")
        destination = self.code(c.iata_to) if c.iata_to else None
        if destination is None and c.destination_text:
            destination = self.text(c.destination_text, station=moving)
        origin = None
        if moving:
            origin = self.code(c.iata_from) if c.iata_from else None
            if origin is None and c.origin_text:
                origin = self.text(c.origin_text, station=True)
        return TravelPlaces(destination, origin, c.destination_text or c.iata_to)

"""Places in the journal: gazetteer entries cached as Place rows that people and trips point at."""

from __future__ import annotations

from functools import lru_cache

from rapport.core import gazetteer
from rapport.store.models import Place


def place_text(city: str, region: str = "", country: str = "") -> str:
    return ", ".join(p for p in (city.strip(), region.strip(), country.strip()) if p)


def place_id_for(city: str, region: str = "", country: str = "") -> int | None:
    """The Place row for a city as a person typed it, made from the gazetteer if new."""
    if not city.strip():
        return None
    found = _lookup(city.strip(), region.strip(), country.strip())
    if found is None:
        return None
    return place_row(found)


@lru_cache(maxsize=4096)
def _lookup(city: str, region: str, country: str) -> gazetteer.GazPlace | None:
    # Region and country written after the city are hard limits in the gazetteer; when the
    # whole doesn't resolve (a region spelled oddly), each qualifier alone still narrows it.
    for text in dict.fromkeys(
        (place_text(city, region, country), place_text(city, "", country), place_text(city, region))
    ):
        found = gazetteer.resolve(text)
        if found is not None:
            return found
    return None


def place_row(found: gazetteer.GazPlace) -> int:
    """Insert-or-get the Place for a gazetteer entry; returns its id."""
    row = Place.get_or_none(Place.geonameid == found.geonameid)
    if row is not None:
        return int(row.id)
    return int(
        Place.insert(
            geonameid=found.geonameid,
            name=found.name,
            country=found.country,
            region=found.region,
            lat=found.lat,
            lon=found.lon,
            timezone=found.timezone,
            population=found.population,
            kind=found.kind,
        )
        .on_conflict_ignore()
        .execute()
        or Place.get(Place.geonameid == found.geonameid).id
    )

"""The plain records every contact reader produces and every writer consumes.

Readers only parse: turning a ``ContactRecord`` into a person (matching, merging, places)
is the importer's job, so these classes hold text exactly as the file gave it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LINK_SERVICES = ("linkedin", "twitter", "mastodon", "github", "blog", "website", "other")


@dataclass
class AddressRecord:
    """One postal address; ``label`` is "home", "work", "other" or the file's own label."""

    label: str = ""
    street: str = ""
    locality: str = ""
    region: str = ""
    postcode: str = ""
    country: str = ""

    def is_empty(self) -> bool:
        return not (self.street or self.locality or self.region or self.postcode or self.country)


@dataclass
class ContactRecord:
    """One person as a file describes them.

    Emails keep the case the file gave (matching normalises, not parsing). ``links`` holds
    ``(service, url_or_handle)`` with service one of ``LINK_SERVICES``. ``birthday`` is
    ``YYYY-MM-DD`` or ``--MM-DD`` when the year is unknown. ``city``/``region``/``country``
    come from the preferred (else first) address, or a file's own city column.
    """

    line: int
    full_name: str
    given_name: str = ""
    family_name: str = ""
    additional_names: str = ""
    prefix: str = ""
    suffix: str = ""
    nickname: str = ""
    organization: str = ""
    title: str = ""
    emails: list[tuple[str, str]] = field(default_factory=list)
    phones: list[tuple[str, str]] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    addresses: list[AddressRecord] = field(default_factory=list)
    city: str = ""
    region: str = ""
    country: str = ""
    birthday: str = ""
    notes: str = ""
    how_we_met: str = ""
    categories: list[str] = field(default_factory=list)

    def link(self, service: str) -> str:
        """The first link for ``service`` ("linkedin", "website", ...), or ""."""
        for svc, url in self.links:
            if svc == service:
                return url
        return ""


@dataclass
class ParseResult:
    """What one file held: its detected ``kind``, the records, and what we skipped or guessed."""

    kind: str
    records: list[ContactRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def compose_full_name(*parts: str) -> str:
    """Join name parts with single spaces, skipping empty ones."""
    return " ".join(p.strip() for p in parts if p and p.strip())


def value_count(record: ContactRecord) -> int:
    """How many list values a record holds, for ``limits.ValueBudget``."""
    return (
        len(record.emails)
        + len(record.phones)
        + len(record.links)
        + len(record.addresses)
        + len(record.categories)
    )


def locate(record: ContactRecord, preferred: AddressRecord | None = None) -> None:
    """Fill ``city``/``region``/``country`` from ``preferred`` or the first non-empty address.

    Fields already set (a file's own "City" column) are kept.
    """
    source = preferred
    if source is None or not (source.locality or source.region or source.country):
        source = next(
            (a for a in record.addresses if a.locality or a.region or a.country),
            None,
        )
    if source is None:
        return
    if not record.city:
        record.city = source.locality
    if not record.region:
        record.region = source.region
    if not record.country:
        record.country = source.country

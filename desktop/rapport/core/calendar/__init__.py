"""Calendar import: .ics bytes to plain event records, and what kind of travel each one is.

No database and no Qt here: ``parse_ics`` returns ``EventRecord`` values that the importer
stores, and ``classify`` says whether one is a flight, train, hotel stay, trip or conference.
"""

from rapport.core.calendar.classify import Classification, classify
from rapport.core.calendar.ics_parse import parse_ics
from rapport.core.calendar.limits import DEFAULT_LIMITS, Limits
from rapport.core.calendar.records import EventRecord, ParsedCalendar

__all__ = [
    "DEFAULT_LIMITS",
    "Classification",
    "EventRecord",
    "Limits",
    "ParsedCalendar",
    "classify",
    "parse_ics",
]

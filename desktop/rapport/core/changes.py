"""What an operation changed, so each view refreshes only what it shows."""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass
class Changes:
    """Ids of the people touched plus a flag per area; ``|`` combines two reports."""

    people: set[int] = field(default_factory=set)
    people_added: set[int] = field(default_factory=set)
    people_removed: set[int] = field(default_factory=set)
    circles: bool = False
    goals: bool = False
    acts: bool = False
    meetings: bool = False
    calendar: bool = False
    trips: bool = False
    settings: bool = False
    everything: bool = False  # a restore or a new journal: views reload from scratch

    def __or__(self, other: Changes) -> Changes:
        merged = Changes()
        for f in fields(self):
            a, b = getattr(self, f.name), getattr(other, f.name)
            setattr(merged, f.name, a | b)
        return merged

    def __bool__(self) -> bool:
        return any(bool(getattr(self, f.name)) for f in fields(self))

    @property
    def any_people(self) -> bool:
        return bool(self.people or self.people_added or self.people_removed or self.everything)

    @property
    def touches_history(self) -> bool:
        """Whether rows the undo history records changed (people, plan, log, trips, flags).

        Imported events and preferences are not in the history: a calendar refresh that only
        touched them leaves earlier steps undoable.
        """
        return bool(
            self.everything
            or self.any_people
            or self.circles
            or self.goals
            or self.acts
            or self.meetings
            or self.trips
        )

    @classmethod
    def all(cls) -> Changes:
        return cls(everything=True)

    def describe(self) -> str:
        parts = []
        if self.people_added:
            parts.append(f"{len(self.people_added)} added")
        if self.people_removed:
            parts.append(f"{len(self.people_removed)} removed")
        updated = self.people - self.people_added - self.people_removed
        if updated:
            parts.append(f"{len(updated)} updated")
        return ", ".join(parts)

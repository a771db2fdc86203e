"""Contact import: matching, merging instead of duplicating, counting, one transaction."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapport.core import circles, importers, people
from rapport.core.contact_formats.records import AddressRecord, ContactRecord, ParseResult
from rapport.core.contacts_import import (
    MERGE,
    NEW,
    SKIP,
    UPDATE,
    apply_import,
    import_parsed,
    plan_import,
)
from rapport.core.errors import BadInput, Cancelled
from rapport.core.progress import Progress
from rapport.core.undo import UndoLog
from rapport.store.models import Circle, Email, Link, Person, PersonCircle, Phone, Place

CONTACTS = Path(__file__).parent.parent / "fixtures" / "contacts"


FIXTURES_CALENDAR = Path(__file__).parents[1] / "fixtures" / "calendar"


def dump(db) -> dict[str, list[tuple]]:
    """Every row of every table, for 'the journal did not change' checks."""
    tables = [
        r[0]
        for r in db.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    ]
    return {t: db.execute_sql(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in tables}


def rec(line: int, name: str, **fields) -> ContactRecord:
    return ContactRecord(line=line, full_name=name, **fields)


def parsed(*records: ContactRecord, path: str = "contacts.vcf", kind: str = "vcard"):
    return [(path, ParseResult(kind, list(records), []))]


def counts(report) -> tuple[int, int, int, int]:
    return report.added, report.updated, report.merged, report.skipped


def names() -> list[str]:
    return sorted(p.name for p in Person.select())


# -- fixtures from real exports -----------------------------------------------------------


def test_linkedin_then_vcard_then_google_makes_no_duplicates(journal) -> None:
    first = importers.import_files([CONTACTS / "linkedin_Connections.csv"])[0]
    assert counts(first) == (19, 0, 0, 0)
    apple = importers.import_files([CONTACTS / "apple_contacts_3.0.vcf"])[0]
    # Okafor (by email) and Lefèvre and the markup name (by name) were on LinkedIn already.
    assert counts(apple) == (1, 3, 0, 0)
    google = importers.import_files([CONTACTS / "google_contacts.csv"])[0]
    assert google.added + google.updated + google.merged + google.skipped == 7
    everyone = names()
    assert len(everyone) == len(set(everyone)) == 19 + 1 + google.added
    okafor = people.find_person("Adaeze Okafor")
    assert {e.address for e in okafor.emails} >= {"adaeze.okafor@northwind.example.com"}
    assert okafor.how_we_met.startswith("Connected on LinkedIn")
    markup = Person.get(Person.name == "<b>Bold</b> <img src=x>")
    assert any("linkedin.com/in/bold-example" in link.url for link in markup.links)


def test_importing_the_same_files_again_changes_nothing(journal) -> None:
    paths = [
        CONTACTS / "linkedin_Connections.csv",
        CONTACTS / "apple_contacts_3.0.vcf",
        CONTACTS / "google_contacts.csv",
        CONTACTS / "google_contacts_3.0.vcf",
        CONTACTS / "android_2.1.vcf",
        CONTACTS / "vcard_4.0.vcf",
        CONTACTS / "outlook_contacts.csv",
    ]
    importers.import_files(paths)
    before = dump(journal.db)
    again = importers.import_files(paths)
    assert dump(journal.db) == before
    for report in again:
        records = report.added + report.updated + report.merged + report.skipped
        assert (report.added, report.updated, report.merged) == (0, 0, 0), report
        assert report.skipped == records > 0


def test_counts_add_up_to_the_records_of_each_file(journal) -> None:
    files = importers.read_files(
        sorted(
            p
            for p in CONTACTS.iterdir()
            if p.suffix in (".vcf", ".csv") and not p.name.startswith("broken")
        )
    )
    plan = plan_import([(f.path, f.result) for f in files])
    for f, report in zip(files, plan.reports(), strict=True):
        assert report.path == f.path and report.kind == f.kind
        total = report.added + report.updated + report.merged + report.skipped
        assert total == len(f.result.records)
        assert report.warnings[: len(f.result.warnings)] == f.result.warnings


# -- matching ------------------------------------------------------------------------------


def test_matches_by_email_case_insensitively(journal) -> None:
    pid, _ = people.create_person("Jane Doe", organization="Acme")
    people.add_email(pid, "Jane.Doe@Example.com")
    plan = plan_import(
        parsed(rec(3, "J. Doe", emails=[("work", "jane.doe@example.COM")], title="CTO"))
    )
    [r] = plan.records
    assert (r.action, r.person_id, r.adds) == (UPDATE, pid, ["title"])
    result = apply_import(plan)
    assert counts(result.files[0]) == (0, 1, 0, 0)
    assert Person.get_by_id(pid).title == "CTO"
    assert Person.select().count() == 1 and Email.select().count() == 1


def test_matches_by_linkedin_url_whatever_its_spelling(journal) -> None:
    pid, _ = people.create_person("Mathieu Lefevre")
    people.add_link(pid, "https://www.linkedin.com/in/mathieu-lefevre/")
    plan = plan_import(
        parsed(rec(1, "Matt L.", links=[("linkedin", "linkedin.com/in/Mathieu-Lefevre?trk=x")]))
    )
    assert plan.records[0].action == SKIP and plan.records[0].person_id == pid


def test_matches_by_normalised_name(journal) -> None:
    pid, _ = people.create_person("Dr. Zoë Ångström")
    plan = plan_import(parsed(rec(1, "angstrom, zoe", organization="Ångström Labs")))
    assert (plan.records[0].action, plan.records[0].person_id) == (UPDATE, pid)


def test_same_name_with_other_emails_is_a_different_person(journal) -> None:
    pid, _ = people.create_person("John Smith")
    people.add_email(pid, "john@one.example")
    plan = plan_import(parsed(rec(1, "John Smith", emails=[("", "john@two.example")])))
    [r] = plan.records
    assert r.action == NEW
    assert f"#{pid}" in r.reason and "other email" in r.reason


def test_same_name_with_another_linkedin_profile_is_a_different_person(journal) -> None:
    pid, _ = people.create_person("Mei Chen")
    people.add_link(pid, "https://www.linkedin.com/in/mei-chen-1")
    plan = plan_import(
        parsed(rec(1, "Mei Chen", links=[("linkedin", "https://www.linkedin.com/in/mei-chen-2")]))
    )
    assert plan.records[0].action == NEW


def test_a_name_shared_by_two_people_is_skipped_with_a_warning(journal) -> None:
    people.create_person("Alex Kim", organization="One")
    people.create_person("Alex Kim", organization="Two")
    plan = plan_import(parsed(rec(7, "Alex Kim", title="Chef")))
    [r] = plan.records
    assert r.action == SKIP and r.reason.startswith("ambiguous")
    assert any("line 7" in w and "Alex Kim" in w for w in plan.files[0].warnings)


def test_duplicates_within_one_import_are_merged(journal) -> None:
    plan = plan_import(
        parsed(
            rec(1, "Ana Souza", emails=[("", "ana@example.com")]),
            rec(9, "Ana Souza", phones=[("mobile", "+55 11 5555 0100")]),
            rec(20, "A. Souza", emails=[("home", "ANA@example.com")], organization="Example"),
            rec(30, "Ana Souza", emails=[("", "ana@example.com")]),
        )
    )
    assert [r.action for r in plan.records] == [NEW, MERGE, MERGE, SKIP]
    assert plan.records[1].into == 0 and "phone" in plan.records[1].adds[0]
    result = apply_import(plan)
    assert counts(result.files[0]) == (1, 0, 2, 1)
    ana = Person.get()
    assert (ana.name, ana.organization) == ("Ana Souza", "Example")
    assert [p.number for p in ana.phones] == ["+55 11 5555 0100"]
    assert [e.address for e in ana.emails] == ["ana@example.com"]


def test_a_later_record_matches_through_an_earlier_records_email(journal) -> None:
    pid, _ = people.create_person("Kwame Mensah")
    plan = plan_import(
        parsed(
            rec(1, "Kwame Mensah", emails=[("", "kwame@example.com")]),
            rec(5, "K. Mensah", emails=[("", "kwame@example.com")], title="Mentor"),
        )
    )
    assert [(r.action, r.person_id) for r in plan.records] == [(UPDATE, pid), (UPDATE, pid)]


def test_an_email_of_someone_else_is_not_moved(journal) -> None:
    a, _ = people.create_person("Ada")
    people.add_email(a, "shared@example.com")
    b, _ = people.create_person("Bea Example")
    people.add_link(b, "https://www.linkedin.com/in/bea")
    plan = plan_import(
        parsed(
            rec(
                4,
                "Bea Example",
                links=[("linkedin", "https://www.linkedin.com/in/bea")],
                emails=[("", "bea@example.com")],
            )
        )
    )
    assert plan.records[0].person_id == b
    plan = plan_import(
        parsed(rec(4, "Bea Example", links=[("linkedin", "https://www.linkedin.com/in/bea")]))
    )
    assert plan.records[0].action == SKIP
    # An email that matches Ada wins over the LinkedIn URL of Bea; Bea's URL stays Bea's.
    plan = plan_import(
        parsed(
            rec(
                6,
                "Ada",
                emails=[("", "shared@example.com")],
                links=[("linkedin", "https://www.linkedin.com/in/bea")],
            )
        )
    )
    assert plan.records[0].person_id == a
    assert any("already belongs to Bea Example" in w for w in plan.files[0].warnings)
    apply_import(plan)
    assert [link.person_id for link in Link.select()] == [b]


def test_a_record_without_a_name_is_skipped(journal) -> None:
    plan = plan_import(parsed(rec(2, "   ", emails=[("", "x@example.com")])))
    assert plan.records[0].action == SKIP and plan.records[0].reason == "no name"


# -- merging never overwrites --------------------------------------------------------------


def test_fills_empty_fields_keeps_the_rest_and_appends_only_new_notes(journal) -> None:
    pid, _ = people.create_person(
        "Sofía Márquez", organization="Mine", how_we_met="PyCon 2019", notes="Likes tapas."
    )
    record = rec(
        1,
        "Sofía Márquez",
        organization="Tapas Labs",
        title="Head of Sales",
        how_we_met="Connected on LinkedIn on 2020-01-01",
        notes="Likes tapas.",
        birthday="1988-11-02",
        phones=[("mobile", "+34 600 000 000")],
        addresses=[AddressRecord("work", "Calle de Alcalá 12", "Madrid", "", "28014", "Spain")],
    )
    apply_import(plan_import(parsed(record)))
    p = Person.get_by_id(pid)
    assert (p.organization, p.title, p.how_we_met) == ("Mine", "Head of Sales", "PyCon 2019")
    assert p.notes == "Likes tapas." and p.birthday == "1988-11-02"
    record.notes = "Prefers mornings."
    record.phones = [("work", "+34-600-000-000")]  # the same number, written differently
    apply_import(plan_import(parsed(record)))
    p = Person.get_by_id(pid)
    assert p.notes == "Likes tapas.\n\nPrefers mornings."
    assert Phone.select().count() == 1 and len(list(p.addresses)) == 1


def test_categories_become_circles_reusing_existing_ones_whatever_the_case(journal) -> None:
    friends, _ = circles.create_circle("Friends")
    result = apply_import(
        plan_import(
            parsed(
                rec(
                    1,
                    "Lena Fischer",
                    categories=["friends", "Work/Investors", " Work / Investors "],
                ),
                rec(2, "Hannah Lee", categories=["work/mentors"]),
            )
        )
    )
    assert result.changes.circles
    lena = people.find_person("Lena Fischer")
    paths = sorted(circles.circle_path(pc.circle_id) for pc in lena.circle_links)
    assert paths == ["Friends", "Work/Investors"]
    assert Circle.select().where(Circle.name == "Work").count() == 1
    assert circles.circle_path(people.find_person("Hannah Lee").circle_links[0].circle_id) == (
        "Work/mentors"
    )
    assert PersonCircle.select().where(PersonCircle.circle == friends).count() == 1


def test_each_city_is_resolved_once(journal, monkeypatch) -> None:
    from rapport.core import places

    calls: list[tuple[str, str, str]] = []

    def fake(city: str, region: str = "", country: str = "") -> int | None:
        calls.append((city, region, country))
        return None

    monkeypatch.setattr(places, "place_id_for", fake)
    records = [
        rec(i, f"Person {i}", city="Boston", region="MA", country="United States")
        for i in range(50)
    ]
    records += [rec(100 + i, f"Other {i}", city="Paris", country="France") for i in range(50)]
    result = apply_import(plan_import(parsed(*records)))
    assert result.files[0].added == 100
    assert sorted(calls) == [("Boston", "MA", "United States"), ("Paris", "", "France")]
    assert Person.select().where(Person.city == "Boston").count() == 50


def test_a_city_resolves_to_a_place(journal) -> None:
    apply_import(
        plan_import(
            parsed(rec(1, "Grace Okoye", city="Cambridge", region="MA", country="United States"))
        )
    )
    grace = people.find_person("Grace Okoye")
    assert grace.place_id is not None
    place = Place.get_by_id(grace.place_id)
    assert place.country == "US" and abs(place.lat - 42.37) < 0.2


# -- one transaction ----------------------------------------------------------------------


def test_cancelling_rolls_everything_back(journal) -> None:
    people.create_person("Already Here")
    before = dump(journal.db)
    plan = plan_import(
        parsed(
            *(
                rec(i, f"Someone {i}", emails=[("", f"s{i}@example.com")], categories=["Imported"])
                for i in range(2000)
            )
        )
    )
    seen: list[int] = []

    def cancel_midway(done: int, total: int, label: str) -> None:
        seen.append(done)
        if len(seen) == 5:
            progress.cancel()

    progress = Progress(cancel_midway)
    with pytest.raises(Cancelled):
        apply_import(plan, progress)
    assert dump(journal.db) == before
    # The same plan can still be applied afterwards.
    assert apply_import(plan).files[0].added == 2000


def test_a_stale_plan_is_made_again_inside_the_transaction(journal) -> None:
    plan = plan_import(parsed(rec(1, "Ingrid Berg", emails=[("", "ingrid@example.no")])))
    assert plan.records[0].action == NEW
    pid, _ = people.create_person("Ingrid Berg")  # the user adds her while the preview is open
    result = apply_import(plan)
    assert counts(result.files[0]) == (0, 1, 0, 0)
    assert Person.select().count() == 1 and Email.get().person_id == pid
    # Applying the same plan again sees that nothing is new.
    assert counts(apply_import(plan).files[0]) == (0, 0, 0, 1)


def test_an_import_is_one_undo_step(journal) -> None:
    pid, _ = people.create_person("Diego Santos")
    before = dump(journal.db)
    log = UndoLog(journal.db)
    plan = plan_import(
        parsed(
            rec(1, "Diego Santos", emails=[("", "diego@example.com")], categories=["LatAm"]),
            *(rec(i, f"New {i}", phones=[("", f"+1 555 {i:04d}")]) for i in range(2, 300)),
        )
    )
    with log.recording() as step:
        result = apply_import(plan)
    assert result.changes.people_added and pid in result.changes.people
    log.undo(step)
    after = dump(journal.db)
    after.pop("circle"), before.pop("circle")  # an emptied circle may stay; its rows differ
    assert {k: v for k, v in after.items() if k != "place"} == {
        k: v for k, v in before.items() if k != "place"
    }


def test_import_parsed_plans_and_writes_at_once(journal) -> None:
    result = import_parsed(parsed(rec(1, "Amara Nwosu"), rec(2, "Amara Nwosu")))
    assert counts(result.files[0]) == (1, 0, 0, 1)
    assert result.as_json() == {
        "files": [
            {
                "path": "contacts.vcf",
                "kind": "vcard",
                "added": 1,
                "updated": 0,
                "merged": 0,
                "skipped": 1,
                "warnings": [],
            }
        ]
    }


# -- reading files -------------------------------------------------------------------------


def test_files_are_recognised_by_content_not_name(journal, tmp_path) -> None:
    disguised = tmp_path / "contacts.txt"
    disguised.write_bytes((CONTACTS / "vcard_4.0.vcf").read_bytes())
    [f] = importers.read_files([disguised])
    assert (f.path, f.kind) == (str(disguised), "vcard")


def test_a_calendar_is_recognised_by_content_and_routed_to_the_calendar(journal, tmp_path) -> None:
    ics = tmp_path / "trips.txt"  # the name says nothing: the content decides
    ics.write_bytes((FIXTURES_CALENDAR / "gmail_flight.ics").read_bytes())
    (read,) = importers.read_files([ics])
    assert read.kind == "ics"
    assert importers.handler_for(read.kind, str(ics)).family == "calendar"


def test_one_bad_file_refuses_the_batch_before_writing(journal) -> None:
    before = dump(journal.db)
    with pytest.raises(BadInput) as err:
        importers.import_files(
            [CONTACTS / "linkedin_Connections.csv", CONTACTS / "broken_unterminated.vcf"]
        )
    assert err.value.path.endswith("broken_unterminated.vcf") and err.value.line is not None
    assert dump(journal.db) == before


def test_a_missing_file_is_bad_input(journal, tmp_path) -> None:
    with pytest.raises(BadInput) as err:
        importers.read_files([tmp_path / "nope.vcf"])
    assert "nope.vcf" in str(err.value)


def test_a_file_over_the_size_cap_is_refused_unread(journal, tmp_path) -> None:
    huge = tmp_path / "huge.vcf"
    with huge.open("wb") as f:
        f.write(b"BEGIN:VCARD\r\n")
        f.truncate(51 * 1024 * 1024)  # sparse: costs no disk
    with pytest.raises(BadInput, match=r"huge\.vcf: the file is 51 MB"):
        importers.read_files([huge])

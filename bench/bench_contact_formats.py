"""How long reading a 20,000-card vCard export takes, against vobject on a sample.

Run: ``python bench/bench_contact_formats.py [cards]``. The cards are shaped like an Apple
Contacts 3.0 export: item-grouped URLs and labels, X-SOCIALPROFILE, addresses, notes, and a
base64 PHOTO on one card in ten.
"""

from __future__ import annotations

import base64
import random
import sys
import time

from rapport.core.contact_formats.vcard import parse_vcards, write_vcards

GIVEN = ["Adaeze", "Mathieu", "Sofía", "Kwame", "Mei", "Jürgen", "Priya", "Liam", "山田", "Zoë"]
FAMILY = ["Okafor", "Lefèvre", "Márquez", "Mensah", "Chen", "Müller", "Raman", "O'Connor", "太郎"]
CITIES = [
    ("Boston", "MA", "United States"),
    ("Paris", "Île-de-France", "France"),
    ("Madrid", "", "Spain"),
    ("Accra", "", "Ghana"),
    ("東京都", "", "日本"),
]


def _fold(line: str) -> str:
    data = line.encode()
    out = [data[:75]]
    rest = data[75:]
    while rest:
        out.append(b" " + rest[:74])
        rest = rest[74:]
    return b"\r\n".join(out).decode("utf-8", errors="ignore")


def make_cards(count: int, seed: int = 7) -> bytes:
    """``count`` realistic vCard 3.0 cards (about 1 KB each, 10 % with a 6 KB photo)."""
    rnd = random.Random(seed)
    photo = base64.b64encode(rnd.randbytes(6000)).decode()
    cards = []
    for i in range(count):
        given, family = rnd.choice(GIVEN), rnd.choice(FAMILY)
        city, region, country = rnd.choice(CITIES)
        slug = f"{given}-{family}-{i}".lower().replace("'", "")
        lines = [
            "BEGIN:VCARD",
            "VERSION:3.0",
            "PRODID:-//Apple Inc.//macOS 14.5//EN",
            f"N:{family};{given};;;",
            f"FN:{given} {family}",
            f"ORG:Example Org {i % 500};Team {i % 7}",
            "TITLE:Engineer",
            f"EMAIL;type=INTERNET;type=WORK;type=pref:person{i}@example.com",
            f"EMAIL;type=INTERNET;type=HOME:p{i}@example.org",
            f"TEL;type=CELL;type=VOICE;type=pref:+1 617 555 {i % 10000:04d}",
            f"item1.ADR;type=WORK;type=pref:;;{i} Main St;{city};{region};02115;{country}",
            "item1.X-ABADR:us",
            f"item2.URL;type=pref:https\\://www.linkedin.com/in/{slug}/",
            "item2.X-ABLabel:LinkedIn",
            f"X-SOCIALPROFILE;type=twitter;x-user=user{i}:x-apple:user{i}",
            "BDAY;X-APPLE-OMIT-YEAR=1604:1604-07-19",
            _fold(
                "NOTE:Met at the Boston Data Summit\\, talked about sensor networks and "
                "an introduction to the logistics team.\\nFollow up in spring."
            ),
            "CATEGORIES:Conference,Boston",
        ]
        if i % 10 == 0:
            lines.append(_fold("PHOTO;ENCODING=b;TYPE=JPEG:" + photo))
        lines += [f"X-ABUID:{i:08X}-0000-0000-0000-000000000000:ABPerson", "END:VCARD"]
        cards.append("\r\n".join(lines) + "\r\n")
    return "".join(cards).encode("utf-8")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    data = make_cards(count)
    start, cpu = time.perf_counter(), time.process_time()
    result = parse_vcards(data, "bench.vcf")
    ours, ours_cpu = time.perf_counter() - start, time.process_time() - cpu
    assert len(result.records) == count, len(result.records)
    print(
        f"{count:,} vCards, {len(data) / 1e6:.1f} MB: parse_vcards {ours:.2f} s wall, "
        f"{ours_cpu:.2f} s CPU ({ours / count * 1e6:.0f} µs per card)"
    )

    start = time.perf_counter()
    text = write_vcards(result.records)
    print(f"write_vcards: {time.perf_counter() - start:.2f} s ({len(text) / 1e6:.1f} MB)")

    try:
        import vobject
    except ImportError:
        return
    sample_count = min(count, 2_000)
    sample = make_cards(sample_count).decode("utf-8")
    start = time.perf_counter()
    n = sum(1 for _ in vobject.readComponents(sample))
    theirs = (time.perf_counter() - start) / n * count
    print(
        f"vobject, extrapolated from {sample_count:,} cards: {theirs:.2f} s "
        f"→ ratio ours/vobject = {ours / theirs:.2f}"
    )


if __name__ == "__main__":
    main()

"""Profile links: two spellings of one profile share a key; services are recognised."""

from __future__ import annotations

import pytest

from rapport.core.links import classify_link, link_key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://www.linkedin.com/in/Jane-Doe/?trk=x", "linkedin.com/in/jane-doe"),
        ("@lena@mastodon.social", "https://mastodon.social/@Lena/"),
        ("https://www.example.com/blog/", "http://example.com/blog"),
    ],
)
def test_same_profile_same_key(a: str, b: str) -> None:
    assert link_key(a) == link_key(b)


def test_different_profiles_differ() -> None:
    assert link_key("https://linkedin.com/in/jane") != link_key("https://linkedin.com/in/john")
    assert link_key("@a@host.example") != link_key("@a@other.example")


@pytest.mark.parametrize(
    ("url", "service"),
    [
        ("https://www.linkedin.com/in/jane", "linkedin"),
        ("https://x.com/jane", "twitter"),
        ("@jane@hachyderm.io", "mastodon"),
        ("https://github.com/jane", "github"),
        ("https://jane.substack.com/", "blog"),
        ("https://jane.example", "website"),
    ],
)
def test_services(url: str, service: str) -> None:
    assert classify_link(url) == service

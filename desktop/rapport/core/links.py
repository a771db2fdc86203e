"""Profile links: which service a URL belongs to, and a key to match the same profile."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_SERVICES = (
    ("linkedin", re.compile(r"(^|\.)linkedin\.com$")),
    ("twitter", re.compile(r"(^|\.)(twitter|x)\.com$")),
    ("github", re.compile(r"(^|\.)github\.com$")),
)
_MASTODON_HANDLE = re.compile(r"^@?[\w.]+@[\w-]+(\.[\w-]+)+$")
_MASTODON_URL = re.compile(r"^/@[\w.]+/?$")


def classify_link(url: str) -> str:
    text = url.strip()
    if _MASTODON_HANDLE.match(text):
        return "mastodon"
    parts = urlsplit(text if "://" in text else f"https://{text}")
    host = (parts.hostname or "").lower()
    for service, pattern in _SERVICES:
        if pattern.search(host):
            return service
    if _MASTODON_URL.match(parts.path or ""):
        return "mastodon"
    if (
        "blog" in host
        or "/blog" in (parts.path or "")
        or host.endswith(("substack.com", "medium.com"))
    ):
        return "blog"
    return "website"


def link_key(url: str) -> str:
    """'https://www.linkedin.com/in/Jane-Doe/?trk=x' → 'linkedin.com/in/jane-doe'."""
    text = url.strip()
    if _MASTODON_HANDLE.match(text):
        return text.lstrip("@").lower()
    parts = urlsplit(text if "://" in text else f"https://{text}")
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    path = (parts.path or "").rstrip("/")
    return f"{host}{path.lower()}"

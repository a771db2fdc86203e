"""Profile links: which service a URL or handle belongs to, and a key to match the same profile.

Files label links loosely ("Profile", "_$!<HomePage>!$_", "Blog", nothing at all), so the host
decides when it is a known network and the file's label only breaks ties for plain websites.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

_MASTODON_HANDLE = re.compile(r"^@?([A-Za-z0-9_.]+)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)$")
_AT_PATH = re.compile(r"^/@[A-Za-z0-9_.]+/?$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_BARE_HOST = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/|$)")
_AUTHORITY = re.compile(r"([^/?#]*)([^?#]*)")

_TWITTER_HOSTS = {"twitter.com", "x.com"}
_BLOG_HOSTS = {"medium.com", "substack.com", "wordpress.com", "blogspot.com", "ghost.io"}
_BLOG_SUFFIXES = tuple("." + h for h in (*_BLOG_HOSTS, "tumblr.com", "hashnode.dev"))
# Networks outside Rapport's list; some use /@name paths that would otherwise look like Mastodon.
_OTHER_NETWORKS = {
    "facebook.com",
    "instagram.com",
    "youtube.com",
    "tiktok.com",
    "threads.net",
    "bsky.app",
    "xing.com",
    "pinterest.com",
    "t.me",
}
_HINTS = (
    ("linkedin", "linkedin"),
    ("twitter", "twitter"),
    ("mastodon", "mastodon"),
    ("fediverse", "mastodon"),
    ("github", "github"),
    ("blog", "blog"),
)


def _host_and_path(value: str) -> tuple[str, str] | None:
    """Host (lower-case, without www./m./mobile.) and path of a URL-ish string, or None."""
    text = value.strip()
    scheme = _SCHEME.match(text)
    if scheme:
        if scheme.group(0)[:-1].lower() not in ("http", "https"):
            return None
        rest = text[scheme.end() :]
        if not rest.startswith("//"):
            return None
        rest = rest[2:]
    elif _BARE_HOST.match(text):
        rest = text
    else:
        return None
    parts = _AUTHORITY.match(rest)
    if parts is None:  # pragma: no cover - the pattern matches every string
        return None
    host = parts.group(1).rpartition("@")[2]
    if host.startswith("["):
        return None  # an IPv6 literal is never a profile
    host = host.partition(":")[0].lower().rstrip(".")
    for prefix in ("www.", "m.", "mobile."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
            break
    if not host:
        return None
    return host, parts.group(2)


def _hint_service(hint: str) -> str:
    h = hint.strip().lower()
    if not h:
        return ""
    for needle, service in _HINTS:
        if needle in h:
            return service
    if h in ("x", "x.com"):
        return "twitter"
    if h in ("other", "_$!<other>!$_"):
        return "other"
    return ""


def classify_link(value: str, hint: str = "") -> str:
    """The service of a link: linkedin, twitter, mastodon, github, blog, website or other.

    ``hint`` is the file's label or type for the link ("LinkedIn", "blog", "twitter"); the
    URL's host wins when it is a known network, the hint decides for everything else.
    """
    text = value.strip()
    from_hint = _hint_service(hint)
    if _MASTODON_HANDLE.match(text) and (text.startswith("@") or from_hint == "mastodon"):
        return "mastodon"
    located = _host_and_path(text)
    if located is None:
        # A bare handle such as "@jane" or "jane": only the label can say where it lives.
        if from_hint:
            return from_hint
        return "twitter" if re.fullmatch(r"@[A-Za-z0-9_]{1,30}", text) else "other"
    host, path = located
    if host == "linkedin.com" or host.endswith(".linkedin.com") or host == "lnkd.in":
        return "linkedin"
    if host in _TWITTER_HOSTS:
        return "twitter"
    if host == "github.com" or host.endswith(".github.com"):
        return "github"
    if host in _BLOG_HOSTS or host.endswith(_BLOG_SUFFIXES):
        return "blog"
    if host in _OTHER_NETWORKS:
        return from_hint or "other"
    if _AT_PATH.match(path):
        return "mastodon"
    return from_hint or "website"


def normalise_linkedin_url(url: str) -> str | None:
    """The matching key of a LinkedIn URL, or None when ``url`` is not a LinkedIn page.

    ``https://www.linkedin.com/in/Jane-Doe-123/?trk=x`` → ``linkedin.com/in/jane-doe-123``:
    scheme, country subdomain, query, fragment and trailing slash go; the slug is
    percent-decoded and lower-cased, since LinkedIn treats slugs case-insensitively.
    """
    located = _host_and_path(url)
    if located is None:
        return None
    host, path = located
    if not (host == "linkedin.com" or host.endswith(".linkedin.com")):
        return None
    segments = [unquote(s).strip().lower() for s in path.split("/") if s.strip()]
    if not segments:
        return None
    if segments[0] in ("in", "company", "school", "showcase") and len(segments) >= 2:
        return f"linkedin.com/{segments[0]}/{segments[1]}"
    # Old public profiles: /pub/jane-doe/12/345/678 — every segment is part of the identity.
    return "linkedin.com/" + "/".join(segments)


def link_key(url: str) -> str:
    """The key under which two spellings of one profile meet.

    LinkedIn: its normalised URL; Mastodon: ``user@host`` for both ``@user@host`` and
    ``https://host/@user``; anything else: host and path, lower-cased, without scheme,
    ``www.``, query or trailing slash.
    """
    text = url.strip()
    linkedin = normalise_linkedin_url(text)
    if linkedin:
        return linkedin
    handle = _MASTODON_HANDLE.match(text)
    if handle:
        return f"{handle.group(1)}@{handle.group(2)}".lower()
    located = _host_and_path(text)
    if located is None:
        return text.lower()
    host, path = located
    if _AT_PATH.match(path):
        return f"{path.strip('/')[1:]}@{host}".lower()
    return f"{host}{path.rstrip('/')}".lower()

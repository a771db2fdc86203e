"""Fetching a subscribed calendar feed over HTTPS: bounded in time and size, polite with caches.

No database here: ``fetch`` returns the bytes (or "not modified") and ``FeedError`` carries
the one sentence the user reads when the network or the server fails. Private feed
addresses (TripIt, Google's secret iCal address) are credentials, so plain ``http://``
is refused except to this machine, where tests and local servers live.
"""

from __future__ import annotations

import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message

from rapport import __version__
from rapport.core.errors import BadInput, RapportError

TIMEOUT_SECONDS = 20.0  # per connection attempt and per read, and for the whole download
MAX_FEED_BYTES = 50 * 1024 * 1024  # the parser's own cap: a bigger feed would be refused anyway
_CHUNK = 64 * 1024
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


class FeedError(RapportError):
    """The feed could not be fetched; ``str()`` is the message stored in ``last_error``."""


@dataclass(frozen=True)
class Fetched:
    """A feed's answer: ``data`` is None when the server said it has not changed (304)."""

    data: bytes | None
    etag: str
    last_modified: str


def normalise_url(url: str) -> str:
    """The https:// address to fetch for what the user pasted; BadInput if it is no feed URL."""
    text = url.strip()
    parts = urllib.parse.urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme == "webcal" or scheme == "webcals":
        parts = parts._replace(scheme="https")
    elif scheme == "http":
        if (parts.hostname or "") not in _LOOPBACK:
            raise BadInput(
                f"{text}: use an https:// (or webcal://) address; a private calendar address "
                "sent over plain http can be read by anyone on the network"
            )
    elif scheme != "https":
        raise BadInput(
            f"{text}: not a calendar address (it should start with https:// or webcal://)"
        )
    if not parts.hostname:
        raise BadInput(f"{text}: the address has no host name")
    return urllib.parse.urlunsplit(parts)


def host_of(url: str) -> str:
    return urllib.parse.urlsplit(url).hostname or url


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    timeout: float = TIMEOUT_SECONDS,
    max_bytes: int | None = None,
) -> Fetched:
    """GET ``url`` with the cache validators we have; FeedError with a clear sentence if not."""
    headers = {
        "User-Agent": f"Rapport/{__version__} (calendar feed)",
        "Accept": "text/calendar, */*",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (scheme checked above)
    host = host_of(url)
    began = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            cap = MAX_FEED_BYTES if max_bytes is None else max_bytes
            data = _read_capped(response, host, cap, began, timeout)
            return Fetched(data, _header(response.headers, "ETag"), _last_modified(response))
    except urllib.error.HTTPError as err:
        if err.code == 304:
            return Fetched(None, _header(err.headers, "ETag") or etag, last_modified)
        reason = err.reason if isinstance(err.reason, str) else ""
        raise FeedError(f"{host} answered {err.code} {reason}".rstrip()) from None
    except urllib.error.URLError as err:
        raise FeedError(_network_message(host, err.reason, timeout)) from None
    except TimeoutError:
        raise FeedError(f"{host} did not answer within {timeout:g} seconds") from None
    except ssl.SSLError as err:
        raise FeedError(f"{host}: secure connection failed ({err.reason or err})") from None
    except (OSError, ValueError) as err:
        # http.client raises bare OSErrors and ValueErrors for broken answers.
        raise FeedError(f"{host}: the download failed ({err})") from None


def _read_capped(response: object, host: str, cap: int, began: float, timeout: float) -> bytes:
    length = _header(getattr(response, "headers", Message()), "Content-Length")
    if length.isdigit() and int(length) > cap:
        raise FeedError(f"{host}: the feed is larger than {_size(cap)}; not imported")
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = response.read(_CHUNK)  # type: ignore[attr-defined]
        if not chunk:
            break
        size += len(chunk)
        if size > cap:
            raise FeedError(f"{host}: the feed is larger than {_size(cap)}; not imported")
        chunks.append(chunk)
        # A server that trickles a byte at a time never trips the socket timeout.
        if time.monotonic() - began > timeout:
            raise FeedError(f"{host} took longer than {timeout:g} seconds to send the feed")
    return b"".join(chunks)


def _size(n: int) -> str:
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


def _header(headers: Message | None, name: str) -> str:
    if headers is None:
        return ""
    value = headers.get(name, "")
    return str(value).strip()[:500]


def _last_modified(response: object) -> str:
    return _header(getattr(response, "headers", None), "Last-Modified")


def _network_message(host: str, reason: object, timeout: float) -> str:
    if isinstance(reason, TimeoutError):
        return f"{host} did not answer within {timeout:g} seconds"
    if isinstance(reason, ConnectionRefusedError):
        return f"cannot connect to {host}: connection refused (is the computer offline?)"
    if isinstance(reason, socket.gaierror):
        return f"cannot find {host} (is the computer offline?)"
    if isinstance(reason, ssl.SSLError):
        return f"{host}: secure connection failed ({reason.reason or reason})"
    if isinstance(reason, OSError):
        return f"cannot reach {host}: {reason.strerror or reason} (is the computer offline?)"
    return f"cannot reach {host}: {reason}"

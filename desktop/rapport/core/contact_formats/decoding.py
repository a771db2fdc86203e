"""Turn the bytes of a contacts file into text: BOMs, UTF-16 exports, and a loud fallback.

Decoding is strict UTF-8 first. A file that is not UTF-8 (old Windows and phone exports) is
read as the charset it declares, else Windows-1252, else Latin-1 (which never fails), and the
result carries a warning so the user can check accented names.
"""

from __future__ import annotations

import codecs

from rapport.core.contact_formats.warning_log import WarningLog
from rapport.core.errors import BadInput

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_FALLBACK_NAMES = {"cp1252": "Windows-1252", "latin-1": "Latin-1"}


def sniff_encoding(data: bytes) -> tuple[str | None, int]:
    """The encoding a BOM or a UTF-16 byte pattern announces, and the BOM's length.

    ``(None, 0)`` means "no announcement": try UTF-8.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    head = data[:2000]
    if len(head) >= 4:
        # UTF-16 without a BOM (Excel's "Unicode text"): ASCII letters pair with NUL bytes.
        even_nuls = head[0::2].count(0)
        odd_nuls = head[1::2].count(0)
        half = len(head) // 2
        if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
            return "utf-16-le", 0
        if even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
            return "utf-16-be", 0
    return None, 0


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_head(data: bytes, limit: int = 65536) -> str:
    """A lenient decode of the start of a file, for detection only."""
    encoding, skip = sniff_encoding(data)
    chunk = data[skip : skip + limit]
    return chunk.decode(encoding or "utf-8", errors="replace")


def decode_text(data: bytes, log: WarningLog, declared: str | None = None) -> str:
    """Decode a whole file; ``declared`` is a charset the file names for itself (vCard CHARSET).

    Raises ``BadInput`` only for a file announcing UTF-16/32 that is not.
    """
    encoding, skip = sniff_encoding(data)
    if encoding is not None and encoding != "utf-8":
        try:
            return data[skip:].decode(encoding)
        except UnicodeDecodeError as exc:
            raise BadInput(
                f"the file looks like {encoding.upper()} but is not valid", log.path
            ) from exc
    body = data[skip:]
    try:
        return decode_in_pieces(body, "utf-8")
    except UnicodeDecodeError as exc:
        bad_line = body.count(b"\n", 0, exc.start) + 1
        first_error = exc
    candidates = []
    declared_codec = _codec(declared)
    if declared_codec and declared_codec != "utf-8":
        candidates.append(declared_codec)
    candidates += ["cp1252", "latin-1"]
    for name in candidates:
        try:
            text = body.decode(name)
        except UnicodeDecodeError:
            continue
        log.add(
            f"the file is not valid UTF-8 (first bad byte on line {bad_line}); "
            f"read it as {_FALLBACK_NAMES.get(name, name)} — check accented names",
        )
        return text
    raise AssertionError("latin-1 decodes every byte") from first_error  # pragma: no cover


def decode_in_pieces(data: bytes, encoding: str) -> str:
    """``data.decode(encoding)``, a megabyte at a time, so no single call holds the GIL for
    long while the window waits; a decoding error reports its position in the whole file."""
    if len(data) <= SPLIT_PIECE:
        return data.decode(encoding)
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    parts: list[str] = []
    view = memoryview(data)
    for start in range(0, len(data), SPLIT_PIECE):
        piece = view[start : start + SPLIT_PIECE]
        last = start + SPLIT_PIECE >= len(data)
        try:
            parts.append(decoder.decode(piece, final=last))
        except UnicodeDecodeError as exc:
            raise UnicodeDecodeError(
                exc.encoding, data, start + exc.start, start + exc.end, exc.reason
            ) from None
    return "".join(parts)


def count_in_pieces(text: str, needle: str) -> int:
    """``text.count(needle)`` for a one-character needle, a megabyte at a time."""
    return sum(
        text.count(needle, start, start + SPLIT_PIECE) for start in range(0, len(text), SPLIT_PIECE)
    )


def decode_bytes(raw: bytes, charset: str, log: WarningLog, line: int) -> str:
    """Decode one property's bytes (quoted-printable or base64) in its declared charset."""
    codec = _codec(charset) or "utf-8"
    try:
        return raw.decode(codec)
    except UnicodeDecodeError:
        pass
    for name in ("cp1252", "latin-1"):
        try:
            text = raw.decode(name)
        except UnicodeDecodeError:
            continue
        log.add(
            f"encoded text is not valid {(charset or 'utf-8').upper()}; "
            f"read it as {_FALLBACK_NAMES[name]} — check accented names",
            line,
        )
        return text
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


SPLIT_PIECE = 1 << 20  # characters split at a time: no single call holds the GIL for long


def split_lines(text: str) -> list[str]:
    """Split on CRLF, CR or LF only (``str.splitlines`` would also split on U+2028 and friends).

    A big file is split a megabyte at a time, each piece ending after a newline, so the
    window stays responsive while a 40 MB file is read on another thread.
    """
    if len(text) <= SPLIT_PIECE:
        return _split_piece(text)
    lines: list[str] = []
    start = 0
    while start < len(text):
        newline = text.find("\n", start + SPLIT_PIECE)
        end = len(text) if newline < 0 else newline + 1
        piece = _split_piece(text[start:end])
        if end < len(text):
            piece.pop()  # the piece ends with its newline: the empty tail is not a line
        lines.extend(piece)
        start = end
    return lines


def _split_piece(text: str) -> list[str]:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")

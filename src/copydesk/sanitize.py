"""What copydesk passes on must be safe to trust: a consumer may show a record's text, follow its
URLs or key a table by its id without checking them again; a dead letter may be read by anyone
who debugs the pipeline.

- URLs are http(s) with a host, never carry credentials, and an image never points into a
  private network (a consumer that fetches it would be a server-side request forgery).
- Control characters (all but tab and newline) and the bidirectional embedding, override and
  isolate characters, which make text display other than it reads, are removed from every text.
- Dead letters keep the failed message for replay, less the secrets it may carry (cookies,
  authorisation headers, tokens, URL credentials) and the paths of this installation.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

#: The characters no text of a record keeps: C0 controls but tab and newline, DEL, C1 controls,
#: and the bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]+")
#: What an id or a URL keeps none of: those, and tab and newline too.
_UNSAFE_IN_NAMES = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]+")
#: The same characters as orjson writes them in a JSON document: C0 controls escaped (``\b``,
#: ``\f``, ``\r`` or ``\u00XX``), the others as raw UTF-8 (which no other character's bytes
#: contain). An escaped backslash is matched, and kept, so that its second half is never taken
#: for the start of an escape.
_UNSAFE_JSON = re.compile(
    rb"(\\\\)|\\(?:[bfr]|u00(?:0[0-8bcef]|1[0-9a-f]))|\x7f|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]"
)
_HTTP = ("http", "https")


def strip_unsafe(text: str) -> str:
    """``text`` without control and bidi-override characters."""
    # Every character removed is unprintable, and most texts are printable throughout: that is
    # told by a loop in C, 100x faster than the regex's scan.
    return text if text.isprintable() else _UNSAFE.sub("", text)


def strip_controls(name: str) -> str:
    """An id or URL without control (tab and newline included) and bidi-override characters."""
    return _UNSAFE_IN_NAMES.sub("", name)


#: Each finds some of those characters, or a text that merely looks like an escape of one; each
#: opens on one literal byte, which the regex engine seeks fast, unlike the alternatives above.
_SUSPECTS = tuple(re.compile(p) for p in (rb"\\(?:[bfr]|u00[01])", rb"\xc2[\x80-\x9f]", rb"\xe2(?:\x80[\xaa-\xae]|\x81[\xa6-\xa9])"))


def strip_unsafe_json(document: bytes) -> bytes:
    """A JSON document written by orjson with those characters removed from every string in it."""
    if b"\x7f" not in document and not any(suspect.search(document) for suspect in _SUSPECTS):
        return document  # nearly every record: found so in a few microseconds
    return _UNSAFE_JSON.sub(rb"\1", document)


def http_url(url: str) -> str:
    """``url`` as an http(s) URL with a host and without credentials; empty when it is not one."""
    url = strip_controls(url).strip()
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return ""
    if parts.scheme.lower() not in _HTTP or not host:
        return ""
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def public_url(url: str) -> str:
    """``http_url(url)``, or empty when its host is this machine or a private network's."""
    url = http_url(url)
    host = urlsplit(url).hostname or ""
    return url if url and _public_host(host) else ""


def _public_host(host: str) -> bool:
    host = host.rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        try:
            # The legacy IPv4 forms browsers still accept: 127.1, 0x7f000001, 2130706433.
            address = ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return True  # a name: what it resolves to is the fetcher's to check
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


#: Names of fields and headers whose values are secrets; a dead letter shows them as redacted.
_SECRET_NAME = r"[^\"\\]*(?:auth|cookie|token|secret|passw|session|api[-_]?key|credential|signature)[^\"\\]*"
_JSON_STRING = r'"(?:[^"\\]|\\.)*"'
_SECRET_FIELD = re.compile(
    rf'("{_SECRET_NAME}"\s*:\s*)({_JSON_STRING}|\[\s*(?:{_JSON_STRING}\s*,?\s*)*\])', re.IGNORECASE
)
_URL_CREDENTIALS = re.compile(r"(\b[a-z][a-z0-9+.-]*://)[^/\s\"@]+@", re.IGNORECASE)
REDACTED = "[redacted]"


def redact_secrets(text: str) -> str:
    """A raw message's text with secret fields' values and URL credentials replaced; works on a
    message cut anywhere, which a parser would refuse."""
    text = _SECRET_FIELD.sub(rf'\1"{REDACTED}"', text)
    return _URL_CREDENTIALS.sub(rf"\1{REDACTED}@", text)


def _install_paths() -> tuple[tuple[str, str], ...]:
    """Directories of this installation, longest first, and what a dead letter says instead."""
    package = Path(__file__).resolve().parent
    places = {
        str(package.parent): "<copydesk>",
        sys.prefix: "<python>",
        sys.base_prefix: "<python>",
        sys.exec_prefix: "<python>",
        str(Path.home()): "~",
    }
    return tuple(sorted(((p, name) for p, name in places.items() if len(p) > 1), key=lambda item: -len(item[0])))


_PATHS = _install_paths()


def redact_paths(text: str) -> str:
    """``text`` (a traceback, an error message) without this installation's absolute paths."""
    for path, name in _PATHS:
        text = text.replace(path, name)
    return text

"""Page bytes to text: the byte-order mark, then the page's own charset declaration, then UTF-8,
then a statistical guess.

The order follows the HTML standard's encoding sniffing (BOM beats everything; a declaration in
the first bytes beats guessing), with two web realities: labels such as ``iso-8859-1`` mean
windows-1252 in browsers, and pages that declare nothing are UTF-8 far more often than not.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

#: The HTML standard looks for a declaration in the first 1024 bytes; real pages put long
#: comments and scripts first, so look a bit further.
_PRESCAN_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.I)
_XML_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.\-]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: Labels browsers decode as a superset encoding (the WHATWG Encoding Standard's aliases).
_BROWSER_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-sjis": "shift_jis",
    "shift-jis": "shift_jis",
    "x-user-defined": "cp1252",
    "windows-874": "cp874",
    "windows-31j": "cp932",
    "x-mac-cyrillic": "mac-cyrillic",
    "iso-8859-8-i": "iso8859-8",
}
#: The encodings of the web (the Encoding Standard's) as Python names them. Python knows many
#: codecs no browser honours (base64, rot13, punycode, unicode_escape, UTF-7, UTF-32...), some of
#: which cannot even decode bytes: a page that names one is read as if it named none.
_WEB_CODECS = frozenset(
    {
        "utf-8", "cp866", "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic", "cp874", "gbk", "gb18030", "gb2312",
        "big5", "big5hkscs", "euc_jp", "iso2022_jp", "shift_jis", "cp932", "euc_kr", "cp949", "tis-620",
        *(f"iso8859-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)),
        *(f"cp{n}" for n in range(1250, 1259)),
    }
)


def decode_html(data: bytes, declared: str = "") -> str:
    """The page's text. ``declared`` is a charset from outside the page (an HTTP header), used
    when the page carries no byte-order mark."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(name, errors="replace")
    for name in (declared, _declared_in_page(data[:_PRESCAN_BYTES])):
        codec = _codec(name)
        if codec:
            return data.decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    return str(best) if best is not None else data.decode("cp1252", errors="replace")


def _declared_in_page(head: bytes) -> str:
    match = _META_CHARSET.search(head) or _XML_DECLARATION.search(head)
    return match.group(1).decode("ascii", errors="ignore") if match else ""


def _codec(label: str) -> str:
    """The Python codec for a charset label, or "" when the label is unknown."""
    label = label.strip().lower()
    if not label:
        return ""
    label = _BROWSER_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return ""
    # A page that says UTF-16 in its own ASCII-compatible bytes cannot be UTF-16.
    if name.startswith("utf-16"):
        return "utf-8"
    return name if name in _WEB_CODECS else ""

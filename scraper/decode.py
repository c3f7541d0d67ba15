"""Turn the bytes of a fetched page into NFC text.

Order of trust: the HTTP ``Content-Type`` charset, then ``<meta charset>`` / ``http-equiv`` in the
first KBs, then detection on the first KBs. A declaration is overruled, with a warning, when the
bytes are valid UTF-8 but it says otherwise, or when it says UTF-8 and they are not. Detection:
UTF-8 if they are UTF-8, windows-1258 if the bytes read as Vietnamese in it, else
charset-normalizer's guess, else windows-1252 (an ASCII head followed by other bytes is detected
again where those bytes start). Whatever the source, the result is NFC: windows-1258 decodes to base
letters plus combining tone marks, and some sites serve NFD text even in UTF-8.

Legacy Vietnamese font encodings (TCVN3/ABC, VNI) are not charsets: the bytes decode "fine" into
mojibake such as "B¶o Th¾ng". They are detected and reported (``Decoded.legacy``), never converted.
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

log = logging.getLogger("thidua.scraper")

SNIFF_BYTES = 4096
DETECT_BYTES = 16384

# Combining marks of Latin scripts (the tone marks of NFD and cp1258 Vietnamese) and Hangul jamo.
_COMBINING = re.compile("[\u0300-\u036f\u1100-\u11ff\u1dc0-\u1dff\u20d0-\u20ff]")
_MODERN_VI = re.compile("[\u1ea0-\u1ef9]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)

# TCVN3 (ABC) puts Vietnamese letters on Latin-1 *symbol* code points: "®" is đ, "¸" is á, "µ" is à,
# "¶" is ả … Inside words ("®ua", "c¸c") they never occur in real text of any language.
_TCVN3_IN_WORD = re.compile(r"(?<=[A-Za-z])[¨©ª«¬\xad®¶·¸¹µ¾½¼»]|[¨©ª«¬\xad®¶·¸¹µ¾½¼»](?=[a-z])")
# VNI writes tone marks as separate Latin-1 letters after the vowel: "cuûa" (của), "vaø" (và).
_VNI_WORDS = re.compile(r"\b(?:cuûa|vaø|ñaõ|ñöôïc|ngöôøi|naêm|Vieät|thaønh|nhöõng|trong|coù|khoâng|ñeán)\b")
_VNI_SIGNATURE = frozenset(
    {"cuûa", "vaø", "ñaõ", "ñöôïc", "ngöôøi", "naêm", "Vieät", "thaønh", "nhöõng", "coù", "khoâng", "ñeán"}
)


@dataclass(frozen=True)
class Decoded:
    """A decoded page: NFC ``text``, the ``encoding`` used, where it came from, and any legacy font."""

    text: str
    encoding: str
    source: str  # "http", "meta", "bom" or "detected"
    legacy: str | None = None  # "tcvn3" or "vni" when the text looks like a legacy font encoding


def decode_html(data: bytes, headers: Mapping[str, str] | None = None) -> Decoded:
    """Decode page bytes to NFC text, trusting HTTP charset, then meta charset, then detection.

    ``headers`` is any mapping of HTTP headers (case-insensitive lookup of ``Content-Type``).
    Example: ``decode_html("Cụm thi đua".encode("cp1258"), {"content-type": "text/html;
    charset=windows-1258"}).text == "Cụm thi đua"``.
    """
    text, encoding, source = _decode(data, headers)
    text = nfc_fast(text)
    return Decoded(text=text, encoding=encoding, source=source, legacy=legacy_font(text))


def to_text(html: bytes | str, headers: Mapping[str, str] | None = None, *, nfc: bool = True) -> str:
    """Return the text of a page given as bytes (decoded as ``decode_html`` does) or as str.

    ``nfc=False`` skips normalising the whole page: the parser normalises each field it extracts,
    which is much cheaper than normalising half a megabyte of markup.
    """
    text = html if isinstance(html, str) else _decode(html, headers)[0]
    return nfc_fast(text) if nfc else text


def nfc_fast(text: str) -> str:
    """NFC-normalise, skipping the work when the text has no combining marks at all (the usual case)."""
    if _COMBINING.search(text) is None:
        return text
    return unicodedata.normalize("NFC", text)


def _decode(data: bytes, headers: Mapping[str, str] | None) -> tuple[str, str, str]:
    encoding, source = _declared_encoding(data, headers)
    if encoding is None:
        encoding, source = _detect(data)
    elif encoding != "utf-8" and _is_utf8(data):
        # Multi-byte UTF-8 sequences almost never happen by chance in a single-byte charset: a page
        # declared iso-8859-1 whose bytes are valid UTF-8 is UTF-8 (else it would be stored as mojibake).
        log.warning("page declares %s (%s) but its bytes are UTF-8: read as UTF-8", encoding, source)
        encoding, source = "utf-8", "detected"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding == "utf-8":
            # Not UTF-8 after all (an ASCII head said nothing, or a wrong declaration): detect again
            # where the first non-UTF-8 byte is, instead of storing U+FFFD for every letter.
            window = data[max(0, exc.start - 256) : exc.start + DETECT_BYTES]
            guessed = _guess_legacy(window)
            if source != "detected":
                log.warning("page declares UTF-8 (%s) but is not: read as %s", source, guessed)
            encoding, source = guessed, "detected"
        text = data.decode(encoding, errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, encoding, source


def _is_utf8(data: bytes) -> bool:
    """True when ``data`` has non-ASCII bytes and all of it decodes as UTF-8."""
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def legacy_font(text: str) -> str | None:
    """Return "tcvn3" or "vni" when text looks like a legacy Vietnamese font encoding, else None.

    ``legacy_font("B¸o c¸o cña ®¬n vÞ")`` → ``"tcvn3"``; ``legacy_font("Baùo caùo cuûa ñôn vò vaø …")``
    → ``"vni"``; Unicode Vietnamese, Portuguese or Korean text → ``None``.
    """
    sample = text[:20000]
    if _MODERN_VI.search(sample):
        return None  # precomposed Vietnamese letters: real Unicode text
    words = len(sample.split())
    if words < 5:
        return None
    if len(_TCVN3_IN_WORD.findall(sample)) >= max(3, words // 30):
        return "tcvn3"
    if len(set(_VNI_WORDS.findall(sample)) & _VNI_SIGNATURE) >= 2:
        return "vni"
    return None


def _canonical_codec(name: str) -> str | None:
    label = name.strip().strip("\"'").lower()
    # Browsers treat these labels as windows-1252 / the Vietnamese code page.
    aliases = {
        "iso-8859-1": "cp1252",
        "latin1": "cp1252",
        "latin-1": "cp1252",
        "us-ascii": "cp1252",
        "ascii": "cp1252",
        "windows-1258": "cp1258",
        "x-user-defined": "cp1252",
    }
    label = aliases.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _header(headers: Mapping[str, str] | None, name: str) -> str | None:
    if not headers:
        return None
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def _declared_encoding(data: bytes, headers: Mapping[str, str] | None) -> tuple[str | None, str]:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8", "bom"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "bom"
    content_type = _header(headers, "content-type")
    if content_type:
        match = _HEADER_CHARSET.search(content_type)
        if match:
            codec = _canonical_codec(match.group(1))
            if codec:
                return codec, "http"
    meta = _META_CHARSET.search(data[:SNIFF_BYTES])
    if meta:
        codec = _canonical_codec(meta.group(1).decode("ascii", "replace"))
        if codec:
            # A page that says utf-16 in ASCII bytes cannot be utf-16; browsers read it as utf-8.
            return ("utf-8" if codec.startswith("utf-16") else codec), "meta"
    return None, "none"


def _detect(data: bytes) -> tuple[str, str]:
    head = data[:DETECT_BYTES]
    try:
        head.decode("utf-8")
        return "utf-8", "detected"
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the sniff boundary is still UTF-8.
        if exc.start >= len(head) - 3 and len(data) > len(head):
            return "utf-8", "detected"
    return _guess_legacy(head), "detected"


_VI_LETTERS = re.compile("[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9]")


def _guess_legacy(window: bytes) -> str:
    """The single-byte charset of bytes that are not UTF-8: windows-1258 when they read as Vietnamese
    (charset-normalizer often ranks cp1250 first on short Vietnamese texts), else charset-normalizer's
    best guess, else windows-1252 as browsers do."""
    as_1258 = unicodedata.normalize("NFC", window.decode("cp1258", errors="replace"))
    non_ascii = sum(1 for ch in as_1258 if ord(ch) > 127)
    vietnamese = len(_VI_LETTERS.findall(as_1258))
    if vietnamese >= 5 and vietnamese >= 0.6 * non_ascii:
        return "cp1258"
    # Imported here, at the last resort: 26 modules, ~3.4 MB in the crawl and in every pool worker,
    # for the rare page that declares no charset, is not UTF-8 and does not read as windows-1258.
    import charset_normalizer

    best = charset_normalizer.from_bytes(window).best()
    codec = _canonical_codec(best.encoding) if best is not None and best.encoding else None
    return codec if codec and codec != "utf-8" else "cp1252"

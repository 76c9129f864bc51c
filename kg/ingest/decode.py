"""Decoding file bytes into the text every offset refers to.

:func:`decode_bytes` finds the encoding (a byte-order mark, else UTF-8, then
GB18030, or UTF-16 for a file with NUL bytes) and refuses a decode that gives
implausible text (:func:`implausible`) or a binary file; :func:`normalize_text`
makes the text ``Document.text`` holds. Both are pure: bytes or text in.

>>> normalize_text("第一行\\r\\n第二行\\u3000完")
'第一行\\n第二行 完'
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from kg.errors import InputError
from kg.text.unicode import xml_safe

__all__ = [
    "MAX_CONTROL_RATIO",
    "MAX_ODD_RATIO",
    "MIN_SCRIPT_RATIO",
    "decode_bytes",
    "implausible",
    "normalize_text",
]

MAX_ODD_RATIO = 0.05
"""Share of unassigned, private-use or surrogate code points above which a decode is refused."""

MIN_SCRIPT_RATIO = 0.7
"""Share of characters a weakly checked decode (UTF-16/32, GB18030) must have in the
scripts of news text (Chinese, Latin, kana, Hangul, punctuation, digits)."""

MAX_CONTROL_RATIO = 0.05
"""Share of control characters above which decoded text is called binary."""

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # category Cc except \t\n\v\f\r
_TRANSLATE = str.maketrans({"\u3000": " ", "\xa0": " ", "\r": "\n", "\v": "\n", "\f": "\n"})
_NEWS_SCRIPTS = (  # code point ranges of plausible news text
    (0x09, 0x0D), (0x20, 0x24F), (0x370, 0x4FF), (0x2000, 0x2BFF), (0x2E80, 0x9FFF),
    (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),
    (0x20000, 0x3FFFF),
)


def decode_bytes(data: bytes, path: str = "") -> tuple[str, str]:
    """Decode file bytes; return ``(text, encoding)`` with any BOM removed.

    A BOM (UTF-8, UTF-16 LE/BE, UTF-32) decides; otherwise UTF-8, then
    GB18030 (a superset of GBK and GB2312) are tried, and UTF-16 LE/BE for
    a file with NUL bytes (UTF-16 without a BOM). A decode is refused when
    the text is implausible (see :func:`implausible`): random bytes after a
    BOM give mostly unassigned or private-use characters, not Chinese. NUL
    bytes that decode to nothing plausible, or too many control
    characters, mean a binary file.

    >>> decode_bytes("光明日报".encode("gb18030"))
    ('光明日报', 'gb18030')
    >>> decode_bytes(b"\\xef\\xbb\\xbf" + "新华社".encode())
    ('新华社', 'utf-8-sig')
    >>> decode_bytes("新华社电\\n".encode("utf-16-le"))
    ('新华社电\\n', 'utf-16-le')
    >>> decode_bytes(b"PK\\x03\\x04\\x00\\x00", "a.zip")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: a.zip: binary file (contains NUL bytes); give a text, JSONL or HTML file
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_after_bom(data[len(bom) :], encoding, path), encoding
    return _decode_without_bom(data, path)


def _decode_after_bom(data: bytes, encoding: str, path: str) -> str:
    """``data``, what follows a byte-order mark of ``encoding``, decoded (or an InputError)."""
    try:
        text = data.decode(encoding.removesuffix("-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(
            f"starts with a {encoding} byte-order mark but is not valid {encoding} "
            f"(byte {exc.start}); re-save the file as UTF-8",
            path=path,
        ) from None
    _check_plausible(text, encoding, path, f"starts with a {encoding} byte-order mark "
                                           "but does not decode to text")
    _check_controls(text, path)
    return text


def _decode_without_bom(data: bytes, path: str) -> tuple[str, str]:
    """``data`` decoded with the first plausible of UTF-8, GB18030 (or UTF-16 with NULs)."""
    candidates = ["utf-16-le", "utf-16-be"] if b"\x00" in data else ["utf-8", "gb18030"]
    first_reason = ""
    for encoding in candidates:
        if encoding.startswith("utf-16") and len(data) % 2:
            continue
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        reason = implausible(text, strict=encoding == "utf-8")
        if reason is None and encoding.startswith("utf-16") and _CONTROLS.search(text):
            reason = "control characters"
        if reason is not None:
            first_reason = first_reason or f"as {encoding}: {reason}"
            continue
        _check_controls(text, path)
        return text, encoding
    if b"\x00" in data:
        raise InputError(
            "binary file (contains NUL bytes); give a text, JSONL or HTML file", path=path
        )
    if first_reason:
        raise InputError(f"does not decode to plausible text ({first_reason}); "
                         "convert the file to UTF-8", path=path)
    raise InputError(
        "cannot decode as UTF-8, UTF-16 or GB18030; convert the file to UTF-8", path=path
    )


def implausible(text: str, *, strict: bool = False) -> str | None:
    """Why ``text`` cannot be what a decode was meant to give, or None when it can.

    Too many unassigned (Cn), private-use (Co) or surrogate (Cs) code points
    always count; unless ``strict`` (UTF-8, whose validity is evidence
    enough), so does a text mostly outside the scripts of news.

    >>> implausible("新华社北京电") is None
    True
    >>> implausible("\\ue000\\ue001\\ue002甲")
    '3 of 4 characters are unassigned or private-use code points (first U+E000)'
    """
    # counted 64 k characters at a time: a list of every character of a
    # 27 MB JSONL file took ~600 MB
    total = odd = foreign = 0
    first_odd = first_foreign = ""
    category = unicodedata.category
    for at in range(0, len(text), 1 << 16):
        chars = [ch for ch in text[at:at + (1 << 16)] if not ch.isspace()]
        total += len(chars)
        found = [ch for ch in chars if category(ch) in ("Cn", "Co", "Cs")]
        odd += len(found)
        first_odd = first_odd or (found[0] if found else "")
        if not strict:
            found = [ch for ch in chars if not _in_news_scripts(ord(ch))]
            foreign += len(found)
            first_foreign = first_foreign or (found[0] if found else "")
    if not total:
        return None
    if odd > MAX_ODD_RATIO * total:
        return (f"{odd} of {total} characters are unassigned or private-use code "
                f"points (first U+{ord(first_odd):04X})")
    if strict:
        return None
    if foreign > (1 - MIN_SCRIPT_RATIO) * total:
        return (f"{foreign} of {total} characters are outside Chinese, Latin and "
                f"punctuation (first U+{ord(first_foreign):04X} "
                f"{unicodedata.name(first_foreign, '?')})")
    return None


def _in_news_scripts(cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in _NEWS_SCRIPTS)


def _check_plausible(text: str, encoding: str, path: str, what: str) -> None:
    reason = implausible(text, strict=encoding.startswith("utf-8"))
    if reason is not None:
        raise InputError(f"{what}: {reason}; convert the file to UTF-8", path=path)


def _check_controls(text: str, path: str) -> None:
    controls = len(_CONTROLS.findall(text))
    if controls and controls > MAX_CONTROL_RATIO * len(text):
        raise InputError(
            f"binary file ({controls} control characters in {len(text)}); "
            "give a text, JSONL or HTML file",
            path=path,
        )


def normalize_text(text: str) -> str:
    """The text every offset refers to: LF line ends, ordinary spaces, no BOM.

    CRLF becomes LF (the only change of length besides a leading BOM); a lone
    CR, a vertical tab or a form feed becomes LF; U+3000 (ideographic space)
    and U+00A0 (no-break space) become U+0020; every other character XML
    cannot hold (NUL and the other C0 controls, U+FFFE, U+FFFF) becomes
    U+FFFD, so every output syntax can carry the text. Every other character
    is kept as it is (format characters too: names drop them, the text
    keeps them, see :mod:`kg.text.unicode`).

    >>> normalize_text("\\ufeff标题\\r\\n\\r\\n正文\\r末行\\xa0")
    '标题\\n\\n正文\\n末行 '
    >>> normalize_text("甲\\x00乙\\f丙")
    '甲\\ufffd乙\\n丙'
    """
    text = text.removeprefix("\ufeff")
    return xml_safe(text.replace("\r\n", "\n").translate(_TRANSLATE))

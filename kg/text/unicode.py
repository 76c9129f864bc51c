"""Characters that must not reach a name, an IRI or an XML file.

Article text is kept as it was read (its offsets are what every mention
points into); these helpers clean what is *derived* from it:

* **format characters** (Unicode category Cf: zero-width spaces and joiners,
  bidi controls such as U+202E, soft hyphens) are invisible, so ``\\u200b习近平``
  looks like 习近平 but would be another name and another IRI.
  :func:`name_form` removes them from a name; :func:`without_format` gives
  the text without them and the offset of each kept character, so a
  recognizer can read clean text and its mentions still point into the
  original one.
* **XML-illegal characters** (C0 controls other than tab, LF and CR, and the
  noncharacters U+FFFE/U+FFFF) cannot be written in RDF/XML or GraphML at
  all, not even escaped; :func:`xml_safe` replaces each by U+FFFD, one for
  one, so offsets stay the same.
* **lone surrogates** (``"\\ud800"`` from a JSON escape) cannot be encoded
  as UTF-8; :func:`has_surrogates` finds them.

>>> name_form("\\u200b习\\u200d近平 ")
'习近平'
>>> without_format("国家主席\\u200b习近平")
('国家主席习近平', (0, 1, 2, 3, 5, 6, 7))
>>> xml_safe("甲\\x00乙")
'甲\\ufffd乙'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["has_surrogates", "name_form", "strip_format", "without_format", "xml_safe"]

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _format_class() -> re.Pattern[str]:
    """A regex class of every Cf character (they live in the BMP and three astral blocks)."""
    ranges = [range(0x10000), range(0x11000, 0x14000), range(0x1BC00, 0x1D200),
              range(0xE0000, 0xE0100)]
    chars = "".join(chr(c) for r in ranges for c in r if unicodedata.category(chr(c)) == "Cf")
    return re.compile("[" + re.escape(chars) + "]")


_FORMAT = _format_class()


def is_format(ch: str) -> bool:
    """Whether ``ch`` is a format character (category Cf).

    >>> is_format("\\u202e"), is_format("习")
    (True, False)
    """
    return unicodedata.category(ch) == "Cf"


def strip_format(text: str) -> str:
    """``text`` without its format characters (category Cf).

    >>> strip_format("\\u202e普京")
    '普京'
    """
    return _FORMAT.sub("", text)


def name_form(text: str) -> str:
    """The form of a name that labels, keys and IRIs use: no format characters,
    no surrounding whitespace.

    >>> name_form("\\u200f张三")
    '张三'
    """
    return strip_format(text).strip()


def without_format(text: str) -> tuple[str, tuple[int, ...]]:
    """``text`` without format characters, and the offset in ``text`` of each kept one.

    A span ``[s, e)`` of the clean text is ``[offsets[s], offsets[e - 1] + 1)``
    of the original (see :func:`original_span`).

    >>> without_format("甲\\u200d乙")
    ('甲乙', (0, 2))
    """
    if _FORMAT.search(text) is None:  # the usual case, at the regex engine's speed
        return text, tuple(range(len(text)))
    offsets = tuple(i for i, ch in enumerate(text) if unicodedata.category(ch) != "Cf")
    return "".join(text[i] for i in offsets), offsets


def original_span(offsets: tuple[int, ...], start: int, end: int) -> tuple[int, int]:
    """The span of the original text that clean ``[start, end)`` covers.

    >>> clean, offsets = without_format("\\u200b习\\u200d近平")
    >>> original_span(offsets, 0, 3)
    (1, 5)
    """
    if end <= start:
        at = offsets[start] if start < len(offsets) else (offsets[-1] + 1 if offsets else 0)
        return at, at
    return offsets[start], offsets[end - 1] + 1


def xml_safe(text: str) -> str:
    """``text`` with every character XML 1.0 cannot hold replaced by U+FFFD (same length).

    >>> xml_safe("标题\\x0b正文\\uffff")
    '标题\\ufffd正文\\ufffd'
    """
    return _XML_ILLEGAL.sub("\ufffd", text)


def has_surrogates(text: str) -> bool:
    """Whether ``text`` holds a lone surrogate (which UTF-8 cannot encode).

    >>> has_surrogates("正文\\ud800"), has_surrogates("正文")
    (True, False)
    """
    return _SURROGATE.search(text) is not None

"""Character classes of Chinese news text, each defined once.

>>> is_cjk("习"), is_cjk("A"), is_cjk("，")
(True, False, False)
>>> "。" in SENTENCE_END, "，" in SENTENCE_END, "，" in CLAUSE_END
(True, False, True)
"""

from __future__ import annotations

__all__ = ["CJK", "CLAUSE_END", "CLOSERS", "ELLIPSIS", "LINE_BREAKS", "SENTENCE_END",
           "SENTENCE_PUNCT", "is_cjk"]

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
"""The CJK ideographs (extension A, the unified block, compatibility ideographs),
written for a regex character class: ``f"[{CJK}]"``."""

SENTENCE_PUNCT = "。！？!?；;"
"""Punctuation that ends a sentence."""

SENTENCE_END = SENTENCE_PUNCT + "\n"
"""Where an evidence sentence ends: sentence punctuation or a line break."""

CLAUSE_END = SENTENCE_END + "，,：:"
"""Where a clause ends: a sentence end, a comma or a colon."""

ELLIPSIS = "…"

CLOSERS = "”’」』）)》"
"""Closing quotes and brackets that stay with the sentence they close."""

LINE_BREAKS = "\n\r\u2028\u2029"


def is_cjk(ch: str) -> bool:
    """True for one CJK ideograph (a character of :data:`CJK`)."""
    return "\u3400" <= ch <= "\u4dbf" or "\u4e00" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"

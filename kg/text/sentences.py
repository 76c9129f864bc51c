"""Sentences of an article's text, as exact ``(start, end)`` spans.

>>> t = "他说：“好。”双方同意。"
>>> [t[s:e] for s, e in sentences(t)]
['他说：“好。”', '双方同意。']
"""

from __future__ import annotations

import bisect

from kg.text.chars import CLOSERS, SENTENCE_END

__all__ = ["SentenceIndex", "sentences"]


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans; closing quotes stay with their sentence; blank spans are dropped.

    >>> sentences("第一句。\\n第二句")
    [(0, 4), (5, 8)]
    """
    spans = []
    start = 0
    i = 0
    while i < len(text):
        if text[i] in SENTENCE_END:
            end = i + 1
            while end < len(text) and text[end] in CLOSERS:
                end += 1
            if text[start:end].strip():
                spans.append((start, end))
            start = i = end
            continue
        i += 1
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


class SentenceIndex:
    """The sentences of a text, found by position in O(log n).

    >>> idx = SentenceIndex("他说：“好。”双方同意。")
    >>> idx.at(8), idx.at(99)
    ((7, 12), None)
    """

    def __init__(self, text: str) -> None:
        self.spans = sentences(text)
        self._starts = [s for s, _ in self.spans]

    def at(self, pos: int) -> tuple[int, int] | None:
        """The sentence that holds position ``pos``, or ``None`` (between sentences)."""
        i = bisect.bisect_right(self._starts, pos) - 1
        if i >= 0 and self.spans[i][0] <= pos < self.spans[i][1]:
            return self.spans[i]
        return None

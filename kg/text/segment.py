"""Word segmentation and POS tags: the only module that imports jieba.

jieba keeps global state, logs on first use and caches its prefix
dictionary in the shared temp directory, where another user could plant a
poisoned (marshal) cache. Here every :class:`Segmenter` owns a private
``jieba.Tokenizer`` and ``POSTokenizer``, the jieba logger is quiet, and the
cache lives in the user's own cache directory (mode 0700).

>>> [(t.start, t.word, t.pos) for t in tokens("国家主席习近平同俄罗斯总统普京通电话")][:3]
[(0, '国家', 'n'), (2, '主席', 'n'), (4, '习近平', 'nrfg')]
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import jieba
from platformdirs import user_cache_dir

if TYPE_CHECKING:
    import jieba.posseg

jieba.setLogLevel(logging.WARNING)  # jieba installs a DEBUG stderr handler on import


@dataclass(frozen=True, slots=True)
class Token:
    """A word with its part of speech and exact offsets.

    >>> Token(0, 2, "大连", "ns").end
    2
    """

    start: int
    end: int
    word: str
    pos: str


def cache_dir() -> str:
    """The private directory that holds jieba's prefix-dictionary cache.

    ``KG_CACHE_DIR`` overrides it (tests, read-only homes).
    """
    path = os.environ.get("KG_CACHE_DIR") or user_cache_dir("kg", appauthor=False)
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


class Segmenter:
    """A private jieba tokenizer with our own dictionary additions.

    ``words`` are ``(word, freq, pos)`` triples added to this instance only.

    >>> s = Segmenter([("劳模工作室联盟", 2000, "nt")])
    >>> [t.word for t in s.tokens("劳模工作室联盟成立")]
    ['劳模工作室联盟', '成立']
    """

    def __init__(self, words: Iterable[tuple[str, int, str]] = ()) -> None:
        self._tokenizer = jieba.Tokenizer()
        self._tokenizer.tmp_dir = cache_dir()
        self._words = tuple(words)
        self._pos: jieba.posseg.POSTokenizer | None = None
        self._initialized = False
        self._lock = threading.Lock()

    def _words_ready(self) -> jieba.Tokenizer:
        """The tokenizer with its prefix dictionary loaded (once per process)."""
        with self._lock:
            if not self._initialized:
                self._tokenizer.initialize()
                for word, freq, pos in self._words:
                    self._tokenizer.add_word(word, freq, pos)
                self._initialized = True
            return self._tokenizer

    def _ready(self) -> jieba.posseg.POSTokenizer:
        """The POS tagger, whose word-tag table (~1 s to load) only tagging needs."""
        tokenizer = self._words_ready()
        with self._lock:
            if self._pos is None:
                import jieba.posseg  # its HMM tables take ~0.5 s to import: only for tagging

                self._pos = jieba.posseg.POSTokenizer(tokenizer)
            return self._pos

    def tokens(self, text: str, hmm: bool = True) -> list[Token]:
        """Segment ``text`` into POS-tagged tokens with exact offsets."""
        out: list[Token] = []
        pos = 0
        for pair in self._ready().cut(text, HMM=hmm):
            word = pair.word
            out.append(Token(pos, pos + len(word), word, pair.flag))
            pos += len(word)
        return out

    def words(self, text: str) -> list[str]:
        """Plain segmentation (no POS), faster than :meth:`tokens`.

        >>> Segmenter().words("中华全国总工会")
        ['中华全国总工会']
        """
        return list(self._words_ready().cut(text, HMM=True))


@lru_cache(maxsize=1)
def default_segmenter() -> Segmenter:
    """The shared segmenter, built on first use (not on import)."""
    return Segmenter()


def tokens(text: str) -> list[Token]:
    """Segment with the default segmenter; see :meth:`Segmenter.tokens`."""
    return default_segmenter().tokens(text)

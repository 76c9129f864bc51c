"""What the NER network reads: normalized characters, bigrams, jieba words, lexicon flags
and (in files trained with ``--soft-lexicon``) soft-lexicon word vectors.

The same code serves training (``scripts/train_ner.py``) and inference
(:mod:`kg.recognize.ner.model`), so the two cannot drift apart.

>>> f = Featurizer(["<pad>", "<unk>", "北", "京"], ["<pad>", "<unk>", "北京"], ["<pad>", "<unk>"],
...                Lexicon({"北京": 1 << 1}))
>>> {k: v.tolist() for k, v in f.features(["北京"]).items() if k != "lex"}
{'char': [2, 3], 'bigram': [2, 1], 'word': [1, 1], 'seg': [1, 3]}
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import numpy as np

from kg.text.segment import Segmenter, default_segmenter

LEX_TYPES = ("PER", "LOC", "ORG", "NZ", "ABBR")
"""Lexicon entry classes from jieba; each character gets B/M/E flags for each."""
KG_LEX_TYPES = ("PLACE", "ORG_SUFFIX", "TITLE")
"""Classes a model may add from kg's own lexicons (gazetteer, suffixes, titles)."""
LEX_POS = {"nr": 0, "nrt": 0, "nrfg": 0, "ns": 1, "nt": 2, "nz": 3, "j": 4}
"""jieba dictionary tags mapped to :data:`LEX_TYPES` indices."""
PAD, UNK = 0, 1  # reserved ids in every vocabulary


def normalize_char(ch: str) -> str:
    """The character the vocabulary sees: NFKC (full-width to ASCII), digits to 0,
    control characters other than whitespace (U+0001 … of a damaged feed) and
    U+FFFD (what the reader puts for them and for undecodable bytes) to NUL,
    the end-of-text mark the model was trained with (see :meth:`Featurizer.features`),
    so a name before one ends there.

    >>> normalize_char("１"), normalize_char("Ａ"), normalize_char("中")
    ('0', 'A', '中')
    >>> normalize_char("\\x01"), normalize_char("\\ufffd"), normalize_char("\\n")
    ('\\x00', '\\x00', '\\n')
    """
    if ch == "\ufffd" or (unicodedata.category(ch) == "Cc" and not ch.isspace()):
        return "\0"
    norm = unicodedata.normalize("NFKC", ch)
    if len(norm) != 1:
        return ch
    return "0" if norm.isdigit() else norm


class _Normalizer(dict):
    """A ``str.translate`` table that fills itself on first sight of a char."""

    def __missing__(self, code: int) -> str:
        value = normalize_char(chr(code))
        self[code] = value
        return value


_NORMALIZER = _Normalizer()


def normalize(text: str) -> str:
    """Normalize every character; the result has the same length as ``text``."""
    return text.translate(_NORMALIZER)



_CODES = 0x110000
"""Unicode code points: a bigram's array key is ``first * _CODES + second``."""
_FEW_CHARS = 256
"""Texts up to this long get their char and bigram ids by dict lookups, longer ones by arrays."""
_FEW_WORDS = 32
"""Up to this many dictionary words in a text, flags are set one by one (no array set-up)."""
_SOFT_SHIFT = 16
"""A merged scan's value: lexicon class bits below this bit, soft-lexicon index + 1 above."""


def _trie(words: dict[str, int]) -> dict[str, int]:
    """One lookup per step of a scan: piece -> (value << 1) | (a longer word starts
    with it); prefixes that are no word have value 0. Values must be > 0.
    """
    trie = {w[:i]: 1 for w in words for i in range(1, len(w))}
    for w, value in words.items():
        trie[w] = value << 1 | trie.get(w, 0)
    return trie


def _scan(trie: dict[str, int], max_len: int, text: str) -> tuple[list[int], list[int], list[int]]:
    """Start, end and value of every word of ``trie`` (2+ chars) found in ``text``.

    >>> _scan(_trie({"北京": 5, "北京大学": 7}), 4, "在北京大学")
    ([1, 1], [3, 5], [5, 7])
    """
    starts, ends, values = [], [], []
    get = trie.get
    n = len(text)
    for i in range(n - 1):
        if not get(text[i]):
            continue
        for j in range(i + 2, min(n, i + max_len) + 1):
            entry = get(text[i:j], 0)
            if entry > 1:
                starts.append(i)
                ends.append(j)
                values.append(entry >> 1)
            if not entry & 1:
                break
    return starts, ends, values


class Lexicon:
    """Dictionary words with an entity class, matched as B/M/E flags per char.

    >>> lex = Lexicon({"北京": 1 << 1, "北京大学": 1 << 2})
    >>> [list(map(int, row.nonzero()[0])) for row in lex.flags("在北京大学")]
    [[], [3, 6], [5, 7], [7], [8]]
    """

    def __init__(self, words: dict[str, int], types: Sequence[str] = LEX_TYPES) -> None:
        self.types = tuple(types)
        self.width = 3 * len(self.types)
        self.words = words
        self._trie = _trie(words)
        self.max_len = max(map(len, words), default=0)

    def flags(self, text: str) -> np.ndarray:
        """An ``(len(text), width)`` uint8 array of B/M/E flags per class."""
        return self.flags_of(len(text), *_scan(self._trie, self.max_len, text))

    def flags_of(self, n: int, starts: Sequence[int], ends: Sequence[int],
                 masks: Sequence[int]) -> np.ndarray:
        """:meth:`flags` of a text of ``n`` chars whose words a scan has found
        (bits above the classes' are ignored: another lexicon's, :class:`Featurizer`).
        """
        out = np.zeros((n, self.width), dtype=np.uint8)
        if not masks:
            return out
        if len(masks) <= _FEW_WORDS:  # a sentence: set the flags directly
            ours = (1 << len(self.types)) - 1
            for a, b, bits in zip(starts, ends, masks, strict=True):
                if not bits & ours:
                    continue
                for k in range(len(self.types)):
                    if bits >> k & 1:
                        out[a, 3 * k] = 1
                        out[b - 1, 3 * k + 2] = 1
                        if b - a > 2:
                            out[a + 1 : b - 1, 3 * k + 1] = 1
            return out
        first, stop, bits = np.array(starts), np.array(ends), np.array(masks)
        for k in range(len(self.types)):
            sel = (bits >> k & 1).astype(bool)
            if not sel.any():
                continue
            a, b = first[sel], stop[sel]
            out[a, 3 * k] = 1
            out[b - 1, 3 * k + 2] = 1
            inner = b - a - 2  # characters strictly inside each word
            if inner.sum():
                base = np.repeat(a + 1, inner)
                step = np.arange(inner.sum()) - np.repeat(np.cumsum(inner) - inner, inner)
                out[base + step, 3 * k + 1] = 1
        return out


class SoftLexicon:
    """Word vectors of every dictionary word a character is part of ("SoftLexicon",
    Ma et al., ACL 2020): per character, the frequency-weighted sum of the vectors
    of the words that begin (B), continue (M) and end (E) at it, divided by the
    total weight of all three sets, side by side — no segmentation decision.

    ``vectors`` is ``(len(words), dim)`` (one vector a word: training, where
    the network projects each set itself) or ``(len(words), 3, dim)`` (one a
    set: an exported model, the projection already applied).

    >>> soft = SoftLexicon(["北京", "北京大学"], np.array([3.0, 1.0]),
    ...                    np.array([[1.0, 0.0], [0.0, 1.0]]))
    >>> soft.features("在北京大学").tolist()[1]  # B of 北京 (3) and of 北京大学 (1)
    [0.75, 0.25, 0.0, 0.0, 0.0, 0.0]
    >>> soft.features("在北京大学").tolist()[4]  # E of 北京大学 alone
    [0.0, 0.0, 0.0, 0.0, 0.0, 1.0]
    """

    def __init__(self, words: Sequence[str], weights: np.ndarray, vectors: np.ndarray) -> None:
        self.words = list(words)
        self._trie = _trie({w: i + 1 for i, w in enumerate(self.words)})
        self.max_len = max(map(len, self.words), default=0)
        self.weights = np.asarray(weights, dtype=np.float32)
        self._weight_list = self.weights.tolist()
        vectors = np.asarray(vectors, dtype=np.float32)
        self.vectors = vectors if vectors.ndim == 3 else vectors[:, None, :]
        self._rows = self.vectors.reshape(-1, self.vectors.shape[2])  # word * sets + set
        self.dim = vectors.shape[-1]
        self.width = 3 * self.dim

    def features(self, text: str) -> np.ndarray:
        """An ``(len(text), 3 * dim)`` float32 array: the B, M and E sums of each char."""
        return self.features_of(len(text), *_scan(self._trie, self.max_len, text))

    def found(self, text: str) -> list[int]:
        """Indices of the words in ``text``, once per occurrence.

        >>> SoftLexicon(["北京", "北京大学"], np.ones(2), np.zeros((2, 1))).found("在北京大学")
        [0, 1]
        """
        return [v - 1 for v in _scan(self._trie, self.max_len, text)[2]]

    def features_of(self, n: int, starts: Sequence[int], ends: Sequence[int],
                    values: Sequence[int], shift: int = 0) -> np.ndarray:
        """:meth:`features` of a text of ``n`` chars whose words a scan has found:
        ``values >> shift`` is a word's index + 1, or 0 for a word of another lexicon
        (one scan for two lexicons: :class:`Featurizer`).
        """
        if len(values) <= _FEW_WORDS:
            return self._few(n, starts, ends, values, shift)
        a, b, ids = np.array(starts), np.array(ends), np.array(values) >> shift
        found = ids > 0
        a, b, ids = a[found], b[found], ids[found] - 1
        m = len(ids)
        if not m:  # only the other lexicon's words
            return np.zeros((n, self.width), dtype=np.float32)
        inner = b - a - 2  # characters strictly inside each word
        every = np.arange(m)
        word = np.repeat(every, inner)
        pos = np.repeat(a + 1, inner) + np.arange(len(word)) - np.repeat(np.cumsum(inner) - inner,
                                                                        inner)
        # one entry per (character, set, word): B at the word's start, M inside, E at its end
        char = np.concatenate([a, pos, b - 1])
        match = np.concatenate([every, word, every])
        kind = np.repeat(np.arange(3), [m, len(word), m])
        weight = self.weights[ids[match]]
        vals = self.vectors[ids[match], kind if self.vectors.shape[1] == 3 else 0]
        target = char * 3 + kind
        out = _sum_rows(3 * n, target, vals * weight[:, None])
        total = np.bincount(char, weights=weight, minlength=n).astype(np.float32)
        touched = total > 0
        out = out.reshape(n, self.width)
        out[touched] /= total[touched, None]
        return out

    def _few(self, n: int, starts: Sequence[int], ends: Sequence[int],
             values: Sequence[int], shift: int) -> np.ndarray:
        """:meth:`features_of` for a sentence's few words: the entries listed in Python,
        normalized, and summed by one small product (a few numpy calls, not thirty).
        """
        weights, sets = self._weight_list, self.vectors.shape[1]
        rows, vecs, chars, weight = [], [], [], []
        for a, b, v in zip(starts, ends, values, strict=True):
            v >>= shift
            if not v:
                continue
            w, first = weights[v - 1], (v - 1) * sets
            for c, k in ((a, 0), *((c, 1) for c in range(a + 1, b - 1)), (b - 1, 2)):
                rows.append(3 * c + k)
                vecs.append(first + k if sets == 3 else first)
                chars.append(c)
                weight.append(w)
        if not rows:
            return np.zeros((n, self.width), dtype=np.float32)
        total = [0.0] * n
        for c, w in zip(chars, weight, strict=True):
            total[c] += w
        table = np.zeros((3 * n, len(rows)), dtype=np.float32)
        table[rows, range(len(rows))] = [w / total[c] for c, w in zip(chars, weight, strict=True)]
        return (table @ self._rows[vecs]).reshape(n, self.width)


def _sum_rows(n: int, at: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """An ``(n, dim)`` array whose row ``i`` is the sum of ``rows[at == i]``."""
    out = np.zeros((n, rows.shape[1]), dtype=np.float32)
    order = np.argsort(at, kind="stable")
    at = at[order]
    first = np.flatnonzero(np.r_[True, at[1:] != at[:-1]])
    out[at[first]] = np.add.reduceat(rows[order], first, axis=0)
    return out


class Featurizer:
    """Turns chunks of text into the id arrays the network reads.

    The same code serves training (``scripts/train_ner.py``) and inference,
    so the two cannot drift apart.
    """

    def __init__(
        self,
        chars: Sequence[str],
        bigrams: Sequence[str],
        words: Sequence[str],
        lexicon: Lexicon,
        segmenter: Segmenter | None = None,
        soft: SoftLexicon | None = None,
    ) -> None:
        self.char_ids = {c: i for i, c in enumerate(chars)}
        self.bigram_ids = {b: i for i, b in enumerate(bigrams)}
        # the same ids as arrays, for long texts: a table by code point (its last
        # slot UNK, for every code point beyond the vocabulary), and sorted keys
        # ``first * 0x110000 + second`` of the two-character bigrams
        singles = {c: i for c, i in self.char_ids.items() if len(c) == 1}
        table = np.full(max(map(ord, singles), default=0) + 2, UNK, dtype=np.int32)
        for c, i in singles.items():
            table[ord(c)] = i
        self._char_table = table
        pairs = {ord(b[0]) * _CODES + ord(b[1]): i for b, i in self.bigram_ids.items()
                 if len(b) == 2}
        keys = np.array(sorted(pairs), dtype=np.int64)
        self._bigram_keys = keys
        self._bigram_vals = np.array([pairs[k] for k in keys.tolist()], dtype=np.int64)
        self.word_ids = {w: i for i, w in enumerate(words)}
        self.lexicon = lexicon
        # No word vocabulary: a model without jieba-word features; never segment.
        self.uses_words = bool(words)
        self.segmenter = (segmenter or default_segmenter()) if self.uses_words else None
        self.soft = soft
        # With a soft lexicon, one scan finds the words of both: a word's value has
        # its lexicon class bits below _SOFT_SHIFT and its soft-lexicon index + 1 above.
        self._both: tuple[dict[str, int], int] | None = None
        if soft is not None:
            merged = dict(lexicon.words)
            for i, w in enumerate(soft.words, start=1):
                merged[w] = merged.get(w, 0) | i << _SOFT_SHIFT
            self._both = (_trie(merged), max(lexicon.max_len, soft.max_len))

    def features(self, chunks: Sequence[str]) -> dict[str, np.ndarray]:
        """Feature arrays for the chunks laid end to end (``len`` = total chars).

        ``word`` and ``seg`` are left out when the featurizer has no word vocabulary,
        ``soft`` when it has no :class:`SoftLexicon`.
        """
        word: list[int] = []
        seg: list[int] = []
        wget = self.word_ids.get
        for chunk in chunks if self.uses_words else ():
            for piece in self._words(chunk):
                wid = wget(normalize(piece), UNK)
                word.extend([wid] * len(piece))
                seg.extend([4] if len(piece) == 1 else [1, *[2] * (len(piece) - 2), 3])
        # One pass over all chunks joined by NUL: no bigram or lexicon word spans
        # a NUL, so this equals chunk-by-chunk work (a chunk's last bigram is
        # "x\0" either way) at a fraction of the per-call cost.
        joined = normalize("\0".join(chunks)) + "\0"
        keep = np.ones(len(joined) - 1, dtype=bool)
        keep[np.cumsum([len(c) + 1 for c in chunks[:-1]], dtype=np.int64) - 1] = False
        if len(joined) > _FEW_CHARS:
            char, bigram = self._ids(joined)
        else:  # a sentence: dict lookups cost less than setting up arrays
            cget, bget = self.char_ids.get, self.bigram_ids.get
            char = np.array([cget(c, UNK) for c in joined[:-1]], dtype=np.int64)
            bigram = np.array([bget(joined[i : i + 2], UNK) for i in range(len(joined) - 1)],
                              dtype=np.int64)
        out = {"char": char[keep], "bigram": bigram[keep]}
        if self.uses_words:
            out["word"] = np.asarray(word, dtype=np.int64)
            out["seg"] = np.asarray(seg, dtype=np.int64)
        text = joined[:-1]
        if self._both is None or self.soft is None:
            out["lex"] = self.lexicon.flags(text)[keep]
            return out
        found = _scan(*self._both, text)  # the lexicon reads the low bits only
        out["lex"] = self.lexicon.flags_of(len(text), *found)[keep]
        out["soft"] = self.soft.features_of(len(text), *found, shift=_SOFT_SHIFT)[keep]
        return out

    def _ids(self, joined: str) -> tuple[np.ndarray, np.ndarray]:
        """Char and next-bigram ids of every char of ``joined`` but its final NUL, as arrays.

        >>> f = Featurizer(["<pad>", "<unk>", "北", "京"], ["<pad>", "<unk>", "北京", "京\\0"],
        ...                [], Lexicon({}))
        >>> [a.tolist() for a in f._ids("北京市\\0")]
        [[2, 3, 1], [2, 1, 1]]
        """
        codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"),  # lone surrogates: UNK
                              dtype=np.uint32).astype(np.int64)
        table = self._char_table
        char = table[np.minimum(codes[:-1], len(table) - 1)].astype(np.int64)
        keys, vals = self._bigram_keys, self._bigram_vals
        wanted = codes[:-1] * _CODES + codes[1:]
        if not len(keys):
            return char, np.full(len(wanted), UNK, dtype=np.int64)
        at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
        return char, np.where(keys[at] == wanted, vals[at], UNK)

    def _words(self, chunk: str) -> list[str]:
        assert self.segmenter is not None
        words = self.segmenter.words(chunk)
        if sum(map(len, words)) != len(chunk):  # never trust a tokenizer with offsets
            return list(chunk)
        return words


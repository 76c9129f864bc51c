"""The shipped Chinese NER model: PER, ORG and LOC spans, in pure numpy.

A dilated CNN over character, character-bigram, jieba-word and lexicon
features, with a CRF on top, trained on MSRA (``scripts/train_ner.py``).
The weights live in ``kg/resources/ner/ner.npz``; torch is never needed.
Long texts are cut into short sentence chunks; offsets stay exact.

>>> model = load_model()
>>> [(m.text, m.type) for m in model.predict(["国家主席习近平同俄罗斯总统普京通电话"])[0]]
[('习近平', 'PER'), ('俄罗斯', 'LOC'), ('普京', 'PER')]
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from importlib import resources

import numpy as np

from .errors import KGError
from .model import Mention
from .segment import Segmenter

TYPES = ("PER", "LOC", "ORG")
TAGS = ("O", *(f"{p}-{t}" for t in TYPES for p in "BMES"))
"""The BMES tag set, in the order of the model's output columns."""

LEX_TYPES = ("PER", "LOC", "ORG", "NZ", "ABBR")
"""Lexicon entry classes from jieba; each character gets B/M/E flags for each."""
KG_LEX_TYPES = ("PLACE", "ORG_SUFFIX", "TITLE")
"""Classes a model may add from kg's own lexicons (gazetteer, suffixes, titles)."""
LEX_POS = {"nr": 0, "nrt": 0, "nrfg": 0, "ns": 1, "nt": 2, "nz": 3, "j": 4}
"""jieba dictionary tags mapped to :data:`LEX_TYPES` indices."""
N_LEX = 3 * len(LEX_TYPES)
MAX_CHUNK = 100  # MSRA sentences are at most 100 characters long
PAD, UNK = 0, 1  # reserved ids in every vocabulary
_CHUNK_END = re.compile(r"[。！？!?；;…\n\r\u2028\u2029]+[”’』」）)]*")
_SOFT_BREAK = "，,、：:　 \t"


def normalize_char(ch: str) -> str:
    """The character the vocabulary sees: NFKC (full-width to ASCII), digits to 0.

    >>> normalize_char("１"), normalize_char("Ａ"), normalize_char("中")
    ('0', 'A', '中')
    """
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


def chunk_spans(text: str, limit: int = MAX_CHUNK) -> Iterator[tuple[int, int]]:
    """Cut ``text`` into ``(start, end)`` pieces of at most ``limit`` characters.

    Cuts after sentence-final punctuation, then (for long sentences) after a
    comma, else hard. Pieces of only whitespace are skipped.

    >>> list(chunk_spans("你好。再见！"))
    [(0, 3), (3, 6)]
    """
    start = 0
    for match in _CHUNK_END.finditer(text):
        yield from _split_long(text, start, match.end(), limit)
        start = match.end()
    yield from _split_long(text, start, len(text), limit)


def _split_long(text: str, start: int, end: int, limit: int) -> Iterator[tuple[int, int]]:
    while start < end:
        stop = min(end, start + limit)
        if stop < end:  # prefer a soft break in the second half of the window
            for i in range(stop - 1, start + limit // 2, -1):
                if text[i] in _SOFT_BREAK:
                    stop = i + 1
                    break
        if not text[start:stop].isspace():
            yield start, stop
        start = stop


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
        self.prefixes = {w[:i] for w in words for i in range(1, len(w))}
        self.max_len = max(map(len, words), default=0)

    def flags(self, text: str) -> np.ndarray:
        """An ``(len(text), width)`` uint8 array of B/M/E flags per class."""
        starts, ends, masks = [], [], []
        words, prefixes, max_len = self.words, self.prefixes, self.max_len
        n = len(text)
        for i in range(n - 1):
            if text[i] not in prefixes:
                continue
            for j in range(i + 2, min(n, i + max_len) + 1):
                piece = text[i:j]
                mask = words.get(piece)
                if mask:
                    starts.append(i)
                    ends.append(j)
                    masks.append(mask)
                if piece not in prefixes:
                    break
        out = np.zeros((n, self.width), dtype=np.uint8)
        if not masks:
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
    ) -> None:
        self.char_ids = {c: i for i, c in enumerate(chars)}
        self.bigram_ids = {b: i for i, b in enumerate(bigrams)}
        self.word_ids = {w: i for i, w in enumerate(words)}
        self.lexicon = lexicon
        self.segmenter = segmenter or Segmenter()

    def features(self, chunks: Sequence[str]) -> dict[str, np.ndarray]:
        """Feature arrays for the chunks laid end to end (``len`` = total chars)."""
        word: list[int] = []
        seg: list[int] = []
        wget = self.word_ids.get
        for chunk in chunks:
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
        cget, bget = self.char_ids.get, self.bigram_ids.get
        char = np.array([cget(c, UNK) for c in joined[:-1]], dtype=np.int64)
        bigram = np.array([bget(joined[i : i + 2], UNK) for i in range(len(joined) - 1)],
                          dtype=np.int64)
        return {
            "char": char[keep],
            "bigram": bigram[keep],
            "word": np.asarray(word, dtype=np.int64),
            "seg": np.asarray(seg, dtype=np.int64),
            "lex": self.lexicon.flags(joined[:-1])[keep],
        }

    def _words(self, chunk: str) -> list[str]:
        words = self.segmenter.words(chunk)
        if sum(map(len, words)) != len(chunk):  # never trust a tokenizer with offsets
            return list(chunk)
        return words


def spans_of_tags(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """``(start, end, type)`` spans of a BMES/BIO/BIOES tag sequence.

    A span starts at ``B``/``S`` (or an ``I``/``M``/``E`` that does not
    continue one) and ends at ``E``/``S`` or where the next tag does not
    continue it.

    >>> spans_of_tags(["B-PER", "E-PER", "O", "S-LOC", "B-ORG", "I-ORG"])
    [(0, 2, 'PER'), (3, 4, 'LOC'), (4, 6, 'ORG')]
    """
    spans: list[tuple[int, int, str]] = []
    start, kind = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, typ = tag.partition("-")
        inside = prefix in ("I", "M", "E") and typ == kind and start >= 0
        if start >= 0 and not inside:
            spans.append((start, i, kind))
            start = -1
        if prefix in ("B", "S") or (prefix in ("I", "M", "E") and not inside):
            start, kind = i, typ
        if prefix in ("E", "S") and start >= 0:
            spans.append((start, i + 1, kind))
            start = -1
    return spans


class NerModel:
    """The network and its vocabularies; :meth:`predict` finds mentions.

    Thread-safe: the network holds no state between calls.
    """

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        words, masks = arrays["lex_words"].tolist(), arrays["lex_masks"].tolist()
        lex_words = dict(zip(words, masks, strict=True))
        # numpy string arrays drop trailing NULs: a chunk's last bigram "x\0" comes back as "x"
        bigrams = [b + "\0" if len(b) == 1 else b for b in arrays["bigrams"].tolist()]
        self.featurizer = Featurizer(
            arrays["chars"].tolist(),
            bigrams,
            arrays["words"].tolist(),
            Lexicon(lex_words, arrays["lex_types"].tolist() if "lex_types" in arrays
                    else LEX_TYPES),
        )
        f32 = {k: v.astype(np.float32) for k, v in arrays.items() if v.dtype.kind == "f"}
        self.emb = [f32["emb_char"], f32["emb_bigram"], f32["emb_word"], f32["emb_seg"]]
        self.convs = []  # (weights (k, cin, cout), bias, dilation, residual)
        for i in range(int(arrays["n_convs"])):
            self.convs.append((f32[f"conv{i}_w"], f32[f"conv{i}_b"], int(arrays["dilations"][i])))
        self.out_w, self.out_b = f32["out_w"], f32["out_b"]
        self.trans, self.start, self.end = self.constrain(f32["trans"], f32["start"], f32["end"])
        self.pad = max(d for _, _, d in self.convs)
        # Fold the char and seg embeddings into the first convolution: their
        # part of it becomes a table lookup per kernel tap (a few MB), not a
        # matrix product over every character. Bigram/word/lexicon columns stay.
        w0 = self.convs[0][0]
        n_char, n_seg = self.emb[0].shape[1], self.emb[3].shape[1]
        n_lex = self.featurizer.lexicon.width
        seg_cols = slice(w0.shape[1] - n_lex - n_seg, w0.shape[1] - n_lex)
        self.fold_char = np.stack([self.emb[0] @ w0[k, :n_char] for k in range(3)])
        self.fold_seg = np.stack([self.emb[3] @ w0[k, seg_cols] for k in range(3)])
        keep = np.r_[n_char : seg_cols.start, seg_cols.stop : w0.shape[1]]
        self.conv0_rest = np.ascontiguousarray(w0[:, keep])

    @staticmethod
    def constrain(
        trans: np.ndarray, start: np.ndarray, end: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """CRF scores with ill-formed BMES moves made impossible."""
        trans, start, end = trans.copy(), start.copy(), end.copy()
        trans[~_allowed_transitions()] = -1e4
        start[[i for i, t in enumerate(TAGS) if t[0] in "ME"]] = -1e4
        end[[i for i, t in enumerate(TAGS) if t[0] in "BM"]] = -1e4
        return trans, start, end

    def predict(self, texts: Sequence[str], batch_chars: int = 16384) -> list[list[Mention]]:
        """Mentions in each text, in order of their offsets.

        Batches are pipelined: while the network (numpy, which releases the
        GIL) decodes one batch in a worker thread, the next batch's features
        (jieba, Python) are computed here.

        >>> load_model().predict(["", "😀"])
        [[], []]
        """
        batches: list[list[tuple[int, int, int]]] = [[]]  # (text index, start, end)
        size = 0
        for t, text in enumerate(texts):
            for s, e in chunk_spans(text):
                if size + e - s > batch_chars and batches[-1]:
                    batches.append([])
                    size = 0
                batches[-1].append((t, s, e))
                size += e - s
        results: list[list[Mention]] = [[] for _ in texts]
        if len(batches) == 1:
            self._decode(texts, batches[0], self._prepare(texts, batches[0]), results)
            return results
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending = None
            for batch in batches:
                prepared = self._prepare(texts, batch)
                if pending is not None:
                    pending.result()
                pending = pool.submit(self._decode, texts, batch, prepared, results)
            assert pending is not None
            pending.result()
        return results

    def _prepare(
        self, texts: Sequence[str], batch: list[tuple[int, int, int]]
    ) -> tuple[list[str], dict[str, np.ndarray]]:
        pieces = [texts[t][s:e] for t, s, e in batch]
        return pieces, self.featurizer.features(pieces)

    def _decode(
        self,
        texts: Sequence[str],
        batch: list[tuple[int, int, int]],
        prepared: tuple[list[str], dict[str, np.ndarray]],
        out: list[list[Mention]],
    ) -> None:
        pieces, feats = prepared
        if not pieces:
            return
        lengths = np.array([len(p) for p in pieces])
        emissions = self._network(feats, lengths.tolist())
        tags = viterbi(emissions, lengths, self.trans, self.start, self.end)
        offset = 0
        for (t, s, _), piece, n in zip(batch, pieces, lengths, strict=True):
            row = tags[offset : offset + n]
            for a, b, typ in spans_of_tags([TAGS[i] for i in row]):
                a, b = _trim_space(piece, a, b)  # MSRA has no spaces: 记者 农冠斌
                if a == b:
                    continue
                probs = _softmax(emissions[offset + a : offset + b])
                score = float(probs[np.arange(b - a), row[a:b]].mean())
                out[t].append(Mention(s + a, s + b, piece[a:b], typ, score=round(score, 4),
                                      recognizer="model"))
            offset += n

    def emissions(self, pieces: Sequence[str]) -> np.ndarray:
        """Tag scores ``(total chars, len(TAGS))`` for the pieces laid end to end."""
        return self._network(self.featurizer.features(pieces), [len(p) for p in pieces])

    def _network(self, feats: dict[str, np.ndarray], lengths: list[int]) -> np.ndarray:
        """Tag scores ``(total chars, len(TAGS))`` for the pieces laid end to end.

        Pieces sit in one long array with ``pad`` zero rows between them, so
        each convolution is three large matrix products; gap rows are zeroed
        after every layer, which is exactly the zero padding of training.
        """
        pad = self.pad
        starts = np.cumsum([0, *[n + pad for n in lengths]])[:-1] + pad
        rows = np.concatenate([np.arange(s, s + n) for s, n in zip(starts, lengths, strict=True)])
        total = int(starts[-1] + lengths[-1] + pad)
        is_gap = np.ones(total, dtype=bool)
        is_gap[rows] = False
        gaps = np.flatnonzero(is_gap)
        x = np.zeros((total, self.conv0_rest.shape[1]), dtype=np.float32)
        n_bigram, n_word = self.emb[1].shape[1], self.emb[2].shape[1]
        x[rows, :n_bigram] = self.emb[1][feats["bigram"]]
        x[rows, n_bigram : n_bigram + n_word] = self.emb[2][feats["word"]]
        x[rows, n_bigram + n_word :] = feats["lex"]
        folded = []  # (table per tap, id per row; gap rows read the zero PAD row)
        for table, ids in ((self.fold_char, feats["char"]), (self.fold_seg, feats["seg"])):
            full = np.zeros(total, dtype=np.int64)
            full[rows] = ids
            folded.append((table, full))
        for i, (w, b, d) in enumerate(self.convs):
            if i == 0:
                w = self.conv0_rest
            h = np.zeros((total, w.shape[2]), dtype=np.float32)
            body = h[pad : total - pad]
            np.matmul(x[pad - d : total - pad - d], w[0], out=body)
            body += x[pad : total - pad] @ w[1]
            body += x[pad + d : total - pad + d] @ w[2]
            for k, shift in ((0, -d), (1, 0), (2, d)) if i == 0 else ():
                for table, full in folded:
                    body += table[k][full[pad + shift : total - pad + shift]]
            body += b
            np.maximum(h, 0, out=h)
            h[gaps] = 0
            if i == 0:
                x = h
            else:
                x += h
        return x[rows] @ self.out_w + self.out_b


def _trim_space(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` without the whitespace at either edge.

    >>> _trim_space(" 农冠斌　", 0, 5)
    (1, 4)
    """
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _softmax(scores: np.ndarray) -> np.ndarray:
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _allowed_transitions() -> np.ndarray:
    """``allowed[i, j]``: tag ``j`` may follow tag ``i`` in a BMES sequence."""
    allowed = np.zeros((len(TAGS), len(TAGS)), dtype=bool)
    for i, a in enumerate(TAGS):
        for j, b in enumerate(TAGS):
            closed = a == "O" or a[0] in "ES"
            if b == "O" or b[0] in "BS":
                allowed[i, j] = closed
            else:
                allowed[i, j] = a[0] in "BM" and a[2:] == b[2:]
    return allowed


def viterbi(
    emissions: np.ndarray, lengths: np.ndarray, trans: np.ndarray, start: np.ndarray,
    end: np.ndarray,
) -> np.ndarray:
    """Best tag ids for sequences laid end to end, vectorised over the batch.

    Sequences are sorted longest first, so step ``t`` only touches the
    sequences that are longer than ``t``.

    >>> t = np.zeros((2, 2)); em = np.array([[0, 1], [1, 0], [0, 1.0]])
    >>> viterbi(em, np.array([2, 1]), t, np.zeros(2), np.zeros(2)).tolist()
    [1, 0, 1]
    """
    n_seq = len(lengths)
    if n_seq == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(-lengths, kind="stable")
    lens = lengths[order]
    longest = int(lens[0])
    offsets = np.cumsum([0, *lengths[:-1]])[order]
    steps = np.arange(longest)
    valid = steps[None, :] < lens[:, None]
    em = emissions[np.where(valid, offsets[:, None] + steps[None, :], 0)]
    active = (lens[None, :] > steps[:, None]).sum(axis=1)  # sequences still running at t
    back = np.zeros((n_seq, longest, len(start)), dtype=np.int16)
    score = start + em[:, 0]
    for t in range(1, longest):
        k = active[t]
        cand = score[:k, :, None] + trans[None]
        back[:k, t] = cand.argmax(axis=1)
        score[:k] = cand.max(axis=1) + em[:k, t]
    cur = (score + end).argmax(axis=1)
    tags = np.zeros((n_seq, longest), dtype=np.int64)
    for t in range(longest - 1, 0, -1):
        k = active[t]
        tags[:k, t] = cur[:k]
        cur[:k] = back[np.arange(k), t, cur[:k]]
    tags[:, 0] = cur
    unsorted = np.empty_like(tags)
    unsorted[order] = tags
    unsorted_valid = np.empty_like(valid)
    unsorted_valid[order] = valid
    return unsorted[unsorted_valid]


_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _load() -> NerModel:
    path = resources.files("kg") / "resources" / "ner" / "ner.npz"
    try:
        with path.open("rb") as fh, np.load(fh, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
    except (OSError, ValueError, KeyError) as exc:
        raise KGError(f"cannot load the NER model from {path}: {exc}") from exc
    return NerModel(arrays)


def load_model() -> NerModel:
    """The packaged model, loaded on first call and shared afterwards.

    >>> load_model() is load_model()
    True
    """
    with _LOCK:
        return _load()

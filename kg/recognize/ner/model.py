"""The shipped Chinese NER model: PER, ORG and LOC spans, in pure numpy.

A dilated CNN over character, character-bigram, lexicon and (in older
model files) jieba-word features (:mod:`kg.recognize.ner.features`), with a
CRF on top (:mod:`kg.recognize.ner.tagging`), trained on MSRA and CLUENER
(``scripts/train_ner.py``).
The weights live in ``kg/resources/ner/ner.npz``; torch is never needed.
Long texts are cut into short sentence chunks; offsets stay exact.

>>> model = load_model()
>>> [(m.text, m.type) for m in model.predict(["国家主席习近平会见法国总统马克龙"])[0]]
[('习近平', 'PER'), ('法国', 'LOC'), ('马克龙', 'PER')]
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from functools import lru_cache
from importlib import resources

import numpy as np

from kg.compute import one_blas_thread
from kg.errors import KGError
from kg.model import Mention
from kg.recognize.ner.features import LEX_TYPES, Featurizer, Lexicon, SoftLexicon
from kg.recognize.ner.tagging import (
    TAGS,
    SequenceDecoder,
    allowed_transitions,
    spans_of_tags,
    viterbi,
)
from kg.text.chars import CLOSERS, ELLIPSIS, LINE_BREAKS, SENTENCE_PUNCT

__all__ = ["MAX_CHUNK", "NerModel", "chunk_spans", "load_model"]

MAX_CHUNK = 100  # MSRA sentences are at most 100 characters long
_CHUNK_END = re.compile(f"[{SENTENCE_PUNCT}{ELLIPSIS}{LINE_BREAKS}]+[{CLOSERS}]*")
_SOFT_BREAK = "，,、：:　 \t"


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


_FEW_PIECES = 4
"""Up to this many pieces in a batch, decode each with straight-line Python."""


class NerModel:
    """The network and its vocabularies; :meth:`predict` finds mentions.

    Thread-safe: the network holds no state between calls.
    """

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        words, masks = arrays["lex_words"].tolist(), arrays["lex_masks"].tolist()
        lex_words = dict(zip(words, masks, strict=True))
        # numpy string arrays drop trailing NULs: a chunk's last bigram "x\0" comes back as "x"
        bigrams = [b + "\0" if len(b) == 1 else b for b in arrays["bigrams"].tolist()]
        # Models trained without jieba-word features say so (use_words False, no
        # emb_word/emb_seg); older files have no flag and always use words.
        uses_words = bool(arrays["use_words"]) if "use_words" in arrays else True
        self.featurizer = Featurizer(
            arrays["chars"].tolist(),
            bigrams,
            arrays["words"].tolist() if uses_words else [],
            Lexicon(lex_words, arrays["lex_types"].tolist() if "lex_types" in arrays
                    else LEX_TYPES),
            soft=(SoftLexicon(arrays["soft_words"].tolist(), arrays["soft_weights"],
                              arrays["soft_vecs"]) if "soft_words" in arrays else None),
        )
        f32 = {k: v.astype(np.float32) for k, v in arrays.items() if v.dtype.kind == "f"}
        none = np.zeros((2, 0), dtype=np.float32)
        self.emb = [f32["emb_char"], f32["emb_bigram"], f32.get("emb_word", none),
                    f32.get("emb_seg", none)]
        self.convs = []  # (weights (k, cin, cout), bias, dilation, residual)
        for i in range(int(arrays["n_convs"])):
            self.convs.append((f32[f"conv{i}_w"], f32[f"conv{i}_b"], int(arrays["dilations"][i])))
        self.out_w, self.out_b = f32["out_w"], f32["out_b"]
        # optional sentence context (train_ner.py --context): piece mean after conv0
        self.ctx = (f32["ctx_w"], f32["ctx_b"]) if "ctx_w" in f32 else None
        self.trans, self.start, self.end = self.constrain(f32["trans"], f32["start"], f32["end"])
        self.pad = max(d for _, _, d in self.convs)
        # Fold the char and seg embeddings into the first convolution: their
        # part of it becomes a table lookup per kernel tap (a few MB), not a
        # matrix product over every character. Bigram/word/lexicon columns stay.
        w0 = self.convs[0][0]
        n_char, n_seg = self.emb[0].shape[1], self.emb[3].shape[1]
        n_lex = self.featurizer.lexicon.width
        # soft-lexicon columns: among the first layer's inputs, or (soft_w) a product
        # of their own at its centre tap (train_ner.py --soft-center)
        self.soft_w = f32.get("soft_w")
        n_soft = (self.featurizer.soft.width
                  if self.featurizer.soft is not None and self.soft_w is None else 0)
        seg_cols = slice(w0.shape[1] - n_lex - n_soft - n_seg, w0.shape[1] - n_lex - n_soft)
        self.fold_char = np.stack([self.emb[0] @ w0[k, :n_char] for k in range(3)])
        self.fold_seg = (np.stack([self.emb[3] @ w0[k, seg_cols] for k in range(3)])
                         if n_seg else None)
        keep = np.r_[n_char : seg_cols.start, seg_cols.stop : w0.shape[1]]
        self.conv0_rest = np.ascontiguousarray(w0[:, keep])
        # Each convolution as one product: the three taps' inputs side by side
        # (im2col) times the taps' weights stacked, not three products and two sums.
        self.stacked = [np.ascontiguousarray(np.concatenate(list(
            self.conv0_rest if i == 0 else w), axis=0)) for i, (w, _, _) in enumerate(self.convs)]
        self.decode_one = SequenceDecoder(self.trans, self.start, self.end)

    @staticmethod
    def constrain(
        trans: np.ndarray, start: np.ndarray, end: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """CRF scores with ill-formed BMES moves made impossible."""
        trans, start, end = trans.copy(), start.copy(), end.copy()
        trans[~allowed_transitions()] = -1e4
        start[[i for i, t in enumerate(TAGS) if t[0] in "ME"]] = -1e4
        end[[i for i, t in enumerate(TAGS) if t[0] in "BM"]] = -1e4
        return trans, start, end

    @one_blas_thread
    def predict(self, texts: Sequence[str], batch_chars: int = 4096) -> list[list[Mention]]:
        """Mentions in each text, in order of their offsets.

        Texts are cut into pieces (:func:`chunk_spans`) and the pieces into
        batches of about ``batch_chars``, which keep a batch's activations in
        the CPU cache: the network ran ~20 % slower on batches of 16,384 (270 k
        chars of news, one BLAS thread). The batches run one after another: a
        worker thread that ran the network of one batch while the next one's
        features were made gave no overlap (CPU time equalled wall time: the
        features and the decoding hold the GIL) and no gain (1,000 news
        articles: 11.1 s with it, 10.0-11.4 s without, one BLAS thread).

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
        for batch in batches:
            self._decode(texts, batch, self._prepare(texts, batch), results)
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
        if len(pieces) <= _FEW_PIECES:  # one call's sentence: no batch to vectorise over
            rows, offset = [], 0
            for n in lengths.tolist():
                rows += self.decode_one(emissions[offset : offset + n].tolist())
                offset += n
            tags = np.asarray(rows, dtype=np.int64)
        else:
            tags = viterbi(emissions, lengths, self.trans, self.start, self.end)
        # a mention's score is the mean probability of its tags: running sums of each
        # character's tag probability, made once a batch, give it in O(1) a mention
        chosen = _softmax(emissions)[np.arange(len(tags)), tags]
        sums = np.concatenate([[0.0], np.cumsum(chosen, dtype=np.float64)]).tolist()
        offset = 0
        for (t, s, _), piece, n in zip(batch, pieces, lengths.tolist(), strict=True):
            row = tags[offset : offset + n].tolist()
            for a, b, typ in spans_of_tags([TAGS[i] for i in row]):
                a, b = _trim_space(piece, a, b)  # MSRA has no spaces: 记者 李明 王芳
                if a == b:
                    continue
                score = (sums[offset + b] - sums[offset + a]) / (b - a)
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
        total = int(starts[-1] + lengths[-1] + pad)
        rows: slice | np.ndarray
        if len(lengths) == 1:  # one call's sentence: slices, not index arrays, and no gaps
            rows, gaps = slice(pad, pad + lengths[0]), None
        else:
            rows = np.concatenate([np.arange(s, s + n)
                                   for s, n in zip(starts, lengths, strict=True)])
            is_gap = np.ones(total, dtype=bool)
            is_gap[rows] = False
            # the rows between pieces; the outer pad rows are never written
            gaps = np.flatnonzero(is_gap[pad : total - pad]) + pad
        x = np.zeros((total, self.conv0_rest.shape[1]), dtype=np.float32)
        n_bigram, n_word = self.emb[1].shape[1], self.emb[2].shape[1]
        x[rows, :n_bigram] = self.emb[1][feats["bigram"]]
        if n_word:
            x[rows, n_bigram : n_bigram + n_word] = self.emb[2][feats["word"]]
        n_lex = feats["lex"].shape[1]
        x[rows, n_bigram + n_word : n_bigram + n_word + n_lex] = feats["lex"]
        if "soft" in feats and self.soft_w is None:
            x[rows, n_bigram + n_word + n_lex :] = feats["soft"]
        folded = []  # (table per tap, id per row; gap rows read the zero PAD row)
        tables = [(self.fold_char, feats["char"])]
        if self.fold_seg is not None:
            tables.append((self.fold_seg, feats["seg"]))
        for table, ids in tables:
            full = np.zeros(total, dtype=np.int64)
            full[rows] = ids
            folded.append((table, full))
        for i, (_, b, d) in enumerate(self.convs):
            w = self.stacked[i]
            h = np.zeros((total, w.shape[1]), dtype=np.float32)
            body = h[pad : total - pad]
            taps = np.concatenate([x[pad - d : total - pad - d], x[pad : total - pad],
                                   x[pad + d : total - pad + d]], axis=1)
            np.matmul(taps, w, out=body)
            if i == 0 and self.soft_w is not None:
                h[rows] += feats["soft"] @ self.soft_w
            for k, shift in ((0, -d), (1, 0), (2, d)) if i == 0 else ():
                for table, full in folded:
                    body += table[k][full[pad + shift : total - pad + shift]]
            body += b
            np.maximum(body, 0, out=body)
            if gaps is not None:
                h[gaps] = 0
            if i == 0:
                x = h
                if self.ctx is not None:
                    self._add_context(x, starts, lengths)
            else:
                x += h
        return x[rows] @ self.out_w + self.out_b


    def _add_context(self, x: np.ndarray, starts: np.ndarray, lengths: list[int]) -> None:
        """Add each piece's projected mean row to that piece's rows (in place).

        One piece at a time, so a sentence gets the same numbers alone or in a batch.
        """
        w, b = self.ctx
        for s, k in zip(starts.tolist(), lengths, strict=True):
            x[s : s + k] += x[s : s + k].mean(axis=0) @ w + b


def _trim_space(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` without whitespace, control characters or U+FFFD at either edge.

    (U+FFFD is what the reader puts for undecodable bytes and control characters.)

    >>> _trim_space(" 李明达　", 0, 5), _trim_space("马克龙\\x01通", 0, 4)
    ((1, 4), (0, 3))
    >>> _trim_space("马克龙\\ufffd", 0, 4)
    (0, 3)
    """
    while start < end and _junk(text[start]):
        start += 1
    while end > start and _junk(text[end - 1]):
        end -= 1
    return start, end


def _junk(ch: str) -> bool:
    return ch.isspace() or not ch.isprintable() or ch == "\ufffd"


def _softmax(scores: np.ndarray) -> np.ndarray:
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)



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

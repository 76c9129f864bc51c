"""BIO tagging for the event model: allowed transitions, a batched O(K) Viterbi, spans.

Tags are ``O`` (0) and, for each of ``K`` labels, ``B-k`` (1 + 2k) and ``I-k`` (2 + 2k).

>>> bio_spans(np.array([0, 1, 2, 0, 3]))
[(1, 3, 0), (4, 5, 1)]
"""

from __future__ import annotations

import numpy as np

__all__ = ["NEG", "bio_spans", "bio_transitions", "bio_viterbi"]

NEG = -1e4  # a forbidden tag transition / a masked logit


def bio_transitions(n_labels: int) -> tuple[np.ndarray, np.ndarray]:
    """Transition and start scores of the BIO scheme ``O, B-0, I-0, B-1, I-1, …``.

    ``I-k`` may only follow ``B-k`` or ``I-k`` and may not start a sentence.
    """
    n = 1 + 2 * n_labels
    trans = np.zeros((n, n), dtype=np.float32)
    start = np.zeros(n, dtype=np.float32)
    for k in range(n_labels):
        i_tag = 2 + 2 * k
        trans[:, i_tag] = NEG
        trans[1 + 2 * k, i_tag] = 0.0
        trans[i_tag, i_tag] = 0.0
        start[i_tag] = NEG
    return trans, start


def bio_viterbi(logp: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Best BIO tag ids ``(B, L)`` for log-probabilities ``(B, L, 1 + 2K)``, batched.

    The same paths as :func:`kg.recognize.ner.tagging.viterbi` with
    :func:`bio_transitions`, in O(K) per step instead of O(K²): ``O`` and ``B-k`` may
    follow anything, ``I-k`` only ``B-k`` or ``I-k``. Positions at or past a sequence's
    length are forced to ``O`` (which may follow anything, so the best path of the real
    prefix is unchanged) and come back as 0.

    >>> lp = np.log(np.array([[[.1, .8, .1], [.2, .1, .7], [.6, .2, .2]]]))
    >>> bio_viterbi(lp, np.array([2])).tolist()
    [[1, 2, 0]]
    """
    n = logp.shape[1]
    past = np.arange(n)[None, :] >= lengths[:, None]
    # With no scores on the transitions (only forbidden ones), the best path is the
    # best tag at every position whenever that sequence is well formed — as it is
    # for most sentences (all O); only the others need the dynamic programme.
    tags = logp.argmax(-1)
    tags[past] = 0
    bad = ~_well_formed(tags)
    if bad.any():
        tags[bad] = _viterbi(logp[bad], past[bad])
    return tags


def _well_formed(tags: np.ndarray) -> np.ndarray:
    """Per row of ``(B, L)`` tag ids: no ``I-k`` first or after anything but ``B-k``/``I-k``."""
    inside = (tags >= 2) & (tags % 2 == 0)
    prev = np.zeros_like(tags)
    prev[:, 1:] = tags[:, :-1]
    ok = ~inside | (prev == tags) | (prev == tags - 1)
    return ok.all(1)


def _viterbi(logp: np.ndarray, past: np.ndarray) -> np.ndarray:
    bsz, n, _ = logp.shape
    em = logp.astype(np.float32, copy=True)
    em[past] = NEG
    em[past, 0] = 0.0
    score = em[:, 0].copy()
    score[:, 2::2] = NEG  # no I- at the start
    back = np.zeros((bsz, n, em.shape[2]), dtype=np.int32)
    rows = np.arange(bsz)
    for t in range(1, n):
        best = score.argmax(1)
        best_score = score[rows, best]
        from_b = score[:, 1::2] >= score[:, 2::2]
        new = np.empty_like(score)
        new[:, 0] = best_score
        new[:, 1::2] = best_score[:, None]
        new[:, 2::2] = np.where(from_b, score[:, 1::2], score[:, 2::2])
        back[:, t, 0] = best
        back[:, t, 1::2] = best[:, None]
        k = np.arange(1, em.shape[2], 2)
        back[:, t, 2::2] = np.where(from_b, k[None, :], k[None, :] + 1)
        score = new + em[:, t]
    tags = np.zeros((bsz, n), dtype=np.int64)
    cur = score.argmax(1)
    for t in range(n - 1, -1, -1):
        tags[:, t] = cur
        cur = back[rows, t, cur]
    tags[past] = 0
    return tags


def bio_spans(tags: np.ndarray) -> list[tuple[int, int, int]]:
    """``(start, end, label)`` of a valid BIO id sequence (``0`` = O, ``1+2k`` = B-k)."""
    spans = []
    start = -1
    label = -1
    for i, t in enumerate([*tags.tolist(), 0]):
        if start >= 0 and t != 2 + 2 * label:
            spans.append((start, i, label))
            start = -1
        if t and t % 2 == 1:
            start, label = i, (t - 1) // 2
    return spans

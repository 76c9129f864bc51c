"""BMES tags: spans from tag sequences and batched Viterbi decoding for the CRF.

>>> spans_of_tags(["B-PER", "E-PER", "O", "S-LOC"])
[(0, 2, 'PER'), (3, 4, 'LOC')]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

TYPES = ("PER", "LOC", "ORG")
TAGS = ("O", *(f"{p}-{t}" for t in TYPES for p in "BMES"))
"""The BMES tag set, in the order of the model's output columns."""


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



def allowed_transitions() -> np.ndarray:
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


class SequenceDecoder:
    """Viterbi for one sequence at a time, as straight-line Python over the allowed moves.

    The batched :func:`viterbi` pays a dozen numpy calls per character
    position, which a single short sentence (one ``kg.recognize`` call)
    cannot amortise. This decoder is generated once per model from its CRF
    scores: each step compares only the moves ``trans`` allows (about 60 of
    169 for BMES), with the scores as constants, in plain float arithmetic.
    It returns the same path as :func:`viterbi` (ties aside).

    >>> t = np.zeros((2, 2)); em = np.array([[0, 1], [1, 0], [0, 1.0]])
    >>> SequenceDecoder(t, np.zeros(2), np.zeros(2))(em[:2].tolist())
    [1, 0]
    """

    NEG = -1e3
    """Transition scores at or below this are forbidden moves (see ``NerModel.constrain``)."""

    def __init__(self, trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> None:
        n = len(start)
        preds = [[i for i in range(n) if trans[i, j] > self.NEG] for j in range(n)]
        states = ", ".join(f"s{j}" for j in range(n))
        body = [
            "def decode(em):",
            "    e = em[0]",
            f"    {states} = " + ", ".join(f"{float(start[j])!r} + e[{j}]" for j in range(n)),
            "    back = []",
            "    for e in em[1:]:",
        ]
        for j in range(n):
            first, *rest = preds[j] or [0]
            body.append(f"        v = s{first} + {float(trans[first, j])!r}; b{j} = {first}")
            for i in rest:
                body.append(f"        w = s{i} + {float(trans[i, j])!r}")
                body.append(f"        if w > v: v = w; b{j} = {i}")
            body.append(f"        n{j} = v + e[{j}]")
        body += [
            f"        {states} = " + ", ".join(f"n{j}" for j in range(n)),
            "        back.append((" + ", ".join(f"b{j}" for j in range(n)) + ",))",
            "    final = [" + ", ".join(f"s{j} + {float(end[j])!r}" for j in range(n)) + "]",
            "    cur = final.index(max(final))",
            "    path = [cur]",
            "    for step in reversed(back):",
            "        cur = step[cur]",
            "        path.append(cur)",
            "    path.reverse()",
            "    return path",
        ]
        namespace: dict = {}
        exec(compile("\n".join(body), f"<viterbi {n} tags>", "exec"), namespace)
        self._decode = namespace["decode"]

    def __call__(self, emissions: list[list[float]]) -> list[int]:
        """The best tag ids of one non-empty sequence of emission rows."""
        return self._decode(emissions)

"""kg's learned event extractor: DuEE triggers with their type, and arguments with their role.

Pure numpy inference of the network ``scripts/train_events.py`` trains on DuEE 1.0 train
(see ``kg/resources/events/MODEL_CARD.md``):

- characters (normalised as :func:`kg.recognize.ner.features.normalize`, traditional to
  simplified as Baidu LAC does) are embedded (initialised from LAC's character table) and
  read by a dilated CNN (kernel 3, residual blocks with layer norm);
- **triggers**: BIO tags over the 65 DuEE types per character, decoded by Viterbi under BIO
  constraints;
- **arguments**: for each predicted trigger, the encoder output plus a relative-position
  embedding (distance to the trigger), the event type's embedding and a projection of the
  trigger's mean vector go through a few more dilated blocks; BIO tags over that type's roles
  only (the others are masked), Viterbi-decoded.

Offsets are code points into the text given to :meth:`EventModel.predict`::

    >>> m = load_event_model()
    >>> [e.type for e in m.predict(["警方在北京抓获了犯罪嫌疑人张某"])[0]]
    ['Arrest']
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from kg.compute import one_blas_thread
from kg.extract.bio import bio_spans, bio_viterbi
from kg.recognize.ner.features import normalize
from kg.text.segment import default_segmenter

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
MODEL_PATH = RESOURCES / "events" / "events.npz"
SCHEMA_PATH = RESOURCES / "schema" / "events-duee.toml"
TRIGGER_WORDS_PATH = RESOURCES / "events" / "trigger_words.txt"  # scripts/build_trigger_words.py
MIN_TRIGGER_SCORE = 0.5
"""Triggers below this mean tag probability are dropped (chosen on the dev split)."""
MIN_ARGUMENT_SCORE = 0.6
"""Arguments below this mean tag probability are dropped (chosen on the dev split: it trades
a little recall for much precision)."""


class Argument(NamedTuple):
    """One argument of a predicted event; ``text == sentence[start:end]``."""

    role: str       # the role's property id in the schema (``arrestee``), or the DuEE role
    start: int
    end: int
    text: str
    score: float = 1.0  # mean probability of the argument's tags
    role_zh: str = ""   # the DuEE role name (被拘捕者)


@dataclass(frozen=True)
class EventPrediction:
    """One predicted event: its type, trigger span, confidence and arguments."""

    type: str                 # kg type id from the schema (``Arrest``), or the DuEE name
    duee_type: str            # the DuEE type name (司法行为-拘捕)
    trigger: tuple[int, int, str]  # (start, end, text), ``text == sentence[start:end]``
    score: float              # mean probability of the trigger's tags
    arguments: list[Argument] = field(default_factory=list)

    def to_duee(self) -> dict[str, Any]:
        """This event as an entry of a DuEE record's ``event_list``."""
        return {"event_type": self.duee_type, "trigger": self.trigger[2],
                "trigger_start_index": self.trigger[0],
                "arguments": [{"role": a.role_zh, "argument": a.text,
                               "argument_start_index": a.start} for a in self.arguments]}


def _layer_norm(x: np.ndarray, g: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``(x - mean) / sqrt(var + 1e-5) * g + b`` over the last axis (in place on one copy)."""
    xc = x - x.mean(-1, keepdims=True)
    var = (xc * xc).mean(-1, keepdims=True)
    xc /= np.sqrt(var + 1e-5)
    xc *= g
    xc += b
    return xc


def _dense(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``x @ w + b`` over the last axis, as one 2-D matrix product."""
    return (x.reshape(-1, x.shape[-1]) @ w).reshape(*x.shape[:-1], w.shape[1]) + b


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


class EventModel:
    """The exported network, run with numpy; build with :func:`load_event_model`."""

    def __init__(self, arrays: dict[str, np.ndarray], schema: dict[str, Any] | None = None,
                 gate: re.Pattern[str] | None = None):
        self.gate = gate  # the network reads only sentences this finds (None: every one)
        meta = json.loads(str(arrays["meta"]))
        self.meta = meta
        pairs = arrays.get("bigram_pairs", np.zeros((0, 2), dtype=np.int32)).tolist()
        self.bigrams = {(a, b): i + 2 for i, (a, b) in enumerate(pairs)}
        self.w = {k: np.asarray(v, dtype=np.float32) for k, v in arrays.items()
                  if k not in ("meta", "bigram_pairs")}
        for k in [k for k in self.w if k.endswith(".w") and self.w[k].ndim == 3]:
            w = self.w[k]  # (3, in, out) -> (in, 3 * out): the three taps side by side
            self.w[k[:-2] + ".wcat"] = np.ascontiguousarray(w.transpose(1, 0, 2).reshape(
                w.shape[1], -1))
        self.blocks = len(meta["dilations"])
        self.arg_blocks = len(meta["arg_dilations"])
        self.max_rel = int(meta["max_rel"])
        self.types: list[str] = meta["types"]                   # DuEE type names
        self.roles: list[tuple[int, str]] = [tuple(r) for r in meta["roles"]]  # (type, role)
        lookup = {c: i + 2 for i, c in enumerate(meta["chars"])}
        for src, dst in meta["aliases"].items():
            if dst in lookup and src not in lookup:
                lookup[src] = lookup[dst]
        self.lookup = lookup
        # the global argument tags of each type: O plus B/I of its roles
        self.type_roles: list[list[int]] = [[] for _ in self.types]
        for k, (t, _) in enumerate(self.roles):
            self.type_roles[t].append(k)
        self.type_cols = [np.array([0, *(c for k in ks for c in (1 + 2 * k, 2 + 2 * k))])
                          for ks in self.type_roles]
        schema = schema or {}
        self.type_ids = [schema.get("types", {}).get(t, t) for t in self.types]
        self.role_ids = [schema.get("roles", {}).get(f"{self.types[t]}/{r}", r)
                         for t, r in self.roles]

    # -- encoder -------------------------------------------------------------------------
    def char_ids(self, text: str) -> np.ndarray:
        get = self.lookup.get
        return np.array([get(c, 1) for c in normalize(text)], dtype=np.int64)

    def _conv(self, x: np.ndarray, name: str, dil: int) -> np.ndarray:
        """Kernel-3 dilated 'same' convolution of ``(B, L, D)`` with zeros beyond each end.

        One matrix product ``(B*L, D) @ (D, 3*D')`` and two shifted adds; ``x`` must be zero
        at padded positions (it is: every block re-applies the mask).
        """
        w, b = self.w[name + ".wcat"], self.w[name + ".b"]
        bsz, n, _ = x.shape
        y = (x.reshape(bsz * n, -1) @ w).reshape(bsz, n, 3, -1)
        out = y[:, :, 1] + b
        if dil < n:
            out[:, dil:] += y[:, :n - dil, 0]
            out[:, :n - dil] += y[:, dil:, 2]
        return out

    def _blocks(self, x: np.ndarray, mask: np.ndarray, prefix: str, dils: Sequence[int]):
        for i, d in enumerate(dils):
            h = np.maximum(self._conv(x, f"{prefix}{i}", d), 0.0)
            x = _layer_norm(x + h, self.w[f"{prefix}{i}.ln.g"], self.w[f"{prefix}{i}.ln.b"])
            x *= mask
        return x

    def bigram_ids(self, ids: np.ndarray) -> np.ndarray:
        """Ids of each char's bigram with the next char (0 past the end), ``1`` if unknown."""
        get = self.bigrams.get
        nxt = [*ids[1:].tolist(), 0]
        return np.array([get(p, 1) for p in zip(ids.tolist(), nxt, strict=True)],
                        dtype=np.int64)

    def encode(self, ids: np.ndarray, mask: np.ndarray, bis: np.ndarray | None = None):
        """``(B, L)`` char ids and a ``(B, L, 1)`` float mask -> ``(B, L, D)`` states.

        ``bis`` are the bigram ids (:meth:`bigram_ids`) if the model has bigrams.
        """
        x = self.w["emb"][ids]
        if "bi_emb" in self.w:
            x = np.concatenate([x, self.w["bi_emb"][bis]], axis=-1)
        x = _dense(x, self.w["proj.w"], self.w["proj.b"])
        x *= mask
        return self._blocks(x, mask, "enc", self.meta["dilations"])

    def trigger_logits(self, h: np.ndarray) -> np.ndarray:
        return _dense(h, self.w["trig.w"], self.w["trig.b"])

    def argument_states(self, h: np.ndarray, mask: np.ndarray, sent: np.ndarray,
                        types: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """States ``(E, L, D)`` of the argument tagger for events ``(sentence, type, start, end)``.

        ``states @ arg.w + arg.b`` are the argument tag logits (only the event type's columns
        count).
        """
        n = h.shape[1]
        pos = np.arange(n)[None, :]
        rel = np.where(pos < starts[:, None], pos - starts[:, None],
                       np.where(pos >= ends[:, None], pos - ends[:, None] + 1, 0))
        rel = np.clip(rel, -self.max_rel, self.max_rel) + self.max_rel
        span = (pos >= starts[:, None]) & (pos < ends[:, None])
        hs = h[sent]
        tvec = (hs * span[:, :, None]).sum(1) / np.maximum(span.sum(1), 1)[:, None]
        tvec = _dense(tvec, self.w["tvec.w"], self.w["tvec.b"])
        m = mask[sent]
        z = (hs + self.w["rel_emb"][rel] + self.w["type_emb"][types][:, None, :]
             + tvec[:, None, :]) * m
        return self._blocks(z, m, "arg", self.meta["arg_dilations"])

    # -- prediction ----------------------------------------------------------------------
    @one_blas_thread
    def predict(self, texts: Sequence[str], batch_size: int = 32,
                min_trigger_score: float = MIN_TRIGGER_SCORE,
                min_argument_score: float = MIN_ARGUMENT_SCORE,
                whole_words: bool = True, gated: bool = True) -> list[list[EventPrediction]]:
        """The events of each text (one sentence each works best; DuEE has ≤ 400 chars).

        Triggers and arguments whose score (mean probability of their tags) is below the
        thresholds are left out; pass 0 to get every decoded span. With ``whole_words``
        a one-character trigger must be a word of its own (结 of 结合, 死 of 救死扶伤 and
        立 of 立场 trigger nothing): on our DuEE dev split trigger F1 0.791 → 0.811
        (precision 0.764 → 0.807, recall 0.819 → 0.814), argument F1 0.536 either way.
        With ``gated`` (and a :attr:`gate`) a text holding none of DuEE train's trigger
        words gets no events without running the network: see
        scripts/build_trigger_words.py for what that costs on dev and saves on news.
        """
        out: list[list[EventPrediction]] = [[] for _ in texts]
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        gate = self.gate.search if gated and self.gate is not None else bool
        order = [i for i in order if texts[i] and gate(texts[i])]
        for b in range(0, len(order), batch_size):
            idx = order[b:b + batch_size]
            batch = self._predict_batch([texts[i] for i in idx], min_trigger_score,
                                        min_argument_score)
            for i, events in zip(idx, batch, strict=True):
                out[i] = _whole_word_triggers(texts[i], events) if whole_words else events
        return out

    def _inputs(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Lengths, char ids, bigram ids and the padding mask of a batch of texts."""
        lengths = np.array([len(t) for t in texts])
        n = int(lengths.max())
        ids = np.zeros((len(texts), n), dtype=np.int64)
        bis = np.zeros((len(texts), n), dtype=np.int64)
        for i, t in enumerate(texts):
            ids[i, :len(t)] = self.char_ids(t)
            if self.bigrams:
                bis[i, :len(t)] = self.bigram_ids(ids[i, :len(t)])
        valid = np.arange(n)[None, :] < lengths[:, None]
        return lengths, ids, bis, valid[:, :, None].astype(np.float32)

    def _predict_batch(self, texts: list[str], min_trigger: float, min_argument: float
                       ) -> list[list[EventPrediction]]:
        lengths, ids, bis, mask = self._inputs(texts)
        h = self.encode(ids, mask, bis)
        logits = self.trigger_logits(h)
        probs = _softmax(logits)
        logp = np.log(probs + 1e-9)
        events = _trigger_spans(probs, bio_viterbi(logp, lengths), lengths, min_trigger)
        results: list[list[EventPrediction]] = [[] for _ in texts]
        if not events:
            return results
        ev = np.array([e[:4] for e in events], dtype=np.int64)
        states = self.argument_states(h, mask, ev[:, 0], ev[:, 1], ev[:, 2], ev[:, 3])
        # the argument tags of all events of one type at once, over that type's columns only
        arg_probs: list[np.ndarray] = [np.zeros(0)] * len(events)
        arg_tags: list[np.ndarray] = [np.zeros(0)] * len(events)
        for t in sorted(set(ev[:, 1].tolist())):
            js = np.flatnonzero(ev[:, 1] == t)
            cols = self.type_cols[t]
            sub = _softmax(_dense(states[js], self.w["arg.w"][:, cols], self.w["arg.b"][cols]))
            seqs = bio_viterbi(np.log(sub + 1e-9), lengths[ev[js, 0]])
            for row, j in enumerate(js.tolist()):
                arg_probs[j], arg_tags[j] = sub[row], seqs[row]
        for j, (i, t, s, e, score) in enumerate(events):
            text = texts[i]
            ln = int(lengths[i])
            sub, seq = arg_probs[j][:ln], arg_tags[j][:ln]
            args = []
            for a_s, a_e, k in bio_spans(seq):
                role = self.type_roles[t][k]
                a_score = float(sub[np.arange(a_s, a_e), seq[a_s:a_e]].mean())
                if a_score < min_argument:
                    continue
                args.append(Argument(self.role_ids[role], a_s, a_e, text[a_s:a_e],
                                     round(a_score, 4), self.roles[role][1]))
            results[i].append(EventPrediction(self.type_ids[t], self.types[t],
                                              (s, e, text[s:e]), round(score, 4), args))
        return results

    def predict_duee(self, records: Sequence[dict[str, Any]], **thresholds: float
                     ) -> list[dict[str, Any]]:
        """DuEE-format records with ``event_list`` predicted from each record's ``text``."""
        preds = self.predict([r["text"] for r in records], **thresholds)
        return [{**({"id": r["id"]} if "id" in r else {}), "text": r["text"],
                 "event_list": [e.to_duee() for e in events]}
                for r, events in zip(records, preds, strict=True)]


def _trigger_spans(probs: np.ndarray, tags: np.ndarray, lengths: np.ndarray,
                   min_trigger: float) -> list[tuple[int, int, int, int, float]]:
    """``(sentence, type, start, end, score)`` of every decoded trigger scoring ``min_trigger``."""
    events = []
    for i, ln in enumerate(lengths.tolist()):
        seq = tags[i, :ln]
        for s, e, t in bio_spans(seq):
            score = float(probs[i, np.arange(s, e), seq[s:e]].mean())
            if score >= min_trigger:
                events.append((i, t, s, e, score))
    return events


def _whole_word_triggers(text: str, events: list[EventPrediction]) -> list[EventPrediction]:
    """The events, without one-character triggers that sit inside a longer word."""
    if not any(e.trigger[1] - e.trigger[0] == 1 for e in events):
        return events  # segment only where it can matter
    bounds, pos = {0}, 0
    for word in default_segmenter().words(text):
        pos += len(word)
        bounds.add(pos)
    return [e for e in events if e.trigger[1] - e.trigger[0] > 1
            or (e.trigger[0] in bounds and e.trigger[1] in bounds)]


def load_schema_ids(path: Path = SCHEMA_PATH) -> dict[str, dict[str, str]]:
    """DuEE type name -> kg type id, and ``"DuEE type/DuEE role"`` -> kg role id."""
    if not path.exists():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    types, roles = {}, {}
    for t in data.get("type", []):
        if "duee" in t:
            types[t["duee"]] = t["id"]
            for r in t.get("role", []):
                roles[f"{t['duee']}/{r['zh']}"] = r["id"]
    return {"types": types, "roles": roles}


@lru_cache(maxsize=1)
def has_event_model() -> bool:
    """True when the package ships the trained event model (``scripts/train_events.py``)."""
    return MODEL_PATH.is_file()


@lru_cache(maxsize=1)
def load_event_model(path: str | None = None) -> EventModel:
    """The shipped event model (loaded once), with type and role ids from the schema."""
    with np.load(Path(path) if path else MODEL_PATH, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    return EventModel(arrays, load_schema_ids(), load_trigger_gate())


def load_trigger_gate(path: Path = TRIGGER_WORDS_PATH) -> re.Pattern[str] | None:
    """A pattern that finds any of the trigger words in ``path`` (None if it is missing).

    >>> load_trigger_gate().search("国家主席习近平会见法国总统").group()
    '会见'
    """
    if not path.is_file():
        return None
    words = [w for w in (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
             if w and not w.startswith("#")]
    return re.compile("|".join(sorted(map(re.escape, words), key=len, reverse=True)))

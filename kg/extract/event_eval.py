"""Score event extraction on DuEE-format records: triggers and arguments, exact and overlap.

A record is one sentence as DuEE writes it::

    {"id": "...", "text": "...", "event_list": [
        {"event_type": "司法行为-拘捕", "trigger": "抓获", "trigger_start_index": 5,
         "arguments": [{"role": "被拘捕者", "argument": "张某", "argument_start_index": 7}]}]}

Gold and predicted records are paired by ``id`` when every record has one, else by position.

- **trigger**: a predicted trigger is right if a gold trigger of the same sentence has the same
  event type and the same span (*exact*) or a span that shares a character (*overlap*);
- **argument**: a predicted argument is right if a gold argument of the same sentence has the
  same event type, the same role and the same span (*exact*) or an overlapping span (*overlap*).
  The argument need not hang off the same trigger (as in DuEE's own scoring), so an event
  found twice is not punished twice.

Each gold item matches at most one predicted item (greedy, longest overlap first).

>>> gold = [{"text": "警方抓获张某", "event_list": [{"event_type": "司法行为-拘捕",
...     "trigger": "抓获", "trigger_start_index": 2, "arguments": [
...         {"role": "拘捕者", "argument": "警方", "argument_start_index": 0},
...         {"role": "被拘捕者", "argument": "张某", "argument_start_index": 4}]}]}]
>>> pred = [{"text": "警方抓获张某", "event_list": [{"event_type": "司法行为-拘捕", "trigger": "抓",
...     "trigger_start_index": 2, "arguments": [
...         {"role": "被拘捕者", "argument": "张某", "argument_start_index": 4}]}]}]
>>> s = score_events(gold, pred)
>>> s["trigger"]["exact"]["f1"], s["trigger"]["overlap"]["f1"], s["argument"]["exact"]["recall"]
(0.0, 1.0, 0.5)
"""

from __future__ import annotations

import json
import random
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from kg.errors import KGError
from kg.extract.event_model import has_event_model, load_event_model

Item = tuple[str, str, int, int]
"""(event type, role or "", start, end) of one trigger or argument in one sentence."""


def load_duee(path: str | Path) -> list[dict[str, Any]]:
    """The records of a DuEE-format JSON-lines file (blank lines skipped).

    Checks that every trigger and argument is where its index says, so a file with
    byte offsets or another convention fails loudly instead of scoring zero.
    """
    records = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            rec = json.loads(line)
            text = rec.get("text", "")
            for ev in rec.get("event_list", []):
                spans = [(ev["trigger"], ev["trigger_start_index"])]
                spans += [(a["argument"], a["argument_start_index"]) for a in ev["arguments"]]
                for span, start in spans:
                    if text[start:start + len(span)] != span:
                        raise ValueError(f"{path}:{n}: {span!r} is not at {start} of the text")
            records.append(rec)
    return records


DEV_FRACTION = 0.1
DEV_SEED = 13
"""Our DuEE dev split: a fixed-seed 10 % of DuEE train (scripts/train_events.py trains on the
rest); the official DuEE dev and test are never read."""


def split_dev(records: list[dict[str, Any]], fraction: float = DEV_FRACTION,
              seed: int = DEV_SEED) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``(train, dev)``: a fixed-seed random ``fraction`` of ``records`` as dev, order kept.

    >>> [r["id"] for r in split_dev([{"id": i} for i in range(10)], 0.2, 13)[1]]
    [0, 3]
    """
    idx = list(range(len(records)))
    random.Random(seed).shuffle(idx)
    n_dev = round(len(records) * fraction)
    return ([records[i] for i in sorted(idx[n_dev:])], [records[i] for i in sorted(idx[:n_dev])])


def _items(rec: dict[str, Any]) -> tuple[list[Item], list[Item]]:
    triggers: set[Item] = set()
    arguments: set[Item] = set()
    for ev in rec.get("event_list", []):
        t = ev["event_type"]
        s = ev["trigger_start_index"]
        triggers.add((t, "", s, s + len(ev["trigger"])))
        for a in ev.get("arguments", []):
            s = a["argument_start_index"]
            arguments.add((t, a["role"], s, s + len(a["argument"])))
    return sorted(triggers), sorted(arguments)


def _matches(gold: Sequence[Item], pred: Sequence[Item], overlap: bool) -> list[tuple[Item, Item]]:
    """One-to-one pairs of gold and predicted items that agree (greedy by overlap length)."""
    if not overlap:
        common = set(gold) & set(pred)
        return [(i, i) for i in sorted(common)]
    cands = []
    for g in gold:
        for p in pred:
            if g[:2] == p[:2]:
                shared = min(g[3], p[3]) - max(g[2], p[2])
                if shared > 0:
                    cands.append((-shared, g, p))
    cands.sort()
    used_g: set[Item] = set()
    used_p: set[Item] = set()
    pairs = []
    for _, g, p in cands:
        if g not in used_g and p not in used_p:
            used_g.add(g)
            used_p.add(p)
            pairs.append((g, p))
    return pairs


def _prf(correct: int, gold: int, pred: int) -> dict[str, float]:
    p = correct / pred if pred else 0.0
    r = correct / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "correct": correct, "gold": gold, "predicted": pred}


def _pair(gold: Sequence[dict], pred: Sequence[dict]) -> Iterable[tuple[dict, dict]]:
    if all("id" in r for r in gold) and all("id" in r for r in pred):
        by_id = {r["id"]: r for r in pred}
        return ((g, by_id.get(g["id"], {})) for g in gold)
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold records but {len(pred)} predicted, and no ids")
    return zip(gold, pred, strict=True)


def score_events(gold: Sequence[dict[str, Any]], pred: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Trigger and argument P/R/F1, exact and overlap, overall and per event class.

    Returns ``{"trigger": {"exact": prf, "overlap": prf}, "argument": {...},
    "per_class": {class: {"trigger": {...}, "argument": {...}}}, "sentences": n}``, where a
    ``prf`` is ``{"precision", "recall", "f1", "correct", "gold", "predicted"}`` and an event
    class is the part of the DuEE type before ``-`` (司法行为, 灾害/意外, …).
    """
    # counts[class][kind][mode] = [correct, gold, predicted]
    counts: dict[str, dict[str, dict[str, list[int]]]] = defaultdict(
        lambda: {k: {m: [0, 0, 0] for m in ("exact", "overlap")} for k in ("trigger", "argument")})
    n = 0
    for g_rec, p_rec in _pair(gold, pred):
        n += 1
        g_items, p_items = _items(g_rec), _items(p_rec)
        for kind, g, p in zip(("trigger", "argument"), g_items, p_items, strict=True):
            for mode in ("exact", "overlap"):
                for a, _ in _matches(g, p, mode == "overlap"):
                    counts[a[0].split("-")[0]][kind][mode][0] += 1
                for item in g:
                    counts[item[0].split("-")[0]][kind][mode][1] += 1
                for item in p:
                    counts[item[0].split("-")[0]][kind][mode][2] += 1
    out: dict[str, Any] = {}
    for kind in ("trigger", "argument"):
        out[kind] = {}
        for mode in ("exact", "overlap"):
            total = [sum(c[kind][mode][i] for c in counts.values()) for i in range(3)]
            out[kind][mode] = _prf(*total)
    out["per_class"] = {
        cls: {kind: {mode: _prf(*c[kind][mode]) for mode in ("exact", "overlap")}
              for kind in ("trigger", "argument")}
        for cls, c in sorted(counts.items())}
    out["sentences"] = n
    return out


def format_scores(scores: dict[str, Any], title: str = "events") -> str:
    """A plain-text table of :func:`score_events` output."""
    lines = [f"{title}: {scores['sentences']} sentences",
             f"{'':24} {'P':>6} {'R':>6} {'F1':>6}   {'P~':>6} {'R~':>6} {'F1~':>6}"]

    def row(name: str, s: dict[str, Any]) -> str:
        e, o = s["exact"], s["overlap"]
        return (f"{name:24} {e['precision']:6.3f} {e['recall']:6.3f} {e['f1']:6.3f}   "
                f"{o['precision']:6.3f} {o['recall']:6.3f} {o['f1']:6.3f}")

    lines.append(row("trigger", scores["trigger"]))
    lines.append(row("argument", scores["argument"]))
    for cls, s in scores["per_class"].items():
        lines.append(row(f"  {cls} trigger", s["trigger"]))
        lines.append(row(f"  {cls} argument", s["argument"]))
    lines.append("(P R F1: exact span; P~ R~ F1~: overlapping span)")
    return "\n".join(lines)


def run_event_eval(data: str | Path) -> str:
    """The report of ``kg eval events``: the learned extractor on a DuEE-format file."""
    if not has_event_model():
        raise KGError("this kg ships no event model (kg/resources/events/events.npz); "
                      "rebuild it with scripts/train_events.py")
    gold = load_duee(data)
    model = load_event_model()
    began = time.perf_counter()
    pred = model.predict_duee(gold)
    seconds = time.perf_counter() - began
    chars = sum(len(r["text"]) for r in gold)
    return (format_scores(score_events(gold, pred), f"kg event model on {data}")
            + f"\n{len(gold)} sentences, {chars} chars in {seconds:.2f} s: "
              f"{chars / seconds if seconds else 0:,.0f} chars/s")

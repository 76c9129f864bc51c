"""The recognizer as shipped (model + any rule steps) vs the raw model and jieba.posseg.

    .venv/bin/python benchmarks/bench_ner.py [--cluener ../shared/data/cluener/train.json]
        [--data FILE ...] [--limit N] [--repeat 3] [--ablation]

Quality: exact-span P/R/F1 per type of ``kg.recognize_many`` (what users
get), of the raw model and of jieba.posseg on each source — MSRA dev (the
last 5 % of MSRA train) and test, our CLUENER dev split (a fixed-seed 10 %
of CLUENER train), and any ``char TAG`` file given. ``--ablation`` adds the
micro F1 of every dev source with each rule step switched off in turn (the
test splits report; they never decide which rules stay).

Speed, in one process on MSRA test, everything loaded and warmed up first,
each system timed ``--repeat`` times interleaved (best run kept: the machine
may be shared): ``kg.recognize_many`` and one ``kg.recognize`` call per
sentence, each as a ratio to jieba.posseg on the same texts.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

import jieba
import jieba.posseg

import kg
from kg.recognize.evaluate import ablation, load_sources
from kg.recognize.ner.evaluate import evaluate_ner, format_report
from kg.recognize.ner.model import load_model

POSSEG_TYPES = {"nr": "PER", "nrfg": "PER", "nrt": "PER", "ns": "LOC", "nt": "ORG"}
CLUENER = Path(__file__).resolve().parents[2] / "shared" / "data" / "cluener" / "train.json"


def jieba_posseg(texts: list[str]) -> list[list[SimpleNamespace]]:
    """Mentions from jieba.posseg: nr/ns/nt words become PER/LOC/ORG."""
    out = []
    for text in texts:
        found, pos = [], 0
        for pair in jieba.posseg.cut(text):
            n = len(pair.word)
            if pair.flag in POSSEG_TYPES:
                found.append(SimpleNamespace(start=pos, end=pos + n, type=POSSEG_TYPES[pair.flag]))
            pos += n
        out.append(found)
    return out


def one_call_each(texts: list[str]) -> list[list]:
    """``kg.recognize`` called once per sentence (the per-call overhead counts)."""
    return [kg.recognize(t) for t in texts]


def best_speed(systems: dict, texts: list[str], repeat: int) -> dict[str, float]:
    """chars/s of each system, best of ``repeat`` interleaved runs."""
    chars = sum(map(len, texts))
    best: dict[str, float] = {}
    for _ in range(max(1, repeat)):
        for name, run in systems.items():
            began = time.perf_counter()
            run(texts)
            best[name] = max(best.get(name, 0.0), chars / (time.perf_counter() - began))
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cluener", default=str(CLUENER) if CLUENER.is_file() else None,
                    help="CLUENER2020 train.json (our dev split is taken from it)")
    ap.add_argument("--data", nargs="*", default=[], help="more char TAG files")
    ap.add_argument("--limit", type=int, default=0, help="the first N sentences of each source")
    ap.add_argument("--repeat", type=int, default=3, help="speed runs per system (best kept)")
    ap.add_argument("--ablation", action="store_true", help="each rule step off in turn")
    args = ap.parse_args()
    sources = load_sources(cluener=args.cluener, data=args.data)
    if args.limit:
        sources = {k: v[: args.limit] for k, v in sources.items()}
    model = load_model()
    # load everything lazy before the clock: weights, both segmentations, the lexicons
    kg.recognize("国家主席习近平同俄罗斯总统普京通电话，国网苏州供电公司变电运维工区主任周立明在京出席。")
    jieba.initialize()
    list(jieba.posseg.cut("预热"))
    systems = {"kg.recognize_many (model + registered rule steps)": kg.recognize_many,
               "raw model": model.predict, "jieba.posseg": jieba_posseg}
    print(f"bench_ner {datetime.date.today()}\n")
    for source, sents in sources.items():
        for name, run in systems.items():
            print(format_report(evaluate_ner(run, sents), f"== {name} on {source}"), end="\n\n")
    texts = [t for t, _ in sources["MSRA test"]]
    speed = best_speed({"recognize_many": kg.recognize_many, "recognize per call": one_call_each,
                        "jieba.posseg": jieba_posseg}, texts, args.repeat)
    for name, cps in speed.items():
        print(f"{name:>20}: {cps:10,.0f} chars/s")
    print(f"speed ratio recognize_many / jieba.posseg: "
          f"{speed['recognize_many'] / speed['jieba.posseg']:.2f}x")
    print(f"speed ratio one recognize call per sentence / jieba.posseg: "
          f"{speed['recognize per call'] / speed['jieba.posseg']:.2f}x")
    if args.ablation:  # on the dev sources only: test splits report, they never decide
        dev = {k: v for k, v in sources.items() if "dev" in k}
        rows = ablation(dev)
        names = list(dev)
        print("\nablation: micro F1 with one step off (Δ against all on)")
        print(f"{'step off':<24}" + "".join(f"{n:>22}" for n in names))
        base = rows[0][1]
        for step, f1 in rows:
            cells = "".join(f"{f1[n]:>14.4f} ({f1[n] - base[n]:+.4f})" if step != rows[0][0]
                            else f"{f1[n]:>22.4f}" for n in names)
            print(f"{step:<24}{cells}")


if __name__ == "__main__":
    main()

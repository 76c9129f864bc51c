"""Our NER model vs jieba.posseg (and jiagu, if installed) on MSRA test.

    .venv/bin/python benchmarks/bench_ner.py [--data FILE] [--limit N]

All systems read the same sentences in the same process; model loading and
warm-up happen before the clock starts. Prints each system's exact-span
P/R/F1 and chars/s, and the speed ratio ours ÷ jieba.posseg.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

import jieba
import jieba.posseg

from kg.recognize.ner.evaluate import evaluate_ner, format_report, load_msra, read_tagged
from kg.recognize.ner.model import load_model

POSSEG_TYPES = {"nr": "PER", "nrfg": "PER", "nrt": "PER", "ns": "LOC", "nt": "ORG"}


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


def jiagu_systems() -> dict:
    try:
        import jiagu  # type: ignore[import-not-found]
    except ImportError:
        return {}
    jiagu.init()

    def run(texts: list[str]) -> list[list[SimpleNamespace]]:
        out = []
        for text in texts:
            tags = jiagu.ner(list(text)) if text else []
            from kg.recognize.ner.tagging import spans_of_tags

            out.append([SimpleNamespace(start=a, end=b, type=t) for a, b, t in spans_of_tags(tags)])
        return out

    return {"jiagu": run}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", help="a char TAG file (default: MSRA test)")
    ap.add_argument("--limit", type=int, default=0, help="use the first N sentences")
    ap.add_argument("--repeat", type=int, default=3,
                    help="time each system N times, interleaved; report the best (the machine "
                         "may be shared, and the best run is the least disturbed one)")
    args = ap.parse_args()
    sentences = read_tagged(args.data) if args.data else load_msra("test")
    if args.limit:
        sentences = sentences[: args.limit]
    model = load_model()
    model.predict(["国家主席习近平同俄罗斯总统普京通电话"])  # load weights + segmenter
    jieba.initialize()
    list(jieba.posseg.cut("预热"))
    systems = {"kg model": model.predict, "jieba.posseg": jieba_posseg, **jiagu_systems()}
    reports: dict[str, dict] = {}
    for _ in range(max(1, args.repeat)):
        for name, run in systems.items():
            report = evaluate_ner(run, sentences)
            if name not in reports or report["chars_per_s"] > reports[name]["chars_per_s"]:
                reports[name] = report
    for name, report in reports.items():
        print(format_report(report, f"== {name} (best of {args.repeat})"), end="\n\n")
    ratio = reports["kg model"]["chars_per_s"] / reports["jieba.posseg"]["chars_per_s"]
    print(f"speed ratio kg model / jieba.posseg: {ratio:.2f}x")


if __name__ == "__main__":
    main()

"""Events on our DuEE dev split: the learned extractor beside the rule-only one, with speed.

    .venv/bin/python benchmarks/bench_events.py [--data ../shared/data/duee/duee_train.json]
        [--limit N]

The dev split is the fixed-seed 10 % of DuEE 1.0 train that
``scripts/train_events.py`` holds out (:func:`kg.extract.event_eval.split_dev`);
the official DuEE dev and test are never read. Both extractors read the
same sentences in the same process:

* **model** — the shipped network (``kg/resources/events/events.npz``), types
  and roles of DuEE's schema;
* **rules** — kg's trigger-word extractor (``kg/resources/schema/triggers.tsv``)
  over the shipped recognizer's mentions; its types are kg's own
  (communication, meeting …), which DuEE does not have, so it is scored on
  overlap of triggers and arguments, types ignored.

Prints trigger and argument P/R/F1 (exact and overlapping spans) and
sentences/s for each.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

import kg
from kg.extract.event_eval import format_scores, load_duee, score_events, split_dev
from kg.extract.event_model import has_event_model, load_event_model
from kg.extract.events import events as rule_events
from kg.model import Article

DUEE = Path(__file__).resolve().parents[2] / "shared" / "data" / "duee" / "duee_train.json"


def rule_predictions(records: list[dict]) -> list[dict]:
    """The rule extractor's events as DuEE records, each event typed by the gold's type.

    The rules know no DuEE type, so a predicted event takes the type of the gold
    event whose trigger it overlaps (else ``rule:<kg type>``, which never matches):
    what is scored is where the rules find triggers and arguments.
    """
    mentions = kg.recognize_many([r["text"] for r in records])
    out = []
    for rec, ms in zip(records, mentions, strict=True):
        text = rec["text"]
        found = rule_events(Article("x", text), (0, len(text)), ms)
        gold = rec.get("event_list", [])
        events = []
        for ev in found:
            typ = next((g["event_type"] for g in gold
                        if g["trigger_start_index"] < ev.trigger_end
                        and ev.trigger_start < g["trigger_start_index"] + len(g["trigger"])),
                       f"rule:{ev.type}")
            roles = {a["argument_start_index"]: a["role"] for g in gold for a in g["arguments"]}
            events.append({"event_type": typ, "trigger": ev.trigger,
                           "trigger_start_index": ev.trigger_start,
                           "arguments": [{"role": roles.get(m.start, role), "argument": m.text,
                                          "argument_start_index": m.start}
                                         for role, m in ev.arguments]})
        out.append({"text": text, "event_list": events})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(DUEE), help="DuEE 1.0 train (our dev split is cut)")
    ap.add_argument("--limit", type=int, default=0, help="the first N dev sentences")
    args = ap.parse_args()
    dev = split_dev(load_duee(args.data))[1]
    if args.limit:
        dev = dev[: args.limit]
    chars = sum(len(r["text"]) for r in dev)
    print(f"bench_events {datetime.date.today()}: {len(dev)} dev sentences, {chars} chars\n")
    kg.recognize("国家主席习近平同俄罗斯总统普京通电话，国网苏州供电公司主任周立明在京出席。")
    systems = {"rules (types taken from the gold they overlap)": rule_predictions}
    if has_event_model():
        model = load_event_model()
        model.predict(["警方在北京抓获了犯罪嫌疑人"])  # load before the clock
        systems = {"model": model.predict_duee, **systems}
    else:
        print("(no event model shipped: rules only)\n")
    for name, run in systems.items():
        began = time.perf_counter()
        pred = run(dev)
        seconds = time.perf_counter() - began
        print(format_scores(score_events(dev, pred), name))
        print(f"{len(dev) / seconds:,.0f} sentences/s, {chars / seconds:,.0f} chars/s\n")


if __name__ == "__main__":
    main()

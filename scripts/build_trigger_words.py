"""Build kg/resources/events/trigger_words.txt: the trigger words of DuEE train.

The event model runs only on sentences that hold at least one of these words
(:attr:`kg.extract.event_model.EventModel.gate`): on our DuEE dev split 99 %
of the gold triggers sit in such sentences, and on news pages about half of
the sentences hold none, so the network reads half the text. The words come
from the part of DuEE train the model was trained on (our dev split, a
fixed-seed 10 %, is left out, so the gate's cost is measured on dev).

    python scripts/build_trigger_words.py ../shared/data/duee/duee_train.json

DuEE 1.0 (Baidu): research and teaching use, as for the model itself.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from kg.extract.event_eval import load_duee, split_dev
from kg.extract.event_model import TRIGGER_WORDS_PATH


def trigger_words(records: list[dict]) -> list[str]:
    """Every trigger of ``records``, sorted.

    >>> trigger_words([{"event_list": [{"trigger": "夺冠"}, {"trigger": "死亡"}]}])
    ['夺冠', '死亡']
    """
    return sorted({t for r in records for e in r.get("event_list", [])
                   if (t := e.get("trigger", "").strip())})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("duee_train", type=Path, help="DuEE 1.0 duee_train.json (JSON lines)")
    ap.add_argument("--out", type=Path, default=TRIGGER_WORDS_PATH)
    args = ap.parse_args()
    train, _dev = split_dev(load_duee(args.duee_train))
    words = trigger_words(train)
    header = ("# trigger words of DuEE 1.0 train (our train part; Baidu, research and teaching "
              "use)\n# built by scripts/build_trigger_words.py; one word per line\n")
    args.out.write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} trigger words -> {args.out}")


if __name__ == "__main__":
    main()

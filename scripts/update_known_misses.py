"""Rewrite the known-miss tables of the NER tests for the model the package ships now.

    .venv/bin/python scripts/update_known_misses.py

tests/recognize/ner/test_ner_model.py (the raw model) and
tests/recognize/test_recognize.py (model + registered rule steps) mark the sentences of
tests/news_sentences.py they get wrong as strict xfails, so a fix shows up
as a failure until its mark goes. Run this after shipping a new model, read
the diff (each sentence says what it got), and commit both with the model.
"""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from news_sentences import NEWS  # noqa: E402

import kg  # noqa: E402
from kg.recognize.ner.model import load_model  # noqa: E402


def _table(name: str, misses: list[tuple[str, list]]) -> str:
    lines = [f"{name} = {{"]
    for text, got in misses:
        said = "、".join(f"{t}/{k}" for t, k in got) or "nothing"
        lines += textwrap.wrap(f"got {said}", 60, initial_indent="    # ",
                               subsequent_indent="    #   ")
        lines.append(f'    "{text}",')
    return "\n".join(lines) + "\n}"


def _rewrite(path: Path, name: str, misses: list[tuple[str, list]]) -> None:
    text = path.read_text(encoding="utf-8")
    new, n = re.subn(rf"^{name} = \{{\n.*?^\}}", _table(name, misses), text, flags=re.S | re.M)
    if n != 1:
        raise SystemExit(f"{path}: no {name} table")
    path.write_text(new, encoding="utf-8")


def main() -> None:
    texts = [t for t, _ in NEWS]
    raw = load_model().predict(texts)
    full = kg.recognize_many(texts)
    as_pairs = [lambda ms: [(m.text, m.type) for m in ms]][0]
    raw_misses = [(t, as_pairs(r)) for (t, gold), r in zip(NEWS, raw, strict=True)
                  if as_pairs(r) != gold]
    full_misses = [(t, as_pairs(r)) for (t, gold), r in zip(NEWS, full, strict=True)
                   if as_pairs(r) != gold]
    _rewrite(ROOT / "tests" / "recognize" / "ner" / "test_ner_model.py", "KNOWN_MISSES",
             raw_misses)
    _rewrite(ROOT / "tests" / "recognize" / "test_recognize.py", "RECOGNIZER_MISSES",
             full_misses)
    print(f"raw model: {len(NEWS) - len(raw_misses)} of {len(NEWS)} right; "
          f"model + steps: {len(NEWS) - len(full_misses)} of {len(NEWS)}")


if __name__ == "__main__":
    main()

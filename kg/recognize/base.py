"""The base recognizers: statistical proposals that the rule steps then correct.

``model`` is the trained network shipped in ``kg/resources/ner`` (numpy
inference, :mod:`kg.recognize.ner`); ``jieba`` reads jieba's POS tags
(nr/ns/nt), for comparison and for a checkout without the model. Which one
runs is an argument (``kg.recognize_many(texts, base="jieba")``,
``kg build --recognizer jieba``), never a process-wide switch.

>>> [(m.text, m.type) for m in jieba_base(["国家主席习近平在北京会见外宾"])[0]]
[('习近平', 'PER'), ('北京', 'LOC')]
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

from kg.errors import UsageError
from kg.model import Mention
from kg.recognize.ner.model import load_model
from kg.registry import base_recognizer, base_recognizers
from kg.text.chars import is_cjk
from kg.text.segment import tokens

__all__ = ["default_base", "jieba_base", "model_base", "run_base"]

_POS_TYPE = {"nr": "PER", "nrfg": "PER", "nrt": "PER", "ns": "LOC", "nt": "ORG"}


@lru_cache(maxsize=1)
def _has_model() -> bool:
    return resources.files("kg").joinpath("resources", "ner", "ner.npz").is_file()


@base_recognizer("model")
def model_base(texts: Sequence[str]) -> list[list[Mention]]:
    """The shipped network's mentions for each text."""
    return load_model().predict(texts)


@base_recognizer("jieba")
def jieba_base(texts: Sequence[str]) -> list[list[Mention]]:
    """Mentions from jieba's POS tags: nr/nrfg/nrt → PER, ns → LOC, nt → ORG."""
    out = []
    for text in texts:
        found = []
        for t in tokens(text):
            kind = _POS_TYPE.get(t.pos)
            if kind and (len(t.word) >= 2 or kind == "LOC") and all(map(is_cjk, t.word)):
                found.append(Mention(t.start, t.end, t.word, kind, score=0.5, recognizer="jieba"))
        out.append(found)
    return out


def default_base() -> str:
    """``model`` when the package ships the trained model, else ``jieba``."""
    return "model" if _has_model() else "jieba"


def run_base(texts: Sequence[str], name: str | None = None) -> list[list[Mention]]:
    """The mentions of base recognizer ``name`` (default: :func:`default_base`)."""
    bases = base_recognizers()
    name = name or default_base()
    if name not in bases:
        raise UsageError(f"unknown base recognizer {name!r}; use one of {', '.join(sorted(bases))}")
    return bases[name](texts)

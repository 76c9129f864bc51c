"""Typed mentions (PER, ORG, LOC) with exact offsets: a base recognizer, then any rule steps.

A base recognizer (:mod:`kg.recognize.base`: the shipped model, or jieba)
proposes mentions; recognizer steps registered with
:func:`kg.registry.recognizer_step` may then correct them, in three stages
(:data:`kg.registry.STEP_STAGES`): ``refine`` the base mentions, ``propose``
rule mentions (which win over the base ones they overlap), ``filter`` the
merged result. A step is a function ``(text, mentions) -> mentions``.

kg itself ships no rule steps: each of the eight it had (titles, suffix and
department organizations, place splitting, ...) cost micro F1 on at least
one of the two dev sources and won on none once the model was trained on
modern news (README, "the recognizer": the ablation table). The mechanism
stays for users' own rules and learned components.

>>> [(m.text, m.type) for m in recognize("国家主席习近平同法国总统马克龙通电话")]
[('习近平', 'PER'), ('法国', 'LOC'), ('马克龙', 'PER')]
"""

from __future__ import annotations

from collections.abc import Sequence

from kg.model import Mention
from kg.recognize.base import run_base
from kg.registry import STEP_STAGES, Registered, recognizer_steps

__all__ = ["merge", "recognize", "recognize_many"]


def merge(base: Sequence[Mention], rules: Sequence[Mention]) -> list[Mention]:
    """Flat, sorted mentions: rule mentions win over the base ones they overlap.

    >>> a = Mention(0, 4, "总统普京", "LOC")
    >>> b = Mention(2, 4, "普京", "PER")
    >>> [m.text for m in merge([a], [b])]
    ['普京']
    """
    chosen: list[Mention] = []
    taken = bytearray(max((m.end for m in (*base, *rules)), default=0))  # linear, not pairwise
    ordered = sorted(rules, key=lambda m: (m.start, -(m.end - m.start)))
    for m in (*ordered, *base):
        if not any(taken[m.start:m.end]):
            taken[m.start:m.end] = b"\x01" * (m.end - m.start)
            chosen.append(m)
    return sorted(chosen, key=lambda m: (m.start, m.end))


def _correct(text: str, found: list[Mention], steps: dict[str, list[Registered]]
             ) -> list[Mention]:
    """The registered steps on one text's base mentions, stage by stage."""
    for step in steps["refine"]:
        found = step.fn(text, found)
    rules: list[Mention] = []
    for step in steps["propose"]:
        rules += step.fn(text, found)
    found = merge(found, rules)
    for step in steps["filter"]:
        found = step.fn(text, found)
    return found


def recognize_many(texts: Sequence[str], *, base: str | None = None) -> list[list[Mention]]:
    """Recognize mentions in many texts at once (batched for the model).

    ``base`` names the base recognizer (``model`` or ``jieba``; default: the
    model when the package ships it).

    >>> [[m.text for m in ms] for ms in recognize_many(["本报记者 陈刚", "在京召开"])]
    [['陈刚'], ['京']]
    """
    steps = {stage: recognizer_steps(stage) for stage in STEP_STAGES}  # placed once a call
    return [_correct(text, found, steps)
            for text, found in zip(texts, run_base(texts, base), strict=True)]


def recognize(text: str, *, base: str | None = None) -> list[Mention]:
    """Mentions of people (PER), organizations (ORG) and places (LOC) in ``text``.

    >>> [(m.start, m.end, m.text, m.type) for m in recognize("本报记者 陈刚")]
    [(5, 7, '陈刚', 'PER')]
    """
    return recognize_many([text], base=base)[0]

"""Functions registered by name: recognizer steps, base recognizers, relation extractors."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from kg.errors import UsageError
from kg.registry.core import STEP_STAGES, Registered, current

__all__ = ["base_recognizer", "base_recognizers", "recognizer_step", "recognizer_steps",
           "relation_extractor", "relation_extractors", "unregister"]


def recognizer_step(name: str, *, stage: str = "filter", after: str | None = None,
                    before: str | None = None) -> Callable[[Callable], Callable]:
    """Register ``fn(text, mentions) -> mentions`` as a recognizer step.

    ``refine`` and ``filter`` steps return the new mention list; ``propose``
    steps return rule mentions to merge over the (refined) base mentions.
    """
    if stage not in STEP_STAGES:
        raise UsageError(f"unknown recognizer stage {stage!r}; use one of {STEP_STAGES}")

    def register(fn: Callable) -> Callable:
        current().steps[stage].add(Registered(name, fn, stage), after, before)
        return fn
    return register


def recognizer_steps(stage: str) -> list[Registered]:
    """The steps of one stage, in the order they run."""
    return current().steps[stage].ordered()


def base_recognizer(name: str) -> Callable[[Callable], Callable]:
    """Register ``fn(texts) -> list[list[Mention]]`` as a base recognizer."""
    def register(fn: Callable) -> Callable:
        current().bases[name] = fn
        return fn
    return register


def base_recognizers() -> Mapping[str, Callable[..., Any]]:
    """The base recognizers by name."""
    return dict(current().bases)


def relation_extractor(name: str, *, after: str | None = None,
                       before: str | None = None) -> Callable[[Callable], Callable]:
    """Register ``fn(context) -> Found`` as a relation extractor (see :mod:`kg.extract`)."""
    def register(fn: Callable) -> Callable:
        current().extractors.add(Registered(name, fn), after, before)
        return fn
    return register


def relation_extractors() -> list[Registered]:
    """The relation extractors, in the order they run."""
    return current().extractors.ordered()


def unregister(kind: str, name: str) -> None:
    """Remove a ``recognizer_step``, ``relation_extractor``, ``event_type`` or ``predicate``."""
    if kind == "recognizer_step":
        stage = next((s for s in STEP_STAGES
                      if name in [e.name for e, _, _ in current().steps[s].entries]), None)
        if stage is None:
            raise UsageError(f"no recognizer step is registered as {name!r}")
        current().steps[stage].remove(name)
    elif kind == "relation_extractor":
        current().extractors.remove(name)
    elif kind == "event_type":
        if current().extra_types.pop(name, None) is None:
            raise UsageError(f"no registered event type {name!r} (shipped ones stay)")
    elif kind == "predicate":
        if current().extra_predicates.pop(name, None) is None:
            raise UsageError(f"no registered predicate {name!r} (shipped ones stay)")
    else:
        raise UsageError(f"unknown registry kind {kind!r}")

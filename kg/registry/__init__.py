"""kg's extension points: event types, relation predicates, recognizer steps, extractors.

Everything a build runs or writes that someone may want to add to or replace
is registered here by name, and the stages run what is registered:

* **event types** and **relation predicates** are data, read from the schema
  files in ``kg/resources/schema/`` (:mod:`kg.schema`); a user adds their
  own with :func:`register_event_type` / :func:`load_event_schema` and
  :func:`register_predicate`;
* **base recognizers** (``model``, ``jieba``) propose mentions for a batch
  of texts; ``kg.recognize_many(texts, base="jieba")`` picks one;
* **recognizer steps** refine the base mentions, propose rule mentions (which
  win over the base ones they overlap) or filter the merged result, in the
  declared order: ``@recognizer_step("honorifics", stage="propose")``;
* **relation extractors** read one article and its mentions and return
  relations, events and derived mentions: ``@relation_extractor("positions")``.

Registering under a name that exists replaces that entry in its place, so a
learned component takes over from a rule by registering under the rule's
name. A type, role or predicate that is not registered is an error where it
is used, never a silent default.

>>> @recognizer_step("no-numbers", stage="filter")
... def no_numbers(text, mentions):
...     return [m for m in mentions if not m.text.isdigit()]
>>> "no-numbers" in [s.name for s in recognizer_steps("filter")]
True
>>> unregister("recognizer_step", "no-numbers")
"""

from __future__ import annotations

from kg.registry.core import STEP_STAGES, Registered, install, scoped, state
from kg.registry.data import (
    event_classes,
    event_type,
    event_types,
    load_event_schema,
    predicate,
    predicates,
    register_event_type,
    register_predicate,
)
from kg.registry.functions import (
    base_recognizer,
    base_recognizers,
    recognizer_step,
    recognizer_steps,
    relation_extractor,
    relation_extractors,
    unregister,
)

__all__ = [
    "STEP_STAGES",
    "Registered",
    "base_recognizer",
    "base_recognizers",
    "event_classes",
    "event_type",
    "event_types",
    "install",
    "load_event_schema",
    "predicate",
    "predicates",
    "recognizer_step",
    "recognizer_steps",
    "register_event_type",
    "register_predicate",
    "relation_extractor",
    "relation_extractors",
    "scoped",
    "state",
    "unregister",
]

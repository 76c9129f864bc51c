"""kg — knowledge graphs from Chinese news.

>>> import kg
>>> [(m.text, m.type) for m in kg.recognize("国家主席习近平同法国总统马克龙通电话")]
[('习近平', 'PER'), ('法国', 'LOC'), ('马克龙', 'PER')]
"""

from kg.api import KnowledgeGraph, build, load
from kg.errors import GraphError, InputError, KGError, UsageError
from kg.model import Article, Entity, Event, Mention, Relation
from kg.recognize import recognize, recognize_many

__version__ = "0.1.0"

__all__ = [
    "Article", "Entity", "Event", "GraphError", "InputError", "KGError", "KnowledgeGraph",
    "Mention", "Relation", "UsageError", "build", "load", "recognize", "recognize_many",
]

"""One exception hierarchy: everything kg raises derives from ``KGError``.

>>> issubclass(InputError, KGError)
True
"""

from __future__ import annotations


class KGError(Exception):
    """Base class of every error kg raises on purpose."""


class InputError(KGError):
    """An input file or record cannot be used.

    ``path`` and ``line`` (1-based, 0 when the whole file is concerned) say
    where; the message says what is wrong and what to do.

    >>> str(InputError("empty file", path="a.txt"))
    'a.txt: empty file'
    >>> str(InputError("malformed JSON", path="a.jsonl", line=3))
    'a.jsonl:3: malformed JSON'
    """

    def __init__(self, message: str, *, path: str = "", line: int = 0) -> None:
        self.reason = message
        self.path = path
        self.line = line
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}" if where else message)


class InputWarning(InputError):
    """A record was read, but one of its fields was not usable and was left out.

    Listed in ``report.json`` under ``warnings``; ``--strict`` makes it an error.

    >>> str(InputWarning('"url" is an object, not a string: ignored', path="a.jsonl", line=2))
    'a.jsonl:2: "url" is an object, not a string: ignored'
    """


class UsageError(KGError):
    """The caller asked for something that cannot be done (bad option, name)."""


class GraphError(KGError):
    """A graph file cannot be read, or a query failed."""

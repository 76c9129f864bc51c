"""The store folders of ``kg build --store``: where their Oxigraph store is, opened read-only.

A store folder holds the build's records and, in ``oxigraph/``, its
Oxigraph store; readers (``kg query``, ``kg serve``, :func:`kg.api.load`)
open that store read-only, since a build may be writing it.

>>> import tempfile
>>> folder = tempfile.mkdtemp()
>>> Store(folder + "/oxigraph").close()
>>> store_location(folder).name
'oxigraph'
"""

from __future__ import annotations

import os
from pathlib import Path

from kg.errors import GraphError
from kg.rdf.store import Store

__all__ = ["open_folder", "store_location"]


def store_location(path: str | os.PathLike[str]) -> Path:
    """The Oxigraph store of the folder ``path``, or a :class:`GraphError` when there is none.

    ``kg build --store DIR`` keeps its Oxigraph store in ``DIR/oxigraph``
    (beside its records); a folder that is an Oxigraph store itself (RocksDB
    files such as ``CURRENT``) is used as it is. Any other folder is refused,
    so a mistyped path is never turned into a new, empty store.

    >>> import tempfile
    >>> store_location(tempfile.mkdtemp())
    Traceback (most recent call last):
    ...
    kg.errors.GraphError: ...: not a kg store (no oxigraph/ folder in it); give a graph file, or a folder made by `kg build --store DIR`
    """  # noqa: E501
    root = Path(path)
    if (root / "oxigraph" / "CURRENT").is_file():
        return root / "oxigraph"
    if (root / "CURRENT").is_file():
        return root
    raise GraphError(f"{root}: not a kg store (no oxigraph/ folder in it); give a graph file, "
                     "or a folder made by `kg build --store DIR`")


def open_folder(path: str | os.PathLike[str]) -> Store:
    """The store of a ``kg build --store`` folder, opened read-only (see :func:`store_location`)."""
    return Store(store_location(path), read_only=True)

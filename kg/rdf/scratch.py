"""Scratch folders of builds, and clearing those that killed builds left behind.

A build's scratch store (:meth:`kg.rdf.store.Store.temporary`) lives in a folder
named ``SCRATCH_PREFIX`` + the process id, so a later run can tell whether
its owner still runs.

>>> import os, shutil, tempfile
>>> out = tempfile.mkdtemp()
>>> os.mkdir(os.path.join(out, f"{SCRATCH_PREFIX}{os.getpid()}-x"))  # ours: kept
>>> os.mkdir(os.path.join(out, f"{SCRATCH_PREFIX}999999999-x"))  # no such process
>>> [p.name for p in remove_stale(out)], len(os.listdir(out))
(['.kg-scratch-999999999-x'], 1)
>>> shutil.rmtree(out)
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

__all__ = ["SCRATCH_PREFIX", "remove_stale"]

SCRATCH_PREFIX = ".kg-scratch-"
"""Name prefix of the scratch stores of builds (see :meth:`kg.rdf.store.Store.temporary`)."""


def remove_stale(folder: str | os.PathLike[str]) -> list[Path]:
    """Remove scratch stores in ``folder`` left by builds that were killed.

    A scratch folder is named after its process; it is stale when no such
    process runs any more.
    """
    removed = []
    root = Path(folder)
    if not root.is_dir():
        return removed
    for path in root.glob(f"{SCRATCH_PREFIX}*"):
        pid = path.name[len(SCRATCH_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:  # the records a build spills beside its store
                path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True

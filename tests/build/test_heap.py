"""The build's glibc heap settings (kg.build.heap), measured by page faults in a fresh process."""

from __future__ import annotations

import os
import platform
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc",
    reason="kg.build.heap only changes glibc's malloc")

CHILD = """
import resource, numpy as np
from kg.build.heap import network_heap
def faults(n=50):  # minor page faults of n NumPy temporaries of 2 MB, as a network makes
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(n):
        a = np.ones(1 << 18)
        del a
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
before = faults()
network_heap()
faults(5)
print(before, faults())
"""


def test_a_dask_worker_heap_keeps_network_temporaries_instead_of_remapping_them() -> None:
    # what Dask's nanny sets for its workers (distributed.nanny.pre-spawn-environ)
    env = {**os.environ, "MALLOC_TRIM_THRESHOLD_": "65536"}
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    before, after = int(out[0]), int(out[1])
    assert before > 50 * 256  # each 2 MB block mapped anew: a fault per 4 kB page
    assert after < before / 20  # from the heap, its pages kept

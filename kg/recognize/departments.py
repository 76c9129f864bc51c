"""Departments named for two fields are one name: 人力资源和社会保障厅, 国家发展和改革委员会.

Otherwise 和 joins two names (中国和巴西外交部); a department's name starts
after the words before it (今年人力资源和社会保障部 is 人力资源和社会保障部).
The recognizer step ``departments`` proposes them.

>>> [m.text for m in joined_departments("国家发展和改革委员会印发方案")]
['国家发展和改革委员会']
>>> joined_departments("中国和巴西外交部")
[]
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kg.lexicon.gazetteer import gazetteer
from kg.lexicon.rules import breakers, org_suffix_regex
from kg.model import Mention
from kg.recognize.organizations import is_noun, stop_chars
from kg.registry import recognizer_step
from kg.text.chars import CJK, is_cjk
from kg.text.segment import tokens

__all__ = ["joined_departments"]

_DEPARTMENT_RE = re.compile(f"和([{CJK}]{{2,6}}?)(?:部|厅|局|委员会)")


def joined_departments(text: str) -> list[Mention]:
    """Departments named for two fields joined by 和: one organization each.

    Government departments are named 人力资源和社会保障部, 文化和旅游厅,
    住房和城乡建设局, often after a place or a bare level (市, 省). When the
    words before 和 end in an organization suffix (教育部和公安部) or are a
    place (中国和法国…), 和 joins two names instead.

    >>> [m.text for m in joined_departments("文化和旅游部、住房和城乡建设部联合发文")]
    ['文化和旅游部', '住房和城乡建设部']
    >>> [m.text for m in joined_departments("记者从广东省人力资源和社会保障厅获悉")]
    ['广东省人力资源和社会保障厅']
    >>> joined_departments("教育部和公安部联合发文，学校和医院都已复课")
    []
    """
    found: list[Mention] = []
    for match in _DEPARTMENT_RE.finditer(text):
        joint = match.start()
        start = joint
        while start > 0 and joint - start < 10 and is_cjk(text[start - 1]) \
                and text[start - 1] not in stop_chars():
            start -= 1
        places = gazetteer().prefix(text[start:joint])
        field = text[start + (places[-1][1] if places else 0) : joint]
        if field[:1] in ("市", "省", "区", "县") and not places:
            field = field[1:]
        if len(field) > 5:  # words before the name (今年人力资源和…): drop them
            start, field = _last_words(text, joint - len(field), joint, 5)
        second = match.group(1)
        if (not 2 <= len(field) <= 5 or org_suffix_regex().search(field)
                or not is_noun(field, verbal=True) or any(ch in stop_chars() for ch in second)
                or breakers().search(second)):
            continue
        found.append(Mention(start, match.end(), text[start : match.end()], "ORG", score=0.8,
                             recognizer="rule:department"))
    return found


def _last_words(text: str, start: int, end: int, limit: int) -> tuple[int, str]:
    """The longest run of whole jieba words ending at ``end``, at most ``limit`` chars.

    >>> _last_words("今年人力资源和", 0, 6, 5)
    (2, '人力资源')
    """
    for t in tokens(text[start:end]):
        if end - (start + t.start) <= limit:
            return start + t.start, text[start + t.start : end]
    return end, ""


@recognizer_step("departments", stage="propose", after="suffix-organizations")
def _departments_step(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    return joined_departments(text)

"""Page layout: articles, titles, parts, credits, datelines and source maps."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import UsageError
from kg.ingest.credits import masthead_end
from kg.ingest.files import iter_documents
from kg.ingest.layout import split_articles
from kg.model import Article, Document

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "gongren-ribao-2025-02-25.txt"
FIXTURES = ROOT / "tests" / "fixtures"


def read(path: Path) -> list[Document]:
    return list(iter_documents(path))


def assert_consistent(doc: Document, article: Article) -> None:
    """Every run maps to identical text; only the "\\n" separators are unmapped."""
    mapped = set()
    for start, src, length in article.source_map:
        assert doc.text[src : src + length] == article.text[start : start + length]
        mapped.update(range(start, start + length))
    unmapped = {i for i in range(len(article.text)) if i not in mapped}
    assert all(article.text[i] == "\n" for i in unmapped)
    for credit in article.credits:
        assert article.text[credit.start : credit.end] == credit.name
    for part in article.parts:
        assert 0 <= part.start < part.end <= len(article.text)
        assert "\n" not in article.text[part.start : part.end]
    if article.title and not doc.meta.get("title"):
        assert "".join(article.text[p.start : p.end] for p in article.parts_of("title")) == (
            article.title
        )


@pytest.fixture(scope="module")
def sample() -> tuple[Document, list[Article]]:
    (doc,) = read(SAMPLE)
    return doc, split_articles(doc)


SAMPLE_TITLES = [
    "习近平同俄罗斯总统普京通电话",
    "大连探求产业工人技能形成『最优解』——让技能人才『有为』还『有位』",
    "中国财贸轻纺烟草工会与中国轻工业联合会召开联席会议",
    "开学第一课 非遗进校园",
    "重庆市总工会以产教融合联盟形式，开辟产业工人学历技能提升快车道 革新“方法论” 助攻“双提升”",
    "京津联动助推 科技创新产业集聚",
    "“人工智能+”催生行业新变 ——中西部多地走访见闻",
    "“妈妈岗”，实现灵活就业之后……",
]

SAMPLE_CREDITS = [
    [],
    [("reporter", "刘旭"), ("correspondent", "吴庆国")],
    [("reporter", "朱欣")],
    [("photographer", "张楠")],
    [("reporter", "黄仕强")],
    [("photographer", "孙凡越")],
    [("reporter", "农冠斌"), ("reporter", "吴燕霞"), ("reporter", "谢奔")],
    [("reporter", "秦亦姝")],
]

# (date, agency, dateline, place, subtitles, subheads)
SAMPLE_DETAILS = [
    ("2025-02-24", "新华社", "新华社北京2月24日电", "北京", [], []),
    ("2025-02-25", "本报", "", "", ["深化“产改”进行时"], ["合力推动，让高技能人才不断涌现"]),
    ("2025-02-24", "本报", "本报北京2月24日电", "北京", [], []),
    ("2025-02-25", "新华社", "", "", [], []),
    ("2025-02-25", "本报", "", "", [], ["论文写在岗位上"]),
    ("2025-02-25", "新华社", "", "", [], []),
    ("2025-02-25", "新华社", "", "", [], ["看应用 新场景不断涌现"]),
    (
        "2025-02-25",
        "本报",
        "",
        "",
        ["在利好已育女性重返职场的同时，职业发展、劳动权益等有待完善"],
        ["助力全职妈妈重返职场"],
    ),
]


def texts(article: Article, kind: str) -> list[str]:
    return [article.text[p.start : p.end] for p in article.parts_of(kind)]


def test_sample_has_eight_articles_with_exact_titles(sample):
    _, articles = sample
    assert [a.title for a in articles] == SAMPLE_TITLES
    for article in articles:
        assert article.text.startswith(article.title.split("——")[0])
        assert article.published == "2025-02-25"
        assert article.source == "工人日报"
        assert article.path == str(SAMPLE)


def test_sample_credits(sample):
    _, articles = sample
    assert [[(c.role, c.name) for c in a.credits] for a in articles] == SAMPLE_CREDITS


def test_sample_dates_datelines_and_heads(sample):
    _, articles = sample
    got = [
        (a.date, a.agency, a.dateline, a.place, texts(a, "subtitle"), texts(a, "subhead"))
        for a in articles
    ]
    assert got == [tuple(d) for d in SAMPLE_DETAILS]
    first = articles[0]
    assert texts(first, "dateline") == ["新华社北京2月24日电"]
    assert texts(first, "body")[0] == "2月24日下午，国家主席习近平应约同俄罗斯总统普京通电话。"
    assert texts(articles[2], "dateline") == ["本报北京2月24日电（记者朱欣）"]


def test_sample_reading_order_puts_the_late_headline_first(sample):
    _, articles = sample
    second = articles[1]
    assert second.text.split("\n")[:4] == [
        "大连探求产业工人技能形成『最优解』——让技能人才『有为』还『有位』",
        "深化“产改”进行时",
        "本报记者 刘旭",
        "本报通讯员 吴庆国",
    ]
    assert [p.kind for p in second.parts[:4]] == ["title", "subtitle", "byline", "byline"]
    assert second.text.endswith("推动公司劳模工匠和专家人才青蓝相继、精英辈出。")


def test_sample_photo_news_has_caption_and_credit(sample):
    _, articles = sample
    assert texts(articles[3], "caption") == [
        "2月24日是吉林省长春市中小学开学第一天，在吉林省第二实验朝阳学校，"
        "糖画艺人董露露（右二）指导学生制作糖画，让学生们体验非遗的魅力。"
    ]
    assert texts(articles[3], "credit") == ["新华社记者 张楠 摄"]
    assert texts(articles[5], "caption") == [
        "在位于京津中关村科技城的天津新松智能科技有限公司，"
        "工作人员对电子元器件进行检测（2月20日摄）。"
    ]
    assert texts(articles[5], "credit") == ["新华社记者 孙凡越 摄"]
    assert len(texts(articles[5], "body")) == 2


def test_sample_continuations(sample):
    _, articles = sample
    assert [texts(a, "continuation") for a in articles] == [
        [],
        [],
        [],
        [],
        ["（下转第3版）"],
        [],
        ["（下转第3版）"],
        ["（下转第3版）"],
    ]
    # The marker is its own part, not glued to the unfinished paragraph.
    assert articles[6].text.endswith("推出基于本地部署的\n（下转第3版）")


@pytest.mark.parametrize(
    ("index", "joined"),
    [
        (0, "共同纪念世界反法西斯战争胜利80周年"),
        (4, "携手组建了重庆市燃气地质行业产教融合联盟"),
        (4, "王蕴琦被调至重庆科学城供电中心客户服务业务部"),
        (6, "精准指导投料与生产。"),
        (7, "工作时间、管理模式相对灵活"),
        (7, "广东、山东、河北、湖南等地"),
    ],
)
def test_sample_paragraphs_broken_by_the_wrap_are_rejoined(sample, index, joined):
    _, articles = sample
    body = texts(articles[index], "body")
    assert any(joined in paragraph for paragraph in body)


def test_sample_masthead_is_in_no_article(sample):
    doc, articles = sample
    for article in articles:
        for marker in ("国内统一连续出版物号", "WORKERS' DAILY", "星期二", "worker.cn"):
            assert marker not in article.text
    assert doc.text[: masthead_end(doc.text)].rstrip().endswith("<http://www.worker.cn>")


def test_sample_source_maps_and_ids(sample):
    doc, articles = sample
    for article in articles:
        assert_consistent(doc, article)
        assert article.id == "a" + hashlib.sha1(article.text.encode()).hexdigest()[:12]
    assert [a.id for a in split_articles(doc)] == [a.id for a in articles]
    # Every non-blank character after the masthead is in exactly one article.
    covered = sorted(src + k for a in articles for _, src, n in a.source_map for k in range(n))
    expected = [
        i for i in range(masthead_end(doc.text), len(doc.text)) if not doc.text[i].isspace()
    ]
    assert [i for i in covered if not doc.text[i].isspace()] == expected


def test_page_with_two_datelines_and_a_photo():
    (doc,) = read(FIXTURES / "page-two-datelines.txt")
    articles = split_articles(doc)
    got = [
        (a.title, a.date, a.agency, a.dateline, a.place, [(c.role, c.name) for c in a.credits])
        for a in articles
    ]
    assert got == [
        (
            "国务院常务会议研究部署冬季安全生产",
            "2024-12-30",
            "新华社",
            "新华社北京12月30日电",
            "北京",
            [],
        ),
        (
            "上海港集装箱吞吐量再创新高",
            "2024-12-30",
            "本报",
            "本报上海12月30日电",
            "上海",
            [("reporter", "王明"), ("reporter", "李华")],
        ),
        ("雪后故宫", "2024-12-31", "新华社", "", "", [("photographer", "陈晨")]),
    ]
    assert {(a.published, a.source) for a in articles} == {("2024-12-31", "人民日报")}
    assert texts(articles[0], "body")[1] == (
        "会议指出，要压紧压实各方责任，加强重点行业领域隐患排查整治，全力防范化解重大安全风险。"
    )
    assert [p.kind for p in articles[2].parts] == ["title", "caption", "credit"]
    for article in articles:
        assert_consistent(doc, article)
        assert "出版" not in article.text


def test_single_article_without_masthead_uses_the_date_argument():
    (doc,) = read(FIXTURES / "single-article.txt")
    (article,) = split_articles(doc, date="2025-03-01")
    assert article.title == "全国总工会部署开展春季送岗位活动"
    assert (article.date, article.published, article.source) == ("2025-03-01", "2025-03-01", "")
    assert [p.kind for p in article.parts] == ["title", "body", "subhead", "body", "byline"]
    assert texts(article, "body")[0] == (
        "记者从全国总工会获悉，今年春季将集中开展送岗位、送技能、送服务活动，帮助农民工等群体就业。"
    )
    assert [(c.role, c.name) for c in article.credits] == [
        ("reporter", "郑莉"),
        ("correspondent", "孙静"),
    ]
    assert article.agency == "本报"
    assert_consistent(doc, article)
    assert split_articles(doc)[0].date is None


def test_foreign_dateline_with_two_reporters():
    (doc,) = read(FIXTURES / "washington.txt")
    (article,) = split_articles(doc, date="2025-01-30")
    assert (article.agency, article.dateline, article.place, article.date) == (
        "新华社",
        "新华社华盛顿1月29日电",
        "华盛顿",
        "2025-01-29",
    )
    assert texts(article, "dateline") == ["新华社华盛顿1月29日电（记者 熊茂伶 徐静）"]
    assert [(c.role, c.name) for c in article.credits] == [
        ("reporter", "熊茂伶"),
        ("reporter", "徐静"),
    ]
    assert_consistent(doc, article)


def test_jsonl_records_are_one_article_each():
    docs = read(FIXTURES / "records.jsonl")
    got = [split_articles(d, date="2025-03-01") for d in docs]
    assert [len(a) for a in got] == [1, 1, 1]
    first, second, third = (a[0] for a in got)
    assert (first.id, first.title, first.date, first.published, first.source, first.url) == (
        "xh-001",
        "习近平同俄罗斯总统普京通电话",
        "2025-02-24",
        "2025-02-25",
        "新华社",
        "http://www.news.cn/1",
    )
    assert (first.line, first.agency, first.place) == (1, "新华社", "北京")
    assert [p.kind for p in first.parts] == ["title", "dateline", "body"]
    assert second.title == "全总召开联席会议"
    assert second.id.startswith("a") and len(second.id) == 13
    assert (second.date, second.published, second.line) == ("2025-03-01", "2025-03-01", 2)
    assert [(c.role, c.name) for c in second.credits] == [
        ("reporter", "刘旭"),
        ("correspondent", "吴庆国"),
    ]
    # A title from the record that is not in the text is not inserted into it.
    assert third.title == "轻工行业技能竞赛启动"
    assert third.text == "本报讯（记者 朱欣）第五届全国工业设计职业技能大赛日前启动。"
    assert (third.dateline, third.agency, third.date, third.source) == (
        "本报讯",
        "本报",
        "2025-02-24",
        "工人日报",
    )
    assert [(c.role, c.name) for c in third.credits] == [("reporter", "朱欣")]
    for doc, (article,) in zip(docs, got, strict=True):
        assert_consistent(doc, article)


def test_several_datelines_without_headlines_give_several_articles():
    text = (
        "新华社北京2月24日电 正文一。\n\n第二段。\n\n"
        "新华社电 正文二。\n\n本报讯（记者 朱欣）正文三。"
    )
    articles = split_articles(Document("p.txt", text, "utf-8"), date="2025-02-25")
    assert [(a.dateline, a.date, a.title) for a in articles] == [
        ("新华社北京2月24日电", "2025-02-24", ""),
        ("新华社电", "2025-02-25", ""),
        ("本报讯", "2025-02-25", ""),
    ]
    assert articles[0].text == "新华社北京2月24日电 正文一。\n第二段。"


def test_wrapped_dateline_paragraph_after_headline_is_not_a_subhead():
    text = "某市举行职工运动会\n\n本报记者 李明\n\n运动会共设12个项目，\n\n吸引了3000余名职工参加。"
    (article,) = split_articles(Document("p.txt", text, "utf-8"))
    assert texts(article, "body") == ["运动会共设12个项目，吸引了3000余名职工参加。"]


CHARS = st.characters(codec="utf-8", exclude_categories=("Cs",))
PIECES = st.sampled_from(
    [
        "\n",
        "\n\n",
        "\n\n\n",
        "。",
        "，",
        "——",
        "……",
        " ",
        "“",
        "”",
        "（下转第3版）",
        "本报记者 刘旭",
        "新华社记者 张楠 摄",
        "新华社北京2月24日电",
        "本报讯（记者 朱欣）",
        "2025年2月25日 星期二",
        "工人日报社出版",
        "国内统一连续出版物号 CN 11-0002",
        "标题",
        "正文内容",
        "\r\n",
        "\u3000",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(PIECES, st.text(CHARS, max_size=8)), max_size=40))
def test_random_pages_keep_every_character_after_the_masthead(pieces):
    text = "".join(pieces)
    doc = Document("random.txt", text, "utf-8")
    articles = split_articles(doc, date="2025-02-25")
    for article in articles:
        assert_consistent(doc, article)
    covered = sorted(src + k for a in articles for _, src, n in a.source_map for k in range(n))
    assert len(covered) == len(set(covered))
    expected = [i for i in range(masthead_end(text), len(text)) if not text[i].isspace()]
    assert [i for i in covered if not text[i].isspace()] == expected


def test_a_one_megabyte_line_is_handled_in_linear_time():
    text = "标题\n\n" + "，" * 500_000 + "中" * 500_000 + "\n\n" + "本报记者 刘" + "旭" * 200_000
    articles = split_articles(Document("big.txt", text, "utf-8"))
    assert sum(len(a.text) for a in articles) >= len(text) - 10


def test_continued_article_and_bad_date_argument():
    text = "“妈妈岗”，实现灵活就业之后……\n\n（上接第1版）\n\n有专家建议，完善岗位员工劳动权益保障。"
    (article,) = split_articles(Document("p3.txt", text, "utf-8"), date="2025年2月25日")
    assert article.title == "“妈妈岗”，实现灵活就业之后……"
    assert [p.kind for p in article.parts] == ["title", "continuation", "body"]
    assert article.published == "2025-02-25"
    with pytest.raises(UsageError, match="not a date"):
        split_articles(Document("p3.txt", text, "utf-8"), date="yesterday")


def test_a_continuation_marker_ends_the_article():
    text = (
        "全总部署春季送岗位活动\n\n本报记者 刘旭\n\n活动将持续到5月底，覆盖全国各地的\n\n"
        "（下转第2版）\n\n职工书屋建设提速\n\n今年将新建职工书屋1000家。"
    )
    articles = split_articles(Document("p.txt", text, "utf-8"))
    assert [(a.title, [p.kind for p in a.parts]) for a in articles] == [
        ("全总部署春季送岗位活动", ["title", "byline", "body", "continuation"]),
        ("职工书屋建设提速", ["title", "body"]),
    ]


# Inline, not in fixtures/: test_scale counts the articles of every fixture file.
BYLINE_AFTER_FINISHED_ARTICLE = """\
XINWEN RIBAO

2024年11月20日 星期三

新闻日报社出版

省总工会召开劳模座谈会

本报杭州11月19日电（记者 赵敏）省总工会今天召开劳模座谈会，听取一线职工意见建议。

与会劳模围绕技能提升、权益保障等话题踊跃发言。

本报记者 钱程

本报通讯员 孙立

“这条产线上的每一道焊缝，都要经得起检验。”在某汽车零部件企业车间，焊工班长老周说。

近年来，该企业每年举办岗位练兵活动，参与职工超过2000人次，一批青年职工

脱颖而出，成长为技术骨干。

岗位练兵蔚然成风——
青年焊工挑大梁

全市新增就业岗位两万个

新华社杭州11月19日电 记者19日从市人社局获悉，今年以来全市新增就业岗位两万个。
"""


def test_a_byline_after_a_finished_paragraph_starts_an_article_with_a_late_headline():
    doc = Document("page.txt", BYLINE_AFTER_FINISHED_ARTICLE, "utf-8")
    articles = split_articles(doc)
    got = [(a.title, a.date, a.dateline, [(c.role, c.name) for c in a.credits]) for a in articles]
    assert got == [
        ("省总工会召开劳模座谈会", "2024-11-19", "本报杭州11月19日电", [("reporter", "赵敏")]),
        (
            "岗位练兵蔚然成风——青年焊工挑大梁",
            "2024-11-20",
            "",
            [("reporter", "钱程"), ("correspondent", "孙立")],
        ),
        ("全市新增就业岗位两万个", "2024-11-19", "新华社杭州11月19日电", []),
    ]
    assert articles[0].text.endswith("与会劳模围绕技能提升、权益保障等话题踊跃发言。")
    assert [p.kind for p in articles[1].parts] == ["title", "byline", "byline", "body", "body"]
    assert texts(articles[1], "body")[-1] == (
        "近年来，该企业每年举办岗位练兵活动，参与职工超过2000人次，一批青年职工"
        "脱颖而出，成长为技术骨干。"
    )
    for article in articles:
        assert_consistent(doc, article)


def test_a_byline_after_an_unfinished_paragraph_stays_in_the_article():
    text = (
        "职工书屋建设提速\n\n今年将新建职工书屋1000家，书屋将配备图书、电子阅读设备和文体器材，"
        "面向一线职工免费开放，\n\n本报记者 刘旭\n\n覆盖全国各地。"
    )
    (article,) = split_articles(Document("p.txt", text, "utf-8"), date="2025-02-25")
    assert article.title == "职工书屋建设提速"


def test_a_byline_after_the_last_paragraph_signs_the_article():
    text = (
        "职工书屋建设提速\n\n今年将新建职工书屋1000家。\n\n本报记者 刘旭\n\n\n\n雪后故宫\n\n游客。"
    )
    titles = [a.title for a in split_articles(Document("p.txt", text, "utf-8"))]
    assert titles == ["职工书屋建设提速", "雪后故宫"]


def _gold_forms(art: dict) -> set[str]:
    """The gold title, optionally with its kicker before and subtitle after."""
    t, k, s = (art.get(x, "") for x in ("title", "kicker", "subtitle"))
    return {"".join((a + t + b).split()) for a in {"", k} for b in {"", s}}


GOLD = json.loads((ROOT / "benchmarks" / "data" / "gold.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", GOLD["pages"], ids=lambda p: p["file"])
def test_benchmark_pages_split_into_the_gold_articles(page):
    (doc,) = read(ROOT / "benchmarks" / "data" / page["file"])
    articles = split_articles(doc)
    assert len(articles) == len(page["articles"])
    for article, gold in zip(articles, page["articles"], strict=True):
        assert "".join(article.title.split()) in _gold_forms(gold)
        assert {c.name for c in article.credits} == {
            n for f in ("reporters", "correspondents", "photographers") for n in gold.get(f, ())
        }
        assert article.published == page["published"]
        assert_consistent(doc, article)


def test_benchmark_page_titles_and_dates():
    pages = {
        "page-1.txt": [
            ("李强同新西兰总理拉克森通电话", "2025-03-04"),
            ("机冶建材工会与钢铁协会签署战略合作协议", "2025-03-04"),
            ("宁波以赛促学锤炼港口职工——桥吊“绣花”练出“硬功夫”", "2025-03-05"),
            ("人社部财政部印发通知稳就业", "2025-03-04"),
            ("春耕备耕忙", "2025-03-05"),
            ("智能产线赶订单", "2025-03-05"),
        ],
        "page-2.txt": [
            ("韩正会见坦桑尼亚副总统姆潘戈", "2025-03-11"),
            ("“蓉城工匠”大赛启幕", "2025-03-11"),
            ("产业工人联盟“抱团”育人才", "2025-03-12"),
            ("“走出去”的中国企业在当地办起技能培训", "2025-03-12"),
            ("高原牧场春来早", "2025-03-12"),
            ("江西赣州：脐橙加工车间忙", "2025-03-12"),
        ],
        "page-3.txt": [
            ("王毅同西班牙外交大臣阿尔瓦雷斯举行会谈", "2025-03-18"),
            ("长三角四地经信部门召开新能源汽车产业协同推进会", "2025-03-18"),
            ("“电工大师”工作室里的“传帮带”", "2025-03-19"),
            ("深圳出台新规规范网络直播营销", "2025-03-19"),
            ("绿色算力", "2025-03-19"),
        ],
    }
    for name, want in pages.items():
        (doc,) = read(ROOT / "benchmarks" / "data" / name)
        assert [(a.title, a.date) for a in split_articles(doc)] == want, name
    (doc,) = read(SAMPLE)
    assert [a.title for a in split_articles(doc)] == SAMPLE_TITLES

"""Responsible bureaus: parsed exactly as printed, named in English, found by any name."""

from __future__ import annotations

import pytest

from planqa.bureaus import BureauTable, parse_responsible
from planqa.errors import CorpusError, UnknownBureauError

from .conftest import CORPUS

PRINTED = {
    1: "市人才工作局",
    2: "市人力资源社会保障局、市经济和信息化局、市政务服务和数据管理局",
    3: "市人力资源社会保障局",
    4: "市教委、市人力资源社会保障局",
    5: "市教委、市经济和信息化局、市政务服务和数据管理局",
    6: "市教委、市人力资源社会保障局、市政务服务和数据管理局",
    7: "市人力资源社会保障局",
    8: "市人力资源社会保障局、市经济和信息化局",
    9: "市人才工作局、市委网信办、市人力资源社会保障局、市经济和信息化局、市政务服务和数据管理局",
    10: "市人力资源社会保障局",
    11: "市人力资源社会保障局",
    12: "市科委中关村管委会、市教委、市人力资源社会保障局",
    13: "市专业技术人才知识更新工程指导协调小组成员单位、各区人力资源和社会保障局、北京经济技术开发区社会事业局",
    14: "市专业技术人才知识更新工程指导协调小组成员单位",
    15: "市人力资源社会保障局、市经济和信息化局",
    16: "市人才工作局、市人力资源社会保障局、各区人力资源和社会保障局、北京经济技术开发区社会事业局",
}


@pytest.mark.parametrize("number", sorted(PRINTED))
def test_bureaus_of_every_beijing_measure(catalog, number):
    chunk = catalog.chunk(f"bj-2024#{number}")
    assert [b.zh for b in chunk.bureaus] == PRINTED[number].split("、")
    assert chunk.text.endswith(f"（{PRINTED[number]}）")
    assert all(b.en.startswith(("Beijing", "Office", "District", "Member", "Social")) for b in chunk.bureaus)
    rendering = catalog.chunk(chunk.aligned_id)
    assert rendering.bureaus == chunk.bureaus
    assert all(b.en in rendering.text for b in chunk.bureaus)  # the English rendering prints the same units


def test_official_english_names(catalog):
    table = catalog.table
    assert table.resolve("市人力资源社会保障局").en == "Beijing Municipal Human Resources and Social Security Bureau"
    assert table.resolve("市科委中关村管委会").en == (
        "Beijing Municipal Science and Technology Commission, Zhongguancun Science Park Administrative Committee"
    )
    assert table.resolve("某某局").en == ""


def test_sections_and_national_measures_have_no_bureaus(catalog):
    assert catalog.chunk("bj-2024#s2").bureaus == ()
    assert all(catalog.chunk(f"national-2024#{n}").bureaus == () for n in range(1, 13))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("人社局", ["市人力资源社会保障局"]),
        ("市人社局", ["市人力资源社会保障局"]),
        ("HRSS", ["市人力资源社会保障局"]),
        ("hrss", ["市人力资源社会保障局"]),
        ("北京市人力资源和社会保障局", ["市人力资源社会保障局"]),
        ("教委", ["市教委"]),
        ("education commission", ["市教委"]),
        ("Zhongguancun", ["市科委中关村管委会"]),
        ("区人社局", ["各区人力资源和社会保障局"]),
        ("Talent Work", ["市人才工作局"]),
        ("经开区", ["北京经济技术开发区社会事业局"]),
        ("市经信委", ["市经济和信息化局"]),
        ("Educaton Comission", ["市教委"]),
        ("人才工作剧", ["市人才工作局"]),
    ],
)
def test_lookup_by_any_name(catalog, query, expected):
    assert [bureau.zh for bureau, _ in catalog.directory.lookup(query)] == expected


def test_partial_name_finds_every_match(catalog):
    found = [bureau.zh for bureau, _ in catalog.directory.lookup("人力社保")]
    assert set(found) == {"市人力资源社会保障局", "各区人力资源和社会保障局"}
    # 人社 alone is what people call the municipal bureau (an alias in bureaus.yaml); the districts' is 区人社局.
    assert [bureau.zh for bureau, _ in catalog.directory.lookup("人社")] == ["市人力资源社会保障局"]


def test_directory_lists_complete_clause_sets(catalog):
    ((_, clauses),) = catalog.directory.lookup("市教委")
    assert [c.id for c in clauses] == ["bj-2024#4", "bj-2024#5", "bj-2024#6", "bj-2024#12"]
    ((_, hrss),) = catalog.directory.lookup("HRSS")
    assert len(hrss) == sum("市人力资源社会保障局" in v.split("、") for v in PRINTED.values())
    ((_, finance),) = catalog.directory.lookup("财政局")
    assert finance == []  # an issuer that leads no measure


def test_unknown_bureau(catalog):
    with pytest.raises(UnknownBureauError, match="no bureau matches 'Ministry of Magic'"):
        catalog.directory.lookup("Ministry of Magic")
    with pytest.raises(UnknownBureauError):
        catalog.directory.lookup("   ")


def test_parse_responsible_rules():
    table = BureauTable.load(CORPUS)
    assert [b.zh for b in parse_responsible("内容。（市教委、市人力资源社会保障局）", "zh", table)] == ["市教委", "市人力资源社会保障局"]
    assert parse_responsible("职业院校（含技工院校）", "zh", table) == ()
    assert parse_responsible("Some text (see annex)", "en", table) == ()
    assert [b.zh for b in parse_responsible("Text (Beijing Municipal Education Commission)", "en", table)] == ["市教委"]


def test_broken_bureau_table(tmp_path):
    (tmp_path / "bureaus.yaml").write_text("bureaus:\n  - zh: 市教委\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="entry 1 needs both 'zh' and 'en'"):
        BureauTable.load(tmp_path)
    with pytest.raises(CorpusError, match=r"bureaus\.yaml is missing"):
        BureauTable.load(tmp_path / "nowhere")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"bureaus:\n  - zh: [\xe5\xb8\x82\n", r"bureaus\.yaml: broken YAML \(line \d+\)"),
        (b"bureaus:\n  - zh: \xff\xfe\n", r"bureaus\.yaml: not valid UTF-8"),
        (b"- just a list\n", r"bureaus\.yaml: expected a top-level 'bureaus:' list"),
    ],
)
def test_unreadable_bureau_table_is_one_corpus_error(tmp_path, content, message):
    (tmp_path / "bureaus.yaml").write_bytes(content)
    with pytest.raises(CorpusError, match=message):
        BureauTable.load(tmp_path)


# --- units named in free text: any name, partly, formerly, with a typo -------------------------

NAMED = [
    # exact current names and abbreviations
    ("Which measures does the Beijing Municipal Education Commission lead?", "市教委", "exact"),
    ("HRSS 负责哪些措施", "市人力资源社会保障局", "exact"),
    ("教委负责哪些措施", "市教委", "exact"),
    ("Is the HR bureau involved?", "市人力资源社会保障局", "exact"),
    # former names, Chinese and English
    ("市经信委负责什么", "市经济和信息化局", "former"),
    ("北京市经济和信息化委员会", "市经济和信息化局", "former"),
    ("Beijing Municipal Commission of Economy and Information Technology", "市经济和信息化局", "former"),
    ("北京市政务服务管理局的职责", "市政务服务和数据管理局", "former"),
    ("Beijing Municipal Government Service Bureau", "市政务服务和数据管理局", "former"),
    ("北京市大数据管理局", "市政务服务和数据管理局", "former"),
    ("the Beijing Big Data Management Bureau", "市政务服务和数据管理局", "former"),
    ("北京市人事局", "市人力资源社会保障局", "former"),
    ("北京市劳动和社会保障局", "市人力资源社会保障局", "former"),
    ("Beijing Municipal Labour and Social Security Bureau", "市人力资源社会保障局", "former"),
    ("中关村科技园区管理委员会", "市科委中关村管委会", "former"),
    ("中共北京市委网络安全和信息化领导小组办公室", "市委网信办", "former"),
    # partial names: the distinctive words plus a unit noun
    ("the Municipal Finance Bureau", "市财政局", "partial"),
    ("Municipal Education Commission", "市教委", "partial"),
    ("the Social Security Bureau", "市人力资源社会保障局", "partial"),
    ("数据管理局负责哪些措施", "市政务服务和数据管理局", "partial"),
    ("科学技术委员会", "市科委中关村管委会", "partial"),
    ("人力资源和社会保障局", "市人力资源社会保障局", "partial"),
    ("经济和信息化委员会", "市经济和信息化局", "partial"),
    # a distinctive word and the name's last word, the words between them left out
    ("Is the Zhongguancun committee involved?", "市科委中关村管委会", "partial"),
    ("the Science Park committee", "市科委中关村管委会", "partial"),
    # typos: English word-level, Chinese homophones
    ("Educaton Comission", "市教委", "fuzzy"),
    ("the Data Managment Bureau", "市政务服务和数据管理局", "fuzzy"),
    ("Goverment Service Bureau", "市政务服务和数据管理局", "fuzzy"),
    ("Economy and Informaton Technology Bureau", "市经济和信息化局", "fuzzy"),
    ("人才工作剧负责什么", "市人才工作局", "fuzzy"),
    ("政务服务和数据管里局", "市政务服务和数据管理局", "fuzzy"),
]


@pytest.mark.parametrize(("text", "zh", "how"), NAMED)
def test_units_named_in_text(catalog, text, zh, how):
    mentions = catalog.table.lookup_with_reason(text)
    assert [(m.entry.zh, m.how) for m in mentions] == [(zh, how)]
    assert [e.zh for e in catalog.table.mentioned_in(text)] == [zh]


@pytest.mark.parametrize(
    "text",
    [
        "What is the role of data talent in education?",
        "How does the plan train science and technology talent?",
        "Beijing municipal talent policies for data engineers",
        "social security benefits for apprentices",
        "Human resources departments of companies",
        "the education committee of a university",
        "a data commission",
        "数据人才的培养",
        "吸引人才聚集，发展科技和数据产业",
        "加强教育和科技人才队伍建设",
        "人才",
        "科技",
        "人力资源社会保障部负责什么",  # the national ministry, not the Beijing bureau
        "各级人力资源社会保障部门",
        "",
    ],
)
def test_ordinary_words_name_no_unit(catalog, text):
    assert catalog.table.lookup_with_reason(text) == []


def test_several_units_in_one_text_longest_first(catalog):
    text = "市财政局、各区人力资源和社会保障局和市人力资源社会保障局，以及财政局"
    assert [e.zh for e in catalog.table.mentioned_in(text)] == ["各区人力资源和社会保障局", "市人力资源社会保障局", "市财政局"]


def test_longer_name_wins_its_span(catalog):
    """The district bureaus' full name ends like the municipal bureau's; only the district unit is named."""
    assert [e.zh for e in catalog.table.mentioned_in("District Human Resources and Social Security Bureaus")] == [
        "各区人力资源和社会保障局"
    ]


def test_former_names_resolve_and_search(catalog):
    table = catalog.table
    assert table.resolve("北京市经济和信息化委员会").zh == "市经济和信息化局"
    assert [e.zh for e in table.search("市经信委")] == ["市经济和信息化局"]
    assert [bureau.zh for bureau, _ in catalog.directory.lookup("北京市大数据管理局")] == ["市政务服务和数据管理局"]


def test_every_table_name_finds_its_own_unit(catalog):
    """Each current and former name of every unit, written alone, names that unit and no other."""
    for entry in catalog.table.entries:
        for name in (*entry.names, *entry.former):
            if len(name) >= 2:
                found = [e.zh for e in catalog.table.mentioned_in(name)]
                assert found == [entry.zh], name


def test_former_must_be_a_list(tmp_path):
    (tmp_path / "bureaus.yaml").write_text("bureaus:\n  - zh: 市教委\n    en: Education\n    former: 市教育局\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="'aliases' and 'former' must be lists"):
        BureauTable.load(tmp_path)

"""When the extractive answerer declines: thresholds per embedder, and the reason in plain words.

The thresholds live in planqa/data/thresholds.yaml (a `default` block and one per embedder), calibrated
on the dev split only; the rules that use them are in `ExtractiveAnswerer._abstain_reason` and
docs/abstention.md. A decline keeps its measurements in `Answer.flags` and tells the asker why in their
language:

    plain_reason("no amount is given", "zh")  ->  "相关条款没有给出具体金额。"
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

THRESHOLDS_FILE = Path(__file__).parent / "data" / "thresholds.yaml"


@dataclass(frozen=True)
class Thresholds:
    """When to decline, for one embedder (planqa/data/thresholds.yaml, calibrated on the dev split)."""

    min_dense: float
    min_overlap: float
    off_topic_share: float
    weak_off_topic_share: float
    weak_dense: float
    min_grounding: float
    ungrounded_unknown_share: float
    min_specific_grounding: float
    # A quoted sentence sharing this much IDF-weighted overlap with the question grounds it, whatever share of the
    # question's other words (a unit's name, chat filler) the corpus lacks.
    grounded_overlap: float = float("inf")
    # Similarity of a question with a clause in the other language runs this much lower than with the same clause
    # in its own language; added to a clause that has no rendering in the question's language.
    cross_language_margin: float = 0.0

    @classmethod
    def for_embedder(cls, embedder: str, path: Path = THRESHOLDS_FILE) -> Thresholds:
        """The embedder's values over the defaults; 'sentence-transformers:x' looks up its own name first."""
        import yaml

        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        values = {**data["default"], **(data.get(embedder.split(":", 1)[0]) or {}), **(data.get(embedder) or {})}
        return cls(**{k: float(v) for k, v in values.items()})


REASONS = {
    "zh": {
        "off-topic": "这些文件讲的是数字人才政策，问题问的内容不在其中。",
        "ungrounded": "这些文件讲的是数字人才政策，问题问的内容不在其中。",
        "weak match": "没有找到与这个问题足够相关的条款。",
        "nothing retrieved": "没有找到相关条款。",
        "cover": "文件没有提到{what}。",
        "given": "相关条款没有给出{what}。",
        "no units": "相关条款没有写明责任单位。",
        "no list": "相关条款没有列出具体的{what}。",
    },
    "en": {
        "off-topic": "These documents are about digital-talent policy; the question is about something they do not cover.",
        "ungrounded": "These documents are about digital-talent policy; the question is about something they do not cover.",
        "weak match": "No clause matches the question closely enough.",
        "nothing retrieved": "No clause matches the question.",
        "cover": "The documents do not mention {what}.",
        "given": "The clauses do not give {what}.",
        "no units": "The clauses name no responsible unit.",
        "no list": "The clauses do not name the {what}.",
    },
}
SPECIFIC_WORDS = {
    "amount": ("具体金额", "the amount"), "count": ("具体数量", "the number"), "percentage": ("具体比例", "the percentage"),
    "date": ("具体日期或期限", "the date or deadline"), "procedure": ("申请流程或材料", "the procedure"),
    "winner": ("获奖者", "the winners"), "contact": ("联系方式", "contact details"), "person": ("具体人员", "the people"),
    "penalty": ("处罚规定", "penalties"), "organisations": ("具体单位名单", "the list of organisations"),
    "current": ("现在的情况（文件有成文日期）", "the current state (the documents are dated)"),
    "future": ("文件期限之后的安排", "what comes after the documents' period"),
    "doc_number": ("发文字号", "the document number"),
    "rest": ("其余单位的名称", "the names of the others"),
}  # fmt: skip


def plain_reason(flag: str, lang: str) -> str:
    """Why an answer declined, in the question's language and in plain words (the flag keeps the measurements)."""
    texts = REASONS[lang]
    for key in ("off-topic", "ungrounded", "weak match", "nothing retrieved"):
        if flag.startswith(key):
            return texts[key]
    if flag == "no responsible unit is named":
        return texts["no units"]
    if flag.startswith("no list of "):
        return texts["no list"].format(what=flag.removeprefix("no list of ").removesuffix(" is given"))
    if flag.startswith("the documents do not cover "):
        return texts["cover"].format(what=flag.removeprefix("the documents do not cover "))
    for name, (zh, en) in SPECIFIC_WORDS.items():
        if flag.startswith(f"no {name} is given"):
            years = flag.removeprefix(f"no {name} is given").removeprefix(" for ")
            if years and years[0].isdigit():  # "no count is given for 2025": a figure is given, for another year
                return texts["given"].format(what=f"{years}年的{zh}" if lang == "zh" else f"{en} for {years}")
            return texts["given"].format(what=zh if lang == "zh" else en)
    return ""

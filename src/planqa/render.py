"""HTML for the web app: typed records (answers, clauses, bureaus, profile matches, reports) to HTML strings.

Plain functions with no Gradio import, so they are tested without a server or a browser. Everything shown
that came from a user or a file goes through `esc()`, which escapes HTML *and* Markdown/template syntax,
because the chat renders Markdown and a question like `<img src=x onerror=…>` or `[x](javascript:…)` must
show as typed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from planqa.catalog import Catalog
from planqa.errors import UnknownBureauError
from planqa.profile import BENEFITS, ClauseTags, Match, Profile
from planqa.records import Answer, Bureau, Chunk, Citation
from planqa.report import HEADLINE

# HTML and the characters Markdown, LaTeX or a template would act on, as numeric entities.
_ESCAPES = {ord(c): f"&#{ord(c)};" for c in "&<>\"'`*_[]{}#|~$\\"}
CITE_MARK = re.compile(r"&#91;(\d{1,3})&#93;")  # an escaped [n]

CSS = """
.pq-header h1 {margin: 0 0 .2rem 0; font-size: 1.55rem;}
.pq-header p {margin: 0; color: var(--body-text-color-subdued);}
.pq-q {white-space: pre-wrap; word-break: break-word;}
.pq-answer {line-height: 1.6;}
.pq-text {margin-bottom: .6rem;}
.pq-text sup {color: var(--color-accent); font-weight: 600;}
.pq-badge {display: inline-block; font-weight: 600; font-size: .85rem; padding: .1rem .55rem; border-radius: 999px; margin-bottom: .4rem;}
.pq-ok .pq-badge {background: rgba(37, 99, 235, .12); color: #1d4ed8;}
.pq-abstain {border-left: 4px solid #d97706; padding-left: .75rem;}
.pq-abstain .pq-badge {background: rgba(217, 119, 6, .15); color: #b45309;}
.pq-error {border-left: 4px solid #dc2626; padding-left: .75rem;}
.pq-error .pq-badge {background: rgba(220, 38, 38, .12); color: #b91c1c;}
.pq-card {border: 1px solid var(--border-color-primary); border-radius: 10px; padding: .65rem .8rem; margin: .5rem 0;
  background: var(--background-fill-secondary);}
.pq-near {opacity: .9; border-style: dashed;}
.pq-card-head {display: flex; gap: .5rem; align-items: baseline; flex-wrap: wrap; font-size: .85rem;
  color: var(--body-text-color-subdued);}
.pq-num {font-weight: 700; color: var(--color-accent);}
.pq-id {font-family: var(--font-mono); font-size: .78rem; background: var(--background-fill-primary); padding: 0 .3rem;
  border-radius: 4px;}
.pq-clause {font-weight: 650; margin: .2rem 0;}
.pq-alt {font-weight: 400; color: var(--body-text-color-subdued); font-size: .88rem;}
.pq-bureaus {display: flex; flex-wrap: wrap; gap: .3rem; margin: .3rem 0;}
.pq-bureau {font-size: .78rem; background: rgba(16, 185, 129, .12); color: #047857; border-radius: 6px; padding: .1rem .45rem;}
.pq-bureau small {color: var(--body-text-color-subdued);}
.pq-quote {border-left: 3px solid var(--color-accent); margin: .35rem 0; padding: .1rem .6rem;}
.pq-quote.pq-render {border-left-color: var(--border-color-primary); color: var(--body-text-color-subdued);}
.pq-card details {margin-top: .3rem; font-size: .9rem;}
.pq-card summary {cursor: pointer; color: var(--color-accent); font-size: .85rem;}
.pq-card mark {background: rgba(250, 204, 21, .45); color: inherit; padding: 0 .1rem; border-radius: 3px;}
.pq-why {margin: .25rem 0; padding: .35rem .6rem; background: rgba(37, 99, 235, .07); border-radius: 6px;}
.pq-why .en {color: var(--body-text-color-subdued); font-size: .88rem;}
.pq-why .pq-quote {font-size: .85rem; margin-bottom: 0;}
.pq-meta {font-size: .75rem; color: var(--body-text-color-subdued); margin-top: .3rem;}
.pq-note {padding: .6rem .8rem; border-radius: 8px; background: var(--background-fill-secondary);}
.pq-worse {color: #b7410e;}
.pq-better {color: #2f7d32;}
.pq-chart {max-width: 100%; margin: .8rem 0;}
.pq-table {border-collapse: collapse; width: 100%; font-size: .88rem;}
.pq-table th, .pq-table td {border-bottom: 1px solid var(--border-color-primary); padding: .3rem .5rem; text-align: left;
  vertical-align: top;}
.pq-chip {display: inline-block; font-size: .75rem; border: 1px solid var(--border-color-primary); border-radius: 999px;
  padding: 0 .45rem; margin-right: .25rem;}
.pq-examples button {font-size: .82rem !important;}
.pq-resolved {font-size: .8rem; color: var(--body-text-color-subdued); margin-bottom: .35rem;}
.pq-clarify {border-left: 4px solid #7c3aed; padding-left: .75rem;}
.pq-clarify .pq-badge {background: rgba(124, 58, 237, .12); color: #6d28d9;}
.pq-flags {font-size: .8rem; margin-top: .4rem; padding: .3rem .6rem; border-left: 3px solid #d97706; background: rgba(217, 119, 6, .07);}
.pq-flags ul {margin: .1rem 0 0 1rem; padding: 0;}
.pq-plain {display: none;}
.pq-copy {font-size: .75rem; margin-top: .3rem; padding: .05rem .5rem; border: 1px solid var(--border-color-primary); border-radius: 6px;
  background: transparent; cursor: pointer;}
"""

# A copy button in every answer copies its plain text (answer, then each citation), not the HTML; a page-level
# click handler does it because the chat's HTML sanitiser drops inline handlers.
COPY_JS = """
<script>
document.addEventListener("click", (event) => {
  const button = event.target.closest(".pq-copy");
  if (!button) return;
  const plain = button.closest(".pq-answer")?.querySelector(".pq-plain");
  const text = plain ? [...plain.children].map((line) => line.textContent).join("\\n") : "";
  const done = () => { button.textContent = "已复制 · Copied"; setTimeout(() => { button.textContent = "复制 · Copy"; }, 1500); };
  const fallback = () => {
    const area = document.createElement("textarea");
    area.value = text; document.body.appendChild(area); area.select();
    try { document.execCommand("copy"); done(); } finally { area.remove(); }
  };
  if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, fallback); else fallback();
});
</script>
"""

# After an answer arrives, show its start (the badge and first lines), not the end of a long answer.
SCROLL_TO_ANSWER_JS = """
() => { setTimeout(() => {
  const answers = document.querySelectorAll("#pq-chat .pq-answer");
  if (answers.length) answers[answers.length - 1].scrollIntoView({block: "start", behavior: "instant"});
}, 50); }
"""


def esc(text: object) -> str:
    """Text shown as typed inside HTML or Markdown: no tags, no Markdown, no template expressions."""
    return str(text).translate(_ESCAPES)


def multiline(text: str) -> str:
    return esc(text).replace("\n", "<br>")


def highlight(text: str, fragments: Iterable[str]) -> str:
    """The escaped text with each fragment found in it wrapped in <mark> (overlaps and misses are skipped)."""
    spans: list[tuple[int, int]] = []
    for fragment in fragments:
        start = text.find(fragment) if fragment else -1
        if start >= 0 and not any(start < end and start + len(fragment) > begin for begin, end in spans):
            spans.append((start, start + len(fragment)))
    out, last = [], 0
    for begin, end in sorted(spans):
        out += [esc(text[last:begin]), "<mark>", esc(text[begin:end]), "</mark>"]
        last = end
    return "".join([*out, esc(text[last:])])


def _one_line(html_text: str) -> str:
    """Chat messages are Markdown: a single line keeps the whole message one raw HTML block."""
    return re.sub(r"\s*\n\s*", " ", html_text)


# ---------------------------------------------------------------- cards


def bureau_chips(bureaus: Iterable[Bureau]) -> str:
    chips = [f'<span class="pq-bureau">{esc(b.zh)}' + (f" <small>{esc(b.en)}</small>" if b.en else "") + "</span>" for b in bureaus]
    return f'<div class="pq-bureaus">{"".join(chips)}</div>' if chips else ""


def _aligned(chunk: Chunk, catalog: Catalog) -> Chunk | None:
    return catalog.chunk_map.get(chunk.aligned_id) if chunk.aligned_id else None


def _rendering_label(rendering: Chunk) -> str:
    if rendering.lang == "en":
        return "English rendering" + ("" if rendering.official else " (unofficial) · 英文译本（非官方）")
    return "中文译本" + ("" if rendering.official else "（非官方）· Chinese rendering (unofficial)")


def clause_card(
    chunk: Chunk,
    catalog: Catalog,
    *,
    number: int | None = None,
    doc_title: str | None = None,
    quote: str = "",
    rendering_quote: str = "",
    extra: str = "",
    marks: Iterable[str] = (),
    near: bool = False,
) -> str:
    """One clause as a card: document, label and heading, bureaus, the quote, the full clause and its rendering.

    A `near` card (a clause shown beside an abstention) is compact: the quote is only highlighted in the full text.
    """
    title = doc_title or catalog.document(chunk.doc_id).title(chunk.lang)
    aligned = _aligned(chunk, catalog)
    alt_title = f' <span class="pq-alt">{esc(aligned.title)}</span>' if aligned and aligned.title and chunk.clause else ""
    parts = [
        f'<div class="pq-card{" pq-near" if near else ""}" data-clause="{esc(chunk.id)}">',
        '<div class="pq-card-head">' + (f'<span class="pq-num">[{number}]</span>' if number is not None else ""),
        f'<span class="pq-doc">{esc(title)}</span><span class="pq-id">{esc(chunk.id)}</span></div>',
        f'<div class="pq-clause">{esc(chunk.title or chunk.local_id)}{alt_title}</div>',
        bureau_chips(chunk.bureaus),
        extra,
    ]
    if quote and not near:
        parts.append(f'<div class="pq-quote">“{esc(quote)}”</div>')
    if rendering_quote and not near:
        parts.append(f'<div class="pq-quote pq-render">“{esc(rendering_quote)}”</div>')
    full = highlight(chunk.text, [quote, *marks]).replace("\n", "<br>")
    parts.append(f"<details><summary>全文 · Full clause</summary><div>{full}</div></details>")
    if aligned is not None:
        parts.append(
            f"<details><summary>{esc(_rendering_label(aligned))}</summary>"
            f'<div lang="{esc(aligned.lang)}">{highlight(aligned.text, [rendering_quote]).replace(chr(10), "<br>")}</div></details>'
        )
    return "".join([*parts, "</div>"])


def citation_card(citation: Citation, catalog: Catalog, near: bool = False) -> str:
    return clause_card(
        citation.chunk,
        catalog,
        number=citation.number,
        doc_title=citation.doc_title,
        quote=citation.quote,
        rendering_quote=citation.rendering_quote,
        near=near,
    )


# ---------------------------------------------------------------- chat


def question_html(question: str) -> str:
    return f'<div class="pq-q">{multiline(question) or "&#160;"}</div>'


def answer_text(answer: Answer) -> str:
    """The plain text of an answer for copying: the prose, then one line per citation with its quote."""
    lines = [answer.answer.strip()]
    for c in answer.citations:
        lines.append(f"[{c.number}] {c.doc_title} {c.chunk.title} ({c.chunk.id}): “{c.quote}”")
    lines += [f"({flag})" for flag in answer.flags]
    return "\n".join(lines)


def flags_html(answer: Answer) -> str:
    """What the answerer noted about this answer (why it declined, citations it removed), shown with it."""
    if not answer.flags:
        return ""
    items = "".join(f"<li>{esc(flag)}</li>" for flag in answer.flags)
    return f'<div class="pq-flags"><b>说明 · Notes</b><ul>{items}</ul></div>'


def copy_button(answer: Answer) -> str:
    """The button and, hidden beside it, the answer's plain text one line per span (the chat's sanitiser drops data-* attributes)."""
    lines = "".join(f"<span>{esc(line)}</span>" for line in answer_text(answer).split("\n"))
    return f'<button class="pq-copy" type="button">复制 · Copy</button><div class="pq-plain">{lines}</div>'


def answer_html(answer: Answer, catalog: Catalog) -> str:
    """An answer with its citation cards; an abstention in its own colour with the nearest clauses."""
    total = answer.timings_ms.get("total")
    timing = f" · {total:.0f} ms" if total is not None else ""
    meta = f'<div class="pq-meta">{esc(answer.answerer)}{timing}</div>{copy_button(answer)}'
    if answer.abstained:
        first = answer.answer.splitlines()[0] if answer.answer else ""
        why = flags_html(answer)
        cards = "".join(citation_card(c, catalog, near=True) for c in answer.retrieved[:3])
        nearest = f"<p><b>最接近的相关条款 · Nearest clauses</b></p>{cards}" if cards else ""
        body = (
            '<div class="pq-answer pq-abstain"><span class="pq-badge">文件中没有说明 · The documents do not say</span>'
            f'<div class="pq-text">{multiline(first)}</div>{why}{nearest}{meta}</div>'
        )
        return _one_line(body)
    text = CITE_MARK.sub(lambda m: f"<sup>[{m.group(1)}]</sup>", multiline(answer.answer))
    cards = "".join(citation_card(c, catalog) for c in answer.citations)
    cited = {c.chunk.id for c in answer.citations}
    others = [c for c in answer.retrieved if c.chunk.id not in cited]
    more = ""
    if others:
        items = "".join(f"<li>{esc(c.chunk.title or c.chunk.local_id)} <span class='pq-id'>{esc(c.chunk.id)}</span></li>" for c in others)
        summary = f"其他检索到的条款 · Other clauses retrieved ({len(others)})"
        more = f'<details class="pq-more"><summary>{summary}</summary><ul>{items}</ul></details>'
    badge = '<span class="pq-badge">回答 · Answer</span>'
    notes = flags_html(answer)
    return _one_line(f'<div class="pq-answer pq-ok">{badge}<div class="pq-text">{text}</div>{notes}{cards}{more}{meta}</div>')


def turn_html(answer: Answer, catalog: Catalog) -> str:
    """A conversation turn's reply: the question as understood (when a follow-up was resolved), then the answer or the
    clarifying question with its candidate clauses."""
    resolved = ""
    if answer.resolved_question and answer.resolved_question != answer.question:
        resolved = f'<div class="pq-resolved">理解为 · Understood as: {esc(answer.resolved_question)}</div>'
    if answer.clarify:
        items = "".join(
            f"<li>{esc(catalog.chunk(cid).title or cid)} <span class='pq-id'>{esc(cid)}</span></li>"
            for cid in answer.clarify
            if cid in catalog.chunk_map
        )
        body = (
            '<div class="pq-answer pq-clarify"><span class="pq-badge">请确认 · Which one?</span>'
            f'<div class="pq-text">{multiline(answer.answer.splitlines()[0] if answer.answer else "")}</div><ol>{items}</ol></div>'
        )
        return _one_line(resolved + body)
    return _one_line(resolved + answer_html(answer, catalog))


def error_html(message: str) -> str:
    return _one_line(
        '<div class="pq-answer pq-error"><span class="pq-badge">无法提问 · Cannot ask this</span>'
        f'<div class="pq-text">{multiline(message)}</div></div>'
    )


# ---------------------------------------------------------------- bureaus


def directory_html(catalog: Catalog) -> str:
    directory = catalog.directory
    rows = "".join(
        f"<tr><td>{esc(b.zh)}</td><td>{esc(b.en or '—')}</td><td>{len(directory.clauses(b))}</td></tr>" for b in directory.bureaus()
    )
    return f'<table class="pq-table"><tr><th>责任单位</th><th>Bureau</th><th>措施 Measures</th></tr>{rows}</table>'


def bureau_html(bureau: Bureau, clauses: list[Chunk], catalog: Catalog) -> str:
    head = f"<h3>{esc(bureau.zh)}" + (f" · {esc(bureau.en)}" if bureau.en else "") + "</h3>"
    if not clauses:
        return head + '<p class="pq-note">不是任何措施的责任单位（可能作为发文单位出现）· Not named as responsible for any measure.</p>'
    count = f"<p>牵头或参与 {len(clauses)} 项措施 · Responsible for {len(clauses)} measure(s)</p>"
    return head + count + "".join(clause_card(c, catalog) for c in clauses)


def bureau_search_html(query: str, catalog: Catalog) -> str:
    """Every bureau matching a Chinese or English name or abbreviation, with its measures; a hint when none does."""
    if not (query or "").strip():
        return '<p class="pq-note">输入中文名、英文名或简称，例如 人社局、教委、HRSS · Type a name or abbreviation.</p>'
    try:
        found = catalog.directory.lookup(query)
    except UnknownBureauError:
        return (
            f'<p class="pq-note">没有找到与“{esc(query.strip())}”匹配的责任单位。试试 人社局、教委、经信局 或 HRSS。<br>'
            f"No bureau matches “{esc(query.strip())}”. Try 人社局, 教委, 经信局 or HRSS, or pick one from the list.</p>"
        )
    return "".join(bureau_html(bureau, clauses, catalog) for bureau, clauses in found)


def measures(catalog: Catalog) -> list[Chunk]:
    """Official measures that name their responsible units (the Beijing plan's sixteen)."""
    return [c for c in catalog.chunks if c.official and c.bureaus]


def measure_html(chunk_id: str | None, catalog: Catalog) -> str:
    chunk = catalog.chunk_map.get(chunk_id or "")
    if chunk is None:
        return '<p class="pq-note">选择一项措施，查看其责任单位 · Pick a measure to see its responsible bureaus.</p>'
    names = "".join(f"<li>{esc(b.zh)}" + (f" — {esc(b.en)}" if b.en else "") + "</li>" for b in chunk.bureaus)
    return f"<h3>责任单位 · Responsible bureaus</h3><ul>{names}</ul>" + clause_card(chunk, catalog)


# ---------------------------------------------------------------- what applies to us


def profile_html(matches: list[Match], catalog: Catalog, tags: ClauseTags) -> str:
    if not len(tags):
        return '<p class="pq-note">这个语料库没有条款标签（corpus/tags.yaml）· This corpus has no clause tags (corpus/tags.yaml).</p>'
    if not matches:
        return '<p class="pq-note">没有找到适用的措施，试试少选几项关注点 · No measure fits this profile; try fewer interests.</p>'
    head = f"<p><b>{len(matches)} 项措施适用 · {len(matches)} measures apply</b>（按匹配的关注点排序 · best matches first）</p>"
    cards = []
    for match in matches:
        chips = "".join(f'<span class="pq-chip">{esc(BENEFITS[b][0])} · {esc(BENEFITS[b][1])}</span>' for b in match.met)
        whys = "".join(
            f'<div class="pq-why"><div>{esc(f.why_zh)}</div><div class="en">{esc(f.why_en)}</div>'
            f'<div class="pq-quote">“{esc(f.quote)}”</div></div>'
            for f in match.facets
        )
        extra = (f"<div>{chips}</div>" if chips else "") + whys
        cards.append(clause_card(match.chunk, catalog, extra=extra, marks=[f.quote for f in match.facets]))
    return head + "".join(cards)


def match_profile(tags: ClauseTags, kind: str | None, size: str | None, sector: str | None, interests: list[str] | None) -> str:
    if not kind:
        return '<p class="pq-note">请先选择类型 · Choose what kind of organisation you are.</p>'
    enterprise = kind == "enterprise"
    profile = Profile(kind, size if enterprise else None, sector if enterprise else None, frozenset(interests or ()))
    return profile_html(tags.match(profile), tags.catalog, tags)


# ---------------------------------------------------------------- documents and evaluation


def documents_html(catalog: Catalog) -> str:
    rows = "".join(
        f"<tr><td><span class='pq-id'>{esc(d.id)}</span></td><td>{esc(d.title_zh)}<br><span class='pq-alt'>{esc(d.title_en)}</span></td>"
        f"<td>{esc(d.kind)}</td><td>{esc(d.lang)}</td><td>{esc(d.doc_number)}</td><td>{esc(d.date)}</td>"
        f"<td>{len(catalog.chunks_of(d.id))}</td></tr>"
        for d in catalog.documents
    )
    head = "<tr><th>id</th><th>标题 Title</th><th>kind</th><th>lang</th><th>文号 Number</th><th>date</th><th>chunks</th></tr>"
    return f'<table class="pq-table">{head}{rows}</table>'


def chunks_html(doc_id: str | None, catalog: Catalog) -> str:
    if not doc_id:
        return ""
    return "".join(clause_card(c, catalog) for c in catalog.chunks_of(doc_id))


def latest_report(reports_dir: Path) -> Path | None:
    """The newest evaluation report: report names are timestamps, so the last name is the newest."""
    paths = sorted(Path(reports_dir).glob("*.json")) if Path(reports_dir).is_dir() else []
    return paths[-1] if paths else None


def evaluation_html(reports_dir: Path, baseline_path: Path | None = None) -> str:
    """The newest report against the baseline (eval/baseline.json beside the reports): metrics, what got worse, the chart."""
    path = latest_report(reports_dir)
    if path is None:
        return (
            '<div class="pq-note">还没有评估报告 · No evaluation report yet.<br>'
            f"Run <code>planqa eval</code> (or <code>make eval</code>) to write one to <code>{esc(reports_dir)}</code>; "
            "it scores every labelled question in eval/questions.jsonl.</div>"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        metrics, by_category = data["metrics"], data.get("by_category", {})
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return f'<p class="pq-note">{esc(path.name)} cannot be read ({esc(type(exc).__name__)}); run <code>planqa eval</code> again.</p>'
    baseline = _read_baseline(baseline_path or Path(reports_dir).parent / "baseline.json")
    old = baseline.get("metrics", {}) if baseline else {}
    rows = "".join(
        f"<tr><td>{esc(key)}</td><td>{esc(meaning)}</td><td>{esc(metrics[key])}</td>{_against(metrics[key], old.get(key), key)}</tr>"
        for key, meaning in HEADLINE
        if key in metrics
    )
    cols = ("questions", "recall@5", "citation_recall", "key_fact_accuracy", "abstention_recall", "passed")
    cells = lambda m: "".join(f"<td>{esc(m.get(col, '–'))}</td>" for col in cols)  # noqa: E731
    cats = "".join(f"<tr><td>{esc(name)}</td>{cells(m)}</tr>" for name, m in by_category.items())
    findings = data.get("gate_findings") or []
    worse = "".join(f"<li>{esc(p)}</li>" for p in findings)
    if findings:
        worse_html = f'<p class="pq-worse"><b>变差的问题 · Worse than the baseline ({len(findings)}):</b></p><ul>{worse}</ul>'
    elif baseline:
        worse_html = '<p class="pq-better">与基线相比没有变差 · Nothing got worse against the baseline.</p>'
    else:
        worse_html = '<p class="pq-note">No baseline (eval/baseline.json); <code>planqa eval --update-baseline</code> writes one.</p>'
    header = "<th>metric</th><th>meaning</th><th>now</th>" + ("<th>baseline</th><th>change</th>" if baseline else "")
    return (
        f"<p>最新报告 · Latest report: <code>{esc(path.name)}</code> ({esc(metrics.get('questions', '?'))} questions)</p>"
        + worse_html
        + f'<table class="pq-table"><tr>{header}</tr>{rows}</table>'
        + _chart_html(path.with_suffix(".png"))
        + "<h3>By category</h3>"
        + f'<table class="pq-table"><tr><th>category</th>{"".join(f"<th>{esc(c)}</th>" for c in cols)}</tr>{cats}</table>'
    )


def _read_baseline(path: Path) -> dict | None:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("metrics"), dict) else None


def _against(now: object, before: object, key: str) -> str:
    """Baseline and change cells; the change is marked worse or better ('false_abstention' and latency: lower is better)."""
    if before is None:
        return ""
    if not isinstance(now, (int, float)) or not isinstance(before, (int, float)):
        return f"<td>{esc(before)}</td><td></td>"
    change = now - before
    lower_is_better = key in ("false_abstention", "latency_p50_ms", "latency_p95_ms")
    mark = "" if abs(change) < 1e-9 else ("pq-worse" if (change > 0) == lower_is_better else "pq-better")
    return f'<td>{esc(before)}</td><td class="{mark}">{change:+.3f}</td>'


def _chart_html(path: Path) -> str:
    """The report's chart inline (a data: URI, so the page loads nothing from outside)."""
    import base64

    if not path.is_file():
        return ""
    encoded = base64.b64encode(path.read_bytes()).decode("ascii")
    alt = "pass rate and gold clauses cited by category, now against the baseline"
    return f'<img class="pq-chart" alt="{alt}" src="data:image/png;base64,{encoded}">'

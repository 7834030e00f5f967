"""The planqa web app: `create_app(assistant)` builds the Gradio Blocks, `launch()` serves them.

All answering, lookup and matching stays in the package (Assistant.ask, BureauDirectory, ClauseTags) and
all HTML comes from `planqa.render`; this module only lays out the tabs and wires events to them.
Nothing is fetched from outside at run time: analytics are off and the theme uses system fonts.
"""

from __future__ import annotations

import os

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # read when gradio is imported: no usage reporting
# Gradio's queue summarises its recent events (a pandas table of up to GRADIO_ANALYTICS_MAX_EVENTS rows) after every
# event by default: ~4% of the server's CPU after 800 questions, growing with every question served, for timing
# figures planqa never shows. Summarised every thousand events over the last thousand instead.
os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "1000")
os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", "1000")
# Gradio asks matplotlib for its backend around every event; left to choose one itself, matplotlib re-resolves it
# through an import each time (~6% of the server's CPU under load, measured). The app only ever draws to images.
os.environ.setdefault("MPLBACKEND", "agg")

import logging
import sys
import time
from pathlib import Path
from typing import Any

import gradio as gr

from planqa.catalog import Catalog
from planqa.chain import Assistant
from planqa.chat_tab import ChatService, ask_tab
from planqa.errors import ConfigError, PlanqaError, QuestionError
from planqa.inputs import question_text
from planqa.live import LiveAssistant
from planqa.profile import AUDIENCES, BENEFITS, SECTORS, SIZES, ClauseTags
from planqa.records import Answer
from planqa.render import (
    COPY_JS,
    CSS,
    answer_html,
    bureau_html,
    bureau_search_html,
    chunks_html,
    directory_html,
    documents_html,
    error_html,
    evaluation_html,
    match_profile,
    measure_html,
    measures,
    question_html,
)
from planqa.serving import launch_options

log = logging.getLogger("planqa.ui")

# ask() is ~30 ms of CPU on one core (the query embedding is pinned to one thread and releases the GIL),
# so a few workers use both cores; a question waiting on an LLM holds one worker, not the others.
CONCURRENCY = 4
# Queue positions are sent to waiting pages every few seconds, not to every waiting page whenever any job starts
# or ends (Gradio's "auto"): with 20 users waiting that was ~20 SSE messages per answer, a fifth of the server's CPU.
STATUS_UPDATE_S = 2.0
# How often an open page asks whether the corpus was reloaded (the server itself checks every LiveAssistant.POLL_S).
BANNER_REFRESH_S = 10.0
EXAMPLES_ZH = ("我们是AI中小企业，有哪些补贴？", "首席数据官由哪些部门负责？", "人才工作局牵头哪几项措施？", "上海的数字人才补贴是多少？")
EXAMPLES_EN = (
    "Who is responsible for chief data officers?",
    "Can returnees get support to start a business?",
    "Which measures does the Beijing Municipal Education Commission lead?",
    "What training subsidies does the national plan offer?",
)
PLACEHOLDER = "例如：首席数据官由谁聘任？ 追问：这条归哪个部门负责？ / e.g. Who appoints chief data officers? Then: who leads it?"
FONTS = ("system-ui", "-apple-system", "Segoe UI", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "sans-serif")
MONO = ("ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace")


# ---------------------------------------------------------------- the app


def _choices(labels: dict[str, tuple[str, str]]) -> list[tuple[str, str]]:
    return [(f"{zh} · {en}", key) for key, (zh, en) in labels.items()]


class _Asker:
    """Answers for the app's events. No lock: ask() only reads the shared index and models, so workers run in parallel.

    With a `LiveAssistant`, each question goes to the assistant current at that moment (the corpus may be reloaded).
    """

    def __init__(self, assistant: Assistant, live: LiveAssistant | None = None):
        self._assistant = assistant
        self.live = live

    @property
    def assistant(self) -> Assistant:
        return self.live.current if self.live is not None else self._assistant

    def ask(self, question: str) -> Answer:
        return self.assistant.ask(question_text(question))

    def reply(self, question: str) -> str:
        """The chat reply as HTML: an answer, an abstention, or a friendly error (never a traceback)."""
        try:
            return answer_html(self.ask(question), self.assistant.catalog)
        except QuestionError as exc:
            return error_html(f"{exc}\n请换个问法再试 · Please rephrase and try again.")
        except PlanqaError as exc:
            return error_html(str(exc))
        except Exception:
            log.exception("ask failed for %r", question[:200])
            return error_html("出错了，请稍后再试 · Something went wrong; please try again.")

    def respond(self, message: str, history: list[Any] | None) -> tuple[list[Any], str]:
        text = message if isinstance(message, str) else ""
        shown = text.encode("utf-8", "replace").decode("utf-8")  # a lone surrogate cannot be sent back as JSON
        history = [*(history or []), {"role": "user", "content": question_html(shown)}]
        return [*history, {"role": "assistant", "content": self.reply(text)}], ""

    def ask_json(self, question: str) -> dict[str, Any]:
        """The typed answer as JSON, for API clients (`gradio_client`): the same object `planqa ask --json` prints."""
        try:
            return self.ask(question).to_dict()
        except PlanqaError as exc:
            shown = question.encode("utf-8", "replace").decode("utf-8") if isinstance(question, str) else repr(question)[:200]
            return {"question": shown, "error": str(exc)}


def create_app(assistant: Assistant, reports_dir: Path | None = None, live: LiveAssistant | None = None) -> gr.Blocks:
    """The Blocks for one loaded assistant: Ask, Bureaus, What applies to us, Documents and Evaluation tabs.

    With `live` (watching the corpus), a banner says when the documents changed and answers use the new text.
    """
    catalog = assistant.catalog
    tags = ClauseTags.load(catalog)
    reports = Path(reports_dir) if reports_dir else assistant.settings.corpus_dir.parent / "eval" / "reports"
    asker = _Asker(assistant, live)
    service = ChatService.open(asker)
    with gr.Blocks(title="planqa · 北京数字人才政策问答", analytics_enabled=False, delete_cache=(3600, 3600)) as app:
        gr.HTML(
            '<div class="pq-header"><h1>planqa · 北京数字人才政策问答</h1><p>Questions in Chinese or English about Beijing\'s '
            "digital-talent policy, answered from the documents with the exact clause, responsible bureaus and quote.</p></div>"
        )
        if live is not None:
            banner = gr.HTML(live.banner_html(), elem_id="pq-banner")
            gr.Timer(BANNER_REFRESH_S).tick(live.banner_html, outputs=banner, api_visibility="private", queue=False)
        with gr.Tabs():
            with gr.Tab("提问 · Ask", id="ask"):
                turns = ask_tab(app, service, (("示例问题", EXAMPLES_ZH), ("Example questions", EXAMPLES_EN)), PLACEHOLDER)
            with gr.Tab("责任单位 · Bureaus", id="bureaus"):
                _bureaus_tab(catalog)
            with gr.Tab("适用措施 · What applies to us", id="profile"):
                form = _profile_tab(tags)
            with gr.Tab("文件 · Documents", id="documents"):
                _documents_tab(catalog)
            with gr.Tab("评估 · Evaluation", id="evaluation"):
                report = gr.HTML(elem_id="pq-eval")
                gr.Button("刷新 · Refresh", size="sm").click(lambda: evaluation_html(reports), outputs=report, api_visibility="private")
        # An answer that read the asker's description from a question fills the form in, ready to correct.
        turns.change(lambda state: profile_form(state, tags), turns, form, api_visibility="private")
        app.load(lambda: evaluation_html(reports), outputs=report, api_visibility="private")
        gr.api(service.ask_api, api_name="ask")
        gr.api(service.follow_up_api, api_name="follow_up")
    app.queue(default_concurrency_limit=CONCURRENCY, max_size=256, status_update_rate=STATUS_UPDATE_S)
    return app


def _bureaus_tab(catalog: Catalog) -> None:
    directory = catalog.directory
    with gr.Row():
        query = gr.Textbox(label="搜索 · Search (中文名、英文名或简称 · name or abbreviation)", placeholder="人社局 / 教委 / HRSS", scale=4)
        search = gr.Button("查找 · Search", variant="primary", scale=1, elem_id="pq-bureau-search")
    with gr.Row():
        pick = gr.Dropdown(
            [(f"{b.zh} · {b.en}" if b.en else b.zh, b.zh) for b in directory.bureaus()],
            label="选择责任单位，查看其负责的措施 · Pick a bureau to see every measure it leads",
            value=None,
        )
        measure = gr.Dropdown(
            [(f"{c.title} ({c.id})", c.id) for c in measures(catalog)],
            label="选择措施，查看责任单位 · Pick a measure to see its bureaus",
            value=None,
        )
    result = gr.HTML(directory_html(catalog), elem_id="pq-bureau-result")
    search.click(lambda q: bureau_search_html(q, catalog), query, result, api_visibility="private")
    query.submit(lambda q: bureau_search_html(q, catalog), query, result, api_visibility="private")

    def picked(zh: str | None) -> str:
        bureau = next((b for b in directory.bureaus() if b.zh == zh), None)
        return bureau_html(bureau, directory.clauses(bureau), catalog) if bureau else directory_html(catalog)

    pick.change(picked, pick, result, api_visibility="private")
    measure.change(lambda cid: measure_html(cid, catalog), measure, result, api_visibility="private")


def profile_form(turns: list[dict[str, Any]] | None, tags: ClauseTags) -> tuple[Any, ...]:
    """The form's values (type, size, sector, interests) and its result, from the last answer's profile; no change
    when that answer read none."""
    profile = dict((turns or [{}])[-1].get("profile") or [])
    if "kind" not in profile:
        return (gr.skip(),) * 5
    pairs = (turns or [{}])[-1]["profile"]
    interests = [value for field, value in pairs if field == "interest"]
    kind, size, sector = profile["kind"], profile.get("size"), profile.get("sector")
    return kind, size, sector, interests, match_profile(tags, kind, size, sector, interests)


def _profile_tab(tags: ClauseTags) -> list[Any]:
    gr.Markdown("告诉我们你是谁，看看哪些措施适用 · Tell us who you are and see which measures apply, each with why and its clause.")
    with gr.Row():
        with gr.Column(scale=2):
            kind = gr.Radio(_choices(AUDIENCES), label="类型 · Type", value="enterprise", elem_id="pq-kind")
            with gr.Group(visible=True) as firm:
                size = gr.Radio(_choices(SIZES), label="企业规模 · Enterprise size", value=None)
                sector = gr.Radio(_choices(SECTORS), label="行业 · Sector", value=None)
            interests = gr.CheckboxGroup(_choices(BENEFITS), label="关注 · Interested in", elem_id="pq-interests")
            go = gr.Button("查看适用措施 · Find what applies", variant="primary", elem_id="pq-profile-go")
        with gr.Column(scale=3):
            result = gr.HTML('<p class="pq-note">填写左侧表格 · Fill in the form on the left.</p>', elem_id="pq-profile-result")
    kind.change(lambda k: gr.Group(visible=k == "enterprise"), kind, firm, api_visibility="private")
    go.click(lambda *values: match_profile(tags, *values), [kind, size, sector, interests], result, api_visibility="private")
    return [kind, size, sector, interests, result]


def _documents_tab(catalog: Catalog) -> None:
    """The document list and a clause browser that opens on the first document, already loaded."""
    gr.HTML(documents_html(catalog))
    browse = lambda d: (catalog.document(d).to_dict() if d else None, chunks_html(d, catalog) if d else "")  # noqa: E731
    first = catalog.documents[0].id if catalog.documents else None
    meta_value, chunks_value = browse(first)
    pick = gr.Dropdown(
        [(f"{d.id} · {d.title(d.lang)}", d.id) for d in catalog.documents],
        value=first,
        label="浏览条款 · Browse a document's clauses",
        elem_id="pq-doc-pick",
    )
    meta = gr.JSON(meta_value, label="元数据 · Metadata")
    chunks = gr.HTML(chunks_value, elem_id="pq-doc-chunks")
    pick.change(browse, pick, [meta, chunks], api_visibility="private")


THEME = gr.themes.Soft(primary_hue="blue", neutral_hue="slate", font=list(FONTS), font_mono=list(MONO))


def launch(app: gr.Blocks, host: str = "127.0.0.1", port: int = 7860, auth: tuple[str, str] | None = None, block: bool = True) -> str:
    """Serve the app and return its local URL; with `block`, print the URL and serve until Ctrl+C.

    Gradio's own start-up lines are silenced (one of them suggests a public share link, which planqa never makes).
    Logins, uploads and the bind address follow `planqa.serving`. A busy port is a ConfigError.
    """
    try:
        _, url, _ = app.launch(
            server_name=host,
            server_port=port,
            **launch_options(auth),
            prevent_thread_lock=True,
            theme=THEME,
            css=CSS,
            head=COPY_JS,
            ssr_mode=False,
            show_error=False,
            quiet=True,
            footer_links=["api", "settings"],
            enable_monitoring=False,
            mcp_server=False,
            pwa=False,
        )
    except OSError as exc:
        raise ConfigError(f"cannot serve on {host}:{port} ({exc}); pass another --port") from None
    if block:
        print(f"planqa: serving on {url} (Ctrl+C stops)", file=sys.stderr, flush=True)
        try:
            while app.is_running:
                time.sleep(0.2)
        finally:
            app.close()
    return url

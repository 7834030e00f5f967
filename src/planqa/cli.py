"""The `planqa` command line. Errors become one line on stderr and exit code 2.

Heavy modules (models, index, app) are imported inside the commands that need them,
so `planqa --help`, `planqa chunks` and `planqa bureaus` start fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from planqa.errors import ConfigError, PlanqaError, QuestionError
from planqa.inputs import batch_questions, question_text
from planqa.settings import MAX_K, Settings

Handler = Callable[[argparse.Namespace, Settings], int]
COMMANDS: dict[str, Handler] = {}


def command(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        COMMANDS[name] = handler
        return handler

    return register


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="planqa", description="Grounded bilingual answers over Beijing's digital-talent policy documents."
    )
    parser.add_argument("--corpus", metavar="DIR", help="corpus directory (default: corpus/, or PLANQA_CORPUS)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    chunks = sub.add_parser("chunks", help="list every chunk (clause) with its id, label, heading, bureaus and text")
    chunks.add_argument("--doc", metavar="ID", help="only this document's chunks")
    chunks.add_argument("--json", action="store_true", help="print one JSON array")

    bureaus = sub.add_parser("bureaus", help="the bureau directory, or the clauses one bureau is responsible for")
    bureaus.add_argument("name", nargs="?", help="a Chinese or English name or abbreviation, e.g. 人社局, 教委, HRSS")
    bureaus.add_argument("--json", action="store_true", help="print JSON")

    ask = sub.add_parser(
        "ask",
        help="answer a question with cited clauses (or --batch FILE: one question per line, or JSON lines "
        '{"conversation": ID, "question": Q} whose turns follow up on each other)',
    )
    ask.add_argument("question", nargs="?", help="the question, in Chinese or English")
    ask.add_argument("--batch", metavar="FILE", help="answer every line of FILE ('-' for stdin), loading once")
    ask.add_argument("--k", type=int, help="how many clauses to retrieve (default 5)")
    ask.add_argument("--json", action="store_true", help="print JSON (with --batch: one object per line, in order)")
    ask.add_argument("--no-rebuild", action="store_true", help="fail instead of rebuilding a stale or missing index")

    chat = sub.add_parser("chat", help="an interactive conversation in the terminal (/new, /export FILE, Ctrl-D to leave)")
    chat.add_argument("--conversation", metavar="ID", help="go on with a saved conversation")
    chat.add_argument("--no-save", action="store_true", help="keep the conversation in memory only")
    chat.add_argument("--no-rebuild", action="store_true", help="fail instead of rebuilding a stale or missing index")

    feedback = sub.add_parser("feedback", help="users' 👍/👎: 'planqa feedback export' (evaluation items) or 'planqa feedback stats'")
    feedback_sub = feedback.add_subparsers(dest="feedback_command", required=True, metavar="ACTION")
    export = feedback_sub.add_parser("export", help="write evaluation items (eval/questions.jsonl format) from the feedback")
    export.add_argument("--output", "-o", metavar="FILE", help="write to FILE (default: stdout)")
    stats = feedback_sub.add_parser("stats", help="summarise the feedback")
    stats.add_argument("--json", action="store_true")

    ev = sub.add_parser("eval", help="evaluate on eval/questions.jsonl; --gate compares with the baseline")
    ev.add_argument("--questions", metavar="FILE", default="eval/questions.jsonl", help="the labelled question set")
    ev.add_argument("--check-set", action="store_true", help="only validate the question set against the corpus")
    ev.add_argument("--split", metavar="FILE", default="eval/split.json", help="the committed dev/test split")
    ev.add_argument("--update-split", action="store_true", help="place questions missing from the split (existing ones never move)")
    ev.add_argument("--baseline", metavar="FILE", help="compare with this baseline (default eval/baseline.json when it exists)")
    ev.add_argument("--gate", action="store_true", help="exit 1 and list every question that got worse against the baseline")
    ev.add_argument("--update-baseline", action="store_true", help="write this run as the new eval/baseline.json")
    ev.add_argument("--corpus", dest="candidate", metavar="DIR", help="evaluate a candidate corpus in a temporary index")
    ev.add_argument("--config", metavar="FILE", default="eval/gate.toml", help="gate tolerances")
    ev.add_argument("--reports", metavar="DIR", default="eval/reports", help="where reports are written")
    ev.add_argument("--quiet", action="store_true", help="print one summary line")
    ev.add_argument(
        "--conversations", metavar="FILE", default="eval/conversations.jsonl", help="labelled conversations (skipped if absent)"
    )

    corpus = sub.add_parser("corpus", help="corpus maintenance: add a file, diff two corpora, update the live one through the gate")
    corpus_sub = corpus.add_subparsers(dest="corpus_command", required=True, metavar="ACTION")
    diff = corpus_sub.add_parser("diff", help="added, removed and changed clauses between two corpus directories, with the changed text")
    diff.add_argument("old")
    diff.add_argument("new")
    diff.add_argument("--json", action="store_true")
    add = corpus_sub.add_parser("add", help="turn a policy file (.html/.htm, .docx, .pdf, .txt, .md) into a corpus document")
    add.add_argument("file")
    add.add_argument("--corpus", dest="target", metavar="DIR", help="the corpus directory to add to (default: the live corpus)")
    add.add_argument("--id", dest="doc_id", metavar="ID", help="the document id (default: from the file name)")
    add.add_argument("--kind", choices=("official", "summary", "news", "research"), help="default: official if it has a document number")
    add.add_argument("--renders", metavar="DOC_ID", help="the file is DOC_ID's version in the other language; clauses are aligned by id")
    add.add_argument("--dry-run", action="store_true", help="show the preview and warnings, write nothing")
    add.add_argument("--replace", action="store_true", help="overwrite an existing document with this id")
    add.add_argument("--json", action="store_true", help='print {"id", "path", "chunks", "warnings"}')
    update = corpus_sub.add_parser("update", help="diff, evaluate and gate a candidate corpus; --apply swaps it in if the gate passes")
    update.add_argument("candidate", metavar="CANDIDATE_DIR")
    update.add_argument("--apply", action="store_true", help="if the gate passes: swap it in, keep the old one as a dated backup, re-index")
    update.add_argument("--questions", metavar="FILE", default="eval/questions.jsonl", help="the labelled question set")
    update.add_argument("--baseline", metavar="FILE", default="eval/baseline.json", help="the baseline the gate compares with")
    update.add_argument("--config", metavar="FILE", default="eval/gate.toml", help="gate tolerances")
    update.add_argument("--reports", metavar="DIR", default="eval/reports", help="where the evaluation report is written")
    update.add_argument("--json", action="store_true", help="print the diff, the gate's findings and what was done as JSON")

    index = sub.add_parser("index", help="build the search index (or check that it is current)")
    index.add_argument("--check", action="store_true", help="only say whether the index is current; exit 1 if stale or missing")

    serve = sub.add_parser("serve", help="serve the web app (building the index first if it is missing or stale)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1; any other needs a login)")
    serve.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    serve.add_argument("--auth-file", metavar="FILE", help="require the login USER:PASS written in FILE (or set PLANQA_AUTH=USER:PASS)")
    serve.add_argument("--auth", help=argparse.SUPPRESS)  # refused with a hint: a password in argv shows in `ps`
    serve.add_argument("--insecure-open", action="store_true", help="allow another --host without a login (anyone can use it)")
    serve.add_argument("--no-rebuild", action="store_true", help="fail instead of rebuilding a stale or missing index")
    serve.add_argument("--no-watch", action="store_true", help="do not reload when a corpus file changes")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.load(corpus_dir=args.corpus)
        return COMMANDS[args.command](args, settings)
    except PlanqaError as exc:
        print(f"planqa: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("planqa: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _catalog(settings: Settings):
    from planqa.catalog import Catalog

    return Catalog.load(settings.corpus_dir)


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


@command("chunks")
def cmd_chunks(args: argparse.Namespace, settings: Settings) -> int:
    catalog = _catalog(settings)
    chunks = catalog.chunks_of(args.doc) if args.doc else list(catalog.chunks)
    if args.json:
        print_json([chunk.to_dict() for chunk in chunks])
        return 0
    for chunk in chunks:
        bureaus = "、".join(b.zh for b in chunk.bureaus)
        print(f"{chunk.id}\t{chunk.title or '·'}" + (f"\t[{bureaus}]" if bureaus else ""))
        print(
            f"    {' › '.join(chunk.section) or '(document)'} · {len(chunk.text)} chars"
            + (f" · ↔ {chunk.aligned_id}" if chunk.aligned_id else "")
        )
    return 0


@command("bureaus")
def cmd_bureaus(args: argparse.Namespace, settings: Settings) -> int:
    directory = _catalog(settings).directory
    if args.name is not None:
        found = directory.lookup(args.name)
    else:
        found = [(bureau, directory.clauses(bureau)) for bureau in directory.bureaus()]
    if args.json:
        print_json(
            [
                {**bureau.to_dict(), "clauses": [{"id": c.id, "clause": c.clause, "heading": c.heading} for c in clauses]}
                for bureau, clauses in found
            ]
        )
        return 0
    for bureau, clauses in found:
        print(f"{bureau.zh} — {bureau.en or '(English name not in the table)'}")
        for chunk in clauses:
            print(f"    {chunk.id:<12} {chunk.title}")
        if not clauses:
            print("    (responsible for none of the measures; it may appear as an issuer)")
    return 0


@command("ask")
def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from planqa.analysis import validate_question
    from planqa.chain import Assistant

    if (args.question is None) == (args.batch is None):
        raise QuestionError("give either a question or --batch FILE")
    if args.k is not None and not 1 <= args.k <= MAX_K:
        raise QuestionError(f"--k must be between 1 and {MAX_K}, got {args.k}")
    if args.question is not None:
        validate_question(question_text(args.question))  # fail fast, before loading the model
    source = None if args.batch is None else sys.stdin.buffer if args.batch == "-" else _open_batch(args.batch)
    assistant = Assistant.load(settings, rebuild=not args.no_rebuild)
    if args.question is not None:
        answer = assistant.ask(args.question, k=args.k)
        print_json(answer.to_dict()) if args.json else print(format_answer(answer))
        return 0
    from planqa.chat import batch_answers

    with source:
        for data in batch_answers(assistant, batch_questions(source), k=args.k):
            print(json.dumps(data, ensure_ascii=False) if args.json else format_answer_dict(data), flush=True)
    return 0


def _open_batch(path: str) -> Any:
    try:
        return open(path, "rb")
    except OSError as exc:
        raise QuestionError(f"cannot read --batch file {path}: {exc.strerror}") from None


def format_answer(answer) -> str:
    return format_answer_dict(answer.to_dict())


def format_answer_dict(data: dict[str, Any]) -> str:
    """The human-readable form: the answer, then each citation with its bureaus and quote."""
    if "error" in data:
        return f"{data['question']}\n  error: {data['error']}\n"
    lines = [data["answer"], *(f"  (note: {flag})" for flag in data.get("flags", ())), ""]
    for c in data["citations"]:
        bureaus = "、".join(b["zh"] for b in c["bureaus"])
        lines.append(f"[{c['n']}] {c['doc_title']} {c['clause']}{c['heading']} ({c['id']})" + (f" — {bureaus}" if bureaus else ""))
        lines.append(f"    “{c['quote']}”")
        if c["rendering_quote"]:
            lines.append(f"    ({c['rendering_id']}) “{c['rendering_quote']}”")
    return "\n".join(lines)


@command("chat")
def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from planqa.chain import Assistant
    from planqa.chat import run_chat
    from planqa.store import Store

    store = None if args.no_save else Store.open(settings)
    if args.conversation and store is None:
        raise ConfigError("--conversation needs the saved history; drop --no-save")
    if args.conversation and not store.exists(args.conversation):
        from planqa.store import UnknownConversationError, _unknown

        raise UnknownConversationError(_unknown(args.conversation))
    assistant = Assistant.load(settings, rebuild=not args.no_rebuild)
    return run_chat(assistant, store, conversation_id=args.conversation)


@command("feedback")
def cmd_feedback(args: argparse.Namespace, settings: Settings) -> int:
    from planqa.feedback import export_items, stats, stats_text, to_jsonl
    from planqa.report import write_atomic
    from planqa.store import Store

    feedback = Store.open(settings).feedback()
    if args.feedback_command == "stats":
        summary = stats(feedback)
        print_json(summary) if args.json else print(stats_text(summary))
        return 0
    text = to_jsonl(export_items(feedback))
    if args.output:
        write_atomic(Path(args.output), text)
        print(f"{text.count(chr(10))} item(s) written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


@command("eval")
def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from planqa.catalog import Catalog
    from planqa.conversation_eval import compare_conversations, evaluate_conversations, summary_lines
    from planqa.evaluate import check_set, compare, evaluate_corpus, improvements, load_questions
    from planqa.progress import Progress
    from planqa.report import summary_line, table, write_atomic, write_reports
    from planqa.split import assign, dump_split, load_split

    root = settings.corpus_dir.parent
    resolve = lambda value: Path(value) if Path(value).is_absolute() else root / value  # noqa: E731
    items = load_questions(resolve(args.questions))
    corpus_dir = Path(args.candidate) if args.candidate else settings.corpus_dir
    catalog = Catalog.load(corpus_dir)
    split_path = resolve(args.split)
    split = load_split(split_path)
    if args.update_split:
        conversations = resolve("eval/conversations.jsonl")
        split["questions"] = assign(items, split["questions"])
        if conversations.is_file():
            split["conversations"] = assign(load_questions(conversations), split["conversations"])
        write_atomic(split_path, dump_split(split))
        sides = list(split["questions"].values())
        print(f"split written: {split_path} ({sides.count('dev')} dev, {sides.count('test')} test questions)")
        return 0
    if args.check_set:
        problems = check_set(items, catalog)
        if resolve(args.conversations).is_file():
            from planqa.conversation_eval import check_conversations

            problems += check_conversations(load_questions(resolve(args.conversations)), catalog)
        unplaced = [item["id"] for item in items if item["id"] not in split["questions"]]
        problems += [f"{qid}: not in the split {split_path.name} (run --update-split)" for qid in unplaced]
        for problem in problems:
            print(problem)
        print(f"{len(items)} questions: {'OK' if not problems else f'{len(problems)} problem(s)'}")
        return 1 if problems else 0
    baseline_path = resolve(args.baseline or "eval/baseline.json")
    baseline = _read_json(baseline_path) if baseline_path.is_file() else None
    if args.gate and baseline is None:
        raise ConfigError(f"--gate needs a baseline; {baseline_path} does not exist (write one with --update-baseline)")
    stages = Progress(enabled=not args.quiet)
    conversations_path = resolve(args.conversations)

    def with_conversations(assistant: Any) -> dict[str, Any]:
        found = evaluate_conversations(assistant, conversations_path, split["conversations"])
        return {} if found is None else {"conversations": found}

    result = evaluate_corpus(
        settings, items, corpus_dir if args.candidate else None, stages, split=split["questions"], extra=with_conversations
    )
    conversations = result.get("conversations")
    stages.done("writing reports")
    result["corpus_dir"] = str(corpus_dir)
    tolerances = _tolerances(resolve(args.config))
    problems = compare(result, baseline, tolerances) if baseline else []
    if baseline and conversations is not None and "conversations" in baseline:
        problems += compare_conversations(conversations, baseline["conversations"], tolerances)
    improved = improvements(result, baseline) if baseline else []
    paths = write_reports(result, baseline, problems, resolve(args.reports), improved)
    if args.update_baseline:
        write_atomic(baseline_path, json.dumps(result, ensure_ascii=False, indent=1))
    if args.quiet:
        print(summary_line(result) + (f"; gate: {len(problems)} regression(s)" if baseline and args.gate else ""))
    else:
        print(table(result, baseline))
        print(f"\n{summary_line(result)}\nreport: {paths['md']}")
        if improved:
            print(f"improved: {', '.join(improved)}")
        if args.update_baseline:
            print(f"baseline written: {baseline_path}")
    if conversations is not None:
        print("\n".join(summary_lines(conversations)))
    if args.gate:
        for problem in problems:
            print(f"WORSE {problem}")
        print("gate: FAILED" if problems else "gate: passed")
        return 1 if problems else 0
    return 0


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path} is not a readable evaluation baseline ({exc}); rewrite it with --update-baseline") from None


def _tolerances(path: Path) -> dict[str, float]:
    import tomllib

    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return {str(k): float(v) for k, v in data.get("tolerances", {}).items()}
    except (tomllib.TOMLDecodeError, TypeError, ValueError) as exc:
        raise ConfigError(f"{path}: broken gate tolerances ({exc})") from None


@command("corpus")
def cmd_corpus(args: argparse.Namespace, settings: Settings) -> int:
    from planqa.catalog import Catalog

    if args.corpus_command == "add":
        return _corpus_add(args, settings)
    if args.corpus_command == "update":
        return _corpus_update(args, settings)
    from planqa.corpusdiff import diff_corpora

    diff = diff_corpora(Catalog.load(Path(args.old)), Catalog.load(Path(args.new)))
    print_json(diff.to_dict()) if args.json else print(diff.render(color=sys.stdout.isatty()))
    return 0


def _corpus_add(args: argparse.Namespace, settings: Settings) -> int:
    from planqa.corpus_add import add_document, preview_text

    target = Path(args.target) if args.target else settings.corpus_dir
    result = add_document(
        Path(args.file), target, args.doc_id, dry_run=args.dry_run, replace=args.replace, kind=args.kind, renders=args.renders
    )
    print_json(result.to_dict()) if args.json else print(preview_text(result, args.dry_run))
    return 0


def _corpus_update(args: argparse.Namespace, settings: Settings) -> int:
    from planqa.corpus_update import run_update
    from planqa.evaluate import load_questions
    from planqa.progress import Progress

    root = settings.corpus_dir.parent
    resolve = lambda value: Path(value) if Path(value).is_absolute() else root / value  # noqa: E731
    baseline_path = resolve(args.baseline)
    if not baseline_path.is_file():
        raise ConfigError(f"the gate needs a baseline; {baseline_path} does not exist (write one with 'planqa eval --update-baseline')")
    items = load_questions(resolve(args.questions))
    update = run_update(
        settings, Path(args.candidate), items, _read_json(baseline_path), _tolerances(resolve(args.config)), resolve(args.reports),
        apply=args.apply, stages=Progress(enabled=not args.json),
    )  # fmt: skip
    verdict = "nothing to update" if not update.diff.changes and not update.result.get("verdicts") else (
        "passed" if update.passed else "FAILED")  # fmt: skip
    if args.json:
        print_json({
            "diff": update.diff.to_dict(), "gate": verdict, "worse": update.problems, "applied": update.applied,
            "backup": str(update.backup) if update.backup else None, "report": str(update.report) if update.report else None,
        })  # fmt: skip
    else:
        print(update.diff.render(color=sys.stdout.isatty()))
        for problem in update.problems:
            print(f"WORSE {problem}")
        print(f"gate: {verdict}" + (f" (report: {update.report})" if update.report else ""))
        if update.applied:
            print(f"applied: {args.candidate} is now {settings.corpus_dir}; the old corpus is kept as {update.backup}; index rebuilt")
        elif args.apply and update.problems:
            print("not applied: the gate failed; the live corpus is unchanged")
        elif update.result.get("verdicts"):
            print("dry run: pass --apply to swap it in")
    return 1 if update.problems else 0


@command("index")
def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    from planqa.index import build_index, staleness

    if args.check:
        reason = staleness(settings.index_dir, settings.corpus_dir, settings.embedder)
        print(f"index is stale: {reason}" if reason else f"index in {settings.index_dir} is current")
        return 1 if reason else 0
    from planqa.embeddings import load_embeddings

    catalog = _catalog(settings)
    index = build_index(catalog, load_embeddings(settings.embedder), settings.index_dir, settings.cache_dir)
    manifest = index.manifest
    print(
        f"indexed {manifest['entry_count']} texts for {manifest['clause_count']} clauses into {settings.index_dir} "
        f"({manifest['embedder']}, {manifest['dim']}-d, {manifest['dense_index']} search; {manifest['embedded_now']} embedded now)"
    )
    return 0


@command("serve")
def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Check the login, bind address and port before loading anything, then serve until interrupted."""
    from planqa.serving import AUTH_ENV, check_bind, credentials

    if args.auth is not None:
        raise ConfigError(
            f"--auth would show the password to anyone running 'ps'; put USER:PASS in a file and pass --auth-file FILE, "
            f"or set {AUTH_ENV}=USER:PASS"
        )
    auth = credentials(args.auth_file)
    if not 0 < args.port < 65536:
        raise ConfigError(f"--port must be between 1 and 65535, got {args.port}")
    check_bind(args.host, auth, args.insecure_open)
    if args.insecure_open and auth is None:
        print(f"planqa: warning: serving on {args.host} with no login (--insecure-open)", file=sys.stderr)
    from planqa.chain import Assistant
    from planqa.live import LiveAssistant
    from planqa.progress import Progress
    from planqa.ui import create_app, launch

    progress = Progress()
    progress.stage("loading the corpus, the embedding model and the index")
    assistant = Assistant.load(settings, rebuild=not args.no_rebuild).warm()
    live = None if args.no_watch else LiveAssistant(assistant, loader=lambda: Assistant.load(settings, rebuild=True).warm()).start()
    progress.stage("starting the web app")
    launch(create_app(assistant, live=live), host=args.host, port=args.port, auth=auth)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

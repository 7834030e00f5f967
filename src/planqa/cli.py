"""The `planqa` command line. Errors become one line on stderr and exit code 2.

Heavy modules (models, index, app) are imported inside the commands that need them,
so `planqa --help`, `planqa chunks` and `planqa bureaus` start fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from planqa.errors import PlanqaError, QuestionError
from planqa.settings import Settings

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

    ask = sub.add_parser("ask", help="answer a question with cited clauses (or --batch FILE, one question per line)")
    ask.add_argument("question", nargs="?", help="the question, in Chinese or English")
    ask.add_argument("--batch", metavar="FILE", help="answer every line of FILE ('-' for stdin), loading once")
    ask.add_argument("--k", type=int, help="how many clauses to retrieve (default 5)")
    ask.add_argument("--json", action="store_true", help="print JSON (with --batch: one object per line, in order)")
    ask.add_argument("--no-rebuild", action="store_true", help="fail instead of rebuilding a stale or missing index")

    index = sub.add_parser("index", help="build the search index (or check that it is current)")
    index.add_argument("--check", action="store_true", help="only say whether the index is current; exit 1 if stale or missing")
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
    if args.k is not None and args.k < 1:
        raise QuestionError(f"--k must be at least 1, got {args.k}")
    if args.question is not None:
        validate_question(args.question)  # fail fast, before loading the model
    assistant = Assistant.load(settings, rebuild=not args.no_rebuild)
    if args.question is not None:
        answer = assistant.ask(args.question, k=args.k)
        print_json(answer.to_dict()) if args.json else print(format_answer(answer))
        return 0
    lines = sys.stdin.read().splitlines() if args.batch == "-" else _read_lines(args.batch)
    for line in lines:
        try:
            data = assistant.ask(line, k=args.k).to_dict()
        except QuestionError as exc:
            data = {"question": line, "error": str(exc)}
        print(json.dumps(data, ensure_ascii=False) if args.json else format_answer_dict(data), flush=True)
    return 0


def _read_lines(path: str) -> list[str]:
    try:
        return [line for line in open(path, encoding="utf-8").read().splitlines() if line.strip()]
    except OSError as exc:
        raise QuestionError(f"cannot read --batch file {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise QuestionError(f"--batch file {path} is not UTF-8 text") from None


def format_answer(answer) -> str:
    return format_answer_dict(answer.to_dict())


def format_answer_dict(data: dict[str, Any]) -> str:
    """The human-readable form: the answer, then each citation with its bureaus and quote."""
    if "error" in data:
        return f"{data['question']}\n  error: {data['error']}\n"
    lines = [data["answer"], ""]
    for c in data["citations"]:
        bureaus = "、".join(b["zh"] for b in c["bureaus"])
        lines.append(f"[{c['n']}] {c['doc_title']} {c['clause']}{c['heading']} ({c['id']})" + (f" — {bureaus}" if bureaus else ""))
        lines.append(f"    “{c['quote']}”")
        if c["rendering_quote"]:
            lines.append(f"    ({c['rendering_id']}) “{c['rendering_quote']}”")
    return "\n".join(lines)


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


if __name__ == "__main__":
    raise SystemExit(main())

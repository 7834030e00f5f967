"""Input from outside, checked once at each edge (command line, batch line, web API) before it reaches ask().

    question_text("谁负责首席数据官？")     -> "谁负责首席数据官？"
    question_text("\\ud800")                   -> QuestionError (a lone surrogate cannot be encoded)
    [line.error for line in batch_questions([b"ok?\\n", b"\\xff\\n"])]  -> [None, "line 2 is not valid UTF-8 text …"]

Emptiness, length and control characters are `analysis.validate_question`'s job (inside ask());
this module catches what cannot even be text: the wrong type, bytes that are not UTF-8, and
strings that cannot be encoded (lone surrogates, which a JSON client can send as "\\ud800").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from planqa.errors import QuestionError

# A batch line longer than this is not read into memory as a question (ask() allows far fewer characters).
MAX_LINE_BYTES = 64_000


def question_text(value: object) -> str:
    """The value if it is a str that can be encoded as UTF-8; QuestionError otherwise."""
    if not isinstance(value, str):
        raise QuestionError(f"a question must be text, got {type(value).__name__}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise QuestionError(
            f"the question holds an invalid character (U+{ord(value[exc.start]):04X} at position {exc.start}); remove it and ask again"
        ) from None
    return value


@dataclass(frozen=True)
class BatchLine:
    """One line of a batch: its number, the question as text (undecodable bytes shown as U+FFFD) and why it is unusable."""

    number: int
    text: str
    error: str | None = None


def batch_questions(lines: Iterable[bytes]) -> Iterator[BatchLine]:
    """Every non-blank line, in order; a line that is not usable text carries an error instead of stopping the batch."""
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip(b"\r\n")
        if not line.strip():
            continue
        if len(line) > MAX_LINE_BYTES:
            yield BatchLine(number, line[:200].decode("utf-8", "replace"), f"line {number} is {len(line)} bytes long; shorten the question")
            continue
        try:
            yield BatchLine(number, line.decode("utf-8"))
        except UnicodeDecodeError as exc:
            problem = f"line {number} is not valid UTF-8 text (byte 0x{line[exc.start]:02x} at position {exc.start})"
            yield BatchLine(number, line.decode("utf-8", "replace"), f"{problem}; fix the file's encoding")

"""Saved conversations and feedback, through SQLAlchemy: a SQLite file by default, PostgreSQL for several replicas.

    store = Store.open(settings)                     # PLANQA_DATABASE_URL, default sqlite:///<cache>/conversations.db
    cid = store.new_conversation()
    store.add_turn(cid, answer.to_dict())            # -> the turn's position, 0, 1, …
    store.turns(cid)                                 # the answers' dicts, in order
    store.add_feedback(cid, 0, "down", "wrong measure")

Every write is one transaction, so a process killed mid-write leaves the last committed state. SQLite runs in
WAL mode with a busy timeout and takes its write lock at the start of a transaction (BEGIN IMMEDIATE), so
concurrent writers queue instead of failing; PostgreSQL locks the conversation's row while a turn is numbered.
Within one process, SQLite writers also queue on a lock: SQLite's own busy handler waits by sleeping in steps of
up to 100 ms, which under 20 concurrent users made a 3 ms write take ~50 ms and held an app worker meanwhile.
A locked, read-only or damaged database is a `StoreError` that names the file and says what to do.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planqa.errors import PlanqaError
from planqa.settings import Settings

RATINGS = ("up", "down")
MAX_COMMENT = 2000
CONVERSATION_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class StoreError(PlanqaError):
    """The conversation database cannot be used: locked, read-only, damaged or unreachable."""


class UnknownConversationError(PlanqaError):
    """A conversation id that is not in the store."""


@dataclass(frozen=True)
class Feedback:
    """One 👍/👎 on a turn, with what was asked, how it was resolved, what was answered and cited."""

    id: int
    conversation: str
    position: int
    rating: str
    comment: str
    question: str
    resolved_question: str
    answer: str
    cited: tuple[str, ...]
    language: str
    intent: str
    abstained: bool
    created: float


def database_url(settings: Settings) -> str:
    """PLANQA_DATABASE_URL, else a SQLite file in the cache directory."""
    return settings.database_url or f"sqlite:///{Path(settings.cache_dir) / 'conversations.db'}"


class Store:
    """The conversations and feedback tables behind one SQLAlchemy engine."""

    def __init__(self, url: str, timeout: float = 30.0):
        import sqlalchemy as sa

        self.url = url
        self.sqlite = url.startswith("sqlite")
        self._where = _describe(url)
        # SQLite has one writer at a time: this process's writers wait here, woken at once, not by polling.
        self._writing: Any = threading.Lock() if self.sqlite else contextlib.nullcontext()
        if self.sqlite:
            path = url.split("///", 1)[1] if "///" in url else ""
            if path and path != ":memory:" and not path.startswith("file:"):
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.engine = sa.create_engine(url, connect_args={"timeout": timeout, "check_same_thread": False})
            _sqlite_pragmas(self.engine, timeout)
        else:
            self.engine = sa.create_engine(url, pool_pre_ping=True)
        meta = sa.MetaData()
        self.conversations = sa.Table(
            "conversations",
            meta,
            sa.Column("id", sa.String(64), primary_key=True),
            sa.Column("created", sa.Float, nullable=False),
            sa.Column("updated", sa.Float, nullable=False),
        )
        self.turns_table = sa.Table(
            "turns",
            meta,
            sa.Column("conversation_id", sa.String(64), sa.ForeignKey("conversations.id"), primary_key=True),
            sa.Column("position", sa.Integer, primary_key=True),
            sa.Column("question", sa.Text, nullable=False),
            sa.Column("resolved_question", sa.Text, nullable=False),
            sa.Column("answer", sa.Text, nullable=False),  # the Answer's to_dict() as JSON
            sa.Column("created", sa.Float, nullable=False),
        )
        self.feedback_table = sa.Table(
            "feedback",
            meta,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("conversation_id", sa.String(64), nullable=False, index=True),
            sa.Column("position", sa.Integer, nullable=False),
            sa.Column("rating", sa.String(8), nullable=False),
            sa.Column("comment", sa.Text, nullable=False),
            sa.Column("question", sa.Text, nullable=False),
            sa.Column("resolved_question", sa.Text, nullable=False),
            sa.Column("answer", sa.Text, nullable=False),
            sa.Column("cited", sa.Text, nullable=False),  # JSON list of clause ids
            sa.Column("language", sa.String(8), nullable=False),
            sa.Column("intent", sa.String(32), nullable=False),
            sa.Column("abstained", sa.Boolean, nullable=False),
            sa.Column("created", sa.Float, nullable=False),
        )
        self._run(lambda: meta.create_all(self.engine))

    @classmethod
    def open(cls, settings: Settings | None = None, url: str | None = None) -> Store:
        return cls(url or database_url(settings or Settings.load()))

    def close(self) -> None:
        self.engine.dispose()

    # --- conversations ------------------------------------------------------------------

    def new_conversation(self, conversation_id: str | None = None) -> str:
        """A new, empty conversation; its id is random unless given (a client's own id)."""
        cid = conversation_id or uuid.uuid4().hex
        check_id(cid)
        now = time.time()

        def write() -> None:
            import sqlalchemy.exc as sa_exc

            try:
                with self._writing, self.engine.begin() as db:
                    self._create(db, cid, now)
            except sa_exc.IntegrityError:
                pass  # made at the same moment by another replica: it exists, which is what was asked

        self._run(write)
        return cid

    def save_turn(self, conversation_id: str | None, answer: dict[str, Any]) -> tuple[str, int]:
        """Append a turn, starting the conversation first when it is new or `conversation_id` is None, in one
        transaction: (the conversation's id, the turn's position). What the app does after every answer."""
        cid = conversation_id or uuid.uuid4().hex
        check_id(cid)
        body = json.dumps(answer, ensure_ascii=False)

        def write() -> tuple[str, int]:
            import sqlalchemy.exc as sa_exc

            try:
                with self._writing, self.engine.begin() as db:
                    if conversation_id is None:  # an id made here is new: no row to look up, lock or number against
                        now = time.time()
                        db.execute(self.conversations.insert().values(id=cid, created=now, updated=now))
                        return cid, self._insert_turn(db, cid, 0, answer, body, now)
                    self._create(db, cid, time.time())
                    return cid, self._append(db, cid, answer, body)
            except sa_exc.IntegrityError:  # another replica started this id at the same moment: append to it
                return cid, self.add_turn(cid, answer)

        return self._run(write)

    def exists(self, conversation_id: str) -> bool:
        if not CONVERSATION_ID.match(conversation_id or ""):
            return False
        return self._run(lambda: self._read(self.conversations.select().where(self.conversations.c.id == conversation_id))) != []

    def add_turn(self, conversation_id: str, answer: dict[str, Any]) -> int:
        """Append one answered turn (an `Answer.to_dict()`); returns its position. Unknown ids are an error."""
        check_id(conversation_id)
        body = json.dumps(answer, ensure_ascii=False)

        def write() -> int:
            with self._writing, self.engine.begin() as db:
                return self._append(db, conversation_id, answer, body)

        return self._run(write)

    def turns(self, conversation_id: str) -> list[dict[str, Any]]:
        """Every turn's answer dict, in order; UnknownConversationError for an id never created."""
        if not self.exists(conversation_id):
            raise UnknownConversationError(_unknown(conversation_id))
        rows = self._run(
            lambda: self._read(
                self.turns_table.select().where(self.turns_table.c.conversation_id == conversation_id).order_by(self.turns_table.c.position)
            )
        )
        return [json.loads(row.answer) for row in rows]

    # --- feedback -----------------------------------------------------------------------

    def add_feedback(self, conversation_id: str, position: int, rating: str, comment: str = "") -> int:
        """Record 👍 ('up') or 👎 ('down') on a saved turn, with an optional comment; returns the feedback id."""
        if rating not in RATINGS:
            raise PlanqaError(f"feedback rating must be one of {', '.join(RATINGS)}, got {rating!r}")
        comment = (comment or "").strip()
        if len(comment) > MAX_COMMENT:
            raise PlanqaError(f"the comment is {len(comment)} characters long; the limit is {MAX_COMMENT}")
        turns = self.turns(conversation_id)
        if not 0 <= position < len(turns):
            raise PlanqaError(f"conversation {conversation_id} has no turn {position} (it has {len(turns)})")
        answer = turns[position]

        def write() -> int:
            with self._writing, self.engine.begin() as db:
                result = db.execute(
                    self.feedback_table.insert().values(
                        conversation_id=conversation_id,
                        position=position,
                        rating=rating,
                        comment=comment,
                        question=str(answer.get("question", "")),
                        resolved_question=str(answer.get("resolved_question") or answer.get("question", "")),
                        answer=str(answer.get("answer", "")),
                        cited=json.dumps([c["id"] for c in answer.get("citations", [])]),
                        language=str(answer.get("language", "")),
                        intent=str(answer.get("intent", "")),
                        abstained=bool(answer.get("abstained", False)),
                        created=time.time(),
                    )
                )
                return int(result.inserted_primary_key[0])

        return self._run(write)

    def feedback(self) -> list[Feedback]:
        """All feedback, oldest first."""
        rows = self._run(lambda: self._read(self.feedback_table.select().order_by(self.feedback_table.c.id)))
        return [
            Feedback(
                id=row.id,
                conversation=row.conversation_id,
                position=row.position,
                rating=row.rating,
                comment=row.comment,
                question=row.question,
                resolved_question=row.resolved_question,
                answer=row.answer,
                cited=tuple(json.loads(row.cited)),
                language=row.language,
                intent=row.intent,
                abstained=bool(row.abstained),
                created=row.created,
            )
            for row in rows
        ]

    # --- plumbing -----------------------------------------------------------------------

    def _create(self, db: Any, conversation_id: str, now: float) -> None:
        """Inside a write transaction: the conversation's row, unless it exists."""
        if db.execute(self.conversations.select().where(self.conversations.c.id == conversation_id)).first() is None:
            db.execute(self.conversations.insert().values(id=conversation_id, created=now, updated=now))

    def _append(self, db: Any, conversation_id: str, answer: dict[str, Any], body: str) -> int:
        """Inside a write transaction: the next turn of a conversation (locked while it is numbered); its position."""
        import sqlalchemy as sa

        row = db.execute(self.conversations.select().where(self.conversations.c.id == conversation_id).with_for_update()).first()
        if row is None:
            raise UnknownConversationError(_unknown(conversation_id))
        last = db.execute(
            sa.select(sa.func.max(self.turns_table.c.position)).where(self.turns_table.c.conversation_id == conversation_id)
        ).scalar()
        now = time.time()
        position = self._insert_turn(db, conversation_id, 0 if last is None else last + 1, answer, body, now)
        db.execute(self.conversations.update().where(self.conversations.c.id == conversation_id).values(updated=now))
        return position

    def _insert_turn(self, db: Any, conversation_id: str, position: int, answer: dict[str, Any], body: str, now: float) -> int:
        """Inside a write transaction: the turn's row at `position`; returns it."""
        db.execute(
            self.turns_table.insert().values(
                conversation_id=conversation_id,
                position=position,
                question=str(answer.get("question", "")),
                resolved_question=str(answer.get("resolved_question") or answer.get("question", "")),
                answer=body,
                created=now,
            )
        )
        return position

    def _read(self, statement: Any) -> list[Any]:
        with self.engine.connect() as db:
            return list(db.execute(statement))

    def _run(self, work: Any) -> Any:
        """Run a database step, turning driver errors into one StoreError line naming the database and the fix."""
        import sqlalchemy.exc as sa_exc

        try:
            return work()
        except sa_exc.OperationalError as exc:
            message = str(exc.orig).lower()
            if "locked" in message or "busy" in message:
                raise StoreError(f"the conversation database {self._where} is locked by another program; close it and try again") from None
            if "readonly" in message or "read-only" in message:
                raise StoreError(
                    f"the conversation database {self._where} is read-only; make it writable or set PLANQA_DATABASE_URL to another file"
                ) from None
            if "unable to open" in message:
                raise StoreError(
                    f"cannot open the conversation database {self._where}; check the directory exists and is writable, "
                    "or set PLANQA_DATABASE_URL"
                ) from None
            raise StoreError(f"the conversation database {self._where} cannot be used ({exc.orig}); check PLANQA_DATABASE_URL") from None
        except sa_exc.DatabaseError as exc:
            raise StoreError(
                f"the conversation database {self._where} is damaged ({exc.orig}); move the file aside and a new one is made, "
                "or set PLANQA_DATABASE_URL"
            ) from None
        except sa_exc.ArgumentError as exc:
            raise StoreError(f"PLANQA_DATABASE_URL {self._where} is not a database URL ({exc})") from None


def check_id(conversation_id: str) -> str:
    if not isinstance(conversation_id, str) or not CONVERSATION_ID.match(conversation_id):
        raise UnknownConversationError(
            f"{str(conversation_id)[:80]!r} is not a conversation id (1-64 letters, digits, '-' or '_'); start a new conversation"
        )
    return conversation_id


def _unknown(conversation_id: str) -> str:
    return f"unknown conversation {conversation_id!r}; start a new one (it may have been made with another database)"


def _describe(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


def _sqlite_pragmas(engine: Any, timeout: float) -> None:
    """WAL, a busy timeout, and a write lock taken when a transaction begins (so writers queue, never deadlock)."""
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself, below
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")  # in WAL mode: a killed process loses nothing committed
        except Exception:  # a read-only or damaged file: reported by the first real statement, through _run
            pass
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

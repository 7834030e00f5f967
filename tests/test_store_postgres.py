"""The store against a real PostgreSQL server, started here on a temporary data directory and stopped after.

Debian's `postgresql` package provides initdb and pg_ctl (`make test` installs it); the server runs as the
`postgres` user when the tests run as root. Skipped, with a note, only where PostgreSQL is not installed.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

from planqa.store import Store, StoreError
from tests.test_store import answer, concurrent_users, one_store_many_users


def _binary(name: str) -> str | None:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def postgres_url():
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if not (initdb and pg_ctl):
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql); the PostgreSQL store tests are skipped")
    base = Path(tempfile.mkdtemp(prefix="planqa-pg-"))
    data, log = base / "data", base / "server.log"
    run_as: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' user to run the server as")
        os.chown(base, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    subprocess.run([*run_as, initdb, "-D", str(data), "-A", "trust", "-U", "planqa", "--no-sync"], check=True, capture_output=True)
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run([*run_as, pg_ctl, "-D", str(data), "-o", options, "-l", str(log), "-w", "start"], check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://planqa@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*run_as, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def test_round_trip_on_postgres(postgres_url: str):
    store = Store(postgres_url)
    cid = store.new_conversation()
    store.add_turn(cid, answer("首席数据官？"))
    store.add_turn(cid, answer("这一条呢？", resolved="北京方案（二）呢？"))
    assert [t["resolved_question"] for t in store.turns(cid)] == ["首席数据官？", "北京方案（二）呢？"]
    store.add_feedback(cid, 1, "down", "wrong")
    assert [f.comment for f in store.feedback() if f.conversation == cid] == ["wrong"]
    store.close()


def test_twenty_concurrent_users_on_postgres(postgres_url: str):
    concurrent_users(postgres_url)


def test_one_store_shared_by_twenty_users_on_postgres(postgres_url: str):
    one_store_many_users(postgres_url)


def test_an_unreachable_server_is_one_clear_error():
    with pytest.raises(StoreError, match=r"planqa:\*\*\*@"):
        Store(f"postgresql+psycopg://planqa:secret@127.0.0.1:{_free_port()}/postgres")

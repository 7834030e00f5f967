"""Serving safely: login from the environment or a file, no open binds by accident, slowed guessing, no uploads."""

from __future__ import annotations

import asyncio
import socket
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from planqa import serving, ui
from planqa.cli import main
from planqa.serving import LoginCheck

from .conftest import CORPUS
from .stubs import stub_assistant

pytestmark = [
    pytest.mark.filterwarnings("ignore:.*no_silent_downcasting"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Loaded:
    """What a faked Assistant.load returns: `serve` warms it before serving."""

    def warm(self) -> _Loaded:
        return self


LOADED = _Loaded()


@pytest.fixture
def fake_serve(monkeypatch):
    """`planqa serve` with loading and launching replaced: returns the launch calls."""
    calls = []
    monkeypatch.setattr("planqa.chain.Assistant.load", classmethod(lambda cls, settings, rebuild=True: LOADED))
    monkeypatch.setattr(ui, "create_app", lambda assistant, **kwargs: "app")
    monkeypatch.setattr(ui, "launch", lambda app, **kwargs: calls.append(kwargs))
    return calls


def serve(capsys, *argv):
    code = main(["--corpus", str(CORPUS), "serve", "--no-watch", *argv])
    return code, capsys.readouterr().err


def test_a_password_on_the_command_line_is_refused(fake_serve, capsys):
    code, err = serve(capsys, "--auth", "admin:s3cret")
    assert code == 2 and err.count("\n") == 1 and "--auth-file" in err and "PLANQA_AUTH" in err and "s3cret" not in err
    assert fake_serve == []


def test_an_open_bind_needs_a_login_or_an_explicit_flag(fake_serve, capsys, monkeypatch, tmp_path):
    code, err = serve(capsys, "--host", "0.0.0.0")
    assert code == 2 and "without a login" in err and "--insecure-open" in err and fake_serve == []
    code, err = serve(capsys, "--host", "0.0.0.0", "--insecure-open")
    assert code == 0 and "no login" in err and fake_serve[-1]["auth"] is None
    monkeypatch.setenv("PLANQA_AUTH", "admin:from-env")
    code, _ = serve(capsys, "--host", "0.0.0.0")
    assert code == 0 and fake_serve[-1]["auth"] == ("admin", "from-env")
    monkeypatch.delenv("PLANQA_AUTH")
    secret = tmp_path / "login"
    secret.write_text("admin:from-file\n", encoding="utf-8")
    code, _ = serve(capsys, "--host", "0.0.0.0", "--auth-file", str(secret))
    assert code == 0 and fake_serve[-1]["auth"] == ("admin", "from-file")
    code, _ = serve(capsys)
    assert code == 0 and fake_serve[-1]["host"] == "127.0.0.1" and fake_serve[-1]["auth"] is None


@pytest.mark.parametrize("content", ["nopassword", ":", "admin:", ""])
def test_a_bad_login_file_is_one_line(fake_serve, capsys, tmp_path, content):
    secret = tmp_path / "login"
    secret.write_text(content, encoding="utf-8")
    code, err = serve(capsys, "--auth-file", str(secret))
    assert code == 2 and err.count("\n") == 1 and "USER:PASS" in err and fake_serve == []


def test_failed_logins_wait_one_at_a_time_and_a_right_one_does_not():
    async def scenario() -> tuple[float, bool, int]:
        check = LoginCheck("admin", "s3cret", delay=0.05).check
        started = time.perf_counter()
        wrong = [asyncio.create_task(check("admin", f"guess{n}")) for n in range(10)]
        await asyncio.sleep(0)
        right = await check("admin", "s3cret")
        pending = sum(not task.done() for task in wrong)
        results = await asyncio.gather(*wrong)
        assert not any(results)
        return time.perf_counter() - started, right, pending

    elapsed, right, pending = asyncio.run(scenario())
    assert right and pending >= 5  # the right password went through while the guesses queued
    assert elapsed >= 10 * 0.05  # ten guesses cost at least ten delays


@pytest.fixture(scope="module")
def stub_served(catalog, tmp_path_factory):
    """The real app (stub embeddings, so no model) with a login, on a free loopback port."""
    assistant = stub_assistant(catalog, tmp_path_factory.mktemp("stub"))
    app = ui.create_app(assistant, reports_dir=tmp_path_factory.mktemp("reports"))
    url = ui.launch(app, port=free_port(), auth=("admin", "s3cret"), block=False)
    yield url.rstrip("/")
    app.close()


def test_the_app_takes_no_uploads(stub_served):
    with httpx.Client() as client:
        login = client.post(f"{stub_served}/login", data={"username": "admin", "password": "s3cret"})
        assert login.status_code == 200
        files = {"files": ("big.bin", b"x" * 2_000_000, "application/octet-stream")}
        response = client.post(f"{stub_served}/gradio_api/upload", files=files)
        assert response.status_code == 403 and b"no file uploads" in response.content
        assert client.post(f"{stub_served}/gradio_api/upload/", files=files).status_code == 403


def test_wrong_logins_over_http_are_slowed(stub_served, monkeypatch):
    def attempt(n: int) -> int:
        return httpx.post(f"{stub_served}/login", data={"username": "admin", "password": f"guess{n}"}).status_code

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(attempt, range(8)))
    assert codes == [400] * 8
    assert time.perf_counter() - started >= 8 * serving.FAILED_LOGIN_DELAY_S
    assert httpx.post(f"{stub_served}/login", data={"username": "admin", "password": "s3cret"}).status_code == 200
    assert httpx.post(f"{stub_served}/login", data={"username": "admin", "password": "s3cret "}).status_code == 400


def test_a_lone_surrogate_sent_to_the_api_is_an_error_item(stub_served):
    """JSON may carry "\\ud800", which Python decodes to a string that cannot be encoded; the server must not fail."""
    import json

    def ask_raw(client: httpx.Client, body: str) -> dict:
        posted = client.post(f"{stub_served}/gradio_api/call/ask", content=body, headers={"content-type": "application/json"})
        assert posted.status_code == 200, posted.text
        stream = client.get(f"{stub_served}/gradio_api/call/ask/{posted.json()['event_id']}", timeout=60).text
        event = [line for line in stream.splitlines() if line.startswith("event:")][-1]
        data = [line for line in stream.splitlines() if line.startswith("data:")][-1]
        assert event == "event: complete", stream
        return json.loads(data[len("data:") :])[0]

    with httpx.Client() as client:
        client.post(f"{stub_served}/login", data={"username": "admin", "password": "s3cret"})
        bad = ask_raw(client, '{"data": ["\\ud800市教委牵头哪些措施？"]}')
        assert "invalid character" in bad["error"] and "U+D800" in bad["error"]
        good = ask_raw(client, json.dumps({"data": ["市教委牵头哪些措施？"]}))
        assert good["citations"]


def test_serve_watches_the_corpus_unless_told_not_to(monkeypatch, capsys):
    made = []
    monkeypatch.setattr("planqa.chain.Assistant.load", classmethod(lambda cls, settings, rebuild=True: LOADED))
    monkeypatch.setattr("planqa.live.LiveAssistant.start", lambda self: self)
    monkeypatch.setattr(ui, "create_app", lambda assistant, **kwargs: made.append(kwargs) or "app")
    monkeypatch.setattr(ui, "launch", lambda app, **kwargs: None)
    assert main(["--corpus", str(CORPUS), "serve"]) == 0
    assert made[-1]["live"] is not None and made[-1]["live"].current is LOADED
    assert main(["--corpus", str(CORPUS), "serve", "--no-watch"]) == 0
    assert made[-1]["live"] is None
    err = capsys.readouterr().err
    assert "loading the corpus" in err and "starting the web app" in err

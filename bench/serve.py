"""The running app under load: one user, then 20 concurrent users, through gradio_client's /ask API.

    .venv/bin/python bench/serve.py                 # starts `planqa serve` on a free port, measures, stops it
    .venv/bin/python bench/serve.py --url URL       # measures an app that is already running

Each user asks USERS_QUESTIONS questions from eval/questions.jsonl one after another (their own client,
as a browser tab would). Prints errors, p50/p95 latency and throughput for 1 and for 20 users, and the
ratio of the two, measured in the same run. Targets on 2 cores: 0 errors, p95 <= 0.6 s, ratio >= 2.2.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
USERS = 20
USERS_QUESTIONS = 10
TARGET_P95_S = 0.6
TARGET_RATIO = 2.2


def questions() -> list[str]:
    lines = (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server() -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = [str(ROOT / ".venv" / "bin" / "planqa"), "serve", "--port", str(port), "--no-watch"]
    server = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 900  # a first run may build the index
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"planqa serve exited with {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server, url
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("planqa serve did not start in time")


def user(url: str, asked: list[str]) -> tuple[list[float], int]:
    """One user's session: its own client, questions one after another; latencies and error count."""
    from gradio_client import Client

    # ssl_verify=False: the app is plain http on loopback, so there is no certificate to verify, but with the default
    # gradio_client builds a certificate-verifying TLS context for every request (~50 ms of CPU each, measured),
    # which on a 2-core machine would take more CPU from the server than the answers themselves.
    client = Client(url, verbose=False, ssl_verify=False)
    latencies, errors = [], 0
    for question in asked:
        started = time.perf_counter()
        try:
            data = client.predict(question, api_name="/ask")
            errors += "error" in data or not data.get("answer")
        except Exception as exc:
            print(f"  error: {type(exc).__name__}: {str(exc)[:120]}", file=sys.stderr)
            errors += 1
        latencies.append(time.perf_counter() - started)
    return latencies, errors


def cpu_seconds(pid: int | None) -> float:
    """CPU time (user + system) used so far by process `pid` (this process when None)."""
    if pid is None:
        return time.process_time()
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(url: str, users: int, pool: list[str], server_pid: int | None) -> dict[str, float]:
    sessions = [[pool[(u * USERS_QUESTIONS + q) % len(pool)] for q in range(USERS_QUESTIONS)] for u in range(users)]
    server_cpu, client_cpu = cpu_seconds(server_pid) if server_pid else 0.0, cpu_seconds(None)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=users) as executor:
        results = list(executor.map(lambda asked: user(url, asked), sessions))
    elapsed = time.perf_counter() - started
    latencies = sorted(x for lats, _ in results for x in lats)
    server_cpu = cpu_seconds(server_pid) - server_cpu if server_pid else float("nan")
    client_cpu = cpu_seconds(None) - client_cpu
    return {
        "server_cpu_ms": server_cpu * 1000 / len(latencies),
        "client_cpu_ms": client_cpu * 1000 / len(latencies),
        "users": users,
        "questions": len(latencies),
        "errors": sum(e for _, e in results),
        "p50": statistics.median(latencies),
        "p95": statistics.quantiles(latencies, n=100, method="inclusive")[94],
        "throughput": len(latencies) / elapsed,
        "elapsed": elapsed,
    }


def show(result: dict[str, float]) -> None:
    print(
        f"{result['users']:>3} user(s): {result['questions']} questions, {result['errors']} errors, "
        f"p50 {result['p50'] * 1000:.0f} ms, p95 {result['p95'] * 1000:.0f} ms, "
        f"{result['throughput']:.1f} questions/s ({result['elapsed']:.1f} s); "
        f"CPU per question: server {result['server_cpu_ms']:.0f} ms, clients {result['client_cpu_ms']:.0f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="an app that is already running (default: start one)")
    parser.add_argument("--users", type=int, default=USERS)
    args = parser.parse_args()
    server = None
    url = args.url
    if url is None:
        server, url = start_server()
    try:
        pool = questions()
        user(url, pool[:10])  # warm-up: the model's buffers and the per-clause caches
        pid = server.pid if server is not None else None
        one = run(url, 1, pool, pid)
        many = run(url, args.users, pool, pid)
        print(f"cores: {len(os.sched_getaffinity(0))}, load average before: {os.getloadavg()[0]:.2f}")
        show(one)
        show(many)
        ratio = many["throughput"] / one["throughput"]
        print(f"throughput ratio {args.users} users / 1 user: {ratio:.2f}x")
        met = many["errors"] == 0 and many["p95"] <= TARGET_P95_S and ratio >= TARGET_RATIO
        print(f"targets (0 errors, p95 <= {TARGET_P95_S} s, ratio >= {TARGET_RATIO}x): {'met' if met else 'NOT met'}")
        if server is not None:
            # What two idle cores could serve: the CPU each question costs the server and the clients together.
            per_question, cores = many["server_cpu_ms"] + many["client_cpu_ms"], len(os.sched_getaffinity(0))
            print(f"CPU-bound capacity on {cores} idle cores: ~{1000 * cores / per_question:.0f} questions/s")
        return 0
    finally:
        if server is not None:
            server.terminate()
            server.wait(30)


if __name__ == "__main__":
    sys.exit(main())

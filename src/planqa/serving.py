"""Who may reach the app and how: the bind address, the login, slowed failed logins and no file uploads.

    credentials(auth_file=None)        # USER:PASS from PLANQA_AUTH or a file, never from the command line
    check_bind("0.0.0.0", None, insecure_open=False)  -> ConfigError: another host needs a login
    LoginCheck("admin", "s3cret").check  # Gradio's auth function: wrong passwords wait, one at a time

Decisions (see README, "The app"):
- The app binds to 127.0.0.1. Any other address requires a login, unless `--insecure-open` says on
  purpose that the app may be open to everyone who can reach the machine.
- The password is read from the PLANQA_AUTH environment variable or a file (`--auth-file`), so it
  never appears in `ps` or the shell history.
- A wrong password costs FAILED_LOGIN_DELAY_S, and failures are served one at a time, so guessing runs
  at no more than a couple of tries per second; a right password is never delayed.
- planqa has no file inputs, so Gradio's upload endpoint is closed (403) and its size limit is 1 KB.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import os
from pathlib import Path
from typing import Any

from planqa.errors import ConfigError

AUTH_ENV = "PLANQA_AUTH"
FAILED_LOGIN_DELAY_S = 0.5
MAX_UPLOAD = "1kb"
UPLOAD_PATHS = ("/gradio_api/upload", "/upload")


def credentials(auth_file: str | None = None) -> tuple[str, str] | None:
    """(user, password) from `auth_file` or PLANQA_AUTH ('USER:PASS'), or None when neither is given."""
    if auth_file:
        try:
            raw = Path(auth_file).read_text(encoding="utf-8").strip().splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or exc
            raise ConfigError(f"cannot read --auth-file {auth_file} ({reason}); it should hold one line USER:PASS") from None
        where, value = f"--auth-file {auth_file}", raw[0] if raw else ""
    elif os.environ.get(AUTH_ENV):
        where, value = AUTH_ENV, os.environ[AUTH_ENV]
    else:
        return None
    user, _, password = value.partition(":")
    if not (user.strip() and password):
        raise ConfigError(f"{where} must hold USER:PASS with both parts non-empty, e.g. admin:s3cret")
    return user.strip(), password


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_bind(host: str, auth: tuple[str, str] | None, insecure_open: bool) -> None:
    """Refuse to serve an address other than loopback without a login, unless the user said so explicitly."""
    if not is_loopback(host) and auth is None and not insecure_open:
        raise ConfigError(
            f"serving on {host} without a login would let anyone who can reach this machine use the app; "
            f"set {AUTH_ENV}=USER:PASS or pass --auth-file FILE, or pass --insecure-open if that is what you want"
        )


class LoginCheck:
    """Gradio's auth function (`check`): constant-time comparison; failures wait FAILED_LOGIN_DELAY_S, one at a time."""

    def __init__(self, user: str, password: str, delay: float | None = None):
        self.user, self.password = user, password
        self.delay = FAILED_LOGIN_DELAY_S if delay is None else delay
        self._lock: asyncio.Lock | None = None
        self.failures = 0

    async def check(self, user: str, password: str) -> bool:
        # Both comparisons always run, so the time taken does not tell whether the user name was right.
        user_ok = hmac.compare_digest(user.encode("utf-8", "replace"), self.user.encode("utf-8"))
        password_ok = hmac.compare_digest(password.encode("utf-8", "replace"), self.password.encode("utf-8"))
        if user_ok and password_ok:
            return True
        self.failures += 1
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:  # failed attempts queue up here: guessing is slow even with many connections
            await asyncio.sleep(self.delay)
        return False


class NoUploads:
    """ASGI middleware answering 403 to Gradio's upload endpoint: the app takes no files."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope.get("type") == "http" and scope.get("path", "").rstrip("/").endswith(UPLOAD_PATHS):
            body = b"planqa takes no file uploads"
            headers = [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]
            await send({"type": "http.response.start", "status": 403, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


def launch_options(auth: tuple[str, str] | None) -> dict[str, Any]:
    """The security-related arguments of Gradio's `launch()`."""
    from starlette.middleware import Middleware

    return {
        # A bound `async def` method: Gradio awaits only what inspect.iscoroutinefunction recognises.
        "auth": LoginCheck(*auth).check if auth else None,
        "max_file_size": MAX_UPLOAD,
        "app_kwargs": {"middleware": [Middleware(NoUploads)]},
    }

"""``newsweave serve`` as a child process on loopback, for tests, benchmarks and scripts."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

HOST = "127.0.0.1"


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(
    db: str,
    *options: str,
    token: str | None = None,
    start_timeout: float = 60,
    log: Path | None = None,
) -> Iterator[str]:
    """Run ``newsweave serve`` over ``db`` until the block ends; yields its base URL. What
    it writes to stderr goes to ``log`` (a file, never a pipe that could fill up and stop
    it), by default a temporary file."""
    port = free_port()
    command = [sys.executable, "-m", "newsweave", "serve", "--db", db, "--port", str(port)]
    env = {**os.environ, "NEWSWEAVE_WRITE_TOKEN": token or ""}
    base = f"http://{HOST}:{port}"
    with tempfile.TemporaryDirectory() as scratch:
        log = log or Path(scratch) / "serve.log"
        with log.open("wb") as stderr:
            server = subprocess.Popen(
                [*command, *options], env=env, stdout=subprocess.DEVNULL, stderr=stderr
            )
        try:
            _wait_until_up(server, base, start_timeout, log)
            yield base
        finally:
            _stop(server)


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _wait_until_up(server: subprocess.Popen[bytes], base: str, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            httpx.get(f"{base}/api/v1/stats", timeout=2)
            return
        except httpx.TransportError:
            if server.poll() is not None:
                error = log.read_text(encoding="utf-8", errors="replace")
                raise RuntimeError(f"newsweave serve exited: {error.strip()}") from None
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"newsweave serve did not answer within {timeout:.0f}s"
                ) from None
            time.sleep(0.2)

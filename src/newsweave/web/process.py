"""``newsweave serve`` as a child process on loopback, for tests, benchmarks and scripts."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

HOST = "127.0.0.1"


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(
    db: str, *options: str, token: str | None = None, start_timeout: float = 60
) -> Iterator[str]:
    """Run ``newsweave serve`` over ``db`` until the block ends; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "newsweave", "serve", "--db", db, "--port", str(port)]
    env = {**os.environ, "NEWSWEAVE_WRITE_TOKEN": token or ""}
    server = subprocess.Popen(
        [*command, *options], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://{HOST}:{port}"
    try:
        _wait_until_up(server, base, start_timeout)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_until_up(server: subprocess.Popen[bytes], base: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            httpx.get(f"{base}/api/v1/stats", timeout=2)
            return
        except httpx.TransportError:
            if server.poll() is not None:
                error = server.stderr.read().decode(errors="replace") if server.stderr else ""
                raise RuntimeError(f"newsweave serve exited: {error.strip()}") from None
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"newsweave serve did not answer within {timeout:.0f}s"
                ) from None
            time.sleep(0.2)

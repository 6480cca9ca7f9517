"""Test helpers: the CLI run in-process or as a real process, and small file writers."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from newsweave.cli import main


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def cli(*args: str) -> Run:
    """Run the CLI in this process (click's runner), keeping stdout and stderr apart."""
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


def cli_process(*args: str, timeout: float = 600) -> Run:
    """Run ``newsweave`` as a real process, output piped."""
    done = subprocess.run(
        [sys.executable, "-m", "newsweave.cli", *args],
        capture_output=True, text=True, timeout=timeout, env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip
    return Run(done.returncode, done.stdout, done.stderr)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


ARTICLE_TEXT = (
    "Flood barriers along the Wend river held overnight, the regional water authority said "
    "on Tuesday, after the water rose more than two metres in twelve hours.\n\n"
    "About 300 households in the lower town were moved to school halls as a precaution, "
    "and the authority said it would decide by Thursday whether they could return home."
)

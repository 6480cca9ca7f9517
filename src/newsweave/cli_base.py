"""What every command of the ``newsweave`` command line shares: the ``main`` group, the
common options, opening the store, output, progress rows and one-line messages. The
commands themselves are in :mod:`newsweave.cli` and :mod:`newsweave.commands`."""

from __future__ import annotations

import errno
import os
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from newsweave import __version__
from newsweave.annotate.aliases import AliasFileError
from newsweave.api import DEFAULT_DB, Newsweave
from newsweave.model import one_line
from newsweave.outlets import OutletFileError
from newsweave.store import StoreError

F = TypeVar("F", bound=Callable[..., Any])
# Exit statuses beside click's 1 (a reported failure) and 2 (a usage error); ingest and
# watch also exit with 1 when something was skipped.
INTERNAL, INTERRUPTED = 3, 130
DEBUG_VARIABLE = "NEWSWEAVE_DEBUG"
SQLITE_INTEGER = 2**63 - 1  # what a LIMIT or OFFSET can hold
LIMIT = click.IntRange(min=1, max=SQLITE_INTEGER)
OFFSET = click.IntRange(min=0, max=SQLITE_INTEGER)
out = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, soft_wrap=True, width=None if sys.stderr.isatty() else 400)


def db_option(function: F) -> F:
    return click.option(
        "--db",
        default=lambda: os.environ.get("NEWSWEAVE_DB", DEFAULT_DB),
        show_default=f"$NEWSWEAVE_DB or {DEFAULT_DB}",
        help="The store file (SQLite).",
    )(function)


def outlets_option(function: F) -> F:
    return click.option(
        "--outlets", type=click.Path(dir_okay=False, exists=True),
        help="Outlet file (TOML) adding, renaming and merging outlets; default "
        "$NEWSWEAVE_OUTLETS, else <store>.outlets.toml beside the store.",
    )(function)  # fmt: skip


def json_option(function: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON.")(function)


@contextmanager
def opened(
    db: str, read_only: bool = False, aliases: str | None = None, outlets: str | None = None
) -> Iterator[Newsweave]:
    """Open the store, turning store errors into clean CLI errors."""
    try:
        news = Newsweave(db, read_only=read_only, aliases=aliases, outlets=outlets)
    except (StoreError, AliasFileError, OutletFileError) as exc:
        raise click.ClickException(str(exc)) from exc
    except Exception as exc:  # e.g. a read-only open of a missing file
        raise click.ClickException(f"cannot open store {db}: {exc}") from exc
    news.on_annotation_failure = _annotation_failed
    news.on_clustering_failure = _clustering_failed
    try:
        yield news
    finally:
        news.close()


def _annotation_failed(article_id: str, reason: str) -> None:
    tell(f"annotation failed for article {article_id}: {reason}")


def _clustering_failed(article_id: str, reason: str) -> None:
    tell(f"clustering: article {article_id}: {reason}")


class NewsweaveGroup(click.Group):
    """The ``newsweave`` group: whatever a command fails with reaches the user as one line.

    An error message quoting the inputs is made one line; Ctrl-C exits with status 130; an
    unexpected error (a bug, a damaged store) prints one line and exits with status 3, or
    raises with its traceback when ``$NEWSWEAVE_DEBUG`` is set.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.ClickException as exc:
            exc.message = one_line(exc.message)  # type: ignore[misc]  # Final only to typing
            raise
        except (click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            tell("interrupted")
            ctx.exit(INTERRUPTED)
        except Exception as exc:
            if os.environ.get(DEBUG_VARIABLE) or _broken_pipe(exc):
                raise
            tell(f"unexpected error: {type(exc).__name__}: {exc} ({DEBUG_VARIABLE}=1 shows where)")
            ctx.exit(INTERNAL)


def _broken_pipe(exc: Exception) -> bool:
    """Output piped into a reader that left (``| head``): click ends that run itself."""
    return isinstance(exc, OSError) and exc.errno == errno.EPIPE


@click.group(cls=NewsweaveGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsweave")
def main() -> None:
    """newsweave: follow the news like an analyst.

    Ingest articles from files, feeds, archives and URLs into an embedded store,
    then see which outlets reported what.

    Exit status: 0 done; 1 a failure was reported, or ingest and watch skipped something;
    2 usage error; 3 unexpected error ($NEWSWEAVE_DEBUG=1 shows the traceback); 130
    interrupted.
    """
    warnings.showwarning = _tell_warning


def _tell_warning(
    message: Warning | str, category: type[Warning], filename: str, lineno: int,
    file: Any = None, line: str | None = None,
) -> None:  # fmt: skip
    """A library's warning, as one line of ours rather than its source line."""
    tell(f"warning: {category.__name__}: {message}")


class RichProgress:
    """The API's :class:`~newsweave.api.Progress` drawn with Rich, one row per phase: the
    steps of a phase ("clustering: pairing") take turns on its row."""

    def __init__(self, bar: Progress) -> None:
        self.bar = bar
        self.tasks: dict[str, TaskID] = {}  # by phase
        self.rows: dict[str, TaskID] = {}  # the current task of each row

    def start(self, phase: str, total: int | None) -> None:
        row = phase.split(":")[0]
        if row in self.rows:
            self.bar.update(self.rows[row], visible=False)
        self.tasks[phase] = self.rows[row] = self.bar.add_task(phase, total=total, detail="")

    def advance(self, phase: str, n: int = 1) -> None:
        if phase in self.tasks:
            self.bar.advance(self.tasks[phase], n)

    def done(self, phase: str) -> None:
        """A full bar (counting what was done where the total was unknown)."""
        task = next((t for t in self.bar.tasks if t.id == self.tasks.get(phase)), None)
        if task is not None:
            total = task.completed if task.total is None else task.total
            self.bar.update(task.id, total=total, completed=total)

    def detail(self, phase: str, text: str) -> None:
        if phase in self.tasks:
            self.bar.update(self.tasks[phase], detail=text)


@contextmanager
def phase_progress(quiet: bool) -> Iterator[RichProgress]:
    """Rich progress rows on stderr when it is a terminal and not ``quiet``."""
    bar = Progress(
        SpinnerColumn(finished_text="✓"), TextColumn("{task.description}"), BarColumn(),
        MofNCompleteColumn(), TextColumn("{task.fields[detail]}", markup=False),
        TimeRemainingColumn(), TimeElapsedColumn(), console=err, transient=True,
        disable=quiet or not err.is_terminal,
    )  # fmt: skip
    with bar:
        yield RichProgress(bar)


def tell(message: str) -> None:
    """One line on stderr; ``message`` may quote the inputs."""
    err.print(message_line(message), markup=False, highlight=False)


def message_line(text: str) -> str:
    return f"newsweave: {one_line(text)}"


def text_out(path: str | None) -> Any:
    """The file an export writes (stdout without one); a lone surrogate in the store is
    written as ``\\udXXXX`` instead of stopping the export."""
    return click.open_file(path or "-", "w", encoding="utf-8", errors="backslashreplace")

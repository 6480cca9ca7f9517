"""Watching feeds and folders: poll them, ingest what is new, back off from what fails.

Feeds are fetched with a conditional GET (``If-None-Match`` / ``If-Modified-Since``), so an
unchanged feed costs one 304. A feed that fails is retried later and later (doubling, capped)
while the others go on. Files in watched folders are read again only when their size or
modification time changed. New items go through the ordinary :class:`Ingestor`, so dedup,
validation, annotation and clustering behave exactly as with ``newsweave ingest``.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from newsweave.ingest.feeds import feed_locations, is_opml, resolve_feed_location
from newsweave.ingest.fetch import FetchCancelled, Validators, fetch_if_changed, is_web_url
from newsweave.ingest.normalise import reason_of
from newsweave.ingest.options import ReadOptions, ReadResult, Source
from newsweave.ingest.pipeline import Ingestor
from newsweave.ingest.sources import discover, kind_of_path, read_fetched, read_source
from newsweave.model import IngestReport, InputError, Problem, RawArticle
from newsweave.store.sqlite import SQLiteStore
from newsweave.store.watch import FeedState, FileStamp

DEFAULT_EVERY = 600.0
MAX_BACKOFF = 3600.0
_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.IGNORECASE)
_UNITS = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def parse_interval(text: str) -> float:
    """Seconds in ``30s``, ``10m``, ``1h``, ``1d`` or plain ``45``; raises ValueError."""
    match = _INTERVAL.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not an interval (use e.g. 30s, 10m, 1h or seconds)")
    seconds: float = float(match.group(1)) * _UNITS[match.group(2).lower()]
    if seconds <= 0:
        raise ValueError(f"{text!r}: the interval must be more than zero")
    return seconds


def backoff_delay(every: float, failures: int) -> float:
    """How long to leave a feed after ``failures`` failures in a row: doubling, capped at
    eight intervals or an hour, whichever is less (never less than one interval)."""
    cap = max(every, min(8 * every, MAX_BACKOFF))
    return min(every * (1 << min(failures, 30)), cap)


def clock_time(moment: float) -> str:
    """A Unix time as local ``HH:MM:SS``."""
    return datetime.fromtimestamp(moment).strftime("%H:%M:%S")


@dataclass(frozen=True, slots=True)
class FeedFailure:
    """One feed (or list) that could not be read this round."""

    location: str
    reason: str
    failures: int = 1
    retry_at: float | None = None
    what: str = "feed"

    def __str__(self) -> str:
        when = f"; retry at {clock_time(self.retry_at)}" if self.retry_at is not None else ""
        times = f" ({self.failures} failures in a row)" if self.failures > 1 else ""
        return f"{self.what} {self.location} failed: {self.reason}{times}{when}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "what": self.what,
            "location": self.location,
            "reason": self.reason,
            "failures": self.failures,
            "retry_at": self.retry_at,
        }


@dataclass(slots=True)
class RoundSummary:
    """What one polling round did."""

    number: int
    started: float
    changed: int = 0
    unchanged: int = 0
    backing_off: int = 0
    files_read: int = 0
    files_unchanged: int = 0
    failures: list[FeedFailure] = field(default_factory=list)
    report: IngestReport = field(default_factory=IngestReport)
    next_poll: float | None = None

    @property
    def ok(self) -> bool:
        """True when no feed failed and no item was skipped."""
        return not self.failures and self.report.skipped == 0

    def __str__(self) -> str:
        report = self.report
        parts = [f"round {self.number} at {clock_time(self.started)}: {report.new} new articles"]
        if report.duplicates or report.already_stored:
            parts[0] += f" ({report.duplicates + report.already_stored} already seen)"
        parts.append(
            f"feeds {self.changed} changed, {self.unchanged} unchanged (304), "
            f"{len(self.failures)} failed, {self.backing_off} backing off"
        )
        if self.files_read or self.files_unchanged:
            parts.append(f"files {self.files_read} read, {self.files_unchanged} unchanged")
        if report.skipped:
            parts.append(f"{report.skipped} items skipped")
        if self.next_poll is not None:
            parts.append(f"next poll at {clock_time(self.next_poll)}")
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.number,
            "started": self.started,
            "feeds": {
                "changed": self.changed,
                "unchanged": self.unchanged,
                "failed": len(self.failures),
                "backing_off": self.backing_off,
            },
            "files": {"read": self.files_read, "unchanged": self.files_unchanged},
            "failures": [failure.to_dict() for failure in self.failures],
            "ingest": self.report.to_dict(),
            "next_poll": self.next_poll,
        }


def check_targets(arguments: Sequence[str]) -> None:
    """Refuse anything that is neither an http(s) URL nor an existing file or folder."""
    if not arguments:
        raise InputError("watch list", "", "nothing to watch")
    for argument in arguments:
        if "://" in argument:
            if not is_web_url(argument):
                raise InputError("URL", argument, "only http and https URLs can be watched")
        elif not Path(argument).exists():
            raise InputError("path", argument, "no such file or directory")


@dataclass(slots=True)
class _Work:
    """This round's feeds and files, and the lists that could not be read."""

    feeds: list[str] = field(default_factory=list)
    files: list[Source] = field(default_factory=list)
    failures: list[FeedFailure] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)

    def add_feed(self, url: str) -> None:
        if url not in self.seen:
            self.seen.add(url)
            self.feeds.append(url)

    def add_file(self, source: Source) -> None:
        key = os.path.realpath(source.location)
        if key not in self.seen:
            self.seen.add(key)
            self.files.append(source)


def expand(arguments: Sequence[str]) -> _Work:
    """Feeds and files to poll: OPML lists and folders are read afresh every round."""
    work = _Work()
    for argument in arguments:
        if is_web_url(argument):
            work.add_feed(argument)
        elif Path(argument).is_dir():
            for found in discover([argument]):
                if isinstance(found, Source):
                    work.add_file(found)
        else:
            _expand_file(argument, work)
    return work


def _expand_file(path: str, work: _Work) -> None:
    try:
        with open(path, "rb") as handle:
            head = handle.read(2048)
        if not is_opml(head):
            work.add_file(Source(path, kind_of_path(path) or "sniff", Path(path).parent.name))
            return
        locations = feed_locations(Path(path).read_bytes(), path)
    except InputError as exc:
        work.failures.append(FeedFailure(path, exc.problem.why, what="OPML list"))
        return
    except OSError as exc:
        reason = f"unreadable ({exc.strerror or exc})"
        work.failures.append(FeedFailure(path, reason, what="input"))
        return
    for location in locations:
        target = resolve_feed_location(location, path)
        if is_web_url(target):
            work.add_feed(target)
        else:
            kind = kind_of_path(target) or "feed"
            work.add_file(Source(target, kind, Path(target).parent.name or None))


class Watcher:
    """Polls feeds, OPML lists, files and folders into a store, one round at a time.

    Close it (or use it in a ``with``) to release its connection to the watch tables.
    """

    def __init__(
        self,
        store: SQLiteStore,
        arguments: Sequence[str],
        *,
        every: float = DEFAULT_EVERY,
        options: ReadOptions | None = None,
        make_ingestor: Callable[[ReadOptions], Ingestor] | None = None,
        after_round: Callable[[IngestReport], None] = lambda report: None,
        on_failure: Callable[[FeedFailure], None] = lambda failure: None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.state = store.watch
        self.arguments = list(arguments)
        self.every = every
        self.options = options or ReadOptions()
        self._make_ingestor = make_ingestor or (lambda options: Ingestor(store, options))
        self._after_round = after_round
        self._on_failure = on_failure
        self._clock = clock
        self._stop = threading.Event()
        self._rounds = 0

    def run(
        self, *, rounds: int | None = None, stop: threading.Event | None = None
    ) -> Iterator[RoundSummary]:
        """Poll every ``every`` seconds, yielding each round's summary, until ``rounds``
        rounds are done or ``stop`` is set (seen within a fraction of a second, even in the
        middle of a download, which is then abandoned)."""
        if stop is not None:
            self._stop = stop
        done = 0
        while not self._stop.is_set():
            summary = self.poll()
            done += 1
            last = self._stop.is_set() or (rounds is not None and done >= rounds)
            summary.next_poll = None if last else summary.started + self.every
            yield summary
            if summary.next_poll is None:
                return
            self._stop.wait(max(0.0, summary.next_poll - self._clock()))

    def poll(self) -> RoundSummary:
        """One round: every feed not backing off, every new or changed file."""
        self._rounds += 1
        now = self._clock()
        summary = RoundSummary(self._rounds, now)
        work = expand(self.arguments)
        for failure in work.failures:
            self._report_failure(failure, summary)
        ingestor = self._make_ingestor(self.options)
        try:
            for url in work.feeds:
                if self._stop.is_set():
                    break
                self._poll_feed(url, ingestor, now, summary)
            for source in work.files:
                if self._stop.is_set():
                    break
                self._poll_file(source, ingestor, summary)
        finally:
            ingestor.flush()
        summary.report = ingestor.report
        self._after_round(ingestor.report)
        return summary

    def _due(self, state: FeedState, now: float) -> bool:
        """Healthy feeds are polled every round; failing ones once their back-off is over."""
        grace = min(1.0, self.every / 10)
        return state.failures == 0 or state.next_try <= now + grace

    def _poll_feed(self, url: str, ingestor: Ingestor, now: float, summary: RoundSummary) -> None:
        state = self.state.feed(url)
        if not self._due(state, now):
            summary.backing_off += 1
            return
        try:
            known = Validators(state.etag, state.last_modified)
            fetched = fetch_if_changed(url, self.options.fetch, known, stop=self._stop)
            if fetched is None:
                summary.unchanged += 1
            else:
                with ingestor.one_input(url):
                    _add_each(ingestor, read_fetched(fetched, self.options))
                ingestor.flush()  # stored before the validators that say it was seen
                state.etag, state.last_modified = fetched.etag, fetched.last_modified
                summary.changed += 1
        except FetchCancelled:
            return  # stopping: neither a success nor a failure of the feed
        except InputError as exc:
            self._feed_failed(state, exc.problem.why, now, summary)
            return
        except Exception as exc:  # a library failing on one odd feed must not stop the rest
            self._feed_failed(state, f"unexpected {reason_of(exc)}", now, summary)
            return
        state.failures, state.last_error = 0, None
        state.next_try, state.checked_at = now + self.every, now
        self.state.save_feed(state)

    def _feed_failed(
        self, state: FeedState, reason: str, now: float, summary: RoundSummary
    ) -> None:
        state.failures += 1
        state.last_error = " ".join(reason.split())[:300]
        state.next_try = now + backoff_delay(self.every, state.failures)
        state.checked_at = now
        self.state.save_feed(state)
        failure = FeedFailure(state.location, state.last_error, state.failures, state.next_try)
        self._report_failure(failure, summary)

    def _report_failure(self, failure: FeedFailure, summary: RoundSummary) -> None:
        summary.failures.append(failure)
        self._on_failure(failure)

    def _poll_file(self, source: Source, ingestor: Ingestor, summary: RoundSummary) -> None:
        key = os.path.realpath(source.location)
        try:
            info = os.stat(key)
        except OSError:
            return  # gone since the folder was listed
        stamp = FileStamp(info.st_mtime_ns, info.st_size)
        if self.state.file(key) == stamp:
            summary.files_unchanged += 1
            return
        with ingestor.one_input(source.location):
            _add_each(ingestor, read_source(source, self.options))
        ingestor.flush()  # stored before the stamp that says it was read
        self.state.save_file(key, stamp)
        summary.files_read += 1


def _add_each(ingestor: Ingestor, items: ReadResult) -> None:
    """Ingest item by item: one that the pipeline cannot take is one problem, and the rest
    of the feed or file (and the round) goes on."""
    for item in items:
        try:
            ingestor.add_items((item,))
        except Exception as exc:  # one odd entry must not fail its feed, round after round
            where = item.origin if isinstance(item, RawArticle) else item.where
            why = f"unexpected {reason_of(exc)}"
            ingestor.add_items((Problem("entry", where, why),))

"""What a reader is told: where the input is, and the user's choices."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from newsweave.model import Problem, RawArticle

if TYPE_CHECKING:
    from newsweave.ingest.meta import SideMetadata
    from newsweave.ingest.payload import Payload

# One whole document (text, HTML, JSON, feed, OPML) or one JSONL line is held in memory and
# parsed at once, at up to ~20 times its size: 16 MiB keeps one input under 1 GB. Streamed
# files (JSONL, CSV, Parquet, WARC) have no total cap. An article holds at most 2M chars.
DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024
DEFAULT_MAX_FETCH_BYTES = 20 * 1024 * 1024
USER_AGENT = "newsweave/0.1 (news analysis; +https://github.com/newsweave/newsweave)"


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """Limits for downloading URLs."""

    timeout: float = 20.0
    max_bytes: int = DEFAULT_MAX_FETCH_BYTES
    allow_private: bool = False
    max_redirects: int = 5
    user_agent: str = USER_AGENT


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """User choices that readers honour."""

    fields: Mapping[str, str] = field(default_factory=dict)
    encoding: str | None = None
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    fetch_linked: bool = False
    fetch: FetchPolicy = field(default_factory=FetchPolicy)
    meta: SideMetadata | None = None  # titles, outlets, urls, dates kept beside the files
    in_list: bool = False  # reading a feed an OPML list names: lists inside lists are not read


@dataclass(frozen=True, slots=True)
class Source:
    """One input: a file, or a URL, with the reader that fits it."""

    location: str
    kind: str
    folder: str | None = None
    url: str | None = None


ReadResult = Iterator[RawArticle | Problem]
Reader = Callable[["Payload", Source, ReadOptions], ReadResult]

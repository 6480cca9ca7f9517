"""The content of one input: read whole within a size cap, or streamed for big record files.

Only regular files are read: a device, pipe or socket (named directly, through a symlink or
inside an OPML list) is refused before a byte is read. The cap applies to the bytes actually
read, decompressed, never to the size a file reports.
"""

from __future__ import annotations

import gzip
import io
import os
import stat
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from newsweave.model import InputError

HEAD_BYTES = 8192
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


class Payload:
    """A local file or a downloaded body. ``.gz`` content is decompressed on the way."""

    def __init__(self, location: str, limit: int, *, body: bytes | None = None) -> None:
        self.location = location
        self.limit = limit
        self._body = body
        self.gzipped = location.lower().endswith(".gz")

    @property
    def path(self) -> str | None:
        """The file path, or ``None`` for a downloaded body."""
        return None if self._body is not None else self.location

    def read(self) -> bytes:
        """Everything, decompressed; refused when larger than the size cap."""
        with self.stream() as stream:
            data = stream.read(self.limit + 1)
        if len(data) > self.limit:
            unpacked = " when decompressed" if self.gzipped else ""
            raise InputError(
                "file", self.location, f"too large{unpacked} (over {self.limit:,} bytes)"
            )
        return data

    def head(self) -> bytes:
        """The first few KB, decompressed, for sniffing."""
        with self.stream() as stream:
            return stream.read(HEAD_BYTES)

    @contextmanager
    def stream(self, decompress: bool = True) -> Iterator[BinaryIO]:
        """A binary stream of any size; read errors become :class:`InputError`."""
        try:
            raw: BinaryIO = io.BytesIO(self._body) if self._body is not None else self._open()
            with raw:
                if decompress and self.gzipped:
                    with gzip.GzipFile(fileobj=raw) as unzipped:
                        yield unzipped  # type: ignore[misc]
                else:
                    yield raw
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise InputError("file", self.location, f"broken gzip data ({exc})") from exc
        except OSError as exc:
            raise InputError("file", self.location, f"unreadable ({exc.strerror or exc})") from exc

    def _open(self) -> BinaryIO:
        """The file, opened without blocking (a FIFO would wait for a writer) and checked on
        the open descriptor, so a symlink or a swapped path cannot bring in a device."""
        descriptor = os.open(self.location, _OPEN_FLAGS)
        try:
            mode = os.fstat(descriptor).st_mode
            if not stat.S_ISREG(mode):
                raise InputError("file", self.location, f"not a regular file ({_kind(mode)})")
            os.set_blocking(descriptor, True)
            return open(descriptor, "rb", closefd=True)  # closed by the caller
        except BaseException:
            os.close(descriptor)
            raise


def _kind(mode: int) -> str:
    """What a non-regular file is, in a word."""
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "a special file")

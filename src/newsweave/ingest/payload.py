"""The content of one input: read whole within a size cap, or streamed for big record files."""

from __future__ import annotations

import gzip
import io
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from newsweave.ingest.decode import gunzip
from newsweave.model import InputError

HEAD_BYTES = 8192


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
        raw = self._body if self._body is not None else self._read_file()
        return gunzip(raw, self.location, self.limit) if self.gzipped else raw

    def head(self) -> bytes:
        """The first few KB, decompressed, for sniffing."""
        try:
            with self.stream() as stream:
                return stream.read(HEAD_BYTES)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError("file", self.location, f"unreadable ({exc})") from exc

    @contextmanager
    def stream(self, decompress: bool = True) -> Iterator[BinaryIO]:
        """A binary stream of any size; read errors become :class:`InputError`."""
        try:
            raw: BinaryIO = (
                io.BytesIO(self._body) if self._body is not None else open(self.location, "rb")  # noqa: SIM115
            )
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

    def _read_file(self) -> bytes:
        try:
            size = os.path.getsize(self.location)
            if size > self.limit:
                raise InputError(
                    "file", self.location, f"too large ({size:,} > {self.limit:,} bytes)"
                )
            with open(self.location, "rb") as handle:
                return handle.read()
        except OSError as exc:
            raise InputError("file", self.location, f"unreadable ({exc.strerror or exc})") from exc

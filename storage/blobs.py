"""Content-addressed blob store on the local disk.

A blob lives at ``STORAGE_DIR/ab/cd/<sha256>``. It is written to a temporary file in the
same folder, fsynced and renamed into place, so a reader never sees half a file; a blob
that exists is never rewritten (same name, same bytes) and is made read-only.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from flask import Flask, current_app

from storage.errors import NotFound

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
CHUNK = 1 << 20  # files are hashed a mebibyte at a time, never read whole


class BlobStore:
    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        if not _SHA256.match(sha256):  # never let a name reach the filesystem unchecked
            raise NotFound("Файл не найден.")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, data: bytes) -> str:
        """Store ``data``; return its SHA-256 (hex). Idempotent."""
        digest = hashlib.sha256(data).hexdigest()
        target = self.path(digest)
        if target.exists():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, 0o444)
            os.replace(tmp, target)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        return digest

    def get(self, sha256: str) -> bytes:
        """Return the blob's bytes, checking them against the name; NotFound if absent."""
        path = self.path(sha256)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise NotFound("Файл не найден в хранилище.") from None
        if hashlib.sha256(data).hexdigest() != sha256:
            raise NotFound("Файл в хранилище повреждён: его содержимое не совпадает с хешем.")
        return data

    def digest(self, sha256: str) -> tuple[str, int] | None:
        """The SHA-256 (hex) and size of the file stored as ``sha256``, read in chunks;
        None if it is absent or cannot be read."""
        hasher, size = hashlib.sha256(), 0
        try:
            with self.path(sha256).open("rb") as f:
                while chunk := f.read(CHUNK):
                    hasher.update(chunk)
                    size += len(chunk)
        except (OSError, NotFound):  # NotFound: a name that is no SHA-256
            return None
        return hasher.hexdigest(), size

    def intact(self, sha256: str) -> bool:
        """True if the blob is there and its bytes still hash to its name."""
        found = self.digest(sha256)
        return found is not None and found[0] == sha256

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).exists()


def init_app(app: Flask) -> None:
    app.extensions["blobs"] = BlobStore(app.config["STORAGE_DIR"])


def blobs() -> BlobStore:
    return current_app.extensions["blobs"]

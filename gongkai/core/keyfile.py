"""A secret generated once into the var dir, for a deployment that does not set its own."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path


def read_or_create(path: Path, generate: Callable[[], bytes]) -> bytes:
    """The secret in `path`, written first (mode 600) if it does not exist. O_EXCL: two
    processes starting at once must not write two different secrets."""
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process wrote it first
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(generate())
    return path.read_bytes().strip()

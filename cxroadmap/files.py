"""Writing files that hold secrets."""

import os
from pathlib import Path


def keep_secret(path: Path, text: str) -> None:
    """Write text to path readable and writable by the owner alone, replacing what was there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text)
    os.chmod(path, 0o600)

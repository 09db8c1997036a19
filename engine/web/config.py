"""What the web app is started with (``ogi-audit serve``'s options), its limits, and its secret key.

The limits are the app's first defence against a hostile or careless upload: every request body is
cut off at :attr:`WebConfig.request_bytes` by Werkzeug before it is parsed, and each upload is then
checked against its own limits (engine.web.uploads).
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from .. import RULES_DIR
from ..history import default_path

MB = 1024 * 1024
#: The secret key's file in the data folder: made once, so that sessions outlive a restart.
SECRET_FILE = "secret_key"


@dataclass(frozen=True)
class WebConfig:
    db: str | None = None  #: the history store (a URL or a path; None: as ``ogi-audit audit`` finds it)
    rules_dir: Path = RULES_DIR
    data_dir: Path = default_path().parent / "web"  #: the batches' files and results, the secret key
    settings: Path | None = None  #: the notices' settings (``--settings`` of ``ogi-audit audit``)
    jobs: int = 2  #: worker processes for self-checks and for the batches
    check_bytes: int = 20 * MB  #: the largest file a self-check takes
    batch_bytes: int = 500 * MB  #: the largest batch upload, all files (or the zip) together
    batch_files: int = 5000  #: the most reports in one batch
    unzipped_bytes: int = 2000 * MB  #: the most a batch's zip may hold once opened
    check_seconds: float = 60.0  #: how long a self-check may take before it is stopped
    preview_seconds: float = 240.0  #: how long the rule editor's preview of the last batch may take
    session_hours: int = 8  #: a login lasts one working day

    @property
    def request_bytes(self) -> int:
        """The largest request body taken at all: the largest upload and room for the form's fields."""
        return max(self.check_bytes, self.batch_bytes) + MB


def secret_key(data_dir: Path) -> bytes:
    """The app's signing key, made on first start and kept readable by its owner only."""
    path = data_dir / SECRET_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another server process made it first
            return path.read_bytes()
        with os.fdopen(descriptor, "wb") as out:
            out.write(secrets.token_bytes(32))
    return path.read_bytes()

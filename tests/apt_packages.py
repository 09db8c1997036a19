"""Debian packages the tests need (Chromium for the page tests, LibreOffice for old Word files),
installed with apt on demand.

CI runs as root on a fresh Debian machine, so a missing package is installed there; anywhere else the
caller is told the command to run (a test then skips with that reason).
"""
from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence


def apt_install(packages: Sequence[str]) -> None:
    """Install ``packages`` with apt; RuntimeError naming the command when we are not root."""
    if os.geteuid() != 0:
        raise RuntimeError(f"缺少 {' '.join(packages)}，请以 root 运行 apt-get install -y {' '.join(packages)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update"], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", *packages], check=True,
                   env=env, stdout=subprocess.DEVNULL)

"""Headless Chromium for the page tests: installed on demand, driven over the DevTools pipe.

CI runs as root on a fresh Debian machine, so when ``/usr/bin/chromium`` (or a Chinese font, without
which screenshots show empty boxes) is missing and we are root, the packages are installed with apt.
Pages are loaded through the DevTools protocol on ``--remote-debugging-pipe`` (JSON messages ended by
NUL on file descriptors 3 and 4): it reports uncaught exceptions, ``console.error`` calls and failed
loads as events, which is more reliable than scanning Chromium's log, and it takes screenshots.
"""
from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from apt_packages import apt_install

CHROMIUM = Path("/usr/bin/chromium")
PACKAGES = {"chromium": CHROMIUM}
FONT_PACKAGE = "fonts-wqy-zenhei"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--remote-debugging-pipe")


def _has_chinese_font() -> bool:
    if shutil.which("fc-list") is None:
        return False
    listed = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False)
    return bool(listed.stdout.strip())


def ensure_chromium() -> Path:
    """Chromium's path, installing it (and a Chinese font) with apt when missing and we are root."""
    missing = [name for name, path in PACKAGES.items() if not path.exists()]
    if not _has_chinese_font():
        missing.append(FONT_PACKAGE)
    if missing:
        apt_install(missing)
    return CHROMIUM


def _high(fd: int) -> int:
    """``fd`` moved to a number above 9, so that the shell's ``3<&N 4>&M`` cannot clobber it."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return moved


class Browser:
    """One headless Chromium with one tab, driven over the DevTools pipe."""

    def __init__(self, executable: Path, width: int = 1280, height: int = 900) -> None:
        self._profile = tempfile.TemporaryDirectory(prefix="ogi-chromium-")
        child_reads, self._commands = (_high(fd) for fd in os.pipe())
        self._replies, child_writes = (_high(fd) for fd in os.pipe())
        # Chromium reads commands on fd 3 and writes replies on fd 4; bash puts the pipes there (dash
        # cannot: it only redirects one-digit descriptors).
        self._process = subprocess.Popen(
            ["/bin/bash", "-c", f'exec "$0" "$@" 3<&{child_reads} 4>&{child_writes}', str(executable),
             *FLAGS, f"--user-data-dir={self._profile.name}", f"--window-size={width},{height}",
             "about:blank"],
            pass_fds=(child_reads, child_writes), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(child_reads)
        os.close(child_writes)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict] = []
        target = self._call("Target.createTarget", url="about:blank")["targetId"]
        self._session = self._call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self._call(f"{domain}.enable", on_page=True)
        self._call("Emulation.setDeviceMetricsOverride", on_page=True, width=width, height=height,
                   deviceScaleFactor=1, mobile=False)

    def _send(self, method: str, on_page: bool, params: dict) -> int:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if on_page:
            message["sessionId"] = self._session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        return self._next_id

    def _receive(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("Chromium 无应答")
            ready, _, _ = select.select([self._replies], [], [], 0.2)
            if ready:
                chunk = os.read(self._replies, 1 << 16)
                if not chunk:
                    raise RuntimeError("Chromium 已退出")
                self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def _call(self, method: str, on_page: bool = False, timeout: float = 30, **params) -> dict:
        wanted = self._send(method, on_page, params)
        deadline = time.monotonic() + timeout
        while True:
            message = self._receive(deadline)
            if message.get("id") == wanted:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self._events.append(message)

    def _wait_for(self, event: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not any(e["method"] == event for e in self._events):
            message = self._receive(deadline)
            if "method" in message:
                self._events.append(message)

    def open(self, page: Path) -> list[str]:
        """Load ``page`` and return every problem the page reported (empty for a clean page)."""
        self._events.clear()
        result = self._call("Page.navigate", on_page=True, url=page.resolve().as_uri())
        problems = [f"无法打开：{result['errorText']}"] if result.get("errorText") else []
        self._wait_for("Page.loadEventFired")
        # Let scripts that run on load finish and report.
        self._call("Runtime.evaluate", on_page=True, expression="new Promise(r => setTimeout(r, 200))",
                   awaitPromise=True)
        for event in self._events:
            params = event.get("params", {})
            if event["method"] == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                problems.append(details.get("exception", {}).get("description") or details.get("text", ""))
            elif event["method"] == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                problems.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params["args"]))
            elif event["method"] == "Log.entryAdded" and params["entry"]["level"] == "error":
                problems.append(params["entry"]["text"])
        return problems

    def evaluate(self, expression: str):
        """The value of a JavaScript expression in the open page."""
        result = self._call("Runtime.evaluate", on_page=True, expression=expression, returnByValue=True)
        return result["result"].get("value")

    def screenshot(self, path: Path, full_page: bool = True) -> None:
        params: dict = {"format": "png", "captureBeyondViewport": full_page}
        if full_page:
            size = self._call("Page.getLayoutMetrics", on_page=True)["cssContentSize"]
            params["clip"] = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        data = self._call("Page.captureScreenshot", on_page=True, **params)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))

    def pdf(self) -> bytes:
        """The open page printed as Chromium prints it, honouring the page's own ``@page`` size."""
        data = self._call("Page.printToPDF", on_page=True, preferCSSPageSize=True, printBackground=False)["data"]
        return base64.b64decode(data)

    def close(self) -> None:
        try:
            self._call("Browser.close", timeout=5)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        os.close(self._commands)
        os.close(self._replies)
        self._profile.cleanup()

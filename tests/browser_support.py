"""The web app as an office runs it, driven by a real browser: ``ogi-audit serve`` in a process of its
own on a free port of 127.0.0.1 (:class:`Server`), and Debian's Chromium through Selenium and
chromium-driver (:func:`chrome`), with a screenshot of each page visited (:class:`Screens`).

The server is the command itself, not the Flask app in the test's process: the browser tests are the
issue's "checked as a user would", so they go through waitress, the command's options and its
worker processes as the office's machine does. It gets a store, a data folder and a copy of the rules
of its own (the rule editor writes the rules it saves; the samples are copied beside them, where the
rules' test cases find them), and its accounts are made beforehand with ``ogi-audit users add`` as
the README tells an office to. benchmarks/web_load.py starts it the same way.

Chromium, chromium-driver and a Chinese font are installed with apt when missing and we are root (as
on CI, tests/render_chromium.py); otherwise the browser tests skip with the command to run.
Screenshots go to ``tests/output/web/<test>/<step>.png`` (git-ignored): look at them after changing a
page.
"""
from __future__ import annotations

import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from apt_packages import apt_install
from render_chromium import FLAGS, ensure_chromium
from web_support import ADMIN, AUDITOR

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "tests" / "output" / "web"
CHROMEDRIVER = Path("/usr/bin/chromedriver")
DRIVER_PACKAGE = "chromium-driver"
#: The office's screen (issue 11: readable on a 1366×768 office screen).
WINDOW = (1366, 768)
#: How long the server may take to answer its first request (Python, Flask, the rules compiled).
STARTUP_SECONDS = 60.0


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """``ogi-audit serve`` over ``folder`` (its store, data and rules), with ``accounts`` (name, role,
    password) made first with ``ogi-audit users add``. Its output goes to ``folder/serve.log``, which
    an error quotes. Use as a context manager: the server is always stopped at the end."""

    def __init__(self, folder: Path, accounts: Sequence[tuple[str, str, str]], jobs: int = 1) -> None:
        self.folder = folder
        self.db = folder / "history.sqlite"
        self.data = folder / "data"
        self.rules = folder / "rules"
        self.log = folder / "serve.log"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._jobs = jobs
        self._accounts = accounts
        self._process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        shutil.copytree(ROOT / "rules", self.rules)  # whole: the editor runs the cases on rules/samples/
        for name, role, password in self._accounts:
            made = subprocess.run([sys.executable, "-m", "engine.cli", "users", "add", name, "--role", role,
                                   "--db", str(self.db)], input=password + "\n", capture_output=True,
                                  text=True, cwd=ROOT, check=False)
            if made.returncode != 0:
                raise RuntimeError(f"users add {name}: {made.stderr.strip()}")
        with self.log.open("wb") as log:
            # A session of its own, so that stop() can end the server's worker processes with it.
            self._process = subprocess.Popen(
                [sys.executable, "-m", "engine.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port),
                 "--db", str(self.db), "--data", str(self.data), "--rules", str(self.rules),
                 "--jobs", str(self._jobs)],
                cwd=ROOT, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            self._wait_until_it_answers()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    @property
    def pid(self) -> int:
        assert self._process is not None, "server not started"
        return self._process.pid

    def _wait_until_it_answers(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"ogi-audit serve exited {self._process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        raise RuntimeError(f"ogi-audit serve did not answer in {STARTUP_SECONDS:.0f} s:\n{self.log_tail()}")

    def log_tail(self, characters: int = 3000) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-characters:]

    def stop(self) -> None:
        """Ctrl-C first (the command then stops its workers and closes its store), then a kill of the
        server's whole session if it has not ended in 20 s."""
        if self._process is None or self._process.poll() is not None:
            return
        self._process.send_signal(signal.SIGINT)
        try:
            self._process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()


def ensure_browser() -> tuple[Path, Path]:
    """Chromium's and chromium-driver's paths, installed (with a Chinese font) when missing and we are
    root; otherwise the test fails naming the command to run (a browser test not run is never a pass)."""
    try:
        chromium = ensure_chromium()
        if not CHROMEDRIVER.exists():
            apt_install([DRIVER_PACKAGE])
    except RuntimeError as missing:
        pytest.fail(str(missing))
    return chromium, CHROMEDRIVER


def chrome(downloads: Path):
    """A headless Chromium at the office screen's size that saves downloads into ``downloads`` and
    keeps the pages' console messages (:meth:`Screens.shot` checks them)."""
    chromium, driver = ensure_browser()
    options = webdriver.ChromeOptions()
    options.binary_location = str(chromium)
    # The DevTools pipe is render_chromium's own channel; chromium-driver opens its own.
    for flag in FLAGS:
        if flag != "--remote-debugging-pipe":
            options.add_argument(flag)
    options.add_argument(f"--window-size={WINDOW[0]},{WINDOW[1]}")
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(executable_path=str(driver)), options=options)
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    return browser


class Screens:
    """Screenshots of one test's pages, ``<folder>/<nn>-<step>.png`` in the order taken, and the
    console errors of each page shot (a script the CSP refused, a failed load, an uncaught error)."""

    def __init__(self, browser, folder: Path) -> None:
        self.browser = browser
        self.folder = folder
        self.taken = 0
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)

    def shot(self, step: str) -> list[str]:
        """A full-page screenshot of the open page under ``step``; the console errors logged since the
        last shot, and a problem if the page is wider than the office's screen (it would scroll
        sideways at 1366×768)."""
        self.taken += 1
        full_page(self.browser).save(self.folder / f"{self.taken:02d}-{step}.png")
        wide = self.browser.execute_script("return [document.documentElement.scrollWidth, window.innerWidth];")
        too_wide = [f"{step}: 页面宽 {wide[0]} 像素，超出 {wide[1]} 像素的窗口"] if wide[0] > wide[1] else []
        return console_errors(self.browser) + too_wide


def full_page(browser) -> Image.Image:
    """The whole page, one screen at a time, scrolled and pasted together. Chromium's own full-page
    capture (``captureBeyondViewport``) leaves a frame below the first screen blank, and the report
    pages are frames."""
    back = browser.execute_script("return window.scrollY;")
    height, screen_height = browser.execute_script(
        "return [document.documentElement.scrollHeight, window.innerHeight];")
    sheet = None
    for top in range(0, height, screen_height):
        at = browser.execute_script("window.scrollTo(0, arguments[0]); return window.scrollY;", top)
        screen = Image.open(io.BytesIO(browser.get_screenshot_as_png()))
        sheet = sheet or Image.new("RGB", (screen.width, max(height, screen.height)), "white")
        sheet.paste(screen, (0, at))
    browser.execute_script("window.scrollTo(0, arguments[0]);", back)
    return sheet


def console_errors(browser) -> list[str]:
    """The errors the pages logged since this was last asked. The browser's own request for
    /favicon.ico is not a page's: the app has no icon, and no page asks for one."""
    return [entry["message"] for entry in browser.get_log("browser")
            if entry["level"] == "SEVERE" and "/favicon.ico" not in entry["message"]]


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads: Path) -> Iterator:
    driver = chrome(downloads)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def screens(browser, request: pytest.FixtureRequest) -> Screens:
    return Screens(browser, OUTPUT / request.node.name)


def office_accounts() -> list[tuple[str, str, str]]:
    """web_support's admin and auditor, as (name, role, password) for :class:`Server`."""
    return [(ADMIN[0], "admin", ADMIN[1]), (AUDITOR[0], "auditor", AUDITOR[1])]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for a test module, with the office's accounts."""
    with Server(tmp_path_factory.mktemp("server"), office_accounts()) as running:
        yield running

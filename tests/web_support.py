"""What the web app's tests share: an app over a fresh store with an admin and an auditor, and a
client logged in the way a browser logs in (the login page's CSRF token, then the form)."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.history import accounts
from engine.history.store import HistoryStore
from engine.web.app import close_app, create_app
from engine.web.config import WebConfig

ADMIN, AUDITOR = ("管理员甲", "admin-password-1"), ("审核员乙", "auditor-password-2")
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def add_accounts(store: HistoryStore) -> None:
    store.write(lambda c: accounts.add_account(c, store.tables, ADMIN[0], accounts.ADMIN, ADMIN[1]))
    store.write(lambda c: accounts.add_account(c, store.tables, AUDITOR[0], accounts.AUDITOR, AUDITOR[1]))


@pytest.fixture
def web_config(tmp_path: Path) -> WebConfig:
    return WebConfig(db=str(tmp_path / "history.sqlite"), data_dir=tmp_path / "web", jobs=1)


@pytest.fixture
def web_app(web_config: WebConfig) -> Iterator:
    store = HistoryStore.open(web_config.db)
    add_accounts(store)
    app = create_app(web_config, store)
    app.testing = True
    yield app
    close_app(app)


def token_of(html: str) -> str:
    found = TOKEN.search(html)
    assert found, "page has no CSRF token"
    return found.group(1)


def log_in(client, account: tuple[str, str] = ADMIN) -> str:
    """Log ``client`` in with ``account``; the session's CSRF token."""
    token = token_of(client.get("/login").get_data(as_text=True))
    answer = client.post("/login", data={"name": account[0], "password": account[1], "csrf_token": token})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return token_of(client.get("/office/").get_data(as_text=True))

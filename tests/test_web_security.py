"""The web app's door: logins, sessions, roles and CSRF (issue 11, point 4 and its contract)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from engine.history.store import HistoryStore
from web_support import ADMIN, AUDITOR, log_in, token_of, web_app, web_config  # noqa: F401 (fixtures)

#: Office URLs that exist, and some that do not: each must be refused without a session.
OFFICE_URLS = ["/office", "/office/", "/office/batches", "/office/rules/", "/office/no-such-page",
               "/api/office/batches", "/api/office/no-such-call"]


@pytest.mark.parametrize("url", OFFICE_URLS)
def test_every_office_url_without_a_session_is_refused(web_app, url):
    client = web_app.test_client()
    answer = client.get(url)
    if url.startswith("/api/"):
        assert answer.status_code == 401
        assert "登录" in answer.get_json()["error"]
    else:
        assert answer.status_code == 302
        assert answer.headers["Location"].startswith("/login")
    assert client.post(url).status_code in (302, 400, 401)


def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(web_app):
    client = web_app.test_client()
    token = token_of(client.get("/login").get_data(as_text=True))
    wrong = client.post("/login", data={"name": ADMIN[0], "password": "not-the-password", "csrf_token": token})
    unknown = client.post("/login", data={"name": "无此人", "password": "not-the-password", "csrf_token": token})
    assert wrong.status_code == unknown.status_code == 401
    assert "账号或密码不正确" in wrong.get_data(as_text=True)
    assert client.get("/office/").status_code == 302


def test_a_login_opens_the_office_and_a_logout_closes_it(web_app):
    client = web_app.test_client()
    token = log_in(client, AUDITOR)
    assert client.get("/office/").status_code == 200
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/office/").status_code == 302


def test_the_session_cookie_is_httponly_and_samesite(web_app):
    client = web_app.test_client()
    token = token_of(client.get("/login").get_data(as_text=True))
    answer = client.post("/login", data={"name": ADMIN[0], "password": ADMIN[1], "csrf_token": token})
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_post_without_a_valid_csrf_token_is_refused(web_app):
    client = web_app.test_client()
    log_in(client)
    assert client.post("/logout").status_code == 400
    assert client.post("/logout", data={"csrf_token": "forged"}).status_code == 400
    assert client.get("/office/").status_code == 200  # still logged in: the forged logout did nothing


def test_the_login_form_itself_needs_the_token(web_app):
    answer = web_app.test_client().post("/login", data={"name": ADMIN[0], "password": ADMIN[1]})
    assert answer.status_code == 400
    assert "安全校验码" in answer.get_data(as_text=True)


def test_a_login_never_sends_the_browser_to_another_site(web_app):
    client = web_app.test_client()
    token = token_of(client.get("/login").get_data(as_text=True))
    for target in ("https://example.com/office/", "//example.com/office/", "/check"):
        answer = client.post("/login", data={"name": ADMIN[0], "password": ADMIN[1], "csrf_token": token,
                                              "next": target})
        assert answer.headers["Location"] == "/office/"
        token = token_of(client.get("/office/").get_data(as_text=True))


def test_a_disabled_account_is_out_at_its_next_request(web_app):
    from engine.history import accounts
    client = web_app.test_client()
    log_in(client, AUDITOR)
    store = web_app.extensions["ogi-audit"].store
    store.write(lambda c: accounts.set_disabled(c, store.tables, AUDITOR[0], True))
    assert client.get("/office/").status_code == 302


def test_every_answer_forbids_framing_sniffing_and_outside_scripts(web_app):
    answer = web_app.test_client().get("/")
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in answer.headers["Content-Security-Policy"]


def test_the_users_command_takes_the_password_from_stdin_and_stores_only_a_hash(tmp_path):
    db = tmp_path / "history.sqlite"
    command = [sys.executable, "-m", "engine.cli", "users", "add", "王五", "--role", "auditor", "--db", str(db)]
    added = subprocess.run(command, input="a-long-password\n", capture_output=True, text=True)
    assert added.returncode == 0, added.stderr
    again = subprocess.run(command, input="a-long-password\n", capture_output=True, text=True)
    assert again.returncode == 2 and "已存在" in again.stderr
    short = subprocess.run(command[:5] + ["赵六"] + command[6:], input="short\n", capture_output=True, text=True)
    assert short.returncode == 2 and "密码太短" in short.stderr
    store = HistoryStore.open(str(db))
    try:
        stored = store.read(lambda c: c.exec_driver_sql("SELECT password_hash FROM accounts").scalar_one())
    finally:
        store.close()
    assert stored.startswith("$argon2id$") and "a-long-password" not in stored

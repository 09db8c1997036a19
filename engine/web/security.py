"""Sessions, roles and CSRF: what stands between the office's pages and anyone else on the network.

- A session is Flask's signed cookie (HttpOnly, SameSite=Lax, set in engine.web.app) holding the
  account's name only; the account is looked up again on every request, so a disabled account is out
  at its next click.
- Every URL under ``/office/`` and ``/api/office/`` needs a session (:func:`require_login`, run before
  every request of the app and decided by the path, so that a URL no view answers is refused too,
  and a new view can never be left open by forgetting a decorator): a page without one redirects to
  the login page, an API call is answered 401. The rule editor needs the admin role (:func:`admin_only`): 403 otherwise.
- Every POST, PUT, PATCH or DELETE carries the session's CSRF token, in the form field
  ``csrf_token`` or the header ``X-CSRF-Token`` (:func:`check_csrf`, run before every request of the
  app), else it is refused with 400. The only exception is ``POST /api/check``: it needs no session,
  stores nothing and changes nothing, so a forged request gains nothing.
"""
from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import abort, g, jsonify, redirect, request, session, url_for

from ..history.accounts import Account, find_account
from .state import state

#: The form field and the header that carry the CSRF token.
CSRF_FIELD, CSRF_HEADER = "csrf_token", "X-CSRF-Token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Endpoints that change nothing and need no session, so take a POST without a token.
CSRF_EXEMPT = frozenset({"check.api_check"})


def csrf_token() -> str:
    """The session's CSRF token, made on first use (every form puts it in a hidden field)."""
    if CSRF_FIELD not in session:
        session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return session[CSRF_FIELD]


def check_csrf() -> None:
    """Refuse (400) an unsafe request whose token is missing or not the session's."""
    if request.method not in UNSAFE_METHODS or request.endpoint in CSRF_EXEMPT:
        return
    expected = session.get(CSRF_FIELD)
    given = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD)
    if not expected or not given or not hmac.compare_digest(expected, given):
        abort(400, description="请求缺少有效的安全校验码（可能是页面已过期）。请刷新页面后重试。")


def current_account() -> Account | None:
    """The logged-in account of this request (looked up once per request), or None."""
    if "account" not in g:
        name = session.get("account")
        store = state().store
        found = None if name is None else store.read(lambda c: find_account(c, store.tables, name))
        g.account = None if found is None or found.disabled else found
    return g.account


def log_in(account: Account) -> None:
    """A new session for ``account``: the old one's content (and CSRF token) is dropped, so that a
    session fixed before login is worth nothing after it."""
    session.clear()
    session.permanent = True
    session["account"] = account.name
    csrf_token()


def log_out() -> None:
    session.clear()


#: The paths behind a login: the office's pages and its API.
OFFICE_PATHS, OFFICE_API = "/office", "/api/office"


def _office_path(path: str) -> bool:
    return any(path == prefix or path.startswith(prefix + "/") for prefix in (OFFICE_PATHS, OFFICE_API))


def require_login() -> Any:
    """Before every request: no session, no office page (nor API call)."""
    if not _office_path(request.path) or current_account() is not None:
        return None
    if request.path.startswith(OFFICE_API):
        return jsonify(error="未登录或登录已过期，请先登录。"), 401
    back = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("auth.login", next=back))


def admin_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """A view only an admin may use (the rule editor): 403 for anyone else."""
    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        account = current_account()
        if account is None or not account.admin:
            abort(403, description="只有管理员可以使用此功能。")
        return view(*args, **kwargs)
    return guarded


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path of the office's own pages, never another site (an open
    redirect would let a link in a phishing mail pass for the office's)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and parts.path.startswith("/office/"):
            return target
    return url_for("office.dashboard")

"""The Flask app: :func:`create_app` ties the blueprints to one :class:`WebState` (the config, the
history store, the self-check workers and the batch runner), and sets what every response carries.

Every response: a Content-Security-Policy that allows nothing from another origin and no inline
script (the pages' scripts are files under ``/static/``), no framing, no MIME sniffing, no referrer to
other sites. Errors are answered in Chinese: a page for the browser, JSON for the APIs.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from .. import __version__
from ..history.store import HistoryStore
from .config import WebConfig, secret_key
from .security import check_csrf, csrf_token, current_account, require_login
from .state import KEY, WebState
POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
          "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")


def create_app(config: WebConfig, store: HistoryStore | None = None) -> Flask:
    """The app over ``config``'s store (opened here unless given) and rules. Each blueprint module has
    ``install(app, state)``, which registers its blueprint and starts the services it needs."""
    from . import auth, check, office, rules_editor  # each registers its blueprint and services
    app = Flask(__name__)
    app.config.update(SECRET_KEY=secret_key(config.data_dir), MAX_CONTENT_LENGTH=config.request_bytes,
                      SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_NAME="ogi_audit_session",
                      PERMANENT_SESSION_LIFETIME=timedelta(hours=config.session_hours),
                      MAX_FORM_MEMORY_SIZE=2 * 1024 * 1024, TEMPLATES_AUTO_RELOAD=False)
    state = WebState(config, store or HistoryStore.open(config.db))
    app.extensions[KEY] = state
    app.jinja_env.globals.update(csrf_token=csrf_token, current_account=current_account, version=__version__)
    app.before_request(require_login)
    app.before_request(check_csrf)
    app.after_request(_headers)
    app.register_error_handler(HTTPException, _error)
    for module in (auth, check, office, rules_editor):
        module.install(app, state)
    return app


def close_app(app: Flask) -> None:
    """Stop the app's services (workers, the batch runner) and close its store."""
    state = app.extensions[KEY]
    for service in state.services.values():
        service.close()
    state.store.close()


def _headers(response: Any) -> Any:
    response.headers.setdefault("Content-Security-Policy", POLICY)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers.setdefault("X-Frame-Options", "DENY")  # SAMEORIGIN for the office's framed result files
    response.headers["Referrer-Policy"] = "same-origin"
    if request.blueprint in ("office", "rules_editor", "api_office"):
        response.headers["Cache-Control"] = "no-store"
    return response


def _error(error: HTTPException) -> Any:
    message = MESSAGES.get(error.code, error.description) if error.description == type(error).description \
        else error.description
    if request.path.startswith("/api/"):
        return jsonify(error=message), error.code
    return render_template("error.html", code=error.code, message=message), error.code


#: The Chinese answer to an HTTP error that carries no message of ours.
MESSAGES = {400: "请求有误。", 401: "请先登录。", 403: "没有权限访问此页面。", 404: "没有这个页面。",
            405: "不支持这种请求方式。", 413: "上传的文件太大。", 500: "服务器出错，请稍后重试；如仍出错，请联系管理员。"}

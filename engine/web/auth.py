"""Logging in and out of the office's pages (``/login``, ``/logout``), and ``/``, which leads to the
self-check for an agency and to the office's pages for the office."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for

from ..history.accounts import logged_in
from .security import current_account, log_in, log_out, safe_next
from .state import WebState, state

blueprint = Blueprint("auth", __name__)


def install(app: Flask, _: WebState) -> None:
    app.register_blueprint(blueprint)


@blueprint.get("/")
def home() -> Any:
    return render_template("home.html")


@blueprint.route("/login", methods=["GET", "POST"])
def login() -> Any:
    if request.method == "GET":
        if current_account() is not None:
            return redirect(safe_next(request.args.get("next")))
        return render_template("login.html", next=request.args.get("next", ""))
    store = state().store
    name, password = request.form.get("name", "").strip(), request.form.get("password", "")
    account = store.read(lambda c: logged_in(c, store.tables, name, password)) if name and password else None
    if account is None:
        flash("账号或密码不正确，或账号已停用。", "error")
        return render_template("login.html", next=request.form.get("next", ""), name=name), 401
    log_in(account)
    return redirect(safe_next(request.form.get("next")))


@blueprint.post("/logout")
def logout() -> Any:
    log_out()
    flash("已退出登录。", "info")
    return redirect(url_for("auth.login"))

"""The office's pages under ``/office/``, every one behind a login (engine.web.security)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, render_template

from .state import WebState

blueprint = Blueprint("office", __name__, url_prefix="/office")
api = Blueprint("api_office", __name__, url_prefix="/api/office")


def install(app: Flask, _: WebState) -> None:
    app.register_blueprint(blueprint)
    app.register_blueprint(api)


@blueprint.get("/")
def dashboard() -> Any:
    return render_template("layout.html")


@blueprint.get("/batches")
def batches() -> Any:
    return render_template("layout.html")

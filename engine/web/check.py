"""The agencies' self-check (``/check``) and ``POST /api/check``: to be built (issue 11, point 1)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, render_template

from .state import WebState

blueprint = Blueprint("check", __name__)


def install(app: Flask, _: WebState) -> None:
    app.register_blueprint(blueprint)


@blueprint.get("/check")
def page() -> Any:
    return render_template("layout.html")


@blueprint.post("/api/check")
def api_check() -> Any:
    return {"error": "尚未实现"}, 501

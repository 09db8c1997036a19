"""The rule editor under ``/office/rules`` (admin role): to be built (issue 11, point 3)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, render_template

from .state import WebState

blueprint = Blueprint("rules_editor", __name__, url_prefix="/office/rules")


def install(app: Flask, _: WebState) -> None:
    app.register_blueprint(blueprint)


@blueprint.get("/")
def index() -> Any:
    return render_template("layout.html")

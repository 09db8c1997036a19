"""What the views of one app share (:class:`WebState`), and :func:`state` to reach it from a view."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from flask import current_app

from ..history.store import HistoryStore
from .config import WebConfig

#: The extension key under which the app keeps its WebState.
KEY = "ogi-audit"


class Service(Protocol):
    """A long-lived part of the app (the self-check workers, the batch runner): stopped by close()."""

    def close(self) -> None: ...


@dataclass
class WebState:
    """Opened once when the app is made (engine.web.app.create_app), closed by close_app."""

    config: WebConfig
    store: HistoryStore
    #: The services the blueprints set up, by name.
    services: dict[str, Service] = field(default_factory=dict)


def state() -> WebState:
    """The WebState of the app handling this request."""
    return current_app.extensions[KEY]

"""The one error of the history store: a store that cannot be opened, upgraded or written, said in
Chinese for the person who ran the audit (the command prints it and exits 2, never a traceback)."""
from __future__ import annotations


class HistoryError(Exception):
    """What went wrong with the store and what to do; ``str()`` is the message."""

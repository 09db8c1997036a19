"""Which recorded audit a report is followed up against (engine.resubmission): the last audit of its
body and year recorded before the file it was read from was first audited there.

A file audited again as it was (its sha256 unchanged: the office ran the batch again after fixing the
settings, or with other files added) is the same submission, not a resubmission. The agency sent
nothing new, so none of its findings may be called 仍未整改 and its notice may not speak of a report
"重新报送": it has the follow-up it had when it was first audited, against the audit before that and
with the fingerprints seen before that, and its page and notice are the ones written then
(engine.render.recipe). The same file keeps its notice's number for the same reason
(engine.history.numbers). A resubmission is another file; the first file given back after another
(A, then B, then A again) is a submission again, compared with B.

The runs that recorded a body's report of a year are walked from the latest back (under the name that
finds it, as :func:`engine.history.reading.recorded_under` finds it): those that hold a report read
from the same bytes are the ones this file was audited in as it is, and the first run back that holds
none is the one compared with (its first report of that body and year, as for any report).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from .reading import Latest, Recorded, Tables, recorded_under


@dataclass(frozen=True)
class Basis:
    """What a report is compared with: the recorded audit (None: none, a first audit), and the run
    from which on the store is left out (``before``: the first run that audited the same file as it is;
    None: none did, the whole store counts), so that a finding found only in those runs is not taken
    for one seen before."""

    latest: Latest | None
    before: int | None = None


def bases_of_each(connection: Connection, t: Tables,
                  wanted: Sequence[tuple[list[str], int, str | None]]) -> list[Basis]:
    """For each (names, year, sha256) of ``wanted`` (a body's names, most specific first, and the
    sha256 of the file its report was read from, None where not known), its :class:`Basis`."""
    recorded = recorded_under(connection, t, [(names, year) for names, year, _ in wanted], files=True)
    return [_basis(found or [], sha256) for found, (_, _, sha256) in zip(recorded, wanted, strict=True)]


def _basis(recorded: list[Recorded], sha256: str | None) -> Basis:
    holding = {r.run for r in recorded if sha256 is not None and r.sha256 == sha256}
    before = None
    for run in sorted({r.run for r in recorded}, reverse=True):
        if run not in holding:
            return Basis(Latest.of(recorded, run), before)
        before = run
    return Basis(None, before)

"""The batch's audits on disk: :class:`SpooledAudits`, a sequence of ReportAudits of which this process
holds only a :class:`Brief` each.

A worker writes each audit it makes into the spool (with its report summarised: engine.batch.summary)
and gives back the brief; the stages that need the whole batch at once (pairing, duplicates) read the
briefs, and every other use of an audit loads it from its file when it is used and lets it go after.
An audit changed (its statuses from the history store, its duplicates) is written back by assigning
it. The reports as read, for the pages, are spooled beside them (engine.batch.tasks).
"""
from __future__ import annotations

import pickle
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import overload

from ..model import ReportAudit


@dataclass(frozen=True)
class Brief:
    """What pairing and duplicates read of a report: its source, body, year and the digest of its text."""

    source: str
    body: str | None
    year: int | None
    text_sha256: str | None


def audit_file(spool: Path, index: int) -> Path:
    return spool / f"{index}.audit"


def report_file(spool: Path, index: int) -> Path:
    return spool / f"{index}.report"


def write(path: Path, item: object) -> None:
    path.write_bytes(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))


def load(path: Path) -> object:
    return pickle.loads(path.read_bytes())


class SpooledAudits(Sequence[ReportAudit]):
    """The audits of ``spool`` by position: ``slots[i]`` is the spool index of the i-th audit."""

    def __init__(self, spool: Path, slots: list[int], briefs: list[Brief]) -> None:
        self.spool, self.slots, self.briefs = spool, slots, briefs

    def __len__(self) -> int:
        return len(self.slots)

    @overload
    def __getitem__(self, position: int) -> ReportAudit: ...

    @overload
    def __getitem__(self, position: slice) -> list[ReportAudit]: ...

    def __getitem__(self, position: int | slice) -> ReportAudit | list[ReportAudit]:
        if isinstance(position, slice):
            return [self[i] for i in range(*position.indices(len(self)))]
        return load(audit_file(self.spool, self.slots[position]))

    def __setitem__(self, position: int, audit: ReportAudit) -> None:
        write(audit_file(self.spool, self.slots[position]), audit)

    def __iter__(self) -> Iterator[ReportAudit]:
        for position in range(len(self)):
            yield self[position]

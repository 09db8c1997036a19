"""The batch's audits on disk: :class:`SpooledAudits`, a sequence of ReportAudits of which this process
holds only a :class:`Brief` each.

A worker writes each audit it makes into the spool (with its report summarised: engine.batch.summary)
and gives back the brief, which says where the audit (and the report as read, for the pages) stand;
the stages that need the whole batch at once (pairing, duplicates) read the briefs, and every other
use of an audit loads it when it is used and lets it go after. An audit changed (its statuses from the
history store, its duplicates) is written back by assigning it.

**Segments, not a file per report.** Each process appends what it keeps to a segment file of its own
in the spool folder (:func:`put`), and an item is found again by its :class:`Ref` (segment, offset,
length: :func:`get`). A file per report cost two files per input: on a disk mounted with ``discard``
(most virtual machines) removing a file whose blocks were written back takes about 5 ms, so the spool
of 20,000 reports took minutes to remove, and every item an ``open`` of its own. Each item is
appended and read with the file opened and closed around it, so that a reader on another machine
(a Dask worker, the spool on shared storage) sees it by close-to-open consistency, as it saw a file
of its own before. An item written again (an audit given new statuses) is appended anew; the old
bytes stay until the spool is removed.
"""
from __future__ import annotations

import os
import pickle
import secrets
import socket
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import overload

from ..model import ReportAudit


class SpoolError(OSError):
    """An item of the spool that is not there as written (the spool folder changed under the batch)."""


@dataclass(frozen=True, slots=True)
class Ref:
    """Where one item stands in a spool folder: its segment's name, offset and length. The batch holds
    two a report: small, and the few segment names shared (interned as they arrive from the workers)."""

    segment: str
    offset: int
    length: int

    def __reduce__(self) -> tuple[Callable[[str, int, int], Ref], tuple[str, int, int]]:
        return _ref, (self.segment, self.offset, self.length)


def _ref(segment: str, offset: int, length: int) -> Ref:
    """A Ref as it is unpickled: its segment's name interned."""
    return Ref(sys.intern(segment), offset, length)


#: The segment each writer appends to, by process and thread: one writer a file, so that an item's
#: offset, taken when its segment is opened, is where it is written (a forked child, or a Dask
#: worker's second thread, must not append to another's).
_segments: dict[tuple[int, int], str] = {}


def _segment() -> str:
    writer = (os.getpid(), threading.get_ident())
    if writer not in _segments:  # the host and a random part: pids repeat on the machines of a cluster
        _segments[writer] = f"{socket.gethostname()}-{writer[0]}-{secrets.token_hex(4)}.segment"
    return _segments[writer]


def put(folder: Path, item: object) -> Ref:
    """Append ``item`` to this process's segment in ``folder``; where it stands."""
    data = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
    name = _segment()
    with open(folder / name, "ab") as segment:
        offset = segment.tell()
        segment.write(data)
    return Ref(name, offset, len(data))


def get(folder: Path, ref: Ref) -> object:
    """The item :func:`put` wrote at ``ref``."""
    with open(folder / ref.segment, "rb") as segment:
        segment.seek(ref.offset)
        data = segment.read(ref.length)
    if len(data) != ref.length:
        raise SpoolError(f"暂存文件 {folder / ref.segment} 不完整（审核过程中暂存文件夹被改动）")
    return pickle.loads(data)


@dataclass(frozen=True, slots=True)
class Brief:
    """What pairing and duplicates read of a report: its source, body, year and the digest of its text;
    and where its audit and its report as read are kept (the report: None for an audit given again
    from the history store, whose pages read the file again). The batch holds one a report for the
    whole run, so it has slots, and its source is interned as it arrives from a worker: the one string
    the batch's other holdings of that input (its path, its size and sha256) share."""

    source: str
    body: str | None
    year: int | None
    text_sha256: str | None
    audit: Ref | None = None
    report: Ref | None = None

    def __reduce__(self) -> tuple[Callable[..., Brief], tuple[object, ...]]:
        return _brief, (self.source, self.body, self.year, self.text_sha256, self.audit, self.report)


def _brief(source: str, body: str | None, year: int | None, text_sha256: str | None, audit: Ref | None,
           report: Ref | None) -> Brief:
    """A Brief as it is unpickled: its source interned."""
    return Brief(sys.intern(source), body, year, text_sha256, audit, report)


class SpooledAudits(Sequence[ReportAudit]):
    """The audits of ``spool`` by position, each where its brief says. An audit written back is
    appended anew and its brief replaced by one that says where (the list given is changed: the
    batch's own list of briefs, engine.batch.pipeline), so that each report keeps one brief and no
    stale Ref beside it."""

    def __init__(self, spool: Path, briefs: list[Brief]) -> None:
        self.spool, self.briefs = spool, briefs

    def __len__(self) -> int:
        return len(self.briefs)

    @overload
    def __getitem__(self, position: int) -> ReportAudit: ...

    @overload
    def __getitem__(self, position: slice) -> list[ReportAudit]: ...

    def __getitem__(self, position: int | slice) -> ReportAudit | list[ReportAudit]:
        if isinstance(position, slice):
            return [self[i] for i in range(*position.indices(len(self)))]
        return get(self.spool, self.briefs[position].audit)

    def __setitem__(self, position: int, audit: ReportAudit) -> None:
        self.briefs[position] = replace(self.briefs[position], audit=put(self.spool, audit))

    def __iter__(self) -> Iterator[ReportAudit]:
        for position in range(len(self)):
            yield self[position]

"""Which fingerprints the store has seen: what tells a finding that ``reappeared`` from a ``new`` one.

A fingerprint hashes the rule, the body's name, the year and the place (:attr:`engine.model.Finding.
fingerprint`), so a fingerprint found in any recorded audit was found before in a report of that body
and year: no second key is needed to keep other bodies' findings apart.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, select

from .reading import Tables, chunks


def seen_fingerprints(connection: Connection, t: Tables, fingerprints: Iterable[str],
                      before: int | None = None) -> set[str]:
    """Those of ``fingerprints`` that some recorded audit found; with ``before``, some audit of a run
    before that one (engine.history.compared.Basis)."""
    findings, seen = t["findings"], set()
    for chunk in chunks(sorted(set(fingerprints))):
        query = select(findings.c.fingerprint).distinct().where(findings.c.fingerprint.in_(chunk))
        seen.update(connection.scalars(query if before is None else query.where(findings.c.run < before)))
    return seen

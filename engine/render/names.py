"""Output file names derived from report file names, safely.

A report's page and notice are named after its source file so that the office finds them by the name
it knows (``2020-某区科技局``). Source names come from outside, so the name keeps Chinese and other
letters but loses every character that could leave the output folder or upset Windows (separators,
``..``, reserved device names, control characters), and two sources that would get the same name (in
different folders, or differing only in case) are told apart with ``-2``, ``-3``, ….
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import PurePath, PurePosixPath, PureWindowsPath

#: Characters Windows forbids in file names, plus both separators; control characters are added below.
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
#: Long enough for any real report title, short enough for every file system once ".docx" is added.
MAX_LENGTH = 80
FALLBACK = "report"


def stem(source: str) -> str:
    """The base of an output name for one source path: its last component without the extension."""
    last = PureWindowsPath(source).name if "\\" in source else PurePosixPath(source).name
    base = PurePath(last).stem if "." in last.lstrip(".") else last
    base = unicodedata.normalize("NFC", base)
    base = _FORBIDDEN.sub("_", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = base.strip(" ._")[:MAX_LENGTH].strip(" ._")
    if not base:
        return FALLBACK
    return f"_{base}" if _RESERVED.match(base) else base


def unique_names(sources: Iterable[str]) -> list[str]:
    """One distinct output name per source, in order; names are compared ignoring case, as on the
    file systems offices use."""
    taken: set[str] = set()
    names = []
    for source in sources:
        base = stem(source)
        name, n = base, 1
        while name.casefold() in taken:
            n += 1
            name = f"{base}-{n}"
        taken.add(name.casefold())
        names.append(name)
    return names

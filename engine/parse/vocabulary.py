"""What a format's tables look like in text: the keys the table reader matches items against.

Built once per format from its YAML: row labels (full, leaf and aliases) → rows; the group labels,
captions, stubs and column headers that surround rows (text the reader may pass over without a word),
also run together into one item as a crawled page writes them (``第二十条第五项信息内容本年处理决定数量``);
the captions that name one table wherever they stand; and the anchors that announce a wide table
(table 四's group headers).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from ..formats import Format, TableSpec
from ..text import key
from ..memo import LONGEST

#: A row label this long identifies its table on its own; shorter ones (（七）总计, 规章) count only once
#: their table has been announced by a caption, header or a longer row, so that prose cannot fake them.
SELF_EVIDENT = 6
#: How many texts' furniture covers to remember (the same headers recur in every report).
COVERS_KEPT = 20_000


@dataclass
class Vocabulary:
    rows: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # key → [(table, row label)]
    groups: set[str] = field(default_factory=set)
    header: set[str] = field(default_factory=set)
    openers: dict[str, str] = field(default_factory=dict)  # caption/stub key naming one table → table
    anchors: dict[str, str] = field(default_factory=dict)  # wide-table anchor key → table
    opener_length: int = 0  # the longest key of ``openers`` and ``anchors``
    #: Every ending of a key of ``openers`` and ``anchors`` (the whole key and "" too): text whose last
    #: item ends otherwise ends in none of them, however many items before it are joined.
    opener_endings: frozenset[str] = frozenset()
    row_keys: set[str] = field(default_factory=set)
    row_key_lengths: list[int] = field(default_factory=list)  # the lengths of ``rows`` keys, ascending
    row_starts: frozenset[str] = frozenset()  # the beginnings of row labels, short of the whole label
    row_ends: frozenset[str] = frozenset()  # the last two characters of row labels (a shorter label whole)
    captions: dict[str, str] = field(default_factory=dict)  # caption or stub key naming one table → table
    columns: dict[str, list[str]] = field(default_factory=dict)  # table → the keys of its column labels
    #: Furniture words (group labels and headers) by their first character, for covering run-together text.
    by_first: dict[str, list[str]] = field(default_factory=dict)
    pieces: frozenset[str] = frozenset()  # every piece of one furniture word
    endings: frozenset[str] = frozenset()  # every ending of one furniture word
    _covers: dict[str, list[list[str] | None]] = field(default_factory=dict, repr=False)
    _surrounding: dict[str, bool] = field(default_factory=dict, repr=False)
    _opened: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    def is_surrounding(self, text_key: str) -> bool:
        """Whether text is table furniture, not data: (a piece of) one header, caption or group label,
        or several of them run together, the first possibly cut at its start."""
        known = self._surrounding.get(text_key)
        if known is None:
            known = text_key in self.pieces or any(
                cover is not None and (start == 0 or text_key[:start] in self.endings)
                for start, cover in enumerate(self.covers(text_key)))
            if len(self._surrounding) > COVERS_KEPT:
                self._surrounding.clear()
            self._surrounding[text_key] = known
        return known

    def opened_within(self, text_key: str) -> tuple[str, ...]:
        """The tables a text item announces inside it, in order: a caption or stub it holds with more
        around it, and the wide table where the item ends in a header run together (a crawled page
        writes a whole header as one item) holding two of its anchors (not a sentence that names the
        parts of the report). Remembered per text: every text item of every report asks."""
        known = self._opened.get(text_key)
        if known is None:
            known = tuple(table for caption, table in self.captions.items()
                          if caption in text_key and caption != text_key)
            if sum(anchor in text_key for anchor in self.anchors) >= 2:
                tables = [self.anchors[w] for w in self.furniture_tail(text_key) if w in self.anchors]
                known += tuple(table for table in set(tables) if tables.count(table) >= 2)
            if len(text_key) <= LONGEST:
                if len(self._opened) > COVERS_KEPT:
                    self._opened.clear()
                self._opened[text_key] = known
        return known

    def covers(self, text_key: str) -> list[list[str] | None]:
        """For each position of ``text_key``: the furniture words that spell it from there to its end,
        or None where they do not."""
        known = self._covers.get(text_key)
        if known is not None:
            return known
        covers: list[list[str] | None] = [None] * len(text_key) + [[]]
        for at in range(len(text_key) - 1, -1, -1):
            for word in self.by_first.get(text_key[at], ()):
                rest = covers[at + len(word)] if text_key.startswith(word, at) else None
                if rest is not None:
                    covers[at] = [word, *rest]
                    break
        if len(self._covers) > COVERS_KEPT:
            self._covers.clear()
        self._covers[text_key] = covers
        return covers

    def furniture_tail(self, text_key: str) -> list[str]:
        """The furniture words the text ends with (a header run into the text before it)."""
        return next((cover for cover in self.covers(text_key) if cover), [])

    def is_row_fragment(self, text_key: str) -> bool:
        return len(text_key) >= 2 and any(text_key in row for row in self.row_keys)


def _add_table(vocab: Vocabulary, spec: TableSpec) -> None:
    vocab.columns[spec.key] = [key(c.label) for c in spec.columns]
    for column in spec.columns:
        vocab.header.update(key(n) for n in (column.label, *column.aliases))
    for label, members in spec.column_groups:
        vocab.header.add(key(label))
        vocab.header.update(key(m) for m in members)
    for opener in (spec.title, spec.stub):
        if opener:
            vocab.openers[key(opener)] = spec.key
            vocab.header.add(key(opener))
    if spec.layout == "wide":
        for row in spec.rows:
            for name in (row.leaf, *row.aliases, *row.label.split("-")):
                vocab.anchors[key(name)] = spec.key
                vocab.header.add(key(name))
        return
    vocab.groups.update(key(g) for g in spec.groups)
    for row in spec.rows:
        for name in {row.label, row.leaf, *row.aliases}:
            vocab.rows.setdefault(key(name), [])
            if (spec.key, row.label) not in vocab.rows[key(name)]:
                vocab.rows[key(name)].append((spec.key, row.label))
            vocab.row_keys.add(key(name))


@cache
def vocabulary(fmt: Format) -> Vocabulary:
    vocab = Vocabulary()
    vocab.header.add(key("信息内容"))
    for spec in fmt.tables.values():
        _add_table(vocab, spec)
    vocab.row_key_lengths = sorted({len(k) for k in vocab.rows})
    vocab.row_starts = frozenset(k[:n] for k in vocab.rows for n in range(1, len(k)))
    vocab.row_ends = frozenset(k[-2:] for k in vocab.rows)
    furniture = sorted((w for w in vocab.groups | vocab.header if w), key=len, reverse=True)
    for word in furniture:
        vocab.by_first.setdefault(word[0], []).append(word)
    vocab.pieces = frozenset(w[a:b] for w in furniture for a in range(len(w)) for b in range(a + 1, len(w) + 1))
    vocab.endings = frozenset(w[a:] for w in furniture for a in range(len(w)))
    headings = {key(s.title) for s in fmt.sections}
    stubs = [key(s.stub) for s in fmt.tables.values() if s.stub]
    # A stub several tables share (信息内容) announces none of them in particular.
    vocab.openers = {k: t for k, t in vocab.openers.items() if stubs.count(k) <= 1}
    vocab.opener_length = max(map(len, [*vocab.openers, *vocab.anchors]), default=0)
    vocab.opener_endings = frozenset(k[a:] for k in [*vocab.openers, *vocab.anchors] for a in range(len(k) + 1))
    for spec in fmt.tables.values():
        for name in (spec.title, spec.stub):
            if name and key(name) not in headings and stubs.count(key(name)) <= 1:
                vocab.captions[key(name)] = spec.key
    return vocab

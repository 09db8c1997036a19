"""What a format's tables look like in text: the keys the table reader matches items against.

Built once per format from its YAML: row labels (full, leaf and aliases) → rows; the group labels,
captions, stubs and column headers that surround rows (text the reader may pass over without a word);
and the anchors that announce a wide table (table 四's group headers).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from ..formats import Format, TableSpec
from ..text import key

#: A row label this long identifies its table on its own; shorter ones (（七）总计, 规章) count only once
#: their table has been announced by a caption, header or a longer row, so that prose cannot fake them.
SELF_EVIDENT = 6


@dataclass
class Vocabulary:
    rows: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # key → [(table, row label)]
    groups: set[str] = field(default_factory=set)
    header: set[str] = field(default_factory=set)
    openers: dict[str, str] = field(default_factory=dict)  # caption/stub key → table
    anchors: dict[str, str] = field(default_factory=dict)  # wide-table anchor key → table
    row_keys: set[str] = field(default_factory=set)
    row_key_lengths: list[int] = field(default_factory=list)  # the lengths of ``rows`` keys, ascending

    def is_surrounding(self, text_key: str) -> bool:
        """Whether text is (a piece of) a header, caption or group label: table furniture, not data."""
        return any(text_key in word for word in self.groups) or any(text_key in word for word in self.header)

    def is_row_fragment(self, text_key: str) -> bool:
        return len(text_key) >= 2 and any(text_key in row for row in self.row_keys)


def _add_table(vocab: Vocabulary, spec: TableSpec) -> None:
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
    return vocab

"""The item stream → which run of values belongs to which official row.

One pass over the items of the whole report. Label text accumulates until a run of values follows; the
end of the accumulated text is then matched against the format's row labels, at an item boundary, so a
label is recognised whether it stood on one line, wrapped over three (PDF), was split one character per
line (Word exports) or came after group labels, captions and headers. Leftover text that is table
furniture (headers, group labels, even broken into fragments) passes silently; a leftover piece of a row
label, or values after text that is no row, becomes a warning: a row we saw but could not read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from ..formats import Format
from ..model import Warning
from ..text import key
from .tokens import Item
from .vocabulary import SELF_EVIDENT, Vocabulary, vocabulary

#: How close (difflib ratio) a misprinted row label must be to the official one to be read as it.
NEAR_MISS = 0.8
#: How many trailing text items may form one caption or stub.
OPENER_ITEMS = 8
#: How many trailing text items may form one label (a label split one character per line needs many).
MAX_LABEL_ITEMS = 40


def column_headers(items: list[Item], columns: list[str]) -> list[Item]:
    """The column labels among free-text header items, left to right, where a label may be stacked
    over several lines (``结果`` above ``维持``): fragments one below the other that overlap and spell
    the start of a label are one header."""
    stacks: list[Item] = []
    for item in items:
        if not item.span or item.kind != "text":
            continue
        below = next((s for s in stacks if s.line == item.line - 1 and s.key not in columns
                      and s.span[0] < item.span[1] and item.span[0] < s.span[1]
                      and any(c.startswith(s.key + item.key) for c in columns)), None)
        if below is None:
            stacks.append(Item("text", item.line, raw=item.raw, key=item.key, span=item.span))
        else:
            below.key += item.key
            below.raw += item.raw
            below.line = item.line
            below.span = (min(below.span[0], item.span[0]), max(below.span[1], item.span[1]))
    return sorted((s for s in stacks if s.key in columns), key=lambda s: s.span)


@dataclass
class RowRead:
    """The values found for one row (or for a whole wide table), before they become cells."""

    table: str
    row: str | None
    run: list[Item]
    line: int
    header: list[Item] = field(default_factory=list)  # the table's column headers, for alignment


@dataclass
class _State:
    buffer: list[Item] = field(default_factory=list)
    run: list[Item] = field(default_factory=list)
    opened: set[str] = field(default_factory=set)
    #: A row label that ended its line with no value after it, and how long the buffer was then: an
    #: all-blank row (free text prints nothing for blank cells), unless the values follow on the next
    #: line or the label turns out to be the first line of a longer, wrapped one.
    closed: tuple[str, str, int, int] | None = None


class TableReader:
    def __init__(self, fmt: Format) -> None:
        self.fmt = fmt
        self.vocab: Vocabulary = vocabulary(fmt)
        self.reads: dict[tuple[str, str | None], RowRead] = {}
        self.warnings: list[Warning] = []
        self.headers: dict[str, list[Item]] = {}  # a table's column headers on a space-aligned line

    def read(self, items: list[Item], headings: set[int]) -> list[RowRead]:
        state = _State()
        for item in items:
            if item.line in headings:
                self._flush(state)
                self._settle(state)
                state.buffer.clear()
                state.opened.clear()
                continue
            if item.kind == "text":
                if state.run:
                    self._flush(state)
                state.buffer.append(item)
                if len(state.buffer) > MAX_LABEL_ITEMS:
                    del state.buffer[:-MAX_LABEL_ITEMS]
                    state.closed = None
                self._note_openers(state)
            elif item.kind == "value":
                state.run.append(item)
            elif state.run:
                self._flush(state)
            elif state.buffer:
                self._close_label(state)
        self._flush(state)
        self._settle(state)
        for read in self.reads.values():
            if not read.header:
                read.header = self.headers.get(read.table, [])
        return list(self.reads.values())

    def _note_header(self, table: str, items: list[Item]) -> None:
        """Keep a table's column headers when a free-text line gave one per column (for alignment)."""
        columns = [key(c.label) for c in self.fmt.tables[table].columns]
        header = column_headers(items, columns)
        if len(header) == len(columns) and table not in self.headers:
            self.headers[table] = header

    def _close_label(self, state: _State) -> None:
        """A line ended on text: remember it if it is a whole row label (see ``_State.closed``)."""
        match = self._match(state, [])
        if match is None:
            return
        table, row, used = match
        if state.closed and used > len(state.buffer) - state.closed[2]:
            state.closed = None  # the earlier label was the first line of this one
        self._settle(state)
        state.closed = (table, row, len(state.buffer), state.buffer[-1].line)

    def _settle(self, state: _State, overlap: int = 0) -> None:
        """Record the remembered label as an all-blank row, unless the label just matched (which took
        ``overlap`` items) reaches back into it."""
        if state.closed is None:
            return
        table, row, length, line = state.closed
        state.closed = None
        if overlap <= len(state.buffer) - length and (table, row) not in self.reads:
            self._record(RowRead(table, row, [], line))

    def _note_openers(self, state: _State) -> None:
        """Open the tables whose caption, stub or header the text has just ended with (a caption may be
        broken over several lines, a few characters each)."""
        joined = ""
        for item in reversed(state.buffer[-OPENER_ITEMS:]):
            joined = item.key + joined
            for table in (self.vocab.openers.get(joined), self.vocab.anchors.get(joined)):
                if table:
                    state.opened.add(table)
        last = state.buffer[-1].key
        # A crawled page runs a whole header into one item: two of the wide table's anchors inside it.
        tables = [t for a, t in self.vocab.anchors.items() if a in last and a != last]
        for table in set(tables):
            if tables.count(table) >= 2:
                state.opened.add(table)

    def _flush(self, state: _State) -> None:
        run, state.run = state.run, []
        if not run:
            return
        numbers = any(not item.blank for item in run)
        match = self._match(state, run)
        self._settle(state, match[2] if match else 0)
        if match is not None:
            table, row, used = match
            self._leftovers(state.buffer[:-used])
            self._note_header(table, state.buffer[:-used])
            self._record(RowRead(table, row, run, run[0].line))
            state.opened.add(table)
            state.buffer.clear()
            return
        wide = next((t for t in state.opened if self.fmt.tables[t].layout == "wide"
                     and (t, None) not in self.reads), None)
        if wide and numbers and self._fills_wide(wide, run, state.buffer):
            columns = [key(c.label) for c in self.fmt.tables[wide].columns]
            self._record(RowRead(wide, None, run, run[0].line, column_headers(state.buffer, columns)))
            state.buffer.clear()
            return
        if numbers and not self._near_miss(state, run):
            self._unplaced(state.buffer, run)
        if numbers:
            state.buffer.clear()

    def _near_miss(self, state: _State, run: list[Item]) -> bool:
        """A full row of values after a label that differs from the official one by a slip
        (``2.其他法律行政止公开``): read it as the one row of an announced table it closely resembles,
        not yet read, and say so. Anything less certain stays unplaced."""
        if not state.buffer:
            return False
        label = state.buffer[-1]
        candidates = []
        for table in state.opened:
            spec = self.fmt.tables[table]
            if spec.layout == "wide" or len(run) < len(spec.columns):
                continue
            for row in spec.rows:
                if (table, row.label) in self.reads:
                    continue
                ratio = max(SequenceMatcher(None, label.key, key(n)).ratio() for n in (row.leaf, row.label))
                if ratio >= NEAR_MISS:
                    candidates.append((table, row.label))
        if len(candidates) != 1:
            return False
        table, row = candidates[0]
        self._record(RowRead(table, row, run, run[0].line))
        self.warnings.append(Warning("label_variant", f"第{label.line}行“{label.raw}”与格式中的行名“{row}”文字不同，按该行读取", label.line))
        return True

    def _fills_wide(self, table: str, run: list[Item], buffer: list[Item]) -> bool:
        """Whether a run is the wide table's one line of values: right after its column headers, or
        long enough (half the cells at least) not to be a number in the prose after the table."""
        spec = self.fmt.tables[table]
        cells = len(spec.rows) * len(spec.columns)
        after_header = bool(buffer) and buffer[-1].key.endswith(key(spec.columns[-1].label))
        return after_header or len(run) >= cells // 2 or any(i.glued or i.leading_zero for i in run)

    def _match(self, state: _State, run: list[Item]) -> tuple[str, str, int] | None:
        """The row whose label the accumulated text ends with (the shortest such label), and how many
        items it took. The label may start inside an item only after a fragment of table furniture, as
        in PDF text where a wrapped group label shares a line with a row (``（四）无 1.本机关…``)."""
        joined = ""
        lengths = self.vocab.row_key_lengths
        for used, item in enumerate(reversed(state.buffer), start=1):
            joined = item.key + joined
            for length in lengths:
                start = len(joined) - length
                if start < 0:
                    break
                if start >= len(item.key):
                    continue
                rows = self.vocab.rows.get(joined[start:])
                if not rows or (start and not self.vocab.is_surrounding(item.key[:start])):
                    continue
                table, row = self._pick(rows, state, joined[start:], run)
                if table is not None:
                    return table, row, used
        return None

    def _pick(self, rows: list[tuple[str, str]], state: _State, label_key: str,
              run: list[Item]) -> tuple[str | None, str]:
        """The row a label names, if the context allows: a short label (（七）总计, 规章) counts once its
        table is announced, or when a full row of values (two cells at least) follows it, written
        apart or run together."""
        digits = sum(len(i.raw) for i in run) if any(i.glued or i.leading_zero for i in run) else len(run)
        for table, row in rows:
            spec = self.fmt.tables[table]
            full_row = len(spec.columns) >= 2 and max(len(run), digits) >= len(spec.columns)
            needs_context = not full_row and (spec.section == "二" or len(label_key) < SELF_EVIDENT)
            if not needs_context or table in state.opened:
                return table, row
        return None, ""

    def _record(self, read: RowRead) -> None:
        where = (read.table, read.row)
        if where in self.reads:
            label = read.row or self.fmt.tables[read.table].title
            self.warnings.append(Warning("duplicate_row", f"表{read.table}的“{label}”出现了两次，第二次（第{read.line}行）未读取", read.line))
            return
        self.reads[where] = read

    def _leftovers(self, items: list[Item]) -> None:
        for item in items:
            if item.key and not self.vocab.is_surrounding(item.key) and self.vocab.is_row_fragment(item.key):
                self.warnings.append(Warning("unplaced", f"第{item.line}行的“{item.raw}”是不完整的表格行，无法确定是哪一行，未读取", item.line))

    def _unplaced(self, buffer: list[Item], run: list[Item]) -> None:
        if not buffer:
            if run[0].plain:
                return
            self.warnings.append(Warning("unplaced", f"第{run[0].line}行的数字没有行标签，无法对应到表格的任何一行，未读取", run[0].line))
            return
        label = buffer[-1]
        if label.plain and (len(run) < 2 or not self.vocab.is_row_fragment(label.key)):
            return  # prose that happens to mention a number
        self.warnings.append(Warning("unplaced", f"第{label.line}行“{label.raw}”后有数字，但它不是格式中的表格行，未读取", label.line))

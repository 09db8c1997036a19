"""The item stream → which run of values belongs to which official row.

One pass over the items of the whole report. Label text accumulates until a run of values follows; the
end of the accumulated text is then matched against the format's row labels, at an item boundary, so a
label is recognised whether it stood on one line, wrapped over three (PDF), was split one character per
line (Word exports) or came after group labels, captions and headers. Leftover text that is table
furniture (headers, group labels, even broken into fragments) passes silently; a leftover piece of a row
label, or values after text that is no row, becomes a warning: a row we saw but could not read.

Two layouts put a label's end after its numbers: a long label wrapped in its cell with the numbers on
its first line (``2. 其他法律行政法  0  0 …`` / ``规禁止公开``) or on a middle one (``pdftotext -layout``).
Values after text that is no row wait for the next line: if its text completes a row label, they are
that row's. Section headings are cut out of the stream wherever they stand, also inside a crawled
page's one long line. Numbers inside a table that no row could take make the table's rows without
numbers unreadable, not blank: the numbers may well be theirs (default ``pdftotext`` order).
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher

from ..formats import Format
from ..model import Warning
from ..text import key
from .sections import Heading
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
    refused: str | None = None  # why the row cannot be read although its label was found


@dataclass
class _State:
    buffer: list[Item] = field(default_factory=list)
    run: list[Item] = field(default_factory=list)
    opened: set[str] = field(default_factory=set)
    #: A row label that ended its line with no value after it, and how long the buffer was then: an
    #: all-blank row (free text prints nothing for blank cells), unless the values follow on the next
    #: line or the label turns out to be the first line of a longer, wrapped one.
    closed: tuple[str, str, int, int] | None = None
    #: Values whose text before them is no row label (yet): the label, and the values, waiting for the
    #: next line to complete the label (a label wrapped with its numbers on its first line).
    pending: tuple[list[Item], list[Item]] | None = None
    current: str | None = None  # the table whose rows the text is in, if any


#: Why a row with no numbers is not taken for a blank row where the table holds numbers no row took.
ORPHANS = "该行没有数字，而表中另有无法对应到行的数字，无法确定该行是否为空"


def _cut(item: Item, start: int, end: int) -> Item | None:
    """The part of a text item from ``start`` to ``end`` (offsets in its line), or None if empty."""
    raw = item.raw[max(0, start - item.offset):max(0, end - item.offset)]
    if not key(raw):
        return None
    return replace(item, raw=raw, key=key(raw), offset=max(item.offset, start))


def _distance(a: RowRead, b: RowRead) -> tuple[int, int]:
    """How far apart two reads stand: lines apart, then characters apart on one line (a crawled page)."""
    where = [(r.line, r.run[0].offset if r.run else 0) for r in (a, b)]
    lines = abs(where[0][0] - where[1][0])
    return lines, abs(where[0][1] - where[1][1]) if lines == 0 else 0


def _cells(run: list[Item]) -> int:
    """How many cells a run may hold at most: its items, or its digits where they ran together."""
    if any(i.glued or i.leading_zero for i in run):
        return max(len(run), sum(len(i.raw) for i in run))
    return len(run)


def _stream(items: list[Item], headings: list[Heading]) -> Iterator[Item | Heading]:
    """The items with each heading in its place, the heading's own text left out (a text item run
    into a heading is cut at its edges)."""
    marks = sorted(headings, key=lambda h: (h.line, h.start))
    marked = {mark.line for mark in marks}
    at, inside = 0, None
    for item in items:
        if item.line not in marked and (at == len(marks) or marks[at].line > item.line):
            yield item  # nothing to cut on this line, no heading passed over
            continue
        current: Item | None = item
        while current is not None:
            if inside is not None and inside.line == current.line and current.offset < inside.end:
                ends = current.offset + len(current.raw)
                current = _cut(current, inside.end, ends) if current.kind == "text" and ends > inside.end else None
                continue
            inside = None
            if at == len(marks):
                break
            mark = marks[at]
            reach = current.offset + max(len(current.raw), 1) if current.kind != "break" else current.offset
            if mark.line > current.line or (mark.line == current.line and mark.start >= reach):
                break
            if current.kind == "text" and mark.line == current.line and current.offset < mark.start:
                before = _cut(current, current.offset, mark.start)
                if before is not None:
                    yield before
            yield mark
            at, inside = at + 1, mark
        if current is not None:
            yield current


class TableReader:
    def __init__(self, fmt: Format) -> None:
        self.fmt = fmt
        self.vocab: Vocabulary = vocabulary(fmt)
        self.reads: dict[tuple[str, str | None], RowRead] = {}
        #: Rows read more than once, every read in order (see ``_choose_repeated``).
        self.repeated: dict[tuple[str, str | None], list[RowRead]] = {}
        self.warnings: list[Warning] = []
        self.headers: dict[str, list[Item]] = {}  # a table's column headers on a space-aligned line

    def read(self, items: list[Item], headings: list[Heading]) -> list[RowRead]:
        state = _State()
        self.orphans: set[str] = set()
        #: Rows whose misprinted label stood alone (see ``_misprinted_alone``), unless read later.
        self.misprints: dict[tuple[str, str], RowRead] = {}
        for item in _stream(items, headings):
            if isinstance(item, Heading):
                self._flush(state)
                self._give_up(state)
                self._settle(state)
                state.buffer.clear()
                state.current = None
                # A wide table has no row labels to announce it: its section's heading does (its
                # one line of values may come without the header lines).
                state.opened = {t.key for t in self.fmt.tables.values()
                                if t.layout == "wide" and t.section == item.spec.number}
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
                # Blank fields in front of a line's text are a merged label cell's, not values.
                if state.pending and not item.blank and all(i.blank for i in state.run):
                    self._complete(state, line_end=False)
                    self._give_up(state)
                state.run.append(item)
            elif state.run:
                self._flush(state)
            elif state.buffer:
                self._complete(state, line_end=True)
                if state.buffer and state.pending is None:
                    self._close_label(state)
        self._flush(state)
        self._give_up(state)
        self._settle(state)
        for where, read in self.misprints.items():
            if where not in self.reads:  # nothing later read the row: its misprinted label is all there is
                self.reads[where] = read
        self._choose_repeated()
        for read in self.reads.values():
            if not read.header:
                read.header = self.headers.get(read.table, [])
            if not read.run and read.table in self.orphans:
                read.refused = ORPHANS
        return list(self.reads.values())

    def _complete(self, state: _State, line_end: bool) -> None:
        """Read the values waiting (see ``_State.pending``) as the row whose label starts before them and
        ends in the text read since (the rest of that text goes on as the next label); at a line's end,
        keep waiting while that text may still be the start of a label's tail; else give up."""
        if state.pending is None or not state.buffer:
            return
        label, run = state.pending
        for taken in range(1, len(state.buffer) + 1):
            match = self._match(label + state.buffer[:taken], state.opened, run)
            if match is not None and match[2] > taken:
                table, row, used = match
                state.pending = None
                self._leftovers((label + state.buffer[:taken])[:-used])
                self._record(RowRead(table, row, run, run[0].line))
                self._open(state, table)
                del state.buffer[:taken]
                return
        if not (line_end and self._may_go_on(label + state.buffer, len(label))):
            self._give_up(state)

    def _may_go_on(self, items: list[Item], head: int) -> bool:
        """Whether the text from one of the first ``head`` items on is the start of a row label (also
        with pieces of group labels left out, which may stand between a label's lines)."""
        kept = [(n, item) for n, item in enumerate(items) if not self.vocab.is_surrounding(item.key)]
        for chosen in (list(enumerate(items)), kept):
            joined = "".join(item.key for _, item in chosen)
            at = 0
            for n, item in chosen:
                if n >= head:
                    break
                if joined[at:] in self.vocab.row_starts:
                    return True
                at += len(item.key)
        return False

    def _give_up(self, state: _State) -> None:
        """The waiting values have no row: read them as a misprinted label's, or warn."""
        if state.pending is None:
            return
        label, run = state.pending
        state.pending = None
        if not self._near_miss(label, state.opened, run):
            self._unplaced(label, run, state)

    def _open(self, state: _State, table: str) -> None:
        state.opened.add(table)
        state.current = table

    def _note_header(self, table: str, items: list[Item]) -> None:
        """Keep a table's column headers when a free-text line gave one per column (for alignment)."""
        if table in self.headers:
            return
        columns = self.vocab.columns[table]
        header = column_headers(items, columns)
        if len(header) == len(columns):
            self.headers[table] = header

    def _close_label(self, state: _State) -> None:
        """A line ended on text: remember it if it is a whole row label (see ``_State.closed``)."""
        match = self._match(state.buffer, state.opened, [])
        if match is None:
            self._misprinted_alone(state)
            return
        table, row, used = match
        if state.closed and used > len(state.buffer) - state.closed[2]:
            state.closed = None  # the earlier label was the first line of this one
        self._settle(state)
        state.closed = (table, row, len(state.buffer), state.buffer[-1].line)

    def _misprinted_alone(self, state: _State) -> None:
        """A misprinted row label with no number after it: the row is there but cannot be read (its
        cells may be blank or printed elsewhere); never missing, never blank."""
        last = state.buffer[-1].key
        if state.current is None or len(last) < SELF_EVIDENT or self.vocab.is_surrounding(last):
            return  # outside a table; or a header word (其他), which resembles a short label by its shortness
        found = self._resembled(state.buffer, {state.current} & state.opened, None)
        if found is not None:
            label = state.buffer[-1]
            self.misprints.setdefault(found, RowRead(*found, [], label.line,
                                                     refused=f"行名“{label.raw}”与格式中的行名不同，且其后没有数字"))

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
        broken over several lines, a few characters each, or run into the header after it)."""
        if state.buffer[-1].key in self.vocab.opener_endings:  # most text ends no caption, stub or anchor
            joined = ""
            for item in reversed(state.buffer[-OPENER_ITEMS:]):
                joined = item.key + joined
                if len(joined) > self.vocab.opener_length:
                    break  # longer than any caption, stub or anchor
                for table in (self.vocab.openers.get(joined), self.vocab.anchors.get(joined)):
                    if table:
                        self._open(state, table)
        for table in self.vocab.opened_within(state.buffer[-1].key):
            self._open(state, table)

    def _flush(self, state: _State) -> None:
        run, state.run = state.run, []
        if not run:
            return
        numbers = any(not item.blank for item in run)
        match = self._match(state.buffer, state.opened, run)
        self._settle(state, match[2] if match else 0)
        if match is not None:
            table, row, used = match
            self._leftovers(state.buffer[:-used])
            self._note_header(table, state.buffer[:-used])
            self._record(RowRead(table, row, run, run[0].line))
            self._open(state, table)
            state.buffer.clear()
            return
        wide = next((t for t in state.opened if self.fmt.tables[t].layout == "wide"
                     and (t, None) not in self.reads), None)
        if wide and numbers and self._fills_wide(wide, run, state.buffer):
            self._record(RowRead(wide, None, run, run[0].line, column_headers(state.buffer, self.vocab.columns[wide])))
            state.current = wide
            state.buffer.clear()
            return
        if numbers and state.buffer and self._may_go_on(state.buffer, len(state.buffer)):
            self._give_up(state)
            state.pending = (list(state.buffer), run)
        elif numbers and not self._near_miss(state.buffer, state.opened, run):
            self._unplaced(state.buffer, run, state)
        if numbers:
            state.buffer.clear()

    def _near_miss(self, buffer: list[Item], opened: set[str], run: list[Item]) -> bool:
        """A full row of values after a label that differs from the official one by a slip
        (``2.其他法律行政止公开``): read it as the one row of an announced table it closely resembles,
        not yet read, and say so. Anything less certain stays unplaced."""
        found = self._resembled(buffer, opened, len(run))
        if found is None:
            return False
        (table, row), label = found, buffer[-1]
        self._record(RowRead(table, row, run, run[0].line))
        self.warnings.append(Warning("label_variant", f"“{label.raw}”与格式中的行名“{row}”文字不同，按该行读取", label.line))
        return True

    def _resembled(self, buffer: list[Item], opened: set[str], cells: int | None) -> tuple[str, str] | None:
        """The one row not yet read, of an announced table (with at most ``cells`` columns, if given),
        whose label the last text closely resembles."""
        if not buffer:
            return None
        label = buffer[-1].key
        candidates = []
        for table in opened:
            spec = self.fmt.tables[table]
            if spec.layout == "wide" or (cells is not None and cells < len(spec.columns)):
                continue
            for row in spec.rows:
                if (table, row.label) in self.reads:
                    continue
                names = [key(n) for n in (row.leaf, row.label)]
                # Two texts of lengths a and b agree at most 2·min(a, b)/(a + b): skip the hopeless.
                if any(2 * min(len(label), len(n)) >= NEAR_MISS * (len(label) + len(n))
                       and (m := SequenceMatcher(None, label, n)).quick_ratio() >= NEAR_MISS
                       and m.ratio() >= NEAR_MISS for n in names):
                    candidates.append((table, row.label))
        return candidates[0] if len(candidates) == 1 else None

    def _fills_wide(self, table: str, run: list[Item], buffer: list[Item]) -> bool:
        """Whether a run is the wide table's one line of values: right after its column headers, or
        long enough (half the cells at least) not to be a number in the prose after the table; digits
        run together must at least be as many as the cells."""
        spec = self.fmt.tables[table]
        cells = len(spec.rows) * len(spec.columns)
        after_header = bool(buffer) and buffer[-1].key.endswith(key(spec.columns[-1].label))
        if any(i.glued or i.leading_zero for i in run):
            return _cells(run) >= cells
        return after_header or len(run) >= cells // 2

    def _match(self, buffer: list[Item], opened: set[str], run: list[Item]) -> tuple[str, str, int] | None:
        """The row whose label the text ends with (the shortest such label), and how many items it
        took. The label may start inside an item only after table furniture, as in PDF text where a
        wrapped group label shares a line with a row (``（四）无 1.本机关…``) or on a crawled page
        (``第二十条第（五）项信息内容本年处理决定数量行政许可``). Where no label ends the text, pieces of
        a group label wrapped in between the lines of a long row label (``2、申请人逾期未按收费通知要``
        / ``他处理`` / ``求缴纳费用…``) are passed over."""
        found = self._match_in(buffer, opened, run)
        if found is not None or not run:
            return found
        kept = [i for i, item in enumerate(buffer) if not self.vocab.is_surrounding(item.key)]
        if len(kept) == len(buffer):
            return None
        found = self._match_in([buffer[i] for i in kept], opened, run)
        if found is None:
            return None
        table, row, used = found
        return table, row, len(buffer) - kept[-used]

    def _match_in(self, buffer: list[Item], opened: set[str], run: list[Item]) -> tuple[str, str, int] | None:
        joined = ""
        lengths = self.vocab.row_key_lengths
        for used, item in enumerate(reversed(buffer), start=1):
            if len(joined) >= lengths[-1]:
                break  # a label starting further back would be longer than any
            joined = item.key + joined
            if len(joined) - len(item.key) < 2 <= len(joined) and joined[-2:] not in self.vocab.row_ends \
                    and joined[-1:] not in self.vocab.row_ends:
                return None  # every label found from here on would end so, and none does
            # Only labels starting inside this item: the shorter ones were tried with the items after it.
            for length in lengths[bisect_right(lengths, len(joined) - len(item.key)):]:
                start = len(joined) - length
                if start < 0:
                    break
                rows = self.vocab.rows.get(joined[start:])
                if not rows or (start and not self.vocab.is_surrounding(item.key[:start])):
                    continue
                table, row = self._pick(rows, opened, joined[start:], run)
                if table is not None:
                    return table, row, used
        return None

    def _pick(self, rows: list[tuple[str, str]], opened: set[str], label_key: str,
              run: list[Item]) -> tuple[str | None, str]:
        """The row a label names, if the context allows: a short label (（七）总计, 规章) counts once its
        table is announced, or when a full row of values (two cells at least) follows it, written
        apart or run together."""
        for table, row in rows:
            spec = self.fmt.tables[table]
            short = spec.section == "二" or len(label_key) < SELF_EVIDENT
            # The run's cells are counted only where they matter: for a long label they do not.
            needs_context = short and not (len(spec.columns) >= 2 and _cells(run) >= len(spec.columns))
            if not needs_context or table in opened:
                return table, row
        return None, ""

    def _record(self, read: RowRead) -> None:
        """Keep every read of a row; which one stands is decided once all are in (:meth:`_choose_repeated`)."""
        where = (read.table, read.row)
        if where in self.reads:
            self.repeated.setdefault(where, [self.reads[where]]).append(read)
            return
        self.reads[where] = read

    def _choose_repeated(self) -> None:
        """A row label read twice: the read among its table's other rows stands (a label in the text
        before or after its table, ``包括2279件规范性文件，…``, is a mention, not the row), the first where
        that does not tell; the others are said and not read."""
        for where, reads in self.repeated.items():
            others = [r for w, r in self.reads.items() if w[0] == where[0] and w != where]
            chosen = min(reads, key=lambda read: min((_distance(read, other) for other in others), default=(0, 0)))
            self.reads[where] = chosen
            label = where[1] or self.fmt.tables[where[0]].title
            for read in reads:
                if read is not chosen:
                    self.warnings.append(Warning("duplicate_row", f"表{where[0]}的“{label}”出现了{len(reads)}次，"
                                                 "此处未读取，按与该表其他行相邻的一处读取", read.line))

    def _leftovers(self, items: list[Item]) -> None:
        for item in items:
            if item.key and not self.vocab.is_surrounding(item.key) and self.vocab.is_row_fragment(item.key):
                self.warnings.append(Warning("unplaced", f"“{item.raw}”是不完整的表格行，无法确定是哪一行，未读取", item.line))

    def _unplaced(self, buffer: list[Item], run: list[Item], state: _State) -> None:
        """Warn of values no row takes; inside a table, remember that it has such numbers."""
        if state.current is not None:
            self.orphans.add(state.current)
        if not buffer:
            if run[0].plain:
                return
            self.warnings.append(Warning("unplaced", f"此处的数字没有行标签，无法对应到表格的任何一行，未读取", run[0].line))
            return
        label = buffer[-1]
        if label.plain and (_cells(run) < 2 or not self.vocab.is_row_fragment(label.key)):
            return  # prose that happens to mention a number
        self.warnings.append(Warning("unplaced", f"“{label.raw}”后有数字，但它不是格式中的表格行，未读取", label.line))

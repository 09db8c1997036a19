"""A generated report as plain data, before any layout writes it down.

The spec is the single source of truth of a generated report: the layouts only write it, the tests
compare the parser's reading with it, and defects are edits to it (see :mod:`.defects`). So everything a
test may want to check or break is a field here: body, year, format, every cell (``None`` = blank),
lost stretches of text, section headings as written, contact details, the statistical period and the
narrative. Official labels come from ``rules/formats/*.yaml``; the report's own wording from
``wording.yaml``.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

from engine.formats import Format, load_formats

from .narration import narrate
from .values import random_tables, row_total, table_facts

Number = int | Decimal
#: row label → column label → value; None is a blank cell.
Cells = dict[str, dict[str, Number | None]]

CONTACT_KINDS = ("address", "postcode", "phone", "fax", "email", "website")
#: How report files come: UTF-8 with or without BOM, GB18030, UTF-16 with BOM and without (little-endian).
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le")


@cache
def wording() -> dict:
    """The report's own words: agencies, contact labels, period and narrative sentences (wording.yaml),
    and each further kind of wording real reports use in a file of its own under ``wording/`` (lists,
    denials, titles …), merged by top-level key; one key in two files is a mistake, not an override."""
    here = Path(__file__).parent
    words: dict = {}
    for path in [here / "wording.yaml", *sorted((here / "wording").glob("*.yaml"))]:
        part = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        twice = set(part) & set(words)
        if twice:
            raise ValueError(f"{path.name}: {sorted(twice)} already given in another wording file")
        words.update(part)
    return words


@dataclass
class Style:
    """How one report writes labels and numbers; the same whatever the layout, so that one spec
    rendered in two layouts says the same thing."""

    half_brackets: bool = False      # (一) for （一）
    bracket_space: bool = False      # "(三) 不予公开", as 金凤区 2020 writes it
    numbering: str = "."             # how sub-rows are numbered: 1. / 1． / 1、 / "1. "
    fullwidth: float = 0.0           # share of numbers written in full-width digits (１２)
    thousands: bool = False          # 1,284
    aliases: bool = False            # 社会组织, 规范性文件 … (the format's aliases)
    spaced_headers: bool = False     # 结 果 维 持
    unit_suffix: bool = False        # "9114.72 万元" in amount cells
    markers: int = 0                 # how many [image: …] / [bookmark: …] markers to scatter


@dataclass
class SectionText:
    number: str
    heading: str                     # as written: "五、存在问题及改进情况"
    paragraphs: list[str]


@dataclass
class ContactItem:
    label: str                       # 联系电话
    value: str                       # 0951-5036291
    also: tuple[str, ...] = ()       # other kinds the label states with this value: fax for 电话/传真


@dataclass
class PeriodText:
    start: date
    end: date
    sentence: str                    # template from wording.yaml with {start} {end} {end_md}

    def text(self) -> str:
        def full(d: date) -> str:
            return f"{d.year}年{d.month}月{d.day}日"
        return self.sentence.format(start=full(self.start), end=full(self.end),
                                    end_md=f"{self.end.month}月{self.end.day}日")


@dataclass
class Truncation:
    """A stretch of text lost, as in 洛阳市科学技术局 2020: from table ``first_table`` of the section
    before (None: none of its tables lost) through the heading, narrative and header of ``table``
    (table 三 and its section), up to (not including) its row ``first_row``. Which tables: see
    ``truncation`` in tables.yaml."""

    table: str
    first_table: str | None
    first_row: str

    def lost_section(self, fmt: Format) -> str:
        """The section whose heading and narrative went with the lost text."""
        return fmt.tables[self.table].section


@dataclass(frozen=True)
class Defect:
    """One deliberate error edited into a spec, so that a rule test knows what it must find."""

    kind: str          # cell, blank, section, heading, contact, period, period_year
    where: str         # 表三 一、本年新收政府信息公开申请数量 / 总计; 三; phone …
    before: str
    after: str

    def __str__(self) -> str:
        return f"{self.kind} {self.where}: {self.before} → {self.after}"


@dataclass
class ReportSpec:
    seed: int
    format: str
    year: int
    body: str
    title_split: bool                # body on one line, year and phrase on the next
    title_gap: bool                  # "洛阳市科学技术局 2020年…"
    intro: list[str]
    contact: dict[str, ContactItem]  # in the order written
    contact_sentence: str            # template, or the heading line when ``contact_lines``
    contact_at_end: bool
    period: PeriodText | None
    sections: list[SectionText]
    tables: dict[str, Cells]
    style: Style
    encoding: str = "utf-8"
    contact_lines: bool = False      # one "label：value" line per item instead of one sentence
    contact_colon: str = "："
    title_year_word: str = "年"      # 年 or 年度, after the year in the title
    title_name: str = ""             # the report's name in the title; "" for wording.yaml's title_phrase
    title_body_after_year: bool = False  # 2022年上海市政府信息公开工作年度报告
    truncation: Truncation | None = None
    defects: list[Defect] = field(default_factory=list)

    @property
    def fmt(self) -> Format:
        return load_formats()[self.format]

    def lost_tables(self) -> list[str]:
        """Tables lost whole to the truncation (those of the section before the cut table)."""
        if self.truncation is None or self.truncation.first_table is None:
            return []
        section = self.fmt.tables[self.truncation.first_table].section
        keys = [k for k, t in self.fmt.tables.items() if t.section == section]
        return keys[keys.index(self.truncation.first_table):]

    def missing_rows(self, key: str) -> list[str]:
        """Rows of table ``key`` absent from the text (never to be read as values)."""
        rows = self.fmt.tables[key].row_labels
        if key in self.lost_tables():
            return rows
        if self.truncation is not None and key == self.truncation.table:
            return rows[:rows.index(self.truncation.first_row)]
        return []


def _body(rng: random.Random) -> str:
    words = wording()
    return rng.choice(words["places"]) + rng.choice(words["offices"])


def _contact(rng: random.Random) -> dict[str, ContactItem]:
    words = wording()
    area = f"0{rng.randint(10, 999)}"
    values = {
        "address": f"{rng.choice(words['places'])}{rng.choice(words['roads'])}{rng.randint(1, 999)}号",
        "postcode": str(rng.randint(100000, 859999)),
        "phone": f"{area}-{rng.randint(2000000, 89999999)}",
        "fax": f"{area}-{rng.randint(2000000, 89999999)}",
        "email": f"xxgk{rng.randint(1, 999)}@{rng.choice(words['email_domains'])}",
        "website": f"{rng.choice(['', 'http://', 'https://'])}www.gk{rng.randint(1, 99)}.gov.cn",
    }
    if rng.random() < 0.15:
        return {}
    kinds = [k for k in CONTACT_KINDS if rng.random() < 0.75] or ["phone"]
    return {k: ContactItem(rng.choice(words["contact_labels"][k]), values[k]) for k in kinds}


def _period(rng: random.Random, year: int) -> PeriodText | None:
    if rng.random() < 0.15:
        return None
    return PeriodText(date(year, 1, 1), date(year, 12, 31), rng.choice(wording()["period_sentences"]))


def _narrative(rng: random.Random, number: str, year: int) -> list[str]:
    pool = wording()["narrative"][number]
    chosen = sorted(rng.sample(range(len(pool)), rng.randint(1, len(pool))))
    return [pool[i].format(year=year, n=rng.randint(1, 20000)) for i in chosen]


def _sections(rng: random.Random, fmt: Format, year: int) -> list[SectionText]:
    sections = []
    for spec in fmt.sections:
        title = rng.choice(spec.variants) if spec.variants and rng.random() < 0.2 else spec.title
        sections.append(SectionText(spec.number, f"{spec.number}、{title}", _narrative(rng, spec.number, year)))
    return sections


def _style(rng: random.Random) -> Style:
    return Style(half_brackets=rng.random() < 0.3, bracket_space=rng.random() < 0.2,
                 numbering=rng.choice([".", ".", "．", "、", ". "]), fullwidth=rng.choice([0.0, 0.0, 0.0, 0.2]), thousands=rng.random() < 0.5,
                 aliases=rng.random() < 0.3, spaced_headers=rng.random() < 0.3,
                 unit_suffix=rng.random() < 0.3, markers=rng.choice([0, 0, 1, 2]))


def _truncation(rng: random.Random, fmt: Format) -> Truncation | None:
    """One report in ten is cut off; at least one table of the section before survives, and at
    least the last rows of the cut table."""
    if rng.random() >= 0.1:
        return None
    rule = table_facts()["truncation"]
    before = [k for k, t in fmt.tables.items() if t.section == rule["from_section"]]
    rows = fmt.tables[rule["table"]].row_labels
    return Truncation(rule["table"], rng.choice([None, *before[1:]]), rng.choice(rows[1:-2]))


def random_spec(seed: int, format_name: str, blank_rate: float = 0.3, *, year: int | None = None,
                body: str | None = None) -> ReportSpec:
    """A random valid report of ``format_name``; ``blank_rate`` is the chance it leaves some cells
    blank (the layouts that cannot show a blank ask for fewer). ``year`` and ``body`` fix those."""
    rng = random.Random(f"spec:{format_name}:{seed}")
    fmt = load_formats()[format_name]
    drawn_year, drawn_body = rng.randint(fmt.first_year, fmt.last_year or fmt.first_year + 4), _body(rng)
    year, body = year or drawn_year, body or drawn_body
    intro = [s.format(body=body) for s in rng.sample(wording()["intro_sentences"], rng.randint(1, 2))]
    spec = ReportSpec(
        seed=seed, format=format_name, year=year, body=body, title_split=rng.random() < 0.4,
        title_gap=rng.random() < 0.3, intro=intro, contact=_contact(rng),
        contact_sentence=rng.choice(wording()["contact_sentences"]), contact_at_end=rng.random() < 0.3,
        period=_period(rng, year), sections=_sections(rng, fmt, year),
        tables=random_tables(rng, fmt), style=_style(rng),
        encoding=rng.choices(ENCODINGS, weights=(12, 2, 2, 1, 1))[0], truncation=_truncation(rng, fmt),
    )
    if rng.random() < 0.3:
        spec.contact_lines, spec.contact_sentence = True, rng.choice(wording()["contact_headings"])
    spec.contact_colon = rng.choice(["：", "：", ":"])
    _reword(random.Random(f"wording:{format_name}:{seed}"), spec)
    narrate(random.Random(f"narrative:{format_name}:{seed}"), spec, wording())
    blanks = random.Random(f"blanks:{format_name}:{seed}")
    if blanks.random() < blank_rate:
        _blank_some(blanks, spec)
    return spec


def _reword(rng: random.Random, spec: ReportSpec) -> None:
    """Titles and contact labels as real reports also write them (wording/titles.yaml, contact.yaml):
    drawn on a stream of their own, so that adding a wording leaves every other draw as it was."""
    words = wording()
    if rng.random() < 0.4:
        spec.title_year_word, spec.title_name = rng.choice(words["title_forms"])
        spec.title_body_after_year = rng.random() < 0.2
    for kind, item in spec.contact.items():
        if kind in words["contact_labels_more"] and rng.random() < 0.3:
            item.label = rng.choice(words["contact_labels_more"][kind])
    if "phone" in spec.contact and rng.random() < 0.25:
        phone = spec.contact["phone"]
        phone.label, phone.also = rng.choice(words["contact_phone_and_fax"]), ("fax",)
        spec.contact.pop("fax", None)


def _blank_some(rng: random.Random, spec: ReportSpec) -> None:
    """Leave cells blank as real reports do: one to three anywhere (most often), a whole row, or the
    total column of most rows (上海市政府办公厅 2019). A valid report may; the reader must keep them blank."""
    shape = rng.choices(["cells", "row", "totals"], weights=(8, 1, 1))[0]
    if shape == "cells":
        cells = [(k, r, c) for k, rows in spec.tables.items() for r, cols in rows.items() for c in cols]
        chosen = rng.sample(cells, rng.randint(1, 3))
    elif shape == "row":
        key = rng.choice(list(spec.tables))
        row = rng.choice(list(spec.tables[key]))
        chosen = [(key, row, c) for c in spec.tables[key][row]]
    else:
        key = next(k for k, t in spec.fmt.tables.items() if row_total(t) and t.layout != "wide")
        total = row_total(spec.fmt.tables[key]).total
        chosen = [(key, r, total) for r in spec.tables[key] if rng.random() < 0.8]
    for key, row, column in chosen:
        spec.tables[key][row][column] = None

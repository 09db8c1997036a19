"""The ways reports write contact details, titles and body names (issue 8, point 1), each pinned.

- A contact detail stated in the wrong form is stated: a 5- or 7-digit postcode gets "邮政编码不是六位数字"
  (CON-002) and never "未写明邮编" (CON-001), nor is the check listed as not run.
- One label may state the phone and the fax (电话/传真：0591-…): both are read, so the report is not told
  it has no phone.
- A title like "某局2022年度政府信息公开工作报告" gives the body and the year (the year-dependent and
  prior-year rules then run); a title of half a year or another kind of report gives neither.
- A body's short and long names pair its reports of consecutive years, both ways; different bodies whose
  names share only the office (淮安市科学技术局, 洛阳市科学技术局), or a name without a place, never pair.

Expected values come from the text written here or from the generator's spec, not from the parser.
"""
from __future__ import annotations

import copy

import pytest

from engine import RULES_DIR
from engine.pairing import body_names, pair_prior
from engine.parse import parse_bytes, parse_text
from engine.rules import load_engine
from engine.wording import load_wording
from tests.generator import FILE_LAYOUTS, LAYOUTS, render
from tests.generator import defects as inject
from tests.generator.catalogue import clean, clean_spec
from tests.generator.pairs import following_year
from tests.generator.spec import ContactItem, random_spec

ENGINE = load_engine(RULES_DIR)
BODIES = load_wording().bodies
ALL_LAYOUTS = [*LAYOUTS, *FILE_LAYOUTS]


def _audit(spec, layout: str = "tab"):
    generated = render(spec, layout)
    report = parse_bytes(generated.data, generated.name)
    return report, ENGINE.audit(report), generated.describe()


def _about(audit, rule: str, item: str) -> list:
    """Findings of ``rule`` naming ``item``, and the rule listed as not run."""
    return ([f for f in audit.findings if f.rule == rule and item in f.message]
            + [s for s in audit.skipped if s.rule == rule])


# Contact details ----------------------------------------------------------------------------------

@pytest.mark.parametrize("postcode", ["75001", "7500011"])
@pytest.mark.parametrize("layout", ALL_LAYOUTS)
def test_a_postcode_of_the_wrong_length_is_stated_in_the_wrong_form(postcode: str, layout: str) -> None:
    spec = inject.set_contact(clean_spec(3, "2021"), "postcode", "邮编", postcode)
    report, audit, case = _audit(spec, layout)
    assert report.contact["postcode"].value == postcode, case
    assert [f.message for f in audit.findings if f.rule == "CON-002"] == [f"邮政编码写作“邮编：{postcode}”，不是六位数字。"], case
    assert _about(audit, "CON-001", "邮编") == [], case


def test_a_six_digit_postcode_is_right() -> None:
    report, audit, case = _audit(clean_spec(3, "2021"))
    assert len(report.contact["postcode"].value) == 6
    assert not [f for f in audit.findings if f.rule in ("CON-001", "CON-002")], case


def _contact_line(line: str) -> dict[str, str]:
    report = parse_text(f"某县科学技术局\n2022年政府信息公开工作年度报告\n{line}\n一、总体情况\n无。", "x.txt")
    return {kind: found.value for kind, found in report.contact.items()}


@pytest.mark.parametrize("label", ["电话/传真", "电话／传真", "电话（传真）", "联系电话(传真)", "电话、传真", "联系电话及传真",
                                   "电话/传真号码", "咨询电话和传真", "传真/电话"])
def test_one_label_for_phone_and_fax_states_both(label: str) -> None:
    contact = _contact_line(f"联系方式：地址：某县人民路1号，邮编：750001，{label}：0591-87654321，电子邮箱：a@b.cn。")
    assert contact["phone"] == contact["fax"] == "0591-87654321"


def test_two_numbers_under_one_label_go_to_phone_and_fax_in_turn() -> None:
    contact = _contact_line("电话/传真：0591-87654321/0591-87654322")
    assert (contact["phone"], contact["fax"]) == ("0591-87654321", "0591-87654322")


@pytest.mark.parametrize(("line", "kind", "value"), [
    ("电话：0591-12", "phone", "0591-12"),           # too short to dial, but stated
    ("电子邮箱：xxgk@163", "email", "xxgk@163"),      # no domain ending, but stated
    ("邮编750001", "postcode", "750001"),            # no colon
    ("传真号码：0591-87654321", "fax", "0591-87654321"),
])
def test_a_detail_stated_in_another_form_is_read_as_written(line: str, kind: str, value: str) -> None:
    assert _contact_line(line) == {kind: value}


@pytest.mark.parametrize("line", ["本机关公布了咨询电话和地址。", "传真电话：0591-87654321"])
def test_no_phone_where_none_is_stated(line: str) -> None:
    assert "phone" not in _contact_line(line)


@pytest.mark.parametrize("layout", ALL_LAYOUTS)
def test_a_report_with_phone_and_fax_under_one_label_has_its_phone(layout: str) -> None:
    spec = copy.deepcopy(clean_spec(4, "2019"))
    spec.contact.pop("fax", None)
    spec.contact["phone"] = ContactItem("电话/传真", "0591-87654321", ("fax",))
    report, audit, case = _audit(spec, layout)
    assert (report.contact["phone"].value, report.contact["fax"].value) == ("0591-87654321",) * 2, case
    assert _about(audit, "CON-001", "电话") == [], case


# Titles -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("title", "body", "year"), [
    ("某局2022年度政府信息公开工作报告", "某局", 2022),
    ("淮安市人民政府2024年政府信息公开工作年度报告", "淮安市人民政府", 2024),
    ("来凤县2021年度政府信息公开工作年度报告", "来凤县", 2021),
    ("来凤县2021年政府信息公开年度报告", "来凤县", 2021),
    ("来凤县2021年政府信息公开工作报告", "来凤县", 2021),
    ("2022年上海市政府信息公开工作年度报告", "上海市", 2022),
    ("2022年度上海市政府信息公开工作报告", "上海市", 2022),
    ("《洛阳市科学技术局 2020 年度政府信息公开工作报告》", "洛阳市科学技术局", 2020),
    ("周村区科技局\n2020年度政府信息公开工作报告", "周村区科技局", 2020),
])
def test_annual_report_titles(title: str, body: str, year: int) -> None:
    report = parse_text(f"{title}\n一、总体情况\n本年度工作情况如下。", "x.txt")
    assert (report.body, report.year) == (body, year)


@pytest.mark.parametrize("title", [
    "某局2022年上半年政府信息公开工作报告",
    "某局2022年第一季度政府信息公开工作报告",
    "某局2022年政务公开工作总结",
    "现将信访局2021年度政府信息公开工作报告如下：",
    "根据条例，现公布本局2022年度政府信息公开工作报告。",
])
def test_what_is_no_annual_report_title(title: str) -> None:
    report = parse_text(f"{title}\n一、总体情况\n本年度工作情况如下。", "x.txt")
    assert (report.body, report.year) == (None, None)


@pytest.mark.parametrize("layout", ALL_LAYOUTS)
@pytest.mark.parametrize("body_after_year", [False, True])
def test_a_generated_annual_work_report_title_gives_body_and_year(layout: str, body_after_year: bool) -> None:
    spec = copy.deepcopy(clean_spec(5, "2021"))
    spec.title_year_word, spec.title_name, spec.title_body_after_year = "年度", "政府信息公开工作报告", body_after_year
    report, audit, case = _audit(spec, layout)
    assert (report.body, report.year) == (spec.body, spec.year), case
    assert not [s for s in audit.skipped if s.rule.startswith(("FMT", "PER"))], case


# Body names and prior-year pairing ----------------------------------------------------------------

@pytest.mark.parametrize(("one", "other"), [
    ("来凤县粮储局", "来凤县粮食和物资储备局"),
    ("来凤县", "来凤县人民政府"),
    ("来凤县政府", "来凤县人民政府"),
    ("淮安市科技局", "淮安市科学技术局"),
    ("淮安市发改委", "淮安市发展和改革委员会"),
    ("南湖街道", "南湖街道办事处"),
    ("洪泽区人民政府", "淮安市洪泽区人民政府"),
    ("金凤区科技局", "宁夏回族自治区银川市金凤区科学技术局"),
])
def test_names_of_one_body(one: str, other: str) -> None:
    assert set(body_names(one, BODIES)) & set(body_names(other, BODIES))


@pytest.mark.parametrize(("one", "other"), [
    ("淮安市科学技术局", "洛阳市科学技术局"),
    ("淮安市城市管理局", "洛阳市城市管理局"),
    ("淮安市住房和城乡建设局", "洛阳市住房和城乡建设局"),
    ("来凤县人民政府", "来凤县人民政府办公室"),
    ("淮安市人民政府", "淮安市洪泽区人民政府"),
])
def test_names_of_different_bodies(one: str, other: str) -> None:
    assert not set(body_names(one, BODIES)) & set(body_names(other, BODIES))


@pytest.mark.parametrize("body", ["科学技术局", "科技局", "人民政府", "区科技局"])
def test_a_name_without_a_place_pairs_with_nothing(body: str) -> None:
    assert body_names(body, BODIES) == []


def _reports(*specs):
    return [parse_text(render(spec, "tab").text, f"{spec.body}-{spec.year}.txt") for spec in specs]


@pytest.mark.parametrize(("earlier", "later"), [
    ("淮安市科学技术局", "淮安市科技局"), ("淮安市科技局", "淮安市科学技术局"),
    ("来凤县人民政府", "来凤县"), ("来凤县", "来凤县人民政府"),
    ("来凤县粮食和物资储备局", "来凤县粮储局"), ("来凤县粮储局", "来凤县粮食和物资储备局"),
    ("银川市金凤区发展和改革委员会", "金凤区发改委"), ("金凤区发改委", "银川市金凤区发展和改革委员会"),
])
def test_a_body_under_another_name_is_paired_both_ways(earlier: str, later: str) -> None:
    prior = clean(random_spec(2, "2021", blank_rate=0.0, body=earlier))
    this = clean(following_year(prior, body=later))
    reports = _reports(prior, this)
    assert [r.body for r in reports] == [earlier, later]
    assert pair_prior(reports, BODIES) == {1: reports[0]}


@pytest.mark.parametrize(("earlier", "later"), [
    ("淮安市科学技术局", "洛阳市科学技术局"),
    ("淮安市科学技术局", "科学技术局"),
    ("科学技术局", "科学技术局"),
    ("来凤县人民政府办公室", "来凤县人民政府"),
])
def test_different_bodies_or_a_name_without_a_place_are_not_paired(earlier: str, later: str) -> None:
    prior = clean(random_spec(2, "2021", blank_rate=0.0, body=earlier))
    this = clean(following_year(prior, body=later))
    assert pair_prior(_reports(prior, this), BODIES) == {}


# The vocabulary files ------------------------------------------------------------------------------

def _wording_folder(tmp_path, name: str, old: str, new: str):
    for path in (RULES_DIR / "wording").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        (tmp_path / path.name).write_text(text.replace(old, new, 1) if path.name == name else text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("name", "old", "new", "message"), [
    ("contact.yaml", "shape: digits", "shape: number", "contact.yaml:12:12 shape 只能是 address、digits、phone、email、web，而不是“number”"),
    ("contact.yaml", "  fax:\n    shape: phone\n    labels: [传真, 传真号码, 传真电话]\n", "",
     "contact.yaml:8:3 缺少 fax:（规则会要求这一项，没有标签就读不到）"),
    ("bodies.yaml", "教育局: []", "教育局: [科技局]", "bodies.yaml:16:8 “科技局”同时是“科学技术局”和“教育局”的名称，配对时无法区分"),
    ("titles.yaml", "year_words: [年度, 年]", "year_words: []", "titles.yaml:9:13 year_words 至少要有一项"),
    ("contact.yaml", "colon: optional\n    labels: [邮政编码", "colons: optional\n    labels: [邮政编码",
     "contact.yaml:13:5 未知的键“colons”，可用：shape、labels、colon"),
])
def test_a_wording_file_with_a_mistake_is_named_at_its_line(tmp_path, name, old, new, message) -> None:
    from engine.wording import WordingError
    folder = _wording_folder(tmp_path, name, old, new)
    with pytest.raises(WordingError) as error:
        load_wording(folder)
    assert str(error.value) == f"{folder}/{message}"

"""``ogi-audit rules check [DIR]`` and ``ogi-audit rules test [DIR]``: tools for the people who write rules.

``check`` validates every rule file in one pass and prints each problem as ``file:line:col RULE-ID plain
words — did you mean …``; ``test`` runs every rule's test cases on durable-rules and on the reference
interpreter. Both exit 0 when all is well and never with a traceback. A rule file that cannot be used
(any problem ``check`` finds, a folder with no rule file, a regex that runs past its time limit) is exit 2
for both, as for ``audit``: across the tool, 2 is bad input or bad rules and 1 only "errors found", which
for ``test`` is a failing case.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import RULES_DIR
from ..rules import RuleFileError, load_rules
from ..rules.cases import run_cases
from .. import wording
from ..yamlsource import SourceError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name, help_text in (("check", "检查规则文件的写法（全部问题一次列出）"), ("test", "运行规则中的测试用例")):
        action = sub.add_parser(name, help=help_text, description=help_text)
        action.add_argument("directory", nargs="?", type=Path, default=RULES_DIR, metavar="DIR",
                            help="规则文件夹（默认：rules/）")


def run(args: argparse.Namespace) -> int:
    try:
        rules = load_rules(args.directory)
    except RuleFileError as error:
        print(error)
        print(f"共 {len(error.problems)} 处问题。", file=sys.stderr)
        return 2
    try:  # the parser's wording (rules/wording/contact.yaml …) is checked as well: the audit stops on it
        wording.load_wording(wording.WORDING_DIR)
    except SourceError as error:
        print(error)
        print("共 1 处问题。", file=sys.stderr)
        return 2
    if args.action == "check":
        print(f"规则文件正确：{len(rules)} 条规则。")
        return 0
    results = run_cases(rules)
    failed = [r for r in results if not r.passed]
    for result in failed:
        print(f"未通过 {result.rule} “{result.name}”")
        for problem in result.problems:
            print(f"    {problem}")
    print(f"{len(results)} 个测试用例，{len(results) - len(failed)} 个通过，{len(failed)} 个未通过。")
    return 1 if failed else 0

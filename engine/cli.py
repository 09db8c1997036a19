"""``ogi-audit``: the command line. Each subcommand lives in ``engine/commands/<name>.py`` with
``add_arguments(parser)`` and ``run(args) -> int``; this module only dispatches.

Exit codes follow linters: 0 no error found, 1 errors found, 2 bad usage, bad input or bad rule files.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from .rules.errors import RulesFolderError
from .yamlsource import SourceError

#: Subcommand name → (module, one-line help).
COMMANDS = {
    "parse": ("engine.commands.parse", "读取一份年度报告并显示解析结果"),
    "audit": ("engine.commands.audit", "审核年度报告（文件或文件夹），输出问题清单"),
    "rules": ("engine.commands.rules", "检查或测试规则文件"),
    "review": ("engine.commands.review", "记录对某一问题的人工审核决定（排除、确认、撤销），或列出、导出这些决定"),
    "history": ("engine.commands.history", "列出某一机关（或全部）的审核记录及问题数"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ogi-audit", description="政府信息公开工作年度报告审核工具")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (module_name, help_text) in COMMANDS.items():
        module = importlib.import_module(module_name)
        module.add_arguments(sub.add_parser(name, help=help_text, description=help_text))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    module = importlib.import_module(COMMANDS[args.command][0])
    try:
        return module.run(args)
    except (SourceError, RulesFolderError) as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

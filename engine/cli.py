"""``ogi-audit``: the command line. Each subcommand lives in ``engine/commands/<name>.py`` with
``add_arguments(parser)`` and ``run(args) -> int``; this module only dispatches.

Only the chosen command's module is imported: each imports what its command needs (durable-rules,
jinja2, SQLAlchemy for ``audit``), and importing them all made ``ogi-audit parse`` of one text report
spend a second before reading it. The other commands are listed from :data:`COMMANDS` alone.

Exit codes follow linters: 0 no error found, 1 errors found, 2 bad usage, bad input or bad rule files.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from .yamlsource import SourceError

#: Subcommand name → (module, one-line help).
COMMANDS = {
    "parse": ("engine.commands.parse", "读取一份年度报告并显示解析结果"),
    "audit": ("engine.commands.audit", "审核年度报告（文件或文件夹），输出问题清单"),
    "rules": ("engine.commands.rules", "检查或测试规则文件"),
    "review": ("engine.commands.review", "记录对某一问题的人工审核决定（排除、确认、撤销），或列出、导出这些决定"),
    "history": ("engine.commands.history", "列出某一机关（或全部）的审核记录及问题数"),
    "serve": ("engine.commands.serve", "启动网页版：各机关报送前自查，政务公开办公室批量审核、复核、发通知书、维护规则"),
    "users": ("engine.commands.users", "管理网页版的账号（新增、改密码、停用、列出）"),
}


def build_parser(command: str) -> argparse.ArgumentParser:
    """The parser with every command and its one-line help, and the arguments of ``command`` only
    (its module imported for them)."""
    parser = argparse.ArgumentParser(prog="ogi-audit", description="政府信息公开工作年度报告审核工具")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (module_name, help_text) in COMMANDS.items():
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        if name == command:
            importlib.import_module(module_name).add_arguments(command_parser)
    return parser


def _command(argv: list[str]) -> str:
    """The command ``argv`` names: its first word that is no option (the program has no option taking
    a value before the command). Not a command name (or none) leaves argparse to say what is wrong."""
    return next((word for word in argv if not word.startswith("-")), "")


def _folder_error(error: Exception) -> bool:
    # engine.rules.errors is imported only by a command that reads rules (importing it loads the rule
    # engine): where it was never imported, no RulesFolderError can have been raised.
    errors = sys.modules.get("engine.rules.errors")
    return errors is not None and isinstance(error, errors.RulesFolderError)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(_command(argv)).parse_args(argv)
    module = importlib.import_module(COMMANDS[args.command][0])
    try:
        return module.run(args)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        if not (isinstance(error, SourceError) or _folder_error(error)):
            raise
        print(f"错误：{error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

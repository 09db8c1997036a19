"""``ogi-audit users add NAME --role auditor|admin``, ``users password NAME``, ``users disable NAME``,
``users enable NAME`` and ``users list`` [--db URL]: the accounts of the web app's office pages
(engine.history.accounts).

The password is read from standard input, never from the command line (where other users of the
machine and the shell's history would see it): asked twice without echo on a terminal, else the first
line of the input, so that a set-up script can pipe it in. Exit status: 0 done, 2 bad usage, a bad name,
role or password, or a store that cannot be used.
"""
from __future__ import annotations

import argparse
import getpass
import sys

from ..history import ENVIRONMENT, default_path
from ..history.errors import HistoryError

DONE, BAD_INPUT = 0, 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..history.accounts import ROLES, SHORTEST_PASSWORD
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="新增账号（密码从标准输入读取）")
    add.add_argument("name", metavar="NAME", help="账号名")
    add.add_argument("--role", required=True, choices=list(ROLES),
                     help="角色：" + "，".join(f"{key} {name}" for key, name in ROLES.items())
                          + "（管理员还可以修改规则）")
    password = sub.add_parser("password", help=f"修改账号的密码（至少 {SHORTEST_PASSWORD} 个字符，从标准输入读取）")
    password.add_argument("name", metavar="NAME")
    for name, help_text in (("disable", "停用账号（审核记录中的姓名保留）"), ("enable", "重新启用账号")):
        sub.add_parser(name, help=help_text).add_argument("name", metavar="NAME")
    sub.add_parser("list", help="列出全部账号")
    for action in sub.choices.values():
        action.add_argument("--db", metavar="URL",
                            help=f"审核历史库（默认：环境变量 {ENVIRONMENT}，未设置时为 {default_path()}）")


def run(args: argparse.Namespace) -> int:
    from ..history.accounts import AccountError
    from ..history.store import HistoryStore
    try:
        store = HistoryStore.open(args.db)
    except HistoryError as error:
        print(error, file=sys.stderr)
        return BAD_INPUT
    try:
        return _act(store, args)
    except (AccountError, HistoryError) as error:
        print(error, file=sys.stderr)
        return BAD_INPUT
    finally:
        store.close()


def _act(store, args: argparse.Namespace) -> int:
    from ..history import accounts
    if args.action == "list":
        for account in store.read(lambda c: accounts.all_accounts(c, store.tables)):
            state = "（已停用）" if account.disabled else ""
            print(f"{account.name}\t{accounts.ROLES[account.role]}\t{account.created_at:%Y-%m-%d}{state}")
        return DONE
    if args.action in ("disable", "enable"):
        store.write(lambda c: accounts.set_disabled(c, store.tables, args.name, args.action == "disable"))
        print(f"账号“{args.name}”已{'停用' if args.action == 'disable' else '启用'}。")
        return DONE
    password = read_password()
    if args.action == "add":
        store.write(lambda c: accounts.add_account(c, store.tables, args.name, args.role, password))
        print(f"已新增账号“{args.name}”（{accounts.ROLES[args.role]}），记入 {store.name}。")
    else:
        store.write(lambda c: accounts.set_password(c, store.tables, args.name, password))
        print(f"账号“{args.name}”的密码已修改。")
    return DONE


def read_password() -> str:
    """The new password: typed twice without echo on a terminal, else the first line of stdin."""
    from ..history.accounts import AccountError
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("密码：")
    if getpass.getpass("再输入一次：") != first:
        raise AccountError("两次输入的密码不一致，账号未改动。")
    return first

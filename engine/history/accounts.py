"""Who may use the office's pages of the web app (engine.web): the store's ``accounts`` table.

A password is kept only as an argon2id hash (argon2-cffi: memory-hard, salted, its parameters in the
hash itself, so that stronger settings later still verify old hashes); a wrong name and a wrong
password are one answer, so that the login page does not tell which names exist. An account is never
deleted, only disabled: the history keeps the name of whoever reviewed or changed something.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

import regex
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, insert, select, update

from .reading import Tables

AUDITOR, ADMIN = "auditor", "admin"
#: Each role and what it is called on the pages.
ROLES = {AUDITOR: "审核人员", ADMIN: "管理员"}
#: The shortest password taken: an office's pages hold what agencies are told to fix.
SHORTEST_PASSWORD = 10
#: A name: letters (Chinese too), digits, ``.``, ``_``, ``-``; what ``--by`` of ``ogi-audit review`` takes.
NAME = regex.compile(r"[\p{L}\p{N}._-]{1,64}")

_HASHER = PasswordHasher()


class AccountError(ValueError):
    """An account that cannot be added or changed; ``str()`` says why and what to do, in Chinese."""


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    created_at: datetime
    disabled: bool

    @property
    def admin(self) -> bool:
        return self.role == ADMIN


def _checked(name: str, role: str, password: str) -> None:
    if not NAME.fullmatch(name):
        raise AccountError(f"账号名“{name}”不可用：只能由 1～64 个汉字、字母、数字或 . _ - 组成。")
    if role not in ROLES:
        raise AccountError(f"角色“{role}”不存在，请写 {' 或 '.join(ROLES)}（{'、'.join(ROLES.values())}）。")
    if len(password) < SHORTEST_PASSWORD:
        raise AccountError(f"密码太短：至少 {SHORTEST_PASSWORD} 个字符。")


def add_account(connection: Connection, t: Tables, name: str, role: str, password: str) -> Account:
    """A new account; AccountError for a bad name, role or password, or a name already taken."""
    _checked(name, role, password)
    accounts = t["accounts"]
    if connection.execute(select(accounts.c.name).where(accounts.c.name == name)).first() is not None:
        raise AccountError(f"账号“{name}”已存在；要改密码请用 ogi-audit users password {name}。")
    at = datetime.now(UTC)
    connection.execute(insert(accounts).values(name=name, role=role, password_hash=_HASHER.hash(password),
                                               created_at=at, disabled=False))
    return Account(name, role, at, False)


def set_password(connection: Connection, t: Tables, name: str, password: str) -> None:
    accounts = t["accounts"]
    account = find_account(connection, t, name)
    if account is None:
        raise AccountError(f"账号“{name}”不存在。")
    _checked(name, account.role, password)
    connection.execute(update(accounts).where(accounts.c.name == name).values(password_hash=_HASHER.hash(password)))


def set_disabled(connection: Connection, t: Tables, name: str, disabled: bool) -> None:
    accounts = t["accounts"]
    if find_account(connection, t, name) is None:
        raise AccountError(f"账号“{name}”不存在。")
    connection.execute(update(accounts).where(accounts.c.name == name).values(disabled=disabled))


def find_account(connection: Connection, t: Tables, name: str) -> Account | None:
    accounts = t["accounts"]
    row = connection.execute(select(accounts).where(accounts.c.name == name)).first()
    return None if row is None else Account(row.name, row.role, row.created_at, row.disabled)


def all_accounts(connection: Connection, t: Tables) -> list[Account]:
    accounts = t["accounts"]
    return [Account(row.name, row.role, row.created_at, row.disabled)
            for row in connection.execute(select(accounts).order_by(accounts.c.name))]


def logged_in(connection: Connection, t: Tables, name: str, password: str) -> Account | None:
    """The account ``name`` when ``password`` is its password and it is not disabled; else None. The
    hash is verified even for an unknown name, so that the answer takes as long either way."""
    accounts = t["accounts"]
    row = connection.execute(select(accounts).where(accounts.c.name == name)).first()
    stored = row.password_hash if row is not None else _unknown()
    try:
        _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or row.disabled:
        return None
    return Account(row.name, row.role, row.created_at, row.disabled)


@cache
def _unknown() -> str:
    """A hash of no account's password, verified for an unknown name."""
    return _HASHER.hash("ogi-audit: no such account")

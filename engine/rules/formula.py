"""The formula language of rule files: a tokenizer and a recursive-descent parser, nothing more.

A formula reads like the report (``总计 == 自然人 + 商业企业 + 其他``; ``本年新收 + 上年结转 ==
办理结果总计 + 结转下年度``). It is parsed here into a small tree and never handed to Python: no
``eval``, no ``exec``. Names are official labels or short names; a dotted name (``三.本年新收.总计``,
``上年.结转下年度``) is a path; a name with punctuation that would confuse the grammar (``1.属于国家秘密``,
``行政诉讼-复议后起诉``) is written in corner brackets: ``「1.属于国家秘密」``.

Grammar (lowest precedence first)::

    formula    := or
    or         := and ("or" and)*
    and        := comparison ("and" comparison)*
    comparison := sum (("==" | "!=" | "<=" | ">=" | "<" | ">") sum)?
    sum        := product (("+" | "-") product)*
    product    := unary ("*" INTEGER)*
    unary      := "-" unary | atom
    atom       := NUMBER | path | NAME "(" path ")" | "(" formula ")"
    path       := NAME ("." NAME)*

Multiplication is by a whole-number literal only, so that scaling amounts to integers stays exact;
there is no division.

A formula is bounded, so that no rule file can exhaust the parser or the evaluators (all recursive):
brackets and signs nest at most :data:`MAX_NESTING` deep, and a formula has at most :data:`MAX_OPERATORS`
operators, which bounds the depth of its tree.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

#: Functions a formula may call on a text value; each is computed by the check kind that offers it.
FUNCTIONS = ("sum",)

COMPARISONS = ("==", "!=", "<=", ">=", "<", ">")

#: Far beyond any formula a rule needs (the shipped rules nest two brackets and use a dozen operators).
MAX_NESTING = 32
MAX_OPERATORS = 100
_NOT_OPERATORS = ("(", ")", ".")


class FormulaError(ValueError):
    """A formula that cannot be parsed; ``offset`` is the 0-based character position of the problem."""

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


@dataclass(frozen=True)
class Num:
    value: Decimal


@dataclass(frozen=True)
class Ref:
    """A name or dotted path, resolved by the check kind against the format and the report."""

    path: tuple[str, ...]
    offset: int = 0

    @property
    def text(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True)
class Call:
    function: str
    argument: Ref
    offset: int = 0

    @property
    def text(self) -> str:
        return f"{self.function}({self.argument.text})"


@dataclass(frozen=True)
class Neg:
    operand: Node


@dataclass(frozen=True)
class Arith:
    op: str  # "+", "-", "*"
    left: Node
    right: Node


@dataclass(frozen=True)
class Compare:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Logic:
    op: str  # "and", "or"
    left: Node
    right: Node


Node = Num | Ref | Call | Neg | Arith | Compare | Logic

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<quoted>「[^」]*」)
  | (?P<number>\d+(?:\.\d+)?(?![^\s+\-*()<>=!.,「」]))
  | (?P<op>==|!=|<=|>=|<|>|\+|-|\*|\(|\)|\.)
  | (?P<name>[^\s+\-*()<>=!.,「」]+)
""", re.VERBOSE)


@dataclass(frozen=True)
class Token:
    kind: str  # "number", "name", "op", "end"
    text: str
    offset: int


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match:
            raise FormulaError(position, f"无法识别的字符“{text[position]}”")
        kind = match.lastgroup
        if kind == "quoted":
            tokens.append(Token("name", match.group()[1:-1], position))
        elif kind == "name" and match.group() in ("and", "or", "且", "或"):
            tokens.append(Token("op", {"且": "and", "或": "or"}.get(match.group(), match.group()), position))
        elif kind != "space":
            tokens.append(Token(kind, match.group(), position))
        position = match.end()
    tokens.append(Token("end", "", len(text)))
    operators = [t for t in tokens if t.kind == "op" and t.text not in _NOT_OPERATORS]
    if len(operators) > MAX_OPERATORS:
        raise FormulaError(operators[MAX_OPERATORS].offset,
                           f"公式的运算符超过 {MAX_OPERATORS} 个；请把它拆成几条规则")
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.index = 0
        self.nesting = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def take(self, *texts: str) -> Token | None:
        token = self.current
        if token.kind == "op" and token.text in texts:
            self.index += 1
            return token
        return None

    def expect(self, text: str) -> None:
        if not self.take(text):
            raise FormulaError(self.current.offset, f"此处应为“{text}”，而不是{self._describe()}")

    def _describe(self) -> str:
        token = self.current
        return "公式结尾" if token.kind == "end" else f"“{token.text}”"

    def formula(self) -> Node:
        node = self.logic("or", self.conjunction)
        if self.current.kind != "end":
            raise FormulaError(self.current.offset, f"公式在{self._describe()}处多出内容")
        return node

    def logic(self, op: str, operand) -> Node:
        node = operand()
        while self.take(op):
            node = Logic(op, node, operand())
        return node

    def conjunction(self) -> Node:
        return self.logic("and", self.comparison)

    def comparison(self) -> Node:
        left = self.sum()
        token = self.take(*COMPARISONS)
        if token is None:
            return left
        return Compare(token.text, left, self.sum())

    def sum(self) -> Node:
        node = self.product()
        while (token := self.take("+", "-")) is not None:
            node = Arith(token.text, node, self.product())
        return node

    def product(self) -> Node:
        node = self.unary()
        while self.take("*"):
            token = self.current
            if token.kind != "number" or "." in token.text:
                raise FormulaError(token.offset, "乘号后只能写整数（例如 * 2）")
            self.index += 1
            node = Arith("*", node, Num(Decimal(token.text)))
        return node

    def nested(self, parse):
        """``parse()`` one level deeper into brackets or signs, within :data:`MAX_NESTING`."""
        if self.nesting >= MAX_NESTING:
            raise FormulaError(self.tokens[self.index - 1].offset,
                               f"括号或负号嵌套超过 {MAX_NESTING} 层；请去掉多余的括号")
        self.nesting += 1
        node = parse()
        self.nesting -= 1
        return node

    def unary(self) -> Node:
        if self.take("-"):
            return Neg(self.nested(self.unary))
        return self.atom()

    def atom(self) -> Node:
        token = self.current
        if token.kind == "number":
            self.index += 1
            return Num(Decimal(token.text))
        if self.take("("):
            node = self.nested(lambda: self.logic("or", self.conjunction))
            self.expect(")")
            return node
        if token.kind == "name":
            path = self.path()
            if self.take("("):
                if len(path.path) != 1 or path.path[0] not in FUNCTIONS:
                    raise FormulaError(token.offset, f"未知函数“{path.text}”，可用：{'、'.join(FUNCTIONS)}")
                argument = self.path()
                self.expect(")")
                return Call(path.path[0], argument, token.offset)
            return path
        raise FormulaError(token.offset, f"此处应为名称或数字，而不是{self._describe()}")

    def path(self) -> Ref:
        start = self.current
        if start.kind != "name":
            raise FormulaError(start.offset, f"此处应为名称，而不是{self._describe()}")
        self.index += 1
        names = [start.text]
        while self.take("."):
            token = self.current
            if token.kind not in ("name", "number"):
                raise FormulaError(token.offset, f"“.”之后应为名称，而不是{self._describe()}")
            self.index += 1
            names.append(token.text)
        return Ref(tuple(names), start.offset)


def parse(text: str) -> Node:
    """Parse a formula; raises :class:`FormulaError` with the offending position."""
    return _Parser(str(text)).formula()


def refs(node: Node) -> list[Ref | Call]:
    """Every name and function call the formula reads, left to right."""
    if isinstance(node, (Ref, Call)):
        return [node]
    if isinstance(node, Num):
        return []
    if isinstance(node, Neg):
        return refs(node.operand)
    return refs(node.left) + refs(node.right)


def is_condition(node: Node) -> bool:
    """Whether the formula states something true or false (a comparison), not just a number."""
    return isinstance(node, (Compare, Logic))

"""The template's formulas evaluated end to end without Excel, with the real EQL_ functions.

A small evaluator of our own reads the template as openpyxl wrote it and resolves every reference
the way Excel hands it to an xlwings function: a range as a list of rows, a single cell as a bare
value, dates as serial numbers (as from a cell not formatted as a date), blanks as None. It knows
the structured references the template uses (``Draws[[#This Row],[Col]]``, ``[#Headers]``,
``[#All]``, column spans), the range operator, and the handful of native functions the template
calls. An unknown function or reference fails the test: the evaluator never guesses.

The scenario's answers are worked by hand from the term sheet and the XNAS calendar (comments
give the working); none is computed by eql.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from openpyxl.utils import column_index_from_string, range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.formula import ArrayFormula

from eql import functions, udfs
from eql.terms import default_terms
from eql.workbook.template import SCHEDULE_COLUMNS, build_template

EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 for every date after 1900-02-28


def serial(day: dt.date) -> float:
    return float((day - EPOCH).days)


def day_of(value: Any) -> dt.date:
    assert isinstance(value, float), value
    return EPOCH + dt.timedelta(days=int(value))


# --- the evaluator -------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    sheet: str
    top: int
    left: int
    bottom: int
    right: int


@dataclass(frozen=True)
class Table:
    sheet: str
    top: int  # the header row
    left: int
    bottom: int
    columns: tuple[str, ...]

    def column(self, name: str) -> int:
        wanted = name.strip().lower()
        names = [c.lower() for c in self.columns]
        assert wanted in names, f"no column {name!r} in {self.columns}"
        return self.left + names.index(wanted)


TOKEN = re.compile(
    r"""\s*(?:
    (?P<string>"(?:[^"]|"")*")
  | (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<structured>[A-Za-z_][\w.]*\[(?:[^\[\]]|\[[^\[\]]*\])*\])
  | (?P<function>[A-Za-z_][\w.]*)\(
  | (?P<cell>(?:(?P<sheet>[A-Za-z_][\w.]*|'[^']+')!)?\$?[A-Z]{1,3}\$?\d+)
  | (?P<name>[A-Za-z_][\w.]*)
  | (?P<op><=|>=|<>|[-+*/^&=<>:,()])
)""",
    re.VERBOSE,
)


def tokenize(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        match = TOKEN.match(text, position)
        assert match, f"cannot read {text[position:]!r}"
        assert match.end() > position, f"cannot read {text[position:]!r}"
        kind = match.lastgroup
        if kind == "sheet":
            kind = "cell"
        assert kind is not None
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


BINARY = {
    ":": 60,
    "*": 40,
    "/": 40,
    "+": 30,
    "-": 30,
    "&": 20,
    "=": 10,
    "<>": 10,
    "<": 10,
    ">": 10,
    "<=": 10,
    ">=": 10,
}


class Parser:
    """A Pratt parser into tuples: ("num", x), ("str", s), ("ref", text), ("call", name, args) ..."""

    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.at = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def parse(self) -> Any:
        tree = self.expression(0)
        assert self.peek() is None, f"left over: {self.tokens[self.at :]}"
        return tree

    def expression(self, strength: int) -> Any:
        left = self.operand()
        while True:
            token = self.peek()
            if token is None or token[0] != "op" or token[1] not in BINARY:
                return left
            power = BINARY[token[1]]
            if power <= strength:
                return left
            self.take()
            left = ("op", token[1], left, self.expression(power))

    def operand(self) -> Any:
        kind, text = self.take()
        if kind == "op" and text == "-":
            return ("neg", self.expression(45))
        if kind == "op" and text == "(":
            inner = self.expression(0)
            assert self.take() == ("op", ")")
            return inner
        if kind == "number":
            return ("num", float(text))
        if kind == "string":
            return ("str", text[1:-1].replace('""', '"'))
        if kind == "function":
            args = []
            if self.peek() != ("op", ")"):
                while True:
                    args.append(self.expression(0))
                    if self.take() == ("op", ")"):
                        break
            else:
                self.take()
            return ("call", text.upper(), args)
        if kind == "name" and text.upper() in {"TRUE", "FALSE"}:
            return ("bool", text.upper() == "TRUE")
        assert kind in {"cell", "structured", "name"}, (kind, text)
        return (kind, text)


class Evaluator:
    """Values of a workbook's formulas, computed on demand and remembered."""

    def __init__(self, book: Workbook, today: dt.date) -> None:
        self.book = book
        self.today = today
        self.values: dict[tuple[str, int, int], Any] = {}
        self.busy: set[tuple[str, int, int]] = set()
        self.tables: dict[str, Table] = {}
        self.arrays: dict[tuple[str, int, int], tuple[Ref, str]] = {}
        for sheet in book.worksheets:
            for table in sheet.tables.values():
                left, top, right, bottom = range_boundaries(table.ref)
                names = tuple(str(sheet.cell(top, c).value) for c in range(left, right + 1))
                self.tables[table.displayName.lower()] = Table(
                    sheet.title, top, left, bottom, names
                )
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, ArrayFormula):
                        left, top, right, bottom = range_boundaries(cell.value.ref)
                        area = Ref(sheet.title, top, left, bottom, right)
                        for r in range(top, bottom + 1):
                            for c in range(left, right + 1):
                                self.arrays[(sheet.title, r, c)] = (area, cell.value.text)

    # cells

    def value(self, sheet: str, row: int, column: int) -> Any:
        key = (sheet, row, column)
        if key in self.values:
            return self.values[key]
        assert key not in self.busy, f"circular reference at {key}"
        self.busy.add(key)
        if key in self.arrays:
            area, text = self.arrays[key]
            result = self.formula(text, sheet, area.top, area.left)
            grid = result if isinstance(result, list) else [[result]]
            for r in range(area.top, area.bottom + 1):
                for c in range(area.left, area.right + 1):
                    i, j = r - area.top, c - area.left
                    inside = i < len(grid) and j < len(grid[i])
                    self.values[(sheet, r, c)] = scalar(grid[i][j]) if inside else "#N/A"
        else:
            raw = self.book[sheet].cell(row, column).value
            if isinstance(raw, str) and raw.startswith("="):
                result = self.deref(self.formula(raw, sheet, row, column))
                assert not isinstance(result, list), f"{key} gives an array: {result}"
                self.values[key] = scalar(result)
            else:
                self.values[key] = scalar(raw)
        self.busy.discard(key)
        return self.values[key]

    def formula(self, text: str, sheet: str, row: int, column: int) -> Any:
        tree = Parser(text[1:] if text.startswith("=") else text).parse()
        return self.evaluate(tree, (sheet, row, column))

    # expressions

    def evaluate(self, tree: Any, here: tuple[str, int, int]) -> Any:
        kind = tree[0]
        if kind in {"num", "str", "bool"}:
            return tree[1]
        if kind == "neg":
            return -number(self.deref(self.evaluate(tree[1], here)))
        if kind == "cell":
            return self.cell_ref(tree[1], here)
        if kind == "structured":
            return self.structured(tree[1], here)
        if kind == "name":
            table = self.tables.get(tree[1].lower())
            assert table is not None, f"unknown name {tree[1]}"
            return Ref(
                table.sheet,
                table.top + 1,
                table.left,
                table.bottom,
                table.left + len(table.columns) - 1,
            )
        if kind == "op":
            return self.operator(tree[1], tree[2], tree[3], here)
        if kind == "call":
            return self.call(tree[1], tree[2], here)
        raise AssertionError(tree)

    def cell_ref(self, text: str, here: tuple[str, int, int]) -> Ref:
        sheet, _, address = text.rpartition("!")
        sheet = sheet.strip("'") or here[0]
        match = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", address)
        assert match, text
        column, row = column_index_from_string(match.group(1)), int(match.group(2))
        return Ref(sheet, row, column, row, column)

    def structured(self, text: str, here: tuple[str, int, int]) -> Ref:
        name, _, inside = text.partition("[")
        table = self.tables.get(name.lower())
        assert table is not None, f"unknown table {name}"
        inside = inside[:-1]
        parts = re.findall(r"\[([^\[\]]*)\]", inside) if inside.startswith("[") else [inside]
        top, bottom = table.top + 1, table.bottom
        columns: list[str] = []
        for part in parts:
            if part == "#This Row":
                assert here[0] == table.sheet, here
                assert table.top < here[1] <= table.bottom, here
                top = bottom = here[1]
            elif part == "#Headers":
                top = bottom = table.top
            elif part == "#All":
                top, bottom = table.top, table.bottom
            elif part == "#Data":
                pass
            else:
                assert not part.startswith("#"), f"unknown specifier {part}"
                columns.append(part)
        if not columns:
            left, right = table.left, table.left + len(table.columns) - 1
        else:
            left, right = table.column(columns[0]), table.column(columns[-1])
        return Ref(table.sheet, top, left, bottom, right)

    def deref(self, value: Any) -> Any:
        """A value where a single value is wanted: a one-cell range becomes its value."""
        if isinstance(value, Ref):
            assert value.top == value.bottom, f"range {value} as a value"
            assert value.left == value.right, f"range {value} as a value"
            return self.value(value.sheet, value.top, value.left)
        return value

    def grid(self, value: Any) -> list[list[Any]]:
        if isinstance(value, Ref):
            return [
                [self.value(value.sheet, r, c) for c in range(value.left, value.right + 1)]
                for r in range(value.top, value.bottom + 1)
            ]
        if isinstance(value, list):
            return value
        return [[value]]

    def flat(self, values: list[Any]) -> list[Any]:
        return [cell for value in values for row in self.grid(value) for cell in row]

    def operator(self, op: str, left_tree: Any, right_tree: Any, here: tuple[str, int, int]) -> Any:
        left = self.evaluate(left_tree, here)
        right = self.evaluate(right_tree, here)
        if op == ":":
            assert isinstance(left, Ref), left
            assert isinstance(right, Ref), right
            assert left.sheet == right.sheet
            return Ref(
                left.sheet,
                min(left.top, right.top),
                min(left.left, right.left),
                max(left.bottom, right.bottom),
                max(left.right, right.right),
            )
        a, b = self.deref(left), self.deref(right)
        for side in (a, b):
            if is_error(side):
                return side
        if op == "&":
            return text_of(a) + text_of(b)
        if op in {"=", "<>", "<", ">", "<=", ">="}:
            return compare(op, a, b)
        x, y = number(a), number(b)
        arithmetic = {
            "+": operator.add,
            "-": operator.sub,
            "*": operator.mul,
            "/": operator.truediv,
        }
        return arithmetic[op](x, y)

    def call(self, name: str, trees: list[Any], here: tuple[str, int, int]) -> Any:
        if name == "IF":
            condition = self.deref(self.evaluate(trees[0], here))
            if is_error(condition):
                return condition
            chosen = (
                trees[1] if truth(condition) else (trees[2] if len(trees) > 2 else ("bool", False))
            )
            return self.evaluate(chosen, here)
        args = [self.evaluate(tree, here) for tree in trees]
        if name.startswith("EQL_"):
            return self.udf(name, args)
        native: dict[str, Callable[[list[Any], tuple[str, int, int]], Any]] = {
            "AND": lambda a, _: self.logical(a, all),
            "OR": lambda a, _: self.logical(a, any),
            "ISNUMBER": lambda a, _: (
                isinstance(self.deref(a[0]), float) and not isinstance(self.deref(a[0]), bool)
            ),
            "ROW": lambda a, h: float(a[0].top if a else h[1]),
            "INDEX": self.index,
            "MATCH": self.match,
            "MIN": lambda a, _: self.extreme(a, min),
            "MAX": lambda a, _: self.extreme(a, max),
            "SUM": lambda a, _: sum(n for n in self.flat(a) if is_number(n)),
            "COUNTIF": lambda a, _: float(
                sum(1 for n in self.flat([a[0]]) if meets(n, self.deref(a[1])))
            ),
            "SUMIFS": self.sumifs,
            "TODAY": lambda _a, _h: serial(self.today),
        }
        assert name in native, f"the evaluator does not know {name}"
        return native[name](args, here)

    def logical(self, args: list[Any], combine: Callable[[list[bool]], bool]) -> Any:
        cells = [
            c for c in self.flat(args) if (c is not None and not isinstance(c, str)) or is_error(c)
        ]
        errors = [c for c in cells if is_error(c)]
        return errors[0] if errors else combine([truth(c) for c in cells])

    def extreme(self, args: list[Any], pick: Callable[[list[float]], float]) -> Any:
        cells = self.flat(args)
        errors = [c for c in cells if is_error(c)]
        if errors:
            return errors[0]
        numbers = [c for c in cells if is_number(c)]
        return pick(numbers) if numbers else 0.0

    def index(self, args: list[Any], _here: tuple[str, int, int]) -> Any:
        source = args[0]
        row = int(number(self.deref(args[1])))
        column = int(number(self.deref(args[2]))) if len(args) > 2 else 1
        if isinstance(source, Ref):
            if source.left == source.right and len(args) == 2:
                column = 1
            assert 1 <= row <= source.bottom - source.top + 1, (source, row)
            return Ref(
                source.sheet,
                source.top + row - 1,
                source.left + column - 1,
                source.top + row - 1,
                source.left + column - 1,
            )
        if is_error(source):
            return source
        return self.grid(source)[row - 1][column - 1]

    def match(self, args: list[Any], _here: tuple[str, int, int]) -> Any:
        wanted = self.deref(args[0])
        assert len(args) == 3, "only exact MATCH"
        assert number(self.deref(args[2])) == 0, "only exact MATCH"
        for position, cell in enumerate(self.flat([args[1]]), start=1):
            if compare("=", cell, wanted):
                return float(position)
        return "#N/A"

    def sumifs(self, args: list[Any], _here: tuple[str, int, int]) -> Any:
        totals = self.flat([args[0]])
        keep = [True] * len(totals)
        for criteria_range, criterion in zip(args[1::2], args[2::2], strict=True):
            cells = self.flat([criteria_range])
            keep = [k and meets(c, self.deref(criterion)) for k, c in zip(keep, cells, strict=True)]
        return sum(t for t, k in zip(totals, keep, strict=True) if k and is_number(t))

    def udf(self, name: str, args: list[Any]) -> Any:
        """Call the real function with the arguments as xlwings passes them."""
        function = getattr(udfs, name)
        passed = []
        for arg in args:
            if isinstance(arg, Ref):
                single = arg.top == arg.bottom and arg.left == arg.right
                passed.append(self.deref(arg) if single else self.grid(arg))
            else:
                passed.append(arg)
        return scalar(function(*passed))


def scalar(value: Any) -> Any:
    """A cell value as the evaluator holds it: numbers and dates as floats."""
    if isinstance(value, list):
        return [[scalar(cell) for cell in row] for row in value]
    if isinstance(value, bool) or value is None or isinstance(value, str | float):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, dt.datetime):
        return serial(value.date())
    if isinstance(value, dt.date):
        return serial(value)
    raise AssertionError(f"unexpected cell value {value!r}")


def is_error(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("#")


def is_number(value: Any) -> bool:
    return isinstance(value, float) and not isinstance(value, bool)


def number(value: Any) -> float:
    if value is None or value == "":
        return 0.0
    if isinstance(value, bool):
        return float(value)
    assert isinstance(value, float), f"not a number: {value!r}"
    return value


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def truth(value: Any) -> bool:
    if isinstance(value, str):
        raise AssertionError(f"text {value!r} used as a condition")
    return bool(value)


def compare(op: str, a: Any, b: Any) -> bool:
    # Excel: a blank equals "" and 0; text sorts after every number; text compares without case.
    if a is None:
        a = "" if isinstance(b, str) else 0.0
    if b is None:
        b = "" if isinstance(a, str) else 0.0
    if isinstance(a, str) != isinstance(b, str):
        order = -1 if isinstance(b, str) else 1  # a number is less than any text
        outcome = {"=": False, "<>": True, "<": order < 0, ">": order > 0}
        return outcome.get(op, order < 0 if op == "<=" else order > 0)
    if isinstance(a, str):
        a, b = a.lower(), b.lower()
    return {"=": a == b, "<>": a != b, "<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]


def meets(cell: Any, criterion: Any) -> bool:
    """COUNTIF/SUMIFS criteria: a number, text, or an operator before a number."""
    if is_number(criterion):
        return is_number(cell) and cell == criterion
    match = re.fullmatch(r"(<=|>=|<>|<|>|=)?(.*)", str(criterion))
    assert match
    op, operand = match.group(1) or "=", match.group(2)
    try:
        target: Any = float(operand)
    except ValueError:
        return isinstance(cell, str) and compare(op, cell, operand)
    return is_number(cell) and compare(op, cell, target)


# --- the scenario ------------------------------------------------------------------------

D = dt.date
PRICES = [
    # purchase 2002-04-02: pricing sessions 03-25, 03-26, 03-27, 03-28, 04-01 (Good Friday
    # 03-29 closed): mean 2.50, price 0.85 x 2.50 = 2.125 (worked_examples.md)
    (D(2002, 3, 25), 2.40),
    (D(2002, 3, 26), 2.50),
    (D(2002, 3, 27), 2.60),
    (D(2002, 3, 28), 2.45),
    (D(2002, 4, 1), 2.55),
    # purchase 2002-07-08: sessions 06-28, 07-01, 07-02, 07-03, 07-05 (07-04 closed); 2.24 each:
    # price 1.904, and 1,904,000 / 1.904 is exactly 1,000,000 shares (the float trap)
    *(
        (day, 2.24)
        for day in (D(2002, 6, 28), D(2002, 7, 1), D(2002, 7, 2), D(2002, 7, 3), D(2002, 7, 5))
    ),
    # purchase 2002-10-01 (Tue): sessions 09-24 .. 09-30, no holiday: mean 2.20, price 1.87
    (D(2002, 9, 24), 2.00),
    (D(2002, 9, 25), 2.10),
    (D(2002, 9, 26), 2.20),
    (D(2002, 9, 27), 2.30),
    (D(2002, 9, 30), 2.40),
    # purchase 2003-01-02 (Thu): sessions 12-24, 12-26, 12-27, 12-30, 12-31 (12-25 closed)
    *(
        (day, 2.00)
        for day in (
            D(2002, 12, 24),
            D(2002, 12, 26),
            D(2002, 12, 27),
            D(2002, 12, 30),
            D(2002, 12, 31),
        )
    ),
    # nothing for 2002-05-01's sessions (04-24 .. 04-30): its price is #N/A
]
DRAWS = [
    (D(2002, 4, 2), 5_000_000.0, "first draw"),
    (D(2002, 5, 1), 1_000_000.0, "term quarter 1 is full"),
    (D(2002, 7, 8), 1_904_000.0, "float trap"),
    (D(2002, 10, 1), 1_870_000.0, "condition (ii) met on 09-25"),
    (D(2003, 1, 2), 500_000.0, "no license yet"),
]
CASH_USED = [
    ("FY2003 Q1", 6_000_000.0),
    ("FY2003 Q2", 4_000_000.0),
    ("FY2003 Q3", 4_000_000.0),
    ("FY2003 Q4", 4_000_000.0),
]
MILESTONES = {"POLYMER_265": D(2002, 8, 20), "SAMPLES_30": D(2002, 9, 25)}
# after a 2,000,000 third-party financing the investor elects 3,000,000: 2,000,000 is in force
REDUCTIONS = [(D(2002, 12, 1), 2_000_000.0, 3_000_000.0)]

LEGEND = "Restricted: may not be sold or transferred unless registered or exempt from registration"
REGISTRATION = (
    "Amend the registration rights agreement to add the line's shares as registrable securities"
)

# Row by row, worked by hand (room: term quarter 5M; cash used x 100 % / 100 % / 75 % / 50 %;
# 30M commitment less reductions; rows funded above count, blocked rows fund nothing).
EXPECTED = [
    {
        "Fiscal quarter": "FY2003 Q1",
        "Term quarter": 1.0,
        "First pricing date": D(2002, 3, 25),
        "Last pricing date": D(2002, 4, 1),
        "Average close": 2.5,
        "Price": 2.125,
        "Cap": 5_000_000.0,  # min(5M quarter, 6M cash used, 30M)
        "Check": "OK",
        "Amount funded": 5_000_000.0,
        "Shares": 2_352_941.0,  # 5,000,000 / 2.125 = 2,352,941.18
        "Restricted legend": LEGEND,
        "Registration rights": REGISTRATION,
    },
    {
        "Fiscal quarter": "FY2003 Q1",
        "Term quarter": 1.0,
        "First pricing date": D(2002, 4, 24),
        "Last pricing date": D(2002, 4, 30),
        "Average close": "#N/A no closing price for 2002-04-24 (pricing session 1 of 5)",
        "Price": "#N/A no closing price for 2002-04-24 (pricing session 1 of 5)",
        "Cap": 0.0,  # 5M of term quarter 1 already funded
        "Check": "BLOCKED: term-quarter limit exceeded: 1,000,000 asked, 0 room left "
        "(5,000,000 in term quarter 1 (2002-04-01 .. 2002-06-30), 5,000,000 already funded)",
        "Amount funded": 0.0,
        "Shares": 0.0,
        "Restricted legend": "",
        "Registration rights": "",
    },
    {
        "Fiscal quarter": "FY2003 Q2",
        "Term quarter": 2.0,
        "First pricing date": D(2002, 6, 28),
        "Last pricing date": D(2002, 7, 5),
        "Average close": 2.24,
        "Price": 1.904,
        "Cap": 4_000_000.0,  # 100 % of 4M cash used in FY2003 Q2
        "Check": "OK",
        "Amount funded": 1_904_000.0,
        "Shares": 1_000_000.0,
        "Restricted legend": LEGEND,
        "Registration rights": "",  # not the first draw
    },
    {
        "Fiscal quarter": "FY2003 Q3",
        "Term quarter": 3.0,
        "First pricing date": D(2002, 9, 24),
        "Last pricing date": D(2002, 9, 30),
        "Average close": 2.2,
        "Price": 1.87,
        "Cap": 3_000_000.0,  # 75 % of 4M in FY2003 Q3
        "Check": "OK",
        "Amount funded": 1_870_000.0,
        "Shares": 1_000_000.0,  # 1,870,000 / 1.87
        "Restricted legend": LEGEND,
        "Registration rights": "",
    },
    {
        "Fiscal quarter": "FY2003 Q4",
        "Term quarter": 4.0,
        "First pricing date": D(2002, 12, 24),
        "Last pricing date": D(2002, 12, 31),
        "Average close": 2.0,
        "Price": 1.7,
        "Cap": 2_000_000.0,  # 50 % of 4M in FY2003 Q4 (the 2M reduction leaves 19.226M in total)
        "Check": "BLOCKED: (iii) license agreement with an unaffiliated party needed for funding "
        "after 2002-12-31: LICENSE not reached",
        "Amount funded": 0.0,
        "Shares": 0.0,
        "Restricted legend": "",
        "Registration rights": "",
    },
]


def fill(book: Workbook) -> None:
    """Type the scenario into the empty template's input tables, as a user would."""
    first = 4  # the row below each table's header
    prices = book["Prices"]
    for offset, (day, close) in enumerate(PRICES):
        prices.cell(first + offset, 1, day)
        prices.cell(first + offset, 2, close)
    prices.tables["Prices"].ref = f"A3:B{first + len(PRICES) - 1}"  # the table grows as pasted
    draws = book["Draws"]
    for offset, (day, amount, note) in enumerate(DRAWS):
        draws.cell(first + offset, 1, day)
        draws.cell(first + offset, 2, amount)
        draws.cell(first + offset, 3, note)
    cash = book["CashUsed"]
    for offset, (quarter, amount) in enumerate(CASH_USED):
        cash.cell(first + offset, 1, quarter)
        cash.cell(first + offset, 2, amount)
    milestones = book["Milestones"]
    for row in range(first, first + 6):
        key = milestones.cell(row, 1).value
        if key in MILESTONES:
            milestones.cell(row, 2, MILESTONES[key])
    reductions = book["Reductions"]
    for offset, (day, third_party, elected) in enumerate(REDUCTIONS):
        reductions.cell(first + offset, 1, day)
        reductions.cell(first + offset, 2, third_party)
        reductions.cell(first + offset, 3, elected)


@pytest.fixture(scope="module")
def filled() -> Workbook:
    book = build_template(default_terms())
    fill(book)
    return book


def draw_columns(book: Workbook) -> dict[str, int]:
    sheet = book["Draws"]
    return {str(sheet.cell(3, c).value): c for c in range(1, sheet.max_column + 1)}


@pytest.mark.parametrize("index", range(len(EXPECTED)))
def test_draws_rows(filled: Workbook, index: int) -> None:
    evaluator = Evaluator(filled, today=D(2026, 1, 1))
    columns = draw_columns(filled)
    row = 4 + index
    for name, expected in EXPECTED[index].items():
        got = evaluator.value("Draws", row, columns[name])
        if isinstance(expected, dt.date):
            got = day_of(got)
        assert got == expected, f"Draws row {row} {name}"
    assert day_of(evaluator.value("Draws", row, columns["Funded on"])) == DRAWS[index][0]


def test_spare_draw_rows_stay_blank(filled: Workbook) -> None:
    evaluator = Evaluator(filled, today=D(2026, 1, 1))
    columns = draw_columns(filled)
    sheet = filled["Draws"]
    last = range_boundaries(sheet.tables["Draws"].ref)[3]
    for row in range(4 + len(DRAWS), last + 1):
        for name, column in columns.items():
            if name not in {"Funding date", "Amount requested", "Notes"}:
                assert evaluator.value("Draws", row, column) == "", (row, name)


def summary_values(book: Workbook, evaluator: Evaluator) -> dict[str, Any]:
    sheet = book["Summary"]
    return {
        str(sheet.cell(row, 1).value): evaluator.value("Summary", row, 2) for row in range(4, 14)
    }


def test_summary_on_a_date(filled: Workbook) -> None:
    filled["Summary"]["B4"] = D(2002, 12, 31)  # the user types an as-of date
    try:
        evaluator = Evaluator(filled, today=D(2026, 1, 1))
        values = summary_values(filled, evaluator)
    finally:
        filled["Summary"]["B4"] = build_template(default_terms())["Summary"]["B4"].value
    assert values == {
        "As of": serial(D(2002, 12, 31)),
        "Commitment": 30_000_000.0,
        "Requested": 10_274_000.0,  # 5M + 1M + 1.904M + 1.87M + 0.5M
        "Funded by the as-of date": 8_774_000.0,  # 5M + 1.904M + 1.87M
        "Reductions in force": 2_000_000.0,  # min(3M elected, 2M third party, 21.226M unfunded)
        "Remaining commitment": 19_226_000.0,  # 30M - 2M - 8.774M
        # FY2003 Q3: 75 % x 4M - 1.87M = 1.13M, below term quarter 3's 3.13M and 19.226M
        "Room on the as-of date": 1_130_000.0,
        "What binds": "binds: (v) cash used in operations",
        "Draws blocked": 2.0,
        "Conditions on the as-of date": "OK",  # (ii) met on 09-25; (iii) only after 12-31
    }


def test_summary_as_of_defaults_to_today_within_the_term(filled: Workbook) -> None:
    during = Evaluator(filled, today=D(2003, 2, 14))
    after = Evaluator(filled, today=D(2026, 1, 1))
    assert during.value("Summary", 4, 2) == serial(D(2003, 2, 14))
    assert after.value("Summary", 4, 2) == serial(D(2004, 3, 31))  # the term's last day
    # On 2004-03-31: condition (iii) needs LICENSE and (iv) MFG_420, neither reached.
    status = after.value("Summary", 13, 2)
    assert status.startswith("BLOCKED: (iii)")
    assert "(iv)" in status


def test_schedule_sheet(filled: Workbook) -> None:
    assert len(functions.SCHEDULE_HEADER) == SCHEDULE_COLUMNS
    evaluator = Evaluator(filled, today=D(2026, 1, 1))
    header = [evaluator.value("Schedule", 2, c) for c in range(1, SCHEDULE_COLUMNS + 1)]
    assert header == list(functions.SCHEDULE_HEADER)
    funded = header.index("amount funded") + 1
    shares = header.index("shares") + 1
    got = [
        (evaluator.value("Schedule", 3 + i, funded), evaluator.value("Schedule", 3 + i, shares))
        for i in range(len(DRAWS))
    ]
    no_price = EXPECTED[1]["Price"]  # a request without a price shows why, even when blocked
    assert got == [
        (5_000_000.0, 2_352_941.0),
        (0.0, no_price),
        (1_904_000.0, 1_000_000.0),
        (1_870_000.0, 1_000_000.0),
        (0.0, 0.0),
    ]

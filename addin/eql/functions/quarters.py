"""Which quarter a date falls in: the company's fiscal quarter, and the quarter of the term."""

from __future__ import annotations

from typing import Any

from eql.functions.arguments import TERMS, terms_of
from eql.functions.declaration import Param, declare
from eql.quarters import fiscal_quarter, term_quarter
from eql.values import parse_date


@declare(
    "The company's fiscal quarter of a date, such as FY2003 Q1.",
    Param("day", "Any date"),
    TERMS,
)
def EQL_FISCAL_QUARTER(day: Any, terms: Any = None) -> Any:
    return fiscal_quarter(parse_date(day, "day"), terms_of(terms)).label


@declare(
    "The quarter of the term a date falls in, counting from 1 at the start of the term.",
    Param("day", "A date inside the term"),
    TERMS,
)
def EQL_TERM_QUARTER(day: Any, terms: Any = None) -> Any:
    return term_quarter(parse_date(day, "day"), terms_of(terms)).number

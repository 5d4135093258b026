"""Each vocabulary of the terms is declared once, and every place that implements it covers it.

A kind added to a vocabulary without its implementation, or an implementation of a word no
vocabulary declares, must stop eql when the module loads, naming both; and a terms file that
names a word outside a vocabulary is refused naming the key and every word allowed.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path

import pytest

from eql import (
    caps,
    conditions,
    market,
    price_history,
    pricing,
    purchase_limits,
    share_caps,
    vocabulary,
)
from eql.errors import TermsError
from eql.market import MarketColumn
from eql.terms import default_terms
from eql.vocabulary import (
    ConditionKind,
    LimitKind,
    LimitPrice,
    Period,
    PriceSeries,
    PricingRuleKind,
    PricingWindow,
    PurchaseKind,
    Rounding,
    ShareCapKind,
    VocabularyError,
    registry,
)
from eql.workbook import roundings
from eql.workbook.pack import conditions as pack_conditions
from eql.workbook.pack import draws as pack_draws
from eql.workbook.pack import limits as pack_limits

PACKAGE = Path(__file__).parents[1] / "addin" / "eql"

# Every place in the engine that implements a vocabulary. The template and packs' check formulas
# (one per rounding, per limit kind) are tied in by their own tests through the same registry.
IMPLEMENTATIONS: list[tuple[type[StrEnum], Mapping[object, object]]] = [
    (PricingRuleKind, pricing._RULES),
    (PricingWindow, pricing._WINDOWS),
    (PriceSeries, price_history._MISSING),
    (MarketColumn, market.HEADINGS),
    (MarketColumn, market.DESCRIPTIONS),
    (LimitKind, market._LIMIT_COLUMNS),
    (Rounding, pricing._DECIMAL_MODES),
    (Rounding, pricing._SHARE_ROUNDING),
    (LimitKind, caps.LIMIT_KINDS),
    (Period, caps.PERIODS),
    (ConditionKind, conditions.CONDITION_KINDS),
    (Rounding, roundings.TO_WHOLE),
    (LimitKind, pack_limits.ALLOWED_CHECKS),
    (PricingRuleKind, pack_draws.RULE_CHECKS),
    (ConditionKind, pack_conditions.STATUS_CHECKS),
    (ShareCapKind, share_caps._ROOMS),
    (LimitPrice, purchase_limits._LIMIT_AT),
    (PurchaseKind, pricing._QUOTES),
    (PurchaseKind, purchase_limits._MOST),
]


@pytest.mark.parametrize(("words", "table"), IMPLEMENTATIONS)
def test_every_word_has_its_implementation(
    words: type[StrEnum], table: Mapping[object, object]
) -> None:
    assert set(table) == set(words)


def test_every_vocabulary_is_implemented_somewhere() -> None:
    assert {words for words, _ in IMPLEMENTATIONS} == set(vocabulary.VOCABULARIES)


def test_no_vocabulary_is_typed_as_a_set_elsewhere() -> None:
    # The words live in eql.vocabulary only: no module spells a vocabulary's word list again.
    for words in vocabulary.VOCABULARIES:
        spelled = {word.value for word in words}
        if len(spelled) < 2:
            continue
        for module in PACKAGE.rglob("*.py"):
            for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Set | ast.Tuple | ast.List):
                    texts = {
                        e.value
                        for e in node.elts
                        if isinstance(e, ast.Constant) and isinstance(e.value, str)
                    }
                    assert not spelled <= texts, f"{module.name} spells {words.__name__} again"


def test_a_missing_implementation_stops_the_module_loading() -> None:
    with pytest.raises(VocabularyError, match=r"caps\.X: no implementation of cash_used"):
        registry(LimitKind, {LimitKind.PER_PERIOD: 1, LimitKind.COMMITMENT: 2}, "caps.X")


def test_an_undeclared_word_stops_the_module_loading() -> None:
    table = dict.fromkeys(Rounding, 0) | {"nearest": 0}
    with pytest.raises(VocabularyError, match="nearest not declared in Rounding"):
        registry(Rounding, table, "pricing share rounding")  # type: ignore[arg-type]


def test_a_kind_added_without_implementation_fails_at_import(tmp_path: Path) -> None:
    # A copy of the engine whose LimitKind gained a word that nothing implements: importing caps
    # fails, naming the first table it loads (the market columns each limit kind reads) and the
    # word, before any cell is computed.
    copy = tmp_path / "eql"
    copy.mkdir()
    for module in PACKAGE.glob("*.py"):
        (copy / module.name).write_text(module.read_text(encoding="utf-8"), encoding="utf-8")
    source = (copy / "vocabulary.py").read_text(encoding="utf-8")
    (copy / "vocabulary.py").write_text(
        source.replace(
            'CASH_USED = "cash_used"\n', 'CASH_USED = "cash_used"\n    SHARES = "shares"\n'
        ),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-c", "import eql.caps"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(tmp_path)},
    )
    assert result.returncode != 0
    assert "VocabularyError: market._LIMIT_COLUMNS: no implementation of shares" in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "limits.quarter.kind",
            "per_day",
            "limits.quarter.kind must be one of per_draw, per_period, commitment, cash_used, traded_value, got 'per_day'",
        ),
        (
            "limits.quarter.period",
            "month",
            "limits.quarter.period must be one of term_quarter, fiscal_quarter, got 'month'",
        ),
        (
            "conditions.i.kind",
            "event",
            "conditions.i.kind must be one of no_event, milestones, got 'event'",
        ),
        (
            "pricing.rule",
            "vwap",
            "pricing.rule must be one of mean_close, mean_lowest, lowest, low_or_mean_lowest_closes, got 'vwap'",
        ),
        (
            "shares.rounding",
            "nearest",
            "shares.rounding must be one of down, half_up, half_even, up, got 'nearest'",
        ),
        (
            "limits.cash_used.period",
            "term_quarter",
            "limits.cash_used.period must be fiscal_quarter for a cash_used limit, got 'term_quarter'",
        ),
    ],
)
def test_a_word_outside_its_vocabulary_is_refused_at_load(
    name: str, value: str, message: str
) -> None:
    with pytest.raises(TermsError) as refused:
        default_terms().with_overrides([(name, value)])
    assert str(refused.value) == f"terms: {message}"


def test_terms_hold_vocabulary_words() -> None:
    terms = default_terms()
    assert terms.pricing.rule is PricingRuleKind.MEAN_CLOSE
    assert terms.share_rounding is Rounding.HALF_UP
    assert [limit.kind for limit in terms.limits] == [
        LimitKind.PER_PERIOD,
        LimitKind.COMMITMENT,
        LimitKind.CASH_USED,
    ]

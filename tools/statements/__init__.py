"""Bank-statement analytics (银行流水分析): findings with figures and the transactions behind them."""

import importlib
from typing import TYPE_CHECKING, Any

from tools.statements.policy import StatementsPolicy

if TYPE_CHECKING:
    from tools.statements.analysis import (
        FINDINGS,
        Finding,
        StatementAnalysis,
        analyse_frames,
        analyse_statements,
    )

__all__ = [
    "FINDINGS",
    "Finding",
    "StatementAnalysis",
    "StatementsPolicy",
    "analyse_frames",
    "analyse_statements",
]


def __getattr__(name: str) -> Any:
    # the analysis (pandas, the statement parsers) is imported on first use: the policy schema imports
    # `tools.statements.policy`, and every process loading a policy would otherwise pay for the parsers
    if name in __all__:
        return getattr(importlib.import_module("tools.statements.analysis"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

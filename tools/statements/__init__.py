"""Bank-statement analytics (银行流水分析): findings with figures and the transactions behind them."""

from tools.statements.analysis import FINDINGS, Finding, StatementAnalysis, analyse_frames, analyse_statements
from tools.statements.policy import StatementsPolicy

__all__ = [
    "FINDINGS",
    "Finding",
    "StatementAnalysis",
    "StatementsPolicy",
    "analyse_frames",
    "analyse_statements",
]

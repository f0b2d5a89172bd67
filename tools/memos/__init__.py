"""Periodic review memos (issue 6): the automated credit assessment report, built from tool results only."""

"""A realistic synthetic book for demos, tests and benchmarks (deterministic for a seed)."""

from crm_adapter.demo.generator import DemoSummary, generate_demo

__all__ = ["DemoSummary", "generate_demo"]

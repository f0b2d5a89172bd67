"""Credit Desk benchmarks: `python -m bench [--quick] [--only NAME ...]` (or `make bench`)."""

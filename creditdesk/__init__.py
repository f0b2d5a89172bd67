"""Credit Desk: the application shell.

Settings, wiring, CLI, migrations and serving sit here, on top of every layer; nothing below imports
this package. The kernel (errors, money, clock, message catalogue) lives in `kernel/`.
"""

__version__ = "0.1.0"

"""Credit Desk: the product namespace.

Holds the shared kernel (errors, money, clock) that every layer may import, and the thin
application shell (settings, wiring, CLI) that sits on top of the layers. Kernel modules
import nothing from the other packages.
"""

__version__ = "0.1.0"

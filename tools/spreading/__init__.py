"""Financial statement spreading: Excel and text-PDF statements (EN/ZH) mapped onto the standard chart."""

from tools.spreading.service import spread_file, store_spread
from tools.spreading.spread import Spread, SpreadLine, match_line

__all__ = ["Spread", "SpreadLine", "match_line", "spread_file", "store_spread"]

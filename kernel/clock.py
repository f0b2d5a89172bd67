"""The one place that asks the system what day it is. Services take `as_of` arguments instead."""

from __future__ import annotations

import datetime as dt


def today() -> dt.date:
    return dt.date.today()


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)

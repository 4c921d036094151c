"""The one range of plausible publication years: 1000 up to next year."""

from __future__ import annotations

import datetime as _dt

EARLIEST_YEAR = 1000


def latest_year() -> int:
    """Next year: a forthcoming issue may carry it."""
    return _dt.date.today().year + 1


def is_plausible_year(year: int) -> bool:
    return EARLIEST_YEAR <= year <= latest_year()

"""ISO dates printed the Japanese way: 西暦 (2023年9月28日) or 和暦 (令和5年9月28日)."""

from __future__ import annotations

import datetime

ERAS = (  # (first day, name), newest first
    (datetime.date(2019, 5, 1), "令和"),
    (datetime.date(1989, 1, 8), "平成"),
    (datetime.date(1926, 12, 25), "昭和"),
)


def seireki(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def wareki(day: datetime.date) -> str:
    for start, era in ERAS:
        if day >= start:
            year = day.year - start.year + 1
            return f"{era}{'元' if year == 1 else year}年{day.month}月{day.day}日"
    return seireki(day)

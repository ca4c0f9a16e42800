"""ISO dates printed the Japanese way: 西暦 (2023年9月28日) or 和暦 (令和5年9月28日); and dates as
people write them read back, with the form to write them in."""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata

from .i18n import _

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


ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
SAID = [  # dates as people write them: 2023/9/28, 2023.9.28, 2023-9-28, 2023年9月28日, 令和5年9月28日
    re.compile(r"([0-9]{4})\s*[-/.]\s*([0-9]{1,2})\s*[-/.]\s*([0-9]{1,2})"),
    re.compile(r"([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日"),
    re.compile(r"(令和|平成|昭和)\s*([0-9]{1,2}|元)\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日"),
]


def read(value: str) -> datetime.date | str:
    """`value` read as a date (YYYY-MM-DD); else what to say: the date in that form, or why there is none."""
    value = value.strip()
    if match := ISO.fullmatch(value):
        return _day(value, *map(int, match.groups()))
    plain = unicodedata.normalize("NFKC", value)
    for pattern in SAID:
        if match := pattern.fullmatch(plain):
            parts = match.groups()
            if len(parts) == 4:
                start = next(start for start, era in ERAS if era == parts[0])
                parts = (start.year + (1 if parts[1] == "元" else int(parts[1])) - 1, *parts[2:])
            day = _day(value, *map(int, parts))
            if isinstance(day, str):
                return day
            return _("expected a date as YYYY-MM-DD, got '{value}': write {date}").format(value=value, date=day)
    return _("expected a date as YYYY-MM-DD, got '{value}'").format(value=value)


def _day(value: str, year: int, month: int, day: int) -> datetime.date | str:
    if not 1 <= month <= 12:
        return _("there is no such date as '{value}': months run from 1 to 12").format(value=value)
    try:
        return datetime.date(year, month, day)
    except ValueError:
        days = calendar.monthrange(year, month)[1] if year >= 1 else 31
        return _("there is no such date as '{value}': {year}-{month:02d} has {days} days").format(
            value=value, year=year, month=month, days=days)

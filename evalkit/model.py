"""The domain model: units, positions, criteria, staff, periods, assessments and results.

Every class is a frozen, slotted attrs class validated on construction, so an invalid
object cannot exist: a month 13, a negative score, a staff member in an unknown unit
(checked by :class:`Organisation`) raise a :class:`~evalkit.errors.ModelError` naming
the values.

>>> from evalkit import Grade, Period
>>> Period.parse("2026-03")
Period('2026-03')
>>> Grade.HTXS > Grade.HTT
True
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import enum
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Literal, TypeVar

import attrs

from evalkit import _words
from evalkit.errors import (
    ModelError,
    OrganisationError,
    PeriodError,
    ScoreError,
    UnknownReferenceError,
)

__all__ = [
    "Assessment",
    "Criterion",
    "CriterionGroup",
    "Discipline",
    "EvaluationResult",
    "Grade",
    "Level",
    "Organisation",
    "Period",
    "Position",
    "Reason",
    "Scores",
    "Section",
    "Staff",
    "StaffCategory",
    "Unit",
]


# --------------------------------------------------------------------------- grades


class Grade(enum.IntEnum):
    """The four quality levels, ordered: ``KHT < HT < HTT < HTXS``.

    Rule sets may display them under other labels (Hà Nội's A/B/C/D); the order and
    meaning stay these four.

    >>> Grade.HTT.label_vi
    'Hoàn thành tốt nhiệm vụ'
    >>> Grade.parse("htxs") is Grade.HTXS
    True
    >>> f"{Grade.KHT}", bool(Grade.KHT), int(Grade.KHT)
    ('KHT', True, 0)
    """

    KHT = 0
    HT = 1
    HTT = 2
    HTXS = 3

    def __bool__(self) -> bool:
        """Always true: ``None`` means "not evaluated", a grade (even KHT) never does."""
        return True

    def __str__(self) -> str:
        """The code, e.g. ``'KHT'`` (``int(grade)`` gives the number)."""
        return self.name

    def __format__(self, spec: str) -> str:
        """The code in f-strings; a numeric spec (``f"{g:d}"``) formats the number."""
        numeric = bool(spec) and spec[-1] in "bcdoxXneEfFgG%"
        return format(int(self), spec) if numeric else format(self.name, spec)

    @property
    def code(self) -> str:
        """The short code, e.g. ``'HTXS'``."""
        return self.name

    @property
    def label_vi(self) -> str:
        """The Vietnamese label used on sheets."""
        return _GRADE_LABELS[self][0]

    @property
    def label_en(self) -> str:
        """The English label."""
        return _GRADE_LABELS[self][1]

    def label(self, lang: str = "vi") -> str:
        """The label in ``lang`` (``'vi'`` or ``'en'``)."""
        return self.label_en if lang == "en" else self.label_vi

    @classmethod
    def parse(cls, value: object) -> Grade:
        """Read a grade from its code (any case), its number or a Grade.

        >>> Grade.parse(3)
        <Grade.HTXS: 3>
        """
        if isinstance(value, Grade):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            try:
                return cls(value)
            except ValueError:
                pass
        if isinstance(value, str):
            key = value.strip().upper()
            if key in cls.__members__:
                return cls[key]
            for g, (vi, en) in _GRADE_LABELS.items():
                if value.strip().lower() in (vi.lower(), en.lower()):
                    return g
        raise ModelError(f"unknown grade {value!r}; expected one of HTXS, HTT, HT, KHT")


_GRADE_LABELS: dict[Grade, tuple[str, str]] = {
    Grade.HTXS: ("Hoàn thành xuất sắc nhiệm vụ", "Excellently completed duties"),
    Grade.HTT: ("Hoàn thành tốt nhiệm vụ", "Well completed duties"),
    Grade.HT: ("Hoàn thành nhiệm vụ", "Completed duties"),
    Grade.KHT: ("Không hoàn thành nhiệm vụ", "Did not complete duties"),
}


class StaffCategory(enum.StrEnum):
    """The four groups of people evaluated (domain brief §1)."""

    CAN_BO = "can_bo"
    CONG_CHUC = "cong_chuc"
    VIEN_CHUC = "vien_chuc"
    HOP_DONG = "hop_dong"

    @property
    def label_vi(self) -> str:
        """The Vietnamese name of the group."""
        return {
            "can_bo": "Cán bộ",
            "cong_chuc": "Công chức",
            "vien_chuc": "Viên chức",
            "hop_dong": "Người lao động hợp đồng",
        }[self.value]

    @property
    def label_en(self) -> str:
        """The English name of the group."""
        return {
            "can_bo": "Official",
            "cong_chuc": "Civil servant",
            "vien_chuc": "Public employee",
            "hop_dong": "Contract worker",
        }[self.value]

    @classmethod
    def parse(cls, value: object) -> StaffCategory:
        """Read a category from its code or Vietnamese name, as every name is read
        (:func:`evalkit._words.fold`: case, accents and the separators between words
        ignored; ``cong_chuc!`` is none)."""
        if isinstance(value, StaffCategory):
            return value
        if isinstance(value, str):
            key = _words.fold(value)
            for c in cls:
                if key in (_words.fold(c.value), _words.fold(c.label_vi)):
                    return c
        from evalkit import messages  # messages imports this module

        raise ModelError(str(messages.msg("foreign.category", value=repr(value))))


class Discipline(enum.IntEnum):
    """Disciplinary measures in increasing severity (Luật CBCC; NĐ 172/2025 on discipline).

    The decrees make a person KHT when disciplined at :attr:`REPRIMAND` (khiển trách)
    or heavier in the year.
    """

    NONE = 0
    REPRIMAND = 1  # khiển trách
    WARNING = 2  # cảnh cáo
    DEMOTION = 3  # hạ bậc lương / giáng chức
    REMOVAL = 4  # cách chức
    DISMISSAL = 5  # buộc thôi việc

    @property
    def label_vi(self) -> str:
        """The Vietnamese name of the measure."""
        return (
            "Không",
            "Khiển trách",
            "Cảnh cáo",
            "Hạ bậc lương / giáng chức",
            "Cách chức",
            "Buộc thôi việc",
        )[self.value]


def _discipline_names() -> dict[str, int]:
    names: dict[str, int] = {}
    for d in Discipline:
        parts = [d.label_vi, *(p.strip() for p in d.label_vi.split("/") if "/" in d.label_vi)]
        for label in parts:
            names[label] = d.value
            if "/" not in label:
                names["_".join(_words.fold(w) for w in label.split())] = d.value  # khien_trach
        names[d.name] = d.value  # REPRIMAND
    return names


#: Names read as a :class:`Discipline` level: the Vietnamese labels, their ids
#: (``khien_trach``, ``canh_cao``, ``ha_bac_luong``, ``giang_chuc``, ``cach_chuc``,
#: ``buoc_thoi_viec``) and the English names (``REPRIMAND``...), besides the numbers 0-5.
#: Every door reads a discipline with them: :class:`Assessment`, a frame's column
#: (:func:`evalkit._columns.discipline`) and the workbook.
DISCIPLINE_NAMES: Mapping[str, int] = _discipline_names()


class Level(enum.StrEnum):
    """Who scored: the person, the direct manager, or the competent level.

    The score that counts is the last level's (domain brief §3).
    """

    SELF = "self"
    MANAGER = "manager"
    COMPETENT = "competent"


# --------------------------------------------------------------------------- periods

#: The English month names, January first. Written out rather than taken from
#: ``strftime("%B")``, which follows the process's ``LC_TIME`` locale: a program that set a
#: Vietnamese (or any other) locale would otherwise print "tháng ba 2026" in English text.
MONTH_NAMES_EN = ("January", "February", "March", "April", "May", "June", "July",
                  "August", "September", "October", "November", "December")  # fmt: skip

_PERIOD_RE = re.compile(r"^\s*(\d{4})(?:[-/.](?:(\d{1,2})|[Qq]([1-4])))?\s*$")
_PERIOD_RE_VN = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")
#: A date written as ISO text, as ``to_csv`` writes a date column (a time after it allowed):
#: the month that contains it, as the date itself is read.
_PERIOD_RE_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*$")

PeriodKind = Literal["month", "quarter", "year"]


def _check_year(_inst: object, _attr: object, value: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not 1900 <= value <= 9999:
        raise PeriodError(f"year {value!r} is not a year between 1900 and 9999")


@attrs.frozen(slots=True, order=False, repr=False)
class Period:
    """A month (the evaluation period), or a quarter or a year (roll-up periods).

    >>> p = Period.month(2026, 3)
    >>> str(p), p.start, p.end
    ('2026-03', datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    >>> Period.parse("2026-Q1").months()[-1] == p
    True
    >>> Period.parse("2026-13")
    Traceback (most recent call last):
    ...
    evalkit.errors.PeriodError: month 13 of 2026 is not a month (expected 1 to 12)
    """

    kind: PeriodKind
    year: int = attrs.field(validator=_check_year)
    number: int = 1  # month 1-12, quarter 1-4, 1 for a year

    def __attrs_post_init__(self) -> None:
        if self.kind == "month" and not 1 <= self.number <= 12:
            raise PeriodError(
                f"month {self.number} of {self.year} is not a month (expected 1 to 12)"
            )
        if self.kind == "quarter" and not 1 <= self.number <= 4:
            raise PeriodError(
                f"quarter {self.number} of {self.year} is not a quarter (expected 1 to 4)"
            )
        if self.kind == "year" and self.number != 1:
            raise PeriodError(f"a year period has number 1, not {self.number}")
        if self.kind not in ("month", "quarter", "year"):
            raise PeriodError(f"unknown period kind {self.kind!r}")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """The month ``month`` of ``year``."""
        return cls("month", year, month)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        """The quarter ``quarter`` (1-4) of ``year``."""
        return cls("quarter", year, quarter)

    @classmethod
    def of_year(cls, year: int) -> Period:
        """The whole ``year``."""
        return cls("year", year, 1)

    @classmethod
    def of_date(cls, day: _dt.date) -> Period:
        """The month that contains ``day``."""
        return cls.month(day.year, day.month)

    @classmethod
    def parse(cls, value: object) -> Period:
        """Read ``'2026-03'``, ``'03/2026'``, ``'2026-Q1'``, ``'2026'``, a date (or its ISO
        text, ``'2026-03-15'``: the month that contains it) or a Period."""
        if isinstance(value, Period):
            return value
        if isinstance(value, _dt.datetime | _dt.date):
            return cls.of_date(value)
        if hasattr(value, "to_timestamp") and hasattr(value, "freqstr"):  # pandas Period
            ts = value.to_timestamp()
            return cls.month(int(ts.year), int(ts.month))
        if isinstance(value, float) and not value.is_integer():  # '2026.10' typed: 2026.1
            raise PeriodError(f"period {value!r} is a number, which loses a month's trailing "
                              "zero (2026.10 is 2026.1): write the period as text, '2026-10'")
        text = str(value)
        m = _PERIOD_RE.match(text)
        if m:
            year = int(m.group(1))
            if m.group(2) is not None:
                return cls.month(year, int(m.group(2)))
            if m.group(3) is not None:
                return cls.quarter(year, int(m.group(3)))
            return cls.of_year(year)
        m = _PERIOD_RE_VN.match(text)
        if m:
            return cls.month(int(m.group(2)), int(m.group(1)))
        m = _PERIOD_RE_DATE.match(text)
        if m:
            with contextlib.suppress(ValueError):  # 2026-02-30 is no date: refused below
                return cls.of_date(_dt.date(*(int(g) for g in m.groups())))
        raise PeriodError(
            f"period {value!r} is not a month like '2026-03', a quarter like '2026-Q1' "
            "or a year like '2026'"
        )

    @property
    def start(self) -> _dt.date:
        """The first day of the period."""
        if self.kind == "month":
            return _dt.date(self.year, self.number, 1)
        if self.kind == "quarter":
            return _dt.date(self.year, 3 * self.number - 2, 1)
        return _dt.date(self.year, 1, 1)

    @property
    def end(self) -> _dt.date:
        """The last day of the period."""
        last_month = {"month": self.number, "quarter": 3 * self.number, "year": 12}[self.kind]
        nxt = (
            _dt.date(self.year + 1, 1, 1)
            if last_month == 12
            else _dt.date(self.year, last_month + 1, 1)
        )
        return nxt - _dt.timedelta(days=1)

    @property
    def key(self) -> int:
        """A sortable integer: ``year * 100 + month`` for months (``202603``)."""
        base = {"month": 0, "quarter": 20, "year": 40}[self.kind]
        return self.year * 100 + base + self.number

    def months(self) -> tuple[Period, ...]:
        """The months this period covers, in order."""
        first = self.start.month
        last = self.end.month
        return tuple(Period.month(self.year, m) for m in range(first, last + 1))

    def quarter_of(self) -> Period:
        """The quarter containing this month."""
        return Period.quarter(self.year, (self.start.month - 1) // 3 + 1)

    def year_of(self) -> Period:
        """The year containing this period."""
        return Period.of_year(self.year)

    def next(self) -> Period:
        """The following month (for months only)."""
        if self.kind != "month":
            raise PeriodError(f"next() is defined for months, not {self.kind}s")
        return (
            Period.month(self.year + 1, 1)
            if self.number == 12
            else Period.month(self.year, self.number + 1)
        )

    def label(self, lang: str = "vi") -> str:
        """Human label: ``'tháng 03/2026'`` / ``'March 2026'``; quarter and year alike."""
        if self.kind == "month":
            if lang == "en":
                return f"{MONTH_NAMES_EN[self.number - 1]} {self.year}"
            return f"tháng {self.number:02d}/{self.year}"
        if self.kind == "quarter":
            return (
                f"Q{self.number} {self.year}" if lang == "en" else f"quý {self.number}/{self.year}"
            )
        return str(self.year) if lang == "en" else f"năm {self.year}"

    def __str__(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.number}"
        return f"{self.year}"

    def __repr__(self) -> str:
        return f"Period({str(self)!r})"

    def __lt__(self, other: Period) -> bool:
        return (self.start, self.end) < (other.start, other.end)

    def __le__(self, other: Period) -> bool:
        return (self.start, self.end) <= (other.start, other.end)

    def __gt__(self, other: Period) -> bool:
        return (self.start, self.end) > (other.start, other.end)

    def __ge__(self, other: Period) -> bool:
        return (self.start, self.end) >= (other.start, other.end)


# --------------------------------------------------------------------------- scores


def _as_score(name: str, value: object) -> float:
    """A typed score read by the one number rule every door shares
    (:func:`evalkit._words._number_of`): numbers and numeric text, a decimal comma
    (``"90,5"``) included; ``"1.000"``, ``"1.234,5"``, yes/no values and dates refused."""
    if value is None or _words._is_blank(value):
        raise ScoreError(f"criterion {name!r} score {value!r} is not a number")
    number, why = _words._number_of(value)
    if why is None and math.isnan(number):  # blank text
        why = _words.NOT_A_NUMBER
    if why is not None:
        finite = why == _words.NOT_FINITE
        raise ScoreError(f"criterion {name!r} score {value!r} "
                         + ("is not a finite number" if finite else why))  # fmt: skip
    if number < 0:
        raise ScoreError(f"criterion {name!r} score {value!r} is negative")
    return number


_UNSIGNED: frozenset[str] = frozenset()


class Scores(Mapping[str, float]):
    """An immutable, hashable mapping of criterion id to a non-negative finite score.

    >>> s = Scores({"chat_luong": 90})
    >>> s["chat_luong"], len(s)
    (90.0, 1)
    >>> Scores({"chat_luong": -1})
    Traceback (most recent call last):
    ...
    evalkit.errors.ScoreError: criterion 'chat_luong' score -1 is negative
    """

    __slots__ = ("_data", "_hash", "_signed")

    def __init__(self, data: Mapping[str, object] | Iterable[tuple[str, object]] = ()):
        items = data.items() if isinstance(data, Mapping) else data
        self._data: dict[str, float] = {}
        signed: set[str] = set()
        problems: list[str] = []  # every bad score of the mapping, said together
        for k, v in items:
            if not isinstance(k, str) or not k:
                problems.append(f"criterion id {k!r} is not a non-empty string")
            elif not (_words._is_blank(v) or (isinstance(v, str) and not _words._clean(v))):
                try:  # a blank cell is not scored, as on the frame path
                    self._data[k] = _as_score(k, v)
                except ScoreError as exc:
                    problems.append(str(exc))
                if isinstance(v, str) and _words._clean(v).endswith("%"):
                    signed.add(k)
        if problems:
            raise ScoreError("; ".join(problems))
        self._hash: int | None = None
        #: the scores typed as text with a percent sign ("0,5%"): no fraction typed for a
        #: percentage (:func:`evalkit._words.percent_fraction`)
        self._signed = frozenset(signed) if signed else _UNSIGNED  # one empty set, shared

    def fraction_problem(self, key: str) -> str | None:
        """Why the score of ``key``, read as a percentage (0-100), is refused: a number
        strictly between 0 and 1 typed without a percent sign, as every door refuses it
        (0.95 typed for 95 %); None when it is not.

        >>> Scores({"a": 0.95, "b": "0,5%"}).fraction_problem("a")[:30]
        'the value 0.95 is between 0 an'
        >>> Scores({"a": 0.95, "b": "0,5%"}).fraction_problem("b") is None
        True
        """
        x = self._data[key]
        return _words.percent_fraction(f"{x}%" if key in self._signed else x, x)

    def __getitem__(self, key: str) -> float:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self._data) == dict(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"Scores({self._data!r})"


def _to_reasons(value: Iterable[Reason]) -> tuple[Reason, ...]:
    return tuple(value)


def _to_criteria(value: Iterable[Criterion]) -> tuple[Criterion, ...]:
    return tuple(value)


def _to_scores(value: object) -> Scores:
    if isinstance(value, Scores):
        return value
    if value is None:
        return Scores()
    if isinstance(value, Mapping):
        return Scores(value)
    raise ScoreError(f"scores must be a mapping of criterion id to number, not {value!r}")


def _level_scores(value: object, self_: Any, field: attrs.Attribute[Any]) -> Scores:
    """An assessment's scores (:func:`_to_scores`); a bad score names the person, the
    period and the level."""
    try:
        return _to_scores(value)
    except ScoreError as exc:
        raise ScoreError(f"{exc} (staff {self_.staff_id!r}, {self_.period}, "
                         f"{field.name})") from None  # fmt: skip


_LEVEL_SCORES = attrs.Converter(_level_scores, takes_self=True, takes_field=True)


def _to_points(value: object) -> Scores:
    """Block points by block id: like scores, but a ``deduction`` block's points are negative."""
    if isinstance(value, Scores) or value is None or not isinstance(value, Mapping):
        return _to_scores(value)
    signed = {k: float(v) for k, v in value.items()}
    out = Scores({k: abs(v) for k, v in signed.items()})  # validates ids and finiteness
    out._data.update(signed)
    return out


def _to_level_points(value: object) -> tuple[tuple[str, Scores], ...]:
    items: Iterable[Any] = value.items() if isinstance(value, Mapping) else value  # type: ignore[assignment]
    return tuple((str(k), _to_points(v)) for k, v in items)


def _nonempty_id(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ModelError(f"{attribute.name} must be a non-empty string, not {value!r}")


def _staff_id(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A staff id: non-empty, and no control character left inside it once compared as
    every door compares ids (a tab or a line break around it is trimmed): the rule of
    every door (:data:`evalkit._words.CONTROL`)."""
    _nonempty_id(inst, attribute, value)
    if _words.CONTROL.search(id_key(value)):
        raise ModelError(f"{_words.CONTROL_ID}: {value!r}")


def _name(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A name printed on the sheets holds no control character
    (:func:`evalkit._words.control_in_name`, the rule of every door)."""
    if _words.control_in_name(value):
        from evalkit import messages  # messages imports this module

        raise ModelError(f"{attribute.name} {value!r} {messages.msg('foreign.name_control')}")


def _named(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _nonempty_id(inst, attribute, value)
    _name(inst, attribute, value)


def _positive(_inst: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ModelError(f"{attribute.name} must be a number, not {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise ModelError(f"{attribute.name} must be a positive number, not {value!r}")


# --------------------------------------------------------------------------- criteria

CriterionUnit = Literal["points", "percent", "count"]


@attrs.frozen(slots=True)
class Criterion:
    """A scored item with a maximum.

    ``unit`` says how it is scored: ``points`` (0 to ``maximum`` points), ``percent``
    (0 to 100 % of the assigned work, ``maximum`` is 100) or ``count`` (a number of
    events such as major quality errors or delays; ``maximum`` bounds what is plausible).
    ``at_most``: another criterion of the set this one may not exceed on the same row
    (products done to quality ≤ products done); a row above it is refused as bad input.

    >>> Criterion("chat_luong", "Chất lượng", "Quality", 100, "tasks", unit="percent")
    Criterion(id='chat_luong', label_vi='Chất lượng', label_en='Quality', maximum=100, group='tasks', unit='percent', management=False, section=None, at_most=None)
    """

    id: str = attrs.field(validator=_nonempty_id)
    label_vi: str
    label_en: str
    maximum: float = attrs.field(validator=_positive)
    group: str = attrs.field(validator=_nonempty_id)
    unit: CriterionUnit = attrs.field(default="points")
    management: bool = False
    section: str | None = None
    at_most: str | None = None

    @unit.validator
    def _check_unit(self, _a: object, value: str) -> None:
        if value not in ("points", "percent", "count"):
            raise ModelError(
                f"criterion {self.id!r} unit {value!r} is not one of points, percent, count"
            )

    def label(self, lang: str = "vi") -> str:
        """The label in ``lang``."""
        return self.label_en if lang == "en" else self.label_vi

    def check(self, value: float, *, staff_id: str | None = None, period: object = None) -> float:
        """Return ``value`` if it is a valid score for this criterion, else raise ScoreError.

        >>> c = Criterion("chat_luong", "Chất lượng", "Quality", 30, "tasks")
        >>> c.check(31, staff_id="CC-0042", period="2026-03")
        Traceback (most recent call last):
        ...
        evalkit.errors.ScoreError: criterion 'chat_luong' score 31 exceeds its maximum 30 (staff 'CC-0042', 2026-03)
        """
        number = _as_score(self.id, value)
        if number > self.maximum + 1e-9:
            where = _where(staff_id, period)
            raise ScoreError(
                f"criterion {self.id!r} score {_fmt(value)} exceeds its maximum "
                f"{_fmt(self.maximum)}{where}"
            )
        return number


def _fmt(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _where(staff_id: str | None, period: object) -> str:
    parts = []
    if staff_id is not None:
        parts.append(f"staff {staff_id!r}")
    if period is not None:
        parts.append(str(period))
    return f" ({', '.join(parts)})" if parts else ""


@attrs.frozen(slots=True)
class Section:
    """A titled part of a criterion group whose criteria (sub-items) sum to ``maximum``.

    NĐ 335/2025/NĐ-CP Điều 12 k2 groups the 30 general points in three parts a), b), c);
    each part is a section of the ``general`` group, its sub-items are the criteria.

    >>> Section("a", "Chính trị, đạo đức", "Politics, ethics", 10).maximum
    10
    """

    id: str = attrs.field(validator=_nonempty_id)
    label_vi: str
    label_en: str
    maximum: float = attrs.field(validator=_positive)

    def label(self, lang: str = "vi") -> str:
        """The label in ``lang``."""
        return self.label_en if lang == "en" else self.label_vi


def _to_sections(value: Iterable[Section]) -> tuple[Section, ...]:
    return tuple(value)


@attrs.frozen(slots=True)
class CriterionGroup:
    """A group of criteria with a maximum: general, task results, management, bonus.

    ``sections`` optionally split the group into titled parts (a criterion names its
    part in :attr:`Criterion.section`).
    """

    id: str = attrs.field(validator=_nonempty_id)
    label_vi: str
    label_en: str
    maximum: float | None = attrs.field(
        default=None, validator=attrs.validators.optional(_positive)
    )
    criteria: tuple[Criterion, ...] = attrs.field(default=(), converter=_to_criteria)
    sections: tuple[Section, ...] = attrs.field(default=(), converter=_to_sections)

    def label(self, lang: str = "vi") -> str:
        """The label in ``lang``."""
        return self.label_en if lang == "en" else self.label_vi


@attrs.frozen(slots=True)
class Position:
    """A job position (vị trí việc làm).

    A position may override the maximum of some of the rule set's criteria
    (``maxima``, criterion id to points) where the rule set allows it.
    """

    id: str = attrs.field(validator=_nonempty_id)
    title_vi: str = attrs.field(validator=_name)
    title_en: str = attrs.field(default="", validator=_name)
    maxima: Mapping[str, float] = attrs.field(factory=Scores, converter=_to_scores)
    manages_others: bool = False

    def title(self, lang: str = "vi") -> str:
        """The title in ``lang`` (falls back to Vietnamese)."""
        return (self.title_en or self.title_vi) if lang == "en" else self.title_vi


# --------------------------------------------------------------------------- organisation


def id_key(value: Any) -> Any:
    """An id of the organisation as every door compares it (:func:`evalkit._words.text_id`:
    invisible characters removed, NFC, trimmed): a head id padded by an HR database
    (``'S1 '``) or exported in NFD finds its staff member, as the frames find them. The
    objects keep the ids as typed; a text left empty (refused anyway) is kept as it is.

    >>> id_key(" S1\u200b"), id_key(None)
    ('S1', None)
    """
    return (_words.text_id(value) or value) if isinstance(value, str) else value


@attrs.frozen(slots=True)
class Unit:
    """An organisational unit; units form a tree through ``parent_id``.

    ``head_id`` is the staff id of the người đứng đầu. ``duty_groups`` is unused by the
    model itself; quotas read the staff's ``duty_group``.

    ``public_service_unit`` declares the unit a public service unit (đơn vị sự nghiệp công
    lập, NĐ 233/2026/NĐ-CP Điều 3 k2) — its khoa and phòng are constituent units — for
    the raised HTXS quota of Điều 12 k6 b, which follows the grade of the public service
    unit. A marked unit is its own, whatever is above it (a member school of a university,
    itself marked or not); an unmarked unit's is the nearest marked unit above it through
    units under the same rule set. Nobody marked (the default): each unit's is the topmost
    unit reached through units under the same rule set (docs/rule-sets.md ``[quota]``).
    """

    id: str = attrs.field(validator=_nonempty_id)
    name: str = attrs.field(validator=_name)
    parent_id: str | None = attrs.field(default=None)
    head_id: str | None = None
    governing_body: str = attrs.field(default="", validator=_name)
    place: str = attrs.field(default="", validator=_name)
    name_en: str = attrs.field(default="", validator=_name)
    public_service_unit: bool = False

    @parent_id.validator
    def _check_parent(self, _a: object, value: str | None) -> None:
        if value is not None and id_key(value) == id_key(self.id):
            raise OrganisationError(f"unit {self.id!r} cannot be its own parent")


def _to_category(value: object) -> StaffCategory:
    return StaffCategory.parse(value)


def _to_period(value: object) -> Period:
    return Period.parse(value)


@attrs.frozen(slots=True)
class Staff:
    """A person evaluated: cán bộ, công chức, viên chức or contract worker."""

    id: str = attrs.field(validator=_staff_id)
    full_name: str = attrs.field(validator=_named)
    position_id: str = attrs.field(validator=_nonempty_id)
    unit_id: str = attrs.field(validator=_nonempty_id)
    category: StaffCategory = attrs.field(default=StaffCategory.CONG_CHUC, converter=_to_category)
    manages_others: bool = False
    duty_group: str | None = None
    manager_id: str | None = attrs.field(default=None)
    title_vi: str = attrs.field(default="", validator=_name)  # chức vụ, e.g. "Trưởng phòng"

    @manager_id.validator
    def _check_manager(self, _a: object, value: str | None) -> None:
        if value is not None and id_key(value) == id_key(self.id):
            raise OrganisationError(f"staff {self.id!r} cannot be their own manager")


def _check_unique(kind: str, ids: Iterable[str]) -> list[ModelError]:
    seen: set[str] = set()
    dup: list[str] = []
    for i in ids:
        if i in seen:
            dup.append(i)
        seen.add(i)
    out: list[ModelError] = []
    if dup:
        out.append(OrganisationError(f"duplicate {kind} id(s): {', '.join(sorted(set(dup)))}"))
    alike: dict[str, list[str]] = {}  # ids a person would read as one: 'CC-01', 'cc-01 '
    for i in seen:
        alike.setdefault(id_key(i).casefold(), []).append(i)
    for same in sorted(sorted(v) for v in alike.values() if len(v) > 1):
        who = "person" if kind == "staff" else kind
        out.append(OrganisationError(f"{kind} ids {', '.join(map(repr, same))} differ only in "
                                     f"case or spaces: give each {who} one id"))  # fmt: skip
    return out


def rings(parent: Mapping[str, str | None]) -> list[list[str]]:
    """Every loop of ``parent`` links (a unit's parent, a person's manager), once each, in
    the order first met, each starting where it was entered; a link to an id outside
    ``parent`` ends the chain.

    >>> rings({"A": "B", "B": "A", "C": "A", "D": None})
    [['A', 'B']]
    """
    out: list[list[str]] = []
    done: set[str] = set()
    for start in parent:
        path: list[str] = []
        cur: str | None = start
        while cur is not None and cur in parent and cur not in done and cur not in path:
            path.append(cur)
            cur = parent[cur]
        done.update(path)
        if cur is not None and cur in path:
            out.append(path[path.index(cur):])
    return out


def _management_loops(staff: list[Staff], units: list[Unit]) -> list[ModelError]:
    """Managers in a loop (A manages B, B manages A), each loop once, following the links
    the engine follows (:func:`evalkit._org.manager_links`): ``manager_id`` where given,
    else the head of the person's unit, for that head the head of the parent unit — so a
    head whose ``manager_id`` is one of their own staff is a loop too. A loop without a
    typed link is a unit cycle or a head outside their unit, reported as such."""
    if not any(s.manager_id is not None for s in staff):
        return []
    import pandas as pd

    from evalkit._org import loops, manager_links  # numpy and pandas: only when needed

    table = pd.DataFrame({"unit_id": [id_key(u.id) for u in units],
                          "parent_id": [id_key(u.parent_id) for u in units],
                          "head_id": [id_key(u.head_id) for u in units]}, dtype=object)  # fmt: skip
    mgr, given = manager_links([id_key(s.id) for s in staff], [id_key(s.unit_id) for s in staff],
                               [id_key(s.manager_id) for s in staff], table)  # fmt: skip
    return [OrganisationError("staff form a management cycle: "
                              + " -> ".join(staff[i].id for i in [*ring.tolist(), int(ring[0])]))
            for ring in loops(mgr) if given[ring].any()]  # fmt: skip


@attrs.frozen(slots=True)
class Organisation:
    """Units, positions and staff, checked for consistency together.

    Errors: a duplicate id, a unit whose parent is missing, a cycle of units, a head who
    is not a staff member of the unit, a staff member in an unknown unit or position,
    managers in a loop along the links the engine follows (``manager_id``, else the unit's
    head, for a head the parent unit's head).

    >>> o = Organisation(units=[Unit("U1", "Phòng A", head_id="S1")],
    ...                  positions=[Position("P1", "Chuyên viên")],
    ...                  staff=[Staff("S1", "Nguyễn Văn An", "P1", "U1")])
    >>> o.head_of("U1").full_name
    'Nguyễn Văn An'
    >>> Organisation(units=[Unit("U1", "Phòng A")], positions=[Position("P1", "CV")],
    ...              staff=[Staff("S1", "An", "P1", "U9")])
    Traceback (most recent call last):
    ...
    evalkit.errors.UnknownReferenceError: staff 'S1' is in unknown unit 'U9'
    """

    units: tuple[Unit, ...] = attrs.field(converter=tuple)
    positions: tuple[Position, ...] = attrs.field(converter=tuple)
    staff: tuple[Staff, ...] = attrs.field(converter=tuple)
    #: the lookups by :func:`id_key`, built once: "unit", "position", "staff" (each id's
    #: object), "members" and "children" (a unit's, in their order), "heads" (the head ids)
    _by: Mapping[str, Mapping[Any, Any]] = attrs.field(init=False, repr=False, eq=False,
                                                       factory=dict)  # fmt: skip

    def __attrs_post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise OrganisationError.of(problems)
        by: dict[str, dict[Any, Any]] = {k: {} for k in ("members", "children")}
        for kind, key, items in (("members", "unit_id", self.staff),
                                 ("children", "parent_id", self.units)):
            for x in items:
                by[kind].setdefault(id_key(getattr(x, key)), []).append(x)
            by[kind] = {k: tuple(v) for k, v in by[kind].items()}
        named: tuple[tuple[str, tuple[Any, ...]], ...] = (
            ("unit", self.units), ("position", self.positions), ("staff", self.staff))
        for kind, items in named:  # (unique: problems() said a twin)
            by[kind] = {id_key(x.id): x for x in items}
        by["heads"] = {id_key(u.head_id): u for u in self.units if u.head_id is not None}
        object.__setattr__(self, "_by", by)

    def _get(self, kind: str, value: Any, said: str) -> Any:
        found = self._by[kind].get(id_key(value))
        if found is None:
            raise UnknownReferenceError(f"unknown {said} {value!r}")
        return found

    def problems(self) -> list[ModelError]:
        """Every problem of the organisation, each the error it would raise alone (empty
        for a valid one): duplicates, unknown parents, unit cycles, staff in unknown units
        or positions or under unknown managers, managers in a loop, unknown heads and heads
        outside their unit."""
        found: list[ModelError] = []
        found += _check_unique("unit", (u.id for u in self.units))
        found += _check_unique("position", (p.id for p in self.positions))
        found += _check_unique("staff", (s.id for s in self.staff))
        # every link is read as the frames read it (id_key): 'S1 ' or NFD finds 'S1'
        units: dict[Any, Unit] = {}
        for u in self.units:
            units.setdefault(id_key(u.id), u)
        for u in self.units:
            if u.parent_id is not None and id_key(u.parent_id) not in units:
                found.append(
                    UnknownReferenceError(f"unit {u.id!r} has unknown parent unit {u.parent_id!r}")
                )
        for ring in rings({k: id_key(u.parent_id) for k, u in units.items()}):  # each once
            said = [units[k].id for k in ring]
            found.append(OrganisationError(f"units form a cycle: {' -> '.join([*said, said[0]])}"))
        positions = {id_key(p.id) for p in self.positions}
        staff: dict[Any, Staff] = {}
        for s in self.staff:
            staff.setdefault(id_key(s.id), s)
        for s in self.staff:
            if id_key(s.unit_id) not in units:
                found.append(
                    UnknownReferenceError(f"staff {s.id!r} is in unknown unit {s.unit_id!r}")
                )
            if id_key(s.position_id) not in positions:
                found.append(
                    UnknownReferenceError(f"staff {s.id!r} has unknown position {s.position_id!r}")
                )
            if s.manager_id is not None and id_key(s.manager_id) not in staff:
                found.append(
                    UnknownReferenceError(f"staff {s.id!r} has unknown manager {s.manager_id!r}")
                )
        found += _management_loops(list(staff.values()), list(units.values()))
        for u in self.units:
            if u.head_id is None:
                continue
            head = staff.get(id_key(u.head_id))
            twin = None if head is not None else next((
                s.id for s in staff.values() if id_key(s.unit_id) == id_key(u.id)
                and str(s.id).casefold() == str(u.head_id).casefold()), None)  # fmt: skip
            if twin is not None:  # the words of every door (frames, workbook, org file)
                found.append(UnknownReferenceError(
                    f"head {u.head_id!r} differs from the unit's member {twin!r} only in "
                    "upper/lower case: one person, or give them different ids"))  # fmt: skip
            elif head is None:
                found.append(UnknownReferenceError(f"unit {u.id!r} has unknown head {u.head_id!r}"))
            elif id_key(head.unit_id) != id_key(u.id):
                found.append(
                    OrganisationError(
                        f"head {u.head_id!r} of unit {u.id!r} is a member of unit "
                        f"{head.unit_id!r}, not of {u.id!r}"
                    )
                )
        return found

    def unit(self, unit_id: str) -> Unit:
        """The unit ``unit_id`` (ids compared as every door compares them, :func:`id_key`)."""
        return self._get("unit", unit_id, "unit")  # type: ignore[no-any-return]

    def position(self, position_id: str) -> Position:
        """The position ``position_id``."""
        return self._get("position", position_id, "position")  # type: ignore[no-any-return]

    def member(self, staff_id: str) -> Staff:
        """The staff member ``staff_id``."""
        return self._get("staff", staff_id, "staff")  # type: ignore[no-any-return]

    def head_of(self, unit_id: str) -> Staff | None:
        """The head of ``unit_id``, or None."""
        head = self.unit(unit_id).head_id
        return self.member(head) if head else None

    def members_of(self, unit_id: str) -> tuple[Staff, ...]:
        """The staff whose unit is ``unit_id`` (not its sub-units)."""
        return self._by["members"].get(id_key(unit_id), ())  # type: ignore[no-any-return]

    def children_of(self, unit_id: str | None) -> tuple[Unit, ...]:
        """The direct sub-units of ``unit_id`` (the roots when None)."""
        return self._by["children"].get(id_key(unit_id), ())  # type: ignore[no-any-return]

    def is_head(self, staff_id: str) -> bool:
        """Whether ``staff_id`` heads some unit."""
        return id_key(staff_id) in self._by["heads"]


# --------------------------------------------------------------------------- assessments


#: The kinds of legal leave a month may carry ("" = none).
LEAVE_KINDS = ("", "maternity", "sick", "absent")

#: Names read as a leave kind, as its index in :data:`LEAVE_KINDS` (1 = maternity): the
#: ids and the Vietnamese words (case, accents and separators ignored). The year's
#: engine, the workbook and :class:`Assessment` read a leave with them.
LEAVE_NAMES: Mapping[str, int] = {
    "maternity": 1, "Thai sản": 1, "Nghỉ thai sản": 1,
    "sick": 2, "Ốm": 2, "Ốm đau": 2, "Nghỉ ốm": 2, "Nghỉ ốm đau": 2,
    "absent": 3, "Vắng": 3, "Vắng mặt": 3, "Nghỉ": 3, "Nghỉ việc": 3,
}  # fmt: skip

#: What :class:`Assessment` says of a period marked on leave that also carries scores
#: (``{period_kind}``: its :attr:`Period.kind`, a month or a quarter; ``{kind}``: a kind of
#: :data:`LEAVE_KINDS`; ``{where}``: `` (staff 'A', 2026-06)``) — the catalogue's
#: ``foreign.leave_scored_who``, which every other door says
#: (:func:`evalkit._columns.leave_scored`). A period on leave has no score and is left out
#: of the year (NĐ 335/2025 Điều 21: the time actually worked); a row with both
#: contradicts itself, so every door refuses it (frames, :class:`Assessment`, the year, the
#: workbook, the archive).
LEAVE_SCORED = ("a {period_kind} on leave ({kind}) carries scores{where}: leave its scores "
                "blank, or clear the leave if the person worked")

#: The reason codes of a period left without a grade on purpose (*Không xếp loại*, never
#: *Chưa đánh giá*): fewer months than the rule set's minimum (NĐ 90/2020 Điều 2 k3), no
#: month worked and evaluated in the year (NĐ 335/2025 Điều 21: the time actually worked).
NOT_CLASSIFIED_CODES = frozenset({"rollup.too_few_months", "rollup.no_months",
                                  "rollup.nothing_assigned"})


def _read_discipline(value: object) -> Any:
    """A :class:`Discipline` from a level, a number 0-5 or a name of
    :data:`DISCIPLINE_NAMES` (blank = none); any other value is kept for the validator to
    refuse with the person and period."""
    if isinstance(value, Discipline):
        return value
    code, error = _words.choices(DISCIPLINE_NAMES, (0, max(Discipline))).of(value, 0)
    return value if error is not None else Discipline(code)


def _read_leave(value: object) -> Any:
    """A leave kind of :data:`LEAVE_KINDS` from its id or a Vietnamese word (blank = none);
    any other value is kept for the validator to refuse."""
    if isinstance(value, str) and value in LEAVE_KINDS:
        return value
    code, error = _words.choices(LEAVE_NAMES, None).of(value, 0)
    return value if error is not None else LEAVE_KINDS[code]


def _read_yes_no(value: object, default: bool) -> Any:
    """A bool from the yes/no values a frame accepts (bool, 0/1, ``x``, ``có``, ``không``
    ...; blank = ``default``); any other value is kept for the validator to refuse."""
    if isinstance(value, bool):
        return value
    code, error = _words.bool_of(value)
    if error is not None:
        return value
    return default if code < 0 else bool(code)


def _yes_no(value: object) -> Any:
    """:func:`_read_yes_no`, blank = no."""
    return _read_yes_no(value, False)


def _yes_no_default_yes(value: object) -> Any:
    """:func:`_read_yes_no`, blank = yes."""
    return _read_yes_no(value, True)


def _accepted(what: str) -> str:
    if what in ("discipline", "leave"):  # the catalogue's sentence, as every door says it
        from evalkit import messages  # messages imports this module

        return str(messages.msg(f"foreign.{what}"))
    return _words.NOT_YES_NO


def _check_yes_no(inst: Assessment, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, bool):
        raise ModelError(
            f"{attribute.name} {value!r}{_where(inst.staff_id, inst.period)} " + _accepted("yes/no")
        )


def _opt_grade(value: object, self: Any, field: attrs.Attribute[Any]) -> Grade | str | None:
    if value is None or (isinstance(value, str) and not _words._clean(value)):
        return None
    try:
        return Grade.parse(value)
    except ModelError as exc:  # named with its field, person and period
        if isinstance(value, str):  # a rule set's own word (Hà Nội's "Loại B"): read by the
            return _words._clean(value)  # set it is scored under (_columns.assessment_grades)
        from evalkit import messages  # messages imports this module

        raise ModelError(f"{field.name} {value!r}{_where(self.staff_id, self.period)} "
                         f"{messages.grade_msg()}") from exc


_GRADE = attrs.Converter(_opt_grade, takes_self=True, takes_field=True)


_T = TypeVar("_T")


def _every_problem(cls: type[_T]) -> type[_T]:
    """Make the attrs-made constructor of ``cls`` say every bad field at once: where it
    refuses a value, each given field is tried alone (with the required fields, so each
    message names the same staff and period) and the refusals are said together, in field
    order. A bad required field (the staff id, the period) is said alone, as it was."""
    init = cls.__init__
    fields = [f for f in attrs.fields(cls) if f.init]  # type: ignore[arg-type]
    names = [f.name for f in fields]
    required = [f.name for f in fields if f.default is attrs.NOTHING]

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        try:
            init(self, *args, **kwargs)
        except ModelError as first:
            given = {**dict(zip(names, args, strict=False)), **kwargs}
            if len(args) > len(names) or any(k not in names for k in given) \
                    or any(r not in given for r in required):  # fmt: skip
                raise  # a wrong call, not a bad value: as attrs says it
            base = {r: given[r] for r in required}
            found: list[ModelError] = []
            for name in [None, *names]:
                if name is None or (name in given and name not in required):
                    try:
                        init(object.__new__(cls), **base,
                             **({} if name is None else {name: given[name]}))  # fmt: skip
                    except ModelError as exc:
                        if name is None:
                            raise first from None  # the id or the period: said alone
                        found.append(exc)
            if str(first) not in {str(e) for e in found}:
                found.insert(0, first)  # a check across fields (leave with scores)
            if len(found) == 1:
                raise
            kind = ScoreError if all(isinstance(e, ScoreError) for e in found) else ModelError
            raise kind("; ".join(str(e) for e in found)) from None

    __init__.__doc__ = init.__doc__
    setattr(cls, "__init__", __init__)  # noqa: B010 (mypy: a method is not assigned to)
    return cls


def _read_kpi(value: object, self_: Any) -> float | None:
    """A task-tracker percentage (0-100) read by the one number rule every door shares
    (``"90%"`` and ``"90,5"`` included); 0.95 typed for 95 % is refused, as every door
    refuses it (:func:`evalkit._words.percent_fraction`)."""
    if value is None or _words._is_blank(value) or (isinstance(value, str)
                                                    and not _words._clean(value)):
        return None
    where = _where(self_.staff_id, self_.period)
    try:
        number = _as_score("kpi", value)
    except ScoreError as exc:
        raise ScoreError(f"{exc}{where}") from None
    why = _words.percent_fraction(value, number)
    if why is not None:
        raise ScoreError(f"criterion 'kpi' score {value!r}: {why}{where}")
    return number


_KPI = attrs.Converter(_read_kpi, takes_self=True)


def _read_months(value: object) -> object:
    """The months worked, read by the one number rule every door shares (``"1"``,
    ``"1,5"``); blank is None; what is not a number is kept for the check to name it."""
    if value is None or _words._is_blank(value) or (isinstance(value, str)
                                                    and not _words._clean(value)):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value  # as typed (the check names it so)
    number, why = _words._number_of(value, percent_sign=False)
    return value if why is not None or math.isnan(number) else number


def _check_months(staff_id: str, period: Period, value: object, carried: float) -> None:
    """The months worked in ``period``: 0 to its months and ``carried`` (blank: all of it)."""
    most = len(period.months()) + carried
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)
                              or not math.isfinite(value) or not 0 <= value <= most):
        raise ModelError(f"months_worked {value!r}{_where(staff_id, period)} "
                         f"must be a number of months from 0 to {most}")


def _read_order(value: object) -> object:
    """The competent level's order (1, 2, 3 ...: the quota's last tie-break), read by the
    one number rule every door shares (``"2"``, ``2.0`` and ``"2,0"`` are 2); blank is
    None; what is not a whole number from 1 is kept for the check to name it."""
    if value is None or _words._is_blank(value) or (isinstance(value, str)
                                                    and not _words._clean(value)):
        return None
    number, why = _words._number_of(value, percent_sign=False)
    return int(number) if why is None and number >= 1 and number.is_integer() else value


#: the counts ``Assessment.events`` holds: the optional rules' (scoring reads no other)
_EVENT_NAMES = ("late_files", "apologies", "inspection_findings")


@_every_problem
@attrs.frozen(slots=True)
class Assessment:
    """One person's evaluation for one period: the three levels' scores and words.

    ``self_scores``, ``manager_scores`` and ``competent_scores`` map criterion ids to
    scores (points, percentages or counts as the criterion says). The level that counts
    is the last one that scored (:meth:`counting_level`). Flags feed the disqualifiers:
    ``degradation`` (suy thoái), ``discipline`` (a :class:`Discipline`),
    ``corruption_in_unit`` (for a head). ``kpi`` is a task-tracker percentage that may
    stand for the task block where the rule set allows it. ``events`` holds counts
    used by optional rules (late files, public apologies, inspection findings); another
    name is refused, never ignored (a rule set's count of errors or delays is a criterion:
    it goes in the level's scores).

    ``discipline_related_to_duty`` says whether the discipline was for a violation
    related to public duty (NĐ 335/2025/NĐ-CP Điều 20 k4 c counts only those);
    ``party_discipline`` records a party discipline (NĐ 90/2020 Điều 2 k5 a, added by
    NĐ 48/2023, counts any party or administrative discipline; NĐ 335/2025 Điều 20 k4 c
    and NĐ 233/2026 Điều 12 k4 c count one for a violation related to public duty). ``competent_grade`` is
    the competent level's concluded grade (a grade's code, label or number; another word,
    such as Hà Nội's ``"Loại B"``, is kept as typed and read by the words of the rule set
    the assessment is scored under, as a frame's cell is, else refused then); where it differs from what the score gives,
    ``competent_reason`` (the written reason) is required. ``leave`` marks a month on
    legal leave: ``"maternity"``, ``"sick"`` or ``"absent"``; such a month has no score (it
    is left out of the year), so a leave with any level's scores or a ``kpi`` is refused
    (:class:`~evalkit.errors.ModelError`). ``months_worked`` is the
    time worked in a quarter (customs, CV 21169/CHQ-TCCB: one month or less → the quarter
    is not evaluated; blank = the whole period); ``carried_months`` the months of such a
    quarter before it in the year counted in this quarter (reason ``rollup.period_carried``).

    >>> a = Assessment("CC-0042", "2026-03", self_scores={"so_luong": 90})
    >>> a.counting_level()
    <Level.SELF: 'self'>
    """

    staff_id: str = attrs.field(validator=_staff_id)
    period: Period = attrs.field(converter=_to_period)
    self_scores: Scores = attrs.field(factory=Scores, converter=_LEVEL_SCORES)  # type: ignore[misc]
    manager_scores: Scores = attrs.field(factory=Scores, converter=_LEVEL_SCORES)  # type: ignore[misc]
    competent_scores: Scores = attrs.field(factory=Scores, converter=_LEVEL_SCORES)  # type: ignore[misc]
    self_comment: str = ""
    manager_comment: str = ""
    competent_comment: str = ""
    proposed_grade: Grade | str | None = attrs.field(default=None, converter=_GRADE)  # type: ignore[misc]
    manager_grade: Grade | str | None = attrs.field(default=None, converter=_GRADE)  # type: ignore[misc]
    competent_grade: Grade | str | None = attrs.field(default=None, converter=_GRADE)  # type: ignore[misc]
    degradation: bool = attrs.field(default=False, converter=_yes_no, validator=_check_yes_no)
    discipline: Discipline = attrs.field(default=Discipline.NONE, converter=_read_discipline)
    corruption_in_unit: bool = attrs.field(
        default=False, converter=_yes_no, validator=_check_yes_no
    )
    kpi: float | None = attrs.field(default=None, converter=_KPI)  # type: ignore[misc]
    events: Scores = attrs.field(factory=Scores, converter=_to_scores)
    competent_order: int | None = attrs.field(default=None, converter=_read_order)
    competent_reason: str = ""
    party_discipline: bool = attrs.field(default=False, converter=_yes_no, validator=_check_yes_no)
    discipline_related_to_duty: bool = attrs.field(
        default=True, converter=_yes_no_default_yes, validator=_check_yes_no
    )
    leave: str = attrs.field(default="", converter=_read_leave)
    months_worked: float | None = attrs.field(default=None, converter=_read_months)
    carried_months: float | None = attrs.field(default=None, converter=_read_months)

    @carried_months.validator
    def _check_carried_months(self, _a: object, value: object) -> None:
        """A customs quarter's months carried from a short quarter before it in the year
        (CV 21169/CHQ-TCCB), as a frame's ``carried_months`` is checked."""
        if value is None:
            return
        most = 3 * (self.period.number - 1) if self.period.kind == "quarter" else -1
        if most < 0 and isinstance(value, int | float) and not isinstance(value, bool) \
                and value > 0 and float(value).is_integer():  # a month's or a year's row:
            # said in the words of every door (evalkit._columns.carried_months)
            from evalkit import messages  # messages imports this module

            raise ModelError(f"carried_months {value!r}{_where(self.staff_id, self.period)}: "
                             + messages.text("foreign.carried_not_quarter", "en"))
        if (isinstance(value, bool) or not isinstance(value, int | float)
                or not math.isfinite(value) or not float(value).is_integer()
                or not 0 <= value <= max(most, 0)):  # fmt: skip
            raise ModelError(f"carried_months {value!r}{_where(self.staff_id, self.period)} "
                             "must be a whole number of months of the quarters before this "
                             f"quarter of the year (0 to {max(most, 0)}; a quarter's only)")

    @months_worked.validator
    def _check_months_worked(self, _a: object, value: object) -> None:
        """The months worked in the period (a quarter: 0-3 and the months carried into it;
        blank = all of it)."""
        carried = self.carried_months if isinstance(self.carried_months, int | float) else 0
        _check_months(self.staff_id, self.period, value, carried)

    @competent_order.validator
    def _check_competent_order(self, _a: object, value: object) -> None:
        """As a frame checks the column: a whole number from 1, or blank."""
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or value < 1):
            raise ModelError(f"competent_order {value!r}{_where(self.staff_id, self.period)} "
                             "must be a whole number from 1 (1, 2, 3 ...)")

    @events.validator
    def _check_events(self, _a: object, value: Scores) -> None:
        for name, count in value.items():  # counts (late files, apologies), as a frame reads them
            if name not in _EVENT_NAMES:  # it would be ignored (a frame refuses the column)
                raise ModelError(
                    f"event {name!r}{_where(self.staff_id, self.period)} is not one of "
                    f"{', '.join(_EVENT_NAMES)}: it would be ignored; a rule set's criterion "
                    "(a count of errors or delays) goes in the level's scores")
            if not float(count).is_integer():
                raise ScoreError(
                    f"event {name!r} count {_fmt(count)} is not a whole number"
                    f"{_where(self.staff_id, self.period)}"
                )

    @discipline.validator
    def _check_discipline(self, _a: object, value: object) -> None:
        if not isinstance(value, Discipline):
            raise ModelError(
                f"discipline {value!r}{_where(self.staff_id, self.period)} "
                + _accepted("discipline")
            )

    @leave.validator
    def _check_leave(self, _a: object, value: object) -> None:
        if not isinstance(value, str) or value not in LEAVE_KINDS:
            raise ModelError(
                f"leave {value!r}{_where(self.staff_id, self.period)} " + _accepted("leave"))
        if value and (self.kpi is not None or any(
                len(s) for s in (self.self_scores, self.manager_scores, self.competent_scores))):
            raise ModelError(LEAVE_SCORED.format(period_kind=self.period.kind, kind=value,
                                                 where=_where(self.staff_id, self.period)))

    @kpi.validator
    def _check_kpi(self, _a: object, value: float | None) -> None:
        if value is None:
            return
        number = _as_score("kpi", value)
        if number > 100:
            raise ScoreError(
                f"criterion 'kpi' score {_fmt(value)} exceeds its maximum 100"
                f"{_where(self.staff_id, self.period)}"
            )

    def scores(self, level: Level) -> Scores:
        """The scores given at ``level``."""
        return {
            Level.SELF: self.self_scores,
            Level.MANAGER: self.manager_scores,
            Level.COMPETENT: self.competent_scores,
        }[Level(level)]

    def counting_level(self) -> Level | None:
        """The last level that gave any score, or None if nobody scored."""
        for level in (Level.COMPETENT, Level.MANAGER, Level.SELF):
            if len(self.scores(level)):
                return level
        return None

    def counting_scores(self) -> Scores:
        """The scores of the counting level (empty when nobody scored)."""
        level = self.counting_level()
        return self.scores(level) if level is not None else Scores()



# --------------------------------------------------------------------------- results


@attrs.frozen(slots=True)
class Reason:
    """Why a result is what it is: a code, words in both languages and the legal source.

    Codes are stable strings HR systems can match on, e.g. ``band``,
    ``disqualifier.discipline``, ``cap.head_unit``, ``quota.demoted``,
    ``notice.thanhhoa.late_files``, ``not_evaluated`` (nobody scored the person),
    ``not_evaluated.nothing_assigned`` (scored, but nothing assigned where the rule set
    does not evaluate such a period).
    """

    code: str
    message_vi: str
    message_en: str
    source: str = ""

    def message(self, lang: str = "vi") -> str:
        """The message in ``lang``."""
        return self.message_en if lang == "en" else self.message_vi


def _to_category_text(value: object) -> str | None:
    """A staff group as a results frame holds it (``'hop_dong'``); blank or NaN → None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(getattr(value, "value", value)).strip() or None


@attrs.frozen(slots=True)
class EvaluationResult:
    """The outcome of scoring one person for one period.

    ``components`` maps each score block (``general``, ``tasks``, ``bonus`` ...) to its
    points; ``total`` is their sum, rounded as the rule set says; ``score_grade`` is
    the band of the total; ``grade`` is the final grade after disqualifiers, caps and
    quotas (None when the person was not evaluated). ``level_totals`` holds the total
    each level's scores would give and ``level_points`` their block points, for the sheet.

    ``applied`` maps a criterion to the value the engine applied in place of the one the
    counting level typed: the management component d computed from the scores of the staff
    under a leader (NĐ 335/2025 Điều 15) where it differs from the typed one; the sheet
    prints both.

    ``flags`` keeps the period's facts the year reads (:data:`evalkit.scoring.INPUT_FLAGS`
    given other than their default: a discipline level, a party discipline ...; a quarter
    combined from months also its flags derived month by month,
    :data:`evalkit.scoring.PERIOD_FLAGS`) and
    ``leave`` the period's leave (``maternity``, ``sick``, ``absent``): a cap of the year
    that a month does not carry (Hà Nội's, NĐ 90/2020's before 15/9/2023) still reaches the
    year when the months' results are rolled up (:func:`evalkit.units.rollup`).
    ``duty_group`` is the person's group with similar duties in the period, the quota's
    group (NĐ 335/2025 Điều 20 k5 a) when the year is classified, and ``manages_others``
    whether the person held a management post in it (a deputy capped at the head of a
    customs quarter, CV 21169/CHQ-TCCB, when the quarter is classified); ``category`` the
    person's staff group in the period (a year's months-worked rules and disqualifiers are
    for some groups only: NĐ 90/2020 never governed contract staff; an input carried along,
    not compared: ``evalkit.score`` of an assessment knows no group). ``months_worked`` and
    ``carried_months`` are the period's, as its assessment or results frame says them (None:
    the whole period, nothing carried; a year's result: its months worked), which a year
    rolled up from quarter results counts as the frames do. ``tie_inputs`` keeps
    what the quota's tie-break reads besides the points, as a results frame keeps it: the
    deduction inputs the rule set counts (``fewer_deductions``: error and delay counts) and
    the competent level's ``competent_order``, summed and taken from the last period when the
    year is classified (domain brief §4.6).

    ``classified`` is False for a period the rule set scores but does not classify
    (NĐ 335/2025: the months; the year is classified): ``grade`` is then the band the
    score falls in, with the disqualifiers, shown as information only — no head cap,
    no quota. ``proposed_grade`` is the grade before the quota.
    """

    staff_id: str
    period: Period
    rule_set_id: str
    total: float | None
    score_grade: Grade | None
    grade: Grade | None
    components: Mapping[str, float] = attrs.field(factory=Scores, converter=_to_points)
    level: Level | None = None
    level_totals: Mapping[str, float] = attrs.field(factory=Scores, converter=_to_scores)
    reasons: tuple[Reason, ...] = attrs.field(default=(), converter=_to_reasons)
    classified: bool = True
    proposed_grade: Grade | None = None
    level_points: tuple[tuple[str, Scores], ...] = attrs.field(
        default=(), converter=_to_level_points
    )
    applied: Mapping[str, float] = attrs.field(factory=Scores, converter=_to_scores)
    flags: Mapping[str, float] = attrs.field(factory=Scores, converter=_to_scores)
    leave: str = ""
    duty_group: str | None = None
    tie_inputs: Mapping[str, float] = attrs.field(factory=Scores, converter=_to_scores)
    manages_others: bool = False
    category: str | None = attrs.field(default=None, converter=_to_category_text, eq=False)
    months_worked: float | None = attrs.field(default=None, converter=_read_months)
    carried_months: float | None = attrs.field(default=None, converter=_read_months)

    @months_worked.validator
    def _check_months_worked(self, _a: object, value: object) -> None:
        """As an assessment's: 0 to the months of the period and those carried into it;
        None: the whole period."""
        Assessment._check_carried_months(self, _a, self.carried_months)  # type: ignore[arg-type]
        _check_months(self.staff_id, self.period, value, self.carried_months or 0)

    def points_at(self, level: Level | str) -> Mapping[str, float] | None:
        """Block points given by ``level`` alone (for the sheet's columns), or None."""
        key = Level(level).value
        for lvl, pts in self.level_points:
            if lvl == key:
                return pts
        return None

    @property
    def evaluated(self) -> bool:
        """False when nobody scored the person this period ("not evaluated", never zero)."""
        return self.total is not None

    @property
    def not_classified(self) -> bool:
        """True when the period has no grade though the person was evaluated (a total in no
        band, too few months), or a reason of :data:`NOT_CLASSIFIED_CODES` says why (no
        month worked in the year): *Không xếp loại*, not *Chưa đánh giá*."""
        return self.grade is None and (self.evaluated or any(
            c in NOT_CLASSIFIED_CODES for c in self.reason_codes()))

    def reason_codes(self) -> tuple[str, ...]:
        """The codes of :attr:`reasons`, in order."""
        return tuple(r.code for r in self.reasons)

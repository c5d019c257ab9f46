"""Reading one typed value: the yes/no words, numbers and names the readers accept.

One implementation for a frame's cells (:mod:`evalkit._columns` parses each *distinct*
value here) and for a domain object's fields (:mod:`evalkit.model` converts an
:class:`~evalkit.model.Assessment`'s ``discipline``, yes/no flags and ``leave`` here), so
every door accepts and refuses the same values.

Each reader returns the value and ``None``, or a default and the sentence saying why the
value is refused (``"is not a yes/no value: ..."``), for the caller to locate.

>>> bool_of("Không"), bool_of("maybe")[1][:23]
((0, None), 'is not a yes/no value: ')
>>> number_of(" 90,5 ")
(90.5, None)
"""

from __future__ import annotations

import datetime as _dt
import decimal
import functools
import math
import re
import sys
import unicodedata
from collections.abc import Mapping
from typing import Any

# numpy and pandas are not imported here: the model (and ``evalkit --help``) stays light.
# A numpy or pandas value can only exist once they are loaded; each check asks then.


def _np() -> Any:
    return sys.modules.get("numpy")


def _is_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return True
    np = _np()
    return np is not None and isinstance(value, np.bool_)


def _is_num(value: Any) -> bool:
    """An int, float or Decimal (numpy's too), not a bool."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float | decimal.Decimal):
        return True
    np = _np()
    return np is not None and isinstance(value, np.integer | np.floating)


def _float(value: Any) -> float:
    """A number (:func:`_is_num`) as a float; a ``Decimal`` NaN, signaling or not, is NaN
    (``float(Decimal('sNaN'))`` raises); a float32 as the number it shows (89.99, not the
    89.98999786 it holds), as :func:`evalkit._columns.numbers` reads a float32 column."""
    if isinstance(value, decimal.Decimal) and value.is_nan():
        return math.nan
    np = _np()
    if np is not None and isinstance(value, np.floating) and value.itemsize < 8:
        return float(str(value))
    return float(value)


def _is_date(value: Any) -> bool:
    if isinstance(value, _dt.date | _dt.time):
        return True
    np, pd = _np(), sys.modules.get("pandas")
    return (np is not None and isinstance(value, np.datetime64)) or (
        pd is not None and isinstance(value, pd.Period)
    )


def _is_duration(value: Any) -> bool:
    if isinstance(value, _dt.timedelta):
        return True
    np = _np()
    return np is not None and isinstance(value, np.timedelta64)


#: Words read as "yes" (compared ignoring case, accents and separators).
TRUE_WORDS = ("x", "có", "yes", "y", "true", "đúng", "1", "v", "✓", "✔")
#: Words read as "no"; a blank cell is the default instead.
FALSE_WORDS = ("không", "no", "n", "false", "sai", "0", "-")


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    pd = sys.modules.get("pandas")
    if pd is not None and (value is pd.NA or value is pd.NaT):
        return True
    np = _np()
    if np is not None:
        if isinstance(value, np.floating):
            return bool(np.isnan(value))
        if isinstance(value, np.datetime64 | np.timedelta64):
            return bool(np.isnat(value))
    return False


#: Control characters an id may not hold once normalised: C0 (NUL, tab, line breaks …),
#: DEL and C1 (:data:`evalkit._ids.CONTROL`, the rule of every door).
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: What every door says of a staff id holding one (:data:`evalkit._ids.CONTROL_ID`).
CONTROL_ID = "the staff id contains a control character"


#: The columns of a staff-month (the frames, the workbook's score sheet, the results) that
#: hold a name printed on the sheets, refused with a control character inside: the
#: person's, and the identity a results frame carries to the sheets (its position's title,
#: unit's name, manager's name and title: :data:`evalkit.workflow.IDENTITY_COLUMNS`).
NAME_COLUMNS = ("full_name", "title_vi", "position_title", "unit_name", "manager_name",
                "manager_title", "position_title_en", "manager_title_en")
#: The columns of a unit's row (the units frame, the unit results, the archived unit tables)
#: that hold a name printed on the sheets (:attr:`evalkit.model.Unit.name`,
#: ``governing_body``, ``place``), refused with a control character inside.
UNIT_NAME_COLUMNS = ("name", "unit_name", "governing_body", "place")


def control_in_name(value: object) -> bool:
    """Whether a name (a full name, a unit's name, a position's title, a task's text) holds
    a control character — NUL, a tab or a line break, DEL, C1 —, at its edges too (a
    space around it is no control character): refused at every door
    (``foreign.name_control``), since a sheet would print it as nothing or break its line.
    A value that is no text is the readers' to judge.

    >>> control_in_name("Nguyễn Văn A "), control_in_name("Nguyễn\\x00A"), control_in_name(7)
    (False, True, False)
    """
    return isinstance(value, str) and CONTROL.search(value) is not None


#: Characters that print as nothing: zero-width space/joiners, word joiner, BOM, soft
#: hyphen, and the other invisible format characters people paste from web pages (ids
#: are compared without them at every door).
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
_INVISIBLE = "\u200b\u200c\u200d\ufeff"
_NO_MARKS = dict.fromkeys(map(ord, INVISIBLE))


def text_id(text: str) -> str | None:
    """A text id as every door compares it (:func:`evalkit._ids.normal_id`, which the
    frames use; ``Organisation`` links its ids through this one): without invisible
    characters, in NFC, trimmed; None when nothing is left.

    >>> [text_id(x) for x in ["S1 ", "\u200bS1", "Cu\u0301c", " "]]
    ['S1', 'S1', 'Cúc', None]
    """
    return unicodedata.normalize("NFC", text.translate(_NO_MARKS)).strip() or None


def _clean(s: str) -> str:
    """NFC-normalised, stripped of whitespace (NBSP included) and zero-width characters."""
    return unicodedata.normalize("NFC", s).strip().strip(_INVISIBLE).strip()


def _unaccent(s: str) -> str:
    """Casefolded, without accents: 'Có' → 'co', 'Đúng' → 'dung'."""
    s = unicodedata.normalize("NFD", s.casefold()).replace("đ", "d")
    return "".join(ch for ch in s if not unicodedata.combining(ch))


#: What a person types between the words of a name, dropped between two letters or digits:
#: white space, ``_`` and ``-``. Nothing else folds (a dot, ``+``, ``!`` …), nor a separator
#: at an edge: ``HTXS+``, ``H.T.T``, ``HT!`` and ``-HT`` are no grade, ``khiển trách!`` no
#: discipline, at every door (docs/workbook.md).
_SEPARATORS = re.compile(r"(?<=[^\W_])[\s_\-]+(?=[^\W_])")


@functools.lru_cache(maxsize=8192)  # (the names a frame holds are few, read by every step)
def _fold(s: str) -> str:
    """A name (a header, a grade, a discipline, a leave, a category …) as every reader
    compares it: :func:`_clean`, then ignoring case and accents (``đ`` is ``d``) and the
    separators typed between words (:data:`_SEPARATORS`).

    >>> [fold(x) for x in ["Khiển trách", "KHIEN_TRACH", " khien -  trach ", "HTXS+", "_HT"]]
    ['khientrach', 'khientrach', 'khientrach', 'htxs+', '_ht']
    """
    return _SEPARATORS.sub("", _unaccent(_clean(s)))


_NUMBER_RE = re.compile(r"^[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?$")
_NON_FINITE = frozenset({"nan", "inf", "infinity", "+inf", "-inf", "+infinity", "-infinity"})

NOT_A_NUMBER = "is not a number"
NOT_FINITE = "is not a finite number"
YES_NO_NOT_NUMBER = "is a yes/no value, not a number"
DATE_NOT_NUMBER = "is a date, not a number"
DURATION_NOT_NUMBER = "is a duration, not a number"
AMBIGUOUS_SEPARATORS = (
    "is not a number: write it without thousands separators, "
    "with one ',' or '.' before the decimals (90,5 or 90.5)"
)
#: Text read as thousands in one convention and as decimals in the other ('1.000' is one
#: thousand in vi-VN and one in English; '1,000' the reverse): one to three digits, the
#: first not 0, one separator, exactly three digits. Refused rather than guessed.
_THOUSANDS_RE = re.compile(r"^[+-]?[1-9][0-9]{0,2}[.,][0-9]{3}$")
THOUSANDS = (
    "is not a number: one ',' or '.' before exactly three digits may separate thousands "
    "(1.000 is one thousand in vi-VN) or decimals (one in English); write 1000 or 1"
)


def _number_of(value: Any, *, percent_sign: bool = True) -> tuple[float, str | None]:
    """The float a distinct cell value stands for, or NaN and why it is rejected.

    The one number reader of every door (the workbook and CSV cells, ``evalkit amend``, a
    frame's cells, a domain object's fields): numbers, numeric text with a decimal comma
    (``"90,5"``) and, with ``percent_sign``, text ending in a percent sign (``"90%"`` and
    ``"90 %"`` are 90: the scores are on a 0-100 scale already).

    >>> number_of("90%"), number_of("0,5 %"), number_of("1.000")[1][:16]
    ((90.0, None), (0.5, None), 'is not a number:')
    """
    if _is_blank(value):
        return math.nan, None
    if _is_bool(value):
        return math.nan, YES_NO_NOT_NUMBER
    if _is_date(value):
        return math.nan, DATE_NOT_NUMBER
    if _is_duration(value):
        return math.nan, DURATION_NOT_NUMBER
    if _is_num(value):
        try:
            x = _float(value)
        except OverflowError:  # an integer of hundreds of digits (JSON allows 10**400)
            return math.nan, NOT_FINITE
        return (x, None) if math.isfinite(x) else (math.nan, NOT_FINITE)
    if not isinstance(value, str):
        return math.nan, NOT_A_NUMBER
    s = _clean(value)
    if not s:
        return math.nan, None
    if percent_sign and s.endswith("%"):
        s = s[:-1].rstrip()
    if s.lower() in _NON_FINITE:
        return math.nan, NOT_FINITE
    if not _NUMBER_RE.match(s):
        seps = s.count(".") + s.count(",")
        if seps > 1 and re.fullmatch(r"[+-]?[0-9.,]+", s):
            return math.nan, AMBIGUOUS_SEPARATORS
        return math.nan, NOT_A_NUMBER
    if _THOUSANDS_RE.match(s):
        return math.nan, THOUSANDS
    x = float(s.replace(",", "."))  # '1e400' overflows to an infinity: refused as one
    return (x, None) if math.isfinite(x) else (math.nan, NOT_FINITE)


#: A number strictly between 0 and 1 in a percentage (0-100) typed without a percent sign:
#: 0.95 typed for 95 % would read as 0.95 %. Refused at every door (the workbook's Vietnamese
#: words are ``problem.percent_fraction`` of :mod:`evalkit.messages`).
PERCENT_FRACTION = "the value {value} is between 0 and 1: if it means {percent}%, write {percent}"


def _percent_fraction(value: Any, number: float) -> str | None:
    """Why ``value`` (read as ``number``) is refused in a percentage, or None: a number
    strictly between 0 and 1 typed without a percent sign (``"0,5%"`` says what it means).

    >>> percent_fraction(0.95, 0.95)
    'the value 0.95 is between 0 and 1: if it means 95%, write 95'
    >>> percent_fraction("0,5%", 0.5) is None, percent_fraction(1, 1.0) is None
    (True, True)
    """
    if not 0.0 < number < 1.0:
        return None
    if isinstance(value, str) and _clean(value).endswith("%"):
        return None
    return PERCENT_FRACTION.format(value=_short(number), percent=_short(round(number * 100, 6)))


def _short(x: float) -> str:
    """A number as typed: ``95`` for 95.0, ``0.95``."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


_TRUE = frozenset(_unaccent(w) for w in TRUE_WORDS)
_FALSE = frozenset(_unaccent(w) for w in FALSE_WORDS)
NOT_YES_NO = (
    "is not a yes/no value: write x, có, yes, true or 1 for yes; "
    "leave blank or write không, no, false or 0 for no"
)


def _bool_of(value: Any) -> tuple[int, str | None]:
    """1 / 0 for a distinct cell value, -1 for blank, or an error."""
    if _is_blank(value):
        return -1, None
    if _is_bool(value):
        return int(bool(value)), None
    if _is_num(value):
        x = _float(value)
        return (int(x), None) if x in (0.0, 1.0) else (-1, NOT_YES_NO)
    if not isinstance(value, str):
        return -1, NOT_YES_NO
    s = _clean(value)
    if not s:
        return -1, None
    key = _unaccent(s)
    if key in _TRUE:
        return 1, None
    if key in _FALSE:
        return 0, None
    number, err = _number_of(s, percent_sign=False)  # "1.0", "0,0"
    if err is None and number in (0.0, 1.0):
        return int(number), None
    return -1, NOT_YES_NO


class _Choices:
    """A name table folded for matching, with the sentence listing what is accepted."""

    __slots__ = ("accepted", "numeric_range", "table")

    def __init__(self, mapping: Mapping[str, int], numeric_range: tuple[int, int] | None,
                 accepted: str | None = None):
        self.table: dict[str, int] = {}
        shown: dict[int, dict[str, str]] = {}  # value -> casefolded name -> name as given
        for label, value in mapping.items():
            key = _fold(label)
            if not key:
                raise ValueError(f"choice name {label!r} is blank once folded")
            if self.table.setdefault(key, int(value)) != value:
                raise ValueError(
                    f"choice name {label!r} folds to {key!r} like another name, "
                    f"with a different value ({value}, not {self.table[key]})"
                )
            shown.setdefault(int(value), {}).setdefault(label.casefold(), label)
        self.numeric_range = numeric_range
        # the numbers shown only where a number is accepted too (else "1 = …" invites a 1)
        listing = "; ".join(
            (f"{v} = " if numeric_range is not None else "") + ", ".join(names.values())
            for v, names in sorted(shown.items())
        )
        extra = ""
        if numeric_range is not None:
            extra = f"; or a whole number from {numeric_range[0]} to {numeric_range[1]}"
        # a field with a sentence of its own in the catalogue (a discipline) says that one
        self.accepted = accepted or f"is not an accepted value; accepted: {listing}{extra}"

    def number_ok(self, x: float) -> bool:
        if self.numeric_range is None or not math.isfinite(x) or not float(x).is_integer():
            return False
        lo, hi = self.numeric_range
        return lo <= x <= hi

    def of(self, value: Any, default: int) -> tuple[int, str | None]:
        if _is_blank(value):
            return default, None
        if _is_bool(value):
            return default, self.accepted
        if isinstance(value, str):
            s = _clean(value)
            if not s:
                return default, None
            hit = self.table.get(_fold(s))
            if hit is not None:
                return hit, None
            x, err = _number_of(s, percent_sign=False)
            return (int(x), None) if err is None and self.number_ok(x) else (default, self.accepted)
        if _is_num(value):
            x = _float(value)
            return (int(x), None) if self.number_ok(x) else (default, self.accepted)
        return default, self.accepted


_CHOICE_CACHE: dict[tuple[tuple[tuple[str, int], ...], tuple[int, int] | None, str | None],
                    _Choices] = {}


def _choices(mapping: Mapping[str, int], numeric_range: tuple[int, int] | None,
             accepted: str | None = None) -> _Choices:
    key = (tuple(mapping.items()), numeric_range, accepted)
    found = _CHOICE_CACHE.get(key)
    if found is None:
        found = _CHOICE_CACHE[key] = _Choices(mapping, numeric_range, accepted)
    return found


def number_or_none(value: Any) -> float | None:
    """A result's optional figure as a float, None where the cell holds none: a blank, a
    NaN, a yes/no, a text that is no number. The loose reading of a results row already
    checked (:func:`evalkit.units.results_from_frame` reads its cells first; the render
    door's frames): one implementation for both.

    >>> [number_or_none(v) for v in (7, "88.5", None, float("nan"), True, "abc")]
    [7.0, 88.5, None, None, None, None]
    """
    if value is None or _is_bool(value):
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


#: Public names of the readers (the ``_`` forms are kept for :mod:`evalkit._columns`).
is_blank = _is_blank
clean = _clean
unaccent = _unaccent
fold = _fold
number_of = _number_of
percent_fraction = _percent_fraction
bool_of = _bool_of
choices = _choices
Choices = _Choices

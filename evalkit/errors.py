"""The exception family of evalkit.

Every error evalkit raises on purpose derives from :class:`EvalkitError`, so one
``except evalkit.EvalkitError`` catches them all. Messages are sentences that carry
the offending data (ids, values, periods, files, rows), for example::

    criterion 'chat_luong' score 31 exceeds its maximum 30 (staff 'CC-0042', 2026-03)

The hierarchy::

    EvalkitError
    ├── ModelError (also ValueError)          invalid domain objects
    │   ├── PeriodError                       a month such as 2026-13
    │   ├── ScoreError                        negative, non-numeric or above maximum
    │   ├── UnknownReferenceError (KeyError)  unknown criterion, unit, position, staff
    │   └── OrganisationError                 cycles, heads outside their unit, duplicates
    ├── RuleSetError                          a rule-set file or object is invalid
    │   └── RuleSetNotInForceError            a set used outside its effective dates
    ├── NoRuleSetError (LookupError)          no rule set in force for a category and period
    ├── InputError                            a file of input data has problems (all listed)
    ├── OutputError (also OSError)            an output file or folder cannot be written
    └── RenderError                           a sheet could not be rendered
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

__all__ = [
    "EvalkitError",
    "InputError",
    "InputProblem",
    "ModelError",
    "NoRuleSetError",
    "OrganisationError",
    "OutputError",
    "PeriodError",
    "RenderError",
    "RuleSetError",
    "RuleSetNotInForceError",
    "ScoreError",
    "UnknownReferenceError",
]


class EvalkitError(Exception):
    """Root of every error evalkit raises on purpose.

    >>> import evalkit
    >>> issubclass(evalkit.ScoreError, evalkit.EvalkitError)
    True
    """


class ModelError(EvalkitError, ValueError):
    """A domain object was constructed with invalid values."""


class PeriodError(ModelError):
    """A period string or number is not a valid month, quarter or year."""


class ScoreError(ModelError):
    """A score is not a finite number, is negative, or exceeds its maximum."""


class UnknownReferenceError(ModelError, KeyError):
    """An id refers to something that does not exist (criterion, unit, position, staff)."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else ""


class OrganisationError(ModelError):
    """The organisation is inconsistent: a unit cycle, a head outside their unit, duplicates.

    :class:`~evalkit.model.Organisation` checks everything before raising: ``problems``
    holds every problem found (each the error it would raise alone), the message lists
    them. One problem alone is raised as itself (``problems`` is then that one error).
    When any problem is an unknown reference, the error raised for several is also an
    :class:`UnknownReferenceError`, so either ``except`` catches it.
    """

    def __init__(self, *args: object, problems: Sequence[ModelError] = ()) -> None:
        super().__init__(*args)
        self.problems: tuple[ModelError, ...] = tuple(problems) or (self,)

    @classmethod
    def of(cls, problems: Sequence[ModelError]) -> ModelError:
        """The error for ``problems``: the one itself, else one holding them all (its
        message lists the first 50 and counts the rest).

        >>> e = OrganisationError.of([OrganisationError(f"unit 'U{i}' twice") for i in range(60)])
        >>> len(e.problems), str(e).splitlines()[0], str(e).splitlines()[-1]
        (60, '60 problems in the organisation:', '  ... and 10 more')
        """
        if len(problems) == 1:
            return problems[0]
        # the message lists the first 50, as InputError's does; ``problems`` keeps every one
        lines = [f"{len(problems)} problems in the organisation:"]
        lines += [f"  - {p}" for p in problems[:50]]
        if len(problems) > 50:
            lines.append(f"  ... and {len(problems) - 50} more")
        kind = (
            _UnknownInOrganisationError
            if any(isinstance(p, UnknownReferenceError) for p in problems)
            else OrganisationError
        )
        return kind("\n".join(lines), problems=problems)


class _UnknownInOrganisationError(OrganisationError, UnknownReferenceError):
    """Several organisation problems, among them an unknown reference."""


class RuleSetError(EvalkitError):
    """A rule set is invalid. The message names the file and the key path."""

    def __init__(self, message: str, *, source: str | None = None, key: str | None = None):
        where = ", ".join(p for p in (source and f"file {source}", key and f"key {key}") if p)
        super().__init__(f"{message} ({where})" if where else message)
        self.source = source
        self.key = key
        self.reason = message


class RuleSetNotInForceError(RuleSetError):
    """A rule set was applied to a period outside its effective dates without ``force=True``."""


class NoRuleSetError(EvalkitError, LookupError):
    """No registered rule set is in force for the category, jurisdiction and period.

    ``msg`` is the sentence as a catalogue message (:class:`evalkit.messages.Msg`) where
    the registry words it so: ``str(exc)`` is its English, the command line says it in
    the language of the run.
    """

    def __init__(self, *args: object, msg: object = None) -> None:
        super().__init__(*args)
        self.msg = msg


class OutputError(EvalkitError, OSError):
    """An output file cannot be written: no permission, read-only, name too long, disk full.

    ``path`` is the file that was being written; the message says why in words. Nothing
    is left behind: the previous file at ``path`` (if any) is unchanged.

    >>> str(OutputError("cannot write 'x.pdf': the file system is read-only", path="x.pdf"))
    "cannot write 'x.pdf': the file system is read-only"
    """

    def __init__(self, message: str, *, path: str | None = None):
        super().__init__(message)
        self.path = path

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class RenderError(EvalkitError):
    """A sheet or report could not be rendered."""


@attrs.frozen(slots=True)
class InputProblem:
    """One problem found in an input file, located as precisely as possible.

    ``row`` is a row number, or the row's label when a frame is indexed by text (a
    ``staff_id`` index); ``staff_id`` is the person the row belongs to, when known, and
    ``unit_id`` the unit (a row of a units frame or sheet).

    >>> print(InputProblem("score above its maximum", file="in.xlsx", sheet="Điểm",
    ...                    row=17, column="chat_luong", value=31, staff_id="CC-0042"))
    in.xlsx, sheet 'Điểm', row 17, staff 'CC-0042', column 'chat_luong', value 31: score above its maximum
    """

    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | str | None = None
    column: str | None = None
    value: object = None
    staff_id: str | None = None
    unit_id: str | None = attrs.field(default=None, kw_only=True)
    #: A line standing for this many problems found and not listed (the listing of a kind
    #: is capped; :func:`problem_count` counts them); 0 for a problem of its own.
    unlisted: int = attrs.field(default=0, kw_only=True)

    def __str__(self) -> str:
        parts = []
        if self.file is not None:
            parts.append(str(self.file))
        if self.sheet is not None:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row!r}" if isinstance(self.row, str) else f"row {self.row}")
        if self.staff_id is not None:
            parts.append(f"staff {self.staff_id!r}")
        if self.unit_id is not None:
            parts.append(f"unit {self.unit_id!r}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        if self.value is not None:
            parts.append(f"value {self.value!r}")
        where = ", ".join(parts)
        return f"{where}: {self.message}" if where else self.message


def problem_count(problems: Sequence[InputProblem]) -> int:
    """How many problems ``problems`` stand for: each problem is one, and a line saying
    that *n* more of a kind were not listed (``unlisted=n``) is those *n*.

    >>> problem_count([InputProblem("blank"), InputProblem("12 more", unlisted=12)])
    13
    """
    return sum(p.unlisted if getattr(p, "unlisted", 0) > 0 else 1 for p in problems)


class InputError(EvalkitError):
    """An input file has one or more problems; ``problems`` lists every one of them, or,
    where a kind's listing is capped, the first ones and a line saying how many more were
    not listed. ``count`` is the true number of problems found.

    >>> e = InputError([InputProblem("blank", row=2), InputProblem(
    ...     "1999 more row(s) not listed", unlisted=1999)])
    >>> e.count, str(e).splitlines()[0]
    (2000, '2000 problems in the input:')
    """

    def __init__(self, problems: Sequence[InputProblem]):
        self.problems = tuple(problems)
        self.count = n = problem_count(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the input"
        shown = self.problems[:50]
        lines = [head + ":"] + [f"  - {p}" for p in shown]
        if n > problem_count(shown):
            lines.append(f"  ... and {n - problem_count(shown)} more")
        super().__init__("\n".join(lines))

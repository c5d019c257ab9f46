"""JSON for every model and result object, with a versioned document schema.

A document is ``{"schema": "evalkit/1", "kind": KIND, "data": ...}``. ``KIND`` is the
class name (``"Organisation"``, ``"Assessment"``, ``"EvaluationResult"`` ...) or
``"list[ClassName]"`` for a list, or ``"results"`` for a results table
(:mod:`evalkit.io.results`). Inside ``data`` the encoding is (schema ``evalkit/1``):

=====================  ==========================================================
Python                 JSON
=====================  ==========================================================
attrs class            object, one key per field (field names as in the class)
Period                 ``"2026-03"``, ``"2026-Q1"``, ``"2026"``
Grade                  its code: ``"HTXS"``, ``"HTT"``, ``"HT"``, ``"KHT"``
Scores / mappings      object of criterion id to number
StaffCategory, Level   their value: ``"cong_chuc"``, ``"competent"``
Discipline             its level 0-5 (1 = khiển trách)
date                   ``"2026-03-31"``
tuple                  array
=====================  ==========================================================

Readers accept documents of the same major schema (``evalkit/1``); a newer major
version is refused with an :class:`~evalkit.errors.InputError` naming it.

>>> from evalkit import Assessment
>>> from evalkit.io.jsonio import to_json, from_json
>>> a = Assessment("CC-0042", "2026-03", competent_scores={"so_luong": 90})
>>> from_json(to_json(a)) == a
True
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, override

from evalkit._words import _number_of
from evalkit.errors import InputError, InputProblem, OrganisationError
from evalkit.messages import Msg, Words, msg, problem
from evalkit.model import (
    Assessment,
    Criterion,
    CriterionGroup,
    EvaluationResult,
    Grade,
    Organisation,
    Period,
    Position,
    Reason,
    Scores,
    Staff,
    Unit,
)

__all__ = [
    "SCHEMA",
    "converter",
    "document",
    "from_dict",
    "from_json",
    "read_json",
    "register_kind",
    "to_dict",
    "to_json",
    "write_json",
]

#: The schema tag of every document evalkit writes.
SCHEMA = "evalkit/1"

#: The cattrs converter with evalkit's hooks (Period as text, Grade as code, ...).
converter = cattrs.Converter()
converter.register_unstructure_hook(Period, str)
converter.register_structure_hook(Period, lambda v, _t: Period.parse(v))
converter.register_unstructure_hook(Grade, lambda g: g.code)
converter.register_structure_hook(Grade, lambda v, _t: Grade.parse(v))
converter.register_unstructure_hook(Scores, dict)
converter.register_structure_hook(Scores, lambda v, _t: Scores(v))
converter.register_unstructure_hook(_dt.date, lambda d: d.isoformat())
converter.register_structure_hook(_dt.date, lambda v, _t: _dt.date.fromisoformat(v))
converter.register_structure_hook_func(
    lambda t: t == Mapping[str, float], lambda v, _t: Scores(v)
)
converter.register_unstructure_hook_func(
    lambda t: t == Mapping[str, float] or t is Scores, lambda m: {k: float(v) for k, v in m.items()}
)



def _strict(kind: type[Any], accepts: tuple[type[Any], ...], what: str) -> None:
    """Read a JSON value as ``kind`` only when it is one of ``accepts`` (never a boolean
    read as a number nor text read as yes): cattrs alone would call ``bool("maybe")``."""

    def hook(value: Any, _type: Any) -> Any:
        if (isinstance(value, bool) and bool not in accepts) or not isinstance(value, accepts):
            raise ValueError(f"{value!r} is not {what}")
        return kind(value)

    converter.register_structure_hook(kind, hook)


_strict(bool, (bool,), "true or false")
_strict(int, (int,), "a whole number")
_strict(str, (str, int), "text")  # an id written as a number is its text


def _number(value: Any, _type: Any) -> float:
    """A number read as every door reads one (:func:`evalkit._words._number_of`): 85.5,
    ``"85,5"`` and ``" 85.5 "`` are 85.5; ``"abc"``, ``"1e400"``, true and a blank are
    refused, each said as the frames and the workbook say it."""
    x, why = _number_of(value)
    if why is None and math.isnan(x):
        why = "is blank; a number is required"
    if why is not None:
        raise ValueError(f"{value!r} {why}")
    return x


def _as_typed(value: Any, _type: Any) -> Any:
    return value


converter.register_structure_hook(float, _number)
# the kpi, the months worked and the competent order are read by the object's own
# converters (the one number reader, with their blank and percent-sign rules): the
# document's value goes to them as typed, as when an Assessment is made in Python
attrs.resolve_types(Assessment)
converter.register_structure_hook(Assessment, make_dict_structure_fn(
    Assessment, converter, kpi=override(struct_hook=_as_typed),
    months_worked=override(struct_hook=_as_typed), carried_months=override(struct_hook=_as_typed),
    competent_order=override(struct_hook=_as_typed)))  # fmt: skip

_KINDS: dict[str, type[Any]] = {}


def register_kind(cls: type[Any]) -> type[Any]:
    """Make ``cls`` (an attrs class) readable by :func:`from_json` under its class name."""
    attrs.resolve_types(cls)
    _KINDS[cls.__name__] = cls
    return cls


for _cls in (Assessment, Criterion, CriterionGroup, EvaluationResult, Organisation, Position,
             Reason, Staff, Unit):  # fmt: skip
    register_kind(_cls)
_KINDS["Period"] = Period
_KINDS["Grade"] = Grade


def to_dict(obj: Any) -> Any:
    """The JSON-ready data of ``obj`` (an attrs object, a list of them, a Period ...)."""
    if isinstance(obj, list | tuple):
        return [converter.unstructure(x) for x in obj]
    return converter.unstructure(obj)


def from_dict(data: Any, cls: Any, *, source: str | None = None) -> Any:
    """Build a ``cls`` (e.g. ``Assessment`` or ``list[Assessment]``) from JSON data.

    Invalid data raises :class:`~evalkit.errors.InputError` with one problem per invalid
    value, each naming the file (``source``), the field as its column (``unit_id``, as the
    other doors name a column), and in its sentence the class, the value's path in the
    document (``$.staff[0].unit_id``) and what is wrong.
    """
    try:
        return converter.structure(data, cls)
    except Exception as exc:
        kind = _kind_name(cls)
        raise InputError([InputProblem(f"cannot read {kind} at {path}: {why}" if path not in (None, "$") else
                                       f"cannot read {kind}: {why}", source,
                                       column=_field_of(path))
                          for why, path in _why(exc)]) from None  # fmt: skip


def _field_of(path: str | None) -> str | None:
    """The field a JSON path ends at, the column the other doors name.

    >>> _field_of("$.staff[1].unit_id"), _field_of("$.total"), _field_of("$[2]"), _field_of(None)
    ('unit_id', 'total', None, None)
    """
    found = re.findall(r"\.([^.\[\]]+)", path or "")
    return found[-1] if found else None


def _why(exc: BaseException) -> list[tuple[str, str | None]]:
    """``(what is wrong, path in the document)`` for each invalid value (at most 200)."""
    if isinstance(exc, OrganisationError):  # every problem of the organisation, one each
        return [(str(p) or repr(p), None) for p in exc.problems]
    if not isinstance(exc, cattrs.BaseValidationError):
        return [(str(exc) or repr(exc), None)]

    def say(e: BaseException, _type: Any) -> str:
        if type(e) is KeyError:  # cattrs reports a missing required field by its key
            return "a required field is missing"
        if isinstance(e, OrganisationError):  # every problem, split again below
            return _EACH.join(str(p) or repr(p) for p in e.problems)
        return str(e) or repr(e)

    out: list[tuple[str, str | None]] = []
    for leaf in cattrs.transform_error(exc, format_exception=say)[:200]:
        why, _at, path = leaf.rpartition(" @ ")
        for one in (why or leaf).split(_EACH):
            out.append((one, path) if why else (one, None))
    return out


_EACH = "\x1f"  # joins the problems of one error inside cattrs' sentence


def _kind_name(cls: Any) -> str:
    args = getattr(cls, "__args__", None)
    if args:
        return f"list[{args[0].__name__}]"
    return str(getattr(cls, "__name__", cls))


def _kind_of(obj: Any) -> str:
    if isinstance(obj, list | tuple):
        inner = type(obj[0]).__name__ if obj else "object"
        return f"list[{inner}]"
    return type(obj).__name__


def document(obj: Any, kind: str | None = None) -> dict[str, Any]:
    """The versioned document of ``obj``: ``{"schema": "evalkit/1", "kind": ..., "data": ...}``."""
    return {"schema": SCHEMA, "kind": kind or _kind_of(obj), "data": to_dict(obj)}


def to_json(obj: Any, *, indent: int | None = 2) -> str:
    """Serialise ``obj`` as a versioned evalkit JSON document (UTF-8 text, Vietnamese kept)."""
    return json.dumps(document(obj), ensure_ascii=False, indent=indent)


def _check_schema(doc: Any, where: str) -> None:
    if not isinstance(doc, dict) or "schema" not in doc or "data" not in doc:
        raise InputError([InputProblem(
            "not an evalkit JSON document (expected keys 'schema', 'kind', 'data')", where,
        )])  # fmt: skip
    schema = doc["schema"]
    if not isinstance(schema, str) or not schema.startswith("evalkit/"):
        raise InputError([InputProblem("unknown schema", where, column="schema", value=schema)])
    major = schema.split("/", 1)[1].split(".")[0]
    if major != SCHEMA.split("/")[1]:
        raise InputError([InputProblem(
            f"schema {schema} is not supported by this evalkit (reads {SCHEMA})", where,
            column="schema", value=schema,
        )])  # fmt: skip


def _kind_words(kind: str) -> Msg:
    """A document kind as a user knows it (a results file, an organisation file ...)."""
    if kind == "results":
        return msg("kind.results")
    if kind == "Organisation":
        return msg("kind.organisation")
    return msg("kind.other", kind=kind)


def parse_document(text: str | bytes, source: str | None, expected: str | None = None) -> Any:
    """The JSON value of ``text``, or InputError saying (in the catalogue's words) that the
    file is not JSON: an Excel workbook, not UTF-8 text, or where the syntax breaks.
    ``expected`` (a document kind) is named as what the file should have been."""
    want: Msg | str = (msg("problem.json.expected", kind=_kind_words(expected))
                       if expected else "")  # fmt: skip
    try:
        return json.loads(text)
    except UnicodeDecodeError:
        zipped = isinstance(text, bytes) and text.startswith(b"PK")
        said = msg("problem.json.excel" if zipped else "problem.json.not_utf8", expected=want)
    except (ValueError, RecursionError) as exc:
        at = (Words(f" (dòng {exc.lineno}, cột {exc.colno})", f" ({exc})")
              if isinstance(exc, json.JSONDecodeError) else Words("", f" ({exc})"))  # fmt: skip
        said = msg("problem.json.invalid", detail=at, expected=want)
    raise InputError([problem(said, file=source)])


def from_json(text: str | bytes, cls: Any = None, *, source: str | None = None) -> Any:
    """Read a document written by :func:`to_json`; ``cls`` defaults to the document's kind.

    A document of another kind than ``cls`` (a results file read as an ``Organisation``)
    is refused as a whole, naming both kinds."""
    want = _kind_name(cls) if cls is not None else None
    doc = parse_document(text, source, want)
    _check_schema(doc, source or "")
    found = doc.get("kind")
    if want is not None and isinstance(found, str) and found != want and (
            found == "results" or found in _KINDS):  # fmt: skip
        raise InputError([problem(msg("problem.json.other_kind", found=_kind_words(found),
                                      kind=_kind_words(want)),
                                  file=source, column="kind", value=found)])  # fmt: skip
    if cls is None:
        kind = str(doc.get("kind", ""))
        inner = kind[5:-1] if kind.startswith("list[") and kind.endswith("]") else kind
        if inner not in _KINDS:
            raise InputError([InputProblem(
                f"unknown document kind {kind!r}; known: {', '.join(sorted(_KINDS))}", source,
                column="kind", value=kind,
            )])  # fmt: skip
        target = _KINDS[inner]
        cls = list.__class_getitem__(target) if inner != kind else target
    return from_dict(doc["data"], cls, source=source)


def write_json(path: str | os.PathLike[str], obj: Any) -> Path:
    """Write ``obj`` as a JSON document to ``path`` atomically; return the path."""
    from evalkit._files import atomic_path

    with atomic_path(path) as tmp:
        tmp.write_text(to_json(obj) + "\n", encoding="utf-8")
    return Path(path)


def read_json(path: str | os.PathLike[str], cls: Any = None) -> Any:
    """Read a JSON document from ``path`` (see :func:`from_json`)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputError([InputProblem(f"cannot read: {exc.strerror}", str(path))]) from None
    return from_json(raw, cls, source=str(path))

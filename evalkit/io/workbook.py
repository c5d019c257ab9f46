"""Fill-in workbooks: write a month's template, read it back with cell-precise problems.

A month's workbook carries everything the month needs (see ``docs/workbook.md``):

``Nhân sự - Điểm`` (:data:`SCORES_SHEET`)
    one row per person: who they are (id, name, chức vụ, position, unit, direct manager,
    category, period, duty group), then each level's scores — the person's own
    (``self__<criterion>``), the direct manager's (``manager__<criterion>``) and the
    competent level's (``competent__<criterion>``), one column per criterion of the rule
    set with its maximum in the header — each level's comment and proposed grade
    (``self_grade``, ``manager_grade``), the competent level's conclusion
    (``competent_grade`` with ``competent_reason``), then the facts (KPI, discipline,
    degradation, leave ...);
``Đơn vị`` (:data:`UNITS_SHEET`)
    units: id, name, parent, head, category or rule set, governing body, place, and the
    unit's own results (task counts, self score, council score, exceptional ...);
``Vị trí việc làm`` (:data:`POSITIONS_SHEET`)
    job positions: id, title, whether it manages others;
``Người ký`` (:data:`SIGNATORIES_SHEET`)
    who signs for the competent level, the agency's name, governing body and place, for
    the whole agency (blank unit) or per unit;
``Nhiệm vụ`` (:data:`TASKS_SHEET`), ``Thông tin`` (:data:`INFO_SHEET`) and ``Hướng dẫn``
    tasks from a task tracker, the format/rule set/period, and instructions.

:func:`write_template` writes it; :func:`read_month` (and :func:`read_workbook`,
:func:`read_csv` for the score sheet as CSV) streams it back in bounded memory (openpyxl
read-only mode, chunks of rows checked vectorised) and reports *every* problem found,
each with file, sheet, row, column and value, sorted by sheet and row, one per cell — it
never raises on bad content. The counting score of each criterion is the last level's that
scored it (competent, else manager, else self). :func:`read_organisation` turns the same
sheets (or CSV files of them) into an :class:`~evalkit.model.Organisation`.

``io`` reads and writes: nothing here scores or classifies.

>>> import tempfile, pathlib
>>> from evalkit.io.workbook import write_template, read_workbook
>>> path = pathlib.Path(tempfile.mkdtemp()) / "t.xlsx"
>>> _ = write_template(path, "vn.nd335-2025", "2026-03")
>>> frame, problems = read_workbook(path)
>>> len(frame), problems
(0, [])
"""

from __future__ import annotations

import csv as _csv
import datetime as _dt
import difflib
import functools
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from evalkit import _columns, _ids, _words
from evalkit._org import loops, manager_links
from evalkit._words import number_of as _number_of
from evalkit._words import percent_fraction as _percent_fraction
from evalkit.errors import EvalkitError, InputError, InputProblem, OrganisationError, OutputError
from evalkit.io._cells import (
    INVISIBLE,
    RESULTS_SHEET,
    SheetScan,
    csv_delimiter,
    csv_records,
    is_results_header,
    normalise_ids,
    open_csv,
    padding_styles,
    percent_styles,
    scan_sheet,
    show_id,
    shown_number,
    split_ref,
    undecodable_line,
)
from evalkit.messages import Msg, Words, msg, problem
from evalkit.model import (
    Grade,
    Organisation,
    Period,
    Position,
    Staff,
    StaffCategory,
    Unit,
)
from evalkit.rules import RuleSet, default_registry, resolve
from evalkit.scoring import (
    criterion_of,
    foreign_said,
    head_post_source,
    management_duty,
    management_only_inputs,
    unread_scores,
)

__all__ = [
    "INFO_SHEET",
    "INSTRUCTIONS_SHEET",
    "LEVELS",
    "POSITIONS_SHEET",
    "POSITION_COLUMNS",
    "SCORES_SHEET",
    "SHEET_ORDER",
    "SIGNATORIES_SHEET",
    "SIGNATORY_COLUMNS",
    "STAFF_COLUMNS",
    "TASKS_SHEET",
    "TASK_COLUMNS",
    "UNITS_SHEET",
    "Column",
    "MonthInput",
    "csv_delimiter",
    "normalise_ids",
    "organisation_of_month",
    "read_csv",
    "read_input",
    "read_month",
    "read_months",
    "read_organisation",
    "read_table_csv",
    "read_workbook",
    "rule_set_named",
    "score_columns",
    "sorted_problems",
    "unit_columns",
    "write_template",
]

#: The score sheet: one row per person. (Excel forbids "/" in sheet names.)
SCORES_SHEET = "Nhân sự - Điểm"
#: Units and their own results.
UNITS_SHEET = "Đơn vị"
#: Job positions.
POSITIONS_SHEET = "Vị trí việc làm"
#: Who signs, and the agency's header (name, governing body, place).
SIGNATORIES_SHEET = "Người ký"
#: Tasks from a task tracker (optional).
TASKS_SHEET = "Nhiệm vụ"
#: Metadata: rule set, period, format version.
INFO_SHEET = "Thông tin"
#: Instructions in Vietnamese.
INSTRUCTIONS_SHEET = "Hướng dẫn"
#: The sheets in the order the template writes them (and problems are listed).
SHEET_ORDER = (SCORES_SHEET, UNITS_SHEET, POSITIONS_SHEET, SIGNATORIES_SHEET, TASKS_SHEET,
               INFO_SHEET, INSTRUCTIONS_SHEET)  # fmt: skip

WORKBOOK_FORMAT = "evalkit-workbook/2"
#: The formats of ``Thông tin``'s ``format`` cell this version reads: its own, and the
#: first (bare criterion ids in the headers: the competent level's scores).
WORKBOOK_FORMATS_READ = ("evalkit-workbook/1", WORKBOOK_FORMAT)
CHUNK_ROWS = 20_000
DEFAULT_MAX_PROBLEMS = 10_000

#: The three levels that score a person, in the order they score (domain brief §3).
LEVELS = ("self", "manager", "competent")

Progress = Callable[[int, "int | None"], None]
Kind = Literal[
    "text", "id", "number", "count", "bool", "discipline", "period", "category", "date",
    "grade", "leave", "rules",
]  # fmt: skip


@attrs.frozen(slots=True)
class Column:
    """One column of a sheet: id (in brackets in the header), label, kind, maximum.

    ``default`` is what a blank cell means for a yes/no column (False unless said);
    ``values`` the only values the rule set allows (a management criterion: 100 or 50).
    """

    id: str
    label: str
    kind: Kind = "text"
    maximum: float | None = None
    required: bool = False
    default: bool = False
    values: tuple[float, ...] = ()

    def header(self) -> str:
        """The header cell text: ``'Kỷ luật, kỷ cương — tự chấm (tối đa 5) [self__ky_luat]'``,
        ``'… (100 hoặc 50) [manager__to_chuc_trien_khai]'`` when only some values are allowed."""
        if self.kind == "number" and self.values:
            return f"{self.label} ({' hoặc '.join(_fmt(v) for v in self.values)}) [{self.id}]"
        if self.kind == "number" and self.maximum is not None:
            return f"{self.label} (tối đa {_fmt(self.maximum)}) [{self.id}]"
        return f"{self.label} [{self.id}]"


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}".replace(".", ",")


def _num(x: float) -> Words:
    """A number in a message, in each language's decimal mark (2,5 in Vietnamese, 2.5 in
    English).

    >>> _num(2.5).text("vi"), _num(2.5).text("en"), _num(100.0).text("en")
    ('2,5', '2.5', '100')
    """
    vi = _fmt(x)
    return Words(vi, vi.replace(",", "."))


def _whole(x: float) -> int | float:
    """A count as the value of a problem: 20, not 20.0; a figure beyond the whole numbers a
    float holds exactly as the float (1e+308, as a units frame says it, not its 309 digits).

    >>> _whole(20.0), _whole(2.5), _whole(1e308)
    (20, 2.5, 1e+308)
    """
    return int(x) if float(x).is_integer() and abs(x) < 2**53 else float(x)


#: Who the person is: the first columns of the score sheet (and of a staff CSV).
STAFF_COLUMNS = (
    Column("staff_id", "Mã nhân sự", "id", required=True),
    Column("full_name", "Họ và tên"),
    Column("title_vi", "Chức vụ"),
    Column("position_id", "Mã vị trí việc làm", "id"),
    Column("unit_id", "Mã đơn vị", "id"),
    Column("manager_id", "Mã người quản lý trực tiếp", "id"),
    Column("category", "Nhóm (cong_chuc, vien_chuc, can_bo, hop_dong)", "category"),
    Column("period", "Kỳ đánh giá (yyyy-mm)", "period"),
    Column("manages_others", "Có quản lý (x)", "bool"),
    Column("duty_group", "Nhóm nhiệm vụ tương đồng"),
)
_LEVEL_WORDS = {"self": "tự chấm", "manager": "người quản lý trực tiếp chấm",
                "competent": "cấp có thẩm quyền chấm"}  # fmt: skip
_LEVEL_TAIL = {
    "self": (Column("self_comment", "Tự nhận xét"),
             Column("self_grade", "Tự đề xuất mức xếp loại", "grade")),
    "manager": (Column("manager_comment", "Nhận xét của người quản lý trực tiếp"),
                Column("manager_grade", "Người quản lý trực tiếp đề xuất mức xếp loại", "grade")),
    "competent": (Column("competent_comment", "Nhận xét của cấp có thẩm quyền"),
                  Column("competent_grade", "Cấp có thẩm quyền kết luận mức xếp loại", "grade"),
                  Column("competent_reason",
                         "Lý do kết luận (bắt buộc khi khác mức theo điểm)")),
}  # fmt: skip
_FACTS = (
    Column("kpi", "KPI phần mềm (%)", "number", 100.0),
    Column("degradation", "Suy thoái (x)", "bool"),
    Column("discipline", "Kỷ luật (0 không, 1 khiển trách ... 5)", "discipline"),
    Column("discipline_related_to_duty",
           "Kỷ luật do vi phạm khi thi hành công vụ (để trống = có; ghi 'không' nếu không)",
           "bool", default=True),
    Column("party_discipline", "Kỷ luật Đảng trong năm (x)", "bool"),
    Column("corruption_in_unit", "Tham nhũng, lãng phí trong đơn vị mình quản lý (x)", "bool"),
    Column("late_files", "Số hồ sơ trễ hẹn", "count"),
    Column("apologies", "Số lần xin lỗi công khai", "count"),
    Column("leave", "Nghỉ theo quy định (thai sản, ốm, vắng)", "leave"),
    Column("competent_order", "Thứ tự ưu tiên của cấp có thẩm quyền", "count"),
)
_UNIT_HEAD = (
    Column("unit_id", "Mã đơn vị", "id", required=True),
    Column("name", "Tên đơn vị"),
    Column("parent_id", "Mã đơn vị cấp trên", "id"),
    Column("head_id", "Mã người đứng đầu", "id"),
    Column("category", "Nhóm áp dụng (để trống: theo nhân sự)", "category"),
    Column("rule_set", "Bộ tiêu chí của đơn vị (để trống: theo nhân sự)", "rules"),
    Column("governing_body", "Cơ quan chủ quản"),
    Column("place", "Địa danh (nơi ký)"),
)
#: Who the unit is, last on the sheet (added after the inputs: columns typed by their place
#: keep it): a public service unit (NĐ 233/2026/NĐ-CP Điều 3 k2, Điều 12 k6 b).
_UNIT_PSU = Column("public_service_unit", "Là đơn vị sự nghiệp công lập (x)", "bool")
_UNIT_INPUTS = (
    Column("tasks_assigned", "Số nhiệm vụ được giao", "count"),
    Column("tasks_done", "Số nhiệm vụ hoàn thành", "count"),
    Column("tasks_on_time", "Số nhiệm vụ hoàn thành đúng hạn", "count"),
    Column("tasks_overdue", "Số nhiệm vụ quá hạn", "count"),
    Column("tasks_exceeded", "Số nhiệm vụ hoàn thành vượt", "count"),
    Column("cross_score", "Điểm đánh giá chéo", "number", 100.0),
    Column("satisfaction", "Chỉ số hài lòng (SIPAS)", "number", 100.0),
    Column("reform_index", "Chỉ số cải cách hành chính", "number", 100.0),
    Column("bonus", "Điểm thưởng", "number"),
    Column("deduction", "Điểm trừ", "number"),
    Column("inspection_deduction", "Điểm trừ qua kiểm tra công vụ", "number"),
    Column("self_score", "Điểm đơn vị tự chấm", "number", 100.0),
    Column("council_score", "Điểm do hội đồng thẩm định chấm", "number", 100.0),
    Column("exceptional", "Được cấp có thẩm quyền công nhận đặc biệt xuất sắc (x)", "bool"),
    Column("late_work", "Có việc chậm tiến độ (x)", "bool"),
    Column("disciplined", "Tập thể đơn vị bị kỷ luật (x)", "bool"),
    Column("leadership_disciplined", "Thành viên lãnh đạo bị kỷ luật (x)", "bool"),
    Column("shortcomings_unremedied",
           "Chưa khắc phục hết hạn chế, khuyết điểm đã được chỉ ra (x)", "bool"),
    Column("personnel_wrongdoing", "Bị kết luận sai phạm trong công tác cán bộ, mất đoàn kết, "
           "bè phái, chạy chức, chạy quyền (x)", "bool"),
    Column("leadership_duty_disciplined", "Thành viên lãnh đạo, quản lý vi phạm liên quan đến "
           "chức trách, nhiệm vụ bị kỷ luật từ khiển trách trở lên (x)", "bool"),
    Column("leadership_degraded", "Thành viên lãnh đạo, quản lý bị kết luận có biểu hiện suy "
           "thoái (x)", "bool"),
    Column("socioeconomic_targets_missed", "Không hoàn thành 5 chỉ tiêu kinh tế - xã hội cơ bản "
           "được giao, phê duyệt (x)", "bool"),
    Column("excellent_share_raised", "Cấp có thẩm quyền quyết định tỷ lệ đơn vị trực thuộc "
           "hoàn thành xuất sắc nhiệm vụ cao hơn (x)", "bool"),
)
#: Job positions.
POSITION_COLUMNS = (
    Column("position_id", "Mã vị trí việc làm", "id", required=True),
    Column("title", "Tên vị trí việc làm"),
    Column("title_en", "Tên tiếng Anh (tùy chọn)"),
    Column("manages_others", "Có quản lý (x)", "bool"),
)
#: Who signs: per unit (blank = the whole agency).
SIGNATORY_COLUMNS = (
    Column("unit_id", "Mã đơn vị (để trống: cả cơ quan)", "id"),
    Column("agency", "Tên cơ quan, đơn vị (ghi ở đầu phiếu)"),
    Column("governing_body", "Cơ quan chủ quản (dòng trên tên cơ quan)"),
    Column("place", "Địa danh (nơi ký)"),
    Column("approver_id", "Mã người ký thay cấp có thẩm quyền", "id"),
    Column("approver_name", "Họ tên người ký cấp có thẩm quyền"),
    Column("approver_title", "Chức vụ người ký cấp có thẩm quyền"),
)
#: Tasks from a task tracker.
TASK_COLUMNS = (
    Column("task_id", "Mã nhiệm vụ", "id"),
    Column("assignee", "Mã người được giao", "id", required=True),
    Column("unit_id", "Mã đơn vị", "id"),
    Column("title", "Nội dung nhiệm vụ"),
    Column("assigned", "Ngày giao", "date", required=True),
    Column("due", "Hạn hoàn thành", "date", required=True),
    Column("done", "Ngày hoàn thành", "date"),
    Column("errors", "Số lỗi lớn về chất lượng", "count"),
    Column("exceeded", "Vượt yêu cầu (x)", "bool"),
    # converted products (NĐ 335/2025 Điều 14 k1): quantity × coefficient, blank = 1
    Column("quantity", "Số lượng sản phẩm được giao (để trống = 1)", "number"),
    Column("coefficient", "Hệ số quy đổi sản phẩm (để trống = 1)", "number"),
    # NĐ 335/2025 Điều 14 k2 b, c: no deduction where the competent level confirms an
    # objective cause; the delays counted when the dates do not tell them
    Column("delays", "Số lần chậm tiến độ (để trống: theo ngày hoàn thành)", "count"),
    Column("objective", "Lỗi, chậm do nguyên nhân khách quan được cấp có thẩm quyền xác nhận (x)",
           "bool"),
)
# old header ids read as the new ones
_ALIASES = {UNITS_SHEET: {"score": "council_score"}}
#: Labels the template once gave (lower case): a header typed with one and no ``[id]`` is
#: still read (a person is "nhân sự", not "cán bộ", a category of its own).
_FORMER_LABELS = {"mã cán bộ": "staff_id", "mã cán bộ ký thay cấp có thẩm quyền": "approver_id",
                  "mã cán bộ được giao": "assignee"}  # fmt: skip


def _criterion_column(c: Any, level: str, values: Sequence[float] = ()) -> Column:
    kind: Kind = "count" if c.unit == "count" else "number"
    return Column(f"{level}__{c.id}", f"{c.label_vi} — {_LEVEL_WORDS[level]}", kind,
                  float(c.maximum), values=tuple(float(v) for v in values))  # fmt: skip


def score_columns(rules: RuleSet) -> tuple[Column, ...]:
    """The score sheet's columns for ``rules``: who, then each level's scores of every
    criterion with its comment and grade (self, direct manager, competent level), then
    the facts (KPI, discipline, leave ...)."""
    out: list[Column] = list(STAFF_COLUMNS)
    for level in LEVELS:
        out.extend(_criterion_column(c, level, rules.management.values if c.management else ())
                   for c in rules.criteria())  # fmt: skip
        out.extend(_LEVEL_TAIL[level])
    out.extend(_FACTS)
    if rules.rollup.period_short_months is not None:  # customs: ≤ 1 month of a quarter
        out.extend([_MONTHS_WORKED] if rules.period != "quarter" else [  # a quarter's: with
            attrs.evolve(_MONTHS_WORKED, maximum=None), _CARRIED_MONTHS])  # those carried in
    return tuple(out)


def _template_columns(rules: RuleSet, period: Period) -> tuple[Column, ...]:
    """:func:`score_columns` as a template for ``period`` writes them: a quarter's period
    column asks for the quarter (the reader finds columns by their id)."""
    if period.kind != "quarter":
        return score_columns(rules)
    return tuple(attrs.evolve(c, label="Kỳ đánh giá (yyyy-Qn)") if c.id == "period" else c
                 for c in score_columns(rules))  # fmt: skip


_MONTHS_WORKED = Column("months_worked", "Số tháng làm việc trong kỳ (để trống = cả kỳ)",
                        "number", 3.0)  # fmt: skip
_CARRIED_MONTHS = Column("carried_months", "Số tháng của quý trước chuyển sang (CV 21169/"
                         "CHQ-TCCB; để trống = không có)", "number", 9.0)  # fmt: skip


def unit_columns(rules: RuleSet | None = None, *, template: bool = False
                 ) -> tuple[Column, ...]:  # fmt: skip
    """The units sheet's columns: who the unit is, then its results for the month, with one
    column per evaluating body the rule set declares (``body_<id>``). A template's
    (``template=True``) leaves out each unit flag the rule set does not read
    (:meth:`evalkit.rules.RuleSet.unit_flags_read`); a sheet that has one is still read (and
    a flag set in it refused where the unit's set does not read it)."""
    inputs: tuple[Column, ...] = _UNIT_INPUTS
    if template and rules is not None:
        unread = set(rules.UNIT_FLAGS) - set(rules.unit_flags_read())
        inputs = tuple(c for c in _UNIT_INPUTS if c.id not in unread)
    bodies: tuple[Column, ...] = ()
    if rules is not None:
        bodies = tuple(Column(f"body_{b.id}", f"Điểm của {b.label_vi}", "number", 100.0)
                       for b in rules.units.bodies)  # fmt: skip
        known = {b.id for b in rules.units.bodies}
        bodies += tuple(Column(f"body_{b}", f"Điểm của {b}", "number", 100.0)
                        for b in rules.units.body_ids() if b not in known)  # fmt: skip
    return (*_UNIT_HEAD, *inputs, *bodies, _UNIT_PSU)


# =========================================================================== reading


def _empty() -> pd.DataFrame:
    return pd.DataFrame()


@attrs.define
class MonthInput:
    """Everything a month's workbook holds, read and checked.

    ``staff`` is the staff-month frame of the engine (index: the sheet's row numbers):
    identity columns, each level's scores (``self__<id>`` …), the counting score of each
    criterion (``<id>``), comments, proposed grades and the conclusion, and the facts.
    ``units``, ``positions``, ``signatories`` and ``tasks`` are the other sheets (empty
    frames when absent); ``problems`` lists every problem found.
    """

    staff: pd.DataFrame
    units: pd.DataFrame
    positions: pd.DataFrame
    tasks: pd.DataFrame
    rules: RuleSet | None
    period: Period | None
    problems: list[InputProblem]
    file: str
    signatories: pd.DataFrame = attrs.Factory(_empty)
    sheets: tuple[str, ...] = ()
    #: (sheet row, column) -> a yes/no cell of the units sheet set as typed (``x``, ``có``):
    #: an engine problem on it names the value typed, not ``True``
    typed: dict[tuple[int, str], object] = attrs.Factory(dict)
    #: sheet -> its rows Excel hides that hold data: read and scored as every row (a
    #: filter's hidden rows are the month's too), and named by ``evalkit validate``
    hidden: dict[str, list[int]] = attrs.Factory(dict)
    #: sheet -> its columns Excel hides that hold data, as (letter, column id): read as
    #: every column, and named as the hidden rows are
    hidden_columns: dict[str, list[tuple[str, str]]] = attrs.Factory(dict)


def _sheet_rank(name: str | None) -> int:
    if name is None:
        return -1
    try:
        return SHEET_ORDER.index(name)
    except ValueError:
        return len(SHEET_ORDER)


def sorted_problems(
    problems: Iterable[InputProblem], columns: Mapping[str | None, Sequence[str]] | None = None
) -> list[InputProblem]:
    """Problems by sheet (in the workbook's order), row and column, one per cell.

    ``columns`` gives each sheet's column order (ids); a second problem of a cell already
    named is left out (the first one says what is wrong there).
    """
    order = {s: {c: i for i, c in enumerate(cols)} for s, cols in (columns or {}).items()}
    seen: set[tuple[str | None, int | str, str]] = set()
    unique: list[InputProblem] = []
    for p in problems:
        if p.row is not None and p.column is not None:
            key = (p.sheet, p.row, p.column)
            if key in seen:
                continue
            seen.add(key)
        unique.append(p)

    def rank(item: tuple[int, InputProblem]) -> tuple[int, int, int, str, int]:
        k, p = item
        row = p.row if isinstance(p.row, int) else (-1 if p.row is None else 10**12)
        cols = order.get(p.sheet, {})
        col = cols.get(p.column or "", len(cols) + 1) if p.column is not None else -1
        return (_sheet_rank(p.sheet), row, col, "" if isinstance(p.row, int) else str(p.row), k)

    return [p for _, p in sorted(enumerate(unique), key=rank)]


def _blank_csv(header: Sequence[str], path: Path) -> bool:
    """Whether a CSV whose first line is ``header`` holds nothing at all (no byte but
    spaces, line breaks, separators and a BOM): one problem says it, not every column."""
    if any(f.strip() for f in header):
        return False
    try:
        return not path.read_bytes().replace(b"\xef\xbb\xbf", b"").strip(b" \t\r\n,;")
    except OSError:
        return False


def _not_csv(exc: Exception) -> Msg:
    """Why a CSV cannot be read, in words a user can act on (never Python's text alone)."""
    if isinstance(exc, UnicodeDecodeError):
        return msg("problem.not_utf8", detail=Words("", f" ({exc})"))
    return msg("problem.not_csv", detail=Words("", f" ({exc})"))


#: What :func:`_csv_failure` says: the errors :func:`~evalkit.io._cells.open_csv` lets through.
_CSV_FAILURES = (OSError, UnicodeDecodeError, _csv.Error)


def _csv_failure(exc: Exception, path: Path) -> tuple[Msg, int | None]:
    """The one wording of a CSV that cannot be read, and the line to name (the first line
    that is not UTF-8; None where no line is to blame): a missing file, text that is not
    UTF-8, a file the csv module refuses, any other OS error."""
    if isinstance(exc, FileNotFoundError):
        return msg("problem.file_missing"), None
    if isinstance(exc, UnicodeDecodeError | _csv.Error):
        return _not_csv(exc), undecodable_line(path)
    return msg("problem.cannot_read", detail=str(getattr(exc, "strerror", None) or exc)), None


class _Problems:
    """Collects problems up to a limit, then counts the rest."""

    def __init__(self, file: str, limit: int):
        self.file = file
        self.limit = limit
        self.items: list[InputProblem] = []
        self.dropped = 0
        # cells whose one problem is already said (a formula without a result): other
        # problems of the same cell ("blank required cell") are left out
        self.primary: set[tuple[str | None, int | None, str | None]] = set()
        self.primary_ids: set[int] = set()
        #: data cells hidden under a merged range (sheet, first row, last row, columns):
        #: the range's one problem says them, none of theirs ("blank required cell") is
        #: said again; the range's first cell holds the value and keeps its problems
        self.merged: list[tuple[str | None, int, int, frozenset[str | None]]] = []
        self.columns: dict[str | None, list[str]] = {}
        #: a CSV of the score sheet has no sheet: its problems name the file only
        self.csv_scores = False

    def add(
        self,
        message: Msg,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        staff_id: str | None = None,
        primary: bool = False,
    ) -> None:
        if self.csv_scores and sheet == SCORES_SHEET:
            sheet = None
        if primary:
            self.primary.add((sheet, row, column))
        if len(self.items) >= self.limit:
            self.dropped += 1
            return
        p = problem(message, file=self.file, sheet=sheet, row=row, column=column,
                    value=_plain(value), staff_id=staff_id)  # fmt: skip
        if primary:
            self.primary_ids.add(id(p))
        self.items.append(p)

    def _under_merge(self, p: InputProblem) -> bool:
        row = p.row
        return isinstance(row, int) and any(
            p.sheet == sheet and lo <= row <= hi and p.column in columns
            for sheet, lo, hi, columns in self.merged)  # fmt: skip

    def add_foreign(self, p: InputProblem, *, sheet: str | None = None) -> None:
        """A problem found by another part of the library (kept with its own words)."""
        if len(self.items) >= self.limit:
            self.dropped += 1
            return
        self.items.append(attrs.evolve(p, file=self.file, sheet=sheet))

    def has(self, sheet: str) -> bool:
        """Whether any problem was found on ``sheet``."""
        return any(p.sheet == sheet for p in self.items)

    def done(self, units: pd.DataFrame | None = None) -> list[InputProblem]:
        """The problems in sheet and row order; one on a row of the ``units`` sheet (its
        frame, indexed by sheet row) names the row's unit, as one on a staff row its person."""
        items = self.items
        if self.primary:
            items = [p for p in items if id(p) in self.primary_ids
                     or (p.sheet, p.row, p.column) not in self.primary]  # fmt: skip
        if self.merged:
            items = [p for p in items if id(p) in self.primary_ids
                     or not self._under_merge(p)]  # fmt: skip
        if units is not None and "unit_id" in units.columns:
            ids = {k: v for k, v in units["unit_id"].items() if isinstance(v, str)}
            items = [attrs.evolve(p, unit_id=ids.get(p.row)) if p.sheet == UNITS_SHEET
                     and p.unit_id is None and p.row in ids else p for p in items]  # fmt: skip
        out = sorted_problems(items, self.columns)
        if self.dropped:
            out.append(attrs.evolve(problem(msg("problem.more", n=self.dropped, limit=self.limit),
                                            file=self.file), unlisted=self.dropped))  # fmt: skip
        return out


def _plain(v: object) -> object:
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and np.isnan(v):
        return None
    if isinstance(v, _dt.datetime | _dt.date | _dt.time | _dt.timedelta):
        return v.isoformat() if hasattr(v, "isoformat") else str(v)
    if v is None or isinstance(v, int | float | str | bool):
        return v
    return str(v)


_ID_RE = _columns.HEADER_ID


def _col_letter(i: int) -> str:
    """Excel letters of the 0-based column ``i``."""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


class _Sheet:
    """A sheet being read: its header mapped to column specs."""

    def __init__(
        self, name: str | None, specs: Sequence[Column], problems: _Problems, *,
        csv: bool = False, aliases: Mapping[str, str] | None = None,
        rule_set: str | None = None,
    ):  # fmt: skip
        self.name = name
        #: the id of the rule set the sheet is read under (a score sheet): a header that is a
        #: criterion of another set is said so (:func:`_foreign_criterion`)
        self.rule_set = rule_set
        self.specs = {c.id: c for c in specs}
        self.problems = problems
        self.positions: dict[str, int] = {}  # column id -> 0-based position
        self.unread: dict[int, str] = {}  # position -> text of a header evalkit does not read
        # position -> (problem, column, text) of a header evalkit does not know: said only
        # when a value is under it (an empty note column added at the end is harmless)
        self.unknown: dict[int, tuple[Msg, str, str]] = {}
        self.width = 0  # columns up to the last non-blank header cell
        self.csv = csv
        self.percent: Mapping[int, set[int]] = {}  # row -> percent-formatted columns
        self.padded: Mapping[int, Mapping[int, str]] = {}  # row -> {column: zero-padding format}
        self.aliases = dict(aliases or {})
        self.aliased: dict[str, str] = {}  # column id -> the header id it was read from
        #: positions under a merged header range but its first: their values and the
        #: criteria they hid are said once, by the merged range's problem
        self.hidden: set[int] = set()
        #: (row, column) -> a yes/no cell of the units sheet set, as typed (MonthInput.typed)
        self.typed: dict[tuple[int, str], object] = {}
        problems.columns[name] = list(self.specs)

    def where(self, row: int, pos: int) -> Msg:
        """``cell K17`` in a workbook, ``line 17, field 11`` in a CSV."""
        if self.csv:
            return msg("where.field", line=row, field=pos + 1)
        return msg("where.cell", ref=f"{_col_letter(pos)}{row}")

    def column_of(self, pos: int) -> str:
        """The column id at ``pos`` if the header names one, else its letter (or field)."""
        for cid, p in self.positions.items():
            if p == pos:
                return cid
        return f"field {pos + 1}" if self.csv else _col_letter(pos)

    def add(self, message: Msg, row: int | None, column: str | None, value: object = None,
            staff_id: str | None = None, primary: bool = False) -> None:  # fmt: skip
        self.problems.add(message, sheet=self.name, row=row, column=column, value=value,
                          staff_id=staff_id, primary=primary)  # fmt: skip

    def read_header(self, header: Sequence[object], *, bare_ids: bool = False) -> None:
        """Map header cells to column ids; report renamed, duplicate and missing headers."""
        expected = {c.header(): c.id for c in self.specs.values()}
        by_label = {c.label.strip().lower(): c.id for c in self.specs.values()}
        by_label |= {k: v for k, v in _FORMER_LABELS.items() if v in self.specs}
        for i, cell in enumerate(header):
            if cell is None or (isinstance(cell, str) and not cell.strip()):
                continue
            self.width = i + 1
            text = unicodedata.normalize("NFC", str(cell)).strip()
            m = _ID_RE.search(text)
            cid = m.group(1) if m else None
            if cid is None and bare_ids and (text in self.specs or text in self.aliases):
                cid = text
            if cid is None:
                cid = by_label.get(re.sub(r"\s*\((?:tối đa [^)]*|[0-9,]+(?: hoặc [0-9,]+)+)\)\s*$",
                                          "", text).lower())
            ref = f"{_col_letter(i)}1" if not self.csv else f"{i + 1}"
            where = (msg("where.field", line=1, field=i + 1) if self.csv
                     else msg("where.header", ref=ref))  # fmt: skip
            if cid is not None and cid not in self.specs and cid in self.aliases:
                target = self.aliases[cid]
                if target in self.positions or target in self.aliased:
                    self.add(msg("problem.header.alias_twice", column=target, alias=cid), 1,
                             self.column_of(i), text)  # fmt: skip
                    self.unread[i] = text
                    continue
                self.aliased[target] = cid
                cid = target
            if cid is None or cid not in self.specs:
                close = difflib.get_close_matches(text, list(expected), n=1, cutoff=0.5)
                hint = msg("hint.did_you_mean", name=close[0]) if close else ""
                said = (msg("problem.header.unknown", where=where, hint=hint),
                        _col_letter(i) if not self.csv else f"field {i + 1}", text)
                if isinstance(cell, str):  # a label: said when a value is under it
                    self.unknown[i] = said
                else:  # a number or a date in the header row is data, not a label
                    self.add(*said[:1], 1, *said[1:])
                self.unread[i] = text
                continue
            if cid in self.positions:
                first = self.positions[cid]
                self.add(msg("problem.header.twice", column=cid,
                             first=self._ref(first), second=self._ref(i)), 1, cid, text)
                self.unread[i] = text
                continue
            self.positions[cid] = i

    def say_unknown(self, positions: Iterable[int] | None = None) -> None:
        """Report the unknown headers at ``positions`` (all when None), once each."""
        for pos in list(self.unknown) if positions is None else positions:
            if pos in self.unknown:
                message, column, text = self.unknown.pop(pos)
                self.add(message, 1, column, text)

    def _ref(self, pos: int) -> Msg:
        if self.csv:
            return msg("where.field", line=1, field=pos + 1)
        return msg("where.cell", ref=f"{_col_letter(pos)}1")

    def require(self, ids: Iterable[str]) -> None:
        """Report required columns missing from the header."""
        for cid in ids:
            if cid not in self.positions:
                spec = self.specs[cid]
                self.add(msg("problem.header.missing", header=spec.header()), 1, cid)


_NUMERIC_KINDS = ("integer", "floating", "mixed-integer-float", "empty", "decimal")


def _kind(s: pd.Series) -> str:
    return str(pd.api.types.infer_dtype(s, skipna=True))


def _blank(s: pd.Series) -> npt.NDArray[np.bool_]:
    """Cells that are empty: None/NaN or whitespace-only text."""
    blank: npt.NDArray[np.bool_] = s.isna().to_numpy(dtype=bool, copy=True)
    if _kind(s) in _NUMERIC_KINDS:
        return blank
    is_str = s.map(type).isin((str,)).to_numpy(dtype=bool)
    if is_str.any():
        blank[is_str] = (s[is_str].str.strip() == "").to_numpy(dtype=bool)
    return blank


def _obj(s: pd.Series) -> npt.NDArray[Any]:
    """A column as an object array with None for every blank (no pd.NA leaks out)."""
    arr = s.to_numpy(dtype=object, copy=True)
    arr[pd.isna(arr)] = None
    return arr


def _nfc(s: pd.Series) -> pd.Series:
    """Text in NFC (precomposed Vietnamese letters), as the sheets print it."""
    return s.str.normalize("NFC") if len(s) else s


def _text(s: pd.Series) -> pd.Series:
    """Cell values as stripped text (a number cell ``42.0`` becomes ``'42'``), blanks <NA>."""
    if _kind(s) == "string":
        txt = s.str.strip().astype("string")
    else:
        txt = s.astype("string").str.strip().str.replace(r"^(-?\d+)\.0$", r"\1", regex=True)
    return txt.mask(txt == "")


_GRADES = frozenset(_words.fold(name) for name in _columns.GRADE_NAMES)


def _own_grade_labels(rs: RuleSet) -> list[str]:
    """The Vietnamese labels the set's bands give the grades that are no national name
    (Hà Nội's ``Loại A`` ... ``Loại D``), best grade first: offered by the template."""
    return list(dict.fromkeys(b.label_vi for b in sorted(rs.bands, key=lambda b: -int(b.grade))
                              if b.label_vi in rs.grade_names and _words.fold(b.label_vi) not in _GRADES))


_LEAVES = {_words.fold(name): _columns.LEAVE_KINDS[kind - 1]
           for name, kind in _columns.LEAVE_NAMES.items()}  # fmt: skip


_DATE_TYPES = (_dt.datetime, _dt.date, _dt.time, _dt.timedelta, pd.Timestamp, pd.Timedelta,
               np.datetime64, np.timedelta64)  # fmt: skip


def _dated(s: pd.Series) -> npt.NDArray[np.bool_]:
    """Cells holding a date, a time or a duration (Excel date/time cells)."""
    if pd.api.types.is_datetime64_any_dtype(s.dtype) or pd.api.types.is_timedelta64_dtype(
        s.dtype
    ):
        return s.notna().to_numpy(dtype=bool)
    if _kind(s) in _NUMERIC_KINDS or len(s) == 0:
        return np.zeros(len(s), dtype=bool)
    return s.map(type).isin(_DATE_TYPES).to_numpy(dtype=bool)


#: Text a vi-VN reader takes for thousands and an English one for decimals ('1.000',
#: '2.500'), or the reverse ('1,000'): one to three digits, one separator, exactly three
#: digits.
_THOUSANDS = r"[+-]?[1-9][0-9]{0,2}[.,][0-9]{3}"


#: The catalogue's words of a cell that is no number where the one number reader says more
#: than "is not a number" (evalkit._words): the frames' and the objects' sentence, one wording.
_NOT_NUMBER_WORDS = {_words.NOT_FINITE: "foreign.not_finite",
                     _words.YES_NO_NOT_NUMBER: "foreign.yes_no_not_number"}


def _not_numbers(values: npt.NDArray[Any], mask: npt.NDArray[np.bool_]
                 ) -> list[tuple[npt.NDArray[np.bool_], Msg]]:  # fmt: skip
    """The cells of ``mask`` (no number, no date, no thousands) by what the one number
    reader says of them, each with the catalogue's words: not finite (``'1e400'``), a
    yes/no (TRUE in a number cell), else not a number."""
    said = np.full(len(values), "problem.not_a_number", dtype=object)
    for i in np.flatnonzero(mask):
        said[i] = _NOT_NUMBER_WORDS.get(_number_of(values[i])[1] or "", "problem.not_a_number")
    return [(mask & (said == key), msg(key)) for key in ("problem.not_a_number",
                                                         *_NOT_NUMBER_WORDS.values())
            if (mask & (said == key)).any()]


def _thousands(values: npt.NDArray[Any], mask: npt.NDArray[np.bool_]) -> list[tuple[int, Msg]]:
    """``(index, what)`` of the cells of ``mask`` holding text like '1.000' or '1,000' (see
    :data:`_THOUSANDS`), which :func:`_numbers` refuses: the problem says both readings."""
    out = []
    for i in np.flatnonzero(mask):
        v = values[i]
        if isinstance(v, str) and re.fullmatch(_THOUSANDS, v.strip()):
            text = v.strip()
            key = "problem.thousands" if "." in text else "problem.thousands_comma"
            out.append((int(i), msg(key, text=text,
                                    small=_num(float(text.replace(",", "."))),
                                    big=text.replace(".", "").replace(",", ""))))  # fmt: skip
    return out


def _numbers(s: pd.Series) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """Numbers of a column and the mask of non-blank cells that are not numbers.

    The one number reader every door shares (:func:`evalkit._words.number_of`, once per
    distinct value): a decimal comma (``8,5``) and a percent sign (``90%`` is 90) are
    read; booleans, dates, times, durations, text, infinities and text like ``'1.000'``
    (one thousand in vi-VN, one in English: :func:`_thousands`) are not numbers
    (:func:`_dated` tells dates). Number cells take a fast path (``Decimal`` cells do not:
    a Decimal NaN is not a blank but "is not a finite number", as at every door).
    """
    n = len(s)
    if n == 0:
        return np.zeros(0), np.zeros(0, dtype=bool)
    kind = _kind(s)
    if kind in _NUMERIC_KINDS and kind != "decimal" and not pd.api.types.is_bool_dtype(s.dtype):
        num = pd.to_numeric(s, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan,
                                                         copy=True)  # fmt: skip
        bad = s.notna().to_numpy(dtype=bool) & ~np.isfinite(num)
        num[bad] = np.nan
        return num, bad
    codes, values = _columns._distinct(s)
    parsed = [_number_of(v) for v in values]
    lut = np.array([x for x, _e in parsed] + [np.nan], dtype=np.float64)
    wrong = np.array([e is not None for _x, e in parsed] + [False], dtype=bool)
    num = lut[codes]  # a code of -1 (blank) takes the last entry
    bad = wrong[codes]
    num[bad] = np.nan
    return num, bad


def _bools(
    s: pd.Series, default: bool = False
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Booleans of a column (x, 1, có, yes ... / blank, 0, không, no ...) and bad cells,
    read by the one yes/no reader of every door (:func:`evalkit._words.bool_of`, once per
    distinct value); a blank cell is ``default``."""
    if len(s) == 0:
        return np.zeros(0, dtype=bool), np.zeros(0, dtype=bool)
    codes, values = _columns._distinct(s)
    read = [_words.bool_of(v) for v in values]
    value = np.array([x == 1 or (x < 0 and default) for x, _e in read] + [default], dtype=bool)
    bad = np.array([e is not None for _x, e in read] + [False], dtype=bool)
    return value[codes], bad[codes]


def _named(
    s: pd.Series, names: Mapping[str, str]
) -> tuple[npt.NDArray[Any], npt.NDArray[np.bool_]]:
    """Values of a column of names (matched ignoring case, accents and separators): the
    canonical value or None, and the non-blank cells that name nothing."""
    n = len(s)
    out = np.full(n, None, dtype=object)
    if n == 0:
        return out, np.zeros(0, dtype=bool)
    txt = _text(s)
    present = txt.notna().to_numpy(dtype=bool)
    codes, uniques = pd.factorize(txt[present])
    lut = np.array([names.get(_words.fold(str(u))) for u in uniques] + [None], dtype=object)
    found = lut[codes] if len(codes) else np.zeros(0, dtype=object)
    out[present] = found
    bad = np.zeros(n, dtype=bool)
    bad[present] = pd.isna(found)
    return out, bad


#: The criteria the tasks sheet fills (NĐ 335/2025 Điều 14: a, b, c and their events).
_TASK_CRITERIA = ("so_luong", "chat_luong", "tien_do", "loi_chat_luong", "cham_tien_do")


@attrs.define
class _Context:
    """What the checks of a score sheet need to know."""

    rules: RuleSet
    period: Period | None
    maxima: dict[str, dict[str, float]]  # criterion -> position -> maximum
    tasks: Any = None  # a TaskSummary from the tasks sheet, or None
    manager_positions: frozenset[str] = frozenset()  # positions that manage others
    typed_ids: dict[int, str] = attrs.Factory(dict)  # row -> staff id as typed, if normalised
    tasks_unread: frozenset[str] = frozenset()  # people whose task rows have problems
    heads: frozenset[tuple[str, str]] = frozenset()  # (unit, its head): units sheet or org file
    categories: Mapping[str, str] = attrs.Factory(dict)  # staff id -> category in the org file
    # a category the rule set does not cover -> [its rows, the first of them, the first
    # value typed, its staff id]: said once for the whole sheet (_say_uncovered), never
    # once per chunk of rows
    uncovered: dict[str, list[Any]] = attrs.Factory(dict)
    # a quarter typed under a set that scores months -> [its rows, the first of them, the
    # first value typed, its staff id, its staff group]: said once (_say_uncovered)
    quarters: dict[str, list[Any]] = attrs.Factory(dict)
    # the information sheet's period is refused (said once there): a blank cell follows it
    # and is not said again at each row
    period_refused: bool = False


def _quarterly_sets(category: str | None, period: Period) -> list[str]:
    """The registered sets that score quarters for ``category`` in ``period`` (``--rules``
    to name for a quarter typed under a set that scores months)."""
    reg = default_registry()
    cat = category or StaffCategory.CONG_CHUC.value
    return [i for i in reg.ids() if reg.get(i).period == "quarter"
            and reg.get(i).covers(cat, period)]  # fmt: skip


def _say_uncovered(sheet: _Sheet, ctx: _Context) -> None:
    """The staff groups the score sheet's rule set does not cover, and the quarters under a
    set that scores months (naming a registered set that scores them), each said once for
    the whole sheet with its rows (the first of them), however many chunks it was read in."""
    what_rules = ctx.rules.id
    for category, (n, rows, value, sid) in ctx.uncovered.items():
        _say_once(sheet, "category", msg("problem.category_rules", rules=what_rules,
                                         category=category), n, rows, value, sid)
    ctx.uncovered.clear()
    for period, (n, rows, value, sid, category) in ctx.quarters.items():
        found = _quarterly_sets(category, Period.parse(period))
        what = msg("problem.quarter_monthly_set", period=period, rules=what_rules,
                   example=found[0]) if found else msg(
            "archive.check.quarter_not_quarterly", period=period, rules=what_rules)
        _say_once(sheet, "period", what, n, rows, value, sid)
    ctx.quarters.clear()


def _say_once(sheet: _Sheet, column: str, what: Msg, n: int, rows: list[int], value: Any,
              sid: Any) -> None:  # fmt: skip
    """``what`` said once for the ``n`` rows it holds in (the first of ``rows``): one row's
    problem names its cell and staff id, several rows' their count and first rows."""
    if n > 1:
        sheet.add(_columns.alike(what, n, rows), None, column, value)
        return
    pos = sheet.positions.get(column)
    text = msg("problem.cell", where=sheet.where(rows[0], pos), what=what) \
        if pos is not None else what  # fmt: skip
    sheet.add(text, rows[0], column, value, staff_id=sid if isinstance(sid, str) else None)


def _task_summary(tasks: pd.DataFrame, period: Period | None, probs: _Problems,
                  rules: RuleSet | None) -> tuple[Any, frozenset[str]]:  # fmt: skip
    """The tasks sheet summarised per person-month (None if empty or it has problems) —
    under the workbook's rule set (its ``[products]`` table: an agency file's ``per`` or
    steps; a set without one, NĐ 233/2026's, gives a alone, b and c typed as assessed,
    never another set's product rule, as :func:`evalkit.io.tasks.task_components`) —, and
    the people whose task rows have problems: their task criteria are
    left blank by the sheet, not by them, so no "blank required cell" is said for those.

    The table's own checks run even when some cells could not be read, so one read names
    every problem of the sheet; a cell already reported is not reported twice."""
    from evalkit.io.tasks import check_tasks, task_components

    if tasks.empty:
        return None, frozenset()
    said = {(p.row, p.column) for p in probs.items if p.sheet == TASKS_SHEET}
    found = check_tasks(tasks)
    if not found and not probs.has(TASKS_SHEET):
        try:
            return task_components(tasks, period=period, rules=rules), frozenset()
        except InputError as exc:  # the product checks (5 errors on one unit …)
            found = list(exc.problems)
    for p in found:
        row = p.row if isinstance(p.row, int) else None  # the tables number their rows
        if (row, p.column) not in said:
            probs.add_foreign(attrs.evolve(p, row=row), sheet=TASKS_SHEET)
    who = tasks["assignee"] if "assignee" in tasks.columns else pd.Series([], dtype=object)
    return None, frozenset(str(v) for v in pd.unique(who.dropna()))


def _check_staff_chunk(
    raw: pd.DataFrame, rows: npt.NDArray[np.int64], sheet: _Sheet, ctx: _Context
) -> pd.DataFrame:
    """Type and check one chunk of the score sheet (vectorised); return the typed chunk."""
    out: dict[str, Any] = {}
    n = len(raw)
    ids: npt.NDArray[Any] | None = None

    def report(mask: npt.NDArray[np.bool_], cid: str, values: Any, what: Msg) -> None:
        pos = sheet.positions.get(cid)
        for i in np.flatnonzero(mask):
            sid = ids[i] if ids is not None else None
            text = msg("problem.cell", where=sheet.where(int(rows[i]), pos),
                       what=what) if pos is not None else what  # fmt: skip
            sheet.add(text, int(rows[i]), cid, values[i] if values is not None else None,
                      staff_id=sid if isinstance(sid, str) else None)  # fmt: skip

    if "staff_id" in raw.columns:
        typed = _text(raw["staff_id"])
        sid = normalise_ids(typed)
        changed = (typed != sid).fillna(False).to_numpy(dtype=bool)
        for i in np.flatnonzero(changed):
            ctx.typed_ids[int(rows[i])] = str(typed.iloc[i])
        ids = _obj(sid)
        out["staff_id"] = ids
        # the rule of every door (evalkit._ids): a control character left inside the id
        report(_ids.control_ids(sid), "staff_id", _obj(typed), msg("problem.staff_control"))
    for cid in ("position_id", "unit_id", "manager_id"):
        if cid in raw.columns:
            out[cid] = _obj(normalise_ids(_text(raw[cid])))
    for cid in ("full_name", "title_vi", "duty_group", "self_comment", "manager_comment",
                "competent_comment", "competent_reason"):  # fmt: skip
        if cid in raw.columns:
            out[cid] = _obj(_nfc(_text(raw[cid])))
            if _is_name(cid):  # printed on the sheets: no control character (every door's rule)
                report(_ids.control_ids(raw[cid]), cid, raw[cid].to_numpy(dtype=object),
                       msg("foreign.name_control"))
    if ids is not None and "manager_id" in out:
        own = (out["manager_id"] == ids) & ~pd.isna(ids)
        if own.any():
            report(own, "manager_id", raw["manager_id"].to_numpy(dtype=object),
                   msg("problem.own_manager"))
    rs = ctx.rules
    # -- category: a blank cell is the person's in the organisation file (a viên chức on a
    # công chức workbook is refused as when typed, never scored as công chức), else the set's
    if "category" in raw.columns or (ctx.categories and ids is not None):
        typed = _text(raw["category"]) if "category" in raw.columns else pd.Series(
            None, index=raw.index, dtype=object)
        cat = typed.fillna(pd.Series(ids, index=raw.index).map(ctx.categories)) if (
            ctx.categories and ids is not None) else typed
        cats = np.full(n, rs.categories[0].value, dtype=object)
        present = cat.notna().to_numpy()
        values = _obj(typed)
        for value in pd.unique(cat[present]):
            mask = present & (cat == value).fillna(False).to_numpy(dtype=bool)
            try:
                c = StaffCategory.parse(value)
            except EvalkitError:
                report(mask, "category", values, msg("foreign.category", value=repr(value)))
                continue
            if c not in rs.categories:  # a problem of the group, said once with its rows
                hit = np.flatnonzero(mask)  # of the whole sheet, once read (_say_uncovered)
                sid0 = ids[hit[0]] if ids is not None else None
                seen = ctx.uncovered.setdefault(c.value, [0, [], values[hit[0]], sid0])
                seen[0] += int(hit.size)
                seen[1] += [int(rows[i]) for i in hit[:_columns.SHOWN_ALIKE - len(seen[1])]]
            cats[mask] = c.value
        out["category"] = cats
    else:
        out["category"] = np.full(n, rs.categories[0].value, dtype=object)
    # -- period
    expected = ctx.period
    kinds = ("month", "quarter") if ctx.rules.period == "quarter" else ("month",)

    def quarter(mask: npt.NDArray[np.bool_], p: Period, values: Any) -> None:
        """A quarter under a set that scores months: the set's problem, not the cells',
        said once for the sheet with its rows (:func:`_say_uncovered`)."""
        hit = np.flatnonzero(mask)
        if not hit.size:
            return
        sid0 = ids[hit[0]] if ids is not None else None
        seen = ctx.quarters.setdefault(str(p), [0, [], None if values is None else
                                                values[hit[0]], sid0, out["category"][hit[0]]])
        seen[0] += int(hit.size)
        seen[1] += [int(rows[i]) for i in hit[:_columns.SHOWN_ALIKE - len(seen[1])]]

    if "period" in raw.columns:
        per = _text(raw["period"])
        periods = np.full(n, str(expected) if expected else None, dtype=object)
        present = per.notna().to_numpy()
        values = raw["period"].to_numpy(dtype=object)
        for value in pd.unique(per[present]):
            mask = present & (per == value).fillna(False).to_numpy(dtype=bool)
            original = values[np.flatnonzero(mask)[0]]
            try:
                p = Period.parse(original if isinstance(original, _dt.date | float) else value)
                if p.kind == "quarter" and "quarter" not in kinds:
                    quarter(mask, p, values)
                    continue
                if p.kind not in kinds:
                    raise EvalkitError(str(p))
            except EvalkitError:
                report(mask, "period", values, msg("problem.not_a_month") if kinds == ("month",)
                       else msg("problem.not_a_month_or_quarter"))  # fmt: skip
                continue
            if expected is not None and p != expected:
                report(mask, "period", values,
                       msg("problem.period_other", found=str(p), expected=str(expected)))
            periods[mask] = str(p)
        out["period"] = periods
    else:
        present = np.zeros(n, dtype=bool)
        out["period"] = np.full(n, str(expected) if expected else None, dtype=object)
    if expected is not None and expected.kind not in kinds and ids is not None:
        # the quarter given (--period) to a set that scores months: its blank cells too
        quarter(~present & ~pd.isna(ids), expected, None)
    if expected is None and ids is not None and not ctx.period_refused:
        no_period = pd.isna(out["period"]) & ~pd.isna(ids)
        if no_period.any():
            report(no_period, "period", None, msg("problem.period_blank"))
    # -- yes/no, discipline, grades, leave
    for spec in sheet.specs.values():
        cid = spec.id
        if cid not in raw.columns:
            continue
        col = raw[cid]
        if spec.kind == "bool":
            val, bad = _bools(col, spec.default)
            if bad.any():
                report(bad, cid, col.to_numpy(dtype=object), msg("foreign.yes_no_value"))
            out[cid] = val
        elif spec.kind == "grade":  # read as every door reads a grade (the set's names too)
            part = pd.DataFrame({cid: col.where(_text(col).notna(), None)}, dtype=object)
            codes = _columns.grades(part, cid, _columns.Problems(part),
                                    labels=[ctx.rules.grade_names])  # fmt: skip
            bad = (codes < 0) & _text(col).notna().to_numpy(dtype=bool)
            if bad.any():  # a set's own names listed too (Hà Nội's Loại A … Loại D)
                report(bad, cid, col.to_numpy(dtype=object),
                       _columns.grade_sentence(ctx.rules.grade_names))
            out[cid] = np.array([Grade(int(g)).code if g >= 0 else None for g in codes],
                                dtype=object)  # fmt: skip
        elif spec.kind == "leave":
            named, bad = _named(col, _LEAVES)
            if bad.any():
                report(bad, cid, col.to_numpy(dtype=object), msg("foreign.leave"))
            out[cid] = named
    if "discipline" in raw.columns:
        col = raw["discipline"]
        num, bad = _numbers(col)
        dated = _dated(col)
        named_d = _columns.discipline_names(col)
        fix = bad & ~np.isnan(named_d) & ~dated
        num[fix] = named_d[fix]
        bad &= ~fix
        out_of_range = ~np.isnan(num) & ((num < 0) | (num > 5) | (num != np.floor(num)))
        original = col.to_numpy(dtype=object)
        if dated.any():
            report(dated, "discipline", original, msg("problem.date_in_number"))
        if (bad & ~dated).any() or out_of_range.any():
            report((bad & ~dated) | out_of_range, "discipline", original,
                   msg("foreign.discipline"))
        out["discipline"] = np.where(np.isnan(num) | out_of_range, 0.0, num)
    # -- numbers: each level's scores, kpi, counts
    unreadable: dict[str, npt.NDArray[np.bool_]] = {}
    position = out.get("position_id")
    crit_ids = {c.id for c in rs.criteria()}
    percent_ids = {"kpi"} | {f"{lvl}__{c.id}" for c in rs.criteria() if c.unit == "percent"
                             for lvl in LEVELS}  # fmt: skip
    for spec in sheet.specs.values():
        cid = spec.id
        if spec.kind not in ("number", "count") or cid not in raw.columns:
            continue
        col = raw[cid]
        original = col.to_numpy(dtype=object)
        num, found, bad = number_cells(col, percent=cid in percent_ids,
                                       shown=_shown_percent(sheet, cid, rows))  # fmt: skip
        for mask, what in found:
            report(mask, cid, original, what)
        if bad.any():
            unreadable[cid] = bad
        neg = num < 0
        if spec.kind == "count":
            frac = ~np.isnan(num) & (num != np.floor(num))
            if frac.any():
                report(frac, cid, original, msg("problem.not_whole"))
        if spec.maximum is not None:
            mx = np.full(n, spec.maximum)
            table = ctx.maxima.get(cid.split("__", 1)[-1])
            if table and position is not None:
                mapped = pd.Series(position).map(table).to_numpy(dtype=np.float64, na_value=np.nan)
                mx = np.where(np.isnan(mapped), mx, mapped)
            over = num > mx + 1e-9
            for i in np.flatnonzero(over):
                sid_i: object = ids[i] if ids is not None else None
                level, _sep, crit = cid.rpartition("__")
                what = (msg("problem.score_over", value=_num(num[i]), column=crit,
                            level=msg(f"level.{level}"), maximum=_num(mx[i]), rules=rs.id)
                        if level in LEVELS else
                        msg("problem.over_maximum", maximum=_num(mx[i])))  # fmt: skip
                sheet.add(msg("problem.cell", where=sheet.where(int(rows[i]),
                                                                sheet.positions[cid]),
                              what=what), int(rows[i]), cid, original[i],
                          staff_id=sid_i if isinstance(sid_i, str) else None)  # fmt: skip
        crit_id = cid.rpartition("__")[2]
        allowed = rs.management.values
        if allowed and crit_id in crit_ids and rs.criterion(crit_id).management:
            fits = np.zeros(n, dtype=bool)
            for ok_value in allowed:
                fits |= np.abs(num - float(ok_value)) <= 1e-9
            off = ~np.isnan(num) & ~fits & ~neg
            if off.any():
                report(off, cid, original,
                       msg("problem.not_allowed", values=Words(", ".join(_fmt(v) for v in allowed),
                                               ", ".join(_num(v).en for v in allowed))))
        out[cid] = num
    # -- each criterion's counting score: the last level that scored it
    crits = [c.id for c in rs.criteria()]
    active = {lvl: np.zeros(n, dtype=bool) for lvl in LEVELS}
    for lvl in LEVELS:
        for crit in crits:
            col_id = f"{lvl}__{crit}"
            if col_id in out:
                active[lvl] |= ~np.isnan(np.asarray(out[col_id], dtype=np.float64))
    # -- task components from the tasks sheet fill the blank cells of each level that
    #    scored the person (typed values win)
    if ctx.tasks is not None and ids is not None and not ctx.tasks.people.empty:
        task_key = pd.MultiIndex.from_arrays([pd.Series(ids, dtype="string"),
                                         pd.Series(out["period"], dtype="string")])
        for cid in _TASK_CRITERIA:
            if cid in ctx.tasks.people.columns and cid in crits:
                found = ctx.tasks.people[cid].reindex(task_key).to_numpy(dtype=np.float64)
                for lvl in LEVELS:
                    col_id = f"{lvl}__{cid}"
                    cur = (np.asarray(out[col_id], dtype=np.float64) if col_id in out
                           else np.full(n, np.nan))  # fmt: skip
                    fill = active[lvl] & np.isnan(cur)
                    if fill.any():
                        out[col_id] = np.where(fill, found, cur)
    last_level = np.full(n, "", dtype=object)
    for lvl in LEVELS:
        last_level[active[lvl]] = lvl
    for crit in crits:
        value = np.full(n, np.nan)
        for lvl in LEVELS:  # later levels win
            col_id = f"{lvl}__{crit}"
            if col_id in out:
                v = np.asarray(out[col_id], dtype=np.float64)
                value = np.where(np.isnan(v), value, v)
        if any(f"{lvl}__{crit}" in out for lvl in LEVELS):
            out[crit] = value
    # -- required cells
    if ids is not None:
        has_any = np.zeros(n, dtype=bool)
        for cid in raw.columns:
            has_any |= ~_blank(raw[cid])
        no_id = has_any & pd.isna(ids)
        if no_id.any():
            report(no_id, "staff_id", ids, msg("problem.blank_staff_id"))
    manages = np.asarray(out["manages_others"], dtype=bool) if "manages_others" in out else (
        np.zeros(n, dtype=bool))  # fmt: skip
    if ctx.manager_positions and "position_id" in out:
        manages = manages | pd.Series(out["position_id"], dtype=object).isin(
            ctx.manager_positions).to_numpy(dtype=bool)
        out["manages_others"] = manages
    # a head of a unit holds a management post (NĐ 335/2025 Điều 15): asked for d, đ, e
    # as a marked leader is, marked or not (the rule every door shares)
    is_head = np.zeros(n, dtype=bool)  # the head the units name, in the unit they head
    if ctx.heads and ids is not None and "unit_id" in out:
        is_head = pd.MultiIndex.from_arrays([pd.Series(out["unit_id"], dtype=object).astype(str),
                                             pd.Series(ids, dtype=object).astype(str)]
                                            ).isin(list(ctx.heads))  # fmt: skip
    post = management_duty(rs, manages, is_head) & ~manages  # the heads not marked
    post_only = set(management_only_inputs(rs)) if post.any() else set()
    manages = manages | post
    evaluated = np.zeros(n, dtype=bool)
    for lvl in LEVELS:
        evaluated |= active[lvl]
    has_kpi = ~np.isnan(np.asarray(out["kpi"], dtype=np.float64)) if "kpi" in out else (
        np.zeros(n, dtype=bool))  # fmt: skip
    evaluated |= has_kpi
    if "leave" in out:  # a period on leave has no score: a leave with scores is refused
        read = pd.DataFrame({"leave": out["leave"], "period": out["period"]}, dtype=object)
        kinds_on = _columns.leave(read, "leave", _columns.Problems(read))  # ids, read above
        quarters = _columns.period_months(read) == 3  # each row's period named as it is
        for clash, said in _columns.leave_scored(kinds_on, evaluated.copy(), quarters):
            if clash.any():
                report(clash, "leave", raw["leave"].to_numpy(dtype=object), said)
                evaluated &= ~clash  # its blank criteria are not asked for
    kpi_inputs = {
        cid for b in rs.blocks if b.kind == "percent_average" and b.params.get("kpi")
        for cid in b.inputs(None)
    }  # fmt: skip
    computed = rs.management.computed if rs.management is not None else None

    def blank(mask: npt.NDArray[np.bool_], target: str, cid: str) -> None:
        """A blank required cell; a head's management component says the head's post."""
        head = mask & post if cid in post_only else np.zeros(n, dtype=bool)
        report(mask & ~head, target, None, msg("problem.blank_criterion", criterion=cid))
        report(head, target, None, msg("problem.blank_criterion_head", criterion=cid,
                                       source=head_post_source(rs)))

    for mgr in (False, True):
        rows_here = evaluated & (manages == mgr)
        if not rows_here.any():
            continue
        for cid in rs.required_inputs(mgr):
            if cid == computed:
                continue  # derived from the staff under the leader (NĐ 335 Điều 15 k3)
            need = rows_here & ~has_kpi if cid in kpi_inputs else rows_here
            if not need.any():
                continue
            value = (np.asarray(out[cid], dtype=np.float64) if cid in out
                     else np.full(n, np.nan))
            miss = need & np.isnan(value)
            for lvl in LEVELS:
                if f"{lvl}__{cid}" in unreadable:
                    miss &= ~unreadable[f"{lvl}__{cid}"]
            if ctx.tasks_unread and ids is not None and cid in _TASK_CRITERIA:
                miss &= ~pd.Series(ids, dtype=object).isin(ctx.tasks_unread).to_numpy(bool)
            if sheet.hidden and any(f"{x}__{cid}" not in sheet.positions for x in LEVELS):
                continue  # its column is hidden under a merged header: said by the merge
            if not miss.any():
                continue
            for lvl in LEVELS:
                col_id = f"{lvl}__{cid}"
                here = miss & (last_level == lvl)
                if not here.any():
                    continue
                target = col_id if col_id in sheet.positions else next(
                    (f"{x}__{cid}" for x in reversed(LEVELS) if f"{x}__{cid}" in sheet.positions),
                    col_id)  # fmt: skip
                blank(here, target, cid)
            rest = miss & (last_level == "")
            if rest.any():  # a KPI row without the criteria the KPI does not stand for
                target = next((f"{x}__{cid}" for x in reversed(LEVELS)
                               if f"{x}__{cid}" in sheet.positions), f"competent__{cid}")
                blank(rest, target, cid)
    return pd.DataFrame(out, index=pd.Index(rows, name="row"))


def _fraction_of_percent(
    num: npt.NDArray[np.float64], original: npt.NDArray[Any],
    shown: Callable[[int], bool] | None = None,
) -> npt.NDArray[np.bool_]:  # fmt: skip
    """Cells of a percent column (0-100) holding a number strictly between 0 and 1: 0.95
    typed for 95 % would silently read as 0.95 %. A cell formatted as a percentage
    (``shown``: read as the percentage it shows) and text with a % sign ('0,5%') say what
    they mean."""
    frac = ~np.isnan(num) & (num > 0) & (num < 1)
    for i in np.flatnonzero(frac):  # the rule every door shares (evalkit._words)
        if (shown is not None and shown(int(i))) \
                or _percent_fraction(original[i], float(num[i])) is None:  # fmt: skip
            frac[i] = False
    return frac


def _shown_percent(sheet: _Sheet, cid: str, rows: npt.NDArray[Any]) -> Callable[[int], bool]:
    """Whether the ``i``-th cell of column ``cid`` is formatted as a percentage."""
    pos = sheet.positions.get(cid)

    def shown(i: int) -> bool:
        return pos is not None and pos in sheet.percent.get(int(rows[i]), ())

    return shown


def number_cells(
    col: pd.Series, *, percent: bool = False, shown: Callable[[int], bool] | None = None
) -> tuple[npt.NDArray[np.float64], list[tuple[npt.NDArray[np.bool_], Msg]],
           npt.NDArray[np.bool_]]:  # fmt: skip
    """A column of number cells read as the workbook reads a score, a KPI or a count —
    the one reading of every door that takes a typed value (the workbook, ``evalkit
    amend``): ``(numbers, problems, unreadable)``.

    ``numbers`` is NaN where a cell is blank or cannot be read; ``problems`` pairs a mask
    of cells with what is wrong with them: a value strictly between 0 and 1 in a
    ``percent`` column (0.95 typed for 95 %; not where ``shown(i)`` says cell ``i`` is
    formatted as a percentage, nor text with a % sign), a date, text like '1.000' (both readings
    said), text that is no number, a negative number. ``unreadable`` marks the cells
    that are not numbers (and the refused fractions)."""
    n = len(col)
    num, bad = _numbers(col)
    original = col.to_numpy(dtype=object)
    found: list[tuple[npt.NDArray[np.bool_], Msg]] = []
    unreadable = np.zeros(n, dtype=bool)
    if percent:
        fraction = _fraction_of_percent(num, original, shown)
        for i in np.flatnonzero(fraction):
            found.append((np.arange(n) == i, msg(
                "problem.percent_fraction", value=_num(num[i]),
                percent=_num(round(float(num[i]) * 100.0, 6)))))  # fmt: skip
        if fraction.any():
            num = np.where(fraction, np.nan, num)
            unreadable |= fraction
    if bad.any():
        dated = _dated(col)
        if (bad & dated).any():
            found.append((bad & dated, msg("problem.date_in_number")))
        plain = bad & ~dated
        for k, what in _thousands(original, plain):
            found.append((np.arange(n) == k, what))
            plain[k] = False
        found.extend(_not_numbers(original, plain))
        unreadable |= bad
    neg = num < 0
    if neg.any():
        found.append((neg, msg("problem.negative")))
    return num, found, unreadable


def _name_staff(probs: _Problems, sheet: str | None, staff: pd.DataFrame) -> None:
    """Give the staff id of its row to every problem of the score sheet said before the
    row was read (a formula without its result, a value outside the header)."""
    if "staff_id" not in staff.columns or staff.empty:
        return
    ids = staff["staff_id"]
    for k, p in enumerate(probs.items):
        if p.sheet != sheet or p.staff_id is not None or not isinstance(p.row, int):
            continue
        sid = ids.get(p.row) if p.row in ids.index else None
        if isinstance(sid, str):
            named = attrs.evolve(p, staff_id=sid)
            if id(p) in probs.primary_ids:
                probs.primary_ids.discard(id(p))
                probs.primary_ids.add(id(named))
            probs.items[k] = named


def _report_formulas(sheet: _Sheet, formulas: Sequence[tuple[str, str]]) -> None:
    """One problem per formula saved without its result (evalkit never calculates)."""
    for ref, formula in formulas:
        where = split_ref(ref)
        if where is None:
            continue
        row, pos = where
        shown: Msg | str = f" (={formula})" if formula else msg("problem.formula.shared")
        sheet.add(msg("problem.formula", ref=ref, shown=shown), row, sheet.column_of(pos),
                  f"={formula}" if formula else None, primary=True)  # fmt: skip


def _heads(units: pd.DataFrame, org: Organisation | None) -> frozenset[tuple[str, str]]:
    """The units' heads as (unit, head) pairs: the units sheet's ``head_id``, else the
    organisation file's (as the cross-sheet checks read them for ``is_head``)."""
    frame = units if not units.empty else _org_unit_frame(org)
    if frame.empty or not {"unit_id", "head_id"} <= set(frame.columns):
        return frozenset()
    named = frame[frame["head_id"].notna() & frame["unit_id"].notna()]
    return frozenset(zip(named["unit_id"].astype(str), named["head_id"].astype(str),
                         strict=True))  # fmt: skip


def _categories(org: Organisation | None) -> dict[str, str]:
    """Each person's staff category in the organisation file, by staff id."""
    return {s.id: s.category.value for s in org.staff} if org is not None else {}


def _manager_positions(positions: pd.DataFrame, org: Organisation | None) -> frozenset[str]:
    """Positions marked as managing others (positions sheet, organisation file)."""
    out: set[str] = set()
    if not positions.empty and {"position_id", "manages_others"} <= set(positions.columns):
        out |= set(positions.loc[positions["manages_others"].astype(bool), "position_id"].dropna())
    if org is not None:
        out |= {p.id for p in org.positions if p.manages_others}
    return frozenset(str(x) for x in out)


def _header_below(
    header: Sequence[object], rows: Iterator[Sequence[object]], specs: Sequence[Column],
    aliases: Mapping[str, str], look: int = 10,
) -> tuple[int | None, Iterator[Sequence[object]]]:  # fmt: skip
    """The row of the header where row 1 names none of the sheet's columns and a row
    below it (within ``look`` rows) names at least two (a title typed above the header),
    else None; and the rows, as they were."""
    import itertools

    known = {c.id for c in specs} | set(aliases)

    def ids(cells: Sequence[object]) -> int:
        return sum(1 for c in cells if isinstance(c, str)
                   and (m := _ID_RE.search(c.strip())) is not None and m.group(1) in known)

    if ids(header) or not known:
        return None, rows
    ahead = list(itertools.islice(rows, look))
    again = itertools.chain(ahead, rows)
    for k, cells in enumerate(ahead, start=2):
        if ids(cells) >= 2:
            return k, again
    return None, again


def _ranges_touching_row(ranges: Iterable[str], row: int) -> list[str]:
    out = []
    for ref in ranges:
        m = re.findall(r"[A-Z]+([0-9]+)", ref)
        lo, hi = int(m[0]), int(m[-1])
        if lo <= row <= hi:
            out.append(ref)
    return out


def _filled(v: object) -> bool:
    return v is not None and not (isinstance(v, str) and not v.strip())


def _iter_chunks(
    rows: Iterator[tuple[int, Sequence[object]]], width: int, sheet: _Sheet
) -> Iterator[tuple[list[int], list[Any]]]:
    """Yield (row numbers, rows cut to ``width``) in chunks of CHUNK_ROWS, skipping empty rows.

    A value beyond ``width`` (right of the last header cell) is reported with its cell,
    never dropped in silence; a percent-formatted number is read as the percentage it
    shows (0.9 shown as 90 % is 90); a number in an id column is read as the text it shows
    (7 formatted ``000`` is ``'007'``).
    """
    chunk: list[Any] = []
    numbers: list[int] = []
    percent = sheet.percent
    padded = sheet.padded
    id_pos = {pos for cid, pos in sheet.positions.items() if sheet.specs[cid].kind == "id"}
    for number, row in rows:
        if not any(_filled(v) for v in row):
            continue
        values = list(row[:width])
        if len(values) < width:
            values += [None] * (width - len(values))
        if len(row) > width:
            _stray_tail(sheet, number, row, width)
        if percent and number in percent:
            for j in percent[number]:
                v = values[j] if j < width else None
                if isinstance(v, int | float) and not isinstance(v, bool):
                    values[j] = round(v * 100.0, 9)
        if padded and number in padded:
            for j, code in padded[number].items():
                shown = shown_number(values[j], code) if j in id_pos and j < width else None
                if shown is not None:
                    values[j] = shown
        chunk.append(values)
        numbers.append(number)
        if len(chunk) >= CHUNK_ROWS:
            yield numbers, chunk
            chunk, numbers = [], []
    if chunk:
        yield numbers, chunk


def _stray_tail(sheet: _Sheet, number: int, row: Sequence[object], width: int) -> None:
    """Report every value right of the last header cell of ``row``."""
    if not sheet.width:
        last = msg("problem.last.blank")
    elif sheet.csv:
        last = msg("problem.last.field", field=sheet.width)
    else:
        last = msg("problem.last.cell", ref=f"{_col_letter(sheet.width - 1)}1")
    for j in range(width, len(row)):
        v = row[j]
        if _filled(v):
            sheet.add(msg("problem.stray_tail", where=sheet.where(number, j), last=last),
                      number, sheet.column_of(j), v)  # fmt: skip


def _stray_inside(sheet: _Sheet, arr: npt.NDArray[Any], numbers: list[int]) -> None:
    """Report values under a blank header cell or under a header evalkit does not read."""
    mapped = set(sheet.positions.values())
    for j in range(arr.shape[1]):
        if j in mapped or j in sheet.hidden:  # under a merged header: said by its problem
            continue
        cells = pd.Series(arr[:, j], dtype=object)
        filled = ~_blank(cells)
        header = sheet.unread.get(j)
        cid, others = _foreign_criterion(header, sheet.rule_set) if filled.any() else ("", "")
        if others:  # a 0 under another set's count of events says nothing, as a blank
            filled &= foreign_said(cells, cid)
        if not filled.any():
            continue
        head = f"field {j + 1}" if sheet.csv else f"{_col_letter(j)}1"
        if others:  # a real criterion of another set: no "unknown column (renamed?)"
            sheet.unknown.pop(j, None)
        else:
            sheet.say_unknown([j])
        for i in np.flatnonzero(filled):
            where = sheet.where(int(numbers[i]), j)
            if others:
                sets = Words(f"bộ quy định {others}", ("rule sets " if ", " in others
                                                        else "rule set ") + others)
                m = msg("problem.stray_foreign", where=where, header=header, head=head,
                        other=sets, rules=sheet.rule_set)  # fmt: skip
            elif header is not None:
                m = msg("problem.stray_unknown", where=where, header=header, head=head)
            else:
                m = msg("problem.stray_blank", where=where, head=head)
            sheet.add(m, int(numbers[i]), sheet.column_of(j), arr[i, j])


def _foreign_criterion(header: str | None, rule_set: str | None) -> tuple[str, str]:
    """The criterion ``header`` names (``chinh_tri``, ``Chính trị [chinh_tri]`` or under a
    level's prefix, ``[competent__chinh_tri]``) and the registered rule sets (ids joined by
    ', ') that have it, when the sheet's own set ``rule_set`` has no such criterion; ('', '')
    otherwise. As the frame doors refuse a score under another set's criterion
    (:func:`evalkit.scoring.checked_rule_sets`)."""
    m = _ID_RE.search(header or "")
    cid = None if header is None or rule_set is None else criterion_of(
        m.group(1) if m else header.strip())
    if cid is None:
        return "", ""
    reg = default_registry()
    ids = [i for i in reg.ids() if i != rule_set
           and any(c.id == cid for c in reg.get(i).criteria())]  # fmt: skip
    return cid, ", ".join(ids)


def _read_rows(
    sheet: _Sheet, rows: Iterator[tuple[int, Sequence[object]]],
    check: Callable[..., pd.DataFrame], progress: Progress | None, total: int | None,
) -> pd.DataFrame:  # fmt: skip
    """Read data rows chunk by chunk through ``check``; concatenate the typed chunks.

    A header evalkit does not know is a problem only when a value is under it (or when
    the rows cannot be read): an empty column someone added for notes is harmless."""
    if not sheet.positions:  # no known column: the header problems say it all
        sheet.say_unknown()
        return pd.DataFrame(index=pd.Index([], name="row", dtype=np.int64))
    try:
        frame = _read_rows_of(sheet, rows, check, progress, total)
    except BaseException:
        sheet.say_unknown()
        raise
    sheet.unknown.clear()  # nothing under them
    frame.attrs[_columns.PERCENT_READ] = True  # a fraction in a percentage: checked by cell
    return frame


def _read_rows_of(
    sheet: _Sheet, rows: Iterator[tuple[int, Sequence[object]]],
    check: Callable[..., pd.DataFrame], progress: Progress | None, total: int | None,
) -> pd.DataFrame:  # fmt: skip
    width = max(max(sheet.positions.values()) + 1, sheet.width)
    order = sorted(sheet.positions.items(), key=lambda kv: kv[1])
    parts: list[pd.DataFrame] = []
    done = 0
    for numbers, chunk in _iter_chunks(rows, width, sheet):
        arr = np.empty((len(chunk), width), dtype=object)
        arr[:] = chunk
        if width > len(order):
            _stray_inside(sheet, arr, numbers)
        raw = pd.DataFrame({cid: arr[:, pos] for cid, pos in order})
        parts.append(check(raw, np.asarray(numbers, dtype=np.int64), sheet))
        done = numbers[-1]
        if progress is not None:
            progress(done, total)
    if not parts:
        return check(
            pd.DataFrame({cid: pd.Series([], dtype=object) for cid, _ in order}),
            np.zeros(0, dtype=np.int64), sheet,
        )  # fmt: skip
    return pd.concat(parts) if len(parts) > 1 else parts[0]


def _is_name(cid: str) -> bool:
    """Whether a text column holds a name printed on the sheets (a person's, a unit's, a
    position's or a task's), where a control character is refused
    (:func:`evalkit._words.control_in_name`); comments and reasons may break lines."""
    return cid in _words.NAME_COLUMNS or cid.endswith(("name", "name_en", "title", "title_en")) \
        or cid in ("governing_body", "place", "agency")


def _simple_check(raw: pd.DataFrame, rows: npt.NDArray[np.int64], sheet: _Sheet) -> pd.DataFrame:
    """Type and check a chunk of a units, positions, signatories or tasks sheet."""
    from evalkit.io.tasks import FIRST_YEAR, LAST_YEAR, parse_dates

    out = pd.DataFrame(index=pd.Index(rows, name="row"))

    def add(mask: npt.NDArray[np.bool_], cid: str, original: Any, what: Msg,
            with_value: bool = True) -> None:  # fmt: skip
        pos = sheet.positions[cid]
        for i in np.flatnonzero(mask):
            sheet.add(msg("problem.cell", where=sheet.where(int(rows[i]), pos), what=what),
                      int(rows[i]), cid, original[i] if with_value else None)  # fmt: skip

    for spec in sheet.specs.values():
        cid = spec.id
        if cid not in raw.columns:
            continue
        col = raw[cid]
        original = col.to_numpy(dtype=object)
        if spec.kind in ("number", "count"):
            num, bad = _numbers(col)
            dated = _dated(col)
            add(bad & dated, cid, original, msg("problem.date_in_number"))
            plain = bad & ~dated
            for i, what in _thousands(original, plain):
                add(np.arange(len(col)) == i, cid, original, what)
                plain[i] = False
            for mask, what in _not_numbers(original, plain):
                add(mask, cid, original, what)
            # a unit's figure is held to every unit door's rules, said once (_unit_checks)
            mine = not unit_figure(cid)
            neg = (num < 0) & mine
            over = (num > spec.maximum + 1e-9) & mine if spec.maximum is not None else neg & False
            frac = (~np.isnan(num) & (num != np.floor(num)) & mine if spec.kind == "count"
                    else neg & False)  # fmt: skip
            add(neg, cid, original, msg("problem.negative"))
            add(over, cid, original, msg("problem.over_maximum", maximum=_num(spec.maximum or 0)))
            add(frac, cid, original, msg("problem.not_whole"))
            out[cid] = num
        elif spec.kind == "bool":
            val, bad = _bools(col, spec.default)
            add(bad, cid, original, msg("foreign.yes_no_value"))
            out[cid] = val
            if sheet.name == UNITS_SHEET:  # a flag set, as typed (few: said where refused)
                sheet.typed |= {(int(rows[i]), cid): original[i]
                                for i in np.flatnonzero(val & ~bad).tolist()}
        elif spec.kind == "date":
            values, bad, far = parse_dates(col)
            add(bad, cid, original, msg("problem.not_a_date"))
            add(far, cid, original, msg("problem.far_date", first=FIRST_YEAR, last=LAST_YEAR))
            out[cid] = values.to_numpy(dtype="datetime64[ns]")
        elif spec.kind == "category":
            cats = _text(col)
            found = np.full(len(col), None, dtype=object)
            present = cats.notna().to_numpy(dtype=bool)
            for value in pd.unique(cats[present]):
                mask = present & (cats == value).fillna(False).to_numpy(dtype=bool)
                try:
                    found[mask] = StaffCategory.parse(value).value
                except EvalkitError:
                    add(mask, cid, original, msg("foreign.category", value=repr(value)))
            out[cid] = found
        elif spec.kind == "rules":  # a rule set id is read as ids are (normal_id)
            names = normalise_ids(_text(col))
            found = np.full(len(col), None, dtype=object)
            present = names.notna().to_numpy(dtype=bool)
            known = default_registry().ids()
            for value in pd.unique(names[present]):
                mask = present & (names == value).fillna(False).to_numpy(dtype=bool)
                try:
                    found[mask] = default_registry().get(str(value)).id
                except EvalkitError:
                    add(mask, cid, original, msg("problem.unit_rules", value=value,
                                                 hint=_did_you_mean(value, known)))
            out[cid] = found
        elif spec.kind == "id":
            out[cid] = _obj(normalise_ids(_text(col)))
        else:
            out[cid] = _obj(_nfc(_text(col)))
            if _is_name(cid):  # printed on the sheets: no control character (every door's rule)
                add(_ids.control_ids(col), cid, original, msg("foreign.name_control"))
        if spec.required:
            miss = _blank(col)
            if spec.kind == "id":  # only invisible characters: blank too
                miss = miss | pd.isna(out[cid].to_numpy(dtype=object))
            add(miss, cid, original, msg("problem.blank_required"), with_value=False)
    return out


@attrs.frozen
class _InfoCell:
    """A value of the information sheet (text stripped, a date kept a date) and its row."""

    value: object
    row: int

    @property
    def text(self) -> str:
        return str(self.value)


def _info(rows: Iterator[Sequence[object]]) -> dict[str, _InfoCell]:
    out: dict[str, _InfoCell] = {}
    for r, row in enumerate(rows, start=1):
        if len(row) >= 2 and isinstance(row[0], str) and row[1] is not None:
            value = row[1].strip() if isinstance(row[1], str) else row[1]
            out[row[0].strip()] = _InfoCell(value, r)
    return out


def rule_set_named(path: str | os.PathLike[str]) -> str | None:
    """The rule set id a workbook's information sheet names (``Thông tin``, ``rule_set``),
    read as ids are; None for a CSV, a workbook without one, or a file that does not read
    (its reader says why)."""
    if Path(path).suffix.lower() != ".xlsx":
        return None
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # said by the reader of the month
        return None
    try:
        if INFO_SHEET not in wb.sheetnames:
            return None
        cell = _info(wb[INFO_SHEET].iter_rows(values_only=True)).get("rule_set")
        return _ids.normal_id(cell.text) if cell is not None else None
    finally:
        wb.close()


def _resolve_rules(
    rules: RuleSet | str | None, info: Mapping[str, _InfoCell], probs: _Problems,
    where: str | None,
) -> RuleSet | None:  # fmt: skip
    reg = default_registry()
    if isinstance(rules, RuleSet):
        return rules
    # the information sheet's rule set id is read as ids are (a zero-width space dropped)
    cell = None if isinstance(rules, str) else info.get("rule_set")
    rid = rules if isinstance(rules, str) else (_ids.normal_id(cell.text) if cell else None)
    if not rid:
        return None
    try:
        return reg.get(rid)
    except EvalkitError as exc:  # the cell as typed, at its row
        probs.add_foreign(InputProblem(str(exc), row=cell.row if cell else None,
                                       column="rule_set", value=cell.text if cell else rid),
                          sheet=where)  # fmt: skip
        return None


def _org_frames(org: Organisation | str | os.PathLike[str] | None) -> Organisation | None:
    if org is None or isinstance(org, Organisation):
        return org
    from evalkit.io.jsonio import read_json

    obj = read_json(org, Organisation)
    assert isinstance(obj, Organisation)
    return obj


def read_month(
    path: str | os.PathLike[str],
    rules: RuleSet | str | None = None,
    *,
    period: Period | str | None = None,
    org: Organisation | str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    max_problems: int = DEFAULT_MAX_PROBLEMS,
    jurisdiction: str | None = None,
) -> MonthInput:
    """Read every sheet of a month's workbook (or a CSV of the score sheet) and check it.

    ``rules`` and ``period`` default to the workbook's own (its information sheet);
    passing them checks the workbook against them. ``org`` (an
    :class:`~evalkit.model.Organisation` or its JSON file) adds known units and
    positions. ``jurisdiction`` (``'vn.hanoi'``): a CSV naming no set is read under the
    one in force there for its people's staff group (:func:`evalkit.rules.for_period`,
    else the parent's); a workbook names its own. Never raises on bad content: every
    problem is in ``problems`` (at most ``max_problems``, then one line counting the
    rest), sorted by sheet and row, one per cell.
    """
    return _read(path, rules, period, org, progress, max_problems, None, jurisdiction)


def read_months(
    path: str | os.PathLike[str],
    rules: RuleSet | str | None = None,
    *,
    period: Period | str | None = None,
    org: Organisation | str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    max_problems: int = DEFAULT_MAX_PROBLEMS,
    jurisdiction: str | None = None,
) -> list[MonthInput]:
    """:func:`read_month` as a list; a CSV whose staff groups need different rule sets
    when none is named (công chức under NĐ 335/2025 and viên chức under NĐ 233/2026 in
    one month) gives one month per set: its groups' rows, their lines kept, read under
    it as each group's own file is (the rule set follows the person; a problem said
    once). Several workbooks' months go together through
    :func:`evalkit.workflow.classify_months`. ``jurisdiction`` (``'vn.hanoi'``): a CSV
    naming no set finds its groups' sets there (:func:`evalkit.rules.for_period`); a
    workbook names its own."""
    groups: dict[str, tuple[RuleSet, set[StaffCategory]]] = {}
    if rules is None and Path(path).suffix.lower() in (".csv", ".txt"):
        with suppress(EvalkitError, OSError, ValueError, _csv.Error):  # said by the read
            sets, _per = _csv_sets(None if period is None else Period.parse(period),
                                   Path(path), _org_frames(org), jurisdiction)  # fmt: skip
            for cat, rs in (sets or {}).items():
                groups.setdefault(rs.id, (rs, set()))[1].add(cat)
    if len(groups) < 2:
        return [_read(path, rules, period, org, progress, max_problems, None, jurisdiction)]
    months: list[MonthInput] = []
    said: set[InputProblem] = set()
    for rs, cats in groups.values():
        m = _read(path, rs, period, org, progress, max_problems, frozenset(cats))
        m.problems = [q for q in m.problems if q not in said]
        said.update(m.problems)
        months.append(m)
    return months


def _read(path: str | os.PathLike[str], rules: RuleSet | str | None,
          period: Period | str | None, org: Organisation | str | os.PathLike[str] | None,
          progress: Progress | None, max_problems: int,
          only: frozenset[StaffCategory] | None,
          jurisdiction: str | None = None) -> MonthInput:  # fmt: skip
    """:func:`read_month`; ``only``: a CSV's rows of these staff groups."""
    p = Path(path)
    probs = _Problems(str(path), max_problems)
    result = MonthInput(_empty(), _empty(), _empty(), _empty(), None, None, [], str(path))
    try:
        organisation = _org_frames(org)
    except InputError as exc:  # the organisation file's own problems, located in it
        probs.items.extend(q if q.file is not None else attrs.evolve(q, file=str(org))
                           for q in exc.problems)  # fmt: skip
        organisation = None
    except EvalkitError as exc:
        probs.add(msg("problem.org_file", detail=str(exc)), value=str(org))
        organisation = None
    if p.suffix.lower() in (".csv", ".txt"):
        _read_csv_into(result, p, rules, period, organisation, probs, progress, only,
                       jurisdiction)
    elif p.suffix.lower() == ".json":  # evalkit's results or organisation file: not a month
        probs.add(msg("problem.json_not_input"))
    else:
        _read_xlsx_into(result, p, rules, period, organisation, probs, progress)
    result.problems = probs.done(result.units)
    return result


def _expected_period(
    period: Period | str | None, info: Mapping[str, _InfoCell], probs: _Problems
) -> Period | None:
    declared: Period | None = None
    cell = info.get("period")
    if cell is not None:  # read as the staff sheet's period column is (a date is its month)
        declared, why = _columns.period_of(cell.value)
        if why is not None:
            probs.add(msg("problem.info_period"), sheet=INFO_SHEET, row=cell.row,
                      column="period", value=cell.text)  # fmt: skip
    if period is None:
        return declared
    try:
        want = Period.parse(period)
    except EvalkitError as exc:
        probs.add_foreign(InputProblem(str(exc), value=str(period)))
        return declared
    if declared is not None and declared != want:
        probs.add(msg("problem.period_mismatch", declared=str(declared), wanted=str(want)),
                  sheet=INFO_SHEET, row=cell.row if cell is not None else None,
                  column="period", value=str(declared))  # fmt: skip
    return want


def _maxima(rules: RuleSet, org: Organisation | None) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for pos, table in rules.position_maxima.items():
        for cid, mx in table.items():
            out.setdefault(cid, {})[pos] = float(mx)
    if org is not None:
        for position in org.positions:
            for cid, mx in position.maxima.items():
                out.setdefault(cid, {})[position.id] = float(mx)
    return out


def _criterion_aliases(rules: RuleSet) -> dict[str, str]:
    """A bare criterion id in a header (the format of evalkit 0.x and of plain CSV files) is
    the competent level's score."""
    return {c.id: f"competent__{c.id}" for c in rules.criteria()}


def _read_xlsx_into(
    result: MonthInput, path: Path, rules: RuleSet | str | None, period: Period | str | None,
    org: Organisation | None, probs: _Problems, progress: Progress | None,
) -> None:  # fmt: skip
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        probs.add(msg("problem.file_missing"))
        return
    except Exception as exc:  # openpyxl raises many kinds for a file that is not xlsx
        probs.add(msg("problem.not_xlsx", detail=Words("", f" ({type(exc).__name__}: {exc})")))
        return
    try:
        names = list(wb.sheetnames)
        result.sheets = tuple(names)
        if RESULTS_SHEET in names and SCORES_SHEET not in names:  # `classify --out r.xlsx`
            probs.add(msg("problem.results_file", what=Words(f"trang {RESULTS_SHEET!r}",
                                                             f"sheet {RESULTS_SHEET!r}")),
                      value=", ".join(names))  # fmt: skip
            return
        info = _info(wb[INFO_SHEET].iter_rows(values_only=True)) if INFO_SHEET in names else {}
        result.period = _expected_period(period, info, probs)
        rs = _resolve_rules(rules, info, probs, INFO_SHEET)
        form = info.get("format")
        if form is not None and form.text not in WORKBOOK_FORMATS_READ:  # a later version's
            probs.add(msg("problem.info_format", reads=", ".join(WORKBOOK_FORMATS_READ)),
                      sheet=INFO_SHEET, row=form.row, column="format", value=form.text)
            return  # its sheets may be laid out otherwise: nothing more is read from them
        if rs is None and not probs.items:
            probs.add(msg("problem.no_rules", sheet=INFO_SHEET), sheet=INFO_SHEET,
                      column="rule_set")  # fmt: skip
        result.rules = rs
        if SCORES_SHEET not in names:
            close = difflib.get_close_matches(SCORES_SHEET, names, n=1, cutoff=0.4)
            hint = msg("hint.renamed", name=close[0]) if close else ""
            probs.add(msg("problem.no_sheet", sheet=SCORES_SHEET, hint=hint),
                      value=", ".join(names))  # fmt: skip
            return
        for other in (n for n in names if n not in SHEET_ORDER):  # a copy of a sheet
            rows = wb[other].iter_rows(values_only=True)  # holding data: it is not read
            if any(isinstance(v, str) and _ID_RE.search(v) for v in next(rows, ())) and any(
                    any(map(_filled, row)) for row in rows):  # fmt: skip
                probs.add(msg("problem.sheet_unread", sheet=other), sheet=other, row=1)
        members = _sheet_members(wb)
        pct_styles = percent_styles(wb)
        pad_styles = padding_styles(wb)
        summary = None
        tasks_unread: frozenset[str] = frozenset()
        typed_ids: dict[int, str] = {}
        for name, specs in ((UNITS_SHEET, unit_columns(rs)), (POSITIONS_SHEET, POSITION_COLUMNS),
                            (SIGNATORIES_SHEET, SIGNATORY_COLUMNS), (TASKS_SHEET, TASK_COLUMNS),
                            (SCORES_SHEET, score_columns(rs) if rs else STAFF_COLUMNS)):  # fmt: skip
            if name not in names:
                continue
            scan = (scan_sheet(path, members[name], pct_styles, pad_styles) if name in members
                    else SheetScan())  # fmt: skip
            ws = wb[name]
            ws.reset_dimensions()
            rows = ws.iter_rows(values_only=True)
            header = next(rows, ())
            aliases = _ALIASES.get(name, {})
            if name == SCORES_SHEET and rs is not None:
                aliases = _criterion_aliases(rs)
            moved, rows = _header_below(header, rows, specs, aliases)
            if moved is not None:  # a title row above the header: said once, not per column
                probs.add(msg("problem.header.moved", row=moved), sheet=name, row=moved,
                          value=f"A{moved}")  # fmt: skip
                if name == SCORES_SHEET:
                    return
                continue
            sheet = _Sheet(name, specs, probs, aliases=aliases,
                           rule_set=rs.id if name == SCORES_SHEET and rs is not None else None)
            sheet.read_header(header)
            for ref in _ranges_touching_row(scan.merged, 1):
                cols = [split_ref(c) for c in ref.split(":")]
                first = cols[0][1] if cols[0] is not None else None
                last = cols[-1][1] if cols[-1] is not None else first
                if first is not None and last is not None:
                    sheet.hidden.update(range(first + 1, last + 1))
                probs.add(msg("problem.header.merged", ref=ref), sheet=name, row=1,
                          column=sheet.column_of(first) if first is not None else None,
                          value=ref)  # fmt: skip
            for ref in scan.merged:  # typed once over merged data cells, a value is in the
                at = split_ref(ref.split(":")[0])  # first cell only: the rest would be blank
                if at is not None and at[0] > 1:
                    probs.add(msg("problem.cells.merged", ref=ref), sheet=name, row=at[0],
                              column=sheet.column_of(at[1]), value=ref)  # fmt: skip
                    end = split_ref(ref.split(":")[-1]) or at
                    under = frozenset(sheet.column_of(j) for j in range(at[1], end[1] + 1))
                    if end[0] > at[0]:  # the rows below the first: every cell hidden
                        probs.merged.append((name, at[0] + 1, end[0], under))
                    if end[1] > at[1]:  # the first row right of the first cell
                        probs.merged.append((name, at[0], at[0],
                                             under - {sheet.column_of(at[1])}))  # fmt: skip
            sheet.percent = scan.percent
            sheet.padded = scan.padded
            _report_formulas(sheet, scan.formulas)
            numbered = enumerate(rows, start=2)
            if name == SCORES_SHEET:
                if rs is None:  # no rule set (unknown or not named: its problem says so): no
                    sheet.unknown.clear()  # criterion header can be judged, none is "unknown"
                    return
                sheet.require(["staff_id"])
                _require_criteria(sheet, rs)
                ctx = _Context(rs, result.period, _maxima(rs, org), summary,
                               _manager_positions(result.positions, org),
                               tasks_unread=tasks_unread, heads=_heads(result.units, org),
                               categories=_categories(org),
                               period_refused=result.period is None and "period" in info)
                total = _declared_rows(ws)
                result.staff = _read_rows(
                    sheet, numbered, functools.partial(_check_staff_chunk, ctx=ctx), progress,
                    total,
                )  # fmt: skip
                _say_uncovered(sheet, ctx)
                _name_staff(probs, name, result.staff)
                _hidden_cells(result, name, sheet, scan, result.staff)
                typed_ids = ctx.typed_ids
            else:
                sheet.require(c.id for c in specs if c.required)
                frame = _read_rows(sheet, numbered, _simple_check, None, None)
                _hidden_cells(result, name, sheet, scan, frame)
                if name == UNITS_SHEET:
                    result.units, result.typed = frame, sheet.typed
                elif name == POSITIONS_SHEET:
                    result.positions = frame
                elif name == SIGNATORIES_SHEET:
                    result.signatories = frame
                else:
                    result.tasks = frame
                    summary, tasks_unread = _task_summary(frame, result.period, probs, rs)
        _cross_checks(result, org, probs, typed_ids, summary, workbook=True)
    except Exception as exc:  # a malformed part inside an otherwise valid zip
        if isinstance(exc, KeyboardInterrupt | MemoryError):
            raise
        probs.add(msg("problem.read_to_end", detail=f"{type(exc).__name__}: {exc}"))
    finally:
        wb.close()


def _hidden_cells(result: MonthInput, name: str, sheet: _Sheet, scan: SheetScan,
                  frame: pd.DataFrame) -> None:  # fmt: skip
    """The rows and the columns of sheet ``name`` that Excel hides and that were read as data
    (a column: one whose header evalkit reads, with a value in a row read)."""
    if scan.hidden:
        rows = sorted(int(r) for r in frame.index if int(r) in scan.hidden)
        if rows:
            result.hidden[name] = rows
    columns = [(_col_letter(pos), cid) for cid, pos in sorted(sheet.positions.items(),
                                                              key=lambda item: item[1])
               if any(lo <= pos <= hi for lo, hi in scan.hidden_columns)
               and cid in frame.columns and bool(frame[cid].notna().any())]  # fmt: skip
    if columns:
        result.hidden_columns[name] = columns


def _require_criteria(sheet: _Sheet, rs: RuleSet) -> None:
    """Each criterion every person needs has a column for at least one level."""
    computed = rs.management.computed if rs.management is not None else None
    for cid in rs.required_inputs(False):
        if cid == computed or any(f"{lvl}__{cid}" in sheet.positions for lvl in LEVELS):
            continue
        sheet.require([f"competent__{cid}"])


def _declared_rows(ws: Any) -> int | None:
    try:
        return int(ws.max_row) if ws.max_row else None
    except Exception:
        return None


def _sheet_members(wb: Any) -> dict[str, str]:
    """Sheet name -> zip member path (openpyxl read-only internals, best effort)."""
    out: dict[str, str] = {}
    for ws in wb.worksheets:
        member = getattr(ws, "_worksheet_path", None)
        if isinstance(member, str):
            out[ws.title] = member.lstrip("/")
    return out


def _cross_checks(
    result: MonthInput, org: Organisation | None, probs: _Problems, typed_ids: Mapping[int, str],
    summary: Any = None, *, workbook: bool,
) -> None:  # fmt: skip
    """Checks across rows and sheets: everything classification would refuse later.

    Duplicate staff ids (also when they differ only by invisible characters, Unicode form
    or case), unknown or blank units and positions, an empty units sheet, unit cycles,
    heads outside the unit they head, a unit's impossible figures (task counts that
    contradict each other, a score above 100 ...), tasks of people not on the score sheet,
    signatories of unknown units.
    """
    staff, typed = result.staff, result.units
    if not result.units.empty:
        result.units = _units_with_tasks(result.units, summary, result.period)
    units_frame = result.units if not result.units.empty else _org_unit_frame(org)
    if not result.units.empty:
        _unit_checks(result.units, probs, typed)
    if org is not None:
        _org_agreement(result.units, staff, org, probs)
    if not result.positions.empty and "position_id" in result.positions:
        _duplicates(result.positions, "position_id", POSITIONS_SHEET,
                    msg("problem.duplicate_position"), probs)  # fmt: skip
    known_units: set[str] = set()
    if not units_frame.empty and "unit_id" in units_frame:
        known_units |= set(units_frame["unit_id"].dropna())
    if not result.signatories.empty:
        _signatory_checks(result.signatories, known_units, staff, probs, org)
    if staff.empty or "staff_id" not in staff.columns:
        staff["is_head"] = pd.Series(dtype=bool)
        return
    ids = staff["staff_id"]
    _duplicate_ids(ids, typed_ids, probs)
    positions: set[str] = set()
    heads: set[str] = set()
    if not units_frame.empty and "head_id" in units_frame:
        heads |= set(units_frame["head_id"].dropna())
    if not result.positions.empty and "position_id" in result.positions:
        positions |= set(result.positions["position_id"].dropna())
    if org is not None:
        positions |= {p.id for p in org.positions}
    for cid, known, key in (("unit_id", known_units, "problem.unknown_unit"),
                            ("position_id", positions, "problem.unknown_position")):  # fmt: skip
        if not known or cid not in staff.columns:
            continue
        for row, value, hint in _unknown(staff[cid], known):
            probs.add(msg(key, value=value, hint=hint), sheet=SCORES_SHEET, row=_int_row(row),
                      column=cid, value=value, staff_id=_sid(ids, row))  # fmt: skip
    if workbook or org is not None:
        _units_of_staff(staff, known_units, probs, org is not None)
    if not units_frame.empty and {"head_id", "unit_id"} <= set(units_frame) and (
            "unit_id" in staff.columns):  # fmt: skip
        _head_checks(units_frame, staff, probs, from_org=result.units.empty)
    _people_checks(result, ids, org, probs, units_frame)
    staff["is_head"] = ids.isin(heads).to_numpy(dtype=bool)
    if result.rules is not None:
        _unread_checks(staff, ids, units_frame, _people(ids, org), result.rules, probs)
    if "manages_others" not in staff.columns:
        staff["manages_others"] = False
    if not result.tasks.empty and "assignee" in result.tasks.columns:
        t = result.tasks["assignee"]
        bad = t.notna() & ~t.isin(set(ids.dropna()))
        for row, value in t[bad].items():
            probs.add(msg("problem.task_stranger"), sheet=TASKS_SHEET, row=_int_row(row),
                      column="assignee", value=value)  # fmt: skip


def _unread_checks(staff: pd.DataFrame, ids: pd.Series, units: pd.DataFrame,
                   people: set[str], rs: RuleSet, probs: _Problems) -> None:  # fmt: skip
    """A typed score the total would not read (d, đ, e for a person who manages nobody:
    not marked, not the head of the unit): said in the cell it was typed in, as classify
    refuses it (the rule every door shares, :func:`evalkit.scoring.unread_scores`), so that
    validate does not pass a month classify refuses. A unit whose head is not on the sheet
    (its own problem, an id that lost its zeros) is left alone: its head is not known."""
    n = len(staff)
    if not n or not management_only_inputs(rs):
        return
    unit = (staff["unit_id"].astype(object) if "unit_id" in staff.columns
            else pd.Series(None, index=staff.index, dtype=object))  # fmt: skip
    is_head = np.zeros(n, dtype=bool)
    unknown_head: set[object] = set()
    if not units.empty and {"unit_id", "head_id"} <= set(units.columns):
        named = units[units["head_id"].notna() & units["unit_id"].notna()]
        pairs = set(zip(named["unit_id"].astype(str), named["head_id"].astype(str),
                        strict=True))  # fmt: skip
        is_head = pd.MultiIndex.from_arrays([unit.astype(str), ids.astype(str)]).isin(
            list(pairs))
        unknown_head = {u for u, h in pairs if h not in people}
    marked = staff["manages_others"].fillna(False).astype(bool).to_numpy(dtype=bool) if (
        "manages_others" in staff.columns) else np.zeros(n, dtype=bool)  # fmt: skip
    manages = management_duty(rs, marked, is_head)
    has_kpi = (staff["kpi"].notna().to_numpy(dtype=bool) if "kpi" in staff.columns
               else np.zeros(n, dtype=bool))  # fmt: skip
    known = ~unit.astype(str).isin(unknown_head).to_numpy(dtype=bool)
    for cid, refused, key in unread_scores(rs, manages, has_kpi):
        for lvl in LEVELS:
            col = f"{lvl}__{cid}"
            if col not in staff.columns:
                continue
            values = pd.to_numeric(staff[col], errors="coerce").to_numpy(dtype=np.float64)
            for i in np.flatnonzero(refused & known & ~np.isnan(values)):
                row = staff.index[int(i)]
                probs.add(msg(key), sheet=SCORES_SHEET, row=_int_row(row), column=col,
                          value=float(values[i]), staff_id=_sid(ids, row))  # fmt: skip


def _people_checks(result: MonthInput, ids: pd.Series, org: Organisation | None,
                   probs: _Problems, units: pd.DataFrame) -> None:  # fmt: skip
    """Managers and heads name someone on the staff sheet (or in ``org``): a misspelt id
    would silently drop a person from their leader's count or a head from the head cap;
    managers never form a loop (A manages B, B manages A)."""
    staff = result.staff
    people = _people(ids, org)
    if org is not None:  # the organisation file lists everyone: an id it lacks is a typo, or
        known = {s.id for s in org.staff}  # (or a number Excel stripped of its leading zeros)
        for row, value, hint in _unknown(ids, known):
            probs.add(msg("problem.staff_not_in_org", value=value, hint=hint),
                      sheet=SCORES_SHEET, row=_int_row(row), column="staff_id", value=value,
                      staff_id=str(value))  # fmt: skip
    if "manager_id" in staff.columns:
        for row, value, hint in _unknown(staff["manager_id"], people):
            probs.add(msg("problem.unknown_manager", value=value, hint=_or_org(hint, org)),
                      sheet=SCORES_SHEET, row=_int_row(row), column="manager_id", value=value,
                      staff_id=_sid(ids, row))  # fmt: skip
        _manager_loops(staff, ids, probs, units)
    if not result.units.empty and "head_id" in result.units.columns:
        for row, value, hint in _unknown(result.units["head_id"], people):
            twin = _head_twin(value, result.units.at[row, "unit_id"]
                              if "unit_id" in result.units.columns else None, staff, ids)
            probs.add(msg("problem.unknown_head", value=value, hint=_or_org(hint, org))
                      if twin is None else twin, sheet=UNITS_SHEET, row=_int_row(row),
                      column="head_id", value=value)  # fmt: skip


def _head_twin(value: object, unit: object, staff: pd.DataFrame, ids: pd.Series) -> Msg | None:
    """The problem of a head id found nowhere that is a member of the unit in another case
    (``a1`` for ``A1``): the words every door says (evalkit._classify.month, the
    objects' :class:`~evalkit.model.Organisation`), else none."""
    if unit is None or "unit_id" not in staff.columns or not isinstance(value, str):
        return None
    mine = ids[(staff["unit_id"].astype(object) == unit).to_numpy(dtype=bool)].dropna()
    twin = next((t for t in mine if str(t).casefold() == value.casefold()), None)
    return None if twin is None else msg("foreign.org.head_case_twin", head=repr(value),
                                         member=repr(twin))  # fmt: skip


def _people(ids: pd.Series, org: Organisation | None) -> set[str]:
    """Who a manager, head or approver may be: the staff sheet's people and, with an
    organisation file, its people (of another group's workbook too)."""
    return set(ids.dropna()) | ({s.id for s in org.staff} if org is not None else set())


def _or_org(hint: Msg | str, org: Organisation | None) -> Msg | str:
    """A did-you-mean hint, else (without an organisation file) the hint to pass --org."""
    return hint or (msg("hint.other_file") if org is None else "")


def _manager_loops(staff: pd.DataFrame, ids: pd.Series, probs: _Problems,
                   units: pd.DataFrame) -> None:  # fmt: skip
    """One problem per loop of manager links, on its first row, naming the loop (a person
    as their own manager is reported on its row by the reader). The links are the ones the
    engine follows (:func:`evalkit._org.manager_links`): ``manager_id`` where typed, else
    the head of the person's unit, and for a head the head of the parent unit. A loop of
    the units' heads alone is a unit cycle (or a head outside their unit), reported on the
    units sheet."""
    member = staff[ids.notna()]
    sids = member["staff_id"]
    typed = member["manager_id"]
    own = (typed == sids).to_numpy(dtype=bool)  # their own manager: no link (reported)
    mgr, given = manager_links(sids, member["unit_id"] if "unit_id" in member.columns
                               else None, typed, units)  # fmt: skip
    mgr[own] = -1
    rows = member.index
    for loop in loops(mgr):
        mine = loop[given[loop]]  # reported on a typed link's row
        if not mine.size:
            continue
        first = min(mine.tolist(), key=lambda i: rows[i])
        path = " → ".join(str(sids.iloc[i]) for i in [*loop.tolist(), int(loop[0])])
        probs.add(msg("problem.manager_loop", path=path), sheet=SCORES_SHEET,
                  row=_int_row(rows[first]), column="manager_id", value=typed.iloc[first],
                  staff_id=sids.iloc[first])  # fmt: skip


def _sid(ids: pd.Series, row: object) -> str | None:
    value = ids.get(row) if row in ids.index else None
    return value if isinstance(value, str) else None


def _duplicates(frame: pd.DataFrame, column: str, sheet: str, m: Msg, probs: _Problems) -> None:
    """Every row of an id typed twice, as duplicate staff and unit ids are flagged."""
    col = frame[column]
    dup = col.notna() & col.duplicated(keep=False)
    for row, value in col[dup].items():
        probs.add(m, sheet=sheet, row=_int_row(row), column=column, value=value)


def _signatory_checks(
    sig: pd.DataFrame, units: set[str], staff: pd.DataFrame, probs: _Problems,
    org: Organisation | None = None,
) -> None:
    """Signatories of known units, one row per unit, approvers on the staff sheet."""
    if "unit_id" in sig.columns:
        col = sig["unit_id"]
        key = col.astype(object).where(col.notna(), "")
        for row, value in col[key.duplicated(keep="first")].items():
            probs.add(msg("problem.duplicate_signatory", value=value or ""), sheet=SIGNATORIES_SHEET,
                      row=_int_row(row), column="unit_id", value=value)  # fmt: skip
        if units:
            for row, value, hint in _unknown(col, units):
                probs.add(msg("problem.signatory_unit", value=value, hint=hint),
                          sheet=SIGNATORIES_SHEET, row=_int_row(row), column="unit_id",
                          value=value)  # fmt: skip
    if "approver_id" in sig.columns and "staff_id" in staff.columns:
        for row, value, hint in _unknown(sig["approver_id"], _people(staff["staff_id"], org)):
            probs.add(msg("problem.signatory_staff", value=value, hint=_or_org(hint, org)),
                      sheet=SIGNATORIES_SHEET, row=_int_row(row), column="approver_id",
                      value=value)  # fmt: skip


def _did_you_mean(value: object, choices: Iterable[str]) -> Msg | str:
    """"did you mean X?" for the closest of ``choices`` to ``value``, or nothing. An id
    that is the same but for its leading zeros (7 and '007') is another id (a number cell
    holds 7, docs/cli.md): the hint says why they differ and how to keep the zeros."""
    close = _columns.closest_ids(str(value), choices, 1)
    if not close:
        return ""
    if close[0].lstrip("0") == str(value).lstrip("0"):
        return msg("hint.leading_zeros", name=close[0])
    return msg("hint.did_you_mean", name=close[0])


def _unknown(col: pd.Series, known: Iterable[str]) -> list[tuple[Any, Any, Msg | str]]:
    """The cells of ``col`` that name none of ``known``: (row label, value, hint)."""
    choices = sorted(known)
    bad = col.notna() & ~col.isin(choices)
    return [(row, value, _did_you_mean(value, choices)) for row, value in col[bad].items()]


def _why(a: str, b: str) -> Msg:
    """Why two spellings of one id are the same id, in words of the catalogue."""
    reasons: list[Msg] = []
    if any(c in INVISIBLE for c in a + b):
        reasons.append(msg("why.invisible"))
    if unicodedata.normalize("NFC", a) != a or unicodedata.normalize("NFC", b) != b:
        reasons.append(msg("why.unicode"))
    if a.strip() != a or b.strip() != b:
        reasons.append(msg("why.spaces"))
    if not reasons:
        return msg("why.spelling")
    out = reasons[0]
    for r in reasons[1:]:
        out = msg("why.pair", first=out, second=r)
    return out


def _duplicate_ids(ids: pd.Series, typed: Mapping[int, str], probs: _Problems) -> None:
    """Duplicate staff ids, naming both spellings when they were typed differently."""
    present = ids.notna()
    dup = present & ids.duplicated(keep=False)
    if dup.any():
        rows = [_int_row(r) for r in ids.index[dup.to_numpy(dtype=bool)]]
        groups: dict[object, list[int | None]] = {}
        for r, sid in zip(rows, ids[dup], strict=True):
            groups.setdefault(sid, []).append(r)
        for sid, members in groups.items():
            for k, r in enumerate(members):
                other = members[1] if k == 0 else members[0]
                mine = typed.get(r if r is not None else -1, str(sid))
                theirs = typed.get(other if other is not None else -1, str(sid))
                if mine != theirs:
                    m = msg("problem.same_id", mine=show_id(mine), theirs=show_id(theirs),
                            other=other, why=_why(mine, theirs))  # fmt: skip
                else:
                    m = msg("problem.duplicate_id", other=other)
                probs.add(m, sheet=SCORES_SHEET, row=r, column="staff_id", value=mine,
                          staff_id=str(sid))  # fmt: skip
    # ids that differ only in upper/lower case: one person, or two sheets with one file name
    # (evalkit._ids.case_twins: the frame doors refuse them with the same words)
    for at, first in _ids.case_twins(ids):
        sid, id0 = ids.iloc[at], ids.iloc[first]
        probs.add(msg("problem.case_id", value=sid, other=id0, row=_int_row(ids.index[first])),
                  sheet=SCORES_SHEET, row=_int_row(ids.index[at]), column="staff_id",
                  value=sid)  # fmt: skip


def _units_of_staff(staff: pd.DataFrame, units: set[str], probs: _Problems, org: bool) -> None:
    """Every person needs a unit that classification knows."""
    has_id = staff["staff_id"].notna()
    ids = staff["staff_id"]
    if "unit_id" not in staff.columns:
        for row in staff.index[has_id.to_numpy(dtype=bool)]:
            probs.add(msg("problem.no_unit_column"), sheet=SCORES_SHEET, row=_int_row(row),
                      column="unit_id", staff_id=_sid(ids, row))  # fmt: skip
        return
    col = staff["unit_id"]
    blank = has_id & col.isna()
    for row in staff.index[blank.to_numpy(dtype=bool)]:
        probs.add(msg("problem.blank_unit"), sheet=SCORES_SHEET, row=_int_row(row),
                  column="unit_id", staff_id=_sid(ids, row))  # fmt: skip
    if not units:
        key = "problem.unit_unknown_empty_org" if org else "problem.unit_unknown_empty_sheet"
        for row, value in col[has_id & col.notna()].items():
            probs.add(msg(key, value=value, sheet=UNITS_SHEET), sheet=SCORES_SHEET,
                      row=_int_row(row), column="unit_id", value=value,
                      staff_id=_sid(ids, row))  # fmt: skip


def _head_checks(
    units: pd.DataFrame, staff: pd.DataFrame, probs: _Problems, *, from_org: bool
) -> None:
    """A head on the score sheet must be a member of the unit they head."""
    member = staff.dropna(subset=["staff_id"]).drop_duplicates("staff_id")
    unit_of = pd.Series(member["unit_id"].to_numpy(dtype=object),
                        index=member["staff_id"].to_numpy(dtype=object))  # fmt: skip
    row_of = pd.Series(member.index.to_numpy(), index=member["staff_id"].to_numpy(dtype=object))
    heads = units[units["head_id"].notna() & units["unit_id"].notna()]
    for row, (uid, hid) in zip(heads.index, zip(heads["unit_id"], heads["head_id"],
                                                 strict=True), strict=True):  # fmt: skip
        if hid not in unit_of.index:
            continue
        theirs = unit_of[hid]
        if theirs == uid or pd.isna(theirs):
            continue
        m = msg("problem.head_elsewhere", head=hid, unit=uid, theirs=theirs,
                row=_int_row(row_of[hid]),
                org=msg("problem.head_elsewhere.org") if from_org else "")  # fmt: skip
        if from_org:
            probs.add(m, sheet=SCORES_SHEET, row=_int_row(row_of[hid]), column="unit_id",
                      value=theirs, staff_id=str(hid))  # fmt: skip
        else:
            probs.add(m, sheet=UNITS_SHEET, row=_int_row(row), column="head_id", value=hid)


def _org_unit_frame(org: Organisation | None) -> pd.DataFrame:
    if org is None:
        return pd.DataFrame(columns=["unit_id", "parent_id", "head_id"])
    return pd.DataFrame({"unit_id": [u.id for u in org.units],
                         "parent_id": [u.parent_id for u in org.units],
                         "head_id": [u.head_id for u in org.units]})  # fmt: skip


_UNIT_TASKS = ("tasks_assigned", "tasks_done", "tasks_on_time", "tasks_overdue",
               "tasks_exceeded")  # fmt: skip


def unit_figure(cid: str) -> bool:
    """Whether ``cid`` is a figure of the units sheet (a count, a score, points)."""
    return cid.startswith("body_") or any(c.id == cid and c.kind in ("number", "count")
                                          for c in _UNIT_INPUTS)  # fmt: skip


def _units_with_tasks(units: pd.DataFrame, summary: Any, period: Period | None) -> pd.DataFrame:
    """The units sheet with blank task counts filled from the tasks sheet (typed values win)."""
    if summary is None or summary.units.empty or "unit_id" not in units.columns:
        return units
    table = summary.units
    if period is not None and "period" in table.index.names:
        try:
            table = table.xs(str(period), level="period")
        except KeyError:
            return units
    elif "period" in table.index.names:
        return units
    out = units.copy()
    for col in _UNIT_TASKS:
        found = table[col].reindex(out["unit_id"]).to_numpy(dtype=np.float64)
        cur = (out[col].to_numpy(dtype=np.float64, na_value=np.nan) if col in out.columns
               else np.full(len(out), np.nan))  # fmt: skip
        out[col] = np.where(np.isnan(cur), found, cur)
    return out


def _int_row(label: object) -> int | None:
    try:
        return int(label)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError):
        return None


def _org_agreement(units: pd.DataFrame, staff: pd.DataFrame, org: Organisation,
                   probs: _Problems) -> None:
    """With ``--org`` the month's sheets say what the organisation file says: a unit's
    parent, head and public service unit mark (units sheet, where it marks any), a person's
    unit (score sheet). Which is right cannot be
    told (a unit moved or merged in the year, a file not updated), so each difference is a
    problem naming both — never one taken silently: d counts the area led in the month and
    the head is capped at the unit (d: NĐ 335/2025/NĐ-CP Điều 15 k3; the head's cap: domain
    brief §3, no article of NĐ 335 identified, NĐ 233/2026 Điều 12 k7)."""
    by_unit = {u.id: {"parent_id": u.parent_id, "head_id": u.head_id} for u in org.units}
    checks = [(units, "unit_id", col, UNITS_SHEET, {k: v[col] for k, v in by_unit.items()},
               f"word.org.{col}") for col in ("parent_id", "head_id")]  # fmt: skip
    checks.append((staff, "staff_id", "unit_id", SCORES_SHEET,
                   {p.id: p.unit_id for p in org.staff}, "word.org.unit_id"))
    # the public service unit marks (NĐ 233/2026 Điều 12 k6 b), as "x" or blank (a blank
    # cell is read as no), where the sheet marks any unit (one that marks none takes the organisation's: workflow._marked)
    psu = "public_service_unit"
    marks = (_columns.booleans(units, psu, _columns.Problems(units))
             if not units.empty and psu in units.columns else np.zeros(0, dtype=bool))
    if marks.any():
        typed = pd.Series(marks, index=units.index).map({True: "x", False: None})
        checks.append((units.assign(**{psu: typed}), "unit_id", psu, UNITS_SHEET, {
            u.id: "x" if u.public_service_unit else None for u in org.units}, f"word.org.{psu}"))
    for frame, key, col, sheet, told, what in checks:
        if frame.empty or key not in frame.columns or col not in frame.columns:
            continue
        ids = _ids.normal_id_column(frame[key]).astype(object)
        theirs = ids.map(told)
        known = ids.isin(told.keys()) & ids.notna()
        mine = _ids.normal_id_column(frame[col]).astype(object)
        if sheet == SCORES_SHEET:  # a blank unit is said on its own (problem.blank_unit)
            known &= mine.notna()
        differ = known & (mine.where(mine.notna(), "") != theirs.where(theirs.notna(), ""))
        for row in frame.index[differ.to_numpy(dtype=bool)]:  # the few rows that differ
            probs.add(msg("problem.org_differs", what=msg(what), id=ids[row],
                          value=_shown(mine[row]), theirs=_shown(theirs[row])), sheet=sheet,
                      row=_int_row(row), column=col, value=frame[col][row],
                      staff_id=ids[row] if sheet == SCORES_SHEET else None)  # fmt: skip


def _shown(value: Any) -> Msg | str:
    return repr(value) if value is not None and not pd.isna(value) else msg("word.blank")


def _unit_checks(units: pd.DataFrame, probs: _Problems, typed: pd.DataFrame | None = None
                 ) -> None:  # fmt: skip
    """Duplicate, case-colliding and unknown parent units, cycles, and every impossible
    figure (:func:`evalkit._columns.unit_value_rules`, in every unit door's words) on its
    cell (also on a sheet without its unit_id column); a task count compared that the tasks
    sheet counted (blank in ``typed``, the sheet as typed) is named with its count."""
    figures = {c: units[c].to_numpy(dtype=np.float64, na_value=np.nan) for c in units.columns
               if isinstance(c, str) and unit_figure(c)}  # fmt: skip
    typed = units if typed is None else typed
    for mask, col, rule in _columns.unit_value_rules(figures):
        # a task count above its bound: the two counts compared (a counted one is never
        # negative, fractional or too large)
        both = (col, _columns.UNIT_BOUNDS[col]) if rule.startswith("foreign.unit.over_") and (
            col in _columns.UNIT_BOUNDS) else (col,)  # fmt: skip
        for i in np.flatnonzero(mask).tolist():
            counted = ", ".join(f"{c} {_fmt(figures[c][i])}" for c in both
                                if c not in typed.columns or pd.isna(typed[c].iloc[i]))
            what = msg(rule, column=col, field=col)
            probs.add(msg("problem.counted_from_tasks", text=what, counted=counted)
                      if counted else what, sheet=UNITS_SHEET,
                      row=_int_row(units.index[i]), column=col, value=_whole(figures[col][i]))
    if "unit_id" not in units.columns:  # its missing header said by the sheet
        return
    ids = units["unit_id"]
    dup = ids.notna() & ids.duplicated(keep=False)
    for row, value in ids[dup].items():
        probs.add(msg("problem.duplicate_unit"), sheet=UNITS_SHEET, row=_int_row(row),
                  column="unit_id", value=value)  # fmt: skip
    key = ids.astype("string").str.casefold()
    case = ids.notna() & ~ids.duplicated(keep=False) & key.duplicated(keep="first")
    for row, value in ids[case].items():
        probs.add(msg("problem.case_unit"), sheet=UNITS_SHEET, row=_int_row(row),
                  column="unit_id", value=value)  # fmt: skip
    if "parent_id" in units.columns:
        par = units["parent_id"]
        known = set(ids.dropna())
        bad = par.notna() & ~par.isin(known)
        for row, value in par[bad].items():
            probs.add(msg("problem.unknown_parent"), sheet=UNITS_SHEET, row=_int_row(row),
                      column="parent_id", value=value)  # fmt: skip
        _cycles(units, probs)


def _cycles(units: pd.DataFrame, probs: _Problems) -> None:
    """Units whose parents lead back to themselves (one problem per cycle)."""
    frame = units.dropna(subset=["unit_id"]).drop_duplicates("unit_id")
    parent = dict(zip(frame["unit_id"], frame["parent_id"], strict=True))
    row_of = dict(zip(frame["unit_id"], frame.index, strict=True))
    reported: set[str] = set()
    for start in parent:  # units are few: a walk per unit
        seen: list[str] = []
        node: Any = start
        while isinstance(node, str) and node in parent and node not in seen:
            seen.append(node)
            node = parent[node]
        if isinstance(node, str) and node in seen:
            cycle = seen[seen.index(node):]
            if reported.isdisjoint(cycle):
                reported.update(cycle)
                first = min(cycle, key=lambda u: row_of[u])
                k = cycle.index(first)
                path = " → ".join([*cycle[k:], *cycle[:k], first])
                probs.add(msg("problem.cycle", path=path), sheet=UNITS_SHEET,
                          row=_int_row(row_of[first]), column="parent_id",
                          value=parent[first])  # fmt: skip


_MULTILINE_COLUMNS = frozenset({"self_comment", "manager_comment", "competent_comment",
                                "competent_reason"})  # fmt: skip


def _read_csv_into(
    result: MonthInput, path: Path, rules: RuleSet | str | None, period: Period | str | None,
    org: Organisation | None, probs: _Problems, progress: Progress | None,
    only: frozenset[StaffCategory] | None = None, jurisdiction: str | None = None,
) -> None:  # fmt: skip
    """Read a CSV of the score sheet: every record or a problem naming its line (``only``:
    the records of these staff groups, :func:`read_months`; ``jurisdiction``: where a
    set not named is found).

    The records are counted against the lines: a quote that opens a cell and swallows
    the following lines (a stray ``"`` in a name) is refused with the line where it
    opens; only the comment columns may hold line breaks (Alt+Enter in Excel). A field
    beyond the header, and a value under a blank header, is a problem with its line and
    field.
    """
    result.period = _expected_period(period, {}, probs)
    rs = _resolve_rules(rules, {}, probs, None)
    ctx: _Context | None = None
    try:
        with open_csv(path) as src:
            header = next(src.reader, [])
            if _blank_csv(header, path):
                probs.add(msg("problem.csv_empty"), row=1)
                return
            if is_results_header(header):  # `classify --out r.csv`: not a month's input
                probs.add(msg("problem.results_file", what=Words("cột 'grade', 'reasons'",
                                                                 "columns 'grade', 'reasons'")),
                          row=1)  # fmt: skip
                return
            if rs is None:
                rs, mixed, result.period = _infer_rules(result.period, path, org,
                                                        jurisdiction)
                if mixed:
                    probs.add(msg("problem.csv_mixed_rules", groups=mixed))
                    return
                if rs is None:
                    probs.add(_csv_no_rules(result.period, path, org, jurisdiction))
                    return
            result.rules = rs
            sheet = _Sheet(None, score_columns(rs), probs, csv=True,
                           aliases=_criterion_aliases(rs), rule_set=rs.id)  # fmt: skip
            sheet.read_header(header, bare_ids=True)
            sheet.require(["staff_id"])
            _require_criteria(sheet, rs)
            ctx = _Context(rs, result.period, _maxima(rs, org),
                           manager_positions=_manager_positions(pd.DataFrame(), org),
                           heads=_heads(pd.DataFrame(), org), categories=_categories(org))
            text_positions = {p for c, p in sheet.positions.items() if c in _MULTILINE_COLUMNS}
            records = csv_records(
                src.reader, multiline_ok=text_positions.__contains__, reopen=src.reopen,
                width=len(header), delimiter=src.delimiter,
                report=lambda q: probs.add_foreign(InputProblem(q.message, row=q.line)),
            )  # fmt: skip
            if only is not None:
                group = _group_of(header, org)
                records = (r for r in records if group(r[1]) in only)
            result.staff = _read_rows(
                sheet, records, functools.partial(_check_staff_chunk, ctx=ctx), progress,
                None,
            )  # fmt: skip
            _say_uncovered(sheet, ctx)
            _name_staff(probs, None, result.staff)
    except _CSV_FAILURES as exc:
        failure, line = _csv_failure(exc, path)
        probs.add(failure, row=line)
        return
    probs.csv_scores = True  # the CSV is the score sheet: no sheet to name
    _cross_checks(result, org, probs, ctx.typed_ids if ctx else {}, workbook=False)


def _infer_rules(period: Period | None, path: Path, org: Organisation | None,
                 jurisdiction: str | None = None,
                 ) -> tuple[RuleSet | None, str, Period | None]:  # fmt: skip
    """The set in force in the CSV's period for the staff group of its people when none is
    named (:func:`_csv_sets`) and the period. Where the groups need different sets, the
    groups and their sets instead of a set: one month is read under one set
    (:func:`read_months` reads such a file as one month per set)."""
    sets, period = _csv_sets(period, path, org, jurisdiction)
    if not sets:
        return None, "", period
    if len({rs.id for rs in sets.values()}) > 1:
        return None, ", ".join(f"{c.value} → {r.id}" for c, r in sets.items()), period
    return next(iter(sets.values())), "", period


def _csv_no_rules(period: Period | None, path: Path, org: Organisation | None,
                  jurisdiction: str | None = None) -> Msg:
    """Why a CSV that names no rule set has none: its month is not known (pass --rules or
    --period), or a staff group of its people has no set in force in that month."""
    if period is None:
        return msg("problem.csv_no_rules")
    missing = []
    for cat in sorted(_csv_scan(path, org)[0], key=lambda c: c.value):
        try:
            default_registry().for_period(cat, period, jurisdiction)
        except EvalkitError:
            missing.append(cat.value)
    if not missing:
        return msg("problem.csv_no_rules")
    return msg("problem.csv_no_set", period=str(period), groups=", ".join(missing))


def _csv_sets(period: Period | None, path: Path, org: Organisation | None,
              jurisdiction: str | None = None,
              ) -> tuple[dict[StaffCategory, RuleSet] | None, Period | None]:  # fmt: skip
    """The set in force in the CSV's period for each staff group of its people (the rule
    set follows the person): each row's ``category``, else the person's in ``org``, else
    công chức; and the period (the one its rows name when not given). None where the
    period is not known or a group has no set in force."""
    cats, periods = _csv_scan(path, org)
    if period is None and periods:  # every row of one month (as the reader reads each
        # row's: 2026-08 and 08/2026 are one month): the file says it
        read: set[Period | None] = set()
        for text in periods:
            try:
                read.add(Period.parse(text))
            except EvalkitError:
                read.add(None)
        period = read.pop() if len(read) == 1 else None
    if period is None:
        return None, None
    try:
        return {cat: default_registry().for_period(cat, period, jurisdiction)
                for cat in sorted(cats, key=lambda c: c.value)}, period  # fmt: skip
    except EvalkitError:
        return None, period


def _header_positions(header: Sequence[str]) -> dict[str, int]:
    """Where a CSV header puts the columns of :data:`STAFF_COLUMNS` (``staff_id``,
    ``category``, ``period`` …), found as the reader finds them (:meth:`_Sheet.read_header`:
    ``Họ tên [full_name]``, a bare id, or the column's label), by column id."""
    sheet = _Sheet(None, STAFF_COLUMNS, _Problems("", 0), csv=True)
    sheet.read_header(header, bare_ids=True)
    return sheet.positions


def _group_of(header: Sequence[str], org: Organisation | None
              ) -> Callable[[Sequence[str]], StaffCategory]:  # fmt: skip
    """Each CSV record's staff group: its ``category``, else the person's in ``org``, else
    công chức (a bad value counts as công chức: the reader reports it on its row). The
    columns and the id are read as the reader reads them (:func:`_header_positions`, the
    one id normaliser :func:`evalkit._words.text_id`: ``'V1\u200b'`` is ``'V1'``), so a
    record is in the group whose set the reader then reads it under."""
    people = _categories(org)
    at = _header_positions(header)
    cat_at, id_at = at.get("category", -1), at.get("staff_id", -1)

    def group(rec: Sequence[str]) -> StaffCategory:
        value = rec[cat_at].strip() if 0 <= cat_at < len(rec) else ""
        if value:
            with suppress(EvalkitError):
                return StaffCategory.parse(value)
        sid = _words.text_id(rec[id_at]) if 0 <= id_at < len(rec) else None
        return StaffCategory(people.get(sid or "", StaffCategory.CONG_CHUC.value))

    return group


def _csv_scan(path: Path, org: Organisation | None) -> tuple[set[StaffCategory], set[str]]:
    """The staff groups of a CSV's rows (:func:`_group_of`) and the periods its rows name."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = _csv.reader(fh, delimiter=csv_delimiter(path))
        header = next(reader, [])
        group = _group_of(header, org)
        per_at = _header_positions(header).get("period", -1)
        out: set[StaffCategory] = set()
        periods: set[str] = set()
        for rec in reader:
            if 0 <= per_at < len(rec) and rec[per_at].strip():
                periods.add(rec[per_at].strip())
            out.add(group(rec))
    return out or {StaffCategory.CONG_CHUC}, periods


def read_workbook(
    path: str | os.PathLike[str],
    rules: RuleSet | str | None = None,
    *,
    period: Period | str | None = None,
    org: Organisation | str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    max_problems: int = DEFAULT_MAX_PROBLEMS,
    jurisdiction: str | None = None,
) -> tuple[pd.DataFrame, list[InputProblem]]:
    """Read a filled-in workbook: ``(frame, problems)``; never raises on bad content.

    The frame has one row per person (index: the sheet's row number): the identity
    columns, each level's scores (``self__<id>``, ``manager__<id>``,
    ``competent__<id>``), the counting score of each criterion (``<id>``), the columns of
    :data:`evalkit.scoring.FRAME_COLUMNS` and ``is_head`` (from the units sheet).
    ``frame.attrs`` holds ``rule_set``, ``period`` and ``file``. Problems name file,
    sheet, row, column and value. ``jurisdiction``: where a CSV naming no set finds
    it (:func:`read_month`).
    """
    month = read_month(path, rules, period=period, org=org, progress=progress,
                       max_problems=max_problems, jurisdiction=jurisdiction)  # fmt: skip
    return _staff_frame(month), month.problems


def _staff_frame(month: MonthInput) -> pd.DataFrame:
    frame = month.staff
    frame.attrs["rule_set"] = month.rules.id if month.rules else None
    frame.attrs["period"] = str(month.period) if month.period else None
    frame.attrs["file"] = month.file
    return frame


def read_csv(
    path: str | os.PathLike[str],
    rules: RuleSet | str | None = None,
    *,
    period: Period | str | None = None,
    org: Organisation | str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    max_problems: int = DEFAULT_MAX_PROBLEMS,
    jurisdiction: str | None = None,
) -> tuple[pd.DataFrame, list[InputProblem]]:
    """Read a CSV with the score sheet's columns (headers as in the workbook, or bare ids).

    Same checks and result as :func:`read_workbook`; rows are the file's line numbers. A
    bare criterion id (``chat_luong``) is the competent level's score. Naming no set, it
    is read under the one in force for its people in ``jurisdiction`` (``'vn.hanoi'``;
    default the national sets).
    """
    return read_workbook(path, rules, period=period, org=org, progress=progress,
                         max_problems=max_problems, jurisdiction=jurisdiction)  # fmt: skip


def read_input(
    path: str | os.PathLike[str],
    rules: RuleSet | str | None = None,
    *,
    period: Period | str | None = None,
    org: Organisation | str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    jurisdiction: str | None = None,
) -> tuple[pd.DataFrame, list[InputProblem]]:
    """Read a workbook or CSV by its suffix; see :func:`read_workbook`."""
    return read_workbook(path, rules, period=period, org=org, progress=progress,
                         jurisdiction=jurisdiction)  # fmt: skip


# =========================================================================== organisation

_ORG_STAFF_COLUMNS = frozenset(c.id for c in STAFF_COLUMNS)


def organisation_of_month(month: MonthInput) -> tuple[Organisation | None, list[InputProblem]]:
    """:func:`read_organisation` of a month's workbook already read (its rows and columns
    Excel hides are in ``month.hidden`` and ``month.hidden_columns``, for the command line
    to name): the reader's problems of the organisation's sheets and columns, then what
    :func:`organisation_of` finds; the organisation is None when there is any problem."""
    problems = [p for p in month.problems
                if p.sheet != SCORES_SHEET or p.column is None
                or p.column in _ORG_STAFF_COLUMNS]  # fmt: skip
    org, more = organisation_of(month)
    return (org if not problems and not more else None), sorted_problems([*problems, *more])


def read_organisation(
    workbook: str | os.PathLike[str] | None = None,
    *,
    units: str | os.PathLike[str] | None = None,
    positions: str | os.PathLike[str] | None = None,
    staff: str | os.PathLike[str] | None = None,
    max_problems: int = DEFAULT_MAX_PROBLEMS,
) -> tuple[Organisation | None, list[InputProblem]]:
    """The organisation (units, positions, staff) of a month's workbook, or of three CSV
    files with the same columns; ``(organisation, problems)``, never raising on bad content.

    Everything :class:`~evalkit.model.Organisation` would refuse is a located problem:
    duplicate ids, unknown parents, cycles, heads who are not members of their unit,
    people in unknown units or positions, blank names, unknown direct managers. The
    organisation is None when there is any problem.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "u.csv").write_text("unit_id,name,head_id\\nP1,Phòng Tổ chức,CC-1\\n")
    >>> _ = (d / "p.csv").write_text("position_id,title,manages_others\\nTP,Trưởng phòng,x\\n")
    >>> _ = (d / "s.csv").write_text("staff_id,full_name,position_id,unit_id\\n"
    ...                              "CC-1,Nguyễn Văn An,TP,P1\\n")
    >>> org, problems = read_organisation(units=d / "u.csv", positions=d / "p.csv",
    ...                                   staff=d / "s.csv")
    >>> problems, org.head_of("P1").full_name
    ([], 'Nguyễn Văn An')
    """
    if workbook is not None:
        return organisation_of_month(read_month(workbook, max_problems=max_problems))
    found: list[InputProblem] = []
    frames: dict[str, pd.DataFrame] = {}
    for key, path, specs in (("units", units, unit_columns(None)),
                             ("positions", positions, POSITION_COLUMNS),
                             ("staff", staff, STAFF_COLUMNS)):  # fmt: skip
        if path is None:
            frames[key] = _empty()
            continue
        probs = _Problems(str(path), max_problems)
        frames[key] = _read_csv_sheet(Path(path), specs, probs)
        found.extend(probs.done())
    month = MonthInput(frames["staff"], frames["units"], frames["positions"], _empty(), None,
                       None, [], str(staff or units or positions))  # fmt: skip
    probs = _Problems(str(staff) if staff else "", max_problems)
    if not month.staff.empty and "staff_id" in month.staff.columns:
        _cross_checks(month, None, probs, {}, workbook=True)
    elif not month.units.empty:
        _unit_checks(month.units, probs)
    by_sheet = {SCORES_SHEET: staff, UNITS_SHEET: units, POSITIONS_SHEET: positions}
    found.extend(attrs.evolve(p, sheet=None, file=str(by_sheet[p.sheet]))
                 if p.sheet in by_sheet and by_sheet[p.sheet] is not None else p
                 for p in probs.done())  # fmt: skip
    month.problems = list(found)
    org, more = organisation_of(month, files={
        key: None if path is None else str(path)
        for key, path in (("units", units), ("positions", positions), ("staff", staff))})
    order = {str(units): 0, str(positions): 1, str(staff): 2}
    # a problem both checks find is listed once: the same cell and the same catalogue
    # message (the row checks may add a hint the organisation's check leaves out); the
    # organisation's words are kept — `evalkit org` takes no --org to hint at
    # one problem per cell, as a workbook's (sorted_problems): a person's unit in a units
    # file with no row is "not in the list", not also "the units sheet is empty"
    once = {(p.file, p.sheet, p.row, p.column) if p.row is not None and p.column is not None
            else (p.file, p.sheet, p.row, p.column, repr(p.value), p.staff_id,
                  getattr(getattr(p, "msg", None), "key", None) or str(p.message)): p
            for p in [*found, *more]}  # fmt: skip
    listed = sorted(once.values(), key=lambda p: (
        order.get(str(p.file), 3), p.row if isinstance(p.row, int) else -1,
        str(p.column or "")))  # fmt: skip
    return (org if not found and not more else None), listed


def read_table_csv(path: str | os.PathLike[str], *, multiline: Iterable[str] = ()
                   ) -> pd.DataFrame:  # fmt: skip
    """A small CSV table typed by people (the year's conclusions, the units' grades): every
    cell as text as typed, an empty cell ``None``, the rows labelled by their line in the file (the
    header is line 1), the columns by the header's words (stripped; a BOM, ``;`` or ``,``
    as the score sheet's CSV).

    Raises :class:`~evalkit.errors.InputError` listing every problem, each naming the file
    and the line, said as the score sheet's CSV says them: a file that is empty or has no
    header, text that is not UTF-8 (its line), a stray quote, a record with a field missing
    or a value beyond the header. Only the columns of ``multiline`` may hold line breaks.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d, "c.csv")
    ...     _ = p.write_text("\\ufeffstaff_id;competent_grade\\nA;HT\\n\\nB;\\n", encoding="utf-8")
    ...     read_table_csv(p).to_dict("index")
    {2: {'staff_id': 'A', 'competent_grade': 'HT'}, 4: {'staff_id': 'B', 'competent_grade': None}}
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = Path(d, "e.csv").write_bytes(b"")
    ...     read_table_csv(Path(d, "e.csv"))
    Traceback (most recent call last):
    ...
    evalkit.errors.InputError: 1 problem in the input:
      - ...e.csv, row 1: the file is empty: it has no header line (the columns' names)
    """
    path = Path(path)
    file = str(path)
    problems: list[InputProblem] = []
    rows: list[list[str | None]] = []
    lines: list[int] = []
    header: list[str] = []

    def add(m: Msg, row: int | None, value: object = None) -> None:
        problems.append(problem(m, file=file, row=row, value=value))

    try:
        with open_csv(path) as src:
            reader = src.reader
            first: list[str] = []
            for first in reader:  # blank lines before the header are skipped
                if any(f.strip() for f in first):
                    break
            header = [f.strip() for f in first]
            seen: dict[str, int] = {}
            for j, h in enumerate(header):
                if h and h in seen:
                    problems.append(problem(msg("problem.header.twice", column=h,
                                                first=msg("where.field", line=reader.line_num,
                                                          field=seen[h] + 1),
                                                second=msg("where.field", line=reader.line_num,
                                                           field=j + 1)),
                                            file=file, row=reader.line_num, column=h))
                seen.setdefault(h, j)
            if not any(header):
                add(msg("problem.csv_empty"), 1)
            elif not problems:
                allowed = set(multiline)
                free = {j for j, h in enumerate(header) if h in allowed}
                for line, values in csv_records(
                    reader, multiline_ok=free.__contains__, reopen=src.reopen,
                    width=len(header), delimiter=src.delimiter,
                    report=lambda q: problems.append(InputProblem(q.message, file, row=q.line)),
                ):  # fmt: skip
                    if not any(v.strip() for v in values):
                        continue  # an empty line
                    for j in range(len(header), len(values)):
                        if values[j].strip():
                            add(msg("foreign.field_beyond", line=line, field=j + 1), line,
                                values[j])  # fmt: skip
                    rows.append([v if v != "" else None for v in values[: len(header)]])
                    lines.append(line)
    except _CSV_FAILURES as exc:
        add(*_csv_failure(exc, path))
    if problems:
        raise InputError(problems)
    return pd.DataFrame(rows, index=pd.Index(lines, dtype="int64"), columns=header,
                        dtype=object)  # fmt: skip


def _read_csv_sheet(path: Path, specs: Sequence[Column], probs: _Problems) -> pd.DataFrame:
    """A CSV file of one sheet (headers as in the workbook, or bare ids), checked."""
    try:
        with open_csv(path) as src:
            header = next(src.reader, [])
            if _blank_csv(header, path):
                probs.add(msg("problem.csv_empty"), row=1)
                return _empty()
            sheet = _Sheet(None, specs, probs, csv=True)
            sheet.read_header(header, bare_ids=True)
            sheet.require(c.id for c in specs if c.required)
            records = csv_records(
                src.reader, multiline_ok=lambda _i: False, reopen=src.reopen,
                width=len(header), delimiter=src.delimiter,
                report=lambda q: probs.add_foreign(InputProblem(q.message, row=q.line)),
            )  # fmt: skip
            return _read_rows(sheet, records, _simple_check, None, None)
    except _CSV_FAILURES as exc:
        failure, line = _csv_failure(exc, path)
        probs.add(failure, row=line)
    return _empty()


def _texts(frame: pd.DataFrame, column: str) -> list[Any]:
    if column not in frame.columns:
        return [None] * len(frame)
    return [None if v is None or (isinstance(v, float) and np.isnan(v)) else v
            for v in frame[column].to_numpy(dtype=object)]  # fmt: skip


#: The organisation's CSV files in words (a file not given to :func:`read_organisation`).
_ORG_FILE_WORDS = {"units": Words("đơn vị", "units"),
                   "positions": Words("vị trí việc làm", "positions"),
                   "staff": Words("nhân sự", "staff")}  # fmt: skip


def organisation_of(
    month: MonthInput, *, files: Mapping[str, str | None] | None = None
) -> tuple[Organisation | None, list[InputProblem]]:
    """The :class:`~evalkit.model.Organisation` of a read month (its units, positions and
    staff sheets), and the problems that stop it being one (beyond the month's own).

    Units and positions missing from their sheets are problems here (the score sheet alone
    can be classified; an organisation file needs every unit and position named).
    """
    files = dict(files or {})
    staff_file = files.get("staff") or month.file
    sheet_staff = None if files else SCORES_SHEET
    sheet_units = None if files else UNITS_SHEET
    problems: list[InputProblem] = []

    def add(m: Msg, file: str | None, sheet: str | None, row: object, column: str,
            value: object = None, staff_id: str | None = None) -> None:  # fmt: skip
        problems.append(problem(m, file=file, sheet=sheet, row=_int_row(row), column=column,
                                value=_plain(value), staff_id=staff_id))  # fmt: skip

    units_f, pos_f, staff_f = month.units, month.positions, month.staff
    unit_ids = set(units_f["unit_id"].dropna()) if "unit_id" in units_f else set()
    pos_ids = set(pos_f["position_id"].dropna()) if "position_id" in pos_f else set()
    people = staff_f[staff_f["staff_id"].notna()] if "staff_id" in staff_f else staff_f
    staff_ids = set(people["staff_id"]) if "staff_id" in people else set()
    for frame, sheet, key, column in ((units_f, UNITS_SHEET, "units", "unit_id"),
                                      (pos_f, POSITIONS_SHEET, "positions", "position_id")):
        if not frame.empty:
            continue
        if not files and sheet in month.sheets:  # there, with no row: say it is empty
            add(msg("problem.org_empty_sheet", sheet=sheet), month.file, sheet, None, column)
        elif (path := files.get(key)) is not None:  # a CSV read with no row
            if not any(p.file == path for p in month.problems):  # (empty: said there)
                add(msg("problem.org_empty_file"), path, None, None, column)
        elif files:  # CSV files, and this one not given
            add(msg("problem.org_file_not_given", what=_ORG_FILE_WORDS[key], argument=key),
                None, None, None, column)  # fmt: skip
        else:
            add(msg("problem.org_missing_sheet", sheet=sheet), files.get(key, month.file),
                None, None, column)  # fmt: skip
    ids = people["staff_id"] if "staff_id" in people else pd.Series(dtype=object)
    for col, known, key in (("position_id", pos_ids, "problem.unknown_position"),
                            ("unit_id", unit_ids, "problem.unknown_unit"),
                            ("manager_id", staff_ids, "problem.unknown_manager")):  # fmt: skip
        if col not in people.columns:
            if col != "manager_id":
                for row in people.index:
                    add(msg("problem.org_no_position") if col == "position_id"
                        else msg("problem.blank_unit"), staff_file, sheet_staff, row, col,
                        staff_id=_sid(ids, row))  # fmt: skip
            continue
        values = people[col]
        if col == "position_id":
            for row in values.index[values.isna().to_numpy(dtype=bool)]:
                add(msg("problem.org_no_position"), staff_file, sheet_staff, row, col,
                    staff_id=_sid(ids, row))  # fmt: skip
        if col != "manager_id" and known:
            continue  # unknown units and positions are the month's own problems
        for row, value, hint in _unknown(values, known):
            add(msg(key, value=value, hint=hint), staff_file, sheet_staff, row, col, value,
                _sid(ids, row))  # fmt: skip
    if "full_name" in people.columns:
        for row in people.index[people["full_name"].isna().to_numpy(dtype=bool)]:
            add(msg("problem.org_blank_name"), staff_file, sheet_staff, row, "full_name",
                staff_id=_sid(ids, row))  # fmt: skip
    else:
        for row in people.index:
            add(msg("problem.org_blank_name"), staff_file, sheet_staff, row, "full_name",
                staff_id=_sid(ids, row))  # fmt: skip
    if "head_id" in units_f.columns:
        for row, value, hint in _unknown(units_f["head_id"], staff_ids):
            twin = _head_twin(value, units_f.at[row, "unit_id"] if "unit_id" in units_f
                              else None, people, ids)  # fmt: skip
            add(msg("problem.unknown_head", value=value, hint=hint) if twin is None else twin,
                files.get("units") or month.file, sheet_units, row, "head_id", value)
    if "manager_id" in people.columns and "staff_id" in people.columns and sheet_staff is None:
        # the score sheet reports its own rows; CSV files are checked here, with the rest
        own = people["manager_id"].eq(people["staff_id"]).to_numpy(dtype=bool)
        for row in people.index[own]:
            add(msg("problem.own_manager"), staff_file, sheet_staff, row, "manager_id",
                people.at[row, "manager_id"], _sid(ids, row))  # fmt: skip
    if "staff_id" in people.columns and sheet_staff is None:  # (the score sheet: its own)
        for row in people.index[_ids.control_ids(people["staff_id"])]:  # the rule of every door
            add(msg("problem.staff_control"), staff_file, sheet_staff, row, "staff_id",
                people.at[row, "staff_id"])  # fmt: skip
    if problems or month.problems:
        return None, problems
    try:
        unit_objs = [Unit(u, n or u, p, h, governing_body=g or "", place=pl or "",
                          public_service_unit=bool(m))
                   for u, n, p, h, g, pl, m in zip(
                       _texts(units_f, "unit_id"), _texts(units_f, "name"),
                       _texts(units_f, "parent_id"), _texts(units_f, "head_id"),
                       _texts(units_f, "governing_body"), _texts(units_f, "place"),
                       _texts(units_f, "public_service_unit"), strict=True) if u is not None]
        position_objs = [Position(i, t or i, title_en=te or "", manages_others=bool(m))
                       for i, t, te, m in zip(
                           _texts(pos_f, "position_id"), _texts(pos_f, "title"),
                           _texts(pos_f, "title_en"), _texts(pos_f, "manages_others"),
                           strict=True) if i is not None]
        leading = {p.id for p in position_objs if p.manages_others}
        # a person in a managing position manages others through it (one fact, one place)
        staff_objs = [Staff(i, n, p, u, category=c or "cong_chuc",
                            manages_others=bool(m) and p not in leading,
                         duty_group=d, manager_id=mg, title_vi=t or "")
                   for i, n, p, u, c, m, d, mg, t in zip(
                       _texts(people, "staff_id"), _texts(people, "full_name"),
                       _texts(people, "position_id"), _texts(people, "unit_id"),
                       _texts(people, "category"), _texts(people, "manages_others"),
                       _texts(people, "duty_group"), _texts(people, "manager_id"),
                       _texts(people, "title_vi"), strict=True)]
        org = Organisation(units=unit_objs, positions=position_objs,  # type: ignore[arg-type]
                           staff=staff_objs)  # type: ignore[arg-type]
    except OrganisationError as exc:  # what the checks above did not foresee: every one
        problems.extend(InputProblem(str(p), file=staff_file) for p in exc.problems)
        return None, problems
    except EvalkitError as exc:  # what the checks above did not foresee, still located
        problems.append(InputProblem(str(exc), file=staff_file))
        return None, problems
    return org, problems


# =========================================================================== writing

_INSTRUCTIONS = """\
HƯỚNG DẪN NHẬP ĐIỂM ĐÁNH GIÁ, XẾP LOẠI {every}
Bộ tiêu chí: {title}
Kỳ đánh giá: {period_label}

1. Trang "{scores}": mỗi dòng là một người. Không đổi tên, không gộp (merge) ô tiêu đề,
   không xóa mã trong ngoặc vuông [..] ở tiêu đề — phần mềm đọc cột theo mã này.
2. Mỗi tiêu chí có ba cột, theo đúng trình tự đánh giá: cá nhân tự chấm (nhóm cột [self__..]),
   người quản lý trực tiếp chấm ([manager__..]) và cấp có thẩm quyền chấm ([competent__..]).
   Điểm được tính là điểm của cấp sau cùng đã chấm tiêu chí đó; cả ba cấp đều được in trên phiếu.
   Điểm tối đa ghi ở tiêu đề. Điểm tiêu chí chung là điểm (0 đến tối đa; được nhập số lẻ như 2,5);
   các thành phần kết quả nhiệm vụ (số lượng, chất lượng, tiến độ ...) là tỷ lệ phần trăm 0–100
   (95% ghi 95, không ghi 0,95).
3. Sau điểm của mỗi cấp là nhận xét và mức xếp loại đề xuất của cấp đó (HTXS, HTT, HT, KHT{labels}).
   Cấp có thẩm quyền ghi mức kết luận; nếu khác mức theo điểm thì phải ghi lý do.
4. Người không có điểm nào trong {unit}: để trống mọi ô điểm — được ghi nhận "chưa đánh giá",
   không phải điểm 0. Đã chấm một tiêu chí thì mỗi tiêu chí bắt buộc phải có điểm ở ít nhất một cấp.
5. Các cột đánh dấu (có quản lý, suy thoái, tham nhũng, lãng phí trong đơn vị ...): ghi x (hoặc có / 1).
   Cột "Kỷ luật": 0 không; 1 khiển trách; 2 cảnh cáo; 3 hạ bậc lương/giáng chức; 4 cách chức;
   5 buộc thôi việc. Cột "Nghỉ theo quy định": thai sản, ốm hoặc vắng.
6. Cột "KPI phần mềm (%)": nếu cơ quan dùng phần mềm theo dõi nhiệm vụ, tỷ lệ KPI thay cho
   phần kết quả thực hiện nhiệm vụ.
7. Trang "{units}": mã, tên đơn vị, đơn vị cấp trên, người đứng đầu, cơ quan chủ quản, địa danh
   và kết quả của đơn vị trong {unit} (số nhiệm vụ, điểm tự chấm, điểm hội đồng thẩm định ...).
   Cột "Là đơn vị sự nghiệp công lập": ghi x ở đơn vị sự nghiệp công lập (trường thành viên,
   bệnh viện; khoa, phòng để trống) — Điều 3 k2, Điều 12 k6 b NĐ 233/2026/NĐ-CP.
   Trang "{positions}": mã và tên vị trí việc làm. Trang "{signatories}": tên cơ quan, cơ quan
   chủ quản, địa danh và người ký thay mặt cấp có thẩm quyền (dòng để trống mã đơn vị áp dụng
   cho cả cơ quan). Trang "{tasks}": danh sách nhiệm vụ (tùy chọn).
8. Nhập giá trị, không nhập công thức (phần mềm không tính công thức). Ô số không định dạng ngày.
9. Kiểm tra trước khi nộp:  evalkit validate <tệp>.xlsx
   Mọi lỗi được liệt kê cùng lúc, kèm trang, dòng, cột và giá trị.
"""

def _management_guide(rs: RuleSet) -> list[str]:
    """The guide's lines on the management components, where the rule set has them: who is
    scored with them (the head of a unit, marked or not, and those marked as managing) and
    which one is left blank because it is computed."""
    only = management_only_inputs(rs)
    if not only:
        return []
    label = {c.id: c.label_vi for c in rs.criteria()}
    computed = rs.management.computed if rs.management is not None else None
    typed = [label[c].split(")")[0] + ")" if label[c].startswith("(") else label[c]
             for c in only if c != computed]  # fmt: skip
    lines = [f'10. Người đứng đầu đơn vị (trang "{UNITS_SHEET}", có đánh dấu "Có quản lý" hay '
             "không) và người có đánh dấu \"Có quản lý\" được đánh giá theo công thức của người "
             f"có chức trách quản lý ({head_post_source(rs)}): nhập {', '.join(typed)} "
             + (f"({' hoặc '.join(f'{v:g}' for v in rs.management.values)})."
                if rs.management.values else "(0–100).")]
    if computed in only:
        lines.append(f"    Để trống {label[computed].split(')')[0] + ')'}: phần mềm tính từ điểm "
                     "của những người thuộc quyền quản lý.")
    return lines


_LEVEL_FILLS = {"self": "E2EFDA", "manager": "FFF2CC", "competent": "FCE4D6"}


def _org_rows(organisation: Organisation, rs: RuleSet, per: Period) -> list[dict[str, object]]:
    positions = {p.id: p for p in organisation.positions}
    rows: list[dict[str, object]] = []
    for s in organisation.staff:
        if not rs.holds(s.category, per):
            continue
        pos = positions.get(s.position_id)
        rows.append({
            "staff_id": s.id, "full_name": s.full_name, "title_vi": s.title_vi or None,
            "position_id": s.position_id, "unit_id": s.unit_id, "manager_id": s.manager_id,
            "category": s.category.value, "period": str(per),
            "manages_others": "x" if (s.manages_others or (pos and pos.manages_others))
            else None, "duty_group": s.duty_group,
        })  # fmt: skip
    return rows


def write_template(
    path: str | os.PathLike[str],
    rules: RuleSet | str | os.PathLike[str],
    period: Period | str,
    *,
    org: Organisation | str | os.PathLike[str] | None = None,
    staff_rows: int = 500,
    force: bool = False,
    overwrite: bool = False,
) -> Path:
    """Write a fill-in workbook for ``period`` under ``rules`` (a RuleSet, an id or the
    path of an agency's rule file); return its path.

    The format follows the name: ``.xlsx`` writes the whole workbook (every sheet, with
    Excel data validation: each criterion between 0 and its maximum, grades from a list);
    ``.csv`` writes the score sheet alone as CSV (UTF-8 with BOM, the same headers), for
    systems that fill a CSV. With ``org`` the staff, units, positions and signatories are
    filled in. An existing file is never replaced unless ``overwrite=True``
    (:class:`~evalkit.errors.OutputError` names it: it may hold a month of typed scores).
    Raises :class:`~evalkit.errors.RuleSetNotInForceError` when the set is not in force
    in the period, unless ``force=True``. The file is written atomically.
    """
    from evalkit.scoring import resolve_rules

    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise OutputError(msg("cli.template.format", suffix=target.suffix).text("en"),
                          path=str(target))  # fmt: skip
    if target.exists() and not overwrite:
        raise OutputError(f"{target} already exists: evalkit does not overwrite it (it may "
                          "hold typed scores); pass overwrite=True to replace it",
                          path=str(target))  # fmt: skip
    per = Period.parse(period)
    rs = resolve(rules)  # an id, a RuleSet or a rule file's path, as every door
    rs = resolve_rules(rs, rs.categories[0], per, force=force)
    organisation = _org_frames(org)
    if suffix == ".csv":
        return _write_csv_template(target, rs, per, organisation)
    return _write_xlsx_template(target, rs, per, organisation, staff_rows)


def _write_csv_template(
    target: Path, rs: RuleSet, per: Period, organisation: Organisation | None
) -> Path:
    from evalkit._files import atomic_path
    from evalkit.io._cells import formula_safe_text

    cols = _template_columns(rs, per)
    rows = _org_rows(organisation, rs, per) if organisation is not None else []
    with atomic_path(target) as tmp, open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        writer = _csv.writer(fh, lineterminator="\r\n")
        writer.writerow([c.header() for c in cols])
        for r in rows:
            writer.writerow([formula_safe_text(str(v)) if isinstance(v, str) else
                             ("" if v is None else v) for v in (r.get(c.id) for c in cols)])
    return target


def _write_xlsx_template(
    target: Path, rs: RuleSet, per: Period, organisation: Organisation | None, staff_rows: int
) -> Path:
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from evalkit import __version__
    from evalkit._files import atomic_path
    from evalkit.io._cells import xlsx_row

    wb = openpyxl.Workbook()
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")

    def put(ws: Any, values: Sequence[Any]) -> None:
        """One row, text as text (never a formula): the organisation's names are user text."""
        ws.append(xlsx_row(ws, values))

    def header(ws: Any, cols: Sequence[Column]) -> None:
        put(ws, [c.header() for c in cols])
        for i, c in enumerate(cols, start=1):
            cell = ws.cell(row=1, column=i)
            level = c.id.split("__", 1)[0] if "__" in c.id else c.id.split("_", 1)[0]
            color = _LEVEL_FILLS.get(level)
            cell.font, cell.alignment = bold, wrap
            cell.fill = PatternFill("solid", fgColor=color) if color else fill
            ws.column_dimensions[get_column_letter(i)].width = 18
            if c.kind == "id":  # the column's cells are text: 007 typed in Excel stays 007
                # (General stores the number 7); a column style, so ws.append still fills row 2
                ws.column_dimensions[get_column_letter(i)].number_format = "@"
        ws.freeze_panes = "C2"
        ws.row_dimensions[1].height = 96

    def validate(ws: Any, cols: Sequence[Column], last: int) -> None:
        for i, c in enumerate(cols, start=1):
            letter = get_column_letter(i)
            dv: DataValidation | None = None
            if c.kind == "number" and c.maximum is not None:
                dv = DataValidation(type="decimal", operator="between", formula1="0",
                                    formula2=f"{c.maximum:g}", allow_blank=True)  # fmt: skip
                dv.error = f"Điểm từ 0 đến {_fmt(c.maximum)}"
            elif c.kind == "count":
                dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0",
                                    allow_blank=True)  # fmt: skip
                dv.error = "Số nguyên không âm"
            elif c.kind == "bool":
                dv = DataValidation(type="list", formula1='"x,có,không"', allow_blank=True)
            elif c.kind == "discipline":
                dv = DataValidation(type="whole", operator="between", formula1="0", formula2="5",
                                    allow_blank=True)  # fmt: skip
            elif c.kind == "grade":
                dv = DataValidation(type="list", allow_blank=True, formula1='"' + ",".join(
                    ["HTXS", "HTT", "HT", "KHT", *_own_grade_labels(rs)]) + '"')  # fmt: skip
            elif c.kind == "leave":
                dv = DataValidation(type="list", formula1='"thai sản,ốm,vắng"', allow_blank=True)
            elif c.kind == "category":
                choices = [x.value for x in (rs.categories if ws.title == SCORES_SHEET
                                             else StaffCategory)]  # fmt: skip
                dv = DataValidation(type="list", allow_blank=True,
                                    formula1='"' + ",".join(choices) + '"')
            elif c.id == "unit_id" and ws.title == SCORES_SHEET:
                dv = DataValidation(type="list", formula1=f"'{UNITS_SHEET}'!$A$2:$A$5000",
                                    allow_blank=True)  # fmt: skip
            elif c.id == "position_id" and ws.title == SCORES_SHEET:
                dv = DataValidation(type="list", formula1=f"'{POSITIONS_SHEET}'!$A$2:$A$5000",
                                    allow_blank=True)  # fmt: skip
            if dv is not None:
                dv.showErrorMessage = True
                dv.errorTitle = "Giá trị không hợp lệ"
                dv.add(f"{letter}2:{letter}{last}")
                ws.add_data_validation(dv)

    scores = wb.active
    scores.title = SCORES_SHEET
    cols = _template_columns(rs, per)
    header(scores, cols)
    scores.column_dimensions["B"].width = 26
    n_rows = staff_rows
    if organisation is not None:
        rows = _org_rows(organisation, rs, per)
        for row in rows:
            put(scores, [row.get(c.id) for c in cols])
        n_rows = max(len(rows) + 50, 50)
    validate(scores, cols, n_rows + 1)

    ucols = unit_columns(rs, template=True)
    units = wb.create_sheet(UNITS_SHEET)
    header(units, ucols)
    validate(units, ucols, 5001)
    positions = wb.create_sheet(POSITIONS_SHEET)
    header(positions, POSITION_COLUMNS)
    validate(positions, POSITION_COLUMNS, 5001)
    signatories = wb.create_sheet(SIGNATORIES_SHEET)
    header(signatories, SIGNATORY_COLUMNS)
    if organisation is not None:
        for u in organisation.units:
            put(units, [{"unit_id": u.id, "name": u.name, "parent_id": u.parent_id,
                           "head_id": u.head_id, "governing_body": u.governing_body or None,
                           "place": u.place or None,
                           "public_service_unit": "x" if u.public_service_unit else None,
                           }.get(c.id) for c in ucols])  # fmt: skip
        for p in organisation.positions:
            put(positions, [p.id, p.title_vi, p.title_en or None,
                              "x" if p.manages_others else None])  # fmt: skip
        roots = organisation.children_of(None)
        for root in roots:
            # one tree: its root is the agency (the whole-agency row); several trees (units
            # side by side, no common parent): a row per root, never one unit for all
            head = organisation.head_of(root.id)
            title = None
            if head is not None:
                title = head.title_vi or organisation.position(head.position_id).title_vi
            put(signatories, [None if len(roots) == 1 else root.id, root.name,
                                root.governing_body or None, root.place or None,
                                head.id if head else None,
                                head.full_name if head else None, title])  # fmt: skip
    else:
        for p_id, _ in sorted(rs.position_maxima.items()):
            put(positions, [p_id, None, None, None])
    tasks = wb.create_sheet(TASKS_SHEET)
    header(tasks, TASK_COLUMNS)

    info = wb.create_sheet(INFO_SHEET)
    for key, value, note in (
        ("format", WORKBOOK_FORMAT, "Định dạng tệp (không sửa)"),
        ("rule_set", rs.id, "Bộ tiêu chí (không sửa)"),
        ("rule_set_title", rs.title_vi, ""),
        ("period", str(per), "Kỳ đánh giá (không sửa)"),
        ("generated_by", f"evalkit {__version__}", ""),
        ("generated_at", _dt.datetime.now().replace(microsecond=0).isoformat(), ""),
    ):
        put(info, [key, value, note])
    info.column_dimensions["A"].width = 18
    info.column_dimensions["B"].width = 40

    guide = wb.create_sheet(INSTRUCTIONS_SHEET)
    text = _INSTRUCTIONS.format(
        title=rs.title_vi, period_label=per.label("vi"), scores=SCORES_SHEET,
        every="HẰNG QUÝ" if per.kind == "quarter" else "HẰNG THÁNG",
        unit="quý" if per.kind == "quarter" else "tháng",
        units=UNITS_SHEET, positions=POSITIONS_SHEET, signatories=SIGNATORIES_SHEET,
        tasks=TASKS_SHEET,
        labels="".join(f", {label}" for label in _own_grade_labels(rs)),
    )  # fmt: skip
    for line in [*text.splitlines(), *_management_guide(rs)]:
        put(guide, [line])
    guide.column_dimensions["A"].width = 110
    guide["A1"].font = Font(bold=True, size=13)

    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target

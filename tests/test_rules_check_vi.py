"""`evalkit rules check` says every problem of a rule file in Vietnamese (the default).

One broken file per message the loader (evalkit.rules), the registry and the static checks
(evalkit.testing.check_rule_set) can give, then the rule-file mutants of the fuzz suite
(tests/_fuzz_rule_files.py): each problem is said through the command's own words
(``evalkit.cli._rule_problem``) and must hold none of a small stop-list of English words
outside quoted or backquoted names, key paths and file names. ``--lang en`` keeps the
library's English.
"""

from __future__ import annotations

import io
import random
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from evalkit import cli
from evalkit.errors import RuleSetError
from evalkit.rules import parse_rule_set
from tests._fuzz_rule_files import Case, cases

#: English words that give an untranslated sentence away.
STOP_WORDS = ("must", "should", "expected", "not", "the", "is", "are", "rule", "criterion",
              "unknown", "missing", "between", "needs", "cannot", "got", "invalid", "than",
              "and", "or", "of", "to", "a", "an", "at", "with", "only", "above", "give",
              "key", "file", "line", "table", "array", "number", "whole", "text", "set",
              "be", "no", "has", "it", "nested", "deeper", "digits", "levels", "larger",
              "duplicate", "contradicts", "needs", "together", "before", "after", "never",
              "include", "could", "take", "takes", "scored", "would", "did", "you", "mean",
              "in", "person", "position", "block", "band", "cap", "notice", "quota")  # fmt: skip
_STOP = re.compile(r"\b(" + "|".join(STOP_WORDS) + r")\b")
#: What may stay as written: names in quotes or backquotes, TOML tables in brackets,
#: one-word glosses of a Vietnamese term ("một bảng (table)"), the file's path.
_KEPT = re.compile(r"`[^`]*`|'(?:[^'\\]|\\.)*(?:'|…)|\"(?:[^\"\\]|\\.)*(?:\"|…)|\[[^\]]*\]|"
                   r"\((?:[a-z_]+|true/false)\)|\(tệp [^()]*\)")  # fmt: skip
_KEY_PATH = re.compile(r"^[^\s:'\"]+: ")

BASE = {"extends": '"example.tasks-80"', "id": '"t.case"', "jurisdiction": '"test"'}


def rule_file(tables: str = "", **top: str | None) -> str:
    """A rule file extending example.tasks-80 (jurisdiction ``test``): ``top`` overrides
    top-level keys (None drops one), ``tables`` follows."""
    keys = {**BASE, **top}
    head = "".join(f"{k} = {v}\n" for k, v in keys.items() if v is not None)
    return head + tables


def cap(**kw: str) -> str:
    """A ``[[caps]]`` table: a valid cap with ``kw`` on top (value ``None`` drops a key)."""
    fields = {"id": '"x"', "flag": '"late_files"', "grade": '"HT"', "label_vi": '"Trễ hạn"',
              "label_en": '"Late"', "source": '"QĐ 1"', **kw}  # fmt: skip
    return "[[caps]]\n" + "".join(f"{k} = {v}\n" for k, v in fields.items() if v is not None)


def block(**kw: str) -> str:
    fields = {"id": '"b"', "label_vi": '"Khối"', "label_en": '"Block"', "points": "20",
              "source": '"QĐ 1"', **kw}  # fmt: skip
    return "[[blocks]]\n" + "".join(f"{k} = {v}\n" for k, v in fields.items() if v is not None)


BANDS = """
[[bands]]
grade = "HTXS"
min = 90
max = 100
source = "QĐ 1"
[[bands]]
grade = "HTT"
min = 70
max = 90
source = "QĐ 1"
[[bands]]
grade = "HT"
min = 50
max = 70
source = "QĐ 1"
[[bands]]
grade = "KHT"
min = 0
max = 50
source = "QĐ 1"
"""

CRITERIA = """criteria = [
  { id = "chinh_tri", label_vi = "Chính trị", max = 5 },
  { id = "dao_duc", label_vi = "Đạo đức", max = 5 },
  { id = "tac_phong", label_vi = "Tác phong", max = 5 },
  { id = "ky_luat", label_vi = "Kỷ luật", max = 5 },
]
"""
TASKS = """[[groups]]
id = "tasks"
label_vi = "Nhiệm vụ"
criteria = [
  { id = "giao", label_vi = "Được giao", unit = "count", max = 10000 },
  { id = "hoan_thanh", label_vi = "Hoàn thành", unit = "count", max = 10000 },
  { id = "dat_chat_luong", label_vi = "Đạt chất lượng", unit = "count", max = 10000 },
  { id = "dung_han", label_vi = "Đúng hạn", unit = "count", max = 10000 },
  { id = "ty_le", label_vi = "Tỷ lệ", unit = "percent" },
  { id = "diem", label_vi = "Điểm", max = 5 },
]
"""


def groups(general: str = "", criteria: str = CRITERIA) -> str:
    """The example's two groups (a percentage criterion added), ``general`` in the first."""
    return (f'[[groups]]\nid = "general"\nlabel_vi = "Chung"\nmax = 20\n{criteria}{general}'
            + TASKS)  # fmt: skip


SECTIONS = ('[[groups.sections]]\nid = "s1"\nlabel_vi = "Phần 1"\nmax = {smax}\n'
            '[[groups.sections]]\nid = "s2"\nlabel_vi = "Phần 2"\nmax = 10\n')  # fmt: skip
SECTION_CRITERIA = """criteria = [
  { id = "chinh_tri", label_vi = "Chính trị", max = 5, section = "s1" },
  { id = "dao_duc", label_vi = "Đạo đức", max = 5, section = "s1" },
  { id = "tac_phong", label_vi = "Tác phong", max = 5, section = "s2" },
  { id = "ky_luat", label_vi = "Kỷ luật", max = 5, section = "s2" },
]
"""

#: (a fragment of the English problem, the file): one file per message a rule file can give.
BROKEN: list[tuple[str, str | bytes]] = [
    # ---- reading the file
    ("rule file is not UTF-8 text", rule_file().encode() + b"\xff\n"),
    ("invalid TOML", rule_file() + "x = = 1\n"),
    ("(at the end of the document", rule_file() + "x = [1,\n"),
    ("Cannot overwrite a value", rule_file() + "total = 100\ntotal = 90\n"),
    ("Unterminated string", rule_file() + 'title_vi = "abc'),
    ("Invalid value", rule_file() + "total = @\n"),
    ("Expected ']' at the end of a table declaration", rule_file() + "[quota\n"),
    ("arrays and inline tables are nested deeper", rule_file() + "x = " + "[" * 25 + "]" * 25),
    ("tables and arrays are nested deeper", rule_file() + "deep" + ".a" * 25 + " = 1\n"),
    ("numbers in a rule file have at most", rule_file(total="1" + "0" * 40)),
    ("rule file is larger than", rule_file() + "#" + "x" * (2 * 1024 * 1024) + "\n"),
    # ---- extends
    ("extends must name a registered rule set id", rule_file(extends='""')),
    ("extends: unknown rule set", rule_file(extends='"example.tasks-8"')),
    ("needs its own id", rule_file(id=None)),
    ("the id must differ", rule_file(id='"example.tasks-80"')),
    # ---- top-level keys
    ("unsupported schema_version", rule_file(schema_version="2")),
    ("id must not be empty", rule_file(cap(id='" "'))),
    ("must not start or end with spaces", rule_file(id='"a;b"')),
    ("title_vi must not be empty", rule_file(title_vi='""')),
    ("jurisdiction must be dotted names", rule_file(jurisdiction='"a..b"')),
    ("unknown staff category", rule_file(categories='["x"]')),
    ("categories must name at least one", rule_file(categories="[]")),
    ("is before effective_from", rule_file(effective_to="2024-01-01")),
    ("is not one of the set's categories", rule_file(categories_until="{ vien_chuc = 2026-01-01 }")),
    ("unknown staff category", rule_file(categories_until="{ xx = 2026-01-01 }")),
    ("expected a date (2025-12-31)", rule_file(categories_until='{ cong_chuc = "x" }')),
    ("ends 2024-01-01, before effective_from", rule_file(categories_until="{ cong_chuc = 2024-01-01 }")),
    ("expected a date without a time", rule_file(effective_from="2025-01-01T07:00:00")),
    ("expected a date (2026-01-01)", rule_file(effective_from='"2025"')),
    ("period must be 'month' or 'quarter'", rule_file(period='"week"')),
    ("total must be a number above 0", rule_file(total="0")),
    ("expected a number, got", rule_file(total='"x"')),
    ("expected a number between", rule_file(total="1e10")),
    ("unknown status", rule_file(status='"maybe"')),
    ("classified must name at least one period", rule_file(classified="[]")),
    ("unknown period kind", rule_file(classified='["week"]')),
    ("did you mean 'year'", rule_file(classified='["yaer"]')),
    ("cannot classify months", rule_file(period='"quarter"', classified='["month", "year"]')),
    ("expected text", rule_file(uncertainties="[1]")),
    ("expected an array, got", rule_file(uncertainties='"x"')),
    ("expected text, got", rule_file(title_vi="1")),
    ("unknown key 'foo'", rule_file(foo="1")),
    ("did you mean 'bands'", rule_file(bandss="1")),
    ("a rule set needs bands", rule_file(bands="[]")),
    ("a rule set needs at least one score block", rule_file(blocks="[]")),
    ("expected an array of tables ([[caps]])", rule_file(caps="1")),
    ("expected a table, got 1", rule_file(caps="[1]")),
    ("expected a table of job positions", rule_file(position_maxima="1")),
    ("position id", rule_file(position_maxima='{ "a;b" = { chinh_tri = 5 } }')),
    ("expected a table of criterion id to maximum", rule_file(position_maxima="{ p = 1 }")),
    ("of its group", rule_file(position_maxima="{ p = { chinh_tri = 50 } }")),
    ("the rule set's total", rule_file(groups(), position_maxima="{ p = { diem = 500 } }")),
    ("a percentage criterion's 100", rule_file(groups(), position_maxima="{ p = { ty_le = 500 } }")),
    ("unknown criterion", rule_file(position_maxima="{ p = { xx = 5 } }")),
    # ---- quota
    ("quota percent must be within 0 to 100", rule_file("[quota]\npercent = 120\n")),
    ("not both", rule_file("[quota]\nraised_percent = 30\npercent_if_unit_excellent = 30\n")),
    ("is below percent = 20", rule_file("[quota]\npercent = 20\nraised_percent = 5\n")),
    ("raised_when must be unit_excellent, top_unit_excellent or exceptional", rule_file('[quota]\nraised_when = "x"\n')),
    ("rounding must be floor, half_up or ceil", rule_file('[quota]\nrounding = "x"\n')),
    ("count_base must be", rule_file('[quota]\ncount_base = "x"\n')),
    ("unknown tie-break", rule_file('[quota]\ntie_break = ["x"]\n')),
    ("did you mean 'total'", rule_file('[quota]\ntie_break = ["totl"]\n')),
    ("group_by takes unit and duty_group", rule_file('[quota]\ngroup_by = ["x"]\n')),
    ("small_group_size and small_group_keep go together", rule_file("[quota]\nsmall_group_size = 5\n")),
    ("must be smaller than small_group_size", rule_file("[quota]\nsmall_group_size = 3\nsmall_group_keep = 3\n")),
    ("small_group_size must be a whole number", rule_file("[quota]\nsmall_group_size = 0\nsmall_group_keep = 1\n")),
    ("the quota cannot apply to", rule_file('[quota]\nperiods = ["month"]\n')),
    ("the quota limits a grade above KHT", rule_file('[quota]\ngrade = "KHT"\n')),
    ("unknown grade", rule_file('[quota]\ngrade = "X"\n')),
    ("unknown grade", rule_file('[quota]\nbase = "X"\n')),
    ("expected a table ([quota])", rule_file(quota="1")),
    ("did you mean 'secondary'", rule_file('[quota]\nstatus = "secondry"\n')),
    ("unknown key", rule_file("[quota]\nfoo = 1\n")),
    # ---- scoring, units, management, roll-up, conclusion
    ("rounding must be half_up or truncate", rule_file('[scoring]\nrounding = "x"\n')),
    ("decimals must be a whole number from 0 to 4", rule_file("[scoring]\ndecimals = 9\n")),
    ("expected a whole number, got", rule_file("[scoring]\ndecimals = 1.5\n")),
    ("excellent_min_score must be a number from 0 to 100", rule_file("[units]\nexcellent_min_score = 200\n")),
    ("small_parent_threshold and small_parent_max_excellent go together", rule_file("[units]\nsmall_parent_threshold = 3\n")),
    ("(not negative)", rule_file("[units]\ntasks_weight = -1\n")),
    ("at least one positive weight", rule_file("[units]\ntasks_weight = 0\n")),
    ("expected a table of body id to weight", rule_file("[units]\nbody_weights = 1\n")),
    ("a fraction from 0 to 1", rule_file("[units]\nlate_credit = 2\n")),
    ("unknown status", rule_file('[units]\nstatus = "x"\n')),
    ("expected true or false", rule_file('[units]\nhead_capped_at_unit = "x"\n')),
    ("give management.full, not units.management_all_ht", rule_file("[units]\nmanagement_all_ht = 90\n[management]\nfull = 90\n")),
    ("is not a management criterion", rule_file('[management]\ncomputed = "chinh_tri"\n')),
    ("full must be a percentage from 0 to 100", rule_file("[management]\nfull = 120\n")),
    ("must not be above full", rule_file("[management]\nfull = 40\n")),
    ("test must be score or grade", rule_file('[management]\ntest = "x"\n')),
    ("scope must be area", rule_file('[management]\nscope = "x"\n')),
    ("expected a percentage from 0 to 100", rule_file('[management]\nvalues = ["x"]\n')),
    ("(the maximum of 'chinh_tri')", rule_file("[management]\nvalues = [100]\n" + groups(
        criteria=CRITERIA.replace("max = 5 }", "max = 5, management = true }", 1)))),
    ("(reduced), or no leader", rule_file('[management]\ncomputed = "chinh_tri"\nvalues = [100, 5]\n'
                                          + groups(criteria=CRITERIA.replace(
                                              "max = 5 }", "max = 5, management = true }", 1)))),
    ("method must be average or count", rule_file('[rollup]\nmethod = "x"\n')),
    ("of must be month or quarter", rule_file('[rollup]\nof = "x"\n')),
    ("did you mean 'average'", rule_file('[rollup]\nmethod = "averag"\n')),
    ("did you mean 'leaders'", rule_file(cap(applies_to='"leader"'))),
    ("did you mean 'tasks'", rule_file(block(block='"criteria_sum"', group='"task"'))),
    ("did you mean 's2'", rule_file(groups(criteria=SECTION_CRITERIA.replace('"s2"', '"s22"'),
                                           general=SECTIONS.format(smax=10)))),
    ("did you mean 'per_event_deduction'", rule_file('[[adjustments]]\nadjustment = "per_event_deductio"\nsource = "QĐ 1"\n')),
    ("min_months must be a whole number from 0 to 12", rule_file("[rollup]\nmin_months = 20\n")),
    ("count_good_max_kht needs count_good_max_ht", rule_file("[rollup]\ncount_good_max_kht = 1\n")),
    ("must be above absent_cap_min_months", rule_file("[rollup]\nabsent_cap_min_months = 6\nabsent_cap_max_months = 3\n")),
    ("unknown status", rule_file('[rollup]\nstatus = "x"\n')),
    ("unknown key", rule_file("[conclusion]\nfoo = 1\n")),
    ("expected a table ([conclusion])", rule_file(conclusion="1")),
    # ---- products, inspections
    ("is scored in points, not percent", rule_file('[products]\na = "chinh_tri"\nb = "ty_le"\nc = "ty_le"\nsource = "QĐ 1"\n' + groups())),
    ("unknown criterion", rule_file('[products]\na = "xx"\nb = "ty_le"\nc = "ty_le"\nsource = "QĐ 1"\n' + groups())),
    ("per must be unit or line", rule_file('[products]\na = "ty_le"\nb = "ty_le"\nc = "ty_le"\nper = "x"\nsource = "QĐ 1"\n' + groups())),
    ("max_per_unit must be a whole number", rule_file('[products]\na = "ty_le"\nb = "ty_le"\nc = "ty_le"\nmax_per_unit = -1\nsource = "QĐ 1"\n' + groups())),
    ("quarter must be pool or average_months", rule_file('[products]\na = "ty_le"\nb = "ty_le"\nc = "ty_le"\nquarter = "x"\nsource = "QĐ 1"\n' + groups())),
    ("must be a percentage above 0 and at most 100", rule_file('[products]\na = "ty_le"\nb = "ty_le"\nc = "ty_le"\nerror_step = 200\nsource = "QĐ 1"\n' + groups())),
    ("no deduction block reads it", rule_file('[inspections]\ncriterion = "chinh_tri"\n')),
    ("it is not a criterion of the rule set", rule_file('[inspections]\ncriterion = "xx"\n')),
    ("unknown severity", rule_file("[inspections]\npoints = { grave = 1 }\n")),
    ("did you mean 'serious'", rule_file("[inspections]\npoints = { serius = 1 }\n")),
    ("expected points ≥ 0", rule_file("[inspections]\npoints = { minor = -1 }\n")),
    ("points on a person need a criterion", rule_file('[inspections]\npoints = { minor = 1 }\nsource = "QĐ 1"\n')),
    # ---- groups, criteria and sections
    ("needs at least one criterion", rule_file(groups(criteria="criteria = []\n"))),
    ("criterion maxima of group", rule_file(groups().replace("max = 20", "max = 25", 1))),
    ("duplicate criterion id", rule_file(groups(criteria=CRITERIA.replace('"dao_duc"', '"chinh_tri"')))),
    ("unit must be points, percent or count", rule_file(groups(criteria=CRITERIA.replace("max = 5 }", 'max = 5, unit = "x" }', 1)))),
    ("did you mean 'count'", rule_file(groups(criteria=CRITERIA.replace("max = 5 }", 'max = 5, unit = "cont" }', 1)))),
    ("unknown section", rule_file(groups(criteria=CRITERIA.replace("max = 5 }", 'max = 5, section = "x" }', 1)))),
    ("has no criteria", rule_file(groups(criteria=CRITERIA, general=SECTIONS.format(smax=10)).replace('[[groups.sections]]', '[[groups.sections]]', 1))),
    ("criteria of section", rule_file(groups(criteria=SECTION_CRITERIA, general=SECTIONS.format(smax=20)))),
    ("missing required key 'max'", rule_file(groups(criteria=SECTION_CRITERIA, general=SECTIONS.format(smax=10).replace("max = 10\n", "", 1)))),
    ("missing required key 'max'", rule_file(groups(criteria=CRITERIA.replace(", max = 5 }", " }", 1)))),
    ("max must be a number above 0", rule_file(groups(criteria=CRITERIA.replace("max = 5 }", "max = 0 }", 1)))),
    ("missing required key 'label_vi'", rule_file(groups(criteria=CRITERIA.replace('label_vi = "Kỷ luật", ', "")))),
    ("label_vi must not be empty", rule_file(groups(criteria=CRITERIA.replace('"Kỷ luật"', '""')))),
    ("expected an array of tables ([[groups]])", rule_file(groups="0")),
    # ---- blocks and adjustments
    ("unknown block", rule_file(block(block='"x"'))),
    ("did you mean 'ratio'", rule_file(block(block='"rato"'))),
    ("unknown group", rule_file(block(block='"criteria_sum"', group='"x"'))),
    ("expected a non-empty list of percentage criteria", rule_file(block(block='"percent_average"', inputs="[]"))),
    ("expected a list of percentage criteria", rule_file(block(block='"percent_average"', inputs='["ty_le"]', manager_inputs="1") + groups())),
    ("expected true or false", rule_file(block(block='"percent_average"', inputs='["ty_le"]', kpi='"x"') + groups())),
    ("is scored in count, not percent", rule_file(block(block='"percent_average"', inputs='["giao"]'))),
    ("missing required key 'numerator'", rule_file(block(block='"ratio"', denominator='"giao"'))),
    ("is scored in points, not count", rule_file(block(block='"ratio"', numerator='"chinh_tri"', denominator='"giao"'))),
    ("expected a non-empty list of criteria", rule_file(block(block='"bonus"', inputs="[]"))),
    ("points must be a number above 0", rule_file(block(block='"criteria_sum"', group='"general"', points="0"))),
    ("block points sum to", rule_file(block(block='"criteria_sum"', group='"general"'))),
    ("duplicate block id", rule_file(block(block='"criteria_sum"', group='"general"', points="50") + block(block='"criteria_sum"', group='"general"', points="50"))),
    ("unknown adjustment", rule_file('[[adjustments]]\nadjustment = "x"\nsource = "QĐ 1"\n')),
    ("missing required key 'step'", rule_file('[[adjustments]]\nadjustment = "per_event_deduction"\ninput = "ty_le"\nevents = "giao"\nsource = "QĐ 1"\n' + groups())),
    ("percentage points", rule_file('[[adjustments]]\nadjustment = "per_event_deduction"\ninput = "ty_le"\nevents = "giao"\nstep = 200\nsource = "QĐ 1"\n' + groups())),
    ("floor must be a number from 0 to 100", rule_file('[[adjustments]]\nadjustment = "per_event_deduction"\ninput = "ty_le"\nevents = "giao"\nstep = 20\nfloor = 200\nsource = "QĐ 1"\n' + groups())),
    # ---- bands
    ("is not above min", rule_file(BANDS.replace("min = 90\nmax = 100", "min = 90\nmax = 90"))),
    ("bands leave a gap", rule_file(BANDS.replace("min = 70\nmax = 90", "min = 70\nmax = 89.5"))),
    ("bands overlap", rule_file(BANDS.replace("min = 70\nmax = 90", "min = 70\nmax = 95"))),
    ("bands do not cover", rule_file(BANDS.replace("min = 0\nmax = 50", "min = 10\nmax = 50"))),
    ("has more than one band", rule_file(BANDS.replace('grade = "HTT"', 'grade = "HT"'))),
    ("missing required key 'grade'", rule_file(BANDS.replace('grade = "HTT"\n', ""))),
    ("unknown grade", rule_file(BANDS.replace('grade = "HTT"', 'grade = "X"'))),
    # ---- caps and notices
    ("unknown flag", rule_file(cap(flag='"x"'))),
    ("did you mean 'degradation'", rule_file(cap(flag='"degradaton"'))),
    ("heads_only = true contradicts applies_to", rule_file(cap(heads_only="true", applies_to='"all"'))),
    ("applies_to must be one of", rule_file(cap(applies_to='"x"'))),
    ("at_least must be a whole number", rule_file(cap(at_least="0"))),
    ("is true or false: at_least must be 1", rule_file(cap(flag='"degradation"', at_least="2"))),
    ("is a discipline level", rule_file(cap(flag='"discipline"', at_least="6"))),
    ("unknown period kind", rule_file(cap(periods='["week"]'))),
    ("is before effective_from", rule_file(cap(effective_from="2026-02-01", effective_until="2026-01-01"))),
    ("is before the set's effective_from", rule_file(cap(effective_until="2024-01-01"))),
    ("is after the set's effective_to", rule_file(cap(effective_from="2027-01-01"), effective_to="2026-12-31")),
    ("is not one of the set's categories (", rule_file(cap(categories='["vien_chuc"]'))),
    ("must name at least one staff category (leave", rule_file(cap(categories="[]"))),
    ("unknown staff category 'x'; expected", rule_file(cap(categories='["x"]'))),
    ("duplicate cap id", rule_file(cap() + cap())),
    ("caps and notices together", rule_file("".join(cap(id=f'"c{i}"') for i in range(33)))),
    ("missing required key 'source'", rule_file(cap(source=None))),
    ("missing required key 'at_least'", rule_file('[[notices]]\nid = "n"\nflag = "late_files"\nlabel_vi = "Trễ"\nsource = "QĐ 1"\n')),
    ("unknown flag", rule_file('[[notices]]\nid = "n"\nflag = "x"\nat_least = 1\nlabel_vi = "Trễ"\nsource = "QĐ 1"\n')),
    ("duplicate notice id", rule_file('[[notices]]\nid = "n"\nflag = "late_files"\nat_least = 1\nlabel_vi = "Trễ"\nsource = "QĐ 1"\n' * 2)),
    # ---- what the static checks add
    ("is unsourced and switched on by default", rule_file(cap(status='"unsourced"'),
                                                          status='"secondary"',
                                                          source='"QĐ 1"')),
    ("vouches for a citation, but the rule cites nothing", rule_file(status='"secondary"')),
    ("the top grade: it never lowers a grade", rule_file(cap(grade='"HTXS"'))),
    ("effective ranges overlap", rule_file(jurisdiction='"example"')),
    ("national disqualifier", rule_file(caps="[]", jurisdiction='"vn.test"', effective_from="2026-01-01")),
    ("a perfect score is not the top grade", rule_file(
        position_maxima="{ p = { chinh_tri = 0.5, dao_duc = 0.5, tac_phong = 0.5, ky_luat = 0.5 } }")),
]


@contextmanager
def _lang(lang: str) -> Iterator[None]:
    token = cli._LANG.set(lang)
    try:
        yield
    finally:
        cli._LANG.reset(token)


def english_words(said: str) -> list[str]:
    """The stop-list words of a said problem outside names, key paths and the file."""
    out: list[str] = []
    for line in said.split("\n"):
        what = _KEY_PATH.sub("", line.strip(), count=1)
        out += _STOP.findall(_KEPT.sub(" ", what))
    return out


def _problems(path: Path) -> list[str]:
    """The problems ``rules check`` finds in ``path`` (English, as the library says them),
    with the static checks only."""
    return cli._rule_file_problems(str(path), 1, invariants=[])[1]


def _write(tmp_path: Path, content: str | bytes, name: str = "r.toml") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_the_stop_list_catches_english() -> None:
    """The check itself: an English sentence is caught, its names and key path are not."""
    assert english_words("total: total must be a number above 0, not 0")
    assert english_words("khóa 'foo' không có (file r.toml, key foo)")
    assert not english_words("groups[0].not: khóa 'not' không có trong định dạng tệp quy định")
    assert not english_words("cần một bảng (table), nhưng tệp ghi `[[caps]]` (tệp /tmp/a b.toml)")


@pytest.mark.parametrize(("fragment", "content"), BROKEN, ids=[f"{i}-{f[:40]}" for i, (f, _c)
                                                                   in enumerate(BROKEN)])
def test_every_problem_of_a_broken_file_is_said_in_vietnamese(
    tmp_path: Path, fragment: str, content: str | bytes
) -> None:
    """Each broken file gives its problem (English in the library), said in Vietnamese by
    ``rules check`` with no English word left."""
    problems = _problems(_write(tmp_path, content))
    assert any(fragment in p for p in problems), problems
    with _lang("vi"):
        said = [cli._rule_problem(p) for p in problems]
    left = {p: english_words(s) for p, s in zip(problems, said, strict=True) if english_words(s)}
    assert not left, "\n".join(f"{p}\n  → {s}" for p, s in zip(problems, said, strict=True)
                               if p in left)  # fmt: skip
    with _lang("en"):
        assert [cli._rule_problem(p) for p in problems] == problems


def _mutant_lines(case: Case, tmp_path: Path) -> list[str]:
    if case.text is not None:
        return _problems(_write(tmp_path, case.text))
    assert case.data is not None
    try:
        parse_rule_set(case.data, source="fuzz.toml")
    except RuleSetError as exc:
        listed = getattr(exc, "problems", None)
        return [f"{k}: {m}" for k, m in listed] if listed else [str(exc)]
    return []


@pytest.mark.parametrize("seed", range(4))
def test_mutated_rule_files_are_checked_in_vietnamese(tmp_path: Path, seed: int) -> None:
    """The fuzz suite's rule-file mutants (text and parsed data): every problem said in
    Vietnamese has no English word left."""
    rnd = random.Random(seed)
    left: list[str] = []
    for i in range(60):
        case = cases(rnd, "text" if i % 2 == 0 else "data")
        for p in _mutant_lines(case, tmp_path):
            with _lang("vi"):
                said = cli._rule_problem(p)
            if english_words(said):
                left.append(f"{case.preset}: {case.mutation}\n  {p}\n  → {said}")
    assert not left, "\n".join(left)


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    buf = io.StringIO()
    code = cli.main(args, stdout=buf)
    return code, buf.getvalue() + capsys.readouterr().err


def test_the_command_says_a_single_problem_with_its_key_in_vietnamese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One problem: the key path first, the sentence in Vietnamese, no ``(file …, key …)``
    in English; ``--lang en`` keeps the library's sentence as it was."""
    path = _write(tmp_path, rule_file(foo="1"))
    code, out = _run(["rules", "check", str(path), "--examples", "1"], capsys)
    assert code == 3
    assert "  - foo: khóa 'foo' không có trong định dạng tệp quy định" in out
    assert not english_words(out.split("\n", 1)[1])
    code, out = _run(["--lang", "en", "rules", "check", str(path), "--examples", "1"], capsys)
    assert code == 3
    assert f"unknown key 'foo' (file {path}, key foo)" in out


def test_the_command_says_invalid_toml_in_vietnamese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """tomllib's own words are said in Vietnamese, with the line and the file."""
    path = _write(tmp_path, rule_file() + "x = [1,\n")
    code, out = _run(["rules", "check", str(path)], capsys)
    assert code == 3
    assert "tệp TOML không hợp lệ: lỗi cú pháp ở cuối tệp, dòng 5 (giá trị không hợp lệ)" in out
    assert f"(tệp {path})" in out
    assert not english_words(out.split("\n", 1)[1])

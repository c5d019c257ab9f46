"""A rule change cites what the sheet's reason cites, where a rule's own source is empty
(af220, after af218).

Agency files (``extends = ...``) leaving a source empty: the management component cites
the units' rule on the sheet (``[units] source``; the inspections cite nothing since af239), a cap or a notice with
no source cites nothing, and ``rollup.maternity``/``rollup.sick`` cite the leave clause
(``leave_source``, as the leave sentence does since af212) where the set names no
months-worked rule of its own. :func:`evalkit.rules.rule_changes` fell back to the set's
source (or the enclosing one) and the two sentences to the roll-up's ``source``; one table
(:data:`evalkit.rules.sources.CITED_BY`) now answers all of them.
"""

from __future__ import annotations

import csv
from pathlib import Path

import attrs
import pytest

import evalkit.rules
from evalkit.reasons import make_reason
from evalkit.rules import RuleSet, rule_changes
from tests._cli_helpers import run

AGENCY = "QĐ 12/2026/QĐ-UBND"
UNITS = f"{AGENCY}, Điều 9"


def _file(tmp_path: Path, base: str, body: str) -> Path:
    path = tmp_path / "agency.toml"
    path.write_text(f'extends = "{base}"\nid = "vn.mau.agency"\nsource = "{AGENCY}"\n'
                    f"{body}", encoding="utf-8")
    return path


def _sheet(rs: RuleSet, code: str) -> str:
    """The citation of ``code``'s sentence under ``rs``, its tables declaring a legal text."""
    legal = {t: attrs.evolve(getattr(rs, t), status="secondary")
             for t in ("units", "management", "inspections", "rollup")}
    return make_reason(code, attrs.evolve(rs, **legal), {}).source


def _changes(old: RuleSet, new: Path, tmp_path: Path) -> dict[str, str]:
    """``rule_changes`` of OLD → NEW, checked against the CLI's ``rules diff`` table."""
    rs = evalkit.rules.load(new)
    want = {i: c for i, _o, _n, c in rule_changes(old, rs)}
    out = tmp_path / "x.csv"
    code, _out, err = run("rules", "diff", old.id, str(new), "--data", "demo", "--csv", str(out))
    assert code == 0, err
    with (tmp_path / "x.rules.csv").open(encoding="utf-8-sig") as f:
        assert {r["item"]: r["source"] for r in csv.DictReader(f)} == want
    return want


def test_management_without_source_cites_the_units_rule_inspections_nothing(
    tmp_path: Path,
) -> None:
    """[management] and [inspections] with an empty source: the management change cites
    ``[units] source`` as the sheet's d sentence does, not the set's; the inspections'
    change and sentence cite nothing (af239: the units' source is a clause of theirs —
    NĐ 233/2026 Điều 12 k7, the head's cap — which says nothing of an inspection)."""
    base = evalkit.rules.get("vn.customs-2026q")
    path = _file(tmp_path, base.id, f'[units]\nsource = "{UNITS}"\n'
                 '[management]\nthreshold = "HTT"\nsource = ""\nstatus = "practice"\n'
                 '[inspections]\nhead_notice = true\nsource = ""\nstatus = "practice"\n')
    rs = evalkit.rules.load(path)
    cites = _changes(base, path, tmp_path)
    assert cites["management.threshold"] == _sheet(rs, "management.d") == UNITS
    assert cites["inspections.head_notice"] == _sheet(rs, "inspection.notice") == ""


@pytest.mark.parametrize("table", ["caps", "notices"])
def test_a_cap_or_notice_without_source_cites_nothing(tmp_path: Path, table: str) -> None:
    """A cap or notice of the agency's with no source: its sheet sentence cites nothing, so
    its rule change cites nothing either (not the set's source)."""
    base = evalkit.rules.get("vn.nd335-2025")
    path = _file(tmp_path, base.id, f'[[{table}]]\nid = "mau.late"\nflag = "late_files"\n'
                 'at_least = 3\n' + ('grade = "HT"\n' if table == "caps" else "")
                 + 'label_vi = "Trễ hạn"\nlabel_en = "Late"\nsource = ""\nstatus = "practice"\n')
    rs = evalkit.rules.load(path)
    cites = _changes(base, path, tmp_path)
    own = {i: c for i, c in cites.items() if i.startswith(f"{table}[mau.late]")}
    assert own and set(own.values()) == {""}
    assert _sheet(rs, f"{table[:-1]}.mau.late") == ""


@pytest.mark.parametrize(("field", "code"), [("maternity_exempt", "rollup.maternity"),
                                             ("sick_exempt", "rollup.sick")])
def test_leave_exemptions_cite_the_leave_clause_without_a_months_rule_source(
        tmp_path: Path, field: str, code: str) -> None:
    """NĐ 90/2020 names no ``months_source``; an agency naming ``leave_source`` (NĐ
    335/2025 Điều 21 k3: legal leave, classified on the time actually worked) cites it for
    the maternity and sick-leave sentences, as the leave sentence does, and for their rule
    changes — not the roll-up's own source."""
    base = evalkit.rules.get("vn.nd90-2020")
    leave = "NĐ 335/2025/NĐ-CP, Điều 21 k3"
    value = "false" if getattr(base.rollup, field) else "true"
    path = _file(tmp_path, base.id, f'[rollup]\n{field} = {value}\nleave_source = "{leave}"\n')
    rs = evalkit.rules.load(path)
    assert rs.rollup.months_source is None and rs.rollup.source != leave
    assert _changes(base, path, tmp_path)[f"rollup.{field}"] == leave
    assert _sheet(rs, code) == _sheet(rs, "rollup.leave") == leave


def _bands(htxs_source: str) -> str:
    """NĐ 335/2025's four bands, HTXS from 92 citing ``htxs_source`` (arrays of tables are
    replaced whole under ``extends``)."""
    rows = [("HTXS", 92, 100, htxs_source), ("HTT", 70, 92, "NĐ 335/2025/NĐ-CP, Điều 20 k2"),
            ("HT", 50, 70, "NĐ 335/2025/NĐ-CP, Điều 20 k3"),
            ("KHT", 0, 50, "NĐ 335/2025/NĐ-CP, Điều 20 k4 a")]
    return "".join(f'[[bands]]\ngrade = "{g}"\nmin = {lo}\nmax = {hi}\nsource = "{s}"\n'
                   + ("" if s else 'status = "practice"\n') for g, lo, hi, s in rows)


_ADJUSTMENTS = ('[[adjustments]]\nid = "quality_errors"\nadjustment = "per_event_deduction"\n'
                'input = "chat_luong"\nevents = "loi_chat_luong"\nstep = 25\nfloor = 0\n'
                'source = "NĐ 335/2025/NĐ-CP, Điều 14 k2 b"\nstatus = "verified"\n'
                '[[adjustments]]\nid = "delays"\nadjustment = "per_event_deduction"\n'
                'input = "tien_do"\nevents = "cham_tien_do"\nstep = 20\nfloor = 0\n'
                'source = ""\nstatus = "practice"\n')


@pytest.mark.parametrize(("base", "body", "item", "code", "row"), [
    ("vn.nd335-2025", _bands(""), "bands[HTXS].min", "band", {"total": 95.0}),
    ("vn.customs-2026q", _ADJUSTMENTS, "adjustments[delays].step", "deduction.delays", {}),
])  # fmt: skip
def test_a_band_or_adjustment_without_source_cites_nothing(
        tmp_path: Path, base: str, body: str, item: str, code: str, row: dict[str, float]) -> None:
    """A band or an adjustment of the agency's with an empty source: no citation on the
    sheet, none on its rule change (not the agency set's source)."""
    old = evalkit.rules.get(base)
    path = _file(tmp_path, base, body)
    rs = evalkit.rules.load(path)
    assert _changes(old, path, tmp_path)[item] == ""
    assert make_reason(code, rs, row).source == ""

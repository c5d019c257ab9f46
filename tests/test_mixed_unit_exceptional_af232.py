"""The competent level's recognition of a unit (``exceptional``) in a mixed unit whose công
chức moved away mid-year (af232): the recognition raises the quota of the công chức counted
in the unit for the year (NĐ 335/2025 Điều 20 k5 b), the viên chức's is raised by the public
service unit's HTXS instead (NĐ 233/2026 Điều 12 k6 b). A công chức's year counts in the unit
of their last month, so the unit they left has nobody the flag is read for: refused
(``foreign.unit.flag_unread``), and the oracle's strategy no longer draws it there; the unit
they joined reads it."""

from __future__ import annotations

import oracle_national as O
import pytest
from test_oracle_national import GEN, check_months, check_year, frames_year, recognisable

from evalkit.errors import InputError

MONTHS = ["2026-03", "2026-04", "2026-05", "2026-06", "2026-07"]
UNITS = {"U0": O.OUnit("U0"), "U1": O.OUnit("U1")}
GRADES = {"U0": "HTT", "U1": "HTT"}


def _row(staff: str, unit: str, period: str, category: str, tasks: float = 100) -> O.Row:
    r = O.Row(staff, unit, period, category)
    r.general = {c: max(v) for c, v in GEN[O.rule_set_of(category, period)].items()}
    r.a = r.b = r.c = tasks  # 100: the top band (HTXS) every month; 80: HTT
    return r


def _rows() -> list[O.Row]:
    """S00, công chức, in U0 until April then in U1; S01 viên chức in U0; in U1 S10 công
    chức of the top band, S11–S14 công chức of HTT."""
    rows = [_row("S00", "U0" if p < "2026-05" else "U1", p, "cong_chuc") for p in MONTHS]
    rows += [_row("S01", "U0", p, "vien_chuc") for p in MONTHS]
    return rows + [_row(f"S1{i}", "U1", p, "cong_chuc", 100 if i == 0 else 80)
                   for i in range(5) for p in MONTHS]  # fmt: skip


def test_only_the_unit_a_cong_chuc_ends_the_year_in_may_be_recognised() -> None:
    # the strategy drew U0 too (a công chức had a row there) and the engine refused it
    assert recognisable(_rows()) == {"U1"}
    rows = [_row("S00", "U0", p, "cong_chuc") for p in MONTHS]  # staying: U0 reads it
    assert recognisable(rows) == {"U0"}


def test_recognition_of_the_unit_the_cong_chuc_left_is_refused() -> None:
    with pytest.raises(InputError) as e:
        frames_year(_rows(), UNITS, GRADES, frozenset({"U0"}))
    assert [(p.unit_id, p.column) for p in e.value.problems] == [("U0", "exceptional")]
    assert "vn.nd233-2026" in str(e.value) and "vn.nd335-2025" in str(e.value)


@pytest.mark.parametrize(("exceptional", "kept"), [(frozenset(), 0), (frozenset({"U1"}), 1)])
def test_recognition_of_the_unit_the_cong_chuc_joined_raises_its_quota(
        exceptional: frozenset[str], kept: int) -> None:  # fmt: skip
    rows = _rows()
    staff, year = frames_year(rows, UNITS, GRADES, exceptional)
    check_months(rows, UNITS, staff)
    check_year(rows, UNITS, GRADES, exceptional, year)
    cc = year.set_index("staff_id").loc[["S00", "S10", "S11", "S12", "S13", "S14"]]
    assert set(cc["unit_id"]) == {"U1"}
    assert list(cc["proposed_grade"]) == ["HTXS", "HTXS", "HTT", "HTT", "HTT", "HTT"]
    # two HTXS proposed over four HTT: 20% of 4 floors to none, 25% (recognised) to one
    assert (cc["grade"] == "HTXS").sum() == kept


def test_vien_chuc_quota_reads_the_topmost_unit_under_their_set() -> None:
    """The seed-5 shape of the same property (dev profile): U1, mostly viên chức (NĐ 233),
    under U0 of công chức only (NĐ 335), nothing declared a public service unit: the viên
    chức's public service unit is the topmost unit under their set, U1 (docs/organisation.md
    ``public_service_unit``), rated HT, not U0's HTXS: the quota stays at 20 % (NĐ 233/2026
    Điều 12 k6 b). The oracle took the top of the tree, U0, and kept one HTXS more."""
    units = {"U0": O.OUnit("U0"), "U1": O.OUnit("U1", parent="U0")}
    grades = {"U0": "HTXS", "U1": "HT"}
    months = [*MONTHS, "2026-08"]  # six months worked: classified (NĐ 233 Điều 14 k1)
    rows = [_row("S00", "U0", p, "cong_chuc") for p in months]
    rows += [_row(f"S1{i}", "U1", p, "vien_chuc", 100 if i == 0 else 80)
             for i in range(5) for p in months]  # fmt: skip
    staff, year = frames_year(rows, units, grades, frozenset())
    check_months(rows, units, staff)
    check_year(rows, units, grades, frozenset(), year)
    vc = year.set_index("staff_id").loc[[f"S1{i}" for i in range(5)]]
    assert list(vc["proposed_grade"]) == ["HTXS", "HTT", "HTT", "HTT", "HTT"]
    assert (vc["grade"] == "HTXS").sum() == 0  # 20 % of 4 HTT: none; 25 %: one

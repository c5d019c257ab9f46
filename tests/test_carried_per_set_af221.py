"""``carried_months`` read per rule set at every door (issue 13: one engine, one answer).

The months of a short customs quarter are carried into the next quarter of the same year,
never into a month, nor into a quarter before the set began (CV 21169/CHQ-TCCB; customs
quarters from 2026-Q3: ``vn.customs-2026q``'s note). The archive's ``check_results``
read each row under its own rule set (af219); :func:`evalkit.units.results_from_frame`
read every row as a quarterly one and took a set's first day only when the frame had one
set. In a frame mixing sets the doors disagreed: a month carried into the first quarter
of an agency's customs-like set was archived by neither ``Archive.finalize`` nor
``evalkit finalize`` but accepted by ``results_from_frame``, and so was a customs quarter
carrying months in beside NĐ 335/2025 months. Both now read the rows with one helper
(:func:`evalkit._columns.counted_months`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import evalkit
from evalkit.errors import InputError, InputProblem
from evalkit.io.archive import Archive, check_results
from evalkit.io.results import read_results, write_results
from evalkit.units import results_from_frame
from tests._cli_helpers import run

CQ = evalkit.rules.get("vn.customs-2026q")
PRESET = Path(evalkit.__file__).parent / "rules" / "presets" / "vn.customs-2026q.toml"


def _late_customs(tmp_path: Path) -> tuple[Path, evalkit.rules.RuleSet]:
    """An agency's customs-like set whose first quarter is 2026-Q4: customs' rules with
    another id, in force from 2026-10-01 (so nothing is carried into 2026-Q4 under it)."""
    text = PRESET.read_text(encoding="utf-8")
    text = text.replace('id = "vn.customs-2026q"', 'id = "agency.customs-q4"', 1)
    text = text.replace("effective_from = 2026-07-01", "effective_from = 2026-10-01", 1)
    path = tmp_path / "customs-q4.toml"
    path.write_text(text, encoding="utf-8")
    return path, evalkit.rules.resolve(path)


def _quarter(staff: str, rs: evalkit.rules.RuleSet) -> pd.DataFrame:
    """``staff``'s 2026-Q4 under ``rs``, rolled up from September to December: September
    (one month of Q3 worked) carried into Q4 (CV 21169/CHQ-TCCB)."""
    months = pd.DataFrame([{"staff_id": staff, "unit_id": "U", "period": p, "total": 90.0,
                            "rule_set": rs.id}
                           for p in ("2026-09", "2026-10", "2026-11", "2026-12")])  # fmt: skip
    q = evalkit.rollup_frame(months, rs, to="quarter", force=True)
    return q[q["period"] == "2026-Q4"]


def _said(problems: list[InputProblem]) -> list[tuple[object, ...]]:
    return [(p.row, p.staff_id, p.column, p.value, p.message) for p in problems
            if p.column == "carried_months"]


def test_a_month_carried_into_the_first_quarter_of_one_of_two_sets(tmp_path: Path) -> None:
    """S's Q4 under customs (from Q3) carries September in: accepted. T's Q4 under the
    agency's set begun in Q4 carries it too: refused by every door, at T's row, in one
    sentence (before: ``results_from_frame`` accepted it, two sets in the frame)."""
    rules_path, late = _late_customs(tmp_path)
    frame = pd.concat([_quarter("S", CQ), _quarter("T", late)], ignore_index=True)
    assert frame["carried_months"].tolist() == [1, 1]
    with pytest.raises(InputError) as err:
        results_from_frame(frame, rules=late)
    expected = _said(err.value.problems)
    assert [e[:4] for e in expected] == [(1, "T", "carried_months", 1)]
    assert "at most 0 months are carried in" in str(expected[0][4])
    assert _said(check_results(frame, rules=late)) == expected
    path = write_results(frame, tmp_path / "q4.json")
    read = read_results(path)
    with pytest.raises(InputError) as err:
        results_from_frame(read, rules=late)
    from_file = _said(err.value.problems)
    with Archive(tmp_path / "a.sqlite") as arc:
        with pytest.raises(InputError) as err:
            arc.finalize(read, by="TCCB", rules=late)
        assert _said(err.value.problems) == from_file
        assert arc.months() == []
    archive = tmp_path / "cli.sqlite"
    code, _out, said = run("finalize", str(path), "--archive", str(archive), "--by", "TCCB",
                           "--rules", str(rules_path))  # fmt: skip
    assert code == 1, said
    assert "'T', cột 'carried_months', giá trị 1" in said, said
    assert "'S', cột 'carried_months'" not in said, said
    # T carrying nothing in (three months worked in Q4): every door accepts the frame
    ok = write_results(frame.assign(carried_months=[1, None], months_worked=[4, 3]),
                       tmp_path / "q4-ok.json")  # fmt: skip
    assert [r.carried_months for r in results_from_frame(read_results(ok), rules=late)] == [
        1, None]
    with Archive(tmp_path / "b.sqlite") as arc:
        assert arc.finalize(read_results(ok), by="TCCB", rules=late).rows == 2
    code, _out, said = run("finalize", str(ok), "--archive", str(archive), "--by", "TCCB",
                           "--rules", str(rules_path))  # fmt: skip
    assert code == 0, said


def test_a_customs_quarter_beside_months_of_another_set() -> None:
    """A customs 2026-Q3 row carrying a month in beside an NĐ 335/2025 month: customs'
    first quarter carries nothing in (before: ``results_from_frame`` allowed the six
    months of Q1–Q2, the frame having two sets); both doors refuse it alike."""
    q3 = _quarter("S", CQ).assign(period="2026-Q3")
    month = pd.DataFrame({"staff_id": ["M"], "period": ["2026-06"], "rule_set": ["vn.nd335-2025"],
                          "total": [91.0], "score_grade": ["HTXS"], "grade": ["HTXS"]})
    frame = pd.concat([month, q3], ignore_index=True)
    with pytest.raises(InputError) as err:
        results_from_frame(frame)
    expected = _said(err.value.problems)
    assert [e[:4] for e in expected] == [(1, "S", "carried_months", 1)]
    assert _said(check_results(frame)) == expected


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(st.sampled_from(["vn.customs-2026q", "agency.customs-q4"]),
                               st.sampled_from(["2026-Q3", "2026-Q4", "2027-Q1", "2026-11"]),
                               st.sampled_from([None, 0, 1, 3, 6, 9])),
                     min_size=1, max_size=6))  # fmt: skip
def test_both_doors_read_carried_months_alike(rows: list[tuple[str, str, int | None]]) -> None:
    """Any frame mixing the two sets, their quarters and a month: ``results_from_frame``
    and ``check_results`` say the same ``carried_months`` problems, at the same rows."""
    late = _LATE[0]
    frame = pd.DataFrame({"staff_id": [f"S{i}" for i in range(len(rows))],
                          "rule_set": [r[0] for r in rows], "period": [r[1] for r in rows],
                          "carried_months": [r[2] for r in rows], "total": 90.0})
    try:
        results_from_frame(frame, rules=late)
        said: list[tuple[object, ...]] = []
    except InputError as exc:
        said = _said(exc.problems)
    assert _said(check_results(frame, rules=late)) == said


_LATE: list[evalkit.rules.RuleSet] = []


@pytest.fixture(autouse=True, scope="module")
def _late_set(tmp_path_factory: pytest.TempPathFactory) -> None:
    if not _LATE:
        _LATE.append(_late_customs(tmp_path_factory.mktemp("late"))[1])

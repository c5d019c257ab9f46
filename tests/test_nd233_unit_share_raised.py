"""NĐ 233/2026/NĐ-CP Điều 7 k7 b, k8: the higher share of units rated HTXS that the competent
level decides, as the preset ``vn.nd233-2026`` follows it, at the 20 %/25 % edges, by hand.

Decree text read (``/tmp/nd233.md``, the diepxuan.github.io mirror's OCR of the signed text):

* k7 a "… không vượt quá 20% trong tổng số đơn vị được xếp loại 'Hoàn thành tốt nhiệm vụ'
  trong phạm vi quản lý của cấp có thẩm quyền …";
* k7 b "Trường hợp đơn vị sự nghiệp công lập có thành tích xuất sắc, nổi trội … thì cấp có
  thẩm quyền quyết định tỷ lệ đơn vị hoàn thành xuất sắc nhiệm vụ cao hơn quy định tại điểm a
  khoản này nhưng không vượt quá 25% tổng số đơn vị được xếp loại 'Hoàn thành tốt nhiệm vụ'".

The decision is the competent level's over its scope: the flag ``excellent_share_raised`` on
the **parent**'s row (never a score threshold), read by its sub-units' set. Every unit scores
100 × done ÷ assigned (the preset weighs tasks only). Under each parent the candidates
(10, 10, 3) or (10, 10, 4) are 100 with k1 met; the others (10, 8, 0) are 80, HTT:

* ``R10``: 3 candidates, 10 HTT. k7 a: 20 % × 10 = 2 → 2 HTXS; k7 b: 25 % × 10 = 2,5 → 2
  (rounded down, as k7 a's note says): the flag changes nothing.
* ``R12``: 4 candidates, 12 HTT. k7 a: 20 % × 12 = 2,4 → 2; k7 b: 25 % × 12 = 3 → 3.
* ``R4``: 2 candidates, 2 HTT (4 sub-units, fewer than 5): k7 c's one HTXS, flag or not.

The candidates all score 100: the lower unit id keeps HTXS (evalkit's tie-break).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit
import evalkit.rules
from tests._cli_helpers import unit_month

RS = evalkit.rules.get("vn.nd233-2026")
PERIOD = "2026-09"
#: parent → (candidates, HTT units)
PARENTS = {"R10": (3, 10), "R12": (4, 12), "R4": (2, 2)}
#: unit → (parent, assigned, done, exceeded)
UNITS: dict[str, tuple[str | None, int, int, int]] = {
    **dict.fromkeys(PARENTS, (None, 10, 10, 3)),
    **{f"{p}X{i}": (p, 10, 10, 3 + i % 2) for p, (n, _) in PARENTS.items() for i in range(n)},
    **{f"{p}H{i:02d}": (p, 10, 8, 0) for p, (_, n) in PARENTS.items() for i in range(n)}}
#: by hand (module docstring): flagged? → parent → the sub-units kept HTXS
WANT = {False: {"R10": ["R10X0", "R10X1"], "R12": ["R12X0", "R12X1"], "R4": ["R4X0"]},
        True: {"R10": ["R10X0", "R10X1"], "R12": ["R12X0", "R12X1", "R12X2"], "R4": ["R4X0"]}}
#: flagged? → the reason of each candidate demoted
WHY = {False: {"R10X2": "unit.excellent_share", "R12X2": "unit.excellent_share",
               "R12X3": "unit.excellent_share", "R4X1": "unit.small_parent"},
       True: {"R10X2": "unit.excellent_share_raised", "R12X3": "unit.excellent_share_raised",
              "R4X1": "unit.small_parent"}}  # fmt: skip
SHARES = {"unit.excellent_share", "unit.excellent_share_raised", "unit.small_parent"}


def _marks(x: int) -> dict[str, Any]:
    return {**RS.full_marks(), **dict.fromkeys(("so_luong", "chat_luong", "tien_do"), x)}


def _check(raised: bool, got: dict[str, tuple[str, set[str]]]) -> None:
    """The HTXS under each parent and the reason of each demoted candidate, as by hand."""
    assert {p: sorted(u for u, (g, _) in got.items() if g == "HTXS" and UNITS[u][0] == p)
            for p in PARENTS} == WANT[raised]  # fmt: skip
    assert {u: c & SHARES for u, (_, c) in got.items() if c & SHARES} == {
        u: {c} for u, c in WHY[raised].items()}


def _inputs(raised: bool) -> list[evalkit.UnitInputs]:
    return [evalkit.UnitInputs(u, PERIOD, tasks_assigned=a, tasks_done=d, tasks_exceeded=x,
                               excellent_share_raised=raised and p is None)
            for u, (p, a, d, x) in UNITS.items()]  # fmt: skip


def _org(category: str = "vien_chuc") -> evalkit.Organisation:
    return evalkit.Organisation(
        units=[evalkit.Unit(u, f"Đơn vị {u}", parent_id=p) for u, (p, *_) in UNITS.items()],
        staff=[evalkit.Staff(f"S{u}", f"Người {u}", "VC", u, category=category)
               for u in UNITS],
        positions=[evalkit.Position("VC", "Viên chức")])  # fmt: skip


@pytest.mark.parametrize("raised", [False, True])
def test_the_objects_keep_the_share_the_competent_level_decided(raised: bool) -> None:
    """Through ``classify_organisation``: 12 HTT → 2 HTXS under k7 a, 3 under k7 b; 10 HTT →
    2 either way; a parent of 4 keeps k7 c's one. The sentence cites k7 b where it applies."""
    said = [evalkit.Assessment(f"S{u}", PERIOD, competent_scores=_marks(80)) for u in UNITS]
    out = evalkit.classify_organisation(_org(), said, _inputs(raised), RS)
    got = {}
    for u, c in out.items():
        assert c.unit.grade is not None
        got[u] = (c.unit.grade.code, {r.code for r in c.unit.reasons})
    _check(raised, got)
    code = "unit.excellent_share_raised" if raised else "unit.excellent_share"
    why = next(r for r in out["R12X3"].unit.reasons if r.code == code)
    assert why.source == f"NĐ 233/2026/NĐ-CP, Điều 7 k7 {'b' if raised else 'a'}"
    if raised:
        assert why.message_vi == (
            "Cấp có thẩm quyền quyết định tỷ lệ đơn vị xếp Hoàn thành xuất sắc nhiệm vụ cao "
            "hơn nhưng không vượt quá 25% số đơn vị xếp Hoàn thành tốt nhiệm vụ cùng cấp trên: "
            "đơn vị này xếp sau")
        assert why.message_en.startswith("The competent level decided a higher share: units "
                                         "rated ")
        assert "at most 25% of the units rated" in why.message_en
    assert out["R12"].unit.excellent_share_raised is raised  # the flag kept on the parent


@pytest.mark.parametrize("raised", [False, True])
def test_a_frame_of_text_read_from_csv_keeps_the_same_share(raised: bool, tmp_path: Path
                                                           ) -> None:  # fmt: skip
    """``classify_frame`` on the same units read back from a CSV as text (the flag typed "x"
    or blank, as a person types it) gives the objects' grades and reasons."""
    staff = pd.DataFrame([{"staff_id": f"S{u}", "full_name": f"Người {u}", "unit_id": u,
                           "period": PERIOD, "category": "vien_chuc", **_marks(80)}
                          for u in UNITS])  # fmt: skip
    units = pd.DataFrame([{"unit_id": u, "parent_id": p, "period": PERIOD, "tasks_assigned": a,
                           "tasks_done": d, "tasks_exceeded": x,
                           "excellent_share_raised": "x" if raised and p is None else ""}
                          for u, (p, a, d, x) in UNITS.items()])  # fmt: skip
    units.to_csv(tmp_path / "units.csv", index=False)
    read = pd.read_csv(tmp_path / "units.csv", dtype=str, keep_default_na=False)
    _, res = evalkit.classify_frame(staff, read, RS)
    _check(raised, {str(r.unit_id): (str(r.grade), set(str(r.reasons).split(";")))
                    for r in res.itertuples()})  # fmt: skip
    assert res.set_index("unit_id")["excellent_share_raised"].to_dict()["R12"] is raised


@pytest.mark.slow
def test_the_command_line_reads_the_flag_from_the_template_column(tmp_path: Path) -> None:
    """template → workbook (the parents' column "x") → validate → classify: k7 b's grades and
    codes in the results file."""
    units = unit_month(
        tmp_path, RS.id, PERIOD, {u: p for u, (p, *_) in UNITS.items()},
        lambda s, row: {f"competent__{k}": v for k, v in _marks(80).items()},
        lambda u, row: {**dict(zip(("tasks_assigned", "tasks_done", "tasks_exceeded"),
                                   UNITS[u][1:], strict=True)),
                        "excellent_share_raised": "x" if UNITS[u][0] is None else None})
    _check(True, {str(rec["unit_id"]): (str(rec["grade"]),
                                        set(str(rec["reasons"] or "").split(";")))
                  for rec in units})  # fmt: skip


def test_the_year_reads_the_decision_on_the_years_row_only() -> None:
    """The year's classification (the mean of July–December, each month as R12's above) is
    limited by k7 a unless the parent's row **for the year** carries the flag: a month's
    decision raises that month's share, not the year's (as the individual quota's
    ``exceptional``). R12's sub-units: 2 HTXS for the year, 3 with the year's row flagged."""
    months = [f"2026-{m:02d}" for m in range(7, 13)]
    mine = {u: v for u, v in UNITS.items() if u == "R12" or v[0] == "R12"}
    staff = pd.DataFrame([{"staff_id": f"S{u}", "full_name": f"Người {u}", "unit_id": u,
                           "period": p, "category": "vien_chuc", **_marks(80)}
                          for u in mine for p in months])  # fmt: skip
    units = pd.DataFrame([{"unit_id": u, "parent_id": par, "period": p, "tasks_assigned": a,
                           "tasks_done": d, "tasks_exceeded": x,
                           "excellent_share_raised": u == "R12" and p == "2026-12"}
                          for u, (par, a, d, x) in mine.items() for p in months])  # fmt: skip
    st, ut = evalkit.classify_frame(staff, units, RS)
    month = ut.set_index(["unit_id", "period"])["grade"]
    assert [str(month[(f"R12X{i}", "2026-12")]) for i in range(4)] == ["HTXS"] * 3 + ["HTT"]
    assert [str(month[(f"R12X{i}", "2026-11")]) for i in range(4)] == ["HTXS"] * 2 + ["HTT"] * 2
    year_row = pd.DataFrame([{"unit_id": "R12", "period": "2026",
                              "excellent_share_raised": True}])
    for extra, kept in ((None, 2), (year_row, 3)):
        rows = ut if extra is None else pd.concat([ut, extra], ignore_index=True)
        year = evalkit.classify_year(st, rows, RS).set_index("staff_id")
        grades = [str(year.loc[f"SR12X{i}", "unit_grade"]) for i in range(4)]
        assert grades == ["HTXS"] * kept + ["HTT"] * (4 - kept)


def test_a_so_of_cong_chuc_decides_the_share_of_its_hospitals() -> None:
    """A Sở (công chức, NĐ 335/2025, which has no k7) carries the decision for its public
    service units (viên chức, NĐ 233/2026): read by their set, not refused. Four hospitals
    meeting k1 and 12 HTT: 20 % × 12 = 2,4 → 2 HTXS; with the Sở's flag 25 % × 12 = 3."""
    rows = [("SYT", None, "cong_chuc", 10, 10, 0)]
    rows += [(f"BV{i}", "SYT", "vien_chuc", 10, 10, 3) for i in range(4)]
    rows += [(f"BH{i:02d}", "SYT", "vien_chuc", 10, 8, 0) for i in range(12)]
    units = pd.DataFrame(rows, columns=["unit_id", "parent_id", "category", "tasks_assigned",
                                        "tasks_done", "tasks_exceeded"]).assign(period=PERIOD)
    empty = pd.DataFrame(columns=["staff_id", "unit_id", "period"])
    for flag, kept in ((False, 2), (True, 3)):
        _, got = evalkit.classify_frame(
            empty, units.assign(excellent_share_raised=units["unit_id"].eq("SYT") & flag))
        got = got.set_index("unit_id")
        assert got.loc["SYT", "rule_set"] == "vn.nd335-2025"
        assert [str(got.loc[f"BV{i}", "grade"]) for i in range(4)] == (
            ["HTXS"] * kept + ["HTT"] * (4 - kept))


def test_the_flag_under_a_set_that_does_not_read_it_is_refused() -> None:
    """Under NĐ 335/2025 alone (công chức units, no share of units) the flag is an input
    problem naming the unit, the flag and the sets that read it — never ignored."""
    units = pd.DataFrame({"unit_id": ["A", "B"], "parent_id": [None, "A"], "period": PERIOD,
                          "category": "cong_chuc", "excellent_share_raised": [True, False]})
    empty = pd.DataFrame(columns=["staff_id", "unit_id", "period"])
    with pytest.raises(evalkit.errors.InputError) as exc:
        evalkit.classify_frame(empty, units)
    [problem] = exc.value.problems
    assert (problem.unit_id, problem.column) == ("A", "excellent_share_raised")
    assert "vn.nd233-2026" in str(problem.message) and "vn.nd335-2025" in str(problem.message)


@pytest.mark.parametrize(("keys", "said"), [
    ("excellent_share_raised_percent = 15\n", "excellent_share_raised_percent = 15 needs "
     "excellent_share_percent at or below it (given: 20)"),
    ("excellent_share_percent = 20\nexcellent_share_raised_percent = 101\n", "a number from 0 to 100, not 101"),
])  # fmt: skip
def test_the_raised_share_is_never_below_the_share(keys: str, said: str, tmp_path: Path) -> None:
    """k7 b allows a higher share, never a lower one (nor above 100 %)."""
    path = tmp_path / "t.toml"
    path.write_text('extends = "vn.nd233-2026"\nid = "t.k"\njurisdiction = "t"\n'
                    f"[units]\n{keys}", encoding="utf-8")
    with pytest.raises(evalkit.errors.RuleSetError, match="excellent_share_raised_percent") as e:
        evalkit.rules.load(path)
    assert said in str(e.value)


def test_the_preset_cites_k7_b() -> None:
    """The preset's key and its citation, listed among the rule set's sources."""
    from evalkit.rules.sources import rule_sources

    assert (RS.units.excellent_share_percent, RS.units.excellent_share_raised_percent) == (20, 25)
    listed = {r.rule: r for r in rule_sources(RS)}
    assert listed["unit raised share of HTXS"].source == "NĐ 233/2026/NĐ-CP, Điều 7 k7 b"
    assert "excellent_share_raised" not in evalkit.rules.get("vn.nd335-2025").unit_flags_read()



def test_the_archive_keeps_the_month_the_decision_raised(tmp_path: Path) -> None:
    """R12's month with the decision finalized in the archive: the re-derivation from the
    archived unit inputs agrees (3 HTXS, k7 b's reason), and reads back the same."""
    from evalkit.io.archive import Archive

    mine = {u: v for u, v in UNITS.items() if u == "R12" or v[0] == "R12"}
    staff = pd.DataFrame([{"staff_id": f"S{u}", "full_name": f"Người {u}", "unit_id": u,
                           "period": PERIOD, "category": "vien_chuc", **_marks(80)}
                          for u in mine])  # fmt: skip
    units = pd.DataFrame([{"unit_id": u, "parent_id": p, "tasks_assigned": a, "tasks_done": d,
                           "tasks_exceeded": x, "excellent_share_raised": p is None}
                          for u, (p, a, d, x) in mine.items()])  # fmt: skip
    st, ut = evalkit.classify_frame(staff, units.assign(period=PERIOD), RS)
    results = pd.concat([staff, st[[c for c in st.columns if c not in staff.columns]]], axis=1)
    results.attrs["rule_set"] = RS.id
    with Archive(tmp_path / "a.sqlite") as arc:
        arc.finalize(results, by="TCCB", units=ut, unit_inputs=units)
        back = arc.units(PERIOD).set_index("unit_id")
    assert [str(back.loc[f"R12X{i}", "grade"]) for i in range(4)] == ["HTXS"] * 3 + ["HTT"]
    assert "unit.excellent_share_raised" in str(back.loc["R12X3", "reasons"])


def test_the_check_of_unit_results_reads_the_flag_where_the_sub_units_do() -> None:
    """:func:`evalkit.units.unit_flag_problems` (the archive's check at finalize): the Sở's
    flag over its hospitals is read; on a NĐ 335 parent over NĐ 335 units it is not."""
    from evalkit.units import unit_flag_problems

    ut = pd.DataFrame({"unit_id": ["SYT", "BV1", "A", "B"], "period": PERIOD,
                       "parent_id": [None, "SYT", None, "A"],
                       "rule_set": ["vn.nd335-2025", "vn.nd233-2026", "vn.nd335-2025",
                                    "vn.nd335-2025"],
                       "excellent_share_raised": [True, False, True, False]})
    assert [(p.unit_id, p.column) for p in unit_flag_problems(ut)] == [
        ("A", "excellent_share_raised")]


#: vn.nd233-2026's content before k7 b (main at 4d460df, content_fingerprint), as archives
#: finalized before schema 5 stored it
BEFORE_K7B = "b4e29d90dd613d8a59cc67570ceddf726faa341102a70087d77d08e9456778b4"


def test_the_content_before_k7_b_ships_in_the_history() -> None:
    """Switching k7 b on changed the preset's content; a month finalized under the content
    before it is classified again under that content (presets/history), which has no higher
    share and does not read the flag. A set without the key keeps its fingerprint."""
    import attrs

    from evalkit.rules import content_fingerprint

    assert content_fingerprint(RS) != BEFORE_K7B
    then = evalkit.rules.earlier_content(RS.id, BEFORE_K7B)
    assert then is not None and content_fingerprint(then) == BEFORE_K7B
    assert then.units.excellent_share_raised_percent is None
    assert "excellent_share_raised" not in then.unit_flags_read()
    off = attrs.evolve(RS, units=attrs.evolve(RS.units, excellent_share_raised_percent=None))
    assert content_fingerprint(off) == BEFORE_K7B

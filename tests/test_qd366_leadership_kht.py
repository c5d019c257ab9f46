"""Quy định 366-QĐ/TW Điều 11 k4, the leadership collective's member cases, as the preset
``vn.qd366-2025`` follows them (docs/_research/legal-sources.md §9, k4 quoted from one
secondary source that reproduces Điều 11):

    "(4) Không hoàn thành nhiệm vụ: Tập thể, cá nhân có tổng điểm đánh giá dưới 50 điểm hoặc
    thuộc một trong các trường hợp sau: - Đối với tập thể lãnh đạo, quản lý … Có thành viên
    trong tập thể lãnh đạo, quản lý vi phạm liên quan đến chức trách, nhiệm vụ trong thực thi
    công vụ bị xử lý kỷ luật từ khiển trách trở lên (trừ trường hợp …) … Có thành viên trong
    tập thể lãnh đạo, quản lý bị cấp có thẩm quyền kết luận có biểu hiện suy thoái … Địa
    phương, tổ chức, cơ quan, đơn vị do mình trực tiếp lãnh đạo, quản lý … không hoàn thành 5
    chỉ tiêu kinh tế - xã hội cơ bản được cấp có thẩm quyền giao, phê duyệt"

— the unit flags ``leadership_duty_disciplined`` (the exceptions are the competent level's
judgement when it sets the flag), ``leadership_degraded`` and ``socioeconomic_targets_missed``
(set by the competent level that assigned or approved the targets; a force majeure is its to
weigh, k4's last sentence): each makes the collective KHT whatever its score. The older flag ``leadership_disciplined`` (any discipline) only keeps the
unit from HTXS (k1). Under a set that does not read the new flags (NĐ 335/2025, NĐ 233/2026)
a flag set is refused, as every unread unit flag is.

The preset scores a unit 100 × done ÷ assigned plus its ``bonus``. By hand, every unit with
10 tasks assigned, 10 done, 3 exceeded → 100 points, 100 % done, 30 % exceeded, HTXS by k1,
then: ``X`` no flag → HTXS; ``D`` duty-disciplined → KHT (k4); ``G`` degraded → KHT (k4);
``E`` the 5 socio-economic targets missed → KHT (k4); ``L`` ``leadership_disciplined`` only → HTT (k1's "thành viên … bị kỷ luật").
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalkit
import evalkit.rules
from evalkit.io.archive import Archive
from evalkit.io.workbook import unit_columns
from evalkit.render import render_unit_summary_html, summaries_from_results
from evalkit.rules import content_fingerprint
from evalkit.workflow import year_units
from tests._cli_helpers import fill_workbook, older_template, one_each, run, unit_month
from tests._sheet_audit import html_text

RS = evalkit.rules.get("vn.qd366-2025")
PERIOD = "2026-03"
CITED = "QĐ 366-QĐ/TW, Điều 11 k4"
DUTY, DEGRADED = "unit.kht_leadership_duty_disciplined", "unit.kht_leadership_degraded"
TARGETS = "unit.kht_socioeconomic_targets_missed"
K1 = "unit.excellent_condition.discipline"
CODES = {DUTY, DEGRADED, TARGETS, K1}
FLAGS = ("leadership_duty_disciplined", "leadership_degraded", "socioeconomic_targets_missed")
#: unit → its flags set (each unit 10 assigned, 10 done, 3 exceeded: 100 points)
UNITS: dict[str, dict[str, bool]] = {
    "X": {}, "D": {"leadership_duty_disciplined": True}, "G": {"leadership_degraded": True},
    "E": {"socioeconomic_targets_missed": True}, "L": {"leadership_disciplined": True}}  # fmt: skip
#: by hand (module docstring): unit → (score, grade, the codes said)
WANT = {"X": (100.0, "HTXS", set()), "D": (100.0, "KHT", {DUTY}),
        "G": (100.0, "KHT", {DEGRADED}), "E": (100.0, "KHT", {TARGETS}),
        "L": (100.0, "HTT", {K1})}  # fmt: skip
KHT_VI = "xếp loại Không hoàn thành nhiệm vụ"
DUTY_VI = ("Có thành viên trong tập thể lãnh đạo, quản lý vi phạm liên quan đến chức trách, "
           f"nhiệm vụ trong thực thi công vụ bị xử lý kỷ luật từ khiển trách trở lên: {KHT_VI}")
DEGRADED_VI = ("Có thành viên trong tập thể lãnh đạo, quản lý bị cấp có thẩm quyền kết luận có "
               "biểu hiện suy thoái về tư tưởng chính trị, đạo đức, lối sống, “tự diễn biến”, "
               f"“tự chuyển hoá”: {KHT_VI}")
TARGETS_VI = ("Địa phương, tổ chức, cơ quan, đơn vị do tập thể trực tiếp lãnh đạo, quản lý "
              "không hoàn thành 5 chỉ tiêu kinh tế - xã hội cơ bản được cấp có thẩm quyền giao, "
              f"phê duyệt: {KHT_VI}")
TASKS = {"tasks_assigned": 10, "tasks_done": 10, "tasks_exceeded": 3}


def _staff(units: Any, periods: list[str], rs: evalkit.rules.RuleSet = RS,
           category: str = "can_bo") -> pd.DataFrame:  # fmt: skip
    return pd.DataFrame([{"staff_id": f"S{u}", "full_name": f"Người {u}", "unit_id": u,
                          "period": p, "category": category, **rs.full_marks()}
                         for u in units for p in periods])  # fmt: skip


def _units(flags: dict[str, dict[str, Any]], period: str = PERIOD) -> pd.DataFrame:
    return pd.DataFrame([{"unit_id": u, "period": period, **TASKS, **f}
                         for u, f in flags.items()])  # fmt: skip


def _org(units: Any, category: str = "can_bo") -> evalkit.Organisation:
    return evalkit.Organisation(
        units=[evalkit.Unit(u, f"Đơn vị {u}") for u in units],
        staff=[evalkit.Staff(f"S{u}", f"Người {u}", "CB", u, category=category) for u in units],
        positions=[evalkit.Position("CB", "Cán bộ")])  # fmt: skip


def _got_frame(ut: pd.DataFrame) -> dict[str, tuple[float, str, set[str]]]:
    return {str(r.unit_id): (float(r.score), str(r.grade),
                             set(str(r.reasons).split(";")) & CODES)
            for r in ut.itertuples()}  # fmt: skip


def test_the_preset_reads_the_collectives_flag_cases_of_article_11_k4() -> None:
    """The member cases and the socio-economic targets are data in the preset's [units],
    cited to k4 (kht_source)."""
    u = RS.units
    assert (u.kht_leadership_duty_disciplined, u.kht_leadership_degraded,
            u.kht_socioeconomic_targets_missed) == (True, True, True)
    assert u.kht_source == CITED
    assert set(FLAGS) <= set(RS.unit_flags_read())


def test_the_frame_and_the_objects_grade_each_member_case_kht_with_its_citation() -> None:
    """k4: a leadership member disciplined from reprimand for a duty-related violation, or
    concluded degraded, or the 5 socio-economic targets of the units it directly leads not
    met, makes the collective KHT whatever its score; the old flag
    ``leadership_disciplined`` keeps it from HTXS only (k1). The frame and the objects agree,
    and the objects' reasons carry the Vietnamese sentence and the citation."""
    _, ut = evalkit.classify_frame(_staff(UNITS, [PERIOD]), _units(UNITS), RS)
    assert _got_frame(ut) == WANT
    out = evalkit.classify_organisation(
        _org(UNITS), [evalkit.Assessment(f"S{u}", PERIOD, competent_scores=RS.full_marks())
                      for u in UNITS],
        [evalkit.UnitInputs(u, PERIOD, **TASKS, **f) for u, f in UNITS.items()], RS)  # fmt: skip
    assert {u: (c.unit.score, c.unit.grade.code if c.unit.grade else None,
                {r.code for r in c.unit.reasons} & CODES)
            for u, c in out.items()} == WANT  # fmt: skip
    assert (out["D"].unit.leadership_duty_disciplined, out["G"].unit.leadership_degraded,
            out["E"].unit.socioeconomic_targets_missed) == (True, True, True)
    said = {r.code: (r.message_vi, r.source) for u in "DGE" for r in out[u].unit.reasons}
    assert said[DUTY] == (DUTY_VI, CITED)
    assert said[DEGRADED] == (DEGRADED_VI, CITED)
    assert said[TARGETS] == (TARGETS_VI, CITED)
    assert evalkit.UnitInputs("U", PERIOD, leadership_degraded=None).leadership_degraded is False
    with pytest.raises(evalkit.errors.ModelError, match="leadership_duty_disciplined"):
        evalkit.UnitInputs("U", PERIOD, leadership_duty_disciplined="maybe")


#: the same flags, as each kind of column holds them: set, not set
DTYPES: dict[str, tuple[Any, Any, str | None]] = {
    "bool": (True, False, None), "x/blank": ("x", None, None), "0/1": (1, 0, None),
    "nullable boolean": (True, pd.NA, "boolean"), "string x/blank": ("x", pd.NA, "string"),
    "có/không": ("có", "không", None)}  # fmt: skip


@given(st.lists(st.tuples(*[st.booleans()] * len(FLAGS)), min_size=3, max_size=3),
       st.sampled_from(sorted(DTYPES)))  # fmt: skip
def test_any_dtype_of_the_flags_gives_the_same_grades(drawn: list[tuple[bool, ...]],
                                                      kind: str) -> None:
    """Whatever the dtype of the three flag columns (bool, "x"/blank, 0/1, nullable boolean,
    pandas strings), a unit with any set is KHT with exactly the reasons of the flags
    set, one with neither HTXS."""
    yes, no, dtype = DTYPES[kind]
    ids = ["A", "B", "C"]
    units = _units({u: {} for u in ids}).assign(**{
        f: pd.Series([yes if d[j] else no for d in drawn], dtype=dtype)
        for j, f in enumerate(FLAGS)})  # fmt: skip
    _, ut = evalkit.classify_frame(_staff(ids, [PERIOD]), units, RS)
    want = {u: (100.0, "KHT" if any(d) else "HTXS",
                {c for c, on in zip((DUTY, DEGRADED, TARGETS), d, strict=True) if on})
            for u, d in zip(ids, drawn, strict=True)}  # fmt: skip
    assert _got_frame(ut) == want


@pytest.mark.slow
def test_the_command_line_grades_each_member_case(tmp_path: Path) -> None:
    """The QĐ 366 template's units sheet has the three flags; "x" typed in them is read by
    validate and classify as by the frame and the objects."""
    units = unit_month(
        tmp_path, RS.id, PERIOD, dict.fromkeys(UNITS),
        lambda s, row: {f"competent__{k}": v for k, v in RS.full_marks().items()},
        lambda u, row: {**TASKS, **dict.fromkeys(UNITS[u], "x")}, category="can_bo")
    got = {str(r["unit_id"]): (float(r["score"]), str(r["grade"]),
                               set(str(r.get("reasons") or "").split(";")) & CODES)
           for r in units}  # fmt: skip
    assert got == WANT


#: the year (January–March 2026): each month 100 points, HTXS; D flagged in February only,
#: G in March only, E in January only → the year KHT (a flag of any month holds for the
#: year), X HTXS.
MONTHS = ["2026-01", "2026-02", "2026-03"]
YEAR_FLAGS = {"X": {}, "D": {"2026-02": {"leadership_duty_disciplined": True}},
              "G": {"2026-03": {"leadership_degraded": True}},
              "E": {"2026-01": {"socioeconomic_targets_missed": True}}}
YEAR_WANT = {"X": ("HTXS", set()), "D": ("KHT", {DUTY}), "G": ("KHT", {DEGRADED}),
             "E": ("KHT", {TARGETS})}


def _year_units() -> pd.DataFrame:
    return pd.DataFrame([{"unit_id": u, "period": p, **TASKS, **dict.fromkeys(FLAGS, False),
                          **fl.get(p, {})} for u, fl in YEAR_FLAGS.items() for p in MONTHS])


def test_the_year_holds_a_member_flag_of_any_month() -> None:
    """A flag set in one month of the year makes the collective's year KHT (its staff's
    ``unit_grade`` too), said with the sentence and citation on the unit summary; the
    objects' year (classify_organisation_year) agrees."""
    st_, ut = evalkit.classify_frame(_staff(YEAR_FLAGS, MONTHS), _year_units(), RS)
    month = ut.set_index(["unit_id", "period"])
    assert (month.loc[("D", "2026-01"), "grade"], month.loc[("D", "2026-02"), "grade"]) == (
        "HTXS", "KHT")
    yr = evalkit.classify_year(st_, ut, RS)
    year = yr.set_index("staff_id")
    assert {u: str(year.loc[f"S{u}", "unit_grade"]) for u in YEAR_FLAGS} == {
        u: g for u, (g, _) in YEAR_WANT.items()}
    graded = year_units(yr, ut).set_index("unit_id")
    assert {u: (str(graded.loc[u, "grade"]), set(str(graded.loc[u, "reasons"]).split(";"))
                & CODES) for u in YEAR_FLAGS} == YEAR_WANT  # fmt: skip
    by = {s.unit.id: s for s in summaries_from_results(yr, year_units(yr, ut))}
    text = html_text(render_unit_summary_html(by["D"]))
    assert DUTY_VI in text and CITED in text
    assert DEGRADED_VI in html_text(render_unit_summary_html(by["G"]))
    assert TARGETS_VI in (text := html_text(render_unit_summary_html(by["E"]))) and CITED in text
    org = _org(YEAR_FLAGS)
    months = [evalkit.classify_organisation(
        org, [evalkit.Assessment(f"S{u}", p, competent_scores=RS.full_marks())
              for u in YEAR_FLAGS],
        [evalkit.UnitInputs(u, p, **TASKS, **fl.get(p, {})) for u, fl in YEAR_FLAGS.items()],
        RS) for p in MONTHS]  # fmt: skip
    got = evalkit.classify_organisation_year(months, RS)
    assert {u: (c.unit.grade.code if c.unit.grade else None,
                {r.code for r in c.unit.reasons} & CODES)
            for u, c in got.items()} == YEAR_WANT  # fmt: skip


@pytest.mark.parametrize("typed", ["HTXS", "HT"])
def test_a_grade_given_for_the_year_beside_a_member_flag_is_kht(typed: str) -> None:
    """k4 leaves no band to choose: a year's row giving a grade above KHT beside a member
    flag (on that row, or in a month) is graded KHT with the k4 sentence; without a flag
    the given grade stands."""
    st_, ut = evalkit.classify_frame(_staff(YEAR_FLAGS, MONTHS), _year_units(), RS)
    rows = pd.DataFrame([{"unit_id": "X", "period": "2026", "grade": typed,
                          "leadership_degraded": "x"},
                         {"unit_id": "D", "period": "2026", "grade": typed},  # flag in 2026-02
                         {"unit_id": "G", "period": "2026", "grade": typed,
                          "leadership_degraded": False},  # (its flag in 2026-03)
                         {"unit_id": "E", "period": "2026", "grade": typed}])  # flag in 2026-01
    both = pd.concat([rows, ut.query("unit_id != 'G'")], ignore_index=True)
    year = evalkit.classify_year(st_.query("unit_id != 'G'"), both, RS)
    got = year.set_index("staff_id")
    assert {u: str(got.loc[f"S{u}", "unit_grade"]) for u in "XDE"} == dict.fromkeys("XDE", "KHT")
    graded = year_units(year, both).set_index("unit_id")
    assert {u: set(str(graded.loc[u, "reasons"]).split(";")) & CODES for u in "XDGE"} == {
        "X": {DEGRADED}, "D": {DUTY}, "G": set(), "E": {TARGETS}}
    assert str(graded.loc["G", "grade"]) == typed


def test_the_archives_year_reads_the_member_flags_of_its_months(tmp_path: Path) -> None:
    """Finalized months keep the flags; the archive's annual grades the year as
    classify_year does."""
    staff, units = _staff(YEAR_FLAGS, MONTHS), _year_units()
    with Archive(tmp_path / "a.sqlite") as arc:
        for p in MONTHS:
            s = staff[staff["period"] == p].reset_index(drop=True)
            u = units[units["period"] == p].reset_index(drop=True)
            out, ures = evalkit.classify_frame(s, u, RS)
            results = pd.concat([s, out[[c for c in out.columns if c not in s.columns]]],
                                axis=1)  # fmt: skip
            results.attrs["rule_set"] = RS.id
            arc.finalize(results, by="TCCB", units=ures, unit_inputs=u.drop(columns=["period"]))
        annual = arc.annual(2026).set_index("staff_id")
    assert {u: str(annual.loc[f"S{u}", "unit_grade"]) for u in YEAR_FLAGS} == {
        u: g for u, (g, _) in YEAR_WANT.items()}


@pytest.mark.parametrize(("rule_set", "category", "period"), [
    ("vn.nd335-2025", "cong_chuc", "2026-09"), ("vn.nd233-2026", "vien_chuc", "2026-09")])
def test_a_set_that_does_not_read_the_member_flags_refuses_them(
        rule_set: str, category: str, period: str) -> None:  # fmt: skip
    """NĐ 335/2025 and NĐ 233/2026 have no such case: a flag set is refused through the
    objects, the frame and the year, naming the unit, the flag and the set that reads it."""
    rs = evalkit.rules.get(rule_set)
    typed = {"A": {"leadership_duty_disciplined": "x"}, "B": {"leadership_degraded": 1},
             "C": {"leadership_degraded": ""}, "D": {"socioeconomic_targets_missed": "có"}}
    want = [(u, f, f"unit {u} has {f} set ({period}), which rule set {rule_set} does not read: "
             "the unit would be classified as if it were blank; clear it, or classify the unit "
             "under a rule set that reads it (vn.qd366-2025)")
            for u, f in (("A", FLAGS[0]), ("B", FLAGS[1]), ("D", FLAGS[2]))]  # fmt: skip

    def problems(exc: pytest.ExceptionInfo[evalkit.InputError]) -> list[tuple[Any, ...]]:
        return [(p.unit_id, p.column, p.message) for p in exc.value.problems]

    staff = _staff(typed, [period], rs, category)
    with pytest.raises(evalkit.InputError) as exc:
        evalkit.classify_frame(staff, _units(typed, period))
    assert problems(exc) == want
    org = _org(typed, category)
    said = [evalkit.Assessment(f"S{u}", period, competent_scores=rs.full_marks()) for u in typed]
    with pytest.raises(evalkit.InputError) as exc:
        evalkit.classify_organisation(org, said, [
            evalkit.UnitInputs(u, period, **TASKS, **{f: bool(v) for f, v in typed[u].items()})
            for u in typed])
    assert problems(exc) == want
    st_, ut = evalkit.classify_frame(staff, _units({u: {} for u in typed}, period))
    with pytest.raises(evalkit.InputError) as exc:
        evalkit.classify_year(st_, ut.assign(
            leadership_duty_disciplined=[True, False, False, False],
            leadership_degraded=[False, True, False, False],
            socioeconomic_targets_missed=[False, False, False, True]))
    assert problems(exc) == want


@pytest.mark.slow
def test_the_command_line_refuses_the_member_flags_under_nd335(tmp_path: Path) -> None:
    """A NĐ 335 workbook (an older template with the three columns) with "x" in them: validate
    and classify exit 1 naming each unit, flag, sheet row and value as typed."""
    rs, period = evalkit.rules.get("vn.nd335-2025"), "2026-09"
    org = one_each(tmp_path, {"A": None, "B": None, "C": None}, "cong_chuc")
    headers = {c.id: c.header() for c in unit_columns(rs)}
    tpl, book = older_template(tmp_path, rs.id, period, org, {f: headers[f] for f in FLAGS})
    fill_workbook(tpl, book, lambda s, row: {f"competent__{k}": v
                                             for k, v in rs.full_marks().items()},
                  lambda u, row: {**TASKS, FLAGS["ABC".index(u)]: "x"})  # fmt: skip
    for command in ("validate", "classify"):
        code, out, _err = run("--lang", "en", command, str(book), "--org", str(org), "--json")
        assert code == 1, out
        assert [(p["unit_id"], p["column"], p["row"], p["value"])
                for p in json.loads(out)["problems"]] == [
            ("A", FLAGS[0], 2, "x"), ("B", FLAGS[1], 3, "x"), ("C", FLAGS[2], 4, "x")]


#: The content fingerprints archives stored for these presets before the k4 switches existed
#: (main at f9dddcc, content_fingerprint of each): none of them uses the switches, so none of
#: their archived months may become "finalized under other content" (annual, amend refuse it).
#: (vn.nd233-2026 switched NĐ 233 Điều 7 k7 b on since (af185): its earlier content ships in
#: the history, tests/test_nd233_unit_share_raised.py.)
BEFORE = {
    "vn.nd335-2025": "8ff02b40641cebf0ee8acff0241939e713c237d54c46f21fde1698497c8f28f8",
    "vn.nd90-2020": "e75d7e8041193426207db9fb02db6d70b3715677c1a3bdf8e37aa117a4f82c68",
    "vn.nd90-2020-cc": "f6976df1c71b8d9b52b5ef5e72df339090b2898856eb7680f7ba951025a1cda8",
    "vn.customs-2026q": "8ce67bd79e4ada52fd9f9d034fbddc6d1f0f7dc1d0fe64022aab4c698c23b951",
    "hanoi.3814-2018": "6c69cd1894ee81427439cdc6db7666eae11ac778e053e00426a4cc84a025a536",
    "example.tasks-80": "455112ff491a4ea9323267c465208c6797d2816e49415424a020ee0bb607d6c7"}


def test_a_set_that_leaves_the_switches_off_keeps_its_archived_content() -> None:
    """Adding the three switches (off by default) changes no other preset's content; turning
    one on does (the QĐ 366 preset's months finalized before it are refused, as documented)."""
    assert {i: content_fingerprint(evalkit.rules.get(i)) for i in BEFORE} == BEFORE
    nd335 = evalkit.rules.get("vn.nd335-2025")
    for switch in (f"kht_{f}" for f in FLAGS):
        on = attrs.evolve(nd335, units=attrs.evolve(nd335.units, **{switch: True}))
        assert content_fingerprint(on) != BEFORE[nd335.id], switch


#: vn.qd366-2025's content before the socio-economic targets were followed (af171's: the two
#: member switches on), as archives finalized before schema 5 stored it
BEFORE_TARGETS = "71037ef732dd3480ee1850fdbd1264ce8d43b2247df3569421106a96e112e3b7"


def test_the_qd366_content_before_the_targets_ships_in_the_history() -> None:
    """Turning the targets' switch on changed the preset's content; a month finalized under
    the content before it is classified again under that content (shipped in
    presets/history), which reads the member flags but not the targets'."""
    assert content_fingerprint(RS) != BEFORE_TARGETS
    then = evalkit.rules.earlier_content(RS.id, BEFORE_TARGETS)
    assert then is not None and content_fingerprint(then) == BEFORE_TARGETS
    assert (then.units.kht_leadership_duty_disciplined, then.units.kht_leadership_degraded,
            then.units.kht_socioeconomic_targets_missed) == (True, True, False)
    assert "socioeconomic_targets_missed" not in then.unit_flags_read()

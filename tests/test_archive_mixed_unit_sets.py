"""A month whose units fall under several rule sets while its people fall under one: a Sở of
công chức (NĐ 335/2025/NĐ-CP) that nobody in the month's staff results belongs to, over
hospitals of viên chức (NĐ 233/2026/NĐ-CP), each hospital a public service unit (Điều 2 k1,
Điều 7). Every door gives one answer (issue 13): the objects, ``classify_frame``, the
``Archive`` (finalize → read back → amend → annual) — the Sở under NĐ 335, its hospitals
under NĐ 233 (docs/concepts.md: a Sở above its centres is an agency; a unit is graded under
its own set).

By hand: the Sở does all 10 of its tasks, exceeds none; under NĐ 335 (score = tasks done %,
no unit condition on exceeded tasks) it is HTXS at 100. Under NĐ 233 Điều 7 k1 it would need
≥ 30 % exceeded: HTT with ``unit.excellent_condition.exceeded`` — the answer the archive gave
on the old code, refusing its own month. Four hospitals meet k1 (100, 30–40 % exceeded),
twelve are HTT (80): k7 a, 20 % × 12 = 2,4 → 2 HTXS (the lower ids), the other two
``unit.excellent_share``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit
import evalkit.rules
from evalkit.io.archive import Archive

RS = evalkit.rules.get("vn.nd233-2026")
PERIOD = "2026-09"
#: unit → (parent, assigned, done, exceeded)
UNITS: dict[str, tuple[str | None, int, int, int]] = {
    "SYT": (None, 10, 10, 0),
    **{f"BV{i}": ("SYT", 10, 10, 3 + i % 2) for i in range(4)},
    **{f"BH{i:02d}": ("SYT", 10, 8, 0) for i in range(12)}}
HOSPITALS = [u for u in UNITS if u != "SYT"]
#: by hand (module docstring): unit → (rule set, grade, the share's reason or none)
WANT = {"SYT": ("vn.nd335-2025", "HTXS", ""),
        **dict.fromkeys(("BV0", "BV1"), ("vn.nd233-2026", "HTXS", "")),
        **dict.fromkeys(("BV2", "BV3"), ("vn.nd233-2026", "HTT", "unit.excellent_share")),
        **{u: ("vn.nd233-2026", "HTT", "") for u in HOSPITALS if u.startswith("BH")}}
SHARES = {"unit.excellent_share", "unit.excellent_share_raised", "unit.small_parent"}


def _marks(x: int) -> dict[str, Any]:
    return {**RS.full_marks(), **dict.fromkeys(("so_luong", "chat_luong", "tien_do"), x)}


def _staff() -> pd.DataFrame:
    return pd.DataFrame([{"staff_id": f"S{u}", "full_name": f"Người {u}", "unit_id": u,
                          "period": PERIOD, "category": "vien_chuc", **_marks(80)}
                         for u in HOSPITALS])  # fmt: skip


def _units(category: bool) -> pd.DataFrame:
    """The units frame: hospitals marked public service units; with ``category`` the Sở's
    row says ``cong_chuc`` too (the units sheet's "Nhóm áp dụng")."""
    frame = pd.DataFrame([{"unit_id": u, "parent_id": p, "period": PERIOD, "tasks_assigned": a,
                           "tasks_done": d, "tasks_exceeded": x,
                           "public_service_unit": p is not None}
                          for u, (p, a, d, x) in UNITS.items()])  # fmt: skip
    if category:
        frame["category"] = ["cong_chuc" if p is None else None for p, *_ in UNITS.values()]
    return frame


def _got(frame: pd.DataFrame) -> dict[str, tuple[str, str, str]]:
    """unit → (rule set, grade, its share's reason) of a unit results frame."""
    return {str(r.unit_id): (str(r.rule_set), str(r.grade),
                             ";".join(sorted(set(str(r.reasons or "").split(";")) & SHARES)))
            for r in frame.itertuples()}  # fmt: skip


def _classified(category: bool) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``classify_frame`` without a rule set: the results to archive, the unit results and
    the unit inputs."""
    staff, units = _staff(), _units(category)
    st, ut = evalkit.classify_frame(staff, units)
    results = pd.concat([staff, st[[c for c in st.columns if c not in staff.columns]]], axis=1)
    return results, ut, units


def test_the_objects_grade_the_so_under_its_own_set() -> None:
    """``classify_organisation``: the Sở (no one in it, not a public service unit) under
    NĐ 335, the hospitals under NĐ 233 — by hand."""
    org = evalkit.Organisation(
        units=[evalkit.Unit(u, f"Đơn vị {u}", parent_id=p, public_service_unit=p is not None)
               for u, (p, *_) in UNITS.items()],
        staff=[evalkit.Staff(f"S{u}", f"Người {u}", "VC", u, category="vien_chuc")
               for u in HOSPITALS],
        positions=[evalkit.Position("VC", "Viên chức")])  # fmt: skip
    said = [evalkit.Assessment(f"S{u}", PERIOD, competent_scores=_marks(80)) for u in HOSPITALS]
    inputs = [evalkit.UnitInputs(u, PERIOD, tasks_assigned=a, tasks_done=d, tasks_exceeded=x)
              for u, (_p, a, d, x) in UNITS.items()]  # fmt: skip
    out = evalkit.classify_organisation(org, said, inputs)
    got = {}
    for u, c in out.items():
        assert c.unit.grade is not None
        got[u] = (str(c.unit.rule_set_id), c.unit.grade.code,
                  ";".join(sorted({r.code for r in c.unit.reasons} & SHARES)))
    assert got == WANT


@pytest.mark.parametrize("category", [False, True])
def test_the_archive_keeps_the_month_classify_frame_gave(category: bool, tmp_path: Path
                                                        ) -> None:  # fmt: skip
    """``classify_frame`` (the Sở found by its tree, or by its row's category) == by hand ==
    the archive's units read back; ``finalize`` no longer refuses the Sở's own set."""
    results, ut, units = _classified(category)
    assert _got(ut) == WANT
    with Archive(tmp_path / "a.sqlite") as arc:
        arc.finalize(results, by="TCCB", units=ut, unit_inputs=units)
        assert _got(arc.units(PERIOD)) == WANT
        _, back = arc.month_and_units(PERIOD)
        assert _got(back) == WANT
        assert arc.verify().ok


def test_an_amendment_re_derives_the_month_under_each_units_own_set(tmp_path: Path) -> None:
    """``Archive.amend`` of a hospital's person (a score that moves nobody's unit) keeps
    the Sở under NĐ 335 in the amended month's units; the month's rows read back are the
    engine's for the amended inputs."""
    results, ut, units = _classified(True)
    with Archive(tmp_path / "a.sqlite") as arc:
        arc.finalize(results, by="TCCB", units=ut, unit_inputs=units)
        done = arc.amend(PERIOD, "SBH00", {"so_luong": 70}, by="TCCB", why="sửa điểm")
        assert [c.staff_id for c in done.rows] == ["SBH00"]
        assert _got(arc.units(PERIOD)) == WANT
        staff, unit_inputs = arc.inputs(PERIOD) or (None, None)
        assert staff is not None and unit_inputs is not None
        st, _ = evalkit.classify_frame(staff, unit_inputs)
        month = arc.month(PERIOD).reset_index(drop=True)
        assert month["grade"].astype(str).tolist() == st["grade"].astype(str).tolist()
        assert month["total"].tolist() == pytest.approx(st["total"].tolist())


def test_the_year_reads_the_units_as_archived(tmp_path: Path) -> None:
    """``Archive.annual`` over the one month: each hospital's person as ``classify_year``
    over the frames gives them (grade, unit grade and reasons)."""
    results, ut, units = _classified(True)
    staff = _staff()
    st, ut2 = evalkit.classify_frame(staff, units)
    want = evalkit.classify_year(st, ut2).set_index("staff_id")
    with Archive(tmp_path / "a.sqlite") as arc:
        arc.finalize(results, by="TCCB", units=ut, unit_inputs=units)
        year = arc.annual(2026).set_index("staff_id")
    for sid in want.index:
        assert str(year.loc[sid, "annual_grade"]) == str(want.loc[sid, "grade"])
        assert str(year.loc[sid, "reasons"]) == str(want.loc[sid, "reasons"])


@pytest.mark.slow
def test_the_command_line_grades_the_so_as_the_frames_and_finalizes_it(tmp_path: Path) -> None:
    """``org`` (the hospitals marked public service units) → ``template`` (the viên
    chức's set, which fills the marks in) → the workbook (the Sở's row typed
    ``cong_chuc`` in the units sheet's "Nhóm áp dụng") → ``validate`` → ``classify`` →
    ``finalize``: the unit results and the archive's units are the frames' —
    the Sở under NĐ 335, never silently under the workbook's set."""
    import json

    from tests._cli_helpers import fill_workbook, ok, org_file

    org = org_file(tmp_path, "unit_id,name,parent_id,public_service_unit\n" + "".join(
        f"{u},Đơn vị {u},{p or ''},{'x' if p else ''}\n" for u, (p, *_) in UNITS.items()),
        "position_id,title,manages_others\nVC,Viên chức,\n",
        "staff_id,full_name,position_id,unit_id,category\n" + "".join(
            f"S{u},Người {u},VC,{u},vien_chuc\n" for u in HOSPITALS))  # fmt: skip
    tpl, book, res = tmp_path / "mau.xlsx", tmp_path / "thang.xlsx", tmp_path / "kq.json"
    ok("template", "--rules", RS.id, "--period", PERIOD, "--org", str(org), str(tpl))
    fill_workbook(tpl, book, lambda s, row: {f"competent__{k}": v for k, v in _marks(80).items()},
                  lambda u, row: {**dict(zip(("tasks_assigned", "tasks_done", "tasks_exceeded"),
                                             UNITS[u][1:], strict=True)),
                                  **({"category": "cong_chuc"} if u == "SYT" else {})})
    ok("validate", str(book), "--org", str(org))
    ok("classify", str(book), "--org", str(org), "--out", str(res))
    units = pd.DataFrame(json.loads(res.read_text(encoding="utf-8"))["data"]["units"])
    assert _got(units) == WANT
    arc = tmp_path / "a.sqlite"
    ok("finalize", str(res), "--archive", str(arc), "--by", "TCCB")
    with Archive(arc) as a:
        assert _got(a.units(PERIOD)) == WANT


@pytest.mark.slow
def test_score_and_classify_give_each_leader_one_total(tmp_path: Path) -> None:
    """The Sở's workbook with its director (who manages, NĐ 335/2025 Điều 15 k3: d from
    the staff under them) and one person of the Sở below the HT band: ``score --out`` and
    ``classify --out``, and ``score_input``/``classify_input`` of the read month, give the
    director one d and one total (issue 13: each unit under its own set on both paths).
    By hand: someone under the director scores below 50, so d is reduced to 50 %."""
    import json

    from evalkit import workflow
    from tests._cli_helpers import fill_workbook, ok, org_file

    org = org_file(tmp_path, "unit_id,name,parent_id,public_service_unit,head_id\n" + "".join(
        f"{u},Đơn vị {u},{p or ''},{'x' if p else ''},{'' if p else 'GD1'}\n"
        for u, (p, *_) in UNITS.items()),
        "position_id,title,manages_others\nVC,Viên chức,\nGD,Giám đốc,x\n",
        "staff_id,full_name,position_id,unit_id,category\nGD1,Giám đốc,GD,SYT,vien_chuc\n"
        "CV1,Chuyên viên,VC,SYT,vien_chuc\n"
        + "".join(f"S{u},Người {u},VC,{u},vien_chuc\n" for u in HOSPITALS))  # fmt: skip
    tpl, book = tmp_path / "mau.xlsx", tmp_path / "thang.xlsx"
    ok("template", "--rules", RS.id, "--period", PERIOD, "--org", str(org), str(tpl))
    low = {**_marks(80), **dict.fromkeys(("so_luong", "chat_luong", "tien_do"), 10)}
    fill_workbook(tpl, book, lambda s, row: {f"competent__{k}": v for k, v in (
        low if s == "CV1" else _marks(80)).items()} | ({"competent__to_chuc_trien_khai": 100,
                                                          "competent__tap_hop_doan_ket": 100}
                                                         if s == "GD1" else {}),
                  lambda u, row: {**dict(zip(("tasks_assigned", "tasks_done", "tasks_exceeded"),
                                             UNITS[u][1:], strict=True)),
                                  **({"category": "cong_chuc"} if u == "SYT" else {})})
    got = {}
    for cmd in ("score", "classify"):
        out = tmp_path / f"{cmd}.json"
        ok(cmd, str(book), "--org", str(org), "--out", str(out))
        data = json.loads(out.read_text(encoding="utf-8"))["data"]
        rows = pd.DataFrame(data["rows"], columns=data["columns"])
        got[cmd] = rows.set_index("staff_id").loc["GD1", ["total", "mgmt_value"]].tolist()
    month = workflow.read(book)
    for name, frame in (("score_input", workflow.score_input(month, org=str(org))),
                        ("classify_input", workflow.classify_input(month, org=str(org)))):
        got[name] = frame.set_index("staff_id").loc["GD1", ["total", "mgmt_value"]].tolist()
    assert got["classify"][1] == 50
    assert all(v == pytest.approx(got["classify"]) for v in got.values()), got


def test_amend_grades_the_so_under_the_content_kept_for_it(monkeypatch: pytest.MonkeyPatch,
                                                           tmp_path: Path) -> None:  # fmt: skip
    """NĐ 335's content changed under its id after the month was finalized (a later
    release's unit HTXS from 101, which no unit reaches), the set used by the Sở alone
    (nobody in the month is under it): ``finalize`` kept it with the month, and an
    amendment grades the Sở under the kept content (HTXS at 100, by hand), never under
    today's (HTT); ``verify`` still finds the month whole."""
    import attrs

    from evalkit.rules import _registry

    results, ut, units = _classified(True)
    with Archive(tmp_path / "a.sqlite") as arc:
        arc.finalize(results, by="TCCB", units=ut, unit_inputs=units)
        reg = _registry.Registry.with_presets()
        nd335 = reg.get("vn.nd335-2025")
        reg.register(attrs.evolve(nd335, units=attrs.evolve(nd335.units, excellent_min_score=101.0)),
                     replace=True)  # fmt: skip
        monkeypatch.setattr(_registry, "_default", reg)
        today = evalkit.classify_frame(_staff(), units)[1]
        assert _got(today)["SYT"] == ("vn.nd335-2025", "HTT", "")  # the change bites
        arc.amend(PERIOD, "SBH00", {"so_luong": 70}, by="TCCB", why="sửa điểm")
        assert _got(arc.units(PERIOD)) == WANT
        assert arc.verify().ok

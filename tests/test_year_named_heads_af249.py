"""The year reads the heads the unit results name, as the month does (af249).

A head is not graded above their unit (``cap.head_unit``: the rule sets' ``[units]
head_capped_at_unit``; NĐ 233/2026/NĐ-CP Điều 12 k7; CV 21169/CHQ-TCCB for the customs
quarter). ``classify_frame`` makes the person a units frame's ``head_id`` names the head of
that unit-period; ``classify_year`` read the heads only from the staff results' ``is_head``,
so results without that column (built or edited by hand, a CSV export trimmed of columns)
capped no head and said nothing, though ``unit_results`` named each unit-period's head.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit
from evalkit import messages
from evalkit.errors import InputError
from evalkit.io.archive import Archive
from tests._archive_helpers import cli_year
from tests.test_unknown_head_af241 import RS, months, units

YEAR = [f"2026-{m:02d}" for m in range(1, 13)]
SHOWN = ["staff_id", "period", "grade", "reasons", "is_head"]


def year_of(staff: pd.DataFrame, unit_results: pd.DataFrame, **kw: Any) -> pd.DataFrame:
    return evalkit.classify_year(staff, unit_results, **kw)[SHOWN].set_index("staff_id")


def test_results_without_is_head_are_capped_as_with_it() -> None:
    """GD heads S, TP heads P (HT: 5 of 10 tasks done): without ``is_head`` both are capped
    at their unit's year as with it (HT, ``cap.head_unit``; before: HTT, uncapped). Ids
    read as every door reads them (``' TP'`` for ``TP``); unit results without ``head_id``
    name no head (what the staff results say decides)."""
    staff, unit_results = evalkit.classify_frame(months(YEAR), units("TP"))
    marked = year_of(staff, unit_results)
    assert marked.loc["TP", "grade"] == "HT" and "cap.head_unit" in str(marked.loc["TP", "reasons"])
    bare = staff.drop(columns="is_head")
    pd.testing.assert_frame_equal(year_of(bare, unit_results), marked)
    typed = unit_results.assign(head_id=unit_results["head_id"].map({"GD": "GD", "TP": " TP"}))
    pd.testing.assert_frame_equal(year_of(bare, typed), marked)
    nobody = year_of(bare, unit_results.drop(columns="head_id"))
    assert nobody.loc["TP", "grade"] == "HTT" and not nobody["is_head"].any()


def test_a_mark_on_another_than_the_head_named_is_refused_at_its_row() -> None:
    """CV marked head of P in March while the unit results name TP: refused at CV's row of
    the staff results, column ``is_head``, in the catalogue's words — as ``classify_frame``
    refuses a typed ``is_head`` beside a ``head_id`` naming another (no silent choice of one
    of them)."""
    staff, unit_results = evalkit.classify_frame(months(YEAR), units("TP"))
    march_cv = staff.index[(staff["staff_id"] == "CV") & (staff["period"] == "2026-03")]
    with pytest.raises(InputError) as info:
        evalkit.classify_year(staff.assign(is_head=staff["is_head"].mask(
            staff.index.isin(march_cv), True)), unit_results)  # fmt: skip
    assert [(p.row, p.column, p.value, p.staff_id) for p in info.value.problems] == [
        (int(march_cv[0]), "is_head", True, "CV")]
    assert info.value.problems[0].message == messages.text("foreign.input.head_other", "en")
    with pytest.raises(InputError):  # the same mark in the month's frames: refused there too
        evalkit.classify_frame(months(["2026-03"]).assign(is_head=[False, False, True]),
                               units("TP"))  # fmt: skip


def test_the_customs_quarter_reads_the_heads_named() -> None:
    """The customs quarters (CV 21169/CHQ-TCCB: the head capped at the unit each quarter)
    and the year counted over them: the same grades and reasons without ``is_head``."""
    cs = evalkit.rules.get("vn.customs-2026q")
    lead = {**cs.full_marks(manages_others=True), "manages_others": True}
    sm = pd.DataFrame([{"staff_id": s, "unit_id": u, "period": p, "category": "cong_chuc", **sc}
                       for p in ("2026-07", "2026-08", "2026-09")
                       for s, u, sc in (("GD", "S", lead), ("TP", "P", lead),
                                        ("CV", "P", cs.full_marks()))])  # fmt: skip
    staff, unit_results = evalkit.classify_frame(sm, units("TP"), cs)
    for to in ("quarter", "year"):
        marked = year_of(staff, unit_results, rules=cs, to=to)
        assert marked.loc["TP", "grade"] == "HT"
        assert "cap.head_unit" in str(marked.loc["TP", "reasons"])
        pd.testing.assert_frame_equal(
            year_of(staff.drop(columns="is_head"), unit_results, rules=cs, to=to), marked)


def test_the_frames_without_is_head_give_the_archives_year(tmp_path: Path) -> None:
    """The archive's year (``Archive.annual`` and ``evalkit annual --archive``: its months
    keep ``is_head``) and the frames' door given the same months without ``is_head``: the
    same grades and reasons."""
    per = YEAR[:3]
    with Archive(tmp_path / "a.sqlite") as arc:
        for p in per:
            month = months([p])
            out, unit_results = evalkit.classify_frame(month, units("TP"))
            results = pd.concat([month, out[[c for c in out.columns if c not in month]]], axis=1)
            results.attrs["rule_set"] = RS.id
            arc.finalize(results, by="TCCB", units=unit_results, unit_inputs=units("TP"))
        archived = arc.annual(2026).set_index("staff_id")
    cli = cli_year(tmp_path / "a.sqlite", tmp_path / "year.csv").set_index("staff_id")
    staff, unit_results = evalkit.classify_frame(months(per), units("TP"))
    frames = evalkit.classify_year(staff.drop(columns="is_head"), unit_results).set_index(
        "staff_id")  # fmt: skip
    assert archived.loc["TP", "annual_grade"] == "HT"
    for sid in ("GD", "TP", "CV"):
        want = (frames.loc[sid, "grade"], frames.loc[sid, "reasons"])
        assert (archived.loc[sid, "annual_grade"], archived.loc[sid, "reasons"]) == want, sid
        assert (cli.loc[sid, "annual_grade"], cli.loc[sid, "reasons"]) == want, sid

"""A rule change compared on an organisation whose head or manager has no row (af247).

``classify_frame`` takes a ``head_id`` or ``manager_id`` naming a member without a row
(``known_staff``: absent that month, docs/units.md) and refuses one naming nobody (af241,
af244). ``evalkit.impact.compare_rule_sets`` classifies the data under both sets with
``classify_frame`` but had no ``known_staff``: such an organisation could not be compared at
all, and neither could an archive whose finalized month had one (``rules diff --data
archive.sqlite``), though the archive itself re-derives that month with the heads and
managers it names as known.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pandas as pd
import pytest

import evalkit
from evalkit.errors import InputError
from evalkit.impact import compare_rule_sets, load_data
from evalkit.io.archive import Archive
from tests._cli_helpers import run

RS = evalkit.rules.get("vn.nd335-2025")
#: An agency's set that classifies the months too (head cap, quota each month).
MONTHLY = attrs.evolve(RS, id="agency.monthly", classified=("month", "year"))
LEAD = {**RS.full_marks(), "to_chuc_trien_khai": 100, "tap_hop_doan_ket": 100,
        "manages_others": True}
LOW = {**RS.full_marks(), "so_luong": 10, "chat_luong": 10, "tien_do": 10}
#: GD heads the Sở S; TP heads its phòng P, PP is P's deputy: both members without a row
#: in March (absent). CV (37 points) and CN (100) of P answer to PP.
MARCH = pd.DataFrame([
    {"staff_id": s, "unit_id": u, "period": "2026-03", "category": "cong_chuc", "manager_id": m,
     **scores}
    for s, u, m, scores in (("GD", "S", None, LEAD), ("CV", "P", "PP", LOW),
                            ("CN", "P", "PP", RS.full_marks()))])  # fmt: skip
UNITS = pd.DataFrame({"unit_id": ["S", "P"], "parent_id": [None, "S"], "head_id": ["GD", "TP"],
                      "tasks_assigned": [10, 10], "tasks_done": [10, 10]})


def changes(report: Any) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in report.changes[["staff_id", "old_total", "old_grade", "new_grade",
                                              "direction"]].itertuples(index=False)]


def test_without_known_staff_the_absent_head_and_manager_are_refused() -> None:
    """The baseline: TP and PP have no row in the data, so without ``known_staff`` the
    comparison is refused as ``classify_frame`` refuses them (at their rows and columns)."""
    with pytest.raises(InputError) as info:
        compare_rule_sets(RS, MONTHLY, MARCH, UNITS, level="period")
    assert {(p.row, p.column, p.value) for p in info.value.problems} == {
        (1, "head_id", "TP"), (1, "manager_id", "PP"), (2, "manager_id", "PP")}


def test_compare_rule_sets_takes_known_staff_as_classify_frame_does() -> None:
    """With ``known_staff`` (a one-pass iterator: read by both sets) TP and PP are absent:
    CV and CN fall to the nearest head above, GD, whose d is then 50 (CV below 50 in his
    area): 30 + 0.7 × (5 × 100 + 50) / 6 = 94.17. The month's quota of the agency's set
    (20 % of three people: none) takes GD and CN down from HTXS; NĐ 335 only bands months."""
    report = compare_rule_sets(RS, MONTHLY, MARCH, UNITS, level="period",
                               known_staff=iter(["TP", "PP"]))  # fmt: skip
    assert report.population == 3
    assert changes(report) == [("CN", 100.0, "HTXS", "HTT", "down"),
                               ("GD", 94.17, "HTXS", "HTT", "down")]
    # the units frame's attrs say it as well (the demo's, frames_from_objects'): the same
    units = UNITS.copy()
    units.attrs["known_staff"] = ["TP", "PP"]
    assert changes(compare_rule_sets(RS, MONTHLY, MARCH, units, level="period")) == changes(
        report)
    # the year (auto: NĐ 335 classifies only the year) reads them too
    assert compare_rule_sets(RS, MONTHLY, MARCH, UNITS, known_staff=["TP", "PP"]).annual


def test_the_frame_the_archive_and_rules_diff_agree(tmp_path: Path) -> None:
    """March classified with the organisation's members (TP, PP absent) and finalized: the
    archive keeps the head and manager it names. ``load_data`` of the archive and ``evalkit
    rules diff --data archive.sqlite`` compare it as the frames with ``known_staff`` do —
    before, both were refused (unknown head 'TP', unknown manager 'PP')."""
    staff, unit_results = evalkit.classify_frame(MARCH, UNITS, RS, known_staff=["TP", "PP"])
    results = pd.concat([MARCH, staff[[c for c in staff.columns if c not in MARCH.columns]]],
                        axis=1)  # fmt: skip
    path = tmp_path / "a.sqlite"
    with Archive(path) as arc:
        arc.finalize(results, by="TCCB", units=unit_results, unit_inputs=UNITS, rules=RS)
    frame = compare_rule_sets(RS, MONTHLY, MARCH, UNITS, level="period",
                              known_staff=["TP", "PP"])  # fmt: skip
    data = load_data(path)
    archived = compare_rule_sets(RS, MONTHLY, data.staff_months, data.units, level="period")
    assert changes(archived) == changes(frame) and len(changes(frame)) == 2
    agency = tmp_path / "agency.toml"
    agency.write_text('extends = "vn.nd335-2025"\nid = "agency.monthly"\n'
                      'classified = ["month", "year"]\n', encoding="utf-8")  # fmt: skip
    code, out, err = run("rules", "diff", "vn.nd335-2025", str(agency), "--data", str(path),
                         "--level", "period", "--json")  # fmt: skip
    assert code == 0, (out, err)
    said = json.loads(out)["changes"]
    assert [(c["staff_id"], c["old_total"], c["old_grade"], c["new_grade"], c["direction"])
            for c in said] == changes(frame)

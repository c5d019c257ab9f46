"""The doors of an archive month classified under a preset's earlier content (issue 13).

``archive-v4-qd366-2026.sqlite`` was finalized (schema 4) under vn.qd366-2025 as it was
before QĐ 366-QĐ/TW Điều 11 k4's leadership cases: the month keeps only the fingerprint,
and :func:`evalkit.rules.earlier_content` ships the content (tests/test_archive_preset_history.py).
Here the doors :meth:`Archive.amend`, ``annual`` and ``verify`` tested there left open: the
units of an amended month, the year-end set an amendment names, ``evalkit amend`` and
``evalkit archive verify``, ``evalkit render --period 2026 --archive``. Each test fails
when the history is not found (``earlier_content`` giving None: see ``without_history``):
then the month's own set is unknown and every door refuses, as for a content shipped
nowhere — none re-derives the month under today's preset.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import evalkit.rules
from evalkit.io.archive import Archive, ArchiveError
from evalkit.rules import content_fingerprint, earlier_content
from evalkit.units import classify_frame
from tests._archive_helpers import raw
from tests._cli_helpers import run
from tests.test_archive_preset_history import FIXTURE, QD366, RELEASE_YEAR, THEN
from tests.test_cli_walk import has_render

PER = "2026-03"
#: the unit fields the engine derives (the rest are its inputs, stored as given)
DERIVED = ["unit_id", "grade", "score_grade", "score", "reasons"]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    out = tmp_path / "qd366.sqlite"
    shutil.copyfile(FIXTURE, out)
    return out


@pytest.fixture
def without_history(monkeypatch: pytest.MonkeyPatch) -> None:
    """The lookup of the history disabled: what the archive does when it is not found."""
    monkeypatch.setattr(evalkit.rules, "earlier_content", lambda rid, fp: None)


def _then() -> evalkit.rules.RuleSet:
    rs = earlier_content(QD366, THEN)
    assert rs is not None and rs != evalkit.rules.get(QD366)
    return rs


def _amend(path: Path) -> None:
    with Archive(path) as arc:
        arc.amend(PER, "B", {"discipline": 1}, by="TCCB", why="sửa")


def _derived(units: pd.DataFrame) -> list[dict[str, object]]:
    return units[DERIVED].sort_values("unit_id").to_dict("records")  # type: ignore[no-any-return]


def test_units_of_an_amended_month_are_derived_under_the_earlier_content(path: Path) -> None:
    """The engine over the month's stored inputs (B's discipline amended) under the
    content of then gives the units ``units`` and ``month_and_units`` read back."""
    _amend(path)
    with Archive(path, readonly=True) as arc:
        inputs = arc.inputs(PER)
        units = arc.units(PER)
        month, both = arc.month_and_units(PER)
    assert inputs is not None and inputs[0].set_index("staff_id").loc["B", "discipline"] == 1
    _, expected = classify_frame(inputs[0], inputs[1], _then(), force=True)
    assert _derived(units) == _derived(both) == _derived(expected)
    assert month.attrs["rule_sets"] == {QD366: _then()}  # its sheets cite the content of then
    assert month.set_index("staff_id").loc["B", "grade"] != "HTXS"


@pytest.mark.parametrize("how", ["history not found", "fingerprint shipped nowhere"])
def test_units_of_an_amended_month_without_its_content_are_refused(
        path: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:  # fmt: skip
    """Amended under the content of then, its content no longer found: ``units`` and
    ``month_and_units`` refuse as ``annual`` does, never re-deriving the units under
    today's preset (before: silently today's preset)."""
    _amend(path)
    if how == "history not found":
        monkeypatch.setattr(evalkit.rules, "earlier_content", lambda rid, fp: None)
    else:
        raw(path, "DROP TRIGGER rule_set_contents_u")
        raw(path, "UPDATE rule_set_contents SET fingerprint = ?", params=("f" * 64,))
    with Archive(path, readonly=True) as arc:
        for door in (arc.units, arc.month_and_units, arc.annual):
            with pytest.raises(ArchiveError, match="other content"):
                door(PER if door != arc.annual else 2026)  # type: ignore[operator]
        assert not arc.units(PER, original=True).empty  # as finalized: nothing re-derived


def test_the_year_end_set_of_an_amended_month_is_the_content_of_then(path: Path) -> None:
    """The amendment names the year's set (none recorded: the person's last month's,
    :func:`evalkit.rules.for_year_end`), and the year is classified under the content of
    then: A's year as the release gave it, B's lowered by the amended month."""
    with Archive(path) as arc:
        amendment = arc.amend(PER, "B", {"discipline": 1}, by="TCCB", why="sửa")
        year = arc.annual(2026)
        again = arc.history(PER, "B")
    assert (amendment.year_rule_set, amendment.year_rule_set_recorded) == (QD366, False)
    assert [a.year_rule_set for a in again] == [QD366]
    assert year.attrs["rule_sets"][QD366] == _then()
    grades = {str(s): str(g) for s, g in zip(year["staff_id"], year["annual_grade"],
                                             strict=True)}  # fmt: skip
    assert grades["A"] == RELEASE_YEAR["A"][1] and grades["B"] != RELEASE_YEAR["B"][1]
    assert set(year["rule_set"].astype(str)) == {QD366}


def _cli_amend(path: Path) -> tuple[int, str, str]:
    return run("--lang", "en", "amend", "--archive", str(path), "--period", PER, "--staff",
               "B", "--set", "discipline=1", "--by", "TCCB", "--why", "sửa", "--json")  # fmt: skip


def test_evalkit_amend_and_verify_on_the_v4_archive(path: Path) -> None:
    """`evalkit amend` re-derives the month under the content of then (as the Python door
    does, test above) and `evalkit archive verify` finds the file whole after it."""
    code, out, err = _cli_amend(path)
    assert code == 0, (out, err)
    said = json.loads(out)
    assert (said["year_rule_set"], said["year_rule_set_recorded"]) == (QD366, False)
    code, out, err = run("archive", "verify", str(path))
    assert code == 0, (out, err)
    with Archive(path, readonly=True) as arc:
        assert arc.verify().ok
        month = arc.month(PER).set_index("staff_id")
        assert month.loc["B", "grade"] != "HTXS" and month.loc["A", "grade"] == "HTXS"
        inputs = arc.inputs(PER)
        units = arc.units(PER)
    assert inputs is not None
    assert _derived(units) == _derived(classify_frame(inputs[0], inputs[1], _then(),
                                                      force=True)[1])  # fmt: skip


def test_evalkit_amend_without_the_history_refuses(path: Path, without_history: None) -> None:
    """The history not found: `evalkit amend` refuses (nothing written), `evalkit archive
    verify` still finds the file whole (the seal does not depend on the set)."""
    code, out, err = _cli_amend(path)
    assert code != 0 and "other content" in err, (out, err)
    assert run("archive", "verify", str(path))[0] == 0
    with Archive(path, readonly=True) as arc:
        assert arc.history(PER, "B") == []
        assert arc.month(PER).set_index("staff_id").loc["B", "grade"] == "HTXS"
    assert content_fingerprint(evalkit.rules.get(QD366)) != THEN


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout  # fmt: skip


def test_render_the_year_cites_the_content_of_then(path: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """`evalkit render --period 2026 --archive` after an amendment: each year sheet is the
    one the year under the content of then gives — A HTXS as the release gave it, B
    KHT by the amended month's discipline, the basis QĐ 366-QĐ/TW — with the units re-derived under
    it; and the run refuses, writing nothing, when that content is no longer found
    (before: the units re-derived under today's preset, or left off the sheets)."""
    if not has_render():
        pytest.skip("WeasyPrint is not installed")
    _amend(path)
    code, out, err = run("render", "--period", "2026", "--archive", str(path), "--out",
                         str(tmp_path / "nam"))  # fmt: skip
    assert code == 0, (out, err)
    sheets = {who: _text(sorted((tmp_path / "nam").glob(f"*_{who}_*.pdf"))[0]) for who in "AB"}
    for text in sheets.values():
        assert "QĐ 366-QĐ/TW" in text and _then().title_vi in text
    with Archive(path, readonly=True) as arc:  # the year the archive gives: A HTXS, B KHT
        year = arc.annual(2026).set_index("staff_id")["annual_grade"].astype(str)
    assert (year["A"], year["B"]) == ("HTXS", "KHT")
    assert "Xếp loại chất lượng: Hoàn thành xuất sắc nhiệm vụ" in sheets["A"]
    assert "Xếp loại chất lượng: Không hoàn thành nhiệm vụ" in sheets["B"]
    assert "(QĐ 366-QĐ/TW, Điều 11 k4)" in sheets["B"]  # the discipline's case, as then
    assert list((tmp_path / "nam" / "units").glob("*.pdf"))  # the unit's year summary
    monkeypatch.setattr(evalkit.rules, "earlier_content", lambda rid, fp: None)
    code, out, err = run("--lang", "en", "render", "--period", "2026", "--archive", str(path),
                         "--out", str(tmp_path / "khong"))  # fmt: skip
    assert code != 0 and "other content" in err, (out, err)
    assert not list((tmp_path / "khong").rglob("*.pdf"))


def test_render_the_year_of_months_never_amended_refuses_without_their_content(
        path: Path, tmp_path: Path, without_history: None) -> None:  # fmt: skip
    """No amendment, the months' content found nowhere: `evalkit render --period 2026
    --archive` refuses as ``annual`` does and writes nothing (before: rc 0, the year
    classified and printed under today's preset)."""
    with Archive(path) as arc, pytest.raises(ArchiveError, match="other content"):
        arc.month_and_units(PER)  # (the file migrated to schema 5 on this open)
    code, out, err = run("--lang", "en", "render", "--period", "2026", "--archive", str(path),
                         "--out", str(tmp_path / "khong"))  # fmt: skip
    assert code != 0 and "other content" in err, (out, err)
    assert not list((tmp_path / "khong").rglob("*.pdf"))

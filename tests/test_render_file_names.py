"""Every writer that names files after ids claims the names first (audit 16 #2): two units
(or people) whose ids give one file name — ``P/1`` and ``P_1``, ``PHÒNG-A`` and
``PHONG-A``, ``VP`` and ``vp`` on a case-insensitive file system — are refused with a
RenderError naming both and the file, and nothing is written; never one file silently
over the other."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evalkit
from evalkit.errors import RenderError
from evalkit.io.results import results_document
from evalkit.render import claim_file_names, safe_filename, write_pdfs, write_reports
from evalkit.units import classify_frame
from tests._archive_helpers import classified
from tests._cli_helpers import run

TOP = evalkit.rules.get("vn.nd335-2025").full_marks()


def _units(ids: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two people in each unit of ``ids`` in 2026-03, every criterion at its maximum."""
    rows = [dict(staff_id=f"S{i}{k}", full_name=f"Người {i}{k}", unit_id=u, period="2026-03",
                 category="cong_chuc", **TOP) for i, u in enumerate(ids) for k in range(2)]
    return classify_frame(pd.DataFrame(rows), pd.DataFrame({"unit_id": ids}))


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize(("a", "b", "file"), [
    ("P/1", "P_1", "units/2026-03_P_1.pdf"),
    ("PHÒNG-A", "PHONG-A", "units/2026-03_PHONG-A.pdf"),
    ("VP", "vp", "units/2026-03_vp.pdf"),  # one file on Windows and macOS
])
def test_two_units_given_one_file_name_are_refused_and_nothing_is_written(
        tmp_path: Path, a: str, b: str, file: str) -> None:  # fmt: skip
    staff, units = _units([a, "OK", b])
    with pytest.raises(RenderError) as info:
        write_reports([], tmp_path, results=staff, unit_results=units, publication=True)
    text = str(info.value)
    assert repr(a) in text and repr(b) in text
    assert file.casefold() in text.casefold()
    assert _files(tmp_path) == []  # checked before anything is written


def test_distinct_units_each_get_their_own_summary(tmp_path: Path) -> None:
    staff, units = _units(["P1", "P_1", "PHÒNG-A", "PHONG-B"])
    paths = write_reports([], tmp_path, results=staff, unit_results=units)
    assert len(set(paths)) == len(paths) == 4
    assert _files(tmp_path) == sorted(str(p.relative_to(tmp_path)) for p in paths)


def test_write_pdfs_refuses_two_people_given_one_name_ignoring_case(tmp_path: Path) -> None:
    from evalkit.render import sheets_from_results

    rows = [dict(staff_id=sid, full_name="An", unit_id="U", period="2026-03",
                 category="cong_chuc", **TOP) for sid in ("ab", "AB")]
    staff, _ = classify_frame(pd.DataFrame(rows), pd.DataFrame({"unit_id": ["U"]}))
    sheets = sheets_from_results(staff)
    out = tmp_path / "out"
    with pytest.raises(RenderError, match=r"staff 'ab' and staff 'AB' .*'2026-03_U_AB_AB\.pdf'"):
        write_pdfs(sheets, out, executor="serial")
    assert not out.exists()  # nothing written, not even the folder


def _month_files(folder: Path, periods: tuple[str, ...]) -> list[str]:
    """A results file per month: units 'P/1' and 'P_1', two people each."""
    files = []
    for per in periods:
        parts = [classified(per, {f"{k}{j}": 90 for k in "AB"}, unit=u, head=f"A{j}")
                 for j, u in enumerate(("P/1", "P_1"))]  # fmt: skip
        results = pd.concat([p[0] for p in parts], ignore_index=True)
        results.attrs.update(units=pd.concat([p[1] for p in parts], ignore_index=True),
                             unit_inputs=pd.concat([p[2] for p in parts], ignore_index=True),
                             period=per, rule_set=parts[0][0].attrs["rule_set"])  # fmt: skip
        path = folder / f"{per}.json"
        path.write_text(json.dumps(results_document(results), ensure_ascii=False),
                        encoding="utf-8")  # fmt: skip
        files.append(str(path))
    return files


def test_the_cli_month_refuses_two_units_given_one_name_with_nothing_written(
        tmp_path: Path) -> None:  # fmt: skip
    """`evalkit render MONTH.json`: the sheets' and the summaries' names are claimed before
    any is written."""
    (month,) = _month_files(tmp_path, ("2026-03",))
    out = tmp_path / "m"
    code, stdout, err = run("render", month, "--out", str(out), "--lang", "en")
    assert code != 0, (stdout, err)
    assert "'P/1'" in err and "'P_1'" in err and "units/2026-03_P_1.pdf" in err, err
    assert not out.exists() or _files(out) == []


def test_the_cli_quarter_refuses_two_units_given_one_name_with_nothing_written(
        tmp_path: Path) -> None:  # fmt: skip
    """`evalkit render --period 2026-Q1`: the quarterly sheets and the summaries are claimed
    before any is written."""
    files = _month_files(tmp_path, ("2026-01", "2026-02", "2026-03"))
    out = tmp_path / "q"
    code, stdout, err = run("render", *files, "--period", "2026-Q1", "--out", str(out),
                            "--lang", "en")  # fmt: skip
    assert code != 0, (stdout, err)
    assert "'P/1'" in err and "'P_1'" in err and "2026-Q1_P_1.pdf" in err, err
    assert not out.exists() or _files(out) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=6), min_size=1, max_size=8, unique=True))
def test_claimed_names_are_distinct_ignoring_case_or_refused(ids: list[str]) -> None:
    """Whatever the ids: either every claimed name is its own file on any file system, or
    the clash is refused naming both ids."""
    named = [(f"units/2026-03_{safe_filename(i)}.pdf", f"unit {i!r}") for i in ids]
    keys = [n.casefold() for n, _ in named]
    if len(set(keys)) == len(keys):
        assert claim_file_names(named) == [n for n, _ in named]
    else:
        with pytest.raises(RenderError) as info:
            claim_file_names(named)
        second = next(j for j, k in enumerate(keys) if k in keys[:j])  # where it stops
        both = [ids[keys.index(keys[second])], ids[second]]
        assert all(repr(i) in str(info.value) for i in both)

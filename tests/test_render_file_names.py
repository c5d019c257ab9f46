"""Every writer that names files after ids claims the names first (audit 16 #2): two units
(or people) whose ids give one file name — ``VP`` and ``vp`` on a case-insensitive file
system — are refused with a RenderError naming both, the file and the cause, and nothing
is written; never one file silently over the other. An id's file-name part is one-to-one
(audit 17 #4): an id sanitising changes (``P/1``, ``PHÒNG-A``, ``NV 01``) keeps a hash of
the whole id, so ``P/1`` and ``P_1`` get two files whoever else is in the batch."""

from __future__ import annotations

import hashlib
import json
import unicodedata
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
    ("VP", "vp", "units/2026-03_vp.pdf"),  # one file on Windows and macOS
    ("P_1", "p_1", "units/2026-03_p_1.pdf"),
])
def test_two_units_given_one_file_name_are_refused_and_nothing_is_written(
        tmp_path: Path, a: str, b: str, file: str) -> None:  # fmt: skip
    staff, units = _units([a, "OK", b])
    with pytest.raises(RenderError) as info:
        write_reports([], tmp_path, results=staff, unit_results=units, publication=True)
    text = str(info.value)
    assert repr(a) in text and repr(b) in text
    assert file.casefold() in text.casefold()
    assert "differ only in upper/lower case" in text and "make their ids distinct" not in text
    assert _files(tmp_path) == []  # checked before anything is written


def _hashed(text: str) -> str:
    """The 8 hex digits of the SHA-256 of the id in NFC, computed here by hand."""
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode()).hexdigest()[:8]


@pytest.mark.parametrize(("a", "b", "a_part"), [
    ("P/1", "P_1", "P_1-"),
    ("PHÒNG-A", "PHONG-A", "PHONG-A-"),
    ("NV 01", "NV_01", "NV_01-"),
])  # fmt: skip
def test_ids_that_sanitise_alike_get_their_own_summaries(tmp_path: Path, a: str, b: str,
                                                         a_part: str) -> None:  # fmt: skip
    """Audit 17 (names1): 'P/1' and 'P_1' were refused as one name (sanitising is lossy);
    the lossy id keeps a hash of itself, the safe one its plain name."""
    staff, units = _units([a, "OK", b])
    paths = write_reports([], tmp_path, results=staff, unit_results=units)
    names = sorted(p.name for p in paths)
    assert names == sorted([f"2026-03_{a_part}{_hashed(a)}.pdf", f"2026-03_{b}.pdf",
                            "2026-03_OK.pdf"])  # fmt: skip


@pytest.mark.parametrize(("a", "b"), [("NV-Đặng", "NV-Dang"), ("TP/01", "TP_01"),
                                      ("NV 01", "NV_01")])  # fmt: skip
def test_people_whose_ids_sanitise_alike_get_two_sheets(a: str, b: str) -> None:
    """Audit 17 (names1): sheet_file_names refused them with advice about case."""
    from evalkit.render import sheet_file_names, sheets_from_results

    rows = [dict(staff_id=sid, full_name="An", unit_id="U", period="2026-03",
                 category="cong_chuc", **TOP) for sid in (a, b)]
    staff, _ = classify_frame(pd.DataFrame(rows), pd.DataFrame({"unit_id": ["U"]}))
    names = sheet_file_names(sheets_from_results(staff))
    assert len({n.casefold() for n in names}) == 2
    assert sum(n.startswith(f"2026-03_U_{b}_") for n in names) == 1  # safe: its plain name
    assert sum(f"-{_hashed(a)}_" in n for n in names) == 1


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=8), min_size=2, max_size=8, unique=True))
def test_id_file_name_parts_are_one_to_one_but_for_case(ids: list[str]) -> None:
    """Two ids whose NFC differs, other than by case alone, never share a file-name part,
    even ignoring case; an id that is already a safe name is its own part."""
    from evalkit.render import id_filename

    nfc = {unicodedata.normalize("NFC", i) for i in ids}
    parts = {i: id_filename(i) for i in nfc}
    for i in nfc:
        if safe_filename(i, max_length=400) == i and len(i) <= 40:
            assert parts[i] == i
    for i in nfc:
        for j in nfc:
            if i < j and parts[i].casefold() == parts[j].casefold():
                assert i.casefold() == j.casefold() or parts[i][-8:] == parts[j][-8:], (i, j)


def test_distinct_units_each_get_their_own_summary(tmp_path: Path) -> None:
    staff, units = _units(["P1", "P_1", "PHÒNG-A", "PHONG-B"])
    paths = write_reports([], tmp_path, results=staff, unit_results=units)
    assert len(set(paths)) == len(paths) == 4
    assert _files(tmp_path) == sorted(str(p.relative_to(tmp_path)) for p in paths)


def test_write_pdfs_refuses_two_people_given_one_name_ignoring_case(tmp_path: Path) -> None:
    from evalkit.render import sheets_from_results

    # the frame doors refuse the two in one frame (audit 17 #5): two frames, as two batches'
    # sheets handed to one writer
    sheets = []
    for sid in ("ab", "AB"):
        rows = [dict(staff_id=sid, full_name="An", unit_id="U", period="2026-03",
                     category="cong_chuc", **TOP)]  # fmt: skip
        staff, _ = classify_frame(pd.DataFrame(rows), pd.DataFrame({"unit_id": ["U"]}))
        sheets += sheets_from_results(staff)
    out = tmp_path / "out"
    with pytest.raises(RenderError, match=r"staff 'ab' and staff 'AB' .*'2026-03_U_AB_An\.pdf'"):
        write_pdfs(sheets, out, executor="serial")
    assert not out.exists()  # nothing written, not even the folder


def _month_files(folder: Path, periods: tuple[str, ...],
                 units: tuple[str, str] = ("VP", "vp")) -> list[str]:  # fmt: skip
    """A results file per month: ``units`` (default 'VP' and 'vp'), two people each."""
    files = []
    for per in periods:
        parts = [classified(per, {f"{k}{j}": 90 for k in "AB"}, unit=u, head=f"A{j}")
                 for j, u in enumerate(units)]  # fmt: skip
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
    assert "'VP'" in err and "'vp'" in err and "units/2026-03_vp.pdf" in err.casefold(), err
    assert not out.exists() or _files(out) == []


def test_the_cli_month_writes_two_units_whose_ids_sanitise_alike(tmp_path: Path) -> None:
    """Audit 17 #4: units 'P/1' and 'P_1' each get their summary."""
    (month,) = _month_files(tmp_path, ("2026-03",), ("P/1", "P_1"))
    out = tmp_path / "m"
    code, stdout, err = run("render", month, "--out", str(out), "--lang", "en")
    assert code == 0, (stdout, err)
    units = [f for f in _files(out) if f.startswith("units/")]
    assert f"units/2026-03_P_1-{_hashed('P/1')}.pdf" in units and "units/2026-03_P_1.pdf" in units


def test_the_cli_quarter_refuses_two_units_given_one_name_with_nothing_written(
        tmp_path: Path) -> None:  # fmt: skip
    """`evalkit render --period 2026-Q1`: the quarterly sheets and the summaries are claimed
    before any is written."""
    files = _month_files(tmp_path, ("2026-01", "2026-02", "2026-03"))
    out = tmp_path / "q"
    code, stdout, err = run("render", *files, "--period", "2026-Q1", "--out", str(out),
                            "--lang", "en")  # fmt: skip
    assert code != 0, (stdout, err)
    assert "'VP'" in err and "'vp'" in err and "2026-q1_vp.pdf" in err.casefold(), err
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

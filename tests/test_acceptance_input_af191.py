"""Acceptance audit (af191): bad input and security at every door.

The expectations are the standards' (docs/cli.md, /work/shared/domain.md): bad input gets
a clear error naming the file, sheet, row, column and value, every error of an input is
listed, nothing is written (an existing output is left as it was); names and texts from
the data are text on a sheet, never markup, template code, a path or a URL fetched.
Every expected row/column/value below is the cell this test typed, not evalkit's output.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit
from evalkit.io.workbook import SCORES_SHEET, UNITS_SHEET
from tests._cli_helpers import run
from tests._io_helpers import filled_workbook, person

# --------------------------------------------------------------------------- helpers


def listing(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones included) → its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}  # fmt: skip


def problems_of(out: str) -> list[dict[str, Any]]:
    """The problems of a command's ``--json`` output."""
    doc = json.loads(out)
    return list(doc["problems"])


def located(problems: list[dict[str, Any]]) -> set[tuple[Any, Any, Any, Any]]:
    """(sheet, row, column, value) of each problem."""
    return {(p.get("sheet"), p.get("row"), p.get("column"), p.get("value")) for p in problems}


# =========================================================== 1. a workbook with many errors

#: What the person typed, by row of the staff sheet (row 1 is the header): each row holds
#: one error, and where it is.
TYPED = [
    (person("A", so_luong="abc"), ("competent__so_luong", "abc")),        # text in a score
    (person("B", pham_chat_dao_duc=99), ("competent__pham_chat_dao_duc", 99)),  # above 5
    (person("C", unit="ZZ"), ("unit_id", "ZZ")),                         # unknown unit
    (person("A", full_name="Trùng mã"), ("staff_id", "A")),              # duplicate id
    (person("E", period="2026-13"), ("period", "2026-13")),              # bad period
    (person(None, full_name="Không mã"), ("staff_id", None)),            # blank id
    (person("G", discipline="nặng"), ("discipline", "nặng")),            # no discipline level
    (person("H", leave="đi chơi"), ("leave", "đi chơi")),                # no kind of leave
    (person("I", manages_others="có lẽ"), ("manages_others", "có lẽ")),  # no yes/no value
    (person("J", manager_id="NOBODY"), ("manager_id", "NOBODY")),        # unknown manager
    (person("K", chat_luong="1,2,3"), ("competent__chat_luong", "1,2,3")),  # bad number
    (person("L", unit=None), ("unit_id", None)),                         # blank unit
]
#: The units sheet's row 2: a number column holding text.
UNIT_ERROR = (UNITS_SHEET, 2, "tasks_assigned", "mười")


@pytest.fixture(scope="module")
def bad(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("bad")
    return filled_workbook(d / "thang-03.xlsx", [r for r, _ in TYPED], units=[
        {"unit_id": "P1", "name": "Phòng 1", "head_id": None, "tasks_assigned": "mười"}])


def expected_cells() -> set[tuple[Any, Any, Any, Any]]:
    out = {(SCORES_SHEET, i + 2, col, value) for i, (_, (col, value)) in enumerate(TYPED)}
    out.add(("Nhân sự - Điểm", 2, "staff_id", "A"))  # the first of the duplicate pair
    return out | {UNIT_ERROR}


class TestWorkbookEveryError:
    @pytest.mark.parametrize("command", ["validate", "score", "classify"])
    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_every_error_is_named_with_file_sheet_row_column_value(
        self, bad: Path, command: str, lang: str, tmp_path: Path
    ) -> None:
        extra = [] if command == "validate" else ["--out", str(tmp_path / "ket-qua.json")]
        code, out, _ = run(command, str(bad), "--json", "--lang", lang, *extra)
        assert code == 1
        found = problems_of(out)
        missing = expected_cells() - located(found)
        assert not missing, (missing, located(found))
        assert all(p["file"] == str(bad) and p["message"] and p["code"] for p in found)
        # a staff row's problem names its person (the row's id, when it has one)
        for p in found:
            if p["sheet"] == SCORES_SHEET and p["row"] != 7:
                assert p["staff_id"], p
        assert list(tmp_path.iterdir()) == []  # nothing written

    @pytest.mark.parametrize("suffix", [".json", ".csv", ".xlsx"])
    def test_an_existing_output_is_left_untouched(
        self, bad: Path, tmp_path: Path, suffix: str
    ) -> None:
        target = tmp_path / f"ket-qua{suffix}"
        target.write_bytes(b"the previous month")
        before = listing(tmp_path)
        code, _, err = run("classify", str(bad), "--out", str(target), "--force")
        assert code == 1
        assert listing(tmp_path) == before
        # the text output names the file and each place as well
        assert str(bad) in err or bad.name in err
        assert "'abc'" in err and "'2026-13'" in err and "'NOBODY'" in err, err

    def test_render_and_finalize_refuse_it_with_nothing_written(
        self, bad: Path, tmp_path: Path
    ) -> None:
        sheets, archive = tmp_path / "phieu", tmp_path / "luu-tru.sqlite"
        code, out, _ = run("render", str(bad), "--out", str(sheets), "--json")
        assert code == 1 and not expected_cells() - located(problems_of(out))
        assert not sheets.exists() or listing(sheets) == {}
        code, out, _ = run("finalize", str(bad), "--archive", str(archive), "--by", "TCCB",
                           "--json")  # fmt: skip
        assert code == 1 and not expected_cells() - located(problems_of(out))
        assert not archive.exists()


# =========================================================== 2. frames and objects

FRAME_ERRORS = {  # row label → (column, value typed)
    "r-abc": ("so_luong", "abc"),
    "r-99": ("pham_chat_dao_duc", 99),
    "r-zz": ("unit_id", "ZZ"),
    "r-disc": ("discipline", "nặng"),
    "r-leave": ("leave", "đi chơi"),
    "r-yes": ("manages_others", "có lẽ"),
    "r-period": ("period", "2026-13"),
}


def bad_frame(dtype: str | None) -> pd.DataFrame:
    rows = []
    for label, (col, value) in FRAME_ERRORS.items():
        row = person(label.upper())
        row[col if col != "unit_id" else "unit_id"] = value
        rows.append(row)
    frame = pd.DataFrame(rows, index=list(FRAME_ERRORS))
    frame["period"] = frame.get("period", pd.Series("2026-03", index=frame.index))
    frame["period"] = frame["period"].fillna("2026-03")
    return frame.astype(dtype) if dtype else frame


@pytest.mark.parametrize("dtype", [None, "object", "string"])
@pytest.mark.parametrize("door", ["score_frame", "classify_frame"])
def test_the_frames_name_every_row_label_person_column_value(door: str, dtype: str | None,
                                                            ) -> None:
    frame = bad_frame(dtype)
    units = pd.DataFrame([{"unit_id": "P1", "name": "Phòng 1"}])
    def call() -> object:
        if door == "score_frame":
            return evalkit.score_frame(frame, "vn.nd335-2025")
        return evalkit.classify_frame(frame, units, "vn.nd335-2025")

    with pytest.raises(evalkit.InputError) as info:
        call()
    found = {(p.row, p.column): p for p in info.value.problems}
    for label, (col, value) in FRAME_ERRORS.items():
        if door == "score_frame" and col == "unit_id":
            continue  # scoring alone reads no units
        p = found.get((label, col))
        assert p is not None, (label, col, sorted(found))
        assert p.staff_id == label.upper()
        assert str(p.value) == str(value)


def test_the_object_door_names_every_bad_score_of_a_person() -> None:
    a = evalkit.Assessment("A", evalkit.Period.parse("2026-03"),
                           competent_scores={"pham_chat_dao_duc": 99, "ky_luat_ky_cuong": 77},
                           manager_scores={"so_luong": 500})  # fmt: skip
    with pytest.raises(evalkit.ScoreError) as info:
        evalkit.score(a, rules="vn.nd335-2025", category="cong_chuc")
    text = str(info.value)
    for bit in ("'pham_chat_dao_duc'", "99", "'ky_luat_ky_cuong'", "77", "'so_luong'", "500",
                "'A'", "2026-03"):  # fmt: skip
        assert bit in text, text


def test_the_object_door_names_every_unreadable_score() -> None:
    with pytest.raises(evalkit.ScoreError) as info:
        evalkit.Assessment("A", evalkit.Period.parse("2026-03"),
                           competent_scores={"so_luong": "abc", "tien_do": -4})
    assert "'abc'" in str(info.value) and "-4" in str(info.value)


# =========================================================== 3. CSV and JSON files


def test_org_csv_errors_are_all_named(tmp_path: Path) -> None:
    units = tmp_path / "don-vi.csv"
    units.write_text("unit_id,name,parent_id,head_id\nP1,Phòng 1,,\nP1,Phòng trùng,,\n"
                     "P2,Phòng 2,XX,\n", encoding="utf-8")  # fmt: skip
    positions = tmp_path / "vi-tri.csv"
    positions.write_text("position_id,title,manages_others\nCV,Chuyên viên,có lẽ\n",
                         encoding="utf-8")  # fmt: skip
    staff = tmp_path / "nhan-su.csv"
    staff.write_text("staff_id,full_name,position_id,unit_id\nA,Người A,CV,P9\n"
                     "B,Người B,GD,P1\n", encoding="utf-8")  # fmt: skip
    out = tmp_path / "to-chuc.json"
    code, text, _ = run("org", "--units", str(units), "--positions", str(positions),
                        "--staff", str(staff), "--out", str(out), "--json")  # fmt: skip
    assert code == 1
    found = {(Path(p["file"]).name if p.get("file") else None, p.get("row"), p.get("column"),
              p.get("value")) for p in problems_of(text)}  # fmt: skip
    for want in [("don-vi.csv", 3, "unit_id", "P1"), ("don-vi.csv", 4, "parent_id", "XX"),
                 ("vi-tri.csv", 2, "manages_others", "có lẽ"),
                 ("nhan-su.csv", 2, "unit_id", "P9"), ("nhan-su.csv", 3, "position_id", "GD")]:
        assert want in found, (want, found)
    assert all(p["code"] for p in problems_of(text)), text
    assert not out.exists()


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("month")
    wb = filled_workbook(d / "thang-03.xlsx", [person("A"), person("B", chat_luong=90)])
    results = d / "ket-qua.json"
    assert run("classify", str(wb), "--out", str(results))[0] == 0
    return {"dir": d, "workbook": wb, "results": results}


def test_a_results_file_with_errors_is_named_by_render_and_finalize(
    month: dict[str, Path], tmp_path: Path
) -> None:
    doc = json.loads(month["results"].read_text(encoding="utf-8"))
    rows = doc["data"]["rows"]
    rows[0]["total"] = "nhiều"
    rows[1]["grade"] = "Xuất sắc lắm"
    bad = tmp_path / "sua-tay.json"
    bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    sheets, archive = tmp_path / "phieu", tmp_path / "luu-tru.sqlite"
    for args in (["render", str(bad), "--out", str(sheets)],
                 ["finalize", str(bad), "--archive", str(archive), "--by", "TCCB"]):
        code, out, _ = run(*args, "--json")
        assert code == 1, (args, out)
        found = problems_of(out)
        assert all(Path(str(p["file"])).name == bad.name for p in found), found
        values = {str(p.get("value")) for p in found}
        assert {"nhiều", "Xuất sắc lắm"} <= values, found
        assert {p.get("staff_id") for p in found} >= {"A", "B"}, found
        assert all(p["code"] for p in found), found  # the catalogue key, for scripts
    assert not archive.exists()
    assert not sheets.exists() or listing(sheets) == {}


def test_a_broken_json_file_is_named_with_its_line(month: dict[str, Path],
                                                   tmp_path: Path) -> None:
    bad = tmp_path / "hong.json"
    bad.write_text('{"format": "evalkit",\n "data": [1, 2,,]}\n', encoding="utf-8")
    for args in (["render", str(bad), "--out", str(tmp_path / "phieu")],
                 ["finalize", str(bad), "--archive", str(tmp_path / "a.sqlite"), "--by", "X"],
                 ["org", str(bad)]):  # fmt: skip
        code, out, err = run(*args)
        assert code == 1, (args, out, err)
        assert "hong.json" in err, (args, err)
        assert "Traceback" not in err
    assert not (tmp_path / "a.sqlite").exists()
    assert not (tmp_path / "phieu").exists() or listing(tmp_path / "phieu") == {}


# =========================================================== 4. interrupted writes


class Crash(RuntimeError):
    """The machine stops in the middle of a write."""


def half_then_crash(real: Any) -> Any:
    """A writer that writes part of its file, then crashes."""
    def write(self: Any, target: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(target, str | os.PathLike):
            Path(target).write_bytes(b"PK\x03\x04half")
        raise Crash("crash mid-write")
    return write


@pytest.mark.parametrize("suffix", [".json", ".csv", ".xlsx"])
def test_an_interrupted_results_write_leaves_no_partial_file(
    month: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    import openpyxl

    target = tmp_path / f"ket-qua{suffix}"
    real_write_text = Path.write_text

    def write_text(self: Path, data: str, *args: Any, **kwargs: Any) -> int:
        if self.parent == tmp_path:
            real_write_text(self, data[: len(data) // 2], *args, **kwargs)
            raise Crash("crash mid-write")
        return real_write_text(self, data, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", write_text)
    monkeypatch.setattr(pd.DataFrame, "to_csv", half_then_crash(pd.DataFrame.to_csv))
    monkeypatch.setattr(openpyxl.Workbook, "save", half_then_crash(openpyxl.Workbook.save))
    code, _, _ = run("classify", str(month["workbook"]), "--out", str(target))
    assert code != 0
    assert listing(tmp_path) == {}


def test_an_interrupted_template_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl

    monkeypatch.setattr(openpyxl.Workbook, "save", half_then_crash(openpyxl.Workbook.save))
    code, _, _ = run("template", "--rules", "vn.nd335-2025", "--period", "2026-03",
                     str(tmp_path / "thang-03.xlsx"))  # fmt: skip
    assert code != 0
    assert listing(tmp_path) == {}


def test_an_interrupted_render_leaves_no_partial_sheet(
    month: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("weasyprint")
    from evalkit.render import _env

    real = _env._layout_and_write
    calls = []

    def layout(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(_env, "_layout_and_write", layout)
    out = tmp_path / "phieu"
    code, _, _ = run("render", str(month["results"]), "--out", str(out))
    assert code != 0 and len(calls) >= 2
    assert not out.exists() or listing(out) == {}


# =========================================================== 5. hostile names


HOSTILE_NAME = '<script>alert(1)</script>{{ 7*7 }}<img src="http://evil.example/x.png">'
HOSTILE_UNIT = 'Phòng <b>x</b> <div style="background:url(file:///etc/passwd)">'
HOSTILE_COMMENT = '<img src="file:///etc/passwd"> {% raw %} url(http://evil.example/y)'


@pytest.fixture
def fetched(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every URL WeasyPrint asks the fetcher for, while rendering in this process."""
    pytest.importorskip("weasyprint")
    from evalkit.render import _env

    urls: list[str] = []
    real = _env.make_fetcher

    def spy(*args: Any, **kwargs: Any) -> Any:
        fetcher = real(*args, **kwargs)
        inner = fetcher.fetch

        def fetch(url: str, *a: Any, **k: Any) -> Any:
            urls.append(url)
            return inner(url, *a, **k)

        fetcher.fetch = fetch
        return fetcher

    monkeypatch.setattr(_env, "make_fetcher", spy)
    return urls


@pytest.mark.parametrize("staff_id", ["../../ra-ngoai", "a/b\\c", "CON", "x" * 300])
def test_hostile_names_stay_text_and_paths_stay_inside(
    tmp_path: Path, fetched: list[str], staff_id: str
) -> None:
    from evalkit.render import templates_dir

    wb = filled_workbook(tmp_path / "thang-03.xlsx", [
        person(staff_id, full_name=HOSTILE_NAME, competent_comment=HOSTILE_COMMENT)],
        units=[{"unit_id": "P1", "name": HOSTILE_UNIT, "head_id": None}])  # fmt: skip
    out = tmp_path / "out" / "phieu"
    before = sorted(p for p in tmp_path.rglob("*"))
    code, stdout, err = run("render", str(wb), "--out", str(out), "--overview")
    if code == 1:  # an id the workbook refuses is named, never a path written
        assert staff_id[:40] in err or "staff_id" in err, err
        assert not out.exists() or listing(out) == {}
        return
    assert code == 0, (stdout, err)
    after = sorted(p for p in tmp_path.rglob("*") if p not in before and p.is_file())
    assert after and all(p.resolve().is_relative_to(out.resolve()) for p in after), after
    pdfs = [p for p in after if p.suffix == ".pdf"]
    assert pdfs and all(len(p.name.encode()) <= 255 for p in pdfs)
    assert not (tmp_path / "ra-ngoai").exists() and not (tmp_path.parent / "ra-ngoai").exists()
    pkg = Path(str(templates_dir())).resolve()
    for url in fetched:
        assert url.startswith("data:") or (
            url.startswith("file:") and Path(url[len("file://"):]).resolve().is_relative_to(pkg)
        ), url
    import io as _io

    import pypdf

    texts = {}
    for p in pdfs:
        reader = pypdf.PdfReader(_io.BytesIO(p.read_bytes()))
        texts[p.name] = " ".join(" ".join((pg.extract_text() or "").split())
                                 for pg in reader.pages)  # fmt: skip
    sheet = " ".join(texts.values())
    assert "<script>alert(1)</script>" in sheet  # printed as typed, not run
    assert "{{ 7*7 }}" in sheet and "49" not in sheet.split("alert(1)")[1][:30]
    assert "Phòng <b>x</b>" in sheet


# =========================================================== 6. rule files


def test_a_rule_file_with_several_bad_keys_names_the_file_and_each_key(tmp_path: Path) -> None:
    path = tmp_path / "so-x.toml"
    path.write_text(
        'extends = "vn.nd335-2025"\n'
        'id = "so-x"\n'
        'jurisdiction = "so-x"\n'
        'title_vi = "__import__(\'os\').system(\'touch PWNED\')"\n'
        "[quota]\n"
        'percent = "nhiều"\n'
        "[[bands]]\n"
        'grade = "HTXS"\n'
        'min = "__import__(\'os\')"\n'
        "max = 100\n",
        encoding="utf-8",
    )
    code, out, err = run("rules", "check", str(path), "--json")
    assert code == 3, (out, err)
    text = out + err
    assert "so-x.toml" in text
    assert "quota.percent" in text and "bands" in text and "min" in text, text
    assert not (tmp_path / "PWNED").exists() and not Path("PWNED").exists()


def test_a_rule_file_that_is_no_toml_names_file_and_line(month: dict[str, Path],
                                                        tmp_path: Path) -> None:
    path = tmp_path / "hong.toml"
    path.write_text('id = "x"\n[quota\npercent = 20\n', encoding="utf-8")
    for args in (["rules", "check", str(path)],
                 ["validate", "--rules", str(path), str(month["workbook"])]):
        code, out, err = run(*args)
        assert code == 3, (args, code, out, err)
        assert "hong.toml" in err and "2" in err, (args, err)  # the file and its line
        assert "Traceback" not in err


def test_annual_names_a_broken_organisation_file_and_writes_nothing(
    month: dict[str, Path], tmp_path: Path
) -> None:
    archive = tmp_path / "luu-tru.sqlite"
    assert run("finalize", str(month["results"]), "--archive", str(archive), "--by", "X")[0] == 0
    bad = tmp_path / "hong.json"
    bad.write_text('{"format": "evalkit",\n "data": [1, 2,,]}\n', encoding="utf-8")
    out, pdf = tmp_path / "nam-2026.xlsx", tmp_path / "phieu-nam"
    code, _, err = run("annual", "--archive", str(archive), "--year", "2026", "--org", str(bad),
                       "--out", str(out), "--pdf", str(pdf))  # fmt: skip
    assert code == 1 and "hong.json" in err and "2" in err, err
    assert not out.exists() and (not pdf.exists() or listing(pdf) == {})


def test_a_control_character_in_an_id_is_named_and_no_file_written(tmp_path: Path) -> None:
    (tmp_path / "don-vi.csv").write_text("unit_id,name,parent_id,head_id\nP1,Phòng 1,,\n",
                                         encoding="utf-8")  # fmt: skip
    (tmp_path / "vi-tri.csv").write_text("position_id,title,manages_others\nCV,Chuyên viên,\n",
                                         encoding="utf-8")  # fmt: skip
    (tmp_path / "nhan-su.csv").write_text(
        "staff_id,full_name,position_id,unit_id\nA\x00../../x,Người A,CV,P1\n"
        "B,Người B,CV,P1\n", encoding="utf-8")  # fmt: skip
    out = tmp_path / "to-chuc.json"
    code, text, _ = run("org", "--units", str(tmp_path / "don-vi.csv"), "--positions",
                        str(tmp_path / "vi-tri.csv"), "--staff", str(tmp_path / "nhan-su.csv"),
                        "--out", str(out), "--json")  # fmt: skip
    assert code == 1
    found = problems_of(text)
    assert [(Path(p["file"]).name, p["row"], p["column"], p["value"]) for p in found] == [
        ("nhan-su.csv", 2, "staff_id", "A\x00../../x")]
    assert not out.exists()


def test_markup_in_a_rule_file_and_the_agency_name_is_printed_as_text(
    tmp_path: Path, fetched: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    """A rule file and --agency are input too: their texts reach the sheet as typed."""
    import io as _io
    import logging

    import pypdf

    toml = tmp_path / "so-x.toml"
    toml.write_text(
        'extends = "vn.nd335-2025"\nid = "so-x.2026"\njurisdiction = "so-x"\n'
        "title_vi = \"Quy định <img src='http://evil.example/a.png'> {{ 7*7 }} "
        '(url(file:///etc/passwd))"\ntitle_en = "X"\n', encoding="utf-8")  # fmt: skip
    wb = filled_workbook(tmp_path / "t.xlsx", [person("A")], rules=str(toml))
    out = tmp_path / "phieu"
    with caplog.at_level(logging.WARNING, logger="evalkit.render"):
        code, _, err = run("render", str(wb), "--rules", str(toml), "--out", str(out),
                           "--agency", "<img src='http://evil.example/z.png'> Sở {{7*7}}")
    assert code == 0, err
    assert "refused to fetch" not in caplog.text  # nothing was even asked for
    assert not any(u.startswith(("http", "ftp")) or "/etc/" in u for u in fetched), fetched
    pdfs = sorted(out.rglob("*.pdf"))
    assert pdfs
    for p in pdfs:
        text = " ".join(" ".join(pg.extract_text().split())
                        for pg in pypdf.PdfReader(_io.BytesIO(p.read_bytes())).pages)
        assert "<img src='http://evil.example/a.png'> {{ 7*7 }}" in text, (p.name, text[:300])
        low = text.casefold()  # the header prints the agency in capitals
        assert "<img src='http://evil.example/" in low and "sở {{7*7}}" in low, text[:300]
        assert "sở 49" not in low


def test_errors_of_several_workbooks_are_all_listed_each_with_its_file(tmp_path: Path) -> None:
    a = filled_workbook(tmp_path / "a.xlsx", [person("A", so_luong="abc"), person("B")])
    b = filled_workbook(tmp_path / "b.xlsx", [person("C", pham_chat_dao_duc=99),
                                              person("D", discipline="nặng")])  # fmt: skip
    for command in ("validate", "classify"):
        code, out, _ = run(command, str(a), str(b), "--json")
        assert code == 1
        found = {(Path(p["file"]).name, p["row"], p["column"], p["value"])
                 for p in problems_of(out)}  # fmt: skip
        assert found >= {("a.xlsx", 2, "competent__so_luong", "abc"),
                         ("b.xlsx", 2, "competent__pham_chat_dao_duc", 99),
                         ("b.xlsx", 3, "discipline", "nặng")}, found  # fmt: skip


@pytest.fixture(scope="module")
def year(month: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive holding the month."""
    archive = tmp_path_factory.mktemp("year") / "luu-tru.sqlite"
    assert run("finalize", str(month["results"]), "--archive", str(archive), "--by", "X")[0] == 0
    return archive


@pytest.mark.parametrize("command", [
    ["template", "--rules", "vn.nd335-2025", "--period", "2026-03", "{out}/thang-03.xlsx"],
    ["template", "--rules", "vn.nd335-2025", "--period", "2026-03", "{out}/thang-03.csv"],
    ["org", "--units", "{units}", "--positions", "{positions}", "--staff", "{staff}",
     "--out", "{out}/to-chuc.json"],
    ["score", "{workbook}", "--out", "{out}/diem.xlsx"],
    ["classify", "{workbook}", "--out", "{out}/ket-qua.json"],
    ["classify", "{workbook}", "--out", "{out}/ket-qua.csv"],
    ["classify", "{workbook}", "--out", "{out}/ket-qua.xlsx"],
    ["render", "{results}", "--out", "{out}/phieu"],
    ["annual", "--archive", "{archive}", "--year", "2026", "--out", "{out}/nam.xlsx"],
    ["annual", "--archive", "{archive}", "--year", "2026", "--out", "{out}/nam.json",
     "--pdf", "{out}/phieu-nam"],
    ["rules", "diff", "vn.nd335-2025", "vn.nd335-2025", "--data", "{workbook}",
     "--csv", "{out}/tac-dong.csv", "--pdf", "{out}/tac-dong.pdf"],
], ids=lambda c: "-".join(a for a in c[:2] if not a.startswith("{")) + "-" + c[-1][-9:])
def test_a_disk_failing_at_the_last_moment_leaves_no_file_of_any_writer(
    month: dict[str, Path], year: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    command: list[str],
) -> None:
    """Every file a command writes is written whole or not at all: the disk fails when
    the finished file is flushed (the last step before its name appears), and nothing is
    left in the output folder; the failure is exit 1 naming the file."""
    out = tmp_path / "out"
    out.mkdir()
    org = {"units": "unit_id,name,parent_id,head_id\nP1,Phòng 1,,\n",
           "positions": "position_id,title,manages_others\nCV,Chuyên viên,\n",
           "staff": "staff_id,full_name,position_id,unit_id\nA,Người A,CV,P1\n"}
    for name, text in org.items():
        (tmp_path / f"{name}.csv").write_text(text, encoding="utf-8")
    args = [a.format(out=out, workbook=month["workbook"], results=month["results"],
                     archive=year, **{n: tmp_path / f"{n}.csv" for n in org})
            for a in command]  # fmt: skip

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    code, stdout, err = run(*args)
    assert code == 1, (code, stdout, err)
    assert listing(out) == {}, listing(out).keys()
    assert str(out) in err, err


def test_every_sheet_errors_and_an_unreadable_file_beside_are_listed_together(
    tmp_path: Path,
) -> None:
    """A bad date and number on the tasks sheet, an unknown parent and head on the units
    sheet, an unknown unit and signatory on the signatories sheet, a bad score, and a file
    that is no workbook given with it: one listing, each on its file, sheet, row, column."""
    wb = filled_workbook(tmp_path / "t.xlsx", [person("A", so_luong="abc"), person("B")],
        tasks=[{"task_id": "T1", "assignee": "A", "unit_id": "P1", "title": "x",
                "assigned": "32/13/2026", "due": "ngày mai", "done": "2026-03-05"},
               {"task_id": "T2", "assignee": "NOBODY", "unit_id": "P1", "title": "y",
                "assigned": "2026-03-01", "due": "2026-03-10", "errors": "nhiều"}],
        signatories=[{"unit_id": "ZZ", "agency": "Sở", "approver_id": "NOBODY"}],
        units=[{"unit_id": "P1", "name": "Phòng 1", "head_id": "NOBODY", "parent_id": "QQ"}],
    )  # fmt: skip
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    for command in ("validate", "classify"):
        code, out, _ = run(command, str(broken), str(wb), "--json")
        assert code == 1
        found = {(Path(p["file"]).name, p["sheet"], p["row"], p["column"], p["value"])
                 for p in problems_of(out)}  # fmt: skip
        assert found >= {
            ("hong.xlsx", None, None, None, None),
            ("t.xlsx", SCORES_SHEET, 2, "competent__so_luong", "abc"),
            ("t.xlsx", UNITS_SHEET, 2, "parent_id", "QQ"),
            ("t.xlsx", UNITS_SHEET, 2, "head_id", "NOBODY"),
            ("t.xlsx", "Người ký", 2, "unit_id", "ZZ"),
            ("t.xlsx", "Người ký", 2, "approver_id", "NOBODY"),
            ("t.xlsx", "Nhiệm vụ", 2, "assigned", "32/13/2026"),
            ("t.xlsx", "Nhiệm vụ", 2, "due", "ngày mai"),
            ("t.xlsx", "Nhiệm vụ", 3, "assignee", "NOBODY"),
            ("t.xlsx", "Nhiệm vụ", 3, "errors", "nhiều"),
        }, found
        assert all(p["code"] for p in problems_of(out))

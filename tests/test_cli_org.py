"""`evalkit org`: build and check the organisation file from CSV files or a workbook, or
check an existing one (issue 15: the `--org to-chuc.json` step failed for a newcomer)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import evalkit
from evalkit.cli import EXIT_INVALID_INPUT, EXIT_OK, EXIT_USAGE
from evalkit.io.jsonio import read_json
from tests._cli_helpers import run
from tests.test_cli_walk import DOCS, doc_files, doc_output

ORG_PAGE = Path(__file__).resolve().parent.parent / "docs" / "organisation.md"



@pytest.fixture
def csvs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example files of the monthly script and of the organisation page."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EVALKIT_LANG", raising=False)
    files = doc_files(DOCS["en"])
    shown = doc_files(ORG_PAGE)
    assert {k: v for k, v in shown.items() if k.endswith(".csv")} == {
        k: v for k, v in files.items() if k.endswith(".csv")
    }
    for name, content in files.items():
        Path(name).write_text(content, encoding="utf-8")
    return tmp_path


ARGS = ["--units", "don-vi.csv", "--positions", "vi-tri.csv", "--staff", "nhan-su.csv"]


def test_the_documented_csv_files_make_the_documented_organisation(csvs: Path) -> None:
    """The example of docs/organisation.md: 2 units, 3 positions, 5 people."""
    code, out, err = run("org", *ARGS, "--out", "to-chuc.json")
    assert code == EXIT_OK, err
    assert out == ("đã ghi danh sách tổ chức to-chuc.json: 2 đơn vị, 3 vị trí việc làm, "
                   "5 người\n")  # fmt: skip
    assert json.loads(Path("to-chuc.json").read_text(encoding="utf-8")) == json.loads(
        doc_files(ORG_PAGE)["to-chuc.json"]
    )  # the page shows exactly this file
    org = read_json("to-chuc.json", evalkit.Organisation)
    assert isinstance(org, evalkit.Organisation)
    assert org.head_of("TCCB").full_name == "Nguyễn Thị Hồng"
    assert org.unit("SNV").governing_body == "Ủy ban nhân dân tỉnh Sông Lam"
    assert org.member("TP-01").manager_id == "GD-01" and org.position("giam_doc").manages_others
    code, out, _ = run("org", "to-chuc.json")
    assert code == EXIT_OK and "không có lỗi" in out


def test_every_problem_is_named_with_its_file_row_and_column(csvs: Path) -> None:
    """A head outside their unit, an unknown position, a blank name: all listed, exit 1,
    nothing written."""
    staff = Path("nhan-su.csv").read_text(encoding="utf-8")
    staff = staff.replace(
        "TP-01,Nguyễn Thị Hồng,Trưởng phòng,truong_phong,TCCB",
        "TP-01,Nguyễn Thị Hồng,Trưởng phòng,truong_phong,SNV",
    )
    staff = staff.replace("CV-02,Phạm Thị Bình,,chuyen_vien", "CV-02,,,chuyen_vien")
    staff = staff.replace("CV-03,Đỗ Minh Châu,,chuyen_vien", "CV-03,Đỗ Minh Châu,,chuyen_vienn")
    Path("nhan-su.csv").write_text(staff, encoding="utf-8")
    code, out, _ = run("org", *ARGS, "--out", "to-chuc.json", "--json")
    report = json.loads(out)
    assert code == EXIT_INVALID_INPUT and not Path("to-chuc.json").exists()
    got = [(p["file"], p["row"], p["column"]) for p in report["problems"]]
    assert sorted(got) == sorted([("don-vi.csv", 3, "head_id"), ("nhan-su.csv", 5, "full_name"),
                                  ("nhan-su.csv", 6, "position_id")])  # fmt: skip
    unknown = next(p for p in report["problems"] if p["column"] == "position_id")
    assert unknown["message"] == ("vị trí việc làm 'chuyen_vienn' không có trong danh sách; "
                                  "có phải là 'chuyen_vien'?")  # fmt: skip


def test_the_pages_example_of_problems_is_what_org_says(csvs: Path) -> None:
    """docs/organisation.md shows the output for a head moved out of their unit and a
    mistyped position: the command prints exactly that, and writes nothing."""
    staff = Path("nhan-su.csv").read_text(encoding="utf-8")
    staff = staff.replace(
        "TP-01,Nguyễn Thị Hồng,Trưởng phòng,truong_phong,TCCB",
        "TP-01,Nguyễn Thị Hồng,Trưởng phòng,truong_phong,SNV",
    )
    staff = staff.replace("CV-03,Đỗ Minh Châu,,chuyen_vien", "CV-03,Đỗ Minh Châu,,chuyen_vienn")
    Path("nhan-su.csv").write_text(staff, encoding="utf-8")
    code, _, err = run("org", *ARGS, "--out", "to-chuc.json")
    assert code == EXIT_INVALID_INPUT and not Path("to-chuc.json").exists()
    assert err == doc_output(ORG_PAGE)


def test_a_workbook_makes_the_same_organisation(csvs: Path) -> None:
    """template --org, then org of the workbook: the same file back."""
    assert run("org", *ARGS, "--out", "to-chuc.json")[0] == EXIT_OK
    assert run("template", "--rules", "vn.nd335-2025", "--period", "2026-03", "--org",
               "to-chuc.json", "thang-03.xlsx")[0] == EXIT_OK  # fmt: skip
    code, _, err = run("org", "thang-03.xlsx", "--out", "lai.json")
    assert code == EXIT_OK, err
    assert read_json("lai.json", evalkit.Organisation) == read_json(
        "to-chuc.json", evalkit.Organisation
    )


def test_an_existing_file_is_not_replaced_without_force(csvs: Path) -> None:
    """--out names a file that exists: refused, unless --force."""
    Path("to-chuc.json").write_text("{}", encoding="utf-8")
    code, _, err = run("org", *ARGS, "--out", "to-chuc.json")
    assert code == EXIT_INVALID_INPUT and "--force" in err
    assert Path("to-chuc.json").read_text(encoding="utf-8") == "{}"
    assert run("org", *ARGS, "--out", "to-chuc.json", "--force")[0] == EXIT_OK


def test_a_broken_organisation_file_is_reported(tmp_path: Path) -> None:
    """A JSON that is not an organisation: exit 1 with the reason."""
    bad = tmp_path / "x.json"
    bad.write_text(
        '{"schema": "evalkit/1", "kind": "Organisation", "data": {"units": 1}}', encoding="utf-8"
    )
    code, _, err = run("org", str(bad))
    assert code == EXIT_INVALID_INPUT and "x.json" in err


@pytest.mark.parametrize("args", [[], ["x.xlsx", "--units", "u.csv"], ["--units", "u.csv"]])
def test_what_to_read_must_be_said_once(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workbook, or the three CSV files — not neither, not both, not part."""
    monkeypatch.chdir(tmp_path)
    for name in ("x.xlsx", "u.csv"):
        Path(name).write_text("", encoding="utf-8")
    assert run("org", *args)[0] == EXIT_USAGE


def _mixed_org(path: Path) -> Path:
    """One unit in 2026-07: a công chức head and a viên chức under them."""
    from evalkit.io.jsonio import write_json

    org = evalkit.Organisation(
        units=[evalkit.Unit("U", "Phòng Tổng hợp", head_id="H")],
        positions=[evalkit.Position("tp", "Trưởng phòng", manages_others=True),
                   evalkit.Position("vc", "Viên chức")],
        staff=[evalkit.Staff("H", "Trần Hoa", "tp", "U"),
               evalkit.Staff("V1", "Lê Vân", "vc", "U", category="vien_chuc")])  # fmt: skip
    write_json(path, org)
    return path


def test_a_template_names_who_it_leaves_out_and_their_rule_set(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               ) -> None:  # fmt: skip
    """A workbook holds one rule set: the viên chức of a mixed unit are not silently dropped
    from the công chức workbook — the note names them and the set in force for them."""
    monkeypatch.delenv("EVALKIT_LANG", raising=False)
    org = _mixed_org(tmp_path / "to-chuc.json")
    code, _out, err = run("template", "--rules", "vn.nd335-2025", "--period", "2026-07",
                          "--org", str(org), str(tmp_path / "cc.xlsx"))  # fmt: skip
    assert code == EXIT_OK
    assert "1 người" in err and "V1" in err and "--rules vn.nd233-2026" in err
    code, out, _ = run("template", "--rules", "vn.nd335-2025", "--period", "2026-07",
                       "--org", str(org), str(tmp_path / "cc2.xlsx"), "--json")  # fmt: skip
    assert json.loads(out)["left_out"] == {"vien_chuc": ["V1"]}


def test_a_template_without_rules_takes_the_set_in_force_for_the_staff(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """The rule set follows the person at the template's door too: without --rules, the
    set in force in the period for --org's staff; several sets (a mixed unit) or no --org
    are refused, naming what to give, and nothing is written."""
    import openpyxl

    from evalkit.io.jsonio import write_json

    monkeypatch.delenv("EVALKIT_LANG", raising=False)

    def headers(book: Path) -> list[list[object]]:
        wb = openpyxl.load_workbook(book, read_only=True)
        return [[c.value for c in next(ws.iter_rows(max_row=1))] for ws in wb.worksheets]

    vc = evalkit.Organisation(
        units=[evalkit.Unit("U", "Khoa Nội", head_id="H")],
        positions=[evalkit.Position("tk", "Trưởng khoa", manages_others=True),
                   evalkit.Position("vc", "Viên chức")],
        staff=[evalkit.Staff("H", "Trần Hoa", "tk", "U", category="vien_chuc"),
               evalkit.Staff("V1", "Lê Vân", "vc", "U", category="vien_chuc")])  # fmt: skip
    write_json(tmp_path / "vc.json", vc)
    for period, expected in (("2026-06", "vn.nd90-2020"), ("2026-07", "vn.nd233-2026")):
        book = tmp_path / f"{period}.xlsx"
        code, out, _ = run("template", "--period", period, "--org", str(tmp_path / "vc.json"),
                           str(book), "--json")  # fmt: skip
        assert code == EXIT_OK and json.loads(out)["rule_set"] == expected
        named = tmp_path / f"named-{period}.xlsx"
        assert run("template", "--rules", expected, "--period", period, "--org",
                   str(tmp_path / "vc.json"), str(named))[0] == EXIT_OK  # fmt: skip
        assert headers(book) == headers(named)
    mixed = _mixed_org(tmp_path / "to-chuc.json")
    code, _out, err = run("template", "--period", "2026-07", "--org", str(mixed),
                          str(tmp_path / "mixed.xlsx"))  # fmt: skip
    assert code == EXIT_USAGE and not (tmp_path / "mixed.xlsx").exists()
    assert "vn.nd233-2026 (1)" in err and "vn.nd335-2025 (1)" in err and "--rules" in err
    code, _out, err = run("template", "--period", "2026-07", str(tmp_path / "none.xlsx"))
    assert code == EXIT_USAGE and "--org" in err and not (tmp_path / "none.xlsx").exists()


def test_the_other_groups_workbook_validates_with_the_organisation(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """The viên chức workbook names the công chức head (units sheet, signatory): known
    through --org; without it the problem says to pass --org."""
    monkeypatch.delenv("EVALKIT_LANG", raising=False)
    org = _mixed_org(tmp_path / "to-chuc.json")
    book = tmp_path / "vc.xlsx"
    assert run("template", "--rules", "vn.nd233-2026", "--period", "2026-07", "--org", str(org),
               str(book))[0] == EXIT_OK  # fmt: skip
    code, _out, err = run("validate", str(book), "--org", str(org))
    assert code == EXIT_OK, err
    code, out, err = run("validate", str(book))
    assert code == EXIT_INVALID_INPUT
    assert "người đứng đầu 'H'" in out + err and "chạy kèm --org" in out + err


def test_a_person_as_their_own_manager_is_listed_with_the_rest(csvs: Path) -> None:
    """Own manager in the staff CSV: located (file, row, column) among the other problems,
    not alone after everything else is fixed (audit d04)."""
    staff = Path("nhan-su.csv").read_text(encoding="utf-8")
    staff = staff.replace("CV-02,Phạm Thị Bình,,chuyen_vien", "CV-02,,,chuyen_vien")
    lines = staff.splitlines()
    header = lines[0].split(",")
    at = header.index("manager_id")
    row = lines[-1].split(",")
    row[at] = row[header.index("staff_id")]
    lines[-1] = ",".join(row)
    Path("nhan-su.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, _ = run("org", *ARGS, "--json")
    report = json.loads(out)
    assert code == EXIT_INVALID_INPUT
    got = {(p["file"], p["row"], p["column"]): p["message"] for p in report["problems"]}
    assert got[("nhan-su.csv", len(lines), "manager_id")] == (
        "một người không thể là người quản lý trực tiếp của chính mình"
    )
    assert ("nhan-su.csv", 5, "full_name") in got


def test_every_problem_of_an_organisation_file_is_listed_in_vietnamese(tmp_path: Path) -> None:
    """A JSON organisation with four problems: four lines, in Vietnamese (was: the first)."""
    bad = tmp_path / "x.json"
    data = {
        "units": [{"id": "U", "name": "P", "head_id": "ZZ"}, {"id": "U", "name": "dup"}],
        "positions": [{"id": "cv", "title_vi": "C"}],
        "staff": [{"id": "A", "full_name": "a", "position_id": "zz", "unit_id": "NOPE"}],
    }
    bad.write_text(json.dumps({"schema": "evalkit/1", "kind": "Organisation", "data": data}),
                   encoding="utf-8")  # fmt: skip
    code, out, _ = run("org", str(bad), "--json")
    messages = [p["message"] for p in json.loads(out)["problems"]]
    assert code == EXIT_INVALID_INPUT and len(messages) == 4
    assert any("trùng mã đơn vị: U" in m for m in messages)
    assert any("người được đánh giá 'A' thuộc đơn vị 'NOPE' không có trong danh sách" in m for m in messages)
    assert any("vị trí việc làm 'zz'" in m for m in messages)
    assert any("người đứng đầu 'ZZ' của đơn vị 'U'" in m for m in messages)


def test_ids_that_excel_turned_into_numbers_are_named_against_the_organisation(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """Excel makes '007' the number 7: with --org, a score-sheet id the organisation lacks
    is refused (never a second person in the year), with the padded id as the hint."""
    import openpyxl

    from evalkit.io.jsonio import write_json

    monkeypatch.delenv("EVALKIT_LANG", raising=False)
    org = tmp_path / "to-chuc.json"
    write_json(org, evalkit.Organisation(
        units=[evalkit.Unit("01", "Phòng Tổng hợp", head_id="007")],
        positions=[evalkit.Position("tp", "Trưởng phòng", manages_others=True),
                   evalkit.Position("cv", "Chuyên viên")],
        staff=[evalkit.Staff("007", "Trần Hoa", "tp", "01"),
               evalkit.Staff("010", "Lê Vân", "cv", "01"),
               evalkit.Staff("AB-1", "Đỗ An", "cv", "01")]))  # fmt: skip
    book = tmp_path / "t.xlsx"
    assert run("template", "--rules", "vn.nd335-2025", "--period", "2026-03", "--org", str(org),
               str(book))[0] == EXIT_OK  # fmt: skip
    code, _out, err = run("validate", str(book), "--org", str(org))
    assert code == EXIT_OK, err
    wb = openpyxl.load_workbook(book)
    ws = wb.worksheets[0]
    col = next(c.column for c in ws[1] if str(c.value or "").startswith("staff_id")
               or "Mã nhân sự" in str(c.value or ""))  # fmt: skip
    for row in range(2, ws.max_row + 1):
        cell = ws.cell(row, col)
        if cell.value in ("010",):
            cell.value = 10
        elif cell.value == "AB-1":
            cell.value = "AB-2"
    wb.save(book)
    code, out, err = run("validate", str(book), "--org", str(org))
    said = out + err
    assert code == EXIT_INVALID_INPUT
    assert "người được đánh giá '10' không có trong tệp tổ chức; có phải là '010'?" in said
    assert "người được đánh giá 'AB-2' không có trong tệp tổ chức; có phải là 'AB-1'?" in said

"""The input audit's command-line findings: no English (nor Python's exception text) in
the default Vietnamese output, `amend` refusing what changes nothing, `render` of a
results file refusing what `finalize` refuses, and `rules diff` reading a workbook that
`validate` passes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from evalkit.io.archive import Archive
from tests._cli_helpers import run
from tests._io_helpers import filled_workbook, person

#: English words and Python's exception names that must not reach a Vietnamese user.
ENGLISH = re.compile(r"\b(the|is|not|of|must|be|list|objects|schema|supported|document|"
                     r"cannot|read|codec|decode|byte|position|invalid|start|Directory|"
                     r"folder|file|a|an|KeyError|BadZipFile|UnicodeDecodeError|problems?|"
                     r"input|Organisation|JSON)\b")



def english(text: str) -> list[str]:
    """English words outside quoted values, paths and `commands`."""
    plain = re.sub(r"'[^']*'|\"[^\"]*\"|`[^`]*`|\S*/\S*|\([^)]*\.(?:json|xlsx|csv)[^)]*\)",
                   "", text)
    plain = plain.replace("Save As", "").replace("JSON", "")
    return ENGLISH.findall(plain)


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A month with a leader (the unit's head, management component left blank) and two
    staff: the workbook, its results file (classified) and an archive of it."""
    d = tmp_path_factory.mktemp("audit")
    wb = filled_workbook(d / "thang-03.xlsx", [
        person("L1", manages_others="x", to_chuc_trien_khai=100, tap_hop_doan_ket=100),
        person("A", manager_id="L1"), person("B", manager_id="L1", chat_luong=90)],
        units=[{"unit_id": "P1", "name": "Phòng 1", "head_id": "L1"}])  # fmt: skip
    assert run("validate", str(wb))[0] == 0
    results = d / "ket-qua.json"
    assert run("classify", str(wb), "--out", str(results), "--force")[0] == 0
    return {"dir": d, "workbook": wb, "results": results}


def edited(month: dict[str, Path], name: str, change: Any) -> Path:
    """The month's results file with one hand edit (``change(doc)``)."""
    doc = json.loads(month["results"].read_text(encoding="utf-8"))
    change(doc)
    path = month["dir"] / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def row_of(doc: dict[str, Any], sid: str) -> dict[str, Any]:
    return next(r for r in doc["data"]["rows"] if r["staff_id"] == sid)


# =========================================================================== 1. words


class TestVietnameseThroughout:
    @pytest.mark.parametrize(("name", "change", "said"), [
        ("rows.json", lambda d: d["data"].update(rows={"a": 1}),
         "'rows' phải là một danh sách các đối tượng"),
        ("schema.json", lambda d: d.update(schema="evalkit/99"),
         "định dạng evalkit/99 không được phiên bản evalkit này hỗ trợ"),
        ("kind.json", lambda d: d.update(kind="list[Staff]"),
         "không phải là tệp kết quả"),
        ("agency.json", lambda d: d["data"].update(agency=["x"]),
         "'agency' phải là một đối tượng gồm các giá trị chữ"),
    ])  # fmt: skip
    def test_a_bad_results_file_is_said_in_vietnamese(
        self, month: dict[str, Path], name: str, change: Any, said: str
    ) -> None:
        path = edited(month, name, change)
        code, _, err = run("render", str(path), "--out", str(month["dir"] / "out"))
        assert code == 1
        assert said in err and not english(err.split(":", 1)[1]), err

    def test_an_invalid_workbook_and_a_non_utf8_csv_say_what_to_do(self, tmp_path: Path) -> None:
        """No `BadZipFile`, `KeyError` nor codec text: the file kind and the fix."""
        bad = tmp_path / "t.xlsx"
        bad.write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty zip
        code, _, err = run("validate", str(bad))
        assert code == 1 and "không phải là tệp Excel .xlsx hợp lệ" in err
        assert "KeyError" not in err and "BadZipFile" not in err and "Error" not in err
        csv = tmp_path / "t.csv"
        csv.write_bytes("staff_id,full_name\nA,Nguyễn Văn Ánh\n".encode("utf-16"))
        code, _, err = run("validate", str(csv), "--rules", "vn.nd335-2025")
        assert code == 1 and "không phải là văn bản mã UTF-8" in err and "CSV UTF-8" in err
        assert "codec" not in err and "position" not in err
        code, _, err = run("validate", str(csv), "--rules", "vn.nd335-2025", "--lang", "en")
        assert "not a readable UTF-8 CSV file" in err

    def test_an_organisation_file_of_the_wrong_kind_names_what_was_expected(
        self, month: dict[str, Path], tmp_path: Path
    ) -> None:
        """`org RESULTS.json`, `validate --org RESULTS.json`, `template --org X.xlsx`."""
        code, _, err = run("org", str(month["results"]))
        assert code == 1
        assert "đây là tệp kết quả" in err and "không phải tệp tổ chức" in err
        assert "problems" not in err and "Organisation" not in err
        code, _, err = run("validate", str(month["workbook"]), "--org", str(month["results"]))
        assert code == 1 and "không phải tệp tổ chức" in err and "problems" not in err
        code, _, err = run("template", "--rules", "vn.nd335-2025", "--period", "2026-03",
                           "--org", str(month["workbook"]), str(tmp_path / "t.xlsx"))
        assert code == 1
        assert "đây là tệp Excel" in err and "cần tệp tổ chức" in err
        assert "codec" not in err and not err.startswith("Lỗi: Có")

    def test_an_output_folder_that_is_a_file_is_said_in_vietnamese(
        self, month: dict[str, Path], tmp_path: Path
    ) -> None:
        blocker = tmp_path / "afile"
        blocker.write_text("x")
        code, _, err = run("render", str(month["results"]), "--out", str(blocker))
        assert code == 2 and "là một tệp, không phải thư mục" in err and "Directory" not in err
        code, _, err = run("render", str(month["results"]), "--out", str(blocker / "sub"))
        assert code != 0 and "không ghi được thư mục" in err and "the folder" not in err

    def test_a_list_of_problems_is_not_prefixed_twice(self, month: dict[str, Path]) -> None:
        path = edited(month, "classified.json",
                      lambda d: row_of(d, "A").update(classified="maybe"))
        code, _, err = run("render", str(path), "--out", str(month["dir"] / "o"))
        assert code == 1 and err.startswith("Có 1 lỗi:"), err
        assert "có/không" in err and "write x" not in err

    def test_a_task_coefficient_of_zero_is_said_in_vietnamese(self) -> None:
        from evalkit.messages import translate

        assert translate("a coefficient must be a number above 0") == "hệ số phải là số lớn hơn 0"


# =========================================================================== 2. amend


@pytest.fixture
def archive(month: dict[str, Path], tmp_path: Path) -> Path:
    path = tmp_path / "a.sqlite"
    code, _, err = run("finalize", str(month["workbook"]), "--archive", str(path), "--by", "x",
                       "--force")  # fmt: skip
    assert code == 0, err
    return path


def amendments(path: Path) -> int:
    with Archive(path) as arc:
        return len(arc.history("2026-03", "A")) + len(arc.history("2026-03", "B"))


class TestAmend:
    def test_a_field_set_twice_is_refused_by_name(self, archive: Path) -> None:
        code, _, err = run("amend", "--archive", str(archive), "--period", "2026-03",
                           "--staff", "A", "--set", "chat_luong=88,5", "--set",
                           "chat_luong=70", "--by", "x", "--why", "y")  # fmt: skip
        assert code == 2 and "'chat_luong' được sửa hai lần" in err
        assert amendments(archive) == 0

    def test_an_amendment_that_changes_nothing_is_refused(self, archive: Path) -> None:
        code, _, err = run("amend", "--archive", str(archive), "--period", "2026-03",
                           "--staff", "A", "--set", "chat_luong=100", "--by", "x",
                           "--why", "y")  # fmt: skip
        assert code == 1 and "điều chỉnh không thay đổi gì" in err, err
        code, _, err = run("amend", "--archive", str(archive), "--period", "2026-03",
                           "--staff", "A", "--set", "to_chuc_trien_khai=100", "--by", "x",
                           "--why", "y")  # fmt: skip
        # đ typed for a person who manages nobody: refused (it would count for nothing)
        assert code == 1 and "chức trách quản lý" in err, err
        assert amendments(archive) == 0

    def test_the_period_is_echoed_normalised(self, archive: Path) -> None:
        code, out, err = run("amend", "--archive", str(archive), "--period", "2026-3",
                             "--staff", "A", "--set", "chat_luong=70", "--by", "x",
                             "--why", "y")  # fmt: skip
        assert code == 0, err
        assert "kỳ 2026-03" in out and "2026-3," not in out

    def test_blank_by_and_why_name_the_options(self, archive: Path) -> None:
        code, _, err = run("amend", "--archive", str(archive), "--period", "2026-03",
                           "--staff", "A", "--set", "chat_luong=80", "--by", "",
                           "--why", " ")  # fmt: skip
        assert code == 1 and "--by, --why" in err
        assert "(by)" not in err and "(why)" not in err

    def test_an_engine_refusal_names_the_archive_and_the_person(self, archive: Path,
                                                                month: dict[str, Path]) -> None:
        """Located as amend's own refusals are (af112): the archive file, the person, the
        column and the value — never the archive's 0-based position, nor a workbook's row
        (a month may come from several workbooks, each with its row 2)."""
        code, _, err = run("amend", "--archive", str(archive), "--period", "2026-03",
                           "--staff", "L1", "--set", "to_chuc_trien_khai=70", "--by", "x",
                           "--why", "y")  # fmt: skip
        assert code == 1, err
        for part in (str(archive), "người được đánh giá 'L1'", "cột 'to_chuc_trien_khai'", "giá trị 70"):
            assert part in err, (part, err)
        assert "dòng" not in err and "problem" not in err and "row " not in err


# =========================================================================== 3. render


class TestRenderRefusesWhatFinalizeRefuses:
    @pytest.mark.parametrize(("name", "change", "column", "said"), [
        ("score.json", lambda d: row_of(d, "A").update(chat_luong=500), "chat_luong",
         "nằm ngoài khoảng từ 0 đến 100"),
        ("discipline.json", lambda d: row_of(d, "A").update(discipline=9), "discipline",
         "không phải là mức kỷ luật 0 đến 5"),
        ("grade.json", lambda d: row_of(d, "A").update(score_grade="KHT"),
         "score_grade", "mức theo khung điểm ghi KHT"),
        ("month.json", lambda d: row_of(d, "A").update(period="2026-04"), "period",
         "mỗi tệp kết quả chỉ chứa một tháng"),
    ])  # fmt: skip
    def test_a_hand_edited_results_file_is_refused_at_its_row(
        self, month: dict[str, Path], name: str, change: Any, column: str, said: str
    ) -> None:
        path = edited(month, name, change)
        out = month["dir"] / f"out-{name}"
        code, _, err = run("render", str(path), "--out", str(out))
        assert code == 1, err
        doc = json.loads(path.read_text(encoding="utf-8"))
        line = next(x for x in err.splitlines() if said in x)
        # the record's place in the file, counted from 1, not the workbook row it carries
        # (docs/cli.md "Results files", af216)
        place = next(i for i, r in enumerate(doc["data"]["rows"], 1) if r["staff_id"] == "A")
        assert place != row_of(doc, "A")["row"]  # the two numberings differ here
        assert f"dòng {place}," in line and f"cột '{column}'" in line
        assert not out.exists() or not any(out.rglob("*.pdf"))

    def test_finalize_refuses_a_score_over_its_maximum_too(
        self, month: dict[str, Path], tmp_path: Path
    ) -> None:
        path = edited(month, "score-f.json", lambda d: row_of(d, "A").update(chat_luong=500))
        code, _, err = run("finalize", str(path), "--archive", str(tmp_path / "f.sqlite"),
                           "--by", "x")  # fmt: skip
        assert code == 1 and "nằm ngoài khoảng từ 0 đến 100" in err

    def test_an_empty_results_file_is_an_error(self, month: dict[str, Path]) -> None:
        path = edited(month, "empty.json", lambda d: d["data"].update(rows=[]))
        code, out, err = run("render", str(path), "--out", str(month["dir"] / "e"))
        assert code == 1 and "không có kết quả nào" in err and "0 tệp" not in out


# =========================================================================== 4. rules diff


class TestRulesDiff:
    def test_a_workbook_that_validates_can_be_compared(self, month: dict[str, Path]) -> None:
        """The leader's management component is left blank (computed from the staff)."""
        code, _, err = run("rules", "diff", "vn.nd335-2025", "vn.nd335-2025", "--data",
                           str(month["workbook"]), "--json")  # fmt: skip
        assert code == 0, err

    def test_a_fill_of_an_unknown_criterion_is_refused(self) -> None:
        code, _, err = run("rules", "diff", "vn.nd335-2025", "vn.nd335-2025", "--data",
                           "demo", "--fill", "chat_luongg=x")  # fmt: skip
        assert code == 2 and "'chat_luongg' không phải là tiêu chí" in err
        assert "'chat_luong'" in err


# =========================================================================== rule files


class TestRuleFileProblems:
    def test_the_most_common_rule_file_problems_are_vietnamese(self, tmp_path: Path) -> None:
        """A missing key, a value of the wrong type, an unknown key and invalid TOML; the
        key's path and the typed value are kept; English with --lang en."""
        bad = tmp_path / "r.toml"
        bad.write_text('schema_version = 1\nid = 5\ntitle_vi = "x"\ncolour = "red"\n',
                       encoding="utf-8")
        code, _, err = run("rules", "check", str(bad), "--examples", "1")
        assert code == 3
        assert "  - id: cần chữ (text), nhưng tệp ghi 5" in err
        assert "  - source: thiếu khóa bắt buộc 'source'" in err
        assert "khóa 'colour' không có trong định dạng tệp quy định" in err
        assert "missing required key" not in err and "expected text" not in err
        code, _, err = run("rules", "check", str(bad), "--examples", "1", "--lang", "en")
        assert "missing required key 'source'" in err and "expected text, got 5" in err
        syntax = tmp_path / "s.toml"
        syntax.write_text('id = "x\n', encoding="utf-8")
        code, _, err = run("rules", "check", str(syntax))
        assert code == 3 and "tệp TOML không hợp lệ: lỗi cú pháp ở dòng 1" in err
        assert "invalid TOML" not in err

    def test_rules_show_of_a_broken_file_says_it_in_vietnamese(self, tmp_path: Path) -> None:
        bad = tmp_path / "r.toml"
        bad.write_text('schema_version = 1\nid = 5\n', encoding="utf-8")
        code, _, err = run("rules", "show", str(bad))
        assert code == 3 and "lỗi trong bộ quy định:" in err
        assert "  - id: cần chữ (text), nhưng tệp ghi 5" in err and "problems" not in err

"""The Vietnamese pages quote the command line as it speaks now (af236).

docs/vi/cli.md and docs/vi/classification.md show what ``validate`` says of a month's
``exceptional`` under NĐ 335/2025 (the catalogue's ``workflow.exceptional_unclassified``),
what ``annual --unit-grades`` says of a Hà Nội unit marked ``exceptional`` for the year
(``foreign.unit.flag_unread``) and what ``validate`` says of a customs quarter on leave with
scores (``foreign.leave_scored``, a quarter). Each command is run here on the inputs the
page names, and every line it prints must stand, word for word, on the page: a catalogue
sentence reworded, or an input changed, fails until the page is brought up to date.
docs/vi/organisation.md's example (af240) is checked the same way: its files, the JSON
``evalkit org`` writes of them and the problems it prints.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import shlex
import shutil
from pathlib import Path

import pandas as pd
import pytest

import evalkit
from evalkit.cli import main
from evalkit.io.archive import Archive
from tests._io_helpers import filled_workbook

DOCS = Path(__file__).resolve().parent.parent / "docs" / "vi"


def _said(*argv: str) -> list[str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        main(list(argv), stdout=out)
    return [line for line in (out.getvalue() + err.getvalue()).splitlines() if line]


def _page_lines(page: str) -> set[str]:
    return {line.strip() for line in (DOCS / page).read_text(encoding="utf-8").splitlines()}


def _month_marked_exceptional() -> list[str]:
    marks = evalkit.rules.get("vn.nd335-2025").full_marks()
    rows = [{"staff_id": f"CV-0{i}", "full_name": f"Người {i}", "position_id": "CV",
             "unit_id": "P1", **marks} for i in range(1, 4)]  # fmt: skip
    filled_workbook(Path("thang-03.xlsx"), rows, period="2026-03", rules="vn.nd335-2025",
                    units=[{"unit_id": "P1", "name": "Phòng 1", "exceptional": "x"}])
    return ["validate", "thang-03.xlsx"]


def _hanoi_year_marked_exceptional() -> list[str]:
    rs = evalkit.rules.get("hanoi.3814-2018")
    staff = pd.DataFrame([{"staff_id": f"S{i:02d}", "full_name": f"Người {i}", "unit_id": "A",
                           "period": "2026-03", "category": "hop_dong", "rule_set": rs.id,
                           **rs.full_marks()} for i in range(20)])  # fmt: skip
    units = pd.DataFrame([{"unit_id": "A", "period": "2026-03", "tasks_assigned": 10,
                           "tasks_done": 10}])  # fmt: skip
    st, ut = evalkit.classify_frame(staff, units)
    results = pd.concat([staff, st[[c for c in st.columns if c not in staff]]], axis=1)
    results.attrs["rule_set"] = rs.id
    with Archive(Path("ha-noi.sqlite")) as arc:
        arc.finalize(results, by="TCCB", units=ut)
    Path("xep-loai-don-vi.csv").write_text("unit_id,exceptional\nA,x\n", encoding="utf-8")
    return ["annual", "--year", "2026", "--archive", "ha-noi.sqlite", "--unit-grades",
            "xep-loai-don-vi.csv"]


def _customs_quarter_on_leave() -> list[str]:
    marks = evalkit.rules.get("vn.customs-2026q").full_marks()
    with open("quy-3.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["staff_id", "full_name", "unit_id", "period", "category", *marks, "leave"])
        for sid, leave in (("HQ-01", ""), ("HQ-02", "ốm")):
            w.writerow([sid, "Người", "P1", "2026-Q3", "cong_chuc", *marks.values(), leave])
    return ["validate", "quy-3.csv", "--rules", "vn.customs-2026q", "--period", "2026-Q3"]


@pytest.mark.parametrize(("make", "pages", "expected"), [
    (_month_marked_exceptional, ["cli.md"], "Lưu ý — đơn vị P1, kỳ 2026-03:"),
    (_hanoi_year_marked_exceptional, ["cli.md"], "không xét điều kiện này"),
    (_customs_quarter_on_leave, ["classification.md"], "quý nghỉ theo quy định (ốm)")],
    ids=["month-exceptional", "hanoi-year-exceptional", "quarter-on-leave"])
def test_every_line_the_command_prints_is_on_the_page(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      make, pages: list[str],
                                                      expected: str) -> None:
    monkeypatch.chdir(tmp_path)
    said = _said(*make())
    assert any(expected in line for line in said), said  # the case the page shows
    for page in pages:
        assert [line for line in said if line.strip() not in _page_lines(page)] == [], page


def test_the_organisation_pages_files_and_problems_are_what_org_makes_and_says(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """docs/vi/organisation.md (af240) shows three CSV files, the ``to-chuc.json`` that
    ``evalkit org`` makes of them and what it says when ``TP-01`` is put in ``SNV`` and
    ``CV-03``'s position mistyped: the files are the English page's, the JSON is the file
    written, and the problems are printed word for word as the page shows them."""
    from tests.test_cli_walk import doc_files, doc_output

    page = DOCS / "organisation.md"
    files = doc_files(page)
    english = doc_files(DOCS.parent / "organisation.md")
    assert files == english  # the same example as the English page
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EVALKIT_LANG", raising=False)
    for name in ("don-vi.csv", "vi-tri.csv", "nhan-su.csv"):
        Path(name).write_text(files[name], encoding="utf-8")
    args = ["org", "--units", "don-vi.csv", "--positions", "vi-tri.csv", "--staff",
            "nhan-su.csv", "--out", "to-chuc.json"]  # fmt: skip
    _said(*args)
    assert json.loads(Path("to-chuc.json").read_text(encoding="utf-8")) == json.loads(
        files["to-chuc.json"])  # fmt: skip
    Path("to-chuc.json").unlink()
    staff = files["nhan-su.csv"].replace(
        "TP-01,Nguyễn Thị Hồng,Trưởng phòng,truong_phong,TCCB",
        "TP-01,Nguyễn Thị Hồng,Trưởng phòng,truong_phong,SNV",
    ).replace("CV-03,Đỗ Minh Châu,,chuyen_vien", "CV-03,Đỗ Minh Châu,,chuyen_vienn")
    Path("nhan-su.csv").write_text(staff, encoding="utf-8")
    said = _said(*args)
    assert not Path("to-chuc.json").exists()
    assert any("'chuyen_vienn'" in line for line in said), said
    assert said == doc_output(page).splitlines()


def _console(page: str) -> list[tuple[list[str], list[str]]]:
    """Each ``$ evalkit …`` command of the page's console blocks, as argv, with the lines
    the page shows after it."""
    text = (DOCS / page).read_text(encoding="utf-8")
    out: list[tuple[list[str], list[str]]] = []
    for indent, block in re.findall(r"^([ \t]*)```console\n(.*?)^\1```", text,
                                    flags=re.S | re.M):  # fmt: skip
        for line in (line.removeprefix(indent) for line in block.splitlines()):
            if line.startswith("$ "):
                out.append((shlex.split(line[2:]), []))
            elif out:
                out[-1][1].append(line)
    return [(argv[1:], shown) for argv, shown in out if argv[0] == "evalkit"]


def _shown(page: str, command: str) -> list[tuple[list[str], list[str]]]:
    found = [(argv, shown) for argv, shown in _console(page) if argv[0] == command]
    assert found, f"docs/vi/{page} shows no `evalkit {command}`"
    return found


def _march_archive(name: str) -> None:
    """The month of the page's amend example: CC-01 … CC-03 at full marks, finalized."""
    marks = evalkit.rules.get("vn.nd335-2025").full_marks()
    rows = [{"staff_id": f"CC-0{i}", "full_name": f"Người {i}", "position_id": "CV",
             "unit_id": "P1", **marks} for i in range(1, 4)]  # fmt: skip
    filled_workbook(Path("thang-03.xlsx"), rows, period="2026-03", rules="vn.nd335-2025",
                    units=[{"unit_id": "P1", "name": "Phòng 1"}])
    code = main(["finalize", "thang-03.xlsx", "--by", "TCCB", "--archive", name],
                stdout=io.StringIO())  # fmt: skip
    assert code == 0


def test_the_amend_examples_say_what_amend_says(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/vi/cli.md (af240): `amend` of an id in another case, of a value the person
    already has, then a real correction — each command as the page writes it, its every
    line as the page shows it; and the `--json` example is the document `amend` prints."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EVALKIT_LANG", raising=False)
    shown = _shown("cli.md", "amend")
    archives = {argv[argv.index("--archive") + 1] for argv, _ in shown}
    assert len(archives) == 1
    _march_archive(archives.pop())
    printed = [(argv, lines) for argv, lines in shown if "--json" not in argv]
    assert len(printed) == 3
    for argv, lines in printed:
        assert _said(*argv) == [line for line in lines if line], argv
    [(argv, _)] = [(a, s) for a, s in shown if "--json" in a]
    out = io.StringIO()
    assert main(argv, stdout=out) == 1
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    [line] = [x for x in text.splitlines() if x.startswith("$ evalkit amend") and "--json" in x]
    after = text[text.index(line):]
    document = re.search(r"```json\n(.*?)```", after, flags=re.S)
    assert document is not None
    assert json.loads(out.getvalue()) == json.loads(document.group(1))


def test_the_archive_verify_examples_say_what_verify_says(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """docs/vi/cli.md (af240): `archive verify` of a schema 3 file (tests/data's Hà Nội
    2025) after `annual` opened it for writing lists each month's seal and the seals
    printed before the upgrade, and `--seal` names the month of one: every line the page
    shows is a line the command prints, the upgrade's time aside (it is the run's)."""
    from tests.test_archive_category import V3

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EVALKIT_LANG", raising=False)
    shown = _shown("cli.md", "archive")
    [name] = {argv[2] for argv, _ in shown}
    shutil.copyfile(V3, name)
    assert main(["annual", "--year", "2025", "--archive", name], stdout=io.StringIO()) == 0
    page_time = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")
    for argv, lines in shown:
        said = _said(*argv)
        [when] = {t for line in said for t in page_time.findall(line)}
        [page_when] = {t for line in lines for t in page_time.findall(line)}
        said = [line.replace(when, page_when) for line in said]
        expected = [line for line in lines if line and line != "…"]
        assert len(expected) >= 2 or "--seal" in argv
        assert [line for line in expected if line not in said] == [], argv

"""The walk of docs/monthly-script.md (and its Vietnamese twin), run exactly with the
command line, with a workbook typed like a person would — mistakes, then corrections —
and the CLI's answers compared with the object path's (``evalkit.classify_organisation``)
for the same people (issue 13 point 6 and issue 15's Done-when)."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import shlex
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

import evalkit
from evalkit.io.jsonio import read_json
from evalkit.io.results import read_results
from evalkit.io.workbook import SCORES_SHEET, UNITS_SHEET
from evalkit.units import UnitInputs, results_from_frame
from tests._cli_helpers import run
from tests._io_helpers import header_ids

ROOT = Path(__file__).resolve().parent.parent
DOCS = {"en": ROOT / "docs" / "monthly-script.md", "vi": ROOT / "docs" / "vi" / "monthly-script.md"}
RULES = "vn.nd335-2025"
#: Commands of the archive (finalize, amend, annual, archive): run by the archive's tests.
ARCHIVE_COMMANDS = {"finalize", "amend", "annual", "archive"}


# =========================================================================== the doc


def doc_commands(page: Path) -> list[list[str]]:
    """Every `evalkit …` command of the page's ``sh`` blocks, in order, as argv lists."""
    text = page.read_text(encoding="utf-8")
    out: list[list[str]] = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        joined = re.sub(r"\\\n\s*", " ", block)
        for raw in joined.splitlines():
            line = raw.strip()
            if line.startswith("evalkit "):
                out.append(shlex.split(line, comments=True)[1:])
    return out


def doc_files(page: Path) -> dict[str, str]:
    """The example files the page shows (```csv title="don-vi.csv" …)."""
    text = page.read_text(encoding="utf-8")
    return dict(re.findall(r'```\w+ title="([^"]+)"\n(.*?)```', text, flags=re.S))


def doc_output(page: Path) -> str:
    """The example output of `evalkit validate` the page shows (the first text block)."""
    text = page.read_text(encoding="utf-8")
    return re.findall(r"```text\n(.*?)```", text, flags=re.S)[0]


def test_both_pages_run_the_same_commands() -> None:
    """The Vietnamese page is the twin of the English one: same commands (the archive's
    own examples aside), same files, same example output."""

    def month(page: Path) -> list[list[str]]:
        return [c for c in doc_commands(page) if c[0] not in ARCHIVE_COMMANDS]

    assert month(DOCS["vi"]) == month(DOCS["en"])
    assert doc_files(DOCS["vi"]) == doc_files(DOCS["en"])
    assert doc_output(DOCS["vi"]) == doc_output(DOCS["en"])
    # the archive's commands too, on the page's own people and finalized month (audit af25:
    # the amendment named 'CC-3' of 2026-02, neither on the page)
    assert doc_commands(DOCS["vi"]) == doc_commands(DOCS["en"])
    staff = {line.split(",")[0] for line in doc_files(DOCS["en"])["nhan-su.csv"].splitlines()}
    for c in doc_commands(DOCS["en"]):
        if c[0] == "amend":
            assert c[c.index("--staff") + 1] in staff and c[c.index("--period") + 1] == "2026-03"


# =========================================================================== the person


GENERAL = ("pham_chat_dao_duc", "ky_luat_ky_cuong", "nang_luc_chuyen_mon", "dap_ung_nhiem_vu",
           "tinh_than_trach_nhiem", "phuc_vu_phoi_hop", "san_pham_dot_pha",
           "nhiem_vu_kho_khan", "chiu_trach_nhiem", "chu_dong_quyet_dinh")  # fmt: skip
MAX = {"pham_chat_dao_duc": 5.0, "ky_luat_ky_cuong": 5.0} | dict.fromkeys(GENERAL[2:], 2.5)
LEADERS = {"GD-01", "TP-01"}


def general(minus: float) -> dict[str, float]:
    """The general criteria at their maxima, the last four ``minus`` points each."""
    return {c: MAX[c] - (minus if i >= 6 else 0.0) for i, c in enumerate(GENERAL)}


def scores(month: int) -> dict[str, dict[str, Any]]:
    """What each level types for each person in ``month``: scores by level, words, facts."""
    m = month
    people: dict[str, dict[str, Any]] = {
        "GD-01": {
            "self": {**general(0), "so_luong": 100, "chat_luong": 95, "tien_do": 95,
                     "to_chuc_trien_khai": 100, "tap_hop_doan_ket": 100},
            "competent": {"tien_do": 90},
            "self_comment": "Lãnh đạo Sở hoàn thành các nhiệm vụ trọng tâm của tháng.",
            "self_grade": "HTXS",
            "competent_comment": "Đồng ý với tự đánh giá.",
        },
        "TP-01": {
            "self": {**general(0), "so_luong": 95, "chat_luong": 95, "tien_do": 90,
                     "to_chuc_trien_khai": 100, "tap_hop_doan_ket": 100},
            "manager": {**general(0.5), "so_luong": 90, "chat_luong": 90, "tien_do": 85,
                        "to_chuc_trien_khai": 100, "tap_hop_doan_ket": 50},
            "self_comment": "Chỉ đạo phòng hoàn thành kế hoạch tháng.",
            "self_grade": "HTXS", "manager_grade": "HTT",
            "manager_comment": "Cần tăng cường phối hợp trong phòng.",
        },
        "CV-01": {
            "self": {**general(0), "so_luong": 100, "chat_luong": 100, "tien_do": 100},
            "manager": {**general(0), "so_luong": 95, "chat_luong": 100, "tien_do": 95},
            "self_comment": "Hoàn thành vượt mức các hồ sơ được giao.",
            "self_grade": "HTXS", "manager_grade": "HTXS",
        },
        "CV-02": {
            "self": {**general(0.5), "so_luong": 90, "chat_luong": 90, "tien_do": 80},
            "manager": {**general(1), "so_luong": 80, "chat_luong": 75, "tien_do": 70,
                        "loi_chat_luong": 1 if m == 2 else 0},
            "competent": {"chat_luong": 70},
            "self_grade": "HTT", "manager_grade": "HTT",
            "competent_grade": "HT",
            "competent_reason": "Một hồ sơ phải làm lại theo kết luận kiểm tra công vụ.",
            "discipline": 1 if m == 3 else 0,
        },
        "CV-03": {
            "self": {**general(0.5), "so_luong": 85, "chat_luong": 90, "tien_do": 75},
            "manager": {**general(1.5), "so_luong": 80, "chat_luong": 85, "tien_do": 60,
                        "cham_tien_do": 1},
            "self_grade": "HTT", "manager_grade": "HT",
            "manager_comment": "Còn chậm tiến độ một hồ sơ.",
        },
    }
    if m == 1:  # on sick leave the whole month: nobody scored her
        people["CV-03"] = {"leave": "ốm"}
    return people


UNITS = {"SNV": {"tasks_assigned": 12, "tasks_done": 12, "self_score": 95},
         "TCCB": {"tasks_assigned": 30, "tasks_done": 27, "tasks_on_time": 25,
                  "self_score": 88}}  # fmt: skip

#: The mistakes typed in March: (staff, column, wrong value).
MISTAKES = (
    ("CV-01", "self__pham_chat_dao_duc", 6),
    ("CV-02", "manager__so_luong", "chín mươi"),
    ("CV-03", "manager__tien_do", dt.datetime(2026, 3, 15)),
    ("TP-01", "self_grade", "XS"),
)
#: …and the cell left blank: CV-03's quality at every level.
BLANK = ("CV-03", "chat_luong")


def type_month(path: Path, month: int, *, mistakes: bool) -> None:
    """Open the workbook and type the month like a person: scores of each level, words,
    grades, facts, the units' results; with ``mistakes`` the wrong values too."""
    wb = openpyxl.load_workbook(path)
    ws = wb[SCORES_SHEET]
    ids = header_ids(ws)
    col = {cid: i + 1 for i, cid in enumerate(ids) if cid}
    rows = {ws.cell(row=r, column=col["staff_id"]).value: r for r in range(2, ws.max_row + 1)}
    for sid, data in scores(month).items():
        r = rows[sid]
        for level in ("self", "manager", "competent"):
            for crit, value in data.get(level, {}).items():
                if mistakes and (sid, crit) == BLANK:
                    continue
                cell = ws.cell(row=r, column=col[f"{level}__{crit}"])
                cell.value = (str(value).replace(".", ",") if isinstance(value, float)
                              and value % 1 else value)  # a decimal comma, as people type it
                cell.number_format = "General"  # what the problem says to do with a date
        for key, value in data.items():
            if key not in ("self", "manager", "competent"):
                ws.cell(row=r, column=col[key]).value = value
    if mistakes:
        for sid, cid, wrong in MISTAKES:
            ws.cell(row=rows[sid], column=col[cid]).value = wrong
    units = wb[UNITS_SHEET]
    uids = header_ids(units)
    ucol = {cid: i + 1 for i, cid in enumerate(uids) if cid}
    for r in range(2, units.max_row + 1):
        uid = units.cell(row=r, column=ucol["unit_id"]).value
        for key, value in UNITS.get(uid, {}).items():
            units.cell(row=r, column=ucol[key]).value = value
    wb.save(path)


# =========================================================================== the object path


def assessments(month: int) -> list[evalkit.Assessment]:
    """What each level typed in ``month``, as the Python objects."""
    period = f"2026-{month:02d}"
    out = []
    for sid, d in scores(month).items():
        out.append(evalkit.Assessment(
            sid, period,
            self_scores=d.get("self", {}), manager_scores=d.get("manager", {}),
            competent_scores=d.get("competent", {}),
            self_comment=d.get("self_comment", ""), manager_comment=d.get("manager_comment", ""),
            competent_comment=d.get("competent_comment", ""),
            proposed_grade=d.get("self_grade"), manager_grade=d.get("manager_grade"),
            competent_grade=d.get("competent_grade"),
            competent_reason=d.get("competent_reason", ""),
            discipline=d.get("discipline", 0),
            leave={"ốm": "sick"}.get(d.get("leave", ""), ""),
        ))  # fmt: skip
    return out


def object_path(org: evalkit.Organisation, month: int) -> dict[str, evalkit.EvaluationResult]:
    """The same month through the Python objects: Assessments, UnitInputs,
    ``evalkit.classify_organisation``."""
    period = f"2026-{month:02d}"
    units = [UnitInputs(u, period, **v) for u, v in UNITS.items()]
    by_unit = evalkit.classify_organisation(org, assessments(month), units, RULES, period=period)
    return {r.staff_id: r for c in by_unit.values() for r in c.staff}


def reasons_of(r: evalkit.EvaluationResult) -> list[tuple[str, str, str, str]]:
    return [(x.code, x.message_vi, x.message_en, x.source) for x in r.reasons]


def assert_same_answers(results_json: Path, org: evalkit.Organisation, month: int) -> None:
    """The CLI's results file gives what the object path gives, person by person."""
    frame = read_results(results_json)
    cli = {r.staff_id: r for r in results_from_frame(frame)}
    obj = object_path(org, month)
    assert set(cli) == set(obj) == {s.id for s in org.staff}
    rows = frame.set_index("staff_id")
    for sid, want in obj.items():
        got = cli[sid]
        assert (got.total, got.score_grade, got.grade, got.proposed_grade, got.classified) == (
            want.total, want.score_grade, want.grade, want.proposed_grade, want.classified), sid
        assert dict(got.level_totals) == dict(want.level_totals), sid
        assert reasons_of(got) == reasons_of(want), sid
        typed = scores(month)[sid]
        for col in ("self_grade", "manager_grade", "competent_grade"):
            value = rows.loc[sid, col] if col in rows.columns else None
            assert (None if value is None or pd.isna(value) else str(value)) == typed.get(col), (
                sid, col)
        for col in ("self_comment", "manager_comment", "competent_comment", "competent_reason"):
            value = rows.loc[sid, col]
            assert (value if isinstance(value, str) else "") == typed.get(col, ""), (sid, col)
    # every sentence carries its short legal citation
    assert all(x.source for r in cli.values() for x in r.reasons if x.code != "not_evaluated")


# =========================================================================== running




@contextlib.contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def for_month(args: list[str], month: int) -> list[str]:
    """A March command of the page, for ``month``."""
    mm = f"{month:02d}"
    return [a.replace("2026-03", f"2026-{mm}").replace("-03.", f"-{mm}.")
            .replace("-03/", f"-{mm}/") for a in args]  # fmt: skip


def has_render() -> bool:
    import importlib.util

    if importlib.util.find_spec("weasyprint") is None:
        return False
    import evalkit.render

    return hasattr(evalkit.render, "sheets_from_results")


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_monthly_script_gives_the_object_paths_answers(
    lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/monthly-script.md, three months: org → template → fill (mistakes) → validate
    (every mistake, in Vietnamese) → fill (corrected) → validate → score → classify →
    render; the results equal classify_organisation's; a second template refuses; every
    file is readable by group and others under umask 022."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EVALKIT_LANG", raising=False)
    page = DOCS[lang]
    for name, content in doc_files(page).items():
        Path(name).write_text(content, encoding="utf-8")
    commands = doc_commands(page)
    verbs = [c[0] for c in commands]
    assert verbs[:6] == ["org", "template", "validate", "score", "classify", "render"]
    render_ok = has_render()
    with umask(0o022):
        code, _, err = run(*commands[0])
        assert code == 0, err
        org = read_json("to-chuc.json", evalkit.Organisation)
        assert isinstance(org, evalkit.Organisation)
        for month in (1, 2, 3):
            for command in commands[1:]:
                args = for_month(command, month)
                verb = args[0]
                if verb in ARCHIVE_COMMANDS or ("--period" in args and "Q" in \
                        args[args.index("--period") + 1]):  # fmt: skip
                    continue
                if verb == "template":
                    code, _, err = run(*args)
                    assert code == 0, err
                    book = Path(args[-1])
                    type_month(book, month, mistakes=month == 3)
                    if month == 3:
                        before = hashlib.sha256(book.read_bytes()).hexdigest()
                        code, _, err = run(*args)  # the same command again: refused
                        assert code == 1 and "không ghi đè" in err
                        assert hashlib.sha256(book.read_bytes()).hexdigest() == before
                    continue
                if verb == "validate" and month == 3:
                    code, _, err = run(*args)
                    assert code == 1
                    assert err == doc_output(page)  # the page shows exactly this
                    type_month(book, month, mistakes=False)
                code, out, err = run(*args)
                if verb == "render" and not render_ok:
                    assert code == 4 and "sheets_from_results" in err
                    continue
                assert code == 0, (args, err)
                if verb == "validate":
                    assert "không có lỗi" in out
                if verb == "classify":
                    assert_same_answers(Path(args[args.index("--out") + 1]), org, month)
                if verb == "render":
                    target = Path(args[args.index("--out") + 1])
                    assert sorted(p.name[:7] for p in target.glob("*.pdf")) == ["2026-" + f"{month:02d}"] * 5
        quarter = next(c for c in commands if "--period" in c and "2026-Q1" in c)
        code, _, err = run(*quarter)
        if render_ok:
            assert code == 0, err
            assert len(list(Path("quy-1").glob("*.pdf"))) == 5
        else:
            assert code == 4
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written
    for p in written:
        mode = stat.S_IMODE(p.stat().st_mode)
        assert mode & 0o044 == 0o044, (p, oct(mode))


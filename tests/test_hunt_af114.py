"""Hunt af114: a Vietnamese run of the command line says everything in Vietnamese.

Every command was driven with its common failures in the default language (an unknown
rule set, no set in force for a staff group or a period, a bad period, a missing file, an
unknown staff id, a month not archived, a bad ``--set``, a rule file with errors, click's
usage errors); the lines below said English sentences, each now said from the catalogue
(evalkit/messages.py) in the run's language, the library's English unchanged:

* ``template --org`` of contract staff (hop_dong) in 2026-03, and of công chức in 2010-03:
  the registry's "no rule set is in force for hop_dong in 2026-03 (jurisdiction 'vn'). In
  force on … there: …" (evalkit/rules/_registry.py) — now ``rules.no_set``, which also names
  ``--rules``/``--force`` on the command line instead of Python's ``rules=``/``force=True``;
* ``rules diff --data`` a missing file or archive, an archive with no finalized month, data
  lacking a criterion of OLD or NEW, and every note it prints (``--json`` ``notes`` too):
  evalkit/impact.py's English sentences — now ``foreign.impact.*``.

The oracle is the rule of the brief (docs/cli.md "Language"): no English sentence in a
Vietnamese run, and the Vietnamese sentence present (written here by hand, not copied).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import evalkit
from evalkit.io.archive import Archive
from tests._cli_helpers import run
from tests._io_helpers import filled_workbook, person

#: Common English words: three of them on a line make an English sentence.
_WORDS = re.compile(r"\b(the|is|not|for|in force|unknown|must|expected|cannot|file|no|of|"
                    r"to|and|or|there|does|which|data|have|needs|rule|set|archive|pass|"
                    r"with|compared|taken|ignores|scores|workbook|finalized|month)\b")


def english_lines(said: str) -> list[str]:
    """The lines with ≥ 3 English words outside quoted values, `code` and paths."""
    out = []
    for line in said.splitlines():
        plain = re.sub(r"'[^']*'|\"[^\"]*\"|`[^`]*`|\S*/\S*|--[a-z-]+", "", line)
        if len(_WORDS.findall(plain)) >= 3:
            out.append(line)
    return out


def test_the_detector_catches_english_and_spares_vietnamese() -> None:
    assert english_lines("Lỗi: no rule set is in force for hop_dong in 2026-03")
    assert english_lines("  - /x.sqlite: the archive does not exist")
    assert not english_lines("Lỗi: không có bộ quy định 'no.such' (tệp /tmp/a.toml)")
    assert not english_lines("lưu ý: sổ tính t.xlsx")


UNITS = "unit_id,name,parent_id,head_id\nP1,Phòng 1,,L1\n"
POSITIONS = "position_id,title,manages_others\nTP,Trưởng phòng,x\nCV,Chuyên viên,\n"


def _org(folder: Path, category: str) -> Path:
    (folder / "u.csv").write_text(UNITS, encoding="utf-8")
    (folder / "p.csv").write_text(POSITIONS, encoding="utf-8")
    (folder / "s.csv").write_text(
        "staff_id,full_name,position_id,unit_id,manager_id,category\n"
        f"L1,Người L1,TP,P1,,{category}\nA,Người A,CV,P1,L1,{category}\n", encoding="utf-8")
    org = folder / f"org-{category}.json"
    code, out, err = run("org", "--units", str(folder / "u.csv"), "--positions",
                         str(folder / "p.csv"), "--staff", str(folder / "s.csv"), "--out",
                         str(org))  # fmt: skip
    assert code == 0, (out, err)
    return org


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("af114")
    wb = filled_workbook(d / "t.xlsx", [
        person("L1", manages_others="x", to_chuc_trien_khai=100, tap_hop_doan_ket=100),
        person("A", manager_id="L1")], units=[{"unit_id": "P1", "name": "Phòng 1",
                                               "head_id": "L1"}])  # fmt: skip
    results = d / "r.json"
    assert run("classify", str(wb), "--out", str(results), "--force")[0] == 0
    archive = d / "a.sqlite"
    assert run("finalize", str(results), "--by", "X", "--archive", str(archive))[0] == 0
    extbad = d / "extbad.toml"
    extbad.write_text('extends = "vn.nosuch"\nid = "agency.y"\n', encoding="utf-8")
    csv_hd = d / "hd.csv"
    csv_hd.write_text("staff_id,full_name,position_id,unit_id,category,chat_luong\n"
                      "A,Người A,CV,P1,hop_dong,5\n", encoding="utf-8")
    empty = d / "e.sqlite"
    with Archive(empty):
        pass
    return {"dir": d, "wb": wb, "archive": archive, "empty": empty, "extbad": extbad,
            "csv_hd": csv_hd,
            "org_hd": _org(d, "hop_dong"), "org_cc": _org(d, "cong_chuc")}


#: name → (argv with {placeholders}, exit code, Vietnamese sentences said, by hand).
CASES: dict[str, tuple[list[str], int, list[str]]] = {
    # docs/cli.md: no national set for contract staff; exit 3 (a rule-set error)
    "template-hop-dong-no-set": (
        ["template", "--org", "{org_hd}", "--period", "2026-03", "{dir}/hd.xlsx"], 3,
        ["không có bộ quy định nào có hiệu lực đối với người lao động hợp đồng (hop_dong) "
         "trong kỳ 2026-03",
         "Chưa có văn bản trung ương quy định việc đánh giá người lao động hợp đồng",
         "--rules TỆP.toml", "--force"]),
    # no set at all before NĐ 90/2020's date for công chức: "không có" in force there
    "template-cong-chuc-2010-no-set": (
        ["template", "--org", "{org_cc}", "--period", "2010-03", "{dir}/cc.xlsx"], 3,
        ["không có bộ quy định nào có hiệu lực đối với công chức (cong_chuc) trong kỳ "
         "2010-03", "Các bộ có hiệu lực tại đó ngày 2010-03-01: không có."]),
    "diff-missing-data": (
        ["rules", "diff", "vn.nd335-2025", "vn.nd233-2026", "--data", "{dir}/none.xlsx"], 1,
        ["tệp dữ liệu không tồn tại"]),
    "diff-missing-archive": (
        ["rules", "diff", "vn.nd335-2025", "vn.nd233-2026", "--data", "{dir}/none.sqlite"],
        1, ["tệp lưu trữ không tồn tại"]),
    "diff-empty-archive": (
        ["rules", "diff", "vn.nd335-2025", "vn.nd233-2026", "--data", "{empty}"], 1,
        ["tệp lưu trữ chưa có tháng nào được chốt"]),
    # NĐ 90/2020 needs criteria an NĐ 335/2025 workbook lacks: named, with the --fill to use
    "diff-criterion-missing": (
        ["rules", "diff", "vn.nd335-2025", "vn.nd90-2020", "--data", "{wb}"], 1,
        ["bộ quy định 'vn.nd90-2020' (NEW) cần tiêu chí 'chinh_tri' (Chính trị tư tưởng) "
         "nhưng dữ liệu không có; để lấy điểm từ 'block:general', thêm --fill "
         "chinh_tri=block:general"]),
    # the notes of a comparison that runs: the source and the year's classification
    "diff-archive-notes": (
        ["rules", "diff", "vn.nd335-2025", "vn.nd233-2026", "--data", "{archive}"], 0,
        ["lưu ý: tệp lưu trữ a.sqlite: các tháng đã chốt 2026-03",
         "lưu ý: so sánh theo kết quả xếp loại năm"]),
    "diff-workbook-notes": (
        ["rules", "diff", "vn.nd335-2025", "vn.nd233-2026", "--data", "{wb}"], 0,
        ["lưu ý: sổ tính t.xlsx"]),
    # the demo's công chức have NĐ 335's counts of events, which NĐ 233/2026 does not score
    "diff-demo-notes": (
        ["rules", "diff", "vn.nd335-2025", "vn.nd233-2026", "--data", "demo"], 0,
        ["lưu ý: dữ liệu mẫu: công chức của cơ quan mẫu đi kèm evalkit",
         # (af206: the sets by their citation, the criteria by their labels — NĐ 335's
         # group "Lỗi và chậm tiến độ" whole — as on the Vietnamese page)
         "lưu ý: NĐ 233/2026/NĐ-CP (bộ sau) không chấm các tiêu chí của nhóm “Lỗi và chậm "
         "tiến độ trong tháng (tháng có một sản phẩm)”; “Sẵn sàng thực hiện nhiệm vụ đặc biệt "
         "quan trọng, đột xuất, phức tạp hoặc trong điều kiện khó khăn”, là tiêu chí mà "
         "NĐ 335/2025/NĐ-CP (bộ trước) chấm"]),
    # NĐ 90 → NĐ 233 on the demo: NĐ 335's nhiem_vu_kho_khan (not in NĐ 233's Phụ lục I)
    # and its counts are scored by neither set, said in Vietnamese too
    "diff-demo-neither": (
        ["rules", "diff", "vn.nd90-2020", "vn.nd233-2026", "--data", "demo"], 0,
        ["lưu ý: cả NĐ 90/2020/NĐ-CP, sửa đổi bởi NĐ 48/2023/NĐ-CP (bộ trước) và NĐ "
         "233/2026/NĐ-CP (bộ sau) đều không chấm “Số lần chậm tiến độ”; “Số lần sản phẩm "
         "không đạt yêu cầu do lỗi lớn”; “Sẵn sàng thực hiện nhiệm vụ đặc biệt quan trọng, "
         "đột xuất, phức tạp hoặc trong điều kiện khó khăn”: điểm của dữ liệu ở các tiêu chí "
         "đó không được tính theo bộ nào"]),
    # NĐ 90/2020 from the demo: its criteria filled from NĐ 335's, each fill said
    "diff-demo-filled": (
        ["rules", "diff", "vn.nd90-2020", "vn.nd335-2025", "--data", "demo"], 0,
        ["lưu ý: NĐ 90/2020/NĐ-CP, sửa đổi bởi NĐ 48/2023/NĐ-CP (bộ trước) cần tiêu chí “(d) "
         "Kết quả hoạt động của đơn vị được giao lãnh đạo, quản lý” nhưng dữ liệu không có: "
         "lấy điểm của tiêu chí “(d) Kết quả hoạt động của lĩnh vực, bộ phận, đơn vị được "
         "giao lãnh đạo, quản lý, phụ trách”",
         "lưu ý: NĐ 90/2020/NĐ-CP, sửa đổi bởi NĐ 48/2023/NĐ-CP (bộ trước) cần các tiêu chí "
         "của nhóm “Tiêu chí chung” nhưng dữ liệu không có: mỗi tiêu chí được điền theo tỷ lệ "
         "điểm đạt được trên điểm tối đa của nhóm “Tiêu chí chung” của NĐ 335/2025/NĐ-CP"]),
    # a rule file extending an unknown preset: the place "(file F, key K)" in Vietnamese
    "rules-show-extends-unknown": (
        ["rules", "show", "{extbad}"], 3,
        ["`extends`: không có bộ quy định 'vn.nosuch' (tệp {extbad}, khóa extends)"]),
    # a CSV of contract staff in 2026-03 (its period given): no set in force for its group
    # is said, not "the CSV names no rule set; pass --rules or --period"
    "validate-csv-no-set": (
        ["validate", "{csv_hd}", "--period", "2026-03"], 1,
        ["không có bộ quy định nào có hiệu lực trong kỳ 2026-03 đối với nhóm hop_dong của "
         "tệp CSV; thêm --rules"]),
    # a template under NĐ 335/2025 for an organisation of contract staff: they are left
    # out, and no "--rules ?" is suggested for them
    "template-left-out-no-set": (
        ["template", "--rules", "vn.nd335-2025", "--period", "2026-03", "--org", "{org_hd}",
         "{dir}/lo.xlsx", "--force"], 0,
        ["không có bộ quy định nào có hiệu lực đối với họ trong kỳ 2026-03"]),
}

#: What a Vietnamese run must not say (the old words of the cases above).
NEVER = ["(file ", ", key ", "--rules ?", "thêm --rules hoặc --period"]


def _argv(args: list[str], files: dict[str, Path]) -> list[str]:
    return [a.format(**{k: str(v) for k, v in files.items()}) for a in args]


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_vietnamese_run_says_no_english_sentence(name: str, files: dict[str, Path]) -> None:
    args, code, said = CASES[name]
    got, out, err = run(*_argv(args, files))
    assert got == code, (out, err)
    assert english_lines(out + err) == [], out + err
    for words in said:
        assert words.format(**{k: str(v) for k, v in files.items()}) in out + err, (
            words, out + err)
    assert [w for w in NEVER if w in out + err] == [], out + err


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_json_of_a_vietnamese_run_says_no_english_sentence(
    name: str, files: dict[str, Path]
) -> None:
    """``--json``: the problems' messages, the hint and the notes in Vietnamese too."""
    args, code, _said = CASES[name]
    got, out, err = run(*_argv(args, files), "--json")
    assert got == code, (out, err)
    assert english_lines(err) == [], err
    if out.strip():
        doc = json.loads(out)
        words = [p.get("message", "") for p in doc.get("problems", [])]
        words += [doc.get("hint") or "", *doc.get("notes", [])]
        assert english_lines("\n".join(words)) == [], words


def test_english_runs_and_python_keep_the_english_sentence(files: dict[str, Path]) -> None:
    """The library's English is unchanged; ``--lang en`` names options, not Python."""
    with pytest.raises(evalkit.NoRuleSetError) as exc:
        evalkit.rules.for_period("hop_dong", "2026-03")
    text = str(exc.value)
    assert text.startswith("no rule set is in force for hop_dong in 2026-03 (jurisdiction "
                           "'vn'). In force on 2026-03-01 there: ")
    assert text.endswith("pass rules=\"agency.toml\" or register it with "
                         "evalkit.rules.load(\"agency.toml\", register=True); to apply a set "
                         "outside its dates, name it with force=True.")
    code, _out, err = run(*_argv(CASES["template-hop-dong-no-set"][0], files), "--lang", "en")
    assert code == 3
    assert "Error: no rule set is in force for hop_dong in 2026-03" in err
    assert "--rules FILE.toml" in err and "--force" in err and "force=True" not in err


def test_a_frame_row_without_a_set_in_force_is_said_in_vietnamese() -> None:
    """The frame doors keep the registry's sentence as a problem's text: said in
    Vietnamese where the problem is shown in Vietnamese (``located``), English as it was."""
    import pandas as pd

    from evalkit.messages import located
    from tests._io_helpers import GENERAL, TASKS

    rows = [{"staff_id": "A", "unit_id": "P1", "category": "hop_dong", "period": "2026-03",
             **GENERAL, **TASKS},
            {"staff_id": "B", "unit_id": "P1", "category": "cong_chuc", **GENERAL, **TASKS}]
    with pytest.raises(evalkit.InputError) as exc:
        evalkit.score_frame(pd.DataFrame(rows))
    a, b = sorted(exc.value.problems, key=lambda p: str(p.staff_id))
    assert str(a.message).startswith("no rule set is in force for hop_dong in 2026-03")
    said = located(a, "vi")
    assert "không có bộ quy định nào có hiệu lực đối với người lao động hợp đồng (hop_dong) " \
           "trong kỳ 2026-03" in said and english_lines(said) == []
    assert located(b, "vi").endswith("không có bộ quy định: dòng có nhóm đối tượng nhưng "
                                     "không có kỳ")

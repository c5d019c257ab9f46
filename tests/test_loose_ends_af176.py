"""Loose ends of issue 13 (af176): the CLI's ``--json`` and ``org`` words, and the
sentences and citations of the unit's shortcomings condition and the 6-month rule."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from evalkit import rules
from tests._cli_helpers import run

ND335 = "vn.nd335-2025"


# ------------------------------------------------ rules diff --json: problems as JSON


def _csv(tmp_path: Path, value: object = None) -> Path:
    """A CSV of August under NĐ 335 (two people, full marks); ``value`` typed in the first
    criterion of the first row."""
    nd = rules.get(ND335)
    frame = pd.DataFrame([{"staff_id": s, "period": "2026-08", **nd.full_marks()}
                          for s in ("A", "B")]).astype(object)  # fmt: skip
    if value is not None:
        frame.iloc[0, 2] = value
    path = tmp_path / ("bad.csv" if value is not None else "thang-08.csv")
    frame.to_csv(path, index=False)
    return path


def _cases(tmp_path: Path) -> dict[str, list[str]]:
    return {
        "a missing file": ["--data", str(tmp_path / "khong-co.csv")],
        "a period the data do not hold": ["--data", "demo", "--period", "2025"],
        "a bad cell under a named set": ["--data", str(_csv(tmp_path, "abc")), "--rules", ND335],
        "the years without unit_id": ["--data", str(_csv(tmp_path)), "--level", "year"],
    }


@pytest.mark.parametrize("case", ["a missing file", "a period the data do not hold",
                                  "a bad cell under a named set", "the years without unit_id"])
def test_rules_diff_json_gives_its_input_problems_as_json_with_the_same_exit_code(
        tmp_path: Path, case: str) -> None:  # fmt: skip
    """With ``--json`` every input problem is a JSON document on stdout (``ok`` false and
    ``problems``, as ``validate --json`` gives them), nothing on stderr, the exit code that
    of the text run (1); each problem's ``text`` is the line the text run prints."""
    args = ["--lang", "en", "rules", "diff", ND335, ND335, *_cases(tmp_path)[case]]
    code, out, err = run(*args)
    assert (code, out) == (1, "") and "problem" in err
    code_json, out_json, err_json = run(*args, "--json")
    assert (code_json, err_json) == (code, "")
    doc = json.loads(out_json)
    assert doc["ok"] is False and doc["problems"]
    for p in doc["problems"]:
        assert f"  - {p['text']}" in err.splitlines()
        assert {"message", "code", "file", "row", "column", "value"} <= set(p)


# ------------------------------------------------ org reads hidden rows: it scores nothing


def _hidden_row_book(tmp_path: Path) -> Path:
    """A month's workbook whose second person's row (row 3) is hidden in Excel."""
    import openpyxl

    from evalkit.io.workbook import SCORES_SHEET
    from tests._io_helpers import filled_workbook, person

    book = filled_workbook(tmp_path / "m.xlsx", [person("CC-1"), person("CC-2")],
                           units=[{"unit_id": "P1", "name": "Phòng 1", "tasks_assigned": 10,
                                   "tasks_done": 10, "tasks_on_time": 10}],
                           positions=[{"position_id": "CV", "title": "Chuyên viên"}])  # fmt: skip
    wb = openpyxl.load_workbook(book)
    wb[SCORES_SHEET].row_dimensions[3].hidden = True
    wb.save(book)
    return book


@pytest.mark.parametrize(("lang", "read", "scored"), [
    ("vi", "vẫn được đọc như mọi dòng khác", "chấm điểm"),
    ("en", "are read like every other row", "scored")])
def test_org_says_it_reads_hidden_rows_and_the_scoring_commands_that_they_score_them(
        tmp_path: Path, lang: str, read: str, scored: str) -> None:  # fmt: skip
    """``evalkit org`` builds the organisation and scores no one: its note on a hidden row
    says the row is read, never scored; ``validate`` (which scores) still says read and
    scored; both from the one catalogue entry ``cli.hidden``."""
    book = _hidden_row_book(tmp_path)
    code, _out, err = run("--lang", lang, "org", str(book))
    note = [line for line in err.splitlines() if "Excel" in line]
    assert code == 0 and len(note) == 1, err
    assert read in note[0] and scored not in note[0]
    code, _out, err = run("--lang", lang, "validate", str(book))
    note = [line for line in err.splitlines() if "Excel" in line]
    assert code == 0 and len(note) == 1 and scored in note[0], err


# ------------------------------------------------ NĐ 233 Điều 14: each sentence its clause

K1, K2 = "NĐ 233/2026/NĐ-CP, Điều 14 k1", "NĐ 233/2026/NĐ-CP, Điều 14 k2"


@pytest.mark.parametrize(("worked", "leave", "on_leave", "code", "cite"), [
    (5, "", 0, "rollup.too_few_months", K1),      # k1: under 6 months, not classified
    (0, "", 0, "rollup.no_months", K1),           # never scored: 0 months worked (k1)
    (0, "absent", 12, "rollup.no_months", K1),    # absence is not in k2's list
    (0, "sick", 12, "rollup.no_months", K2),      # k2: the time worked, of which there is none
    (0, "maternity", 12, "rollup.no_months", K2),
    (4, "sick", 2, "rollup.leave", K2),
])
def test_each_article_14_sentence_cites_the_clause_that_says_it(
        worked: int, leave: str, on_leave: int, code: str, cite: str) -> None:  # fmt: skip
    """NĐ 233/2026 Điều 14 k1: "chưa đủ 06 tháng không xếp loại chất lượng, trừ trường hợp
    quy định tại khoản 2"; k2: sick or maternity leave → "kết quả xếp loại chất lượng của
    thời gian làm việc thực tế". Fewer than 6 months, or none without such leave, cites
    k1; the leave, or a year on it with no month worked, k2 (both cited "k1, k2" before).
    The roll-up and the year's classification say it alike, in both languages."""
    from evalkit.reasons import explain
    from evalkit.units import classify_year, rollup_frame

    n = worked + on_leave or 1
    frame = pd.DataFrame({
        "staff_id": "VC", "unit_id": "K", "category": "vien_chuc",
        "period": [f"2027-{m:02d}" for m in range(1, n + 1)],
        "total": [85.0] * worked + [None] * (n - worked),
        "leave": [""] * worked + [leave] * (n - worked)})  # fmt: skip
    nd233 = rules.get("vn.nd233-2026")
    for out in (rollup_frame(frame, nd233), classify_year(frame, rules=nd233)):
        assert code in str(out["reasons"].iloc[0]).split(";")
        for lang in ("vi", "en"):
            said = [s for s in explain(out, lang=lang)[0] if s.endswith(f"({cite})")]
            other = K2 if cite == K1 else K1
            assert said and not any(other in s or "k1, k2" in s
                                    for s in explain(out, lang=lang)[0])  # fmt: skip


@pytest.mark.parametrize(("rule_set", "cite"), [("vn.nd90-2020", "NĐ 90/2020/NĐ-CP, Điều 2 k3"),
                                                ("vn.nd335-2025", "NĐ 335/2025/NĐ-CP, Điều 21")])
def test_nd90_and_nd335_keep_their_one_clause_for_the_same_codes(rule_set: str, cite: str) -> None:
    """NĐ 90/2020 Điều 2 k3 holds both the 6-month rule and the maternity exception (one
    clause, docs/_research/legal-sources.md §3); NĐ 335 has no 6-month rule (its
    too_few_months cites nothing) and Điều 21 classifies on the time actually worked."""
    from evalkit.reasons import make_reason

    rs = rules.get(rule_set)
    row = {"period": "2026", "leave_months": 12, "maternity_months": 0, "absent_months": 0}
    assert make_reason("rollup.no_months", rs, row).source == cite
    assert make_reason("rollup.no_months", rs, {"period": "2026"}).source == cite
    assert make_reason("rollup.too_few_months", rs, {"period": "2026"}).source == (
        cite if rule_set == "vn.nd90-2020" else "")


# ------------------------------------------------ the shortcomings condition in its set's words

#: each set's sentence (vi, en) and citation, from its text word for word: NĐ 233/2026
#: Điều 7 k1 c "Đã khắc phục toàn bộ hạn chế, khuyết điểm được chỉ ra từ kỳ đánh giá trước
#: hoặc từ kết luận thanh tra, kiểm tra của cơ quan có thẩm quyền (nếu có)"; QĐ 366-QĐ/TW
#: Điều 11 k1 "Đã khắc phục 100% các hạn chế, khuyết điểm được chỉ ra ở thời điểm kiểm
#: điểm trước (nếu có)" (docs/_research/legal-sources.md §9)
SHORTCOMINGS = {
    "vn.nd233-2026": (
        "vien_chuc",
        "Chưa khắc phục toàn bộ hạn chế, khuyết điểm được chỉ ra từ kỳ đánh giá trước hoặc từ "
        "kết luận thanh tra, kiểm tra của cơ quan có thẩm quyền: không xếp Hoàn thành xuất sắc "
        "nhiệm vụ",
        "Not every shortcoming pointed out by the previous evaluation or by the conclusion of a "
        "competent authority's inspection was remedied: not ",
        "NĐ 233/2026/NĐ-CP, Điều 7 k1 c"),
    "vn.qd366-2025": (
        "can_bo",
        "Chưa khắc phục 100% các hạn chế, khuyết điểm được chỉ ra ở thời điểm kiểm điểm trước: "
        "không xếp Hoàn thành xuất sắc nhiệm vụ",
        "Not all (100%) of the shortcomings pointed out at the previous review were remedied: "
        "not ",
        "QĐ 366-QĐ/TW, Điều 11 k1"),
}
SHORT = "unit.excellent_condition.shortcomings"


@pytest.mark.parametrize("rule_set", sorted(SHORTCOMINGS))
def test_a_unit_with_shortcomings_unremedied_is_told_in_its_own_sets_words(rule_set: str) -> None:
    """A unit of 90 points, every task done on time, 30% exceeded, with a shortcoming not
    remedied: HTT, not HTXS, under NĐ 233 and (af176) under QĐ 366 too, each sentence in
    its own text's words with its own citation — the objects and the frame alike (before,
    QĐ 366 refused the flag, and the one sentence was NĐ 233's, without "của cơ quan có
    thẩm quyền")."""
    import evalkit
    from evalkit.reasons import explain

    cat, vi, en, cite = SHORTCOMINGS[rule_set]
    rs = rules.get(rule_set)
    period = "2026-09"
    marks = rs.full_marks()
    inputs = {"tasks_assigned": 10, "tasks_done": 10, "tasks_on_time": 10, "tasks_exceeded": 3,
              "deduction": 10}
    org = evalkit.Organisation(
        units=[evalkit.Unit("U", "Đơn vị U")],
        staff=[evalkit.Staff("S", "Người", "P", "U", category=cat)],
        positions=[evalkit.Position("P", "Vị trí")])  # fmt: skip
    out = evalkit.classify_organisation(
        org, [evalkit.Assessment("S", period, competent_scores=marks)],
        [evalkit.UnitInputs("U", period, shortcomings_unremedied=True, **inputs)], rs)["U"]
    assert (out.unit.score, out.unit.grade) == (90.0, evalkit.Grade.HTT)
    (r,) = [r for r in out.unit.reasons if r.code == SHORT]
    assert (r.message_vi, r.source) == (vi, cite) and r.message_en.startswith(en)
    staff = pd.DataFrame([{"staff_id": "S", "full_name": "Người", "unit_id": "U",
                           "period": period, "category": cat, **marks}])  # fmt: skip
    units = pd.DataFrame([{"unit_id": "U", "period": period, "shortcomings_unremedied": "x",
                           **inputs}])  # fmt: skip
    _staff, res = evalkit.classify_frame(staff, units, rs)
    assert (float(res["score"].iloc[0]), str(res["grade"].iloc[0])) == (90.0, "HTT")
    assert SHORT in str(res["reasons"].iloc[0]).split(";")
    assert f"{vi} ({cite})" in explain(res, lang="vi")[0]
    assert any(s.startswith(en) and s.endswith(f"({cite})") for s in explain(res, lang="en")[0])


def test_shortcomings_pointed_out_by_is_a_checked_choice(tmp_path: Path) -> None:
    """The key takes the two texts' readings only; anything else is a rule set problem
    naming the key and the choices, never a silent default."""
    from evalkit.errors import RuleSetError

    base = Path(rules.__file__).parent / "presets" / "vn.qd366-2025.toml"
    bad = tmp_path / "bad.toml"
    bad.write_text(base.read_text(encoding="utf-8").replace(
        'shortcomings_pointed_out_by = "previous_review"',
        'shortcomings_pointed_out_by = "previous_reviews"'), encoding="utf-8")
    with pytest.raises(RuleSetError, match="shortcomings_pointed_out_by"):
        rules.load(bad)


# ------------------------------------------------ NĐ 233 Điều 14 k3 a: disciplined "do suy thoái"


def _vc(staff_id: str, degradation: object) -> dict[str, object]:
    """A viên chức of full marks reprimanded (Discipline 1) for a violation *not* related to
    the duties, the discipline's ground degradation (``degradation``) or not."""
    return {"staff_id": staff_id, "full_name": f"Người {staff_id}", "position_id": "VC",
            "unit_id": "K1", "category": "vien_chuc", **rules.get("vn.nd233-2026").full_marks(),
            "discipline": 1, "discipline_related_to_duty": "không", "degradation": degradation}


def test_a_discipline_for_degradation_unrelated_to_the_duties_is_kht_at_every_door(
        tmp_path: Path) -> None:  # fmt: skip
    """NĐ 233/2026 Điều 14 k3 a: "bị xử lý kỷ luật … do suy thoái về tư tưởng chính trị,
    đạo đức, lối sống, vi phạm liên quan đến thực hiện nhiệm vụ thì xếp loại … không hoàn
    thành nhiệm vụ". A reprimand whose violation is not related to the duties
    (``discipline_related_to_duty`` "không") does not count as the discipline cap (Điều 12
    k4 c); recorded with ``degradation`` set (the ground of the discipline: a conclusion of
    degradation, Điều 12 k4 b) it is KHT — the object, ``score_frame``, the workbook through
    the CLI and the year alike; without it, the full marks' HTXS stands."""
    import evalkit
    from tests._io_helpers import filled_workbook

    rs = rules.get("vn.nd233-2026")
    period = "2026-09"
    want = {"D": ("KHT", "disqualifier.degradation"), "N": ("HTXS", "")}
    for sid, deg in (("D", True), ("N", False)):  # the object door
        row = _vc(sid, deg)
        got = evalkit.score(evalkit.Assessment(
            sid, period, competent_scores=rs.full_marks(), discipline=1,
            discipline_related_to_duty=False, degradation=deg), rules=rs,
            category="vien_chuc")  # fmt: skip
        assert (got.grade.code, ";".join(r.code for r in got.reasons
                                         if r.code.startswith("disqualifier."))
                ) == want[sid], row  # fmt: skip
    frame = pd.DataFrame([_vc("D", "x"), _vc("N", "")]).assign(period=period)
    frame["discipline_related_to_duty"] = False
    out = evalkit.score_frame(frame, rs)  # the frame door
    assert dict(zip(frame["staff_id"], zip(out["grade"], out["reasons"], strict=True),
                    strict=True)) == want  # fmt: skip
    book = filled_workbook(tmp_path / "vc.xlsx", [_vc("D", "x"), _vc("N", None)],
                           period=period, rules="vn.nd233-2026",
                           units=[{"unit_id": "K1", "name": "Khoa 1", "tasks_assigned": 10,
                                   "tasks_done": 10, "tasks_on_time": 10}],
                           positions=[{"position_id": "VC", "title": "Viên chức"}])  # fmt: skip
    code, out_json, err = run("classify", str(book), "--json")  # the workbook through the CLI
    assert code == 0, err
    data = json.loads(out_json)["results"]["data"]
    rows = [dict(zip(data["columns"], r, strict=True)) if isinstance(r, list) else r
            for r in data["rows"]]  # fmt: skip
    assert {r["staff_id"]: (r["grade"], "disqualifier.degradation" in str(r["reasons"]))
            for r in rows} == {"D": ("KHT", True), "N": ("HTXS", False)}  # fmt: skip
    year = pd.DataFrame([{**_vc(sid, "x" if sid == "D" and m == 9 else ""),
                          "period": f"2026-{m:02d}"}
                         for sid in ("D", "N") for m in range(7, 13)])  # fmt: skip
    year["discipline"] = [1 if (s == "D" and p == "2026-09") else 0
                          for s, p in zip(year["staff_id"], year["period"], strict=True)]
    staff, units = evalkit.classify_frame(year, pd.DataFrame(
        [{"unit_id": "K1", "period": f"2026-{m:02d}", "tasks_assigned": 10, "tasks_done": 10,
          "tasks_on_time": 10, "tasks_exceeded": 3} for m in range(7, 13)]), rs)  # fmt: skip
    annual = evalkit.classify_year(staff.assign(**{c: year[c].to_numpy() for c in (
        "degradation", "discipline", "discipline_related_to_duty")}), units, rs)
    by = annual.set_index("staff_id")
    grade = "annual_grade" if "annual_grade" in by.columns else "grade"
    # N: HTXS by the score, HTT by the quota (20% of 0 rated HTT: Điều 12 k6 a), never KHT
    assert (by.loc["D", grade], by.loc["N", grade]) == ("KHT", "HTT")
    assert "disqualifier.degradation" in str(by.loc["D", "reasons"]).split(";")
    assert "quota.demoted" in str(by.loc["N", "reasons"]).split(";")


def test_which_words_the_sentence_takes_is_wording_not_content() -> None:
    """``shortcomings_pointed_out_by`` changes a sentence, never a grade: a set that differs
    in it alone has the same content fingerprint (an archive's months stay readable), as
    one that differs in a citation does; the condition itself is content."""
    import attrs

    from evalkit.rules import content_fingerprint

    nd233 = rules.get("vn.nd233-2026")

    def units(**kw: object) -> object:
        return attrs.evolve(nd233, units=attrs.evolve(nd233.units, **kw))

    assert content_fingerprint(units(shortcomings_pointed_out_by="previous_review")) == \
        content_fingerprint(nd233) == content_fingerprint(units(shortcomings_source="x"))
    assert content_fingerprint(units(excellent_requires_shortcomings_remedied=False)) != \
        content_fingerprint(nd233)

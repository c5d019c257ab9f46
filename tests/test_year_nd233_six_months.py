"""NĐ 233/2026/NĐ-CP Điều 14 k1–k2 (text: docs/_research/legal-sources.md §13), the
year of a viên chức under ``vn.nd233-2026``:

  1. Viên chức có thời gian làm việc trong năm chưa đủ 06 tháng không xếp loại chất
     lượng, trừ trường hợp quy định tại khoản 2 Điều này.
  2. ... nghỉ ốm hoặc nghỉ thai sản theo quy định của pháp luật về bảo hiểm xã hội thì kết
     quả xếp loại chất lượng trong năm là kết quả xếp loại chất lượng của thời gian làm
     việc thực tế của năm đó.

Worked by hand (every month scores 85: HTT, Điều 12 — no HTXS for the quota to touch):
5 months → not classified; exactly 6 → HTT; 4 months and 2 sick → HTT on the 4; 4 and
maternity → HTT (each: ``rollup.leave``, one sentence with the months and kinds); 4 and 3
months "absent" (vắng, not in k2's list) → not classified.
Each through the frames (``rollup_frame``, ``classify_year``) and the objects
(``evalkit.units.rollup``); the transition year 2026 counts the NĐ 90 months too.
"""

from __future__ import annotations

import pandas as pd
import pytest

import evalkit
import evalkit.rules
from evalkit.reasons import explain, make_reason
from evalkit.units import classify_year, results_from_frame, rollup, rollup_frame

ND233 = evalkit.rules.get("vn.nd233-2026")
#: the 6-month rule's clause (k1; af176: "k1, k2" before)
CITE = "NĐ 233/2026/NĐ-CP, Điều 14 k1"
#: the leave sentence cites k2 alone, the leave clause (k1 is the 6-month rule; af166)
LEAVE_CITE = "NĐ 233/2026/NĐ-CP, Điều 14 k2"


def months(worked: int, leave: str = "", on_leave: int = 0, year: int = 2027,
           first: int = 1) -> pd.DataFrame:  # fmt: skip
    """One viên chức: ``worked`` months of 85, then ``on_leave`` months of ``leave``."""
    n = worked + on_leave
    return pd.DataFrame({
        "staff_id": "VC", "unit_id": "K", "category": "vien_chuc",
        "period": [f"{year}-{m:02d}" for m in range(first, first + n)],
        "total": [85.0] * worked + [None] * on_leave,
        "leave": [""] * worked + [leave] * on_leave})  # fmt: skip


CASES = [  # (months worked, leave, months on leave) → (grade, the reason said)
    ((5, "", 0), (None, "rollup.too_few_months")),
    ((6, "", 0), ("HTT", None)),
    ((4, "sick", 2), ("HTT", "rollup.leave")),
    ((4, "maternity", 2), ("HTT", "rollup.leave")),
    ((4, "absent", 3), (None, "rollup.too_few_months")),
    ((5, "sick", 7), ("HTT", "rollup.leave")),
    ((6, "absent", 3), ("HTT", None)),  # 6 months worked: no absence cap under NĐ 233
]


@pytest.mark.parametrize(("given", "want"), CASES)
def test_the_frames_follow_article_14(given: tuple[int, str, int],
                                      want: tuple[str | None, str | None]) -> None:  # fmt: skip
    grade, code = want
    for out in (rollup_frame(months(*given), ND233).iloc[0],
                classify_year(months(*given), None, ND233).iloc[0]):
        assert (None if pd.isna(out["grade"]) else out["grade"]) == grade
        codes = out["reasons"].split(";")
        assert out["months"] == given[0]
        if code is not None:
            assert code in codes
        assert ("rollup.too_few_months" in codes) == (grade is None)
        assert "rollup.absent_cap" not in codes
        # k2's leave is said once, where the year is classified on the time worked
        assert ("rollup.leave" in codes) == (code == "rollup.leave")


@pytest.mark.parametrize(("given", "want"), CASES)
def test_the_objects_follow_article_14(given: tuple[int, str, int],
                                       want: tuple[str | None, str | None]) -> None:  # fmt: skip
    df = months(*given)
    objects = results_from_frame(df.assign(rule_set=ND233.id))
    leave = {p: k for p, k in zip(df["period"], df["leave"], strict=True) if k}
    [year] = rollup([r for r in objects if r.total is not None], ND233, leave=leave)
    assert (year.grade.code if year.grade is not None else None) == want[0]
    if want[1] is not None:
        assert want[1] in [r.code for r in year.reasons]


def test_the_sick_leave_exemption_is_data_off_by_default() -> None:
    """``sick_exempt`` is a rule-set key (default false): NĐ 90/2020 (Điều 2 k3) exempts
    maternity leave only, so four months and two sick are not classified there."""
    import attrs

    assert evalkit.rules.get("vn.nd90-2020").rollup.sick_exempt is False
    off = attrs.evolve(ND233, rollup=attrs.evolve(ND233.rollup, sick_exempt=False))
    out = rollup_frame(months(4, "sick", 2), off).iloc[0]
    assert pd.isna(out["grade"]) and "rollup.too_few_months" in out["reasons"].split(";")


def test_the_transition_year_counts_the_nd90_months_too() -> None:
    """2026: NĐ 90 until June, NĐ 233 from July; the year is NĐ 233's (its end) and its
    months worked are the whole year's: 3 under NĐ 90 and 3 under NĐ 233 are 6 —
    classified; 2 + 3 are 5 — not classified."""
    six = months(6, year=2026, first=4)
    six["rule_set"] = ["vn.nd90-2020"] * 3 + ["vn.nd233-2026"] * 3
    out = classify_year(six).iloc[0]
    assert (out["rule_set"], out["months"], out["grade"]) == ("vn.nd233-2026", 6, "HTT")
    five = six.iloc[1:]
    out = classify_year(five).iloc[0]
    assert out["months"] == 5 and pd.isna(out["grade"])
    assert "rollup.too_few_months" in out["reasons"].split(";")


def test_the_sentences_cite_article_14() -> None:
    """The sheet's words (explain(), the PDF's): Vietnamese, with NĐ 233's citation."""
    for code, cite in (("rollup.too_few_months", CITE), ("rollup.leave", LEAVE_CITE)):
        assert make_reason(code, ND233, {"leave_months": 2}).source == cite
    out = rollup_frame(months(4, "sick", 2), ND233)
    said = explain(out)[0]
    assert ("Nghỉ theo quy định 2 tháng (ốm đau): xếp loại theo thời gian làm việc thực tế "
            f"({LEAVE_CITE})") in said
    few = explain(rollup_frame(months(5), ND233))[0]
    assert f"Làm việc dưới 6 tháng trong năm: không xếp loại ({CITE})" in few
    en = explain(out, lang="en")[0]
    assert any(s.startswith("On legal leave for 2 months (sick): classified on the time "
                            "actually worked") for s in en)


def test_leave_and_no_month_cite_article_14_not_the_law() -> None:
    """af96: under NĐ 233 a year classified on the months worked despite leave (Điều 14 k2)
    and a year with no month worked (Điều 14 k1: under 6 months, none at all) said the
    Law's Điều 26 k1 (yearly classification at four levels), which says nothing of
    leave. The leave cites Điều 14 k2 (af166: k2 alone is the leave clause); no month
    worked k1 (under 6 months: not classified), or k2 for a year on sick leave all year
    (af176: the result of the time worked, none; both cited "k1, k2" before); NĐ 90
    (Điều 2 k3) and NĐ 335 (Điều 21; its leave k3, af212) keep theirs."""
    for code, cite in (("rollup.leave", LEAVE_CITE), ("rollup.no_months", CITE)):
        assert make_reason(code, ND233, {"period": "2027", "category": "vien_chuc"}).source == cite
    sick = explain(rollup_frame(months(4, "sick", 2), ND233))[0]
    assert ("Nghỉ theo quy định 2 tháng (ốm đau): xếp loại "
            f"theo thời gian làm việc thực tế ({LEAVE_CITE})") in sick
    nobody = rollup_frame(months(0, "sick", 12), ND233)
    assert nobody["reasons"].iloc[0] == "rollup.no_months"
    assert explain(nobody)[0][-1].endswith(f"không xếp loại ({LEAVE_CITE})")
    for rid, cite in (("vn.nd90-2020", "NĐ 90/2020/NĐ-CP, Điều 2 k3"),
                      ("vn.nd335-2025", "NĐ 335/2025/NĐ-CP, Điều 21")):  # fmt: skip
        for code in ("rollup.leave", "rollup.no_months"):
            # NĐ 335's leave sentence cites its clause, k3 (af212)
            want = f"{cite} k3" if (rid, code) == ("vn.nd335-2025", "rollup.leave") else cite
            assert make_reason(code, evalkit.rules.get(rid), {"period": "2026"}).source == want
    # a local framework applying NĐ 90's months rules to some categories only (Hà Nội):
    # outside them, the mean's citation — none: QĐ 3814's text says nothing of leave and no
    # text sets the mean (average_source = ""; af239: it cited QĐ 3814, the roll-up's source)
    hn = evalkit.rules.get("hanoi.3814-2018")
    assert make_reason("rollup.leave", hn, {"period": "2025", "category": "vien_chuc"}
                       ).source == "NĐ 90/2020/NĐ-CP, Điều 2 k3"
    assert (hn.rollup.average_source, make_reason(
        "rollup.leave", hn, {"period": "2025", "category": "hop_dong"}).source) == ("", "")


def _disciplined(worked: int) -> pd.DataFrame:
    """``worked`` months of 85 in 2027, a reprimand for a duty-related violation in the
    third (Điều 14 k3 a; Điều 12 k4 c)."""
    return months(worked).assign(discipline=[0, 0, 2] + [0] * (worked - 3))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_disciplined_year_not_classified_lists_no_disqualifier(lang: str) -> None:
    """Five months worked and a reprimand: not classified (Điều 14 k1 decides). af149: the
    year has no grade, so the discipline, a ground only for a classification (k3 a: "xếp
    loại chất lượng ở mức không hoàn thành nhiệm vụ"), is no reason of it and is not listed
    (before: said as a fact beside "không xếp loại"); the month's own sheet says it. Six
    months and the same reprimand: KHT, said with the grade."""
    short, full = (classify_year(_disciplined(n), None, ND233).iloc[0] for n in (5, 6))
    assert pd.isna(short["grade"]) and full["grade"] == "KHT"
    assert "disqualifier.discipline" not in short["reasons"].split(";")
    assert "disqualifier.discipline" in full["reasons"].split(";")
    kht = ND233.grade_label(evalkit.model.Grade.KHT, lang)
    outcome = (": xếp loại " if lang == "vi" else ": graded ") + kht
    cite = "(NĐ 233/2026/NĐ-CP, Điều 12 k4 c; Điều 14 k3 a)"
    said_short = explain(pd.DataFrame([short]), lang=lang).iloc[0]
    said_full = explain(pd.DataFrame([full]), lang=lang).iloc[0]
    assert not [s for s in said_short if cite in s]
    [graded] = [s for s in said_full if cite in s]
    assert outcome in graded
    assert any(("không xếp loại" if lang == "vi" else "not classified") in s for s in said_short)
    assert not any(kht in s for s in said_short)


@pytest.mark.parametrize("leave", [["maternity"] * 7, ["sick"] * 2, ["maternity"] * 3 + ["sick"]])
def test_the_year_says_the_leave_once_at_every_door(leave: list[str]) -> None:
    """af159: a year saved by k2's leave said "Nghỉ theo quy định 7 tháng (thai sản): xếp
    loại theo thời gian làm việc thực tế" and again "Nghỉ thai sản: xếp loại theo thời gian
    làm việc thực tế" (or "Nghỉ ốm …", both for both kinds). The one sentence kept names the
    months and kinds k2 names, with Điều 14 k2 — the frames and the objects alike."""
    df = months(4, "", len(leave)).assign(leave=[""] * 4 + leave)  # 4 worked: k2 saves it
    n, kinds = len(leave), " và ".join(dict.fromkeys(
        {"maternity": "thai sản", "sick": "ốm đau"}[k] for k in leave))  # fmt: skip
    want = (f"Nghỉ theo quy định {n} tháng ({kinds}): xếp loại theo thời gian làm việc thực tế "
            f"({LEAVE_CITE})")
    for out in (rollup_frame(df, ND233), classify_year(df, None, ND233)):
        said = explain(out)[0]
        assert [s for s in said if "theo thời gian làm việc thực tế" in s] == [want]
    objects = results_from_frame(df[df["total"].notna()].assign(rule_set=ND233.id))
    leaves = {p: k for p, k in zip(df["period"], df["leave"], strict=True) if k}
    [year] = rollup(objects, ND233, leave=leaves)
    assert [f"{r.message_vi} ({r.source})" for r in year.reasons
            if "theo thời gian làm việc thực tế" in r.message_vi] == [want]
    assert year.grade is not None and year.grade.code == "HTT"

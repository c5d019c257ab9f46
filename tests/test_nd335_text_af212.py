"""af212: the rule sets checked against the text of NĐ 335/2025/NĐ-CP as far as it was found.

No full copy of the decree was found (docs/_research/legal-sources.md §16, the searches
made). What the copies seen say, and what these tests hold the presets to:

* Điều 20 k4 b (cafef.vn, Vietnamese; news.laodong.vn 1653865 names "Clause 4, Article 20"
  with the same points a–d): "b) Bị cấp có thẩm quyền kết luận có biểu hiện suy thoái về tư
  tưởng chính trị, đạo đức, lối sống, “tự diễn biến”, “tự chuyển hóa”; vi phạm những điều
  đảng viên không được làm; vi phạm trách nhiệm nêu gương, ảnh hưởng xấu đến uy tín của
  bản thân và cơ quan, đơn vị nơi công tác." Three conclusions of the competent level, one
  flag (``degradation``): the sheet's sentence names all three — it named the first only, so
  a person KHT for violating what party members may not do read "suy thoái" on the sheet.
  NĐ 233/2026 Điều 12 k4 b (the copy of its text, §13) is the same sentence.
* Điều 21 k3 (news.laodong.vn 1632425, English; hethongphapluat.vn prints the article,
  numbered 19, up to "3. Trường hợp tại thời điểm xếp loại chất lượng, côn[g chức]"): "In case
  at the time of quality ranking, civil servants are absent for legitimate reasons or are on
  sick leave or maternity leave …, the ranking is carried out based on the total score of
  monitoring and evaluation for the actual period of civil servant work in the year." The
  customs set (công chức, under NĐ 335) cited its letter CV 21169/CHQ-TCCB for the sentence
  "Nghỉ theo quy định …: xếp loại theo thời gian làm việc thực tế", though the letter was
  never seen to say it (§8 lists what was seen of it): it cites k3 now, and NĐ 335's own
  set cites the clause, not the whole article.
"""

from __future__ import annotations

import html
import json
import re

import pandas as pd
import pytest

import evalkit
from evalkit import Assessment, Position, Staff, Unit
from evalkit.reasons import explain
from evalkit.render import Agency, Sheet, render_html
from evalkit.units import classify_year, results_from_frame, rollup, rollup_frame
from tests._cli_helpers import run

K4B = ("Bị cấp có thẩm quyền kết luận có biểu hiện suy thoái về tư tưởng chính trị, đạo đức, "
       "lối sống, “tự diễn biến”, “tự chuyển hóa”; vi phạm những điều đảng viên không được "
       "làm; vi phạm trách nhiệm nêu gương, ảnh hưởng xấu đến uy tín của bản thân và cơ quan, "
       "đơn vị nơi công tác")
K3 = "NĐ 335/2025/NĐ-CP, Điều 21 k3"

#: the sets whose disqualifier cites k4 b of NĐ 335 Điều 20 or of NĐ 233 Điều 12 (the same
#: sentence), with a period each classifies and its citation
DEGRADATION = {"vn.nd335-2025": ("2026", "NĐ 335/2025/NĐ-CP, Điều 20 k4 b"),
               "vn.customs-2026q": ("2026-Q3", "NĐ 335/2025/NĐ-CP, Điều 20 k4 b"),
               "vn.nd233-2026": ("2027", "NĐ 233/2026/NĐ-CP, Điều 12 k4 b")}


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("rid", sorted(DEGRADATION))
def test_the_degradation_sentence_names_the_three_conclusions_of_k4_b(rid: str) -> None:
    rules = evalkit.rules.get(rid)
    period, cite = DEGRADATION[rid]
    cap = next(c for c in rules.caps if c.flag == "degradation")
    assert (cap.label_vi, cap.source) == (K4B, cite)
    # the objects: a person at full marks concluded by the competent level
    staff = Staff("CC-1", "Đặng Thị Tuyết", "CV", "P", category=rules.categories[0])
    a = Assessment("CC-1", period, manager_scores=rules.full_marks(), degradation=True)
    r = evalkit.score(a, staff=staff, rules=rules)
    said = [x.message_vi for x in r.reasons if x.code == "disqualifier.degradation"]
    assert said == [f"{K4B}: xếp loại Không hoàn thành nhiệm vụ"]
    # the frame (any dtype) says the same sentence with its citation
    frame = evalkit.assessments_to_frame([a], staff={staff.id: staff})
    for df in (frame, frame.astype({"staff_id": "string"})):
        out = evalkit.score_frame(df, rules)
        assert f"{K4B}: xếp loại Không hoàn thành nhiệm vụ ({cite})" in explain(out)[0]
    # the sheet of a period of the set (a month NĐ 335 and NĐ 233 only monitor states the
    # conclusion as a fact for the year; the customs quarter is classified)
    month = {"vn.nd335-2025": "2026-03", "vn.nd233-2026": "2027-03"}.get(rid, period)
    a = Assessment("CC-1", month, manager_scores=rules.full_marks(), degradation=True)
    r = evalkit.score(a, staff=staff, rules=rules)
    sheet = Sheet(staff, Position("CV", "Chuyên viên"), Unit("P", "Phòng A"), a, r, rules,
                  Agency("Sở Nội vụ"))
    page = _flat(html.unescape(re.sub(r"<[^>]+>", " ", render_html(sheet))))
    outcome = ": xếp loại Không hoàn thành nhiệm vụ" if month == period else ""
    assert f"{K4B}{outcome} ({cite})" in page


def test_the_cli_shows_the_clauses_and_their_status() -> None:
    """`evalkit rules show --json`: the cap's label and the leave clause of both sets; the
    grades and KHT cases of Điều 20 are quoted with their article (status verified)."""
    for rid in ("vn.nd335-2025", "vn.customs-2026q"):
        code, out, err = run("rules", "show", rid, "--json")
        assert code == 0, err
        doc = json.loads(out)
        rows = {r["rule"]: (r["source"], r["status"]) for r in doc["rules"]}
        assert all(rows[k][1] == "verified" for k in rows
                   if rows[k][0].startswith("NĐ 335/2025/NĐ-CP, Điều 20 k")
                   and not rows[k][0].startswith("NĐ 335/2025/NĐ-CP, Điều 20 k5")), rows
        code, out, err = run("rules", "show", rid, "--lang", "vi")
        assert code == 0, err
        assert "vi phạm những điều đảng viên không được làm" in _flat(out)


def _months(period_months: list[str], leave: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"staff_id": "A", "unit_id": "K", "category": "cong_chuc",
                         "period": period_months,
                         "total": [None if k else 80.0 for k in leave], "leave": leave})


@pytest.mark.parametrize("rid", ["vn.customs-2026q", "vn.nd335-2025"])
def test_leave_is_cited_to_article_21_k3_at_every_door(rid: str) -> None:
    """July on sick leave, August and September at 80: the quarter is the mean of the 2
    months worked, and the leave sentence cites NĐ 335 Điều 21 k3 — for customs, never its
    letter (CV 21169/CHQ-TCCB)."""
    rules = evalkit.rules.get(rid)
    df = _months(["2026-07", "2026-08", "2026-09"], ["sick", "", ""])
    want = f"Nghỉ theo quy định 1 tháng (ốm đau): xếp loại theo thời gian làm việc thực tế ({K3})"
    frames = [rollup_frame(df, rules, to="quarter", force=True),
              classify_year(df, None, rules, to="quarter", force=True),
              rollup_frame(df.astype({"staff_id": "string", "leave": "string"}), rules,
                           to="quarter", force=True)]  # fmt: skip
    for out in frames:
        said = explain(out)[0]
        assert want in said, said
        assert not any("CV 21169" in s and s.startswith("Nghỉ") for s in said)
        assert want in explain(out.astype(str))[0]  # the results read back as text
    objects = results_from_frame(df.assign(rule_set=rid))
    [q] = rollup([r for r in objects if r.total is not None], rules, to="quarter",
                 leave={"2026-07": "sick"})
    [leave] = [x for x in q.reasons if x.code == "rollup.leave"]
    assert (leave.message_vi.startswith("Nghỉ theo quy định 1 tháng (ốm đau)"),
            leave.source) == (True, K3)


# --- QĐ 366-QĐ/TW Điều 11 k1 (1.5): the HTXS quota of cán bộ -------------------------------
#
# thuvienphapluat.vn, quoted word for word in several articles kept in the public repository
# tnt305/tai_lieu_noi_bo (docs/_research/legal-sources.md §16): "1.5. Số lượng tập thể, cá
# nhân được xếp loại "Hoàn thành xuất sắc nhiệm vụ" không vượt quá 20% tổng số tập thể, cá
# nhân được xếp loại "Hoàn thành tốt nhiệm vụ" theo đối tượng có vị trí, vai trò, chức năng,
# nhiệm vụ tương đồng, do cấp có thẩm quyền xem xét, quyết định." The set had no quota ("not
# found"): two cán bộ of one unit at 95 and 93 all year, five at 80 — five rated HTT allow
# one HTXS (20% of 5); the second in order is HTT.

QD366_PEOPLE = {"A": 95.0, "B": 93.0, **dict.fromkeys("CDEFG", 80.0)}
QD366_WANT = {"A": "HTXS", **dict.fromkeys("BCDEFG", "HTT")}
QD366_SAID = ("Vượt tỷ lệ Hoàn thành xuất sắc nhiệm vụ của đơn vị: tối đa 1 người (20% của 5 "
              "người xếp loại Hoàn thành tốt nhiệm vụ); xếp thứ 2/2 theo thứ tự ưu tiên nên xếp "
              "loại Hoàn thành tốt nhiệm vụ")
QD366_CITE = "QĐ 366-QĐ/TW, Điều 11 k1"


def test_the_cadres_htxs_quota_is_20_percent_of_htt_at_every_door() -> None:
    from evalkit import Organisation, UnitInputs

    rs = evalkit.rules.get("vn.qd366-2025")
    assert rs.quota is not None
    assert (rs.quota.percent, rs.quota.raised_percent, rs.quota.base, rs.quota.source) == (
        20, 25, "HTT", QD366_CITE)
    df = pd.DataFrame([{"staff_id": s, "unit_id": "K", "category": "can_bo",
                        "period": f"2026-{m:02d}", "total": t}
                       for s, t in QD366_PEOPLE.items() for m in range(1, 13)])
    for frame in (df, df.astype({"staff_id": "string", "unit_id": "string"})):
        out = classify_year(frame, None, rs, force=True)
        assert dict(zip(out["staff_id"].astype(str), out["grade"], strict=True)) == QD366_WANT
        b = list(out["staff_id"].astype(str)).index("B")
        assert f"{QD366_SAID} ({QD366_CITE})" in explain(out)[b]
    # the objects: twelve months of the organisation, then the year
    full = rs.full_marks()
    org = Organisation(units=[Unit("K", "Ban A")], positions=[Position("P", "Chuyên viên")],
                       staff=[Staff(s, f"Người {s}", "P", "K", category="can_bo")
                              for s in QD366_PEOPLE])
    months = [evalkit.classify_organisation(
        org, [Assessment(s, f"2026-{m:02d}",
                         competent_scores={k: v * t / 100 for k, v in full.items()})
              for s, t in QD366_PEOPLE.items()],
        [UnitInputs("K", f"2026-{m:02d}", tasks_assigned=10, tasks_done=10)], rs)
        for m in range(1, 13)]
    year = evalkit.classify_organisation_year(months)["K"]
    assert {r.staff_id: r.grade.code for r in year.staff if r.grade} == QD366_WANT
    [quota] = [x for x in year.result_of("B").reasons if x.code.startswith("quota.")]
    assert (quota.message_vi, quota.source) == (QD366_SAID, QD366_CITE)
    # the CLI lists the rule with its citation and status
    code, out, err = run("rules", "show", "vn.qd366-2025", "--json")
    assert code == 0, err
    rows = {r["rule"]: (r["source"], r["status"]) for r in json.loads(out)["rules"]}
    assert rows["quota"] == (QD366_CITE, "verified")

"""An outside reviewer's acceptance of one MONTH through every door (issue 13, af181).

One month of a mixed division (Phòng P: công chức and viên chức side by side) in 2026-07,
and the same viên chức in 2026-06, each run WITHOUT naming a rule set (the set follows the
person: NĐ 335/2025 for công chức, NĐ 233/2026 for viên chức from 2026-07, NĐ 90/2020
before) and once naming it; through the Python objects (``classify_organisation``), through
``classify_frame`` on frames of every dtype a user's file may give (object, pandas ``str``,
``string[pyarrow]``, categorical; nullable Int/Float/boolean; "x"/blank booleans; a CSV round
trip), through ``score_frame`` and through the CLI (``template`` → the workbook typed with
openpyxl → ``validate`` → ``classify``).

Every expected value is worked out here from domain.md §4.1/§4.2/§4.5 (a comment beside it),
never copied from evalkit's output. Under NĐ 335 and NĐ 233 a month is monitoring: the band
of the score is information and the disqualifiers are shown where they hit (Điều 21 NĐ 335;
Luật Viên chức 129/2025 Điều 26 k1): ``classified`` is False and ``grade`` is the band with
the disqualifiers applied. Under Hà Nội's framework (QĐ 3814-QĐ/TU) the month is classified:
the quota (30 % of those classified, 40 % of all staff when the unit is exceptional) and the
head capped at the unit apply every month.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalkit
from evalkit import Assessment, Organisation, Position, Staff, Unit, UnitInputs
from tests._cli_helpers import ok, org_file
from tests.helpers import DD, A, B, C, E, general

CC, VC = "vn.nd335-2025", "vn.nd233-2026"
JULY, JUNE = "2026-07", "2026-06"


def _general(total: float, rules: str) -> dict[str, float]:
    return general(total, rules)


def _tasks(a: float, b: float | None = None, c: float | None = None) -> dict[str, float]:
    return {A: a, B: a if b is None else b, C: a if c is None else c}


# =========================================================================== the people
# (id, category, manages others, competent level's scores, flags)
# The head H types đ and e; d is computed from the công chức under H (Điều 15 k3).
PEOPLE: list[dict[str, Any]] = [
    {"id": "H", "cat": "cong_chuc", "lead": True,
     "scores": {**_general(30, CC), **_tasks(100), DD: 100.0, E: 100.0}},
    {"id": "PP", "cat": "cong_chuc", "lead": True,  # a deputy: corruption in the body managed
     "scores": {**_general(30, CC), **_tasks(100), DD: 100.0, E: 100.0},
     "flags": {"corruption_in_unit": True}},
    {"id": "C1", "cat": "cong_chuc", "scores": {**_general(30, CC), **_tasks(20)}},
    {"id": "C2", "cat": "cong_chuc", "scores": {**_general(27, CC), **_tasks(90)}},
    {"id": "C3", "cat": "cong_chuc", "scores": {**_general(26.99, CC), **_tasks(90)}},
    {"id": "C4", "cat": "cong_chuc", "scores": {**_general(28, CC), **_tasks(60)}},
    {"id": "C5", "cat": "cong_chuc", "scores": {**_general(27.99, CC), **_tasks(60)}},
    {"id": "C6", "cat": "cong_chuc", "scores": {**_general(29, CC), **_tasks(30)}},
    {"id": "C7", "cat": "cong_chuc", "scores": {**_general(28.99, CC), **_tasks(30)}},
    {"id": "C8", "cat": "cong_chuc", "scores": {**_general(30, CC), **_tasks(100)},
     "flags": {"discipline": 1}},  # reprimand, duty-related (blank = related)
    {"id": "C9", "cat": "cong_chuc", "scores": {**_general(30, CC), **_tasks(100)},
     "flags": {"discipline": 1, "discipline_related_to_duty": False}},
    {"id": "C10", "cat": "cong_chuc", "scores": {**_general(30, CC), **_tasks(100)},
     "flags": {"degradation": True}},
    {"id": "V1", "cat": "vien_chuc", "scores": {**_general(30, VC), **_tasks(100)}},
    {"id": "V2", "cat": "vien_chuc", "scores": {**_general(26.99, VC), **_tasks(90)}},
    {"id": "V3", "cat": "vien_chuc", "scores": {**_general(30, VC), **_tasks(100)},
     "flags": {"discipline": 1, "discipline_related_to_duty": False}},
    {"id": "V4", "cat": "vien_chuc", "scores": {}, "flags": {"leave": "maternity"}},
]  # fmt: skip

# ------------------------------------------------------------------ the law, by hand (July)
# total = general + (a+b+c)/3 × 70 % (NĐ 335 Điều 16; NĐ 233 the same formula, secondary)
# H: C1 scores 44 < 50, so d = 50 % (Điều 15 k3): 30 + (100×5 + 50)/6 × 0.7 = 94.1666 → 94.17
#    HTXS band; a month is monitoring, the head is not capped at the unit (Điều 21).
# PP: d is computed for a deputy too? PP heads no unit and nobody reports to PP, so PP has no
#    civil servant under their authority: d = 100 % → 100; corruption in the body the deputy
#    manages → KHT whatever the score (Điều 20 k4 d covers deputies).
# C1: 30 + 20 × 0.7 = 44 → KHT band (< 50, Điều 20 k4 a).
# C2: 27 + 63 = 90 → HTXS (≥ 90, k1).   C3: 26.99 + 63 = 89.99 → HTT (k2).
# C4: 28 + 42 = 70 → HTT (k2).          C5: 27.99 + 42 = 69.99 → HT (k3).
# C6: 29 + 21 = 50 → HT (k3).           C7: 28.99 + 21 = 49.99 → KHT (k4 a).
# C8: 100, reprimand for a duty-related violation → KHT (k4 c).
# C9: 100, reprimand NOT related to public duty → no ground: HTXS (k4 c requires the link).
# C10: 100, degradation concluded → KHT (k4 b).
# V1: 100 → HTXS under NĐ 233 (Điều 12 k1).   V2: 89.99 → HTT.
# V3: reprimand not related to duties → no ground under NĐ 233 Điều 12 k4 c: HTXS.
# V4: maternity leave, no scores → not evaluated: no total, no grade (never a zero, §4.5).
JULY_EXPECTED: dict[str, tuple[float | None, str | None, str | None, str]] = {
    # id: (total, score band, grade shown for the month, rule set)
    "H": (94.17, "HTXS", "HTXS", CC), "PP": (100.0, "HTXS", "KHT", CC),
    "C1": (44.0, "KHT", "KHT", CC), "C2": (90.0, "HTXS", "HTXS", CC),
    "C3": (89.99, "HTT", "HTT", CC), "C4": (70.0, "HTT", "HTT", CC),
    "C5": (69.99, "HT", "HT", CC), "C6": (50.0, "HT", "HT", CC),
    "C7": (49.99, "KHT", "KHT", CC), "C8": (100.0, "HTXS", "KHT", CC),
    "C9": (100.0, "HTXS", "HTXS", CC), "C10": (100.0, "HTXS", "KHT", CC),
    "V1": (100.0, "HTXS", "HTXS", VC), "V2": (89.99, "HTT", "HTT", VC),
    "V3": (100.0, "HTXS", "HTXS", VC), "V4": (None, None, None, VC),
}  # fmt: skip
#: the reason codes that must be there (others may follow: the band, band.information …)
JULY_CODES: dict[str, set[str]] = {
    "H": {"management.d"}, "PP": {"disqualifier.corruption"},
    "C8": {"disqualifier.discipline"}, "C10": {"disqualifier.degradation"},
}
#: the citation each must carry on its sentence (domain.md §4.1, the preset TOMLs)
JULY_CITES: dict[str, str] = {
    "H": "NĐ 335/2025/NĐ-CP, Điều 15 k3", "PP": "NĐ 335/2025/NĐ-CP, Điều 20 k4 d",
    "C8": "NĐ 335/2025/NĐ-CP, Điều 20 k4 c", "C10": "NĐ 335/2025/NĐ-CP, Điều 20 k4 b",
    "C2": "NĐ 335/2025/NĐ-CP, Điều 20 k1", "C3": "NĐ 335/2025/NĐ-CP, Điều 20 k2",
    "C5": "NĐ 335/2025/NĐ-CP, Điều 20 k3", "C7": "NĐ 335/2025/NĐ-CP, Điều 20 k4 a",
    "V1": "NĐ 233/2026/NĐ-CP, Điều 12 k1",
}  # fmt: skip
#: nobody's reasons may claim a ground that is not there
JULY_NOT_CODES: dict[str, set[str]] = {
    "C9": {"disqualifier.discipline"}, "V3": {"disqualifier.discipline"},
    "C1": {"disqualifier.discipline"},
}


def _frame_rows(period: str, people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for p in people:
        r: dict[str, Any] = {"staff_id": p["id"], "unit_id": "P", "period": period,
                             "category": p["cat"], "manages_others": bool(p.get("lead")),
                             **p["scores"], **p.get("flags", {})}  # fmt: skip
        rows.append(r)
    return rows


def _units_frame(period: str) -> pd.DataFrame:
    return pd.DataFrame({"unit_id": ["P"], "head_id": ["H"], "period": [period],
                         "tasks_assigned": [10], "tasks_done": [10]})  # fmt: skip


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every column as a user builds it: pandas' own inference."""
    return pd.DataFrame(frame.to_dict("records"))


TEXT = ("staff_id", "unit_id", "period", "category", "leave")
BOOLS = ("manages_others", "corruption_in_unit", "discipline_related_to_duty", "degradation")


def _as(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """``frame`` in one representation a user's file or code may give."""
    f = _plain(frame)
    text = [c for c in TEXT if c in f]
    bools = [c for c in BOOLS if c in f]
    nums = [c for c in f if c not in text and c not in bools]
    if kind in ("object", "str", "string[pyarrow]", "category", "string[python]"):
        for c in text:
            f[c] = f[c].astype(object).where(f[c].notna(), None).astype(kind)
        return f
    if kind == "nullable":
        for c in nums:
            f[c] = f[c].astype("Float64") if c != "discipline" else f[c].astype("Int64")
        for c in bools:
            f[c] = f[c].astype("boolean")
        return f
    if kind == "x":  # a blank discipline_related_to_duty means related: "không" says not
        for c in bools:
            no = "không" if c == "discipline_related_to_duty" else ""
            f[c] = f[c].map(lambda v, no=no: "x" if v is True else (no if v is False else None))
        return f
    if kind == "names":  # the discipline as its name, the way a CSV or a form holds it
        f["discipline"] = f["discipline"].map(
            lambda v: "khien_trach" if v == 1 else (None if pd.isna(v) else "khong"))
        return f
    raise AssertionError(kind)


def _csv(frame: pd.DataFrame, tmp: Path) -> pd.DataFrame:
    frame.to_csv(tmp / "thang.csv", index=False)
    return pd.read_csv(tmp / "thang.csv")


KINDS = ["object", "str", "string[pyarrow]", "category", "nullable", "x", "names"]


def _check_month(staff: pd.DataFrame, expected: dict[str, tuple[Any, ...]],
                 codes: dict[str, set[str]], not_codes: dict[str, set[str]],
                 cites: dict[str, str]) -> None:  # fmt: skip
    """The month's staff results equal the values worked out by hand."""
    by = staff.set_index(staff["staff_id"].astype(str))
    sentences = evalkit.explain(staff)
    sentences.index = staff["staff_id"].astype(str).to_list()
    for sid, (total, band, grade, rule_set) in expected.items():
        row = by.loc[sid]
        got_total = None if pd.isna(row["total"]) else round(float(row["total"]), 2)
        got_band = None if pd.isna(row["score_grade"]) else str(row["score_grade"])
        got_grade = None if pd.isna(row["grade"]) else str(row["grade"])
        assert (got_total, got_band, got_grade, str(row["rule_set"])) == (
            total, band, grade, rule_set), sid
        assert not bool(row["classified"]), sid  # a monitored month (Điều 21)
        found = set(str(row["reasons"] or "").split(";")) - {""}
        assert codes.get(sid, set()) <= found, (sid, found)
        assert not not_codes.get(sid, set()) & found, (sid, found)
        if sid in cites:
            assert any(s.endswith(f"({cites[sid]})") for s in sentences[sid]), (
                sid, sentences[sid])


def _check_objects(res: dict[str, Any], expected: dict[str, tuple[Any, ...]],
                   codes: dict[str, set[str]], not_codes: dict[str, set[str]],
                   cites: dict[str, str]) -> None:  # fmt: skip
    unit = res["P"]
    for sid, (total, band, grade, rule_set) in expected.items():
        r = unit.result_of(sid)
        got = (None if r.total is None else round(r.total, 2),
               None if r.score_grade is None else r.score_grade.code,
               None if r.grade is None else r.grade.code, r.rule_set_id)  # fmt: skip
        assert got == (total, band, grade, rule_set), sid
        found = {x.code for x in r.reasons}
        assert codes.get(sid, set()) <= found, (sid, found)
        assert not not_codes.get(sid, set()) & found, (sid, found)
        if sid in cites:
            assert cites[sid] in {x.source for x in r.reasons}, (sid, r.reasons)


def _organisation(people: list[dict[str, Any]]) -> Organisation:
    return Organisation(
        units=[Unit("P", "Phòng P", head_id="H")],
        positions=[Position("CV", "Chuyên viên"),
                   Position("LD", "Lãnh đạo phòng", manages_others=True)],
        staff=[Staff(p["id"], f"Người {p['id']}", "LD" if p.get("lead") else "CV", "P",
                     category=p["cat"]) for p in people])  # fmt: skip


def _assessments(period: str, people: list[dict[str, Any]]) -> list[Assessment]:
    out = []
    for p in people:
        flags = dict(p.get("flags", {}))
        out.append(Assessment(p["id"], period, competent_scores=p["scores"], **flags))
    return out


# =========================================================================== July: doors


@pytest.mark.parametrize("named", [False, True])
def test_the_mixed_july_through_the_objects_is_the_law(named: bool) -> None:
    """Each person under the set of their category (NĐ 335 / NĐ 233), bands at their edges,
    the disqualifiers of Điều 20 k4 b, c, d and d computed from the subordinates' scores."""
    org = _organisation(PEOPLE)
    if named:  # naming a set applies it to all: name each group's own, one call per group
        for cat, rs in (("cong_chuc", CC), ("vien_chuc", VC)):
            ppl = [p for p in PEOPLE if p["cat"] == cat or p["id"] == "H"]
            exp = {k: v for k, v in JULY_EXPECTED.items() if v[3] == rs}
            res = evalkit.classify_organisation(
                _organisation(ppl) if cat == "cong_chuc" else org,
                _assessments(JULY, [p for p in PEOPLE if p["cat"] == cat]),
                [UnitInputs("P", JULY, tasks_assigned=10, tasks_done=10)], rs)
            _check_objects(res, exp, JULY_CODES, JULY_NOT_CODES, JULY_CITES)
        return
    res = evalkit.classify_organisation(org, _assessments(JULY, PEOPLE),
                                        [UnitInputs("P", JULY, tasks_assigned=10,
                                                    tasks_done=10)])  # fmt: skip
    _check_objects(res, JULY_EXPECTED, JULY_CODES, JULY_NOT_CODES, JULY_CITES)


@pytest.mark.parametrize("kind", [*KINDS, "csv", "csv-x", "csv-names"])
def test_the_mixed_july_through_classify_frame_in_every_dtype_is_the_law(
    kind: str, tmp_path: Path
) -> None:
    """The same month as frames of each representation: the same values, worked by hand."""
    frame = pd.DataFrame(_frame_rows(JULY, PEOPLE))
    if kind.startswith("csv"):  # as typed ("x"/"không", the discipline's name), via a CSV
        frame = _csv(_as(frame, kind[4:]) if "-" in kind else frame, tmp_path)
    else:
        frame = _as(frame, kind)
    staff, _ = evalkit.classify_frame(frame, _units_frame(JULY))
    _check_month(staff, JULY_EXPECTED, JULY_CODES, JULY_NOT_CODES, JULY_CITES)


@pytest.mark.parametrize("kind", KINDS)
def test_score_frame_gives_every_non_leader_the_same_month(kind: str) -> None:
    """``score_frame`` (no unit: d is what was typed) agrees with the classification for
    everyone whose score does not depend on the subordinates."""
    staff = [p for p in PEOPLE if not p.get("lead")]
    frame = _as(pd.DataFrame(_frame_rows(JULY, staff)), kind)
    scored = evalkit.score_frame(frame)
    scored.index = frame["staff_id"].astype(str).to_list()
    for sid, (total, band, grade, rule_set) in JULY_EXPECTED.items():
        if sid in ("H", "PP"):
            continue
        row = scored.loc[sid]
        got = (None if pd.isna(row["total"]) else round(float(row["total"]), 2),
               None if pd.isna(row["score_grade"]) else str(row["score_grade"]),
               None if pd.isna(row["grade"]) else str(row["grade"]), str(row["rule_set"]))
        assert got == (total, band, grade, rule_set), sid


# =========================================================================== June: NĐ 90

# 2026-06: viên chức are under NĐ 90/2020 (to 2026-06-30). Its criteria are its own.
# A discipline of ANY kind in the year → KHT (NĐ 90 Điều 2 k5 a, added by NĐ 48/2023): V3's
# reprimand for a violation not related to the duties is a ground under NĐ 90, not under
# NĐ 233 in July.


def test_june_vien_chuc_fall_under_nd90_where_any_discipline_is_a_ground() -> None:
    """NĐ 90/2020 Điều 2 k5 a (NĐ 48/2023): any party or administrative discipline → KHT."""
    nd90 = evalkit.rules.get("vn.nd90-2020")
    marks = nd90.full_marks()
    rows = [{"staff_id": "V1", "unit_id": "P", "period": JUNE, "category": "vien_chuc",
             **marks},
            {"staff_id": "V3", "unit_id": "P", "period": JUNE, "category": "vien_chuc",
             **marks, "discipline": "khien_trach", "discipline_related_to_duty": "không"},
            {"staff_id": "V5", "unit_id": "P", "period": JUNE, "category": "vien_chuc",
             **marks, "party_discipline": "x"}]  # a party discipline counts too
    frame = pd.DataFrame(rows)
    cite = "NĐ 90/2020/NĐ-CP, Điều 2 k5 a, bổ sung bởi NĐ 48/2023/NĐ-CP"
    for f in (frame, _as(frame, "str"), _as(frame, "category")):
        staff, _ = evalkit.classify_frame(f, _units_frame(JUNE).drop(columns="head_id"))
        by = staff.set_index("staff_id")
        assert (by["rule_set"] == "vn.nd90-2020").all()
        assert by["grade"].astype(str).to_dict() == {"V1": "HTXS", "V3": "KHT", "V5": "KHT"}
        said = dict(zip(staff["staff_id"], evalkit.explain(staff), strict=True))
        for sid in ("V3", "V5"):
            assert any(x.endswith(f"({cite})") for x in said[sid]), said[sid]


# =========================================================================== July: the CLI


def _typing(period: str, people: list[dict[str, Any]]) -> Any:
    by = {p["id"]: p for p in people}
    yes = {True: "x", False: "không"}

    def staff(sid: str, row: Any) -> dict[str, Any]:
        p = by[sid]
        out: dict[str, Any] = {f"competent__{k}": v for k, v in p["scores"].items()}
        for k, v in p.get("flags", {}).items():
            if k == "discipline_related_to_duty":
                out[k] = yes[v]
            elif isinstance(v, bool):
                out[k] = "x" if v else None
            elif k == "leave":
                out[k] = "thai sản"
            else:
                out[k] = v
        return out

    return staff


def _all_tasks_done(uid: str, row: Any) -> dict[str, Any]:
    return {"tasks_assigned": 10, "tasks_done": 10}


@pytest.fixture(scope="module")
def july_cli(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The July month as a person runs it: ``evalkit org`` from CSV files, one template per
    group (a workbook holds one rule set; ``template`` without ``--rules`` refuses a mixed
    organisation and names both sets), filled with openpyxl, ``validate``, ``classify``."""
    from tests._cli_helpers import fill_workbook

    d = tmp_path_factory.mktemp("july")
    staff_csv = "staff_id,full_name,position_id,unit_id,category,manager_id\n" + "".join(
        f"{p['id']},Người {p['id']},{'LD' if p.get('lead') else 'CV'},P,{p['cat']},"
        f"{'' if p['id'] == 'H' else 'H'}\n" for p in PEOPLE)
    org = org_file(d, "unit_id,name,parent_id,head_id\nP,Phòng P,,H\n",
                   "position_id,title,manages_others\nLD,Lãnh đạo phòng,x\nCV,Chuyên viên,\n",
                   staff_csv)  # fmt: skip
    books = []
    for rs in (CC, VC):
        tpl, book = d / f"mau-{rs}.xlsx", d / f"thang-{rs}.xlsx"
        ok("template", "--rules", rs, "--period", JULY, "--org", str(org), str(tpl))
        fill_workbook(tpl, book, _typing(JULY, PEOPLE), _all_tasks_done)
        books.append(str(book))
    ok("validate", *books, "--org", str(org))
    res = d / "ket-qua.json"
    ok("classify", *books, "--org", str(org), "--out", str(res))
    return {"json": json.loads(res.read_text(encoding="utf-8")), "books": books, "org": org,
            "dir": d, "results": res}


def test_the_mixed_july_through_the_cli_is_the_law(july_cli: dict[str, Any]) -> None:
    """``template`` → workbook → ``validate`` → ``classify``: the same values by hand."""
    from evalkit.io.results import read_results

    staff = read_results(july_cli["results"])
    _check_month(staff, JULY_EXPECTED, JULY_CODES, JULY_NOT_CODES, JULY_CITES)


def _object_sentences(res: dict[str, Any], lang: str = "vi") -> dict[str, list[str]]:
    out = {}
    for r in res["P"].staff:
        out[r.staff_id] = [(x.message_vi if lang == "vi" else x.message_en)
                           + (f" ({x.source})" if x.source else "") for x in r.reasons]
    return out


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_mixed_july_says_the_same_sentences_at_every_door(
    july_cli: dict[str, Any], lang: str
) -> None:
    """Objects, ``classify_frame`` and the CLI's results file: the same sentences, each
    with its citation, for every person (issue 13, Done when)."""
    from evalkit.io.results import read_results

    objects = _object_sentences(evalkit.classify_organisation(
        _organisation(PEOPLE), _assessments(JULY, PEOPLE),
        [UnitInputs("P", JULY, tasks_assigned=10, tasks_done=10)]), lang)
    staff, _ = evalkit.classify_frame(pd.DataFrame(_frame_rows(JULY, PEOPLE)),
                                      _units_frame(JULY))  # fmt: skip
    cli = read_results(july_cli["results"])
    for name, frame in (("frame", staff), ("cli", cli)):
        said = dict(zip(frame["staff_id"].astype(str),
                        evalkit.explain(frame, lang=lang), strict=True))  # fmt: skip
        assert said == objects, name


# =========================================================================== d, by the scores


@pytest.mark.parametrize(("sub", "d", "head_total"), [
    # a reprimanded subordinate scoring 100: KHT for the discipline, but d tests the
    # SCORES of those under the leader (Điều 15 k3; domain.md §4.1): d = 100 → 100
    ({**_general(30, CC), **_tasks(100), "discipline": 3}, 100.0, 100.0),
    # 28.995 + 21 = 49.995 → 50.00 half-up (the banded figure, [scoring] rounding): ≥ 50,
    # d = 100
    ({**_general(28.995, CC), **_tasks(30)}, 100.0, 100.0),
    # 28.994 + 21 = 49.994 → 49.99 < 50: d = 50 → 30 + 550/6 × 0.7 = 94.1666 → 94.17
    ({**_general(28.994, CC), **_tasks(30)}, 50.0, 94.17),
    # a subordinate on maternity leave has no score: nobody below 50, d = 100 (never a zero)
    ({"leave": "maternity"}, 100.0, 100.0),
])  # fmt: skip
@pytest.mark.parametrize("kind", ["object", "str", "nullable", "csv"])
def test_d_is_read_from_the_subordinates_scores_not_their_grades(
    sub: dict[str, Any], d: float, head_total: float, kind: str, tmp_path: Path
) -> None:
    """Điều 15 k3: d = 100 % when every civil servant under the leader scores ≥ 50."""
    head = {"staff_id": "H", "unit_id": "P", "period": JULY, "category": "cong_chuc",
            "manages_others": True, **_general(30, CC), **_tasks(100), DD: 100.0, E: 100.0}
    frame = pd.DataFrame([head, {"staff_id": "A", "unit_id": "P", "period": JULY,
                                 "category": "cong_chuc", **sub}])  # fmt: skip
    frame = _csv(frame, tmp_path) if kind == "csv" else _as(frame, kind)
    staff, _ = evalkit.classify_frame(frame, _units_frame(JULY))
    h = staff.set_index("staff_id").loc["H"]
    assert (float(h["mgmt_value"]), round(float(h["total"]), 2)) == (d, head_total)
    # the objects door
    flags = {k: v for k, v in sub.items() if k in ("discipline", "leave")}
    scores = {k: v for k, v in sub.items() if k not in flags}
    res = evalkit.classify_organisation(
        _organisation([{"id": "H", "cat": "cong_chuc", "lead": True},
                       {"id": "A", "cat": "cong_chuc"}]),
        [Assessment("H", JULY, competent_scores={k: v for k, v in head.items()
                                                 if k in evalkit.rules.get(CC).full_marks(True)}),
         Assessment("A", JULY, competent_scores=scores, **flags)],
        [UnitInputs("P", JULY, tasks_assigned=10, tasks_done=10)])  # fmt: skip
    r = res["P"].result_of("H")
    assert r.total == head_total
    assert r.applied.get("ket_qua_linh_vuc", d) == d


# =========================================================================== a typed d


@pytest.mark.parametrize("typed", [100.0, 50.0])
def test_a_typed_d_that_contradicts_the_computed_one_is_reported_at_every_door(
    typed: float, tmp_path: Path
) -> None:
    """Domain.md §4.1: a typed d is never overwritten silently; where the computed d differs
    the result says both (typed value, computed value) beside the staff id."""
    computed = 50.0 if typed == 100.0 else 100.0
    sub_tasks = 20 if computed == 50.0 else 100  # 30 + 14 = 44 < 50, or 100
    head = {"staff_id": "H", "unit_id": "P", "period": JULY, "category": "cong_chuc",
            "manages_others": True, **_general(30, CC), **_tasks(100), "ket_qua_linh_vuc": typed,
            DD: 100.0, E: 100.0}
    sub = {"staff_id": "A", "unit_id": "P", "period": JULY, "category": "cong_chuc",
           **_general(30, CC), **_tasks(sub_tasks)}
    # 30 + (500 + computed)/6 × 0.7: the computed d counts (the subordinates decide it)
    total = round(30 + (500 + computed) / 6 * 0.7 + 1e-9, 2)
    words = f"ghi {typed:g}% khác với kết quả tính từ điểm"
    frames = {"object": pd.DataFrame([head, sub])}
    frames["csv"] = _csv(frames["object"], tmp_path)
    frames["string[pyarrow]"] = _as(frames["object"], "string[pyarrow]")
    for name, frame in frames.items():
        staff, _ = evalkit.classify_frame(frame, _units_frame(JULY))
        h = staff.set_index("staff_id").loc["H"]
        assert (float(h["mgmt_typed"]), float(h["mgmt_value"]), float(h["total"])) == (
            typed, computed, total), name
        said = evalkit.explain(staff[staff["staff_id"] == "H"]).iloc[0]
        assert any(words in s and f"({computed:g}%)" in s for s in said), (name, said)
    res = evalkit.classify_organisation(
        _organisation([{"id": "H", "cat": "cong_chuc", "lead": True},
                       {"id": "A", "cat": "cong_chuc"}]),
        [Assessment("H", JULY, competent_scores={k: v for k, v in head.items()
                                                 if k in evalkit.rules.get(CC).full_marks(True)}),
         Assessment("A", JULY, competent_scores={k: v for k, v in sub.items()
                                                 if k in evalkit.rules.get(CC).full_marks()})],
        [UnitInputs("P", JULY)])  # fmt: skip
    r = res["P"].result_of("H")
    assert r.total == total
    assert any(x.code == "management.d_typed" and words in x.message_vi for x in r.reasons)


def test_the_cli_reports_a_typed_d_that_contradicts_the_computed_one(tmp_path: Path) -> None:
    """``score`` and ``classify`` agree on the head's total (the computed d, 94.17) and say
    the typed 100 % against the computed 50 % with the staff id."""
    from evalkit.io.results import read_results
    from tests._cli_helpers import fill_workbook, run

    org = org_file(tmp_path, "unit_id,name,parent_id,head_id\nP,Phòng P,,H\n",
                   "position_id,title,manages_others\nLD,Lãnh đạo phòng,x\nCV,Chuyên viên,\n",
                   "staff_id,full_name,position_id,unit_id,category,manager_id\n"
                   "H,Người H,LD,P,cong_chuc,\nA,Người A,CV,P,cong_chuc,H\n")  # fmt: skip
    tpl, book = tmp_path / "mau.xlsx", tmp_path / "thang.xlsx"
    ok("template", "--period", JULY, "--org", str(org), str(tpl))  # the set follows the staff

    def typing(sid: str, row: Any) -> dict[str, Any]:
        lead = {"ket_qua_linh_vuc": 100, DD: 100, E: 100} if sid == "H" else {}
        marks = {**_general(30, CC), **_tasks(100 if sid == "H" else 20), **lead}
        return {f"competent__{k}": v for k, v in marks.items()}

    fill_workbook(tpl, book, typing, _all_tasks_done)
    for command in ("score", "classify"):
        out = tmp_path / f"{command}.json"
        code, text, err = run(command, str(book), "--org", str(org), "--out", str(out))
        assert code == 0, err
        rows = read_results(out).set_index("staff_id")
        assert float(rows.loc["H", "total"]) == 94.17, command  # 30 + 550/6 × 0.7
        assert "management.d_typed" in str(rows.loc["H", "reasons"]), command
    # the terminal's word: ``validate`` names the leader (docs/cli.md, score)
    code, text, err = run("validate", str(book), "--org", str(org))
    said = text + err
    assert "H (Người H)" in said and "ghi 100%" in said and "(50%)" in said, said


# =========================================================================== Hà Nội's month
# Contract staff (hop_dong) of Hà Nội are still under QĐ 3814-QĐ/TU in 2026 (no national text
# governs them; categories_until ends the other groups): the month IS classified there.
# Unit U: 10 tasks assigned, 7 done → 70 → Loại B (HTT). Ten people (20 + 70 + bonus):
#   H   100 (head) → capped at the unit's B (domain.md §3 step 5) before the quota (step 4
#       order: units first, caps, then quotas), so H takes no A place.
#   X1  95; X2 92 (tasks 70, competent_order 2); X4 92 (tasks 70, competent_order 1);
#   X3  92 (tasks 62 + bonus 10); X5 90; Y1–Y4 70.
# Quota: A ≤ 30 % of the 10 classified = 3 (floor, §4.3 / §4.6). Candidates X1..X5 by total,
# then tasks points (X3's 62 last among the 92s), then the competent level's order (X4
# before X2): A = X1, X4, X2; X3 and X5 demoted to B. An exceptional unit: 40 % of ALL staff
# (10) = 4 → X3 keeps A too; X5 (5th) still B.
HN = "hanoi.3814-2018"
MARCH = "2026-03"


def _hn(sid: str, tasks: float = 70, bonus: float = 0, **kw: Any) -> dict[str, Any]:
    return {"id": sid, "cat": "hop_dong", "lead": sid == "H",
            "scores": {"ky_luat": 10.0, "dao_duc": 10.0, "ket_qua_nhiem_vu": float(tasks),
                       "sang_kien": float(bonus), "thanh_tich": 0.0}, "flags": kw}


HN_PEOPLE = [_hn("H", bonus=10), _hn("X1", bonus=5), _hn("X2", bonus=2, competent_order=2),
             _hn("X3", tasks=62, bonus=10), _hn("X4", bonus=2, competent_order=1),
             _hn("X5"), *(_hn(f"Y{i}", tasks=50) for i in range(1, 5))]
HN_TOTALS = {"H": 100.0, "X1": 95.0, "X2": 92.0, "X3": 92.0, "X4": 92.0, "X5": 90.0,
             **{f"Y{i}": 70.0 for i in range(1, 5)}}


def _hn_expected(exceptional: bool) -> dict[str, tuple[str, str]]:
    a = {"X1", "X2", "X4"} | ({"X3"} if exceptional else set())
    return {sid: ("HTXS" if sid in a else "HTT",
                  "cap.head_unit" if sid == "H" else
                  "quota.demoted" if sid in {"X3", "X5"} - a else "")
            for sid in HN_TOTALS}  # fmt: skip


def _hn_units(exceptional: bool) -> pd.DataFrame:
    return pd.DataFrame({"unit_id": ["P"], "head_id": ["H"], "period": [MARCH],
                         "tasks_assigned": [10], "tasks_done": [7],
                         "exceptional": [exceptional]})  # fmt: skip


@pytest.mark.parametrize("exceptional", [False, True])
@pytest.mark.parametrize("kind", ["objects", "object", "str", "category", "nullable", "csv"])
def test_hanoi_classifies_the_month_with_its_quota_tie_break_and_head_cap(
    kind: str, exceptional: bool, tmp_path: Path
) -> None:
    """QĐ 3814-QĐ/TU: A ≤ 30 % of those classified (40 % of all staff when exceptional), the
    tie broken by total, tasks, then the competent level's order; the head not above the
    unit."""
    expected = _hn_expected(exceptional)
    if kind == "objects":
        res = evalkit.classify_organisation(
            _organisation(HN_PEOPLE), _assessments(MARCH, HN_PEOPLE),
            [UnitInputs("P", MARCH, tasks_assigned=10, tasks_done=7,
                        exceptional=exceptional)], HN)  # fmt: skip
        assert res["P"].unit.grade is not None and res["P"].unit.grade.code == "HTT"
        got = {r.staff_id: (r.total, r.grade.code if r.grade else None,
                            ";".join(x.code for x in r.reasons if x.code in
                                     ("cap.head_unit", "quota.demoted")))
               for r in res["P"].staff}  # fmt: skip
    else:
        frame = pd.DataFrame(_frame_rows(MARCH, HN_PEOPLE))
        frame = _csv(frame, tmp_path) if kind == "csv" else _as(frame, kind)
        staff, units = evalkit.classify_frame(frame, _hn_units(exceptional), HN)
        assert units["grade"].astype(str).tolist() == ["HTT"]
        assert staff["classified"].all()
        got = {str(r.staff_id): (float(r.total), str(r.grade), ";".join(
            c for c in str(r.reasons or "").split(";") if c in ("cap.head_unit",
                                                                 "quota.demoted")))
               for r in staff.itertuples()}  # fmt: skip
    assert got == {sid: (HN_TOTALS[sid], *expected[sid]) for sid in HN_TOTALS}


@pytest.mark.parametrize("exceptional", [False, True])
def test_hanoi_month_through_the_cli_is_the_same(exceptional: bool, tmp_path: Path) -> None:
    """``template --rules hanoi.3814-2018`` → workbook → ``validate`` → ``classify``."""
    from evalkit.io.results import read_results
    from tests._cli_helpers import fill_workbook

    org = org_file(tmp_path, "unit_id,name,parent_id,head_id\nP,Phòng P,,H\n",
                   "position_id,title,manages_others\nLD,Trưởng phòng,x\nCV,Nhân viên,\n",
                   "staff_id,full_name,position_id,unit_id,category\n" + "".join(
                       f"{p['id']},Người {p['id']},{'LD' if p['lead'] else 'CV'},P,hop_dong\n"
                       for p in HN_PEOPLE))  # fmt: skip
    tpl, book, out = tmp_path / "mau.xlsx", tmp_path / "thang.xlsx", tmp_path / "kq.json"
    ok("template", "--rules", HN, "--period", MARCH, "--org", str(org), str(tpl))

    def units(uid: str, row: Any) -> dict[str, Any]:
        return {"tasks_assigned": 10, "tasks_done": 7, "exceptional": "x" if exceptional
                else None}  # fmt: skip

    fill_workbook(tpl, book, _typing(MARCH, HN_PEOPLE), units)
    ok("validate", str(book), "--org", str(org))
    ok("classify", str(book), "--org", str(org), "--out", str(out))
    staff = read_results(out)
    got = {str(r.staff_id): (float(r.total), str(r.grade), ";".join(
        c for c in str(r.reasons or "").split(";") if c in ("cap.head_unit", "quota.demoted")))
        for r in staff.itertuples()}  # fmt: skip
    expected = _hn_expected(exceptional)
    assert got == {sid: (HN_TOTALS[sid], *expected[sid]) for sid in HN_TOTALS}


# =========================================================================== d: công chức only
# NĐ 335/2025 Điều 15 k3 d tests the scores of the "công chức thuộc quyền quản lý": in a Hà Nội
# division in 2026 a công chức head (NĐ 335) leads công chức and contract staff (hop_dong,
# still under QĐ 3814-QĐ/TU, a framework that covers all four groups). A contract worker
# scoring 60 (20 + 40) < … no: 20 + 25 = 45 < 50 is no civil servant: d stays 100 % and the
# head keeps 30 + 70 = 100; the sentence counts the one công chức. evalkit counted everyone
# whose rule set shares a category with the head's: Hà Nội's set lists cong_chuc too, so the
# contract worker made d 50 % (94.17).


@pytest.mark.parametrize("door", ["objects", "object", "category", "csv"])
def test_a_contract_worker_is_no_civil_servant_for_the_heads_d(door: str, tmp_path: Path) -> None:
    """Điều 15 k3: d reads the công chức under the leader, not a contract worker under a
    local framework that also lists công chức among its groups."""
    people = [
        {"id": "H", "cat": "cong_chuc", "lead": True,
         "scores": {**_general(30, CC), **_tasks(100), DD: 100.0, E: 100.0}},
        {"id": "C1", "cat": "cong_chuc", "scores": {**_general(30, CC), **_tasks(100)}},
        {**_hn("K1", tasks=25), "flags": {}},  # 20 + 25 = 45 < 50
    ]  # fmt: skip
    units = [UnitInputs("P", MARCH, tasks_assigned=10, tasks_done=10)]
    if door == "objects":
        res = evalkit.classify_organisation(_organisation(people), _assessments(MARCH, people),
                                            units, jurisdiction="vn.hanoi")
        head, sub = res["P"].result_of("H"), res["P"].result_of("K1")
        assert (sub.rule_set_id, sub.total) == (HN, 45.0)
        assert head.total == 100.0, head.reasons
        said = [x.message_vi for x in head.reasons if x.code == "management.d"]
    else:
        frame = pd.DataFrame(_frame_rows(MARCH, people))
        frame = _csv(frame, tmp_path) if door == "csv" else _as(frame, door)
        staff, _ = evalkit.classify_frame(frame, _units_frame(MARCH), jurisdiction="vn.hanoi")
        by = staff.set_index("staff_id")
        assert (str(by.loc["K1", "rule_set"]), float(by.loc["K1", "total"])) == (HN, 45.0)
        assert (float(by.loc["H", "total"]), float(by.loc["H", "mgmt_value"]),
                int(by.loc["H", "mgmt_subordinates"])) == (100.0, 100.0, 1)  # fmt: skip
        said = evalkit.explain(staff[staff["staff_id"] == "H"]).iloc[0]
    assert any("Thành phần (d) = 100%" in s for s in said), said


def test_a_contract_worker_is_no_civil_servant_for_the_heads_d_at_the_cli(
    tmp_path: Path,
) -> None:
    """The same division as the CLI runs it: one workbook per group (NĐ 335 for the công
    chức, Hà Nội's for the contract worker), validated and classified together."""
    from evalkit.io.results import read_results
    from tests._cli_helpers import fill_workbook

    people = [
        {"id": "H", "cat": "cong_chuc", "lead": True,
         "scores": {**_general(30, CC), **_tasks(100), DD: 100.0, E: 100.0}},
        {"id": "C1", "cat": "cong_chuc", "scores": {**_general(30, CC), **_tasks(100)}},
        {**_hn("K1", tasks=25), "flags": {}},
    ]  # fmt: skip
    org = org_file(tmp_path, "unit_id,name,parent_id,head_id\nP,Phòng P,,H\n",
                   "position_id,title,manages_others\nLD,Trưởng phòng,x\nCV,Chuyên viên,\n",
                   "staff_id,full_name,position_id,unit_id,category\n"
                   "H,Người H,LD,P,cong_chuc\nC1,Người C1,CV,P,cong_chuc\n"
                   "K1,Người K1,CV,P,hop_dong\n")  # fmt: skip
    books = []
    for rs in (CC, HN):
        tpl, book = tmp_path / f"mau-{rs}.xlsx", tmp_path / f"thang-{rs}.xlsx"
        ok("template", "--rules", rs, "--period", MARCH, "--org", str(org), str(tpl))
        fill_workbook(tpl, book, _typing(MARCH, people), _all_tasks_done)
        books.append(str(book))
    ok("validate", *books, "--org", str(org))
    out = tmp_path / "kq.json"
    ok("classify", *books, "--org", str(org), "--out", str(out))
    by = read_results(out).set_index("staff_id")
    assert (str(by.loc["K1", "rule_set"]), float(by.loc["K1", "total"])) == (HN, 45.0)
    assert (float(by.loc["H", "total"]), float(by.loc["H", "mgmt_value"])) == (100.0, 100.0)


@pytest.mark.parametrize(("period", "held", "left"), [
    # QĐ 3814 covers công chức until 2025-12-31 (categories_until: NĐ 335/2025 from 2026)
    ("2025-12", ["C1", "H", "K1"], {}),
    ("2026-03", ["K1"], {"cong_chuc": ["H", "C1"]}),
])  # fmt: skip
def test_hanois_template_holds_only_the_groups_its_set_covers_in_the_month(
    period: str, held: list[str], left: dict[str, list[str]], tmp_path: Path
) -> None:
    """A workbook holds one set: the công chức a set no longer covers are left to their own
    workbook and named with the set in force for them (else every one of them is in two
    workbooks and the month is refused for duplicate staff ids)."""
    org = org_file(tmp_path, "unit_id,name,parent_id,head_id\nP,Phòng P,,H\n",
                   "position_id,title,manages_others\nLD,Trưởng phòng,x\nCV,Chuyên viên,\n",
                   "staff_id,full_name,position_id,unit_id,category\n"
                   "H,Người H,LD,P,cong_chuc\nC1,Người C1,CV,P,cong_chuc\n"
                   "K1,Người K1,CV,P,hop_dong\n")  # fmt: skip
    tpl = tmp_path / "mau.xlsx"
    said = json.loads(ok("template", "--rules", HN, "--period", period, "--org", str(org),
                         "--json", str(tpl)))  # fmt: skip
    assert said["left_out"] == left
    assert said["left_out_rules"] == dict.fromkeys(left, CC)
    ws = openpyxl.load_workbook(tpl)["Nhân sự - Điểm"]
    assert sorted(str(r[0].value) for r in ws.iter_rows(min_row=2) if r[0].value) == held


# =========================================================================== NĐ 335's quota
# An agency that classifies every month under NĐ 335 (tests.helpers.monthly): HTXS ≤ 20 % of
# those rated HTT (Điều 20 k5 a), floor (§4.6: 8 HTT → 1.6 → 1); raised to 25 % for a unit the
# competent level recognises (k5 b: 25 % of 8 = 2). P1 and P2 tie on the total and on the
# task points — P1: b = 100 less 25 % for one major error (Điều 14 k2 b) = 75; P2 typed
# b = 75 — so the next key decides: fewer deductions (§4.6), P2 first; P1 demoted to HTT.
# Both: 30 + (100 + 75 + 100)/3 × 0.7 = 94.1666 → 94.17. Eight others: 24 + 56 = 80 (HTT).


@pytest.mark.parametrize("exceptional", [False, True])
@pytest.mark.parametrize("kind", ["objects", "object", "str", "nullable", "csv"])
def test_the_quota_breaks_a_tie_by_fewer_deductions_and_rises_for_an_exceptional_unit(
    kind: str, exceptional: bool, tmp_path: Path
) -> None:
    """NĐ 335/2025 Điều 20 k5 a, b; the tie-break of domain.md §4.6."""
    from tests.helpers import monthly

    rs = monthly()
    people = [
        {"id": "P1", "cat": "cong_chuc",
         "scores": {**_general(30, CC), **_tasks(100), "loi_chat_luong": 1.0}},
        {"id": "P2", "cat": "cong_chuc", "scores": {**_general(30, CC), **_tasks(100, 75)}},
        *({"id": f"Y{i}", "cat": "cong_chuc", "scores": {**_general(24, CC), **_tasks(80)}}
          for i in range(8)),
    ]  # fmt: skip
    expected = {"P1": (94.17, "HTXS" if exceptional else "HTT"), "P2": (94.17, "HTXS"),
                **{f"Y{i}": (80.0, "HTT") for i in range(8)}}  # fmt: skip
    if kind == "objects":
        org = Organisation(units=[Unit("P", "Phòng P")], positions=[Position("CV", "CV")],
                           staff=[Staff(p["id"], p["id"], "CV", "P") for p in people])
        res = evalkit.classify_organisation(
            org, _assessments(MARCH, people),
            [UnitInputs("P", MARCH, exceptional=exceptional)], rs)  # fmt: skip
        got = {r.staff_id: (r.total, r.grade.code if r.grade else None) for r in res["P"].staff}
        demoted = {r.staff_id for r in res["P"].staff
                   if any(x.code == "quota.demoted" for x in r.reasons)}  # fmt: skip
    else:
        frame = pd.DataFrame(_frame_rows(MARCH, people))
        frame = _csv(frame, tmp_path) if kind == "csv" else _as(frame, kind)
        units = pd.DataFrame({"unit_id": ["P"], "exceptional": [exceptional]})
        staff, _ = evalkit.classify_frame(frame, units, rs)
        got = {str(r.staff_id): (float(r.total), str(r.grade)) for r in staff.itertuples()}
        demoted = {str(r.staff_id) for r in staff.itertuples()
                   if "quota.demoted" in str(r.reasons or "")}  # fmt: skip
    assert got == expected
    assert demoted == (set() if exceptional else {"P1"})


# Hà Nội's two denominators (domain.md §4.3; the preset's note): 20 contract staff, 3 on
# maternity leave (not classified, no score — never a zero). A ≤ 30 % of the 17 classified
# = 5.1 → 5; an exceptional unit: 40 % of ALL 20 staff = 8. Ten score 91..100 (A band).


@pytest.mark.parametrize("exceptional", [False, True])
@pytest.mark.parametrize("kind", ["objects", "object", "category", "csv"])
def test_hanois_quota_counts_those_classified_or_all_staff_when_exceptional(
    kind: str, exceptional: bool, tmp_path: Path
) -> None:
    """QĐ 3814-QĐ/TU: 30 % of those classified; 40 % of all staff of an exceptional unit."""
    people = [_hn(f"S{i:02d}", bonus=10 - i) for i in range(10)]  # 100, 99, … 91
    people += [_hn(f"S{i:02d}", tasks=50) for i in range(10, 17)]  # 70: B
    people += [{"id": f"S{i:02d}", "cat": "hop_dong", "scores": {},
                "flags": {"leave": "maternity"}} for i in range(17, 20)]  # fmt: skip
    cap = 8 if exceptional else 5
    if kind == "objects":
        org = Organisation(units=[Unit("P", "Phòng P")], positions=[Position("CV", "CV")],
                           staff=[Staff(p["id"], p["id"], "CV", "P", category="hop_dong")
                                  for p in people])  # fmt: skip
        res = evalkit.classify_organisation(
            org, _assessments(MARCH, people),
            [UnitInputs("P", MARCH, exceptional=exceptional)], HN)  # fmt: skip
        grades = {r.staff_id: r.grade.code if r.grade else None for r in res["P"].staff}
    else:
        frame = pd.DataFrame(_frame_rows(MARCH, people))
        frame = _csv(frame, tmp_path) if kind == "csv" else _as(frame, kind)
        units = pd.DataFrame({"unit_id": ["P"], "exceptional": [exceptional]})
        staff, _ = evalkit.classify_frame(frame, units, HN)
        grades = {str(r.staff_id): None if pd.isna(r.grade) else str(r.grade)
                  for r in staff.itertuples()}  # fmt: skip
    assert grades == {f"S{i:02d}": "HTXS" if i < cap else None if i >= 17 else "HTT"
                      for i in range(20)}  # fmt: skip


def test_the_objects_door_in_a_jurisdiction_names_a_typo_by_the_persons_own_set() -> None:
    """A criterion typed wrong for a Hà Nội contract worker (found through ``jurisdiction``)
    is said as :func:`evalkit.score` says it: the person, the set and the nearest id."""
    org = Organisation(units=[Unit("P", "Phòng P")], positions=[Position("CV", "CV")],
                       staff=[Staff("K1", "Người K1", "CV", "P", category="hop_dong")])
    scores = {**_hn("K1")["scores"], "sang_kienn": 1.0}
    with pytest.raises(evalkit.EvalkitError) as info:
        evalkit.classify_organisation(org, [Assessment("K1", MARCH, competent_scores=scores)],
                                      [UnitInputs("P", MARCH)], jurisdiction="vn.hanoi")
    assert "'sang_kienn' for rule set 'hanoi.3814-2018'; did you mean 'sang_kien'?" in str(
        info.value)


def test_the_mixed_julys_sheets_say_each_persons_ground_with_its_citation(
    july_cli: dict[str, Any],
) -> None:
    """``render`` of the results file: each person's sheet says, in Vietnamese, the
    sentence and the short citation the catalogue gives (the same as ``explain``)."""
    import re

    pypdf = pytest.importorskip("pypdf")
    from evalkit.io.results import read_results

    out = july_cli["dir"] / "phieu"
    ok("render", str(july_cli["results"]), "--org", str(july_cli["org"]), "--out", str(out))
    staff = read_results(july_cli["results"])
    said = dict(zip(staff["staff_id"].astype(str), evalkit.explain(staff), strict=True))
    pdfs = {p.name: p for p in out.rglob("*.pdf")}
    for sid in ("H", "PP", "C8", "C10", "V1"):
        name = next(n for n in pdfs if re.search(rf"(^|[^A-Z0-9]){sid}([^A-Z0-9]|$)", n))
        text = " ".join("\n".join(p.extract_text() for p in pypdf.PdfReader(pdfs[name]).pages)
                        .split())  # fmt: skip
        for sentence in said[sid]:
            if "(" in sentence:  # a cited sentence: its citation is on the sheet
                cite = sentence[sentence.rindex("(") + 1 : -1]
                assert cite in text, (sid, cite, text[-1500:])
        assert JULY_CITES.get(sid, "") in text, sid


# the invariant behind the two tests above, for any mix of a Hà Nội division in 2026


@given(st.lists(st.tuples(st.sampled_from(["cong_chuc", "hop_dong"]),
                          st.integers(0, 100)), min_size=1, max_size=8))  # fmt: skip
def test_the_heads_d_reads_the_civil_servants_alone_whatever_the_contract_staff_score(
    staff: list[tuple[str, int]],
) -> None:
    """Điều 15 k3: d = 50 % exactly when some công chức under the head scores below 50;
    contract workers' scores never move it (jurisdiction ``vn.hanoi``, 2026-03)."""
    rows = [{"staff_id": "H", "unit_id": "P", "period": MARCH, "category": "cong_chuc",
             "manages_others": True, **_general(30, CC), **_tasks(100), DD: 100.0, E: 100.0}]
    low = False
    for i, (cat, tasks) in enumerate(staff):
        if cat == "cong_chuc":  # 30 + tasks × 0.7
            rows.append({"staff_id": f"C{i}", "unit_id": "P", "period": MARCH,
                         "category": cat, **_general(30, CC), **_tasks(tasks)})
            low |= round(30 + tasks * 0.7, 2) < 50
        else:
            rows.append({"staff_id": f"K{i}", "unit_id": "P", "period": MARCH,
                         "category": cat, "ky_luat": 10.0, "dao_duc": 10.0,
                         "ket_qua_nhiem_vu": float(tasks * 0.7), "sang_kien": 0.0,
                         "thanh_tich": 0.0})  # fmt: skip
    staff_res, _ = evalkit.classify_frame(pd.DataFrame(rows), _units_frame(MARCH),
                                          jurisdiction="vn.hanoi")  # fmt: skip
    head = staff_res.set_index("staff_id").loc["H"]
    assert float(head["mgmt_value"]) == (50.0 if low else 100.0)
    assert int(head["mgmt_subordinates"]) == sum(c == "cong_chuc" for c, _ in staff)


@pytest.mark.parametrize("kind", ["objects", "object", "nullable", "csv"])
def test_a_task_tracker_percentage_stands_for_the_task_block(kind: str, tmp_path: Path) -> None:
    """domain.md §4.1 (a product choice, not the decree): KPI 82.3 % → 57.61 of 70; with
    general 28 the month is 85.61 (HTT band), for a leader as for staff (d is not computed
    where a KPI stands for the task block)."""
    people = [{"id": "A", "cat": "cong_chuc", "scores": _general(28, CC), "flags": {"kpi": 82.3}},
              {"id": "H", "cat": "cong_chuc", "lead": True, "scores": _general(28, CC),
               "flags": {"kpi": 82.3}}]  # fmt: skip
    if kind == "objects":
        org = Organisation(units=[Unit("P", "Phòng P", head_id="H")],
                           positions=[Position("CV", "CV"), Position("LD", "LD",
                                                                     manages_others=True)],
                           staff=[Staff("A", "A", "CV", "P"), Staff("H", "H", "LD", "P")])
        res = evalkit.classify_organisation(org, _assessments(MARCH, people),
                                            [UnitInputs("P", MARCH)])  # fmt: skip
        got = {r.staff_id: (r.total, r.score_grade.code if r.score_grade else None)
               for r in res["P"].staff}  # fmt: skip
    else:
        frame = pd.DataFrame(_frame_rows(MARCH, people))
        frame = _csv(frame, tmp_path) if kind == "csv" else _as(frame, kind)
        units = pd.DataFrame({"unit_id": ["P"], "head_id": ["H"]})
        staff, _ = evalkit.classify_frame(frame, units)
        got = {str(r.staff_id): (float(r.total), str(r.score_grade)) for r in staff.itertuples()}
        assert evalkit.score_frame(frame)["total"].astype(float).tolist() == [85.61, 85.61]
    assert got == {"A": (85.61, "HTT"), "H": (85.61, "HTT")}

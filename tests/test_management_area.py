"""The management component d over the whole area a leader leads (NĐ 335/2025 Điều 15 k3).

d is 100 % when every civil servant *under the leader's authority* scores in the HT band
or above, 50 % when any scores below. ``[management] scope = "area"`` (every preset with a
computed d) reads that as everyone below the leader in the management chain;
``scope = "direct"`` counts the direct reports only.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evalkit.rules
from evalkit import Assessment, Organisation, Position, Staff, Unit
from evalkit.errors import RuleSetError
from evalkit.rules import RuleSet, parse_rule_set
from evalkit.units import classify_frame, classify_organisation, frames_from_objects
from tests.helpers import DD, E, general, monthly

P = "2026-03"
AREA = attrs.evolve(monthly("vn.nd335-2025"), quota=None)
DIRECT = attrs.evolve(AREA, id="vn.nd335-2025+direct",
                      management=attrs.evolve(AREA.management, scope="direct"))  # fmt: skip


def person(sid: str, pct: float = 100, *, manages: bool = False,
           rules: str = "vn.nd335-2025") -> Assessment:  # fmt: skip
    """Full general points of ``rules``, task percentages ``pct`` (and full đ, e for a
    leader)."""
    s: dict[str, float] = {**general(30, rules), "so_luong": pct, "chat_luong": pct,
                           "tien_do": pct}  # fmt: skip
    if manages:
        s.update({DD: 100, E: 100})
    return Assessment(sid, P, competent_scores=s)


def org_of(units: list[Unit], staff: list[Staff]) -> Organisation:
    return Organisation(units=units, positions=[Position("P", "Chuyên viên")], staff=staff)


def frame(org: Organisation, assessments: list[Assessment], rules: RuleSet) -> pd.DataFrame:
    sm, units = frames_from_objects(org, assessments, [])
    return classify_frame(sm, units, rules)[0].set_index("staff_id")


def d_of(staff: pd.DataFrame) -> dict[str, tuple[float, int, int]]:
    """Per leader with a computed d: (d, those counted, those below)."""
    if "mgmt_value" not in staff.columns:  # nobody manages others
        return {}
    got = staff[staff["mgmt_value"].notna()]
    return {str(k): (float(r["mgmt_value"]), int(r["mgmt_subordinates"]), int(r["mgmt_below"]))
            for k, r in got.iterrows()}  # fmt: skip


# ---------------------------------------------------------------------- the Sở → phòng chain


def so() -> Organisation:
    """Sở AG headed by G; phòng A under it headed by HA, with clerks A1 and A2."""
    return org_of(
        [Unit("AG", "Sở", head_id="G"), Unit("A", "Phòng A", "AG", head_id="HA")],
        [Staff("G", "Giám đốc", "P", "AG", manages_others=True),
         Staff("HA", "Trưởng phòng", "P", "A", manages_others=True),
         Staff("A1", "A1", "P", "A"), Staff("A2", "A2", "P", "A")],
    )  # fmt: skip


SO_SCORES = [person("G", manages=True), person("HA", manages=True), person("A1", 20),
             person("A2")]  # fmt: skip


def test_the_head_of_the_so_counts_the_clerks_of_the_phong_led_under_them() -> None:
    """A1 scores 44 (< 50): HA's d is 50 and, over the whole area, G's too (94.17)."""
    st_ = frame(so(), SO_SCORES, AREA)
    assert d_of(st_) == {"G": (50.0, 3, 1), "HA": (50.0, 2, 1)}
    assert st_.loc["G", "total"] == 94.17
    assert "management.d" in str(st_.loc["G", "reasons"]).split(";")


def test_with_direct_scope_the_head_of_the_so_counts_only_the_head_of_the_phong() -> None:
    st_ = frame(so(), SO_SCORES, DIRECT)
    assert d_of(st_) == {"G": (100.0, 1, 0), "HA": (50.0, 2, 1)}
    assert st_.loc["G", "total"] == 100.0


def test_the_sentence_counts_everyone_in_the_area() -> None:
    c = classify_organisation(so(), SO_SCORES, [], AREA)
    g = c["AG"].result_of("G")
    msg = g.reasons[g.reason_codes().index("management.d")]
    assert msg.message_en == ("Component (d) = 50%: 1 of 3 staff under the leader's "
                              "authority are below Completed duties")  # fmt: skip
    assert msg.message_vi.startswith("Thành phần (d) = 50%: có 1/3 công chức thuộc quyền")
    ok = classify_organisation(so(), [*SO_SCORES[:2], person("A1", 60), SO_SCORES[3]], [],
                               AREA)["AG"].result_of("G")  # fmt: skip
    msg = ok.reasons[ok.reason_codes().index("management.d")]
    assert msg.message_en == ("Component (d) = 100%: all 3 staff under the leader's authority "
                              "are Completed duties or above")  # fmt: skip


def test_someone_not_evaluated_is_not_counted_but_those_under_them_are() -> None:
    """HA has no scores this month: G counts A1 and A2 through HA (1 of 2 below)."""
    st_ = frame(so(), [SO_SCORES[0], Assessment("HA", P), *SO_SCORES[2:]], AREA)
    assert d_of(st_)["G"] == (50.0, 2, 1)


def test_the_object_face_and_the_frame_agree() -> None:
    for rules in (AREA, DIRECT):
        by_unit = classify_organisation(so(), SO_SCORES, [], rules)
        st_ = frame(so(), SO_SCORES, rules)
        for u in by_unit.values():
            for r in u.staff:
                assert r.total == st_.loc[r.staff_id, "total"]
                assert r.grade is not None
                assert r.grade.name == st_.loc[r.staff_id, "grade"]
                codes = {c for c in str(st_.loc[r.staff_id, "reasons"]).split(";") if c}
                assert codes <= set(r.reason_codes())


@pytest.mark.parametrize("phong_head", [None, "HB"])
def test_a_phong_without_a_head_this_month_stays_in_the_area_of_the_so(
    phong_head: str | None,
) -> None:
    """Phòng B has no head (or its head HB has no row this month): its clerk B1 (47.5,
    below 50) is under the authority of G, who leads the whole Sở (NĐ 335/2025 Điều 15
    k3): G's d is 50, so 30 + (3 × 100 + 50 + 100 + 100) ÷ 6 × 70 % = 94.17 — not
    100 with "nobody under the leader's authority was evaluated"."""
    org = org_of([Unit("AG", "Sở", head_id="G"), Unit("B", "Phòng B", "AG", head_id=phong_head)],
                 [Staff("G", "Giám đốc", "P", "AG", manages_others=True),
                  Staff("HB", "Trưởng phòng", "P", "B", manages_others=True),
                  Staff("B1", "B1", "P", "B")])  # fmt: skip
    scores = [person("G", manages=True), person("B1", 25)]  # HB: no assessment, no row
    want = round(30 + (3 * 100 + 50 + 100 + 100) / 6 * 0.7, 2)
    st_ = frame(org, scores, AREA)
    assert st_.loc["B1", "total"] == 30 + 25 * 0.7 < 50
    assert st_.loc["B1", "effective_manager_id"] == "G"
    assert d_of(st_) == {"G": (50.0, 1, 1)}
    assert st_.loc["G", "total"] == want == 94.17
    g = classify_organisation(org, scores, [], AREA)["AG"].result_of("G")
    assert g.total == want and "management.d_default" not in g.reason_codes()


# ---------------------------------------------------------------------- deputies, three levels


def test_a_deputy_counts_those_whose_chain_passes_through_the_deputy() -> None:
    """Phòng A: head H, deputy V; M1 reports to V, B1 (in sub-unit B, head HB) too; M2 to H.
    B1 below 50: V, H and G reduced over the area; with direct scope only V (B1 is V's)."""
    org = org_of(
        [Unit("R", "Sở", head_id="G"), Unit("A", "Phòng A", "R", head_id="H"),
         Unit("B", "Tổ B", "A", head_id="HB")],
        [Staff("G", "G", "P", "R", manages_others=True),
         Staff("H", "H", "P", "A", manages_others=True),
         Staff("V", "Phó", "P", "A", manages_others=True),
         Staff("M1", "M1", "P", "A", manager_id="V"), Staff("M2", "M2", "P", "A"),
         Staff("HB", "HB", "P", "B", manages_others=True),
         Staff("B1", "B1", "P", "B", manager_id="V"), Staff("B2", "B2", "P", "B")],
    )  # fmt: skip
    a = [person("G", manages=True), person("H", manages=True), person("V", manages=True),
         person("M1"), person("M2"), person("HB", manages=True), person("B1", 20),
         person("B2")]  # fmt: skip
    area = d_of(frame(org, a, AREA))
    assert area == {"V": (50.0, 2, 1), "HB": (100.0, 1, 0), "H": (50.0, 6, 1),
                    "G": (50.0, 7, 1)}  # fmt: skip
    direct = d_of(frame(org, a, DIRECT))
    assert direct == {"V": (50.0, 2, 1), "HB": (100.0, 1, 0), "H": (100.0, 3, 0),
                      "G": (100.0, 1, 0)}  # fmt: skip


def test_three_levels_each_leader_counts_everything_below() -> None:
    org = org_of(
        [Unit("R", "Sở", head_id="G"), Unit("A", "Phòng", "R", head_id="H1"),
         Unit("B", "Tổ", "A", head_id="H2")],
        [Staff("G", "G", "P", "R", manages_others=True), Staff("X", "X", "P", "R"),
         Staff("H1", "H1", "P", "A", manages_others=True),
         Staff("H2", "H2", "P", "B", manages_others=True), Staff("C", "C", "P", "B")],
    )  # fmt: skip
    a = [person("G", manages=True), person("X"), person("H1", manages=True),
         person("H2", manages=True), person("C", 10)]  # fmt: skip
    st_ = frame(org, a, AREA)
    assert d_of(st_) == {"G": (50.0, 4, 1), "H1": (50.0, 2, 1), "H2": (50.0, 1, 1)}
    assert list(st_.loc[["G", "H1", "H2"], "total"]) == [94.17] * 3
    assert d_of(frame(org, a, DIRECT)) == {"G": (100.0, 2, 0), "H1": (100.0, 1, 0),
                                           "H2": (50.0, 1, 1)}  # fmt: skip


def test_a_leader_below_50_counts_for_those_above_with_their_final_score() -> None:
    """H2's own tasks are weak: with d reduced by C, H2 is below 50 — one more below for H1
    and G over the area (the scores counted are final, those under a leader first)."""
    org = org_of(
        [Unit("R", "Sở", head_id="G"), Unit("A", "Phòng", "R", head_id="H1"),
         Unit("B", "Tổ", "A", head_id="H2")],
        [Staff("G", "G", "P", "R", manages_others=True),
         Staff("H1", "H1", "P", "A", manages_others=True),
         Staff("H2", "H2", "P", "B", manages_others=True), Staff("C", "C", "P", "B")],
    )  # fmt: skip
    weak = Assessment("H2", P, competent_scores={**general(10), "so_luong": 40,
                                                 "chat_luong": 40, "tien_do": 40,
                                                 DD: 50, E: 50})  # fmt: skip
    st_ = frame(org, [person("G", manages=True), person("H1", manages=True), weak,
                      person("C", 10)], AREA)  # fmt: skip
    assert st_.loc["H2", "total"] < 50
    assert d_of(st_) == {"G": (50.0, 3, 2), "H1": (50.0, 2, 2), "H2": (50.0, 1, 1)}


# ---------------------------------------------------------------------- rule sets


def test_scope_is_read_from_the_rule_file_and_other_values_are_refused() -> None:
    base = {"extends": "vn.nd335-2025", "id": "agency.direct"}
    assert evalkit.rules.get("vn.nd335-2025").management.scope == "area"
    rs = parse_rule_set({**base, "management": {"scope": "direct"}}, source="agency.toml")
    assert rs.management.scope == "direct"
    with pytest.raises(RuleSetError, match=r"scope must be area .* or direct .*, not "
                                           r"'sideways'.*management\.scope"):  # fmt: skip
        parse_rule_set({**base, "management": {"scope": "sideways"}}, source="agency.toml")


def test_every_preset_with_a_computed_d_reads_the_whole_area() -> None:
    for rid in evalkit.rules.default_registry().ids():
        m = evalkit.rules.get(rid).management
        if m.computed is not None:
            assert m.scope == "area", rid
            assert "whole area led" in m.note, rid


@pytest.fixture
def direct_registered() -> Iterator[str]:
    evalkit.rules.register(attrs.evolve(DIRECT, id="test.nd335-direct",
                                        jurisdiction="test.direct"))  # fmt: skip
    try:
        yield "test.nd335-direct"
    finally:
        evalkit.rules.default_registry().unregister("test.nd335-direct")


def test_with_mixed_rule_sets_the_scope_is_the_leaders(direct_registered: str) -> None:
    """G under a direct-scope set counts HA only; HA's own set does not matter."""
    sm, units = frames_from_objects(so(), SO_SCORES, [])
    area_id = "vn.nd335-2025"
    for g_set, want in ((direct_registered, (100.0, 1, 0)), (area_id, (50.0, 3, 1))):
        sets = np.where(sm["staff_id"] == "G", g_set,
                        np.where(sm["staff_id"] == "HA", direct_registered, area_id))
        st_ = classify_frame(sm.assign(rule_set=sets), units)[0].set_index("staff_id")
        assert d_of(st_)["G"] == want
        assert d_of(st_)["HA"] == (50.0, 2, 1)


# ---------------------------------------------------------------------- property


@st.composite
def trees(draw: st.DrawFn) -> dict[str, Any]:
    """A random management tree by unit heads and manager_id links, with random scores."""
    n_units = draw(st.integers(1, 5))
    parents: list[int | None] = [None] + [draw(st.integers(0, i - 1)) for i in range(1, n_units)]
    n = draw(st.integers(n_units, 20))
    unit_of = list(range(n_units)) + [draw(st.integers(0, n_units - 1))
                                      for _ in range(n - n_units)]  # fmt: skip
    heads = {u: u for u in range(n_units) if draw(st.integers(0, 4)) > 0}  # person u heads u
    staff: list[Staff] = []
    for i in range(n):
        u = unit_of[i]
        # a manager_id link to someone of the same unit listed earlier (never a cycle)
        link = draw(st.one_of(st.none(), st.integers(0, i - 1))) if i > n_units else None
        if link is not None and unit_of[link] != u:
            link = None
        manages = heads.get(u) == i or draw(st.integers(0, 3)) == 0
        staff.append(Staff(f"S{i:02d}", f"N{i}", "P", f"U{u}", manages_others=manages,
                           manager_id=None if link is None or heads.get(u) == i
                           else f"S{link:02d}"))  # fmt: skip
    units = [Unit(f"U{u}", f"U{u}", None if parents[u] is None else f"U{parents[u]}",
                  head_id=f"S{u:02d}" if u in heads else None) for u in range(n_units)]
    a = []
    for s in staff:
        kind = draw(st.integers(0, 9))
        if kind == 0:
            a.append(Assessment(s.id, P))  # not evaluated
            continue
        pct = draw(st.sampled_from([0, 20, 40, 50, 60, 100]))
        a.append(person(s.id, pct, manages=s.manages_others))
    return {"org": org_of(units, staff), "assessments": a}


def naive_d(staff: pd.DataFrame, org: Organisation) -> dict[str, tuple[float, int, int]]:
    """Per leader, walk the chain (manager_id, else the unit's head, a head's the parent
    unit's head; a unit without a head is led by the nearest head above it) recursively:
    everyone evaluated below, and those below 50 (score band)."""
    units = {u.id: u for u in org.units}

    def lead(uid: str | None) -> str | None:
        while uid is not None and units[uid].head_id is None:
            uid = units[uid].parent_id
        return None if uid is None else units[uid].head_id

    def manager(s: Staff) -> str | None:
        if s.manager_id is not None:
            return s.manager_id
        u = units[s.unit_id]
        return lead(u.id) if u.head_id != s.id else lead(u.parent_id)

    under: dict[str, list[str]] = {}
    for s in org.staff:
        m = manager(s)
        if m is not None:
            under.setdefault(m, []).append(s.id)
    for s in org.staff:
        eff = staff.loc[s.id, "effective_manager_id"]
        assert (None if pd.isna(eff) else eff) == manager(s)

    def below_of(sid: str) -> tuple[int, int]:
        n = low = 0
        for k in under.get(sid, []):
            evaluated = not np.isnan(staff.loc[k, "total"])
            n += evaluated
            low += evaluated and staff.loc[k, "score_grade"] == "KHT"
            kn, kl = below_of(k)
            n, low = n + kn, low + kl
        return n, low

    out = {}
    for s in org.staff:
        if s.manages_others and not np.isnan(staff.loc[s.id, "total"]):
            n, low = below_of(s.id)
            if n:
                out[s.id] = (50.0 if low else 100.0, n, low)
    return out


@settings(deadline=None)
@given(case=trees())
def test_area_d_is_the_naive_recursive_count(case: dict[str, Any]) -> None:
    """On random trees the engine's d, counts and totals are those of a per-leader walk;
    typing the naive d gives the same totals and no management.d_typed."""
    org, a = case["org"], case["assessments"]
    st_ = frame(org, a, AREA)
    want = naive_d(st_, org)
    got = d_of(st_)
    assert {k: v for k, v in got.items() if v[1] > 0} == want
    typed = [attrs.evolve(x, competent_scores={**x.competent_scores, "ket_qua_linh_vuc":
                                               want[x.staff_id][0]})
             if x.staff_id in want else x for x in a]  # fmt: skip
    again = frame(org, typed, AREA)
    assert list(again["total"].fillna(-1)) == list(st_["total"].fillna(-1))
    assert not again["reasons"].astype(str).str.contains("management.d_typed").any()
    objects = classify_organisation(org, a, [], AREA,
                                    period=P)  # fmt: skip
    for u in objects.values():
        for r in u.staff:
            t = st_.loc[r.staff_id, "total"]
            assert (r.total is None and np.isnan(t)) or r.total == t


class TestWhoCounts:
    """NĐ 335's d counts the *civil servants* under the leader (công chức thuộc quyền quản
    lý); a viên chức under a công chức leader is judged under NĐ 233, whose own d counts
    viên chức. Without a named rule set each person's set follows their category."""

    def org(self) -> Organisation:
        return Organisation(
            units=[Unit("U", "Sở", head_id="H"), Unit("T", "Trung tâm", "U", head_id="TV")],
            positions=[Position("P", "Chuyên viên"), Position("L", "Lãnh đạo", manages_others=True)],
            staff=[Staff("H", "H", "L", "U"), Staff("C1", "C1", "P", "U"),
                   Staff("TV", "TV", "L", "T", category="vien_chuc"),
                   Staff("V1", "V1", "P", "T", category="vien_chuc")])  # fmt: skip

    def test_a_civil_servants_leader_counts_civil_servants_only(self) -> None:
        # the viên chức's general points are NĐ 233's (Phụ lục I: no nhiem_vu_kho_khan)
        a = [person("H", manages=True), person("C1", 80),
             person("TV", manages=True, rules="vn.nd233-2026"),
             person("V1", 10, rules="vn.nd233-2026")]  # fmt: skip
        period = "2026-07"
        a = [attrs.evolve(x, period=period) for x in a]
        sm, units = frames_from_objects(self.org(), a, [])
        staff = classify_frame(sm, units)[0].set_index("staff_id")
        assert staff.loc["H", "rule_set"] == "vn.nd335-2025"
        assert staff.loc["TV", "rule_set"] == "vn.nd233-2026"
        d = d_of(staff)
        assert d["TV"] == (50.0, 1, 1)  # the viên chức under the centre's head
        assert d["H"] == (100.0, 1, 0)  # C1 only: V1 is not a civil servant
        objects = classify_organisation(self.org(), a, [])
        assert objects["U"].result_of("H").total == staff.loc["H", "total"]

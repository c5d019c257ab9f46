"""`evalkit rules check` and :func:`evalkit.testing.check_rule_set` tell a rule author the
truth (audit 7, rule sets as a Sở Nội vụ author: D4, D6, D7, D8, D12, D13, D14, D15).

Legal facts: NĐ 335/2025/NĐ-CP Điều 20 k4 b–d (the KHT conditions regardless of score,
domain brief §4.1), in force for công chức from 2026-01-01.
"""

from __future__ import annotations

import io
import string
from pathlib import Path

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalkit
import evalkit.rules as R
from evalkit.cli import main
from evalkit.errors import RuleSetError
from evalkit.messages import CATALOGUE, translate
from evalkit.rules._schema import Adjustment
from evalkit.rules.blocks import apply_adjustments
from evalkit.testing import check_rule_set
from evalkit.testing._check import _check_monotone, _full_marks_frame, _what_moved

NDC335 = R.get("vn.nd335-2025")
QUICK = 20


def write(tmp_path: Path, text: str, name: str = "rules.toml") -> Path:
    """A rule file in ``tmp_path``."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def extending(tmp_path: Path, body: str, *, ident: str = "mau.test-2026",
              jurisdiction: str = "vn.mau") -> Path:  # fmt: skip
    """A provincial file extending the NĐ 335 preset, with ``body`` appended."""
    head = f'extends = "vn.nd335-2025"\nid = "{ident}"\njurisdiction = "{jurisdiction}"\n'
    return write(tmp_path, head + body)


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Exit code and everything printed."""
    buf = io.StringIO()
    code = main(args, stdout=buf)
    return code, buf.getvalue() + capsys.readouterr().err


ADJ = """
[[adjustments]]
id = "quality_errors"
adjustment = "per_event_deduction"
input = "chat_luong"
events = "loi_chat_luong"
step = 25
floor = {floor}
source = "QĐ thử nghiệm"
"""


# =========================================================================== D4


class TestADeductionNeverRaisesAValue:
    """per_event_deduction is min(input, max(floor, input − step × events))."""

    def test_an_input_below_the_floor_keeps_its_value_when_an_error_occurs(self) -> None:
        """quality 30 with floor 50: one major error leaves 30, never lifts it to 50."""
        adj = Adjustment("q", "per_event_deduction", "chat_luong", "loi", 25.0, 50.0)
        vals = {"chat_luong": np.array([30.0, 30.0, 100.0, 100.0, 60.0]),
                "loi": np.array([0.0, 1.0, 1.0, 3.0, 1.0])}  # fmt: skip
        out = apply_adjustments([adj], vals.__getitem__)["chat_luong"]
        assert out.tolist() == [30.0, 30.0, 75.0, 50.0, 50.0]

    @given(base=st.floats(0, 100), floor=st.floats(0, 100), step=st.floats(0.5, 100),
           events=st.integers(0, 6))  # fmt: skip
    def test_the_adjusted_input_is_never_above_the_input_and_falls_with_events(
        self, base: float, floor: float, step: float, events: int
    ) -> None:
        """A deduction never raises the input, and one more event never raises the result."""
        adj = Adjustment("q", "per_event_deduction", "x", "n", step, floor)
        vals = {"x": np.array([base, base]), "n": np.array([float(events), events + 1.0])}
        now, more = apply_adjustments([adj], vals.__getitem__)["x"].tolist()
        assert now <= base and more <= now

    def test_one_error_does_not_raise_the_total_of_a_person_below_the_floor(
        self, tmp_path: Path
    ) -> None:
        """NĐ 335 formula: 30 + (100 + 30 + 100) / 3 × 70 % = 83.67, with or without the error."""
        rs = R.load(extending(tmp_path, ADJ.format(floor=50)))
        marks = NDC335.full_marks()
        totals = []
        for loi in (0, 1):
            a = evalkit.Assessment("X", "2026-03", manager_scores={
                **marks, "chat_luong": 30, "loi_chat_luong": loi})  # fmt: skip
            totals.append(evalkit.score(a, rules=rs).total)
        assert totals == [83.67, 83.67]

    @pytest.mark.parametrize("floor", [50, 100])
    def test_the_monotonicity_invariant_probes_an_input_below_the_floor(
        self, tmp_path: Path, floor: int, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """With the old kernel (the floor applied to every hit row), the invariant fails on
        its probe: quality 0, no error → one error."""
        import evalkit._kernels as kernels

        def lifted(adjustments, get):  # type: ignore[no-untyped-def]
            out = {}
            for a in adjustments:
                base, events = get(a.input), get(a.events)
                out[a.input] = np.where(events > 0, np.maximum(a.floor, base - a.step * events),
                                        base)  # fmt: skip
            return out

        path = extending(tmp_path, ADJ.format(floor=floor))
        assert check_rule_set(path, max_examples=QUICK, invariants=["monotonicity"]).ok
        monkeypatch.setattr(kernels, "apply_adjustments", lifted)
        report = check_rule_set(path, max_examples=QUICK, invariants=["monotonicity"])
        text = report.results[0].format()
        assert report.results[0].status == "failed", text
        assert ("raising 'loi_chat_luong' (which may only lower the score) from 0 to 1 raises "
                "the total from") in text  # fmt: skip


# =========================================================================== D6


OVERLAP = ("effective ranges overlap for cong_chuc in 'vn': 'vn.nd335-2025' [2026-01-01, "
           "open end] and 'vn.overlap-2026' from 2026-07-01")  # fmt: skip


class TestDatesAreCheckedBeforeRegistration:
    """A file whose dates clash with a registered set is not "valid"."""

    def overlap(self, tmp_path: Path) -> Path:
        text = (Path(evalkit.__file__).parent / "rules/presets/vn.nd335-2025.toml").read_text(
            "utf-8")  # fmt: skip
        text = text.replace('id = "vn.nd335-2025"', 'id = "vn.overlap-2026"', 1)
        text = text.replace("effective_from = 2026-01-01", "effective_from = 2026-07-01", 1)
        return write(tmp_path, text)

    def test_check_rule_set_reports_the_clash_registration_would_refuse(
        self, tmp_path: Path
    ) -> None:
        """The same sentence as registration: one implementation."""
        path = self.overlap(tmp_path)
        report = check_rule_set(path, invariants=[])
        assert not report.ok
        assert report.static_problems == (f"dates: {OVERLAP}",)
        with pytest.raises(RuleSetError) as exc:
            R.Registry.with_presets().load(path)
        assert exc.value.reason == OVERLAP

    def test_a_gap_is_reported_too(self, tmp_path: Path) -> None:
        """A set for cán bộ in 'vn' ending before QĐ 366 starts leaves a gap (and an overlap
        with nothing): both are said."""
        path = write(tmp_path, 'extends = "vn.qd366-2025"\nid = "vn.early-2020"\n'
                               "effective_from = 2020-01-01\neffective_to = 2024-12-31\n")  # fmt: skip
        assert check_rule_set(path, invariants=[]).static_problems == (
            "dates: effective ranges leave a gap for can_bo in 'vn': 'vn.early-2020' ends "
            "2024-12-31, 'vn.qd366-2025' starts 2025-08-30",
        )

    def test_rules_check_fails_with_the_clash_in_both_languages(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Exit 3; Vietnamese by default, English with --lang en."""
        path = self.overlap(tmp_path)
        code, out = run_cli(["rules", "check", str(path), "--examples", "5"], capsys)
        assert code == 3
        assert ("  - thời gian hiệu lực: thời gian hiệu lực chồng lên nhau đối với công chức ở "
                "'vn': 'vn.nd335-2025' [2026-01-01, không thời hạn] và 'vn.overlap-2026' từ "
                "2026-07-01\n") in out  # fmt: skip
        code, out = run_cli(["--lang", "en", "rules", "check", str(path), "--examples", "5"],
                            capsys)  # fmt: skip
        assert code == 3
        assert f"  - dates: {OVERLAP}\n" in out

    def test_a_provincial_file_and_the_presets_fit_the_registry(self, tmp_path: Path) -> None:
        """No clash where there is none: another jurisdiction, or a preset itself."""
        assert check_rule_set(extending(tmp_path, ""), invariants=[]).ok
        assert check_rule_set(NDC335, invariants=[]).ok


# =========================================================================== D7


class TestTheRollupInvariantUsesTheSetsGrid:
    """Totals of a set with fewer decimals are drawn on its own grid."""

    @pytest.mark.parametrize("decimals", [0, 1, 2, 4])
    def test_a_set_rounding_to_few_decimals_passes_rollup(
        self, tmp_path: Path, decimals: int
    ) -> None:
        """domain.md §4.1: rounding to 0.1 is a real practice; it is not a failure."""
        path = extending(tmp_path, f'[scoring]\nrounding = "half_up"\ndecimals = {decimals}\n')
        report = check_rule_set(path, max_examples=100, invariants=["rollup"])
        assert report.results[0].status == "passed", report.format()

    def test_the_docs_no_longer_say_rollup_is_not_checked(self) -> None:
        """docs/testing-a-rule-change.md §4 describes what rollup checks."""
        doc = (Path(__file__).resolve().parents[1] / "docs/testing-a-rule-change.md").read_text(
            "utf-8")  # fmt: skip
        assert "not yet checked" not in doc
        assert "`[scoring] decimals`" in doc


# =========================================================================== D8


CAP_BODY = """
[[caps]]
id = "degradation"
flag = "degradation"
grade = "KHT"
label_vi = "Suy thoái"
source = "NĐ 335/2025/NĐ-CP, Điều 20 k4 b"
[[caps]]
id = "discipline"
flag = "{flag}"
at_least = {at_least}
grade = "{grade}"
label_vi = "Kỷ luật"
source = "NĐ 335/2025/NĐ-CP, Điều 20 k4 c"
[[caps]]
id = "corruption"
flag = "corruption_in_unit"
applies_to = "{scope}"
grade = "KHT"
label_vi = "Tham nhũng"
source = "NĐ 335/2025/NĐ-CP, Điều 20 k4 d"
"""


def caps(flag: str = "duty_any_discipline", at_least: int = 1, grade: str = "KHT",
         scope: str = "leaders") -> str:  # fmt: skip
    """The three national caps, with the discipline and corruption caps changed."""
    return CAP_BODY.format(flag=flag, at_least=at_least, grade=grade, scope=scope)


def disqualifier_problems(path: Path) -> list[str]:
    """The ``disqualifiers:`` problems of a file."""
    report = check_rule_set(path, invariants=[])
    return [p for p in report.static_problems if p.startswith("disqualifiers:")]


class TestANationalDisqualifierCannotBeLost:
    """A công chức set in 'vn' in force with NĐ 335 keeps Điều 20 k4 b–d."""

    def test_dropping_every_cap_names_each_article(self, tmp_path: Path) -> None:
        """caps = [] loses k4 b, c and d: three problems, each citing its article."""
        problems = disqualifier_problems(extending(tmp_path, "caps = []\n"))
        assert problems == [
            f"disqualifiers: the national disqualifier {cid!r} of 'vn.nd335-2025' "
            f"(NĐ 335/2025/NĐ-CP, Điều 20 k4 {art}; flag {flag} ≥ 1 → KHT, applies_to = "
            f"{scope}) is missing: a rule set for cong_chuc in 'vn.mau' in force with "
            "'vn.nd335-2025' must keep it; a local set may add caps, not remove or weaken them"
            for cid, art, flag, scope in [("degradation", "b", "degradation", "all"),
                                          ("discipline", "c", "duty_any_discipline", "all"),
                                          ("corruption", "d", "corruption_in_unit", "leaders")]
        ]  # fmt: skip

    def test_a_cap_raised_to_the_top_grade_is_refused_twice(self, tmp_path: Path) -> None:
        """A discipline "cap" at HTXS never lowers anything, and weakens k4 c."""
        problems = disqualifier_problems(extending(tmp_path, caps(grade="HTXS")))
        assert problems == [
            "disqualifiers: caps[1] ('discipline') caps the grade at HTXS, the top grade: it "
            "never lowers a grade",
            "disqualifiers: caps[1] ('discipline') weakens the national disqualifier "
            "'discipline' of 'vn.nd335-2025' (NĐ 335/2025/NĐ-CP, Điều 20 k4 c): it must keep "
            "flag duty_any_discipline ≥ 1 → KHT, applies_to = all, not flag "
            "duty_any_discipline ≥ 1 "
            "→ HTXS, applies_to = all; a local set may add caps, not remove or weaken them",
        ]

    @pytest.mark.parametrize(("change", "article"), [
        ({"at_least": 2}, "c"),  # only a second discipline counts
        ({"grade": "HT"}, "c"),  # HT is not KHT
        ({"scope": "heads"}, "d"),  # deputies dropped (domain §4.1: heads and deputies)
        ({"flag": "duty_discipline"}, "c"),  # the party's discipline dropped (af158)
        ({"flag": "discipline"}, "c"),  # likewise
    ])  # fmt: skip
    def test_a_weakened_cap_is_refused(
        self, tmp_path: Path, change: dict[str, object], article: str
    ) -> None:
        """Narrower condition, milder grade or fewer people: each weakens the decree."""
        problems = disqualifier_problems(extending(tmp_path, caps(**change)))  # type: ignore[arg-type]
        assert len(problems) == 1
        assert f"(NĐ 335/2025/NĐ-CP, Điều 20 k4 {article}): it must keep" in problems[0]

    @pytest.mark.parametrize("change", [
        {}, {"flag": "any_discipline"}, {"scope": "all"},
    ])  # fmt: skip
    def test_the_same_or_a_stricter_cap_is_kept(
        self, tmp_path: Path, change: dict[str, str]
    ) -> None:
        """Any discipline covers a duty-related one; everyone covers leaders."""
        assert disqualifier_problems(extending(tmp_path, caps(**change))) == []  # type: ignore[arg-type]

    def test_a_local_set_may_add_a_cap(self, tmp_path: Path) -> None:
        """A provincial extra (two apologies → at most HT) is allowed."""
        extra = caps() + ('[[caps]]\nid = "xin_loi"\nflag = "apologies"\nat_least = 2\n'
                          'grade = "HT"\nlabel_vi = "Xin lỗi"\nsource = "QĐ tỉnh"\n')  # fmt: skip
        assert check_rule_set(extending(tmp_path, extra), invariants=[]).ok

    def test_a_set_outside_vietnam_is_not_held_to_the_decree(self, tmp_path: Path) -> None:
        """An example set (jurisdiction 'example') may drop caps."""
        path = extending(tmp_path, "caps = []\n", jurisdiction="example.lab")
        assert disqualifier_problems(path) == []

    def test_a_set_for_before_2026_is_not_held_to_nd335(self, tmp_path: Path) -> None:
        """A set for 2025 only is not in force with NĐ 335 (from 2026-01-01)."""
        path = extending(tmp_path, "caps = []\neffective_from = 2025-01-01\n"
                                   "effective_to = 2025-12-31\n")  # fmt: skip
        assert disqualifier_problems(path) == []

    def test_rules_check_says_it_in_vietnamese(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Exit 3, the article cited, no English sentence."""
        code, out = run_cli(["rules", "check", str(extending(tmp_path, "caps = []\n")),
                             "--examples", "5"], capsys)  # fmt: skip
        assert code == 3
        assert ("  - trường hợp xếp loại KHT: thiếu trường hợp xếp loại KHT của quy định chung "
                "'discipline' trong 'vn.nd335-2025' (NĐ 335/2025/NĐ-CP, Điều 20 k4 c; `flag` "
                "duty_any_discipline ≥ 1 → KHT, `applies_to` = all): bộ quy định cho công chức ở "
                "'vn.mau' có hiệu lực cùng lúc với 'vn.nd335-2025' phải giữ trường hợp này; "
                "quy định địa phương được thêm giới hạn, không được bỏ hay nới\n") in out  # fmt: skip
        assert "missing" not in out


# =========================================================================== D12


class TestTheNationalQuotaCannotBeRaised:
    """Audit af25: NĐ 335/2025 Điều 20 k5 a — HTXS may not exceed 20 % of those rated HTT
    (domain brief §4.1). A công chức set in 'vn' in force with NĐ 335 may lower that share,
    not raise it, count it on a larger base or drop it from the year; `rules check` said
    such a file was valid."""

    @staticmethod
    def quota_problems(path: Path) -> list[str]:
        report = check_rule_set(path, invariants=[])
        return [p for p in report.static_problems if p.startswith("quota:")]

    @pytest.mark.parametrize(("body", "here"), [
        ("[quota]\npercent = 30\n", "30% HTXS (HTT)"),  # 6 HTXS for 20 HTT, not 4
        ('[quota]\nbase = "classified"\n', "20% HTXS (classified)"),  # a larger base
        ('classified = ["month", "year"]\n[quota]\nperiods = ["month"]\n', "—"),  # no year
    ])  # fmt: skip
    def test_a_raised_quota_is_refused(self, tmp_path: Path, body: str, here: str,
                                       capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
        path = extending(tmp_path, body)
        assert self.quota_problems(path) == [
            "quota: the national quota of 'vn.nd335-2025' ('NĐ 335/2025/NĐ-CP, Điều 20 k5 a') "
            f"is at most 20% HTXS of those rated HTT, here {here}: a rule set for cong_chuc "
            "in 'vn.mau' in force with 'vn.nd335-2025' may lower it, not raise or remove it"]
        code, out = run_cli(["rules", "check", str(path), "--examples", "5"], capsys)
        assert code == 3 and "tối đa 20% số người xếp loại HTT" in out

    @pytest.mark.parametrize("body", ["[quota]\npercent = 15\n", "", "[quota]\npercent = 30\n"])
    def test_a_lower_quota_or_a_set_outside_vn_is_kept(self, tmp_path: Path, body: str) -> None:
        """15 % is stricter than the decree; 'example' is not a Vietnamese jurisdiction."""
        where = "example.mau" if "30" in body else "vn.mau"
        assert self.quota_problems(extending(tmp_path, body, jurisdiction=where)) == []


def test_band_coverage_is_checked_when_a_band_only_lacks_its_source(tmp_path: Path) -> None:
    """Four bands without source and KHT from 10: five problems at once."""
    bands = "".join(f'[[bands]]\ngrade = "{g}"\nmin = {lo}\nmax = {hi}\n'
                    for g, lo, hi in [("HTXS", 90, 100), ("HTT", 70, 90), ("HT", 50, 70),
                                      ("KHT", 10, 50)])  # fmt: skip
    with pytest.raises(RuleSetError) as exc:
        R.load(extending(tmp_path, bands))
    assert exc.value.problems == [  # type: ignore[attr-defined]
        *[(f"bands[{i}].source", "missing required key 'source'") for i in range(4)],
        ("bands", "bands do not cover [0, 10)"),
    ]


# =========================================================================== D13


INVERTED = {"KHT": (90, 100), "HTT": (70, 90), "HT": (50, 70), "HTXS": (0, 50)}


def test_the_monotonicity_message_names_the_band_grade_that_fell() -> None:
    """Inverted bands: quantity 0 → 100 lifts the total from 30 to 30 + 100 / 3 × 70 % =
    53.33 and the band from HTXS ([0, 50)) to HT ([50, 70)); the message says so."""
    bands = tuple(attrs.evolve(b, min=INVERTED[b.grade.code][0], max=INVERTED[b.grade.code][1])
                  for b in NDC335.bands)  # fmt: skip
    rs = attrs.evolve(NDC335, bands=bands)
    frame = _full_marks_frame(rs, [("member of staff", False, None)])
    frame[["so_luong", "chat_luong", "tien_do"]] = 0.0
    failure = _check_monotone(rs, (frame, "so_luong", 100.0))
    assert failure is not None
    assert failure.message == ("raising 'so_luong' from 0 to 100 lowers the band grade from "
                               "HTXS to HT (the total rose from 30 to 53.33)")  # fmt: skip


def test_a_lowered_total_is_still_called_a_lowered_total() -> None:
    """A weight of -1 on the general criteria: ethics 0 → 5 takes the total from
    −25 + 70 = 45 to −30 + 70 = 40."""
    blocks = tuple(attrs.evolve(b, weight=-1.0) if b.id == "general" else b
                   for b in NDC335.blocks)  # fmt: skip
    rs = attrs.evolve(NDC335, blocks=blocks)
    frame = _full_marks_frame(rs, [("member of staff", False, None)])
    frame["pham_chat_dao_duc"] = 0.0
    failure = _check_monotone(rs, (frame, "pham_chat_dao_duc", 5.0))
    assert failure is not None
    assert failure.message == "raising 'pham_chat_dao_duc' from 0 to 5 lowers the total from 45 to 40"


@pytest.mark.parametrize(("direction", "totals", "bands", "grades", "said"), [
    (1, (60.0, 60.0), (2, 2), (2, 0), "lowers the grade from HTT to KHT (the total stayed 60)"),
    (-1, (60.0, 55.0), (1, 1), (1, 3),
     "raises the grade from HT to HTXS (the total fell from 60 to 55)"),
])  # fmt: skip
def test_only_the_final_grade_moving_is_called_the_grade(
    direction: int, totals: tuple[float, float], bands: tuple[int, int],
    grades: tuple[int, int], said: str,
) -> None:  # fmt: skip
    """A cap moving the grade with the band unchanged: "the grade", with the total's move."""
    assert _what_moved(direction, totals, bands, grades) == said


# =========================================================================== D14


def test_rules_check_speaks_vietnamese_for_bands_and_grades(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The band gap and the unknown grade of audit 7 D14, in Vietnamese."""
    body = ('[[bands]]\ngrade = "HTXS"\nmin = 90\nmax = 100\nsource = "x"\n'
            '[[bands]]\ngrade = "HTT"\nmin = 70\nmax = 90\nsource = "x"\n'
            '[[bands]]\ngrade = "HT"\nmin = 50\nmax = 65\nsource = "x"\n'
            '[[bands]]\ngrade = "KHT"\nmin = 0\nmax = 50\nsource = "x"\n'
            '[[caps]]\nid = "a"\nflag = "degradation"\ngrade = "XYZ"\nlabel_vi = "a"\n'
            'source = "x"\n')  # fmt: skip
    code, out = run_cli(["rules", "check", str(extending(tmp_path, body))], capsys)
    assert code == 3
    assert "  - bands: các khoảng điểm để hở từ 65 đến 70: HT [50, 65) và HTT [70, 90)\n" in out
    assert "  - caps[0].grade: mức 'XYZ' không có; các mức là HTXS, HTT, HT hoặc KHT\n" in out


def test_a_rule_files_common_mistakes_are_said_in_vietnamese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A misspelt flag and status, a wrong period, scope and threshold: all Vietnamese."""
    body = ('period = "week"\n[[caps]]\nid = "degradation"\nflag = "degradaton"\n'
            'grade = "KHT"\nlabel_vi = "x"\napplies_to = "boss"\nat_least = 0\n'
            'source = "NĐ 335/2025/NĐ-CP, Điều 20 k4 b"\nstatus = "verifed"\n')  # fmt: skip
    code, out = run_cli(["rules", "check", str(extending(tmp_path, body))], capsys)
    assert code == 3
    assert out.endswith(
        ": 5 lỗi:\n"
        "  - period: `period` phải là 'month' hoặc 'quarter', tệp ghi 'week'\n"
        "  - caps[0].flag: dấu hiệu (flag) 'degradaton' không có; có phải là 'degradation'?\n"
        "  - caps[0].applies_to: `applies_to` phải là một trong all, leaders, heads, tệp ghi "
        "'boss'\n"
        "  - caps[0].at_least: `at_least` phải là số nguyên ≥ 1 (dấu hiệu bằng 0 nghĩa là không "
        "có), tệp ghi 0\n"
        "  - caps[0].status: mức tin cậy 'verifed' không có; các mức là verified, secondary, "
        "practice, unsourced; có phải là 'verified'?\n"
    )


def test_a_failed_invariant_is_said_in_vietnamese_with_its_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The FAIL heading, the invariant's sentence and its message are Vietnamese."""
    bands = "".join(f'[[bands]]\ngrade = "{g}"\nmin = {lo}\nmax = {hi}\nsource = "x"\n'
                    for g, lo, hi in [("KHT", 90, 100), ("HTT", 70, 90), ("HT", 50, 70),
                                      ("HTXS", 0, 50)])  # fmt: skip
    code, out = run_cli(["rules", "check", str(extending(tmp_path, bands)), "--examples", "20"],
                        capsys)  # fmt: skip
    assert code == 3
    assert ("  - KHÔNG ĐẠT  grade_monotone: tổng điểm cao hơn không bao giờ được mức theo điểm "
            "thấp hơn\n      tổng cao hơn 50 lại được mức thấp hơn (HT) so với 49.999 (HTXS)\n"
            "      ví dụ vi phạm:\n") in out  # fmt: skip
    assert "FAIL" not in out and "a higher total" not in out


RULE_KEYS = sorted(k for k in CATALOGUE if k.startswith(("foreign.rules.", "foreign.check.")))


@pytest.mark.parametrize("key", RULE_KEYS)
def test_every_rule_check_sentence_is_recognised_and_said_in_vietnamese(key: str) -> None:
    """The English sentence the library makes is matched and said with the same values."""
    vi, en = CATALOGUE[key]
    fields = {f for _, f, _, _ in string.Formatter().parse(en) if f}
    values = {f: f"<{f}{i}>" for i, f in enumerate(sorted(fields))}
    assert translate(en.format(**values), "vi") == vi.format(**values)


# =========================================================================== D15


def test_a_changed_copy_of_a_preset_is_not_shown_with_the_presets_file() -> None:
    """attrs.evolve keeps the base's path; the report does not name that file."""
    quota = attrs.evolve(NDC335.quota, percent=120.0)
    report = check_rule_set(attrs.evolve(NDC335, id="x.q120", quota=quota), max_examples=5,
                            invariants=["quota"])  # fmt: skip
    assert report.source is None
    assert report.format().startswith("rule set 'x.q120': 1 invariant(s) failed\n")
    assert "vn.nd335-2025.toml" not in report.format()


def test_a_set_read_from_a_file_is_shown_with_its_file(tmp_path: Path) -> None:
    """The file is named when the checked set is the file's (loaded, not changed)."""
    path = extending(tmp_path, "")
    assert check_rule_set(R.load(path), invariants=[]).source == str(path)
    assert check_rule_set(NDC335, invariants=[]).source == NDC335.path


# =========================================================================== af21


class TestAFileThatDoesNotReadStillGetsItsOtherChecks:
    """An unknown key or a wrong type does not hide the date clash or a lost national
    disqualifier: every problem of a rule file at once (audit af21)."""

    def overlap(self, tmp_path: Path, extra: str) -> Path:
        text = (Path(evalkit.__file__).parent / "rules/presets/vn.nd335-2025.toml").read_text(
            "utf-8")  # fmt: skip
        text = text.replace('id = "vn.nd335-2025"', 'id = "vn.overlap-2026"', 1)
        text = text.replace("effective_from = 2026-01-01", "effective_from = 2026-07-01", 1)
        return write(tmp_path, extra + text)

    def test_an_unknown_key_and_the_clash_are_both_said(self, tmp_path: Path) -> None:
        path = self.overlap(tmp_path, 'roundng = "floor"\n')
        with pytest.raises(RuleSetError) as exc:
            check_rule_set(path, invariants=[])
        listed = exc.value.problems  # type: ignore[attr-defined]
        assert [k for k, _ in listed] == ["roundng", "dates"]
        assert listed[1] == ("dates", OVERLAP)
        assert str(path) in str(exc.value)

    def test_a_wrong_type_and_lost_disqualifiers_are_all_said(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """caps = [] loses Điều 20 k4 b, c, d; a text title_en is a wrong type elsewhere."""
        path = extending(tmp_path, "title_en = 5\ncaps = []\n")
        code, out = run_cli(["--lang", "en", "rules", "check", str(path)], capsys)
        assert code == 3
        assert "4 problem(s)" in out
        assert "  - title_en: expected text, got 5\n" in out
        for cid in ("degradation", "discipline", "corruption"):
            assert f"disqualifiers: the national disqualifier {cid!r} of 'vn.nd335-2025'" in out

    def test_a_check_whose_keys_have_a_problem_is_not_run_on_guesses(
        self, tmp_path: Path
    ) -> None:
        """A cap whose grade does not read is not taken as KHT, or as weakening the decree;
        a set whose dates do not read is not dated."""
        path = extending(tmp_path, "effective_to = 5\n" + caps(grade="XYZ"))
        with pytest.raises(RuleSetError) as exc:
            check_rule_set(path, invariants=[])
        assert [k for k, _ in exc.value.problems] == [  # type: ignore[attr-defined]
            "effective_to", "caps[1].grade"]

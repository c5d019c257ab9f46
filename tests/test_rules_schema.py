"""Rule files: errors a rule author can act on, the registry's date checks, and look-up by date.

Issue 4 item 5: every error names the file, the key path and what is wrong, and a file's
problems are reported together. Domain brief §4: the set in force on the period's date is
applied automatically; applying a set outside its dates is an explicit choice.
"""

from __future__ import annotations

import copy
import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

import attrs
import pytest

import evalkit
from evalkit import Assessment, Grade, NoRuleSetError, RuleSetError, RuleSetNotInForceError
from evalkit.rules import Registry, parse_rule_set, read_rule_file

PRESETS = Path(evalkit.__file__).parent / "rules" / "presets"
#: NĐ 233/2026 at full marks: its general group is Phụ lục I's (no nhiem_vu_kho_khan).
FULL_233 = evalkit.rules.get("vn.nd233-2026").full_marks()


def base() -> dict[str, Any]:
    """A deep copy of the NĐ 335/2025 preset as parsed TOML, to break one key at a time."""
    data = tomllib.loads((PRESETS / "vn.nd335-2025.toml").read_text(encoding="utf-8"))
    return copy.deepcopy(data)


def problems_of(data: dict[str, Any], source: str = "agency.toml") -> RuleSetError:
    """The RuleSetError ``data`` raises."""
    with pytest.raises(RuleSetError) as info:
        parse_rule_set(data, source=source)
    return info.value


def write(tmp_path: Path, text: str, name: str = "agency.toml") -> Path:
    """Write a rule file."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# =========================================================================== messages


def test_overlapping_bands_are_named_with_both_ranges() -> None:
    """A band starting inside another is reported as the two ranges, top band closed."""
    data = base()
    data["bands"][0]["min"] = 85  # HTXS [85, 100] over HTT [70, 90)
    err = problems_of(data)
    assert "bands overlap: HTT [70, 90) and HTXS [85, 100]" in str(err)
    assert err.key == "bands" and err.source == "agency.toml"
    assert "file agency.toml" in str(err) and "key bands" in str(err)


def test_a_gap_between_bands_names_where_it_is() -> None:
    """Totals between two bands would get no grade: the gap is named."""
    data = base()
    data["bands"][1]["max"] = 85  # HTT [70, 85), HTXS from 90
    err = problems_of(data)
    assert "bands leave a gap between 85 and 90: HTT [70, 85) and HTXS [90, 100]" in str(err)


def test_bands_not_reaching_zero_or_the_total_are_reported() -> None:
    """Bands must cover [0, total]."""
    data = base()
    data["bands"][3]["min"] = 10
    err = problems_of(data)
    assert "bands do not cover [0, 10)" in str(err)


def test_a_grade_given_two_bands_names_both_with_their_bounds() -> None:
    """Not "band HT is above band HT": the grade has two bands, said with their bounds,
    once (audit af21)."""
    data = base()
    data["bands"][1]["grade"] = "HT"  # HT [50, 70) and HT [70, 90)
    err = problems_of(data)
    assert err.reason == "grade HT has more than one band: HT [50, 70) and HT [70, 90)"
    assert "is above band" not in str(err)


def test_bands_in_the_wrong_order_name_both_with_their_bounds() -> None:
    """A lower grade above a higher one: which band, where, above which."""
    data = base()
    data["bands"][0]["grade"], data["bands"][1]["grade"] = "HTT", "HTXS"
    err = problems_of(data)
    assert err.reason == "band HTT [90, 100] is above band HTXS [70, 90) but is a lower grade"


def test_block_points_not_adding_up_to_the_total_is_reported_with_both_numbers() -> None:
    """The blocks must share out exactly the rule set's total."""
    data = base()
    data["blocks"][0]["points"] = 25
    err = problems_of(data)
    assert "block points sum to 95, the rule set's total is 100" in str(err)
    assert err.key == "blocks"


def test_criterion_maxima_not_adding_up_to_the_group_max_name_the_group() -> None:
    """A group's criteria must add up to the group's maximum, a section's to the section's."""
    data = base()
    data["groups"][0]["criteria"][0]["max"] = 1
    err = problems_of(data)
    assert "criterion maxima of group 'general' sum to 26, the group's max is 30" in str(err)
    assert "criteria of section 'a' sum to 6, the section's max is 10" in str(err)
    assert [k for k, _ in err.problems] == ["groups[0].sections", "groups[0].criteria"]


def test_a_misspelt_block_kind_suggests_the_right_one() -> None:
    """A typo in a block kind names the key path and suggests the known kind."""
    data = base()
    data["blocks"][1]["block"] = "ratoi"
    err = problems_of(data)
    assert "unknown block 'ratoi' — did you mean 'ratio'?" in str(err)
    assert err.key == "blocks[1].block" and "key blocks[1].block" in str(err)
    assert "block points sum" not in str(err)  # no follow-on error for the unread block


def test_a_misspelt_top_level_key_suggests_the_right_one() -> None:
    """Unknown keys are errors (a typo would otherwise be silently ignored)."""
    data = base()
    data["efective_to"] = dt.date(2030, 1, 1)
    err = problems_of(data)
    assert "unknown key 'efective_to' — did you mean 'effective_to'?" in str(err)
    assert err.key == "efective_to"


def test_an_unknown_criterion_in_a_block_suggests_the_closest_id() -> None:
    """Blocks refer to criteria by id; a wrong id is named with the closest one."""
    data = base()
    data["blocks"][1]["inputs"] = ["so_luong", "chat_luongg", "tien_do"]
    err = problems_of(data)
    assert "unknown criterion 'chat_luongg' — did you mean 'chat_luong'?" in str(err)
    assert err.key == "blocks[1].inputs[1]"


def test_a_percentage_criterion_used_as_a_count_is_refused() -> None:
    """An adjustment counts events: its events criterion must be a count."""
    data = base()
    data["adjustments"][0]["events"] = "so_luong"
    err = problems_of(data)
    assert "criterion 'so_luong' is scored in percent, not count" in str(err)


def test_a_quota_percent_above_100_is_refused() -> None:
    """A quota is a percentage between 0 and 100."""
    data = base()
    data["quota"]["percent"] = 120
    err = problems_of(data)
    assert "quota percent must be within 0 to 100, not 120" in str(err)
    assert err.key == "quota.percent"


@pytest.mark.parametrize("key", ["raised_percent", "percent_if_unit_excellent"])
def test_a_raised_quota_below_the_ordinary_one_is_refused(key: str, tmp_path: Path) -> None:
    """Audit 16 #9: the raised cap for an excellent unit is the higher one (NĐ 335/2025
    Điều 20 k5 b allows more, never less): 5 % against 20 % is refused, naming the file,
    the key and both values; equal is the boundary and loads."""
    data = base()
    del data["quota"]["raised_percent"]
    data["quota"][key] = 5
    err = problems_of(data)
    assert err.key == f"quota.{key}" and err.source == "agency.toml"
    assert f"{key} = 5 is below percent = 20" in str(err)
    data["quota"][key] = 20
    assert parse_rule_set(data, source="agency.toml").quota.raised_percent == 20  # type: ignore[union-attr]
    text = (PRESETS / "vn.nd335-2025.toml").read_text(encoding="utf-8")
    assert "\nraised_percent = 25\n" in text
    path = write(tmp_path, text.replace("\nraised_percent = 25\n", f"\n{key} = 19.5\n"))
    with pytest.raises(RuleSetError) as info:
        evalkit.rules.load(path)
    assert info.value.source == str(path) and info.value.key == f"quota.{key}"
    assert f"{key} = 19.5 is below percent = 20" in str(info.value)


def test_check_rule_set_reports_a_raised_quota_below_the_ordinary_one() -> None:
    """The same rule holds for a rule set built in Python (check_rule_set's static
    problems share the loader's function)."""
    import attrs

    from evalkit.testing import check_rule_set

    rs = evalkit.rules.get("vn.nd335-2025")
    low = attrs.evolve(rs, quota=attrs.evolve(rs.quota, percent_if_unit_excellent=10.0))
    report = check_rule_set(low, max_examples=1, invariants=[])
    assert any(p.startswith("quota.percent_if_unit_excellent: the raised quota")
               and "= 10 is below percent = 20" in p for p in report.problems)  # fmt: skip
    assert not check_rule_set(rs, max_examples=1, invariants=[]).problems


def test_a_rule_without_a_source_is_refused() -> None:
    """Every rule must carry its citation."""
    data = base()
    del data["bands"][0]["source"]
    err = problems_of(data)
    assert "missing required key 'source'" in str(err) and err.key == "bands[0].source"


def test_a_rule_vouching_for_a_citation_it_does_not_give_is_refused() -> None:
    """A band, a table or the set whose status is verified or secondary but whose source is
    empty or missing cites nothing: refused at its key, each said (practice may be empty)."""
    data = base()
    data["bands"][1]["source"] = ""
    data["bands"][1]["status"] = "secondary"
    data["rollup"].pop("source", None)
    data["rollup"]["status"] = "verified"
    data["units"]["source"] = "  "
    data["units"]["status"] = "secondary"
    text = str(problems_of(data))
    assert text.startswith("3 problems in the rule set:"), text
    for key in ("bands[1].source", "rollup.source", "units.source"):
        assert f"{key}: status " in text, text
    assert "vouches for a citation, but the rule cites nothing" in text
    data = base()
    data["bands"][1]["source"] = ""
    data["bands"][1]["status"] = "practice"
    parse_rule_set(data, source="agency.toml")


def test_a_misspelt_required_key_is_one_problem() -> None:
    """``lable_vi`` for ``label_vi`` is one problem, the unknown key with its hint, not that
    and 'missing required key label_vi' too; the hint-less missing key is still said."""
    data = base()
    crit = data["groups"][0]["criteria"][0]
    crit["lable_vi"] = crit.pop("label_vi")
    err = problems_of(data)
    assert err.key == "groups[0].criteria[0].lable_vi"
    assert "did you mean 'label_vi'?" in str(err) and "missing" not in str(err)
    data = base()
    del data["groups"][0]["criteria"][0]["label_vi"]
    assert "missing required key 'label_vi'" in str(problems_of(data))


def test_a_criterion_that_does_not_read_leaves_its_sections_sum_unsaid() -> None:
    """A criterion with a bad maximum is refused at its max; its section's sum, which lacks
    it, is not said wrong too (one problem, said once)."""
    data = base()
    data["groups"][0]["criteria"][0]["max"] = -5
    err = problems_of(data)
    assert err.key == "groups[0].criteria[0].max", str(err)


def test_effective_to_before_effective_from_is_refused() -> None:
    """The dates must make a range."""
    data = base()
    data["effective_to"] = dt.date(2025, 12, 31)
    err = problems_of(data)
    assert "effective_to 2025-12-31 is before effective_from 2026-01-01" in str(err)


def test_several_problems_are_reported_together() -> None:
    """A rule author fixes a file in one pass: every problem is listed at once."""
    data = base()
    data["blocks"][1]["block"] = "ratoi"
    data["bands"][0]["min"] = 85
    data["quota"]["rounding"] = "nearest"
    del data["effective_from"]
    err = problems_of(data)
    text = str(err)
    assert text.startswith("4 problems in the rule set:")
    keys = [k for k, _ in err.problems]  # type: ignore[attr-defined]
    assert keys == ["effective_from", "blocks[1].block", "bands", "quota.rounding"]
    assert "  - blocks[1].block: unknown block 'ratoi' — did you mean 'ratio'?" in text
    assert "  - quota.rounding: rounding must be floor, half_up or ceil, not 'nearest'" in text
    assert "file agency.toml" in text


def test_a_file_with_problems_is_named_in_the_error(tmp_path: Path) -> None:
    """read_rule_file puts the file's path in the message."""
    text = (PRESETS / "vn.nd335-2025.toml").read_text(encoding="utf-8")
    path = write(tmp_path, text.replace('block = "percent_average"', 'block = "percent_avg"'))
    with pytest.raises(RuleSetError) as info:
        read_rule_file(path)
    assert f"file {path}" in str(info.value)
    assert "did you mean 'percent_average'?" in str(info.value)


def test_invalid_toml_names_the_file_and_the_line(tmp_path: Path) -> None:
    """A syntax error is reported as such, with the file and TOML's line and column."""
    path = write(tmp_path, 'id = "x"\ntotal = = 100\n')
    with pytest.raises(RuleSetError, match=r"invalid TOML: .*line 2") as info:
        read_rule_file(path)
    assert info.value.source == str(path)


def test_a_missing_file_is_a_rule_set_error(tmp_path: Path) -> None:
    """A path that does not exist is named."""
    with pytest.raises(RuleSetError, match="cannot read rule file"):
        read_rule_file(tmp_path / "nope.toml")


def test_rollup_grade_kht_is_read_as_kht() -> None:
    """KHT is grade 0: the parser must not mistake it for a missing value."""
    rs = parse_rule_set(base(), source="agency.toml")
    assert rs.rollup.discipline_grade is Grade.KHT


# =========================================================================== registry


def dated(rid: str, start: dt.date, end: dt.date | None, jur: str = "vn.test") -> Any:
    """The NĐ 335 preset renamed and re-dated."""
    data = base()
    data.update(id=rid, jurisdiction=jur, effective_from=start)
    data.pop("effective_to", None)
    if end is not None:
        data["effective_to"] = end
    return parse_rule_set(data, source=f"{rid}.toml")


def test_registry_rejects_overlapping_ranges_for_one_category_and_jurisdiction() -> None:
    """Two sets in force on the same day for the same staff would be ambiguous."""
    reg = Registry([dated("a", dt.date(2026, 1, 1), dt.date(2026, 6, 30))])
    with pytest.raises(RuleSetError) as info:
        reg.register(dated("b", dt.date(2026, 6, 30), None))
    msg = str(info.value)
    assert "effective ranges overlap for cong_chuc in 'vn.test'" in msg
    assert "'a' [2026-01-01, 2026-06-30] and 'b' from 2026-06-30" in msg
    assert "b.toml" in msg
    assert reg.ids() == ["a"]


def test_registry_rejects_an_open_ended_set_followed_by_another() -> None:
    """A set without effective_to must be closed before a successor is added."""
    reg = Registry([dated("a", dt.date(2026, 1, 1), None)])
    with pytest.raises(RuleSetError, match=r"'a' \[2026-01-01, open end\] and 'b'"):
        reg.register(dated("b", dt.date(2027, 1, 1), None))


def test_registry_rejects_a_gap_between_successive_sets() -> None:
    """A day without rules for a category is an error, not a silent hole."""
    reg = Registry([dated("a", dt.date(2026, 1, 1), dt.date(2026, 6, 29))])
    with pytest.raises(RuleSetError) as info:
        reg.register(dated("b", dt.date(2026, 7, 1), None))
    assert ("effective ranges leave a gap for cong_chuc in 'vn.test': 'a' ends 2026-06-29, "
            "'b' starts 2026-07-01") in str(info.value)  # fmt: skip


def test_registry_accepts_contiguous_sets_and_picks_by_date() -> None:
    """The day after one set ends, the next begins: no gap, no overlap."""
    reg = Registry([dated("a", dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
                    dated("b", dt.date(2026, 7, 1), None)])  # fmt: skip
    assert reg.for_period("cong_chuc", "2026-06", "vn.test").id == "a"
    assert reg.for_period("cong_chuc", "2026-07", "vn.test").id == "b"


def test_sets_of_different_jurisdictions_never_clash() -> None:
    """A province's set may cover the same dates as another province's."""
    reg = Registry([dated("a", dt.date(2026, 1, 1), None, "vn.x"),
                    dated("b", dt.date(2026, 1, 1), None, "vn.y")])  # fmt: skip
    assert len(reg) == 2


def test_registering_an_id_twice_is_refused() -> None:
    """Ids are unique: another content under a registered id is refused (replace=True swaps
    a set on purpose); the same set again, from any file (a script run twice), is a no-op."""
    reg = Registry([dated("a", dt.date(2026, 1, 1), None)])
    held = reg.get("a")
    assert reg.register(dated("a", dt.date(2026, 1, 1), None)) is held
    assert reg.register(attrs.evolve(held, path="elsewhere/a.toml")) is held and len(reg) == 1
    with pytest.raises(RuleSetError, match="'a' is already registered with other content"):
        reg.register(attrs.evolve(held, total=90.0))
    reg.register(dated("a", dt.date(2025, 1, 1), None), replace=True)
    assert reg.get("a").effective_from == dt.date(2025, 1, 1)


def test_every_preset_registers_together_without_clash() -> None:
    """The shipped presets form one consistent registry."""
    reg = Registry.with_presets()
    assert reg.ids() == ["example.tasks-80", "hanoi.3814-2018", "vn.customs-2026q",
                         "vn.nd233-2026", "vn.nd335-2025", "vn.nd90-2020", "vn.nd90-2020-cc",
                         "vn.qd366-2025"]  # fmt: skip


def test_an_unknown_id_suggests_the_closest() -> None:
    """A typo in a rule-set id is answered with the closest id."""
    with pytest.raises(NoRuleSetError, match=r"did you mean 'vn\.nd233-2026'"):
        evalkit.rules.get("vn.nd233_2026")


# =========================================================================== by date


def test_for_period_picks_nd90_for_march_2026_and_nd233_for_september_2026() -> None:
    """Domain brief §4.2: NĐ 90/2020 gives way to NĐ 233/2026 for viên chức on 2026-07-01."""
    assert evalkit.rules.for_period("vien_chuc", "2026-03").id == "vn.nd90-2020"
    assert evalkit.rules.for_period("vien_chuc", "2026-09").id == "vn.nd233-2026"


def test_scoring_a_vien_chuc_picks_the_set_by_month_with_no_argument() -> None:
    """Issue 4: a March and a September month get different rule sets without being told."""
    g = {"chinh_tri": 7.5, "dao_duc": 7.5, "tac_phong": 7.5, "ky_luat": 7.5}
    tasks = {"so_luong": 100, "chat_luong": 100, "tien_do": 100}
    march = evalkit.score(Assessment("VC-1", "2026-03", manager_scores={**g, **tasks}),
                          category="vien_chuc")  # fmt: skip
    sept = evalkit.score(
        Assessment("VC-1", "2026-09", manager_scores={**FULL_233, **tasks}), category="vien_chuc"
    )
    assert (march.rule_set_id, sept.rule_set_id) == ("vn.nd90-2020", "vn.nd233-2026")


def test_forcing_a_set_outside_its_range_raises_without_force() -> None:
    """Domain brief §4: applying a set outside its dates must be an explicit choice."""
    a = Assessment("VC-1", "2026-03", manager_scores=FULL_233)
    with pytest.raises(
        RuleSetNotInForceError, match=r"'vn\.nd233-2026' is in force from 2026-07-01"
    ):
        evalkit.score(a, rules="vn.nd233-2026", category="vien_chuc")
    forced = evalkit.score(a, rules="vn.nd233-2026", category="vien_chuc", force=True)
    assert forced.rule_set_id == "vn.nd233-2026" and forced.total == 100.0


def test_forcing_an_ended_set_after_its_range_raises_without_force() -> None:
    """NĐ 90/2020 ended for viên chức on 2026-06-30: July 2026 needs force=True."""
    g = {"chinh_tri": 7.5, "dao_duc": 7.5, "tac_phong": 7.5, "ky_luat": 7.5}
    a = Assessment(
        "VC-1", "2026-07", manager_scores={**g, "so_luong": 100, "chat_luong": 100, "tien_do": 100}
    )
    with pytest.raises(RuleSetNotInForceError, match="to 2026-06-30, not in 2026-07"):
        evalkit.score(a, rules="vn.nd90-2020", category="vien_chuc")
    assert evalkit.score(a, rules="vn.nd90-2020", category="vien_chuc", force=True).total == 100


def test_the_frame_path_refuses_a_set_outside_its_range_too() -> None:
    """score_frame checks every period of the frame against the named set's dates."""
    import pandas as pd

    frame = pd.DataFrame([{"staff_id": "VC-1", "period": "2026-03", **FULL_233}])
    with pytest.raises(RuleSetNotInForceError):
        evalkit.score_frame(frame, "vn.nd233-2026")
    assert evalkit.score_frame(frame, "vn.nd233-2026", force=True)["total"].iloc[0] == 100


def test_a_month_before_any_set_has_no_rule_set() -> None:
    """No national công chức set exists before NĐ 90/2020 (20/8/2020): the look-up says so."""
    with pytest.raises(NoRuleSetError, match="no rule set is in force for cong_chuc in 2020-07"):
        evalkit.rules.for_period("cong_chuc", "2020-07")


def test_in_force_on_is_exact_to_the_day() -> None:
    """Effective dates are days: both ends are inclusive."""
    rs = evalkit.rules.get("vn.nd90-2020")
    assert not rs.in_force_on(dt.date(2020, 8, 19))
    assert rs.in_force_on(dt.date(2020, 8, 20)) and rs.in_force_on(dt.date(2026, 6, 30))
    assert not rs.in_force_on(dt.date(2026, 7, 1))

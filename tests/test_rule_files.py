"""Rule files checked at the door (issue 16 item 2): every reproduction of the attack run.

Each case once ended in a traceback (exit 4) or was silently replaced by a default (a
total of 0 became 100, an id of "" became "?") or passed ``rules check`` while making
everyone KHT. Each now gets a RuleSetError naming the file and the key path (or the line,
for what is refused before parsing), and ``evalkit rules check`` exits 3 with the message.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import tomllib
from pathlib import Path
from typing import Any

import attrs
import pytest

import evalkit
from evalkit import Grade, RuleSetError
from evalkit.cli import main
from evalkit.rules import parse_rule_set, read_rule_file
from evalkit.testing import check_rule_set

PRESETS = Path(evalkit.__file__).parent / "rules" / "presets"
ND335 = (PRESETS / "vn.nd335-2025.toml").read_text(encoding="utf-8")
HANOI = (PRESETS / "hanoi.3814-2018.toml").read_text(encoding="utf-8")


def data_335() -> dict[str, Any]:
    """The NĐ 335/2025 preset as parsed TOML, under another id, to break one key at a time."""
    data = copy.deepcopy(tomllib.loads(ND335))
    data["id"] = "test.agency"
    return data


def write(tmp_path: Path, text: str, name: str = "agency.toml") -> Path:
    """Write ``text`` as a rule file (the NĐ 335 preset's id replaced, so it can load)."""
    path = tmp_path / name
    path.write_text(text.replace('id = "vn.nd335-2025"', 'id = "test.agency"', 1),
                    encoding="utf-8")  # fmt: skip
    return path


def edit(old: str, new: str, text: str = ND335) -> str:
    """``text`` with one occurrence of ``old`` replaced (which must be there)."""
    assert old in text, old
    return text.replace(old, new, 1)


def error_of(path: Path) -> RuleSetError:
    """The RuleSetError reading ``path`` raises; it names the file."""
    with pytest.raises(RuleSetError) as info:
        read_rule_file(path)
    assert info.value.source == str(path)
    assert f"file {path}" in str(info.value)
    return info.value


def parse_error(data: dict[str, Any]) -> RuleSetError:
    """The RuleSetError parsing ``data`` raises; it names the source."""
    with pytest.raises(RuleSetError) as info:
        parse_rule_set(data, source="agency.toml")
    assert info.value.source == "agency.toml"
    return info.value


def problems(err: RuleSetError) -> dict[str, str]:
    """Key path → message of every problem of ``err``."""
    listed = getattr(err, "problems", None)
    if listed:
        return dict(listed)
    assert err.key is not None, str(err)
    return {err.key: err.reason}


def check_cli(path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """``evalkit rules check`` on ``path``: exit 3 (the rule file is invalid), never 4."""
    code = main(["rules", "check", str(path), "--examples", "5"], stdout=io.StringIO())
    out = capsys.readouterr().err
    assert code == 3, out
    assert "Internal error" not in out and "Traceback" not in out
    return out


# =========================================================================== before parsing


@pytest.mark.parametrize("deep", [
    "x = " + "[" * 1000 + "]" * 1000,
    "x = " + "{a = " * 1000 + "1" + "}" * 1000,
    "x = " + "[{a = " * 500 + "1" + "}]" * 500,
], ids=["arrays", "inline tables", "mixed"])  # fmt: skip
def test_nesting_1000_levels_deep_is_refused_at_its_line(
    tmp_path: Path, deep: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Once a RecursionError (exit 4); now refused before tomllib recurses, with the line."""
    path = write(tmp_path, edit("[[groups]]", deep + "\n\n[[groups]]"))
    line = ND335[: ND335.index("[[groups]]")].count("\n") + 1
    err = error_of(path)
    assert err.reason == (f"arrays and inline tables are nested deeper than 20 levels at "
                          f"line {line}")  # fmt: skip
    assert f"dòng {line}" in check_cli(path, capsys)  # the command line says it in Vietnamese


def test_twenty_levels_of_nesting_are_still_read(tmp_path: Path) -> None:
    """The bound is 20: a value nested 20 deep is read (and refused as an unknown key)."""
    path = write(tmp_path, edit("[[groups]]", "x = " + "[" * 20 + "]" * 20 + "\n[[groups]]"))
    assert problems(error_of(path)) == {"x": "unknown key 'x'"}


def test_deep_dotted_keys_are_refused_with_their_key_path(tmp_path: Path) -> None:
    """Dotted keys nest tables without brackets: the depth is checked after parsing too."""
    path = write(tmp_path, "deep." + ".".join(["a"] * 50) + " = 1\n" + ND335)
    err = error_of(path)
    assert err.reason == "tables and arrays are nested deeper than 20 levels"
    assert err.key is not None and err.key.startswith("deep.a.a.a")


@pytest.mark.parametrize("literal", ["1" + "0" * 400, "-" + "9" * 31, "0x" + "f" * 400,
                                     "1" + "0" * 400 + ".5"])  # fmt: skip
def test_integers_of_10_400_are_refused_at_their_line(
    tmp_path: Path, literal: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Once an OverflowError (exit 4) converting 10^400 to a float; now the line is named."""
    path = write(tmp_path, edit("total = 100", f"total = {literal}"))
    line = ND335[: ND335.index("total = 100")].count("\n") + 1
    err = error_of(path)
    assert re.fullmatch(rf"a number of \d+ digits at line {line}: numbers in a rule file "
                        r"have at most 30 digits", err.reason), err.reason  # fmt: skip
    assert f"dòng {line}" in check_cli(path, capsys)  # the command line says it in Vietnamese


def test_an_integer_of_10_400_in_a_mapping_names_its_key() -> None:
    """A mapping built in code skips the text scan: the key is named, nothing overflows."""
    data = data_335()
    data["total"] = 10**400
    data["units"]["excellent_min_score"] = -(10**400)
    assert problems(parse_error(data)) == {
        "total": "expected a number between -10^9 and 10^9, got a whole number of 401 "
                 "digits",
        "units.excellent_min_score": "expected a number between -10^9 and 10^9, got a whole "
                                     "number of 401 digits",
    }  # fmt: skip


def test_infinity_and_nan_are_refused() -> None:
    """TOML allows inf and nan; no key of a rule set does."""
    data = data_335()
    data["bands"][0]["max"] = float("inf")
    data["quota"]["percent"] = float("nan")
    assert problems(parse_error(data)) == {
        "bands[0].max": "expected a number between -10^9 and 10^9, got inf",
        "quota.percent": "expected a number between -10^9 and 10^9, got nan",
    }


def test_a_file_over_2_mb_is_refused_unread(tmp_path: Path) -> None:
    """A 3 MB file is refused after reading 2 MB + 1 byte, naming the file."""
    path = write(tmp_path, ND335 + "# " + "x" * (3 * 1024 * 1024) + "\n")
    assert error_of(path).reason == "rule file is larger than 2 MB"


def test_bytes_that_are_not_utf8_name_their_line(tmp_path: Path) -> None:
    """A Latin-1 byte on line 3 is named."""
    path = tmp_path / "latin1.toml"
    path.write_bytes(b"schema_version = 1\nid = 'x'\ntitle_vi = '\xe9'\n")
    assert error_of(path).reason == "rule file is not UTF-8 text (line 3)"


def test_a_file_cut_short_names_its_last_line(tmp_path: Path) -> None:
    """tomllib says "at end of document": the line is named too."""
    text = ND335[: ND335.index('label_vi = "Tiêu chí chung"') + 15]
    path = write(tmp_path, text)
    err = error_of(path)
    assert err.reason.startswith("invalid TOML: Unterminated string")
    assert f"line {text.count(chr(10)) + 1})" in err.reason


def test_a_mapping_that_is_not_a_table_is_refused() -> None:
    """parse_rule_set of a list is a RuleSetError, not an AttributeError."""
    with pytest.raises(RuleSetError, match="a rule set is a table of keys, not \\[1, 2\\]"):
        parse_rule_set([1, 2], source="x.toml")  # type: ignore[arg-type]


# =========================================================================== shapes


@pytest.mark.parametrize("key", ["rollup", "units", "quota", "scoring", "management",
                                 "conclusion", "position_maxima"])  # fmt: skip
def test_a_table_given_as_text_is_a_located_error(key: str) -> None:
    """``rollup = "x"`` once crashed; every table key given a non-table is named."""
    data = data_335()
    data[key] = "x"
    (where, msg), = problems(parse_error(data)).items()
    assert where == key and msg.startswith("expected a table") and msg.endswith("got 'x'")


@pytest.mark.parametrize("key", ["bands", "caps", "blocks", "groups", "notices",
                                 "adjustments"])  # fmt: skip
def test_an_array_of_numbers_for_an_array_of_tables_names_each_entry(key: str) -> None:
    """``bands = [1, 2]`` once crashed with TypeError; each entry is now named."""
    data = data_335()
    data[key] = [1, 2]
    found = problems(parse_error(data))
    assert found[f"{key}[0]"] == "expected a table, got 1"
    assert found[f"{key}[1]"] == "expected a table, got 2"


def test_bands_given_as_a_number_is_named(tmp_path: Path) -> None:
    """Not an array at all: the key is named."""
    data = data_335()
    data["bands"] = 5
    assert problems(parse_error(data)) == {
        "bands": "expected an array of tables ([[bands]]), got 5"}


# =========================================================================== no silent default


def test_total_0_is_an_error_not_100(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``total = 0`` once became 100 silently and passed ``rules check``."""
    path = write(tmp_path, edit("total = 100", "total = 0"))
    assert problems(error_of(path)) == {
        "total": "total must be a number above 0 and at most 10000, not 0"}
    assert "total: `total` phải là một số lớn hơn 0 và không quá 10000, tệp ghi 0" in check_cli(
        path, capsys)  # fmt: skip


def test_weight_0_is_an_error_not_1_and_brings_no_follow_on_error() -> None:
    """``weight = 0`` once became 1; the block sum is not reported on top of it."""
    data = data_335()
    data["blocks"][0]["weight"] = 0
    assert problems(parse_error(data)) == {
        "blocks[0].weight": "weight must be a number above 0, not 0"}


def test_points_0_is_an_error_without_a_follow_on_sum() -> None:
    """``points = 0`` is named once; the sum of the blocks is not reported as well."""
    data = data_335()
    data["blocks"][1]["points"] = 0
    assert problems(parse_error(data)) == {
        "blocks[1].points": "points must be a number above 0 and at most 10000, not 0"}


@pytest.mark.parametrize(("where", "path"), [
    ("id", ("id",)),
    ("groups[0].id", ("groups", 0, "id")),
    ("groups[0].criteria[0].id", ("groups", 0, "criteria", 0, "id")),
    ("blocks[1].id", ("blocks", 1, "id")),
    ("caps[0].id", ("caps", 0, "id")),
    ("notices[1].id", ("notices", 1, "id")),
    ("adjustments[0].id", ("adjustments", 0, "id")),
])  # fmt: skip
def test_an_empty_id_is_an_error_not_a_question_mark(where: str, path: tuple[Any, ...]) -> None:
    """``id = ""`` once became "?"; every id is now required non-empty."""
    data = data_335()
    target: Any = data
    for p in path[:-1]:
        target = target[p]
    target[path[-1]] = ""
    assert problems(parse_error(data))[where] == "id must not be empty"


def test_an_id_with_a_semicolon_is_refused() -> None:
    """Reason codes are joined with ';' in frames: an id holding one would split wrongly."""
    data = data_335()
    data["caps"][0]["id"] = "a;b"
    assert problems(parse_error(data)) == {
        "caps[0].id": "id 'a;b' must not start or end with spaces or hold control characters "
                      "or ';'"}  # fmt: skip


@pytest.mark.parametrize(("value", "message"), [
    (-1, "at_least must be a whole number ≥ 1 (a flag of 0 means 'not set'), not -1"),
    (0, "at_least must be a whole number ≥ 1 (a flag of 0 means 'not set'), not 0"),
    (0.5, "at_least must be a whole number ≥ 1 (a flag of 0 means 'not set'), not 0.5"),
    (6, "duty_any_discipline is a discipline level from 1 (reprimand) to 5 (dismissal): "
        "at_least must be at most 5, not 6"),
])  # fmt: skip
def test_a_cap_threshold_below_1_is_refused(value: float, message: str) -> None:
    """``at_least = -1`` made everyone KHT; thresholds are whole numbers from 1."""
    data = data_335()
    data["caps"][1]["at_least"] = value  # discipline, flag duty_any_discipline
    assert problems(parse_error(data)) == {"caps[1].at_least": message}


def test_a_true_false_flag_takes_at_least_1_only() -> None:
    """``degradation >= 2`` would never hold: the cap would silently never apply."""
    data = data_335()
    data["caps"][0]["at_least"] = 2
    assert problems(parse_error(data)) == {
        "caps[0].at_least": "degradation is true or false: at_least must be 1, not 2"}


def test_a_notice_threshold_of_0_is_refused_not_replaced_by_1() -> None:
    """A notice's ``at_least = 0`` once became 1 silently."""
    data = data_335()
    data["notices"][0]["at_least"] = 0
    assert problems(parse_error(data)) == {
        "notices[0].at_least": "at_least must be a whole number ≥ 1 (a flag of 0 means 'not "
                               "set'), not 0"}  # fmt: skip


# =========================================================================== [units], [rollup]

UNIT_CASES = [
    ("excellent_min_score", 150, "excellent_min_score must be a number from 0 to 100, not 150"),
    ("excellent_min_score", "x", "expected a number, got 'x'"),
    ("excellent_tasks_done_percent", 101,
     "excellent_tasks_done_percent must be a number from 0 to 100, not 101"),
    ("excellent_exceeded_percent", -1,
     "excellent_exceeded_percent must be a number from 0 to 100, not -1"),
    ("excellent_requires_no_subunit_kht", "yes", "expected true or false, got 'yes'"),
    ("excellent_requires_no_discipline", 1, "expected true or false, got 1"),
    ("head_capped_at_unit", "false", "expected true or false, got 'false'"),
    ("deputy_capped_at_head_when_late", 0, "expected true or false, got 0"),
    ("council_overrides", [], "expected true or false, got []"),
    ("small_parent_threshold", 0, "small_parent_threshold must be a whole number ≥ 1, not 0"),
    ("small_parent_max_excellent", 1.5, "expected a whole number, got 1.5"),
    ("tasks_weight", -3, "tasks_weight must be a number ≥ 0 (not negative), not -3"),
    ("cross_weight", "x", "expected a number, got 'x'"),
    ("satisfaction_weight", -0.5, "satisfaction_weight must be a number ≥ 0 (not negative), "
                                  "not -0.5"),
    ("reform_weight", True, "expected a number, got True"),
    ("late_credit", 2,
     "late_credit must be a fraction from 0 to 1 (the share of a late task credited), not 2"),
    ("overdue_deduction", -1, "overdue_deduction must be a number from 0 to 100, not -1"),
    ("inspection_deduction", "5", "expected a number, got '5'"),
    ("source", 3, "expected text, got 3"),
    ("excellent_conditions_source", [], "expected text, got []"),
    ("small_parent_source", False, "expected text, got False"),
    ("note", 1, "expected text, got 1"),
    ("status", "sure", "unknown status 'sure'; expected one of verified, secondary, practice, "
                       "unsourced — did you mean 'unsourced'?"),
    ("body_weights", [1], "expected a table of body id to weight, got [1]"),
    ("bodies", "x", "expected an array of tables ([[bodies]]), got 'x'"),
]  # fmt: skip


@pytest.mark.parametrize(("key", "value", "message"), UNIT_CASES,
                         ids=[f"{k}={v!r}" for k, v, _ in UNIT_CASES])  # fmt: skip
def test_every_units_key_is_typed_and_ranged(key: str, value: Any, message: str) -> None:
    """``[units]`` once went straight into the policy object unvalidated."""
    data = data_335()
    data["units"][key] = value
    if key.startswith("small_parent_"):  # they go together: give both
        data["units"].setdefault("small_parent_threshold", 3)
        data["units"].setdefault("small_parent_max_excellent", 1)
    assert problems(parse_error(data)) == {f"units.{key}": message}


def test_unit_body_weights_and_bodies_are_checked_entry_by_entry() -> None:
    """A negative body weight and a duplicate body id are named where they are."""
    data = data_335()
    data["units"]["body_weights"] = {"council": -1}
    data["units"]["bodies"] = [{"id": "a", "label_vi": "A"}, {"id": "a", "label_vi": "B"}]
    assert problems(parse_error(data)) == {
        "units.body_weights.council": "council must be a number ≥ 0 (not negative), not -1",
        "units.bodies[1].id": "duplicate body id 'a'",
    }


def test_a_unit_score_with_every_weight_zero_is_refused() -> None:
    """With every weight 0 no unit would ever be scored."""
    data = data_335()
    data["units"]["tasks_weight"] = 0
    assert "a unit's score needs at least one positive weight" in problems(
        parse_error(data))["units.tasks_weight"]


def test_small_parent_keys_go_together() -> None:
    """One without the other would switch the rule off silently."""
    data = data_335()
    data["units"]["small_parent_threshold"] = 3
    assert problems(parse_error(data)) == {
        "units.small_parent_threshold":
            "small_parent_threshold and small_parent_max_excellent go together"}


def test_a_misspelt_units_key_keeps_its_suggestion() -> None:
    """Unknown keys still suggest the closest known one."""
    data = data_335()
    data["units"]["late_credt"] = 0.5
    assert problems(parse_error(data)) == {
        "units.late_credt": "unknown key 'late_credt' — did you mean 'late_credit'?"}


ROLLUP_CASES = [
    ("method", "median", "method must be average or count, not 'median'"),
    ("of", 3, "expected text, got 3"),
    ("min_months", -1, "min_months must be a whole number from 0 to 12, not -1"),
    ("min_months", 13, "min_months must be a whole number from 0 to 12, not 13"),
    ("maternity_exempt", "yes", "expected true or false, got 'yes'"),
    ("absent_cap", 1, "expected true or false, got 1"),
    ("absent_cap_min_months", 0, "absent_cap_min_months must be a whole number from 1 to 12, "
                                 "not 0"),
    ("absent_cap_max_months", 2.5, "expected a whole number, got 2.5"),
    ("absent_cap_grade", "B", "unknown grade 'B'; expected HTXS, HTT, HT or KHT"),
    ("discipline_grade", None, "unknown grade None; expected HTXS, HTT, HT or KHT"),
    ("count_excellent_min", 0, "count_excellent_min must be a whole number from 1 to 12, not 0"),
    ("count_kht_min", 0, "count_kht_min must be a whole number from 1 to 12, not 0"),
    ("count_good_max_ht", -1, "count_good_max_ht must be a whole number from 0 to 12, not -1"),
    ("period_min_months", 4, "period_min_months must be a whole number from 0 to 3, not 4"),
    ("source", 1, "expected text, got 1"),
    ("status", "maybe", "unknown status 'maybe'; expected one of verified, secondary, "
                        "practice, unsourced"),
]  # fmt: skip


@pytest.mark.parametrize(("key", "value", "message"), ROLLUP_CASES,
                         ids=[f"{k}={v!r}" for k, v, _ in ROLLUP_CASES])  # fmt: skip
def test_every_rollup_key_is_typed_and_ranged(key: str, value: Any, message: str) -> None:
    """``[rollup]`` once passed wrong types straight through (``maternity_exempt = "yes"``)."""
    data = data_335()
    data["rollup"][key] = value
    assert problems(parse_error(data)) == {f"rollup.{key}": message}


def test_the_absent_cap_range_must_not_be_empty() -> None:
    """Absent 6 to under 3 months would cap nobody: refused."""
    data = data_335()
    data["rollup"].update(absent_cap=True, absent_cap_min_months=6, absent_cap_max_months=3)
    assert problems(parse_error(data)) == {
        "rollup.absent_cap_max_months":
            "absent_cap_max_months (3) must be above absent_cap_min_months (6)"}


# =========================================================================== other keys


def test_position_maxima_must_be_positive_and_within_the_group() -> None:
    """A position's maximum above its group's (30) or ≤ 0 is refused; percentages ≤ 100."""
    data = data_335()
    data["position_maxima"] = {"van_thu": {"pham_chat_dao_duc": 40, "ky_luat_ky_cuong": 0,
                                           "so_luong": 120}}  # fmt: skip
    assert problems(parse_error(data)) == {
        "position_maxima.van_thu.pham_chat_dao_duc":
            "the maximum 40 of 'pham_chat_dao_duc' for position 'van_thu' is above the "
            "maximum 30 of its group 'general'",
        "position_maxima.van_thu.ky_luat_ky_cuong":
            "ky_luat_ky_cuong must be a number above 0, not 0",
        "position_maxima.van_thu.so_luong":
            "the maximum 120 of 'so_luong' for position 'van_thu' is above a percentage "
            "criterion's 100",
    }  # fmt: skip


def test_quota_small_groups_and_grade_are_ranged() -> None:
    """A group may keep fewer than its size; the quota limits a grade above KHT."""
    data = data_335()
    data["quota"].update(small_group_size=3, small_group_keep=3, grade="KHT")
    assert problems(parse_error(data)) == {
        "quota.small_group_keep": "small_group_keep (3) must be smaller than small_group_size "
                                  "(3): a group smaller than 3 has at most 2 people",
        "quota.grade": "the quota limits a grade above KHT (HTXS, HTT or HT), not KHT",
    }  # fmt: skip


def test_management_values_must_allow_full_marks() -> None:
    """With values [80, 50] no leader could be given 100 on đ or e (or d's full 100)."""
    data = data_335()
    data["management"]["values"] = [80, 50]
    assert problems(parse_error(data)) == {
        "management.values": "values must include 100 (the maximum of 'ket_qua_linh_vuc'), or "
                             "no leader could be given it"}  # fmt: skip


def test_management_reduced_above_full_is_refused() -> None:
    """d is ``reduced`` when a subordinate is below the threshold: never above ``full``."""
    data = data_335()
    data["management"].update(full=50, reduced=100, values=[])
    assert problems(parse_error(data)) == {
        "management.reduced": "reduced (100) must not be above full (50)"}


def test_a_datetime_is_not_a_date() -> None:
    """``effective_from = 2026-01-01T00:00:00`` once crashed comparing with a date."""
    data = data_335()
    data["effective_from"] = dt.datetime(2026, 1, 1)
    data["effective_to"] = dt.date(2026, 12, 31)
    assert problems(parse_error(data)) == {
        "effective_from": "expected a date without a time (2026-01-01), got 2026-01-01T00:00:00"}


def test_more_than_32_caps_and_notices_are_refused() -> None:
    """The reasons mask holds 32 rules; a 33rd once failed only when scoring."""
    data = data_335()
    data["notices"] = [dict(data["notices"][0], id=f"n{i}") for i in range(30)]
    assert problems(parse_error(data)) == {
        "caps": "a rule set may hold at most 32 caps and notices together, not 33"}


def test_duplicate_ids_are_named_where_they_repeat() -> None:
    """Two caps, blocks or groups with one id would shadow each other."""
    data = data_335()
    data["caps"].append(copy.deepcopy(data["caps"][0]))
    data["notices"].append(copy.deepcopy(data["notices"][0]))
    assert problems(parse_error(data)) == {
        "caps[3].id": "duplicate cap id 'degradation'",
        "notices[2].id": "duplicate notice id 'thanhhoa.late_files'",
    }


def test_empty_categories_and_classified_are_refused() -> None:
    """A set for no one, or classifying nothing, would never grade anybody."""
    data = data_335()
    data["categories"] = []
    data["classified"] = []
    data["quota"]["periods"] = ["year"]
    found = problems(parse_error(data))
    assert found["categories"] == "categories must name at least one staff category"
    assert found["classified"].startswith("classified must name at least one period")


def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    """Several broken keys: one error, each problem with its key path."""
    text = edit("total = 100", "total = 0")
    text = edit("[rollup]\nmethod", '[rollup]\ncount_kht_min = 0\nmethod', text)
    text = edit("head_capped_at_unit = true", 'head_capped_at_unit = "yes"', text)
    err = error_of(write(tmp_path, text))
    assert problems(err) == {
        "total": "total must be a number above 0 and at most 10000, not 0",
        "units.head_capped_at_unit": "expected true or false, got 'yes'",
        "rollup.count_kht_min": "count_kht_min must be a whole number from 1 to 12, not 0",
    }


# =========================================================================== rules check


def test_a_cap_that_hits_everyone_fails_rules_check() -> None:
    """A cap with at_least = -1 (a set built in code) makes everyone KHT: check_rule_set
    fails it with the cap named."""
    rs = evalkit.rules.get("vn.nd335-2025")
    caps = (attrs.evolve(rs.caps[1], at_least=-1.0), *rs.caps[2:])
    report = check_rule_set(attrs.evolve(rs, caps=caps), invariants=[])
    assert not report.ok
    assert report.static_problems == (
        "grades: caps[0] ('discipline') caps every person at KHT: with every flag at zero, "
        "duty_any_discipline (0) is at least at_least (-1)",
    )
    assert "a cap hits everyone" in report.format()


def test_a_perfect_score_below_the_top_band_fails_rules_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Hà Nội's full marks total 90 (the 10 bonus points are not required): with HTXS from
    95 nobody could reach it without a bonus — ``rules check`` says so, for staff and
    leaders, and exits 3."""
    text = edit('grade = "HTXS"\nmin = 90', 'grade = "HTXS"\nmin = 95', HANOI)
    text = edit("min = 70\nmax = 90", "min = 70\nmax = 95", text)
    text = text.replace('id = "hanoi.3814-2018"', 'id = "test.hanoi"', 1)
    # another jurisdiction: the same dates in 'vn.hanoi' would clash with the preset
    text = text.replace('jurisdiction = "vn.hanoi"', 'jurisdiction = "vn.test"', 1)
    path = tmp_path / "hanoi.toml"
    path.write_text(text, encoding="utf-8")
    read_rule_file(path)  # the loader accepts it: only the outcome is wrong
    report = check_rule_set(path, invariants=[])
    assert report.static_problems == tuple(
        f"grades: a perfect score is not the top grade: a {who} with full marks on every "
        "required criterion totals 90, in band HTT, not HTXS (bands: HTXS from 95, HTT from "
        "70, HT from 50, KHT from 0)" for who in ("member of staff", "leader")
    )  # fmt: skip
    out = check_cli(path, capsys)  # in Vietnamese, the command line's default (audit 7 D14)
    assert ("  - mức xếp loại: điểm tối đa không được mức cao nhất: người không giữ chức vụ lãnh đạo, quản lý đạt điểm "
            "tối đa mọi tiêu chí bắt buộc có tổng 90, thuộc mức HTT, không phải HTXS (các mức: "
            "HTXS từ 95, HTT từ 70, HT từ 50, KHT từ 0)\n") in out  # fmt: skip


def test_a_position_that_cannot_reach_the_top_grade_fails_rules_check(tmp_path: Path) -> None:
    """A position whose maxima keep its full marks below HTXS is reported by position."""
    data = data_335()
    data["position_maxima"] = {"tap_su": {"pham_chat_dao_duc": 1, "ky_luat_ky_cuong": 1,
                                          "nang_luc_chuyen_mon": 1, "dap_ung_nhiem_vu": 1}}
    rs = parse_rule_set(data, source="agency.toml")
    report = check_rule_set(rs, invariants=[])
    assert report.static_problems == (
        "grades: a perfect score is not the top grade: a person in position 'tap_su' with "
        "full marks on every required criterion totals 89, in band HTT, not HTXS (bands: "
        "HTXS from 90, HTT from 70, HT from 50, KHT from 0)",
    )  # fmt: skip


@pytest.mark.parametrize("rule_set_id", [rs.id for rs in evalkit.rules.available()])
def test_every_preset_reaches_the_top_grade_with_full_marks(rule_set_id: str) -> None:
    """The shipped sets pass the new static checks."""
    report = check_rule_set(rule_set_id, invariants=[])
    assert report.static_problems == ()


def test_a_preset_cap_still_applies_with_its_flag() -> None:
    """The outcome check sets no flag: a real disqualifier is not mistaken for a broken one."""
    rs = evalkit.rules.get("vn.nd335-2025")
    a = evalkit.Assessment("S1", "2026-03", competent_scores=rs.full_marks(), discipline=1)
    assert evalkit.score(a, rules=rs).score_grade == Grade.HTXS


def test_a_cap_at_least_minus_1_in_a_file_fails_rules_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The file of the attack run: ``rules check`` exits 3 naming the cap's key."""
    path = write(tmp_path, edit("at_least = 1\n", "at_least = -1\n"))
    assert problems(error_of(path)) == {
        "caps[1].at_least": "at_least must be a whole number ≥ 1 (a flag of 0 means 'not "
                            "set'), not -1"}  # fmt: skip
    assert "caps[1].at_least" in check_cli(path, capsys)


def test_a_file_extending_a_preset_is_checked_as_a_whole(tmp_path: Path) -> None:
    """An override through ``extends`` meets the same checks: ``rollup = "x"``, ``total = 0``."""
    path = tmp_path / "agency.toml"
    path.write_text('extends = "vn.nd335-2025"\nid = "mau.agency"\njurisdiction = "vn.mau"\n'
                    'total = 0\nrollup = "x"\n', encoding="utf-8")  # fmt: skip
    assert problems(error_of(path)) == {
        "total": "total must be a number above 0 and at most 10000, not 0",
        "rollup": "expected a table ([rollup]), got 'x'",
    }


def test_a_rule_file_saved_with_a_bom_is_the_same_rule_set(tmp_path: Path) -> None:
    """Audit af21: a rule file saved by Notepad as "UTF-8 with BOM" was refused as
    "invalid TOML ... line 1, column 1", though every CSV door reads a BOM; it is the same
    set as the file without it (the preset, byte for byte but for the BOM)."""
    path = tmp_path / "nd335-bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + ND335.encode("utf-8"))
    rs = evalkit.rules.load(path)
    assert evalkit.rules.content_fingerprint(rs) == evalkit.rules.content_fingerprint(
        evalkit.rules.get("vn.nd335-2025"))
    assert main(["rules", "check", str(path)], stdout=io.StringIO()) == 0

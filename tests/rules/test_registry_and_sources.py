"""Who has a rule set, renamed ids, and the source status of every rule (issues 14.5, 19).

- ``NoRuleSetError`` says which categories have a set in force on the date and how to
  supply an agency's own rule file (contract staff have no national text);
- a renamed preset id resolves for one release with a DeprecationWarning naming its
  successor (pyproject turns evalkit's DeprecationWarnings into errors: ``pytest.warns``);
- ``check_rule_set`` and ``evalkit rules show``/``list`` report every rule's status and
  fail a file that switches an unsourced rule on by default.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import evalkit
from evalkit import NoRuleSetError
from evalkit.rules import Registry
from evalkit.rules._registry import ALIASES
from evalkit.rules.sources import rule_sources, status_counts, unsourced_on_by_default
from evalkit.testing import check_rule_set


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "evalkit", *args], capture_output=True,
                          text=True, timeout=300, check=False, env={"COLUMNS": "200",
                          "PATH": "/usr/bin:/bin"})  # fmt: skip


# --------------------------------------------------------------------------- everyone


def test_every_category_has_a_set_in_2026_except_contract_staff() -> None:
    """Issue 14.5: công chức, viên chức and cán bộ have national sets; hop_dong has none."""
    got = {cat: evalkit.rules.for_period(cat, "2026-09").id
           for cat in ("can_bo", "cong_chuc", "vien_chuc")}  # fmt: skip
    assert got == {"can_bo": "vn.qd366-2025", "cong_chuc": "vn.nd335-2025",
                   "vien_chuc": "vn.nd233-2026"}  # fmt: skip
    with pytest.raises(NoRuleSetError):
        evalkit.rules.for_period("hop_dong", "2026-09")


def test_contract_staff_are_told_what_exists_and_how_to_supply_their_rules() -> None:
    """The message lists the sets in force on that date and how to write an agency file."""
    with pytest.raises(NoRuleSetError) as err:
        evalkit.rules.for_period("hop_dong", "2026-09")
    msg = str(err.value)
    assert msg.startswith("no rule set is in force for hop_dong in 2026-09 (jurisdiction 'vn').")
    assert ("In force on 2026-09-01 there: can_bo → vn.qd366-2025; cong_chuc → vn.nd335-2025; "
            "vien_chuc → vn.nd233-2026.") in msg  # fmt: skip
    assert "For hop_dong in other jurisdictions: hanoi.3814-2018 (vn.hanoi)." in msg
    assert "No national text sets how contract staff are evaluated" in msg
    assert "docs/rule-sets.md" in msg and 'rules="agency.toml"' in msg


def test_before_any_national_set_the_message_lists_what_was_in_force() -> None:
    """June 2025: công chức and viên chức had sets (NĐ 90/2020), cán bộ none yet."""
    with pytest.raises(NoRuleSetError) as err:
        evalkit.rules.for_period("can_bo", "2025-06")
    msg = str(err.value)
    assert "no rule set is in force for can_bo in 2025-06" in msg
    assert ("In force on 2025-06-01 there: cong_chuc → vn.nd90-2020-cc; "
            "vien_chuc → vn.nd90-2020.") in msg  # fmt: skip
    assert "contract staff" not in msg and "force=True" in msg


def test_an_example_set_is_never_offered_as_another_jurisdictions_set() -> None:
    """example.tasks-80 (unsourced) is not suggested to real staff."""
    reg = Registry.with_presets()
    reg.unregister("vn.nd335-2025")
    with pytest.raises(NoRuleSetError) as err:
        reg.for_period("cong_chuc", "2026-09")
    assert "example.tasks-80" not in str(err.value)
    assert "vn.customs-2026q (vn.customs)" in str(err.value)


# --------------------------------------------------------------------------- renamed ids


@pytest.mark.parametrize(("old", "new"), sorted(ALIASES.items()))
def test_an_old_id_resolves_to_its_successor_with_a_warning(old: str, new: str) -> None:
    """Issue 19: the old id keeps working for one release, naming its successor."""
    assert old not in evalkit.rules.default_registry()
    with pytest.warns(DeprecationWarning, match=f"use {new!r}"):
        rs = evalkit.rules.get(old)
    assert rs.id == new
    with pytest.warns(DeprecationWarning, match=new):
        assert evalkit.rules.resolve(old) is rs


def test_scoring_with_an_old_id_warns_and_scores_with_the_new_set() -> None:
    """evalkit.score(rules='haiphong.212-2025') scores under example.tasks-80."""
    a = evalkit.Assessment("T-1", "2026-03", manager_scores={
        "chinh_tri": 5, "dao_duc": 5, "tac_phong": 5, "ky_luat": 5,
        "giao": 10, "hoan_thanh": 10, "dat_chat_luong": 10, "dung_han": 10})  # fmt: skip
    with pytest.warns(DeprecationWarning, match="example.tasks-80"):
        r = evalkit.score(a, rules="haiphong.212-2025", category="cong_chuc")
    assert (r.rule_set_id, r.total) == ("example.tasks-80", 100.0)


def test_an_unknown_id_is_still_an_error_with_a_suggestion() -> None:
    """Aliases cover the renamed presets only."""
    with pytest.raises(NoRuleSetError, match=r"did you mean 'example\.tasks-80'"):
        evalkit.rules.get("example.tasks-8")


# --------------------------------------------------------------------------- statuses


def test_no_preset_switches_an_unsourced_rule_on() -> None:
    """Issue 19, over the whole registry."""
    assert {rs.id: unsourced_on_by_default(rs) for rs in evalkit.rules.available()} == {
        rs.id: () for rs in evalkit.rules.available()}


def test_the_unsourced_rules_shipped_are_options() -> None:
    """The cán bộ set has no unsourced rule since its discipline cap cites QĐ 366 Điều 11 k4
    (af170's text); the example set is unsourced as a whole."""
    qd = [r for r in rule_sources(evalkit.rules.get("vn.qd366-2025")) if r.status == "unsourced"]
    assert qd == []
    assert status_counts(evalkit.rules.get("example.tasks-80"))["unsourced"] == 5


# outside 'vn': its [[caps]] replace the national disqualifiers, which a set in force for
# real công chức must keep (audit 7 D8)
AGENCY_UNSOURCED_ON = """
extends = "vn.nd335-2025"
id = "mau.small-groups-2026"
jurisdiction = "example.mau"
[[caps]]
id = "late"
flag = "late_files"
at_least = 3
grade = "HT"
label_vi = "Trễ hẹn hồ sơ từ 3 lần"
source = ""
status = "unsourced"
"""


def test_check_rule_set_fails_a_file_with_an_unsourced_rule_on(tmp_path: Path) -> None:
    """The report lists every rule's status and fails on an unsourced rule on by default."""
    path = tmp_path / "agency.toml"
    path.write_text(AGENCY_UNSOURCED_ON, encoding="utf-8")
    report = check_rule_set(path, max_examples=5, invariants=["bands"])
    assert not report.ok
    assert report.static_problems == (
        "sources: cap late is unsourced and switched on by default; an unsourced rule may "
        "only be an option (enabled = false, or leave the option unset)",)
    assert report.status_counts()["unsourced"] == 1
    text = report.format()
    assert text.startswith(f"rule set 'mau.small-groups-2026' ({path}): an unsourced rule is "
                           "switched on by default\n  sources: cap late is unsourced")
    # NĐ 335's [units] cites no article (status practice, no identified text); its four bands
    # quote Điều 20 k1–k4 with their article (verified since af212); the file's caps replace NĐ 335's
    assert "SOURCES  verified 7, secondary 6, practice 5, unsourced 1" in text
    assert "      unsourced cap late: —" in text
    off = tmp_path / "off.toml"
    off.write_text(AGENCY_UNSOURCED_ON.replace('status = "unsourced"',
                                               'status = "unsourced"\nenabled = false'),
                   encoding="utf-8")  # fmt: skip
    assert check_rule_set(off, max_examples=5, invariants=["bands"]).ok


def test_an_unsourced_set_with_a_real_jurisdiction_fails(tmp_path: Path) -> None:
    """A whole set marked unsourced must never be the set in force for real staff."""
    path = tmp_path / "ex.toml"
    path.write_text('extends = "example.tasks-80"\nid = "mau.ex"\njurisdiction = "vn.mau"\n',
                    encoding="utf-8")  # fmt: skip
    report = check_rule_set(path, max_examples=5, invariants=["bands"])
    assert [p.split(";")[0] for p in report.static_problems] == [
        "sources: the rule set is marked unsourced but its jurisdiction 'vn.mau' makes it the "
        "set in force for real staff"]
    assert check_rule_set("example.tasks-80", max_examples=5, invariants=["bands"]).ok


def test_evalkit_rules_show_prints_every_rule_with_source_and_status() -> None:
    """`evalkit rules show ID`: one row per rule, its citation and its status (in Vietnamese
    by default, in English with ``--lang en``)."""
    for lang, heading, counts in (
            ("vi", "mức tin cậy", "các mức tin cậy: đã đối chiếu văn bản 2, theo nguồn thứ cấp "
                                  "4, thực tiễn 12"),
            ("en", "status", "statuses: verified 2, secondary 4, practice 12")):
        proc = cli("rules", "show", "vn.nd90-2020", "--lang", lang)
        assert proc.returncode == 0, proc.stderr
        out = proc.stdout
        # the rule by its stable name in English, in words in Vietnamese (af225)
        assert ("cap discipline" in out) == (lang == "en") and ("[discipline]" in out) == (
            lang == "vi")
        assert "NĐ 90/2020/NĐ-CP, Điều 2 k5 a, bổ sung bởi NĐ 48/2023/NĐ-CP" in out
        status = "đã đối chiếu văn bản" if lang == "vi" else "verified"
        assert heading in out and status in out and counts in out
    assert cli("rules", "show", "vn.nd90-2020").stdout == cli(
        "rules", "show", "vn.nd90-2020", "--lang", "vi").stdout
    doc = json.loads(cli("rules", "show", "vn.nd90-2020", "--json").stdout)
    rows = {r["rule"]: (r["source"], r["status"], r["enabled"]) for r in doc["rules"]}
    assert rows["rollup"] == ("NĐ 90/2020/NĐ-CP, Điều 2 k3", "verified", True)
    assert rows["notice thanhhoa.late_files"][1:] == ("practice", False)
    assert len(rows) == len(rule_sources(evalkit.rules.get("vn.nd90-2020")))


def test_evalkit_rules_list_shows_each_sets_status_and_classified_periods() -> None:
    """`evalkit rules list --json`: the status and classified periods of every set."""
    doc = json.loads(cli("rules", "list", "--json").stdout)
    got = {d["id"]: (d["status"], d["classified"]) for d in doc}
    assert got == {
        "example.tasks-80": ("unsourced", ["year"]),
        "hanoi.3814-2018": ("secondary", ["month", "year"]),
        "vn.customs-2026q": ("secondary", ["quarter", "year"]),
        "vn.nd233-2026": ("secondary", ["year"]),
        "vn.nd335-2025": ("secondary", ["year"]),
        "vn.nd90-2020": ("secondary", ["year"]),
        "vn.nd90-2020-cc": ("secondary", ["year"]),
        "vn.qd366-2025": ("secondary", ["year"]),
    }
    table = cli("rules", "list").stdout  # Vietnamese by default
    assert "mức tin cậy" in table and "chưa có nguồn" in table and "unsourced" not in table
    table = cli("rules", "list", "--lang", "en").stdout
    assert "status" in table and "unsourced" in table


def test_check_rule_set_accepts_an_old_id_with_its_warning() -> None:
    """check_rule_set('vn.quarterly-example') checks vn.customs-2026q, warning once."""
    with pytest.warns(DeprecationWarning, match="vn.customs-2026q"):
        report = check_rule_set("vn.quarterly-example", max_examples=5, invariants=["bands"])
    assert report.rule_set_id == "vn.customs-2026q" and report.ok


def test_a_preset_registered_over_and_restored_can_be_extended_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """A set registered over a preset (a test breaking it on purpose) hides the preset's
    file: a file extending the id is refused while it is there, and found again once the
    preset itself is registered back (the file's data describes that very set). Before, the
    data was dropped for good and every later ``extends`` of the id failed — a test order
    made ``docs/rule-sets.md``'s example fail after ``test_oracle_national``."""
    import attrs

    monkeypatch.chdir(tmp_path)  # a preset's path is the package's, relative: not found here
    reg = Registry.with_presets()
    good = reg.get("vn.nd335-2025")
    child = tmp_path / "so.toml"
    child.write_text('extends = "vn.nd335-2025"\nid = "so.thu"\njurisdiction = "vn.so"\n',
                     encoding="utf-8")  # fmt: skip
    reg.register(attrs.evolve(good, units=attrs.evolve(good.units, head_capped_at_unit=False)),
                 replace=True)  # fmt: skip
    with pytest.raises(evalkit.RuleSetError, match="without its file"):
        reg.load(child)
    reg.register(good, replace=True)
    assert reg.load(child).units.head_capped_at_unit is True

"""`extends`: an agency file that starts from a registered rule set (docs/rule-sets.md).

Tables merge key by key; every other value, arrays of tables included, is replaced whole;
the file needs its own id; the merged set is validated as a whole, dates included.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import evalkit
from evalkit import RuleSetError
from evalkit.rules import Registry, merge_rule_data, read_rule_file

ROOT = Path(__file__).resolve().parents[2]

MONTHLY = """
extends = "vn.nd335-2025"
id = "mau.so-vi-du-monthly-2026"
jurisdiction = "vn.mau.so-vi-du"
classified = ["month", "year"]
classified_source = "Quyết định 99/QĐ-SVD ngày 15/12/2025 của Giám đốc Sở Ví Dụ"

[quota]
periods = ["month", "year"]
"""


def write(tmp_path: Path, text: str, name: str = "agency.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def toml_blocks(page: Path) -> list[str]:
    return re.findall(r"```toml\n(.*?)```", page.read_text(encoding="utf-8"), flags=re.S)


# --------------------------------------------------------------------------- merging


def test_tables_merge_key_by_key_and_arrays_are_replaced_whole() -> None:
    """merge_rule_data: a nested table keeps the keys the override does not give."""
    base = {"quota": {"percent": 20, "base": "HTT", "group_by": ["unit", "duty_group"]},
            "caps": [{"id": "a"}, {"id": "b"}], "total": 100}  # fmt: skip
    over = {"quota": {"percent": 25, "group_by": ["unit"]}, "caps": [{"id": "c"}]}
    assert merge_rule_data(base, over) == {
        "quota": {"percent": 25, "base": "HTT", "group_by": ["unit"]},
        "caps": [{"id": "c"}], "total": 100,
    }  # fmt: skip


def test_merging_never_changes_the_base() -> None:
    """The registry's copy of a preset is not touched by an agency file."""
    base = {"quota": {"percent": 20}, "caps": [{"id": "a"}]}
    out = merge_rule_data(base, {"quota": {"percent": 30}})
    out["caps"][0]["id"] = "changed"
    assert base == {"quota": {"percent": 20}, "caps": [{"id": "a"}]}


# --------------------------------------------------------------------------- the agency file


def test_monthly_grading_with_a_monthly_quota_on_top_of_nd335(tmp_path: Path) -> None:
    """docs/rule-sets.md: classified = [month, year] and [quota] periods = [month, year]."""
    rs = evalkit.rules.load(write(tmp_path, MONTHLY))
    nd335 = evalkit.rules.get("vn.nd335-2025")
    assert rs.id == "mau.so-vi-du-monthly-2026" and rs.jurisdiction == "vn.mau.so-vi-du"
    assert rs.classified == ("month", "year") and rs.classifies("2026-03")
    assert rs.quota is not None and rs.quota.periods == ("month", "year")
    assert rs.quota_applies("2026-03") and not nd335.quota_applies("2026-03")
    # what the file does not give is the preset's
    assert (rs.quota.percent, rs.quota.base, rs.quota.raised_percent) == (20, "HTT", 25)
    assert rs.quota.source == nd335.quota.source  # type: ignore[union-attr]
    assert rs.blocks == nd335.blocks and rs.bands == nd335.bands and rs.caps == nd335.caps
    assert rs.effective_from == nd335.effective_from and rs.categories == nd335.categories
    assert rs.path == str(tmp_path / "agency.toml")


def test_the_monthly_example_of_the_page_is_the_one_tested() -> None:
    """The TOML block of 'Monthly grading with a monthly quota' carries the two keys."""
    page = ROOT / "docs" / "rule-sets.md"
    block = next(b for b in toml_blocks(page) if 'id = "mau.so-vi-du-monthly-2026"' in b
                 and "[quota]" in b)  # fmt: skip
    assert 'extends = "vn.nd335-2025"' in block
    assert 'classified = ["month", "year"]' in block and 'periods = ["month", "year"]' in block


def test_an_agency_file_registers_and_is_picked_for_its_jurisdiction(tmp_path: Path) -> None:
    """Registry.load resolves extends against itself and registers the merged set."""
    reg = Registry.with_presets()
    rs = reg.load(write(tmp_path, MONTHLY))
    assert reg.for_period("cong_chuc", "2026-03", "vn.mau.so-vi-du") is rs
    assert reg.for_period("cong_chuc", "2026-03").id == "vn.nd335-2025"


def test_a_file_can_extend_an_agency_file_that_extends_a_preset(tmp_path: Path) -> None:
    """Chains: the registered data is the merged data, so a third file sees all of it."""
    reg = Registry.with_presets()
    reg.load(write(tmp_path, MONTHLY))
    child = reg.load(write(tmp_path, """
extends = "mau.so-vi-du-monthly-2026"
id = "mau.so-vi-du.phong-a-2026"
jurisdiction = "vn.mau.so-vi-du.phong-a"
[quota]
percent = 15
""", "child.toml"))
    assert child.classified == ("month", "year")
    assert child.quota is not None and (child.quota.percent, child.quota.periods) == (
        15, ("month", "year"))


def test_an_array_of_tables_is_replaced_whole(tmp_path: Path) -> None:
    """caps is an array of tables: the file's list replaces the preset's."""
    rs = evalkit.rules.load(write(tmp_path, """
extends = "vn.nd335-2025"
id = "mau.only-discipline-2026"
jurisdiction = "vn.mau"
[[caps]]
id = "discipline"
flag = "duty_discipline"
grade = "KHT"
label_vi = "Bị kỷ luật"
source = "QĐ 99/QĐ-SVD, Điều 6"
status = "secondary"
"""))
    assert [c.id for c in rs.caps] == ["discipline"]


def test_the_page_options_of_nd233_and_qd366_load(tmp_path: Path) -> None:
    """The TOML examples on the preset pages are valid agency files."""
    for page, base in (("vn.nd233-2026.md", "vn.nd233-2026"), ("vn.qd366-2025.md",
                                                                "vn.qd366-2025")):  # fmt: skip
        blocks = [b for b in toml_blocks(ROOT / "docs" / "presets" / page) if "extends" in b]
        assert blocks, page
        for i, block in enumerate(blocks):
            rs = evalkit.rules.load(write(tmp_path, block, f"{base}-{i}.toml"))
            assert rs.id != base
    qd = evalkit.rules.load(write(tmp_path, toml_blocks(
        ROOT / "docs" / "presets" / "vn.qd366-2025.md")[0], "qd.toml"))
    assert [(c.id, c.enabled, c.flag) for c in qd.caps] == [("discipline", True, "any_discipline")]


def test_the_cli_checks_an_agency_file_that_extends_a_preset(tmp_path: Path) -> None:
    """`evalkit rules show FILE` resolves extends like the library."""
    path = write(tmp_path, MONTHLY)
    proc = subprocess.run([sys.executable, "-m", "evalkit", "rules", "show", str(path),
                           "--json"], capture_output=True, text=True, timeout=300,
                          check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert '"classified": [\n    "month",\n    "year"\n  ]' in proc.stdout


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("text", "key", "message"),
    [
        ('extends = "vn.nd335-2025"\njurisdiction = "vn.x"\n', "id",
         "a rule file that extends another set needs its own id"),
        ('extends = "vn.nd335-2025"\nid = "vn.nd335-2025"\n', "id",
         "the id must differ from the set it extends"),
        ('extends = "vn.nd335_2025"\nid = "mau.x"\n', "extends",
         "did you mean 'vn.nd335-2025'"),
        ('extends = 335\nid = "mau.x"\n', "extends", "must name a registered rule set id"),
    ],
)  # fmt: skip
def test_a_bad_extends_is_a_clear_error(tmp_path: Path, text: str, key: str,
                                        message: str) -> None:  # fmt: skip
    """The error names the file, the key and what is wrong."""
    path = write(tmp_path, text)
    with pytest.raises(RuleSetError) as err:
        read_rule_file(path)
    assert err.value.key == key and message in str(err.value)
    assert str(path) in str(err.value)


def test_a_misspelt_extends_is_named_with_the_key_meant(tmp_path: Path) -> None:
    """``extend = "vn.nd335-2025"`` (no s) is an unknown key whose hint is ``extends``,
    the key the file meant: the missing keys that follow come from it."""
    path = write(tmp_path, 'extend = "vn.nd335-2025"\nid = "mau.x"\n')
    with pytest.raises(RuleSetError) as err:
        read_rule_file(path)
    assert "extend: unknown key 'extend' — did you mean 'extends'?" in str(err.value)


def test_inherited_dates_are_validated_again(tmp_path: Path) -> None:
    """An effective_to before the inherited effective_from (2026-01-01) is refused."""
    path = write(tmp_path, 'extends = "vn.nd335-2025"\nid = "mau.x"\neffective_to = 2025-12-31\n')
    with pytest.raises(RuleSetError, match="effective_to 2025-12-31 is before effective_from "
                                           "2026-01-01"):  # fmt: skip
        read_rule_file(path)


def test_every_problem_of_the_merged_file_is_reported(tmp_path: Path) -> None:
    """A quota on a period the inherited classification does not cover is an error."""
    path = write(tmp_path, 'extends = "vn.nd335-2025"\nid = "mau.x"\n'
                           '[quota]\nperiods = ["month"]\n')  # fmt: skip
    with pytest.raises(RuleSetError, match=r"the quota cannot apply to 'month'"):
        read_rule_file(path)


def test_registering_an_agency_file_with_the_presets_jurisdiction_clashes(tmp_path: Path) -> None:
    """Same jurisdiction, category and dates as the preset: the registry refuses it."""
    reg = Registry.with_presets()
    path = write(tmp_path, 'extends = "vn.nd335-2025"\nid = "mau.x"\n')
    with pytest.raises(RuleSetError, match="effective ranges overlap for cong_chuc in 'vn'"):
        reg.load(path)
    assert reg.load(path, register=False).jurisdiction == "vn"


def test_a_set_registered_without_its_file_cannot_be_extended(tmp_path: Path) -> None:
    """A RuleSet built in code has no TOML to start from: said so."""
    import attrs

    reg = Registry.with_presets()
    ghost = attrs.evolve(reg.get("vn.nd335-2025"), id="mau.ghost", jurisdiction="vn.ghost",
                         path=None)  # fmt: skip
    reg.register(ghost)
    path = write(tmp_path, 'extends = "mau.ghost"\nid = "mau.y"\n')
    with pytest.raises(RuleSetError, match=r"'mau\.ghost' was registered without its file"):
        reg.load(path, register=False)


def test_extending_an_old_id_warns_and_uses_its_successor(tmp_path: Path) -> None:
    """A renamed preset's old id still resolves for one release, with a warning."""
    path = write(tmp_path, 'extends = "vn.quarterly-example"\nid = "mau.hq"\n'
                           'jurisdiction = "vn.customs.mau"\n')  # fmt: skip
    with pytest.warns(DeprecationWarning, match="vn.customs-2026q"):
        rs = evalkit.rules.load(path)
    assert rs.period == "quarter" and rs.classified == ("quarter", "year")


def test_a_file_naming_itself_is_not_called_by_its_base_s_name(tmp_path: Path) -> None:
    """An agency file with its own Vietnamese title is not given the decree's English title
    (an English sheet would name NĐ 335 for the agency's set): its English title falls back
    to its own Vietnamese one; a file that names neither keeps its base's two titles."""
    own = read_rule_file(write(tmp_path, 'title_vi = "Quy định của Sở Ví Dụ"\n' + MONTHLY))
    base = evalkit.rules.get("vn.nd335-2025")
    assert own.title_vi == own.title_en == "Quy định của Sở Ví Dụ"
    both = read_rule_file(write(tmp_path, 'title_vi = "Quy định"\ntitle_en = "Rules"\n' + MONTHLY,
                                "both.toml"))  # fmt: skip
    assert (both.title_vi, both.title_en) == ("Quy định", "Rules")
    plain = read_rule_file(write(tmp_path, MONTHLY, "plain.toml"))
    assert (plain.title_vi, plain.title_en) == (base.title_vi, base.title_en)

"""`evalkit rules show` speaks Vietnamese (af225): every rule of its sources table, its caps
and its quota are said in Vietnamese words — a kind's words from the catalogue
(``rules.kind.*``), the item's own label, its id in brackets as a rule file writes it — while
``RuleSource.rule`` stays the stable name of ``--json``, ``--lang en``, the docs and the
checks."""

from __future__ import annotations

import json
import re

import attrs
import pytest

import evalkit.rules
from evalkit.messages import CATALOGUE, translate
from evalkit.rules.sources import rule_sources
from tests._cli_helpers import run

PRESETS = [rs.id for rs in evalkit.rules.available()]
#: The English kind words the table used to print (the brief's list), and the other words
#: of the stable names (``unit KHT below tasks done``, a cap's id, a quota's base).
KIND_WORDS = ("block", "adjustment", "band", "cap", "notice", "quota", "management",
              "conclusion", "scoring", "units", "rollup", "rule set")
OTHER_WORDS = ("unit", "conditions", "share", "raised", "small", "group", "parent", "below",
               "tasks", "done", "personnel", "wrongdoing", "leadership", "member",
               "disciplined", "degraded", "socio", "economic", "targets", "missed",
               "shortcomings", "remedied", "classified", "degradation", "discipline",
               "corruption", "exceptional")


def _shown(monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    monkeypatch.setenv("COLUMNS", "400")  # one line per row: no id cut by a wrap
    code, out, err = run("rules", "show", *args)
    assert code == 0, err
    return out


def _sources_rows(out: str) -> list[str]:
    """The first cells of the last table printed (the sources table), one per rule."""
    lines = out.splitlines()
    start = max(i for i, line in enumerate(lines) if line.startswith("┡"))
    return [line.split("│")[1].strip() for line in lines[start:] if line.startswith("│")]


def _outside_brackets(text: str, rule_set_id: str) -> str:
    """``text`` without its bracketed ids (``[general]``) and the rule set's own id."""
    return re.sub(r"\[[^\]\n]*\]", "", text.replace(rule_set_id, ""))


@pytest.mark.parametrize("rule_set_id", PRESETS)
def test_rules_show_in_vietnamese_has_no_english_kind_word(
        rule_set_id: str, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """No ``block general``, ``cap degradation``, ``quota raised (exceptional)``, ``số
    classified``: outside the bracketed ids, no English word of a rule's name."""
    out = _outside_brackets(_shown(monkeypatch, rule_set_id), rule_set_id)
    words = {w.lower() for w in re.findall(r"(?<!\w)[A-Za-z]+(?!\w)", out)}
    found = sorted(w for w in (*KIND_WORDS, *OTHER_WORDS)
                   if (w in out if " " in w else w in words))  # fmt: skip
    assert found == [], found


@pytest.mark.parametrize("rule_set_id", PRESETS)
def test_each_rule_of_the_table_is_said_with_its_kind_label_and_id(
        rule_set_id: str, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """Each row of the sources table is the rule's Vietnamese words: its kind's words from
    the catalogue, its own label where it has one, its id in brackets."""
    rs = evalkit.rules.get(rule_set_id)
    rows = _sources_rows(_shown(monkeypatch, rule_set_id))
    kinds = {en: vi for vi, en in (CATALOGUE[k] for k in CATALOGUE
                                   if k.startswith("rules.kind."))}  # fmt: skip
    for b in rs.blocks:
        assert f"{kinds['block']} “{b.label_vi}” [{b.id}]" in rows
    for b in rs.bands:
        assert f"{kinds['band']} “{b.label_vi}” [{b.grade.code}]" in rows
    for c in rs.caps:
        assert f"{kinds['cap']} “{rs.grade_label(c.grade)}” [{c.id}]" in rows
    for n in rs.notices:
        assert f"{kinds['notice']} “{n.label_vi}” [{n.id}]" in rows
    assert rows[0] == kinds["rule set"] and kinds["units"] in rows
    assert len(rows) == len(rule_sources(rs))


def test_a_cap_and_the_quota_are_said_in_vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    """The lines above the table: a cap by its grade, its id in brackets and its label; the
    quota's base as the sheets name it."""
    rs = evalkit.rules.get("vn.nd335-2025")
    lines = _shown(monkeypatch, rs.id).splitlines()
    cap = rs.caps[1]
    assert f"trường hợp xếp loại tối đa KHT [{cap.id}]: {cap.label_vi}" in lines
    assert "tỷ lệ: HTXS ≤ 20% số người xếp loại Hoàn thành tốt nhiệm vụ" in lines
    hanoi = _shown(monkeypatch, "hanoi.3814-2018").splitlines()
    assert "tỷ lệ: HTXS ≤ 30% số người được xếp loại" in hanoi
    en = _shown(monkeypatch, rs.id, "--lang", "en").splitlines()  # English as it was
    assert f"cap {cap.id}: {cap.label_en} → KHT" in en and "quota: HTXS ≤ 20% of HTT" in en


def _every_rule() -> list[str]:
    """Every stable name the presets give, and the small-group quota no preset has."""
    sets = [evalkit.rules.get(i) for i in PRESETS]
    nd335 = evalkit.rules.get("vn.nd335-2025")
    assert nd335.quota is not None
    sets.append(attrs.evolve(nd335, quota=attrs.evolve(nd335.quota, small_group_size=3,
                                                       small_group_keep=1)))  # fmt: skip
    return sorted({r.rule for rs in sets for r in rule_sources(rs)})


def test_every_kind_of_rule_has_both_languages_in_the_catalogue() -> None:
    """Each stable name begins with the English words of one ``rules.kind.*`` entry; its
    Vietnamese words are that entry's, with no English word; in English it is itself."""
    from evalkit.messages import rule_words

    rules = _every_rule()
    assert "quota small group" in rules and "unit KHT socio-economic targets missed" in rules
    kinds = [CATALOGUE[k] for k in CATALOGUE if k.startswith("rules.kind.")]
    for rule in rules:
        matching = [(vi, en) for vi, en in kinds if rule == en or rule.startswith(en + " ")]
        assert matching, rule
        vi, _ = max(matching, key=lambda m: len(m[1]))
        said = rule_words(rule)
        assert said.startswith(vi) and rule_words(rule, "en") == rule, (rule, said)
        plain = re.sub(r"\[[^\]]*\]", "", said)
        assert not {w.lower() for w in re.findall(r"(?<!\w)[A-Za-z]+(?!\w)", plain)} & {
            *KIND_WORDS, *OTHER_WORDS}, said
    assert rule_words("quota raised (top_unit_excellent)") == "tỷ lệ khống chế nâng " \
                                                              "[top_unit_excellent]"


def test_rules_check_names_a_rule_with_the_same_words() -> None:
    """`rules check`'s sentence of an unsourced rule on by default names the rule as `rules
    show` does (one set of words: :func:`evalkit.messages.rule_words`)."""
    said = translate("cap discipline is unsourced and switched on by default; an "
                     "unsourced rule may only be an option (enabled = false, or leave the "
                     "option unset)", "vi")  # fmt: skip
    assert said.startswith(f"{CATALOGUE['rules.kind.cap'][0]} [discipline] chưa có căn cứ")
    said = translate("duplicate notice id 'x'", "vi")
    assert said == f"trùng mã {CATALOGUE['rules.kind.notice'][0]} 'x'"


@pytest.mark.parametrize("rule_set_id", ["vn.nd335-2025", "hanoi.3814-2018"])
def test_json_and_english_keep_the_stable_names(
        rule_set_id: str, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """``--json`` lists each rule by its stable name, ``--lang en`` prints it (a regression
    guard: the words are for Vietnamese readers only)."""
    rs = evalkit.rules.get(rule_set_id)
    doc = json.loads(_shown(monkeypatch, rule_set_id, "--json"))
    assert [r["rule"] for r in doc["rules"]] == [r.rule for r in rule_sources(rs)]
    assert {"rule set", "block tasks", "band HTXS", "cap discipline", "quota", "rollup"} <= {
        r["rule"] for r in doc["rules"]}
    rows = _sources_rows(_shown(monkeypatch, rule_set_id, "--lang", "en"))
    assert rows == [r.rule for r in rule_sources(rs)]


def test_rules_list_names_the_staff_categories_in_vietnamese(
        monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """`rules list`: the staff categories in words (công chức), their ids in English."""
    monkeypatch.setenv("COLUMNS", "400")
    cells = {}
    for lang in ("vi", "en"):
        code, out, err = run("rules", "list", "--lang", lang)
        assert code == 0, err
        cells[lang] = {line.split("│")[1].strip(): line.split("│")[2].strip()
                       for line in out.splitlines() if line.startswith("│")}  # fmt: skip
    assert cells["vi"]["vn.nd335-2025"] == "công chức"
    assert cells["vi"]["hanoi.3814-2018"] == ("cán bộ, công chức, viên chức, người lao động "
                                              "hợp đồng")
    assert cells["en"]["hanoi.3814-2018"] == "can_bo, cong_chuc, vien_chuc, hop_dong"


def test_rules_diff_names_each_changed_rule_in_vietnamese() -> None:
    """`rules diff`'s table of the rules changed: in Vietnamese each item in the words of the
    report's page (``impact.rule.*``), its key path in brackets; in English the key path."""
    from evalkit.impact import compare_rule_sets, demo_data

    data = demo_data()
    report = compare_rule_sets("vn.nd335-2025", "vn.nd90-2020-cc", data.staff_months,
                               data.units, fill=data.fill)  # fmt: skip
    items = list(report.rules["item"])
    assert "quota.percent_if_unit_excellent" in items and "effective_from" in items

    def first_cells(lang: str) -> list[str]:
        from rich.text import Text

        return [Text.from_markup(str(c)).plain
                for c in report.to_table("rules", lang=lang).columns[0].cells]

    vi = first_cells("vi")
    assert vi[items.index("effective_from")] == (
        f"{CATALOGUE['impact.rule.effective_from'][0]} [effective_from]")
    assert vi[items.index("quota.percent_if_unit_excellent")] == (
        f"{CATALOGUE['impact.rule.quota.percent_if_unit_excellent'][0]} "
        "[quota.percent_if_unit_excellent]")
    assert all(c.endswith(f"[{item}]") for c, item in zip(vi, items, strict=True))
    assert first_cells("en") == items

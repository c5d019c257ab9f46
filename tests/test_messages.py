"""One catalogue for everything the command line says (evalkit.messages): both languages
for every message, the same parameters in both, every key the code uses present, and the
library's English sentences translated where the catalogue knows them."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pandas as pd
import pytest

from evalkit.errors import InputProblem
from evalkit.messages import CATALOGUE, Msg, Words, located, msg, problem, translate

ROOT = Path(__file__).resolve().parent.parent
#: English words that must not appear in a Vietnamese message.
ENGLISH = re.compile(r"\b(the|is|not|of|and|cell|row|column|value|sheet|file|problem|"
                     r"missing|unknown|blank|exceeds|maximum|written|error)\b", re.I)


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_message_has_both_languages_with_the_same_parameters(key: str) -> None:
    """A message said in one language can be said in the other, with the same data."""
    vi, en = CATALOGUE[key]
    assert vi.strip() and en.strip(), key
    assert _fields(vi) == _fields(en) - {"s"}, key  # {s}: an English plural


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_no_english_in_a_vietnamese_message(key: str) -> None:
    """Vietnamese first: the Vietnamese sentence has no English words (ids and option
    names aside)."""
    vi, _ = CATALOGUE[key]
    plain = re.sub(r"\{[^}]*\}|`[^`]*`|\[[a-z_]+\]|--[a-z-]+|[A-Z_]{3,}=\S+", "", vi)
    assert not ENGLISH.search(plain), (key, ENGLISH.search(plain))


def test_every_key_the_code_uses_is_in_the_catalogue() -> None:
    """msg("…") and _t("…") name catalogue keys (a typo would fail only when shown)."""
    used: set[str] = set()
    for path in (ROOT / "evalkit").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if "evalkit.messages" not in source and path.name != "messages.py":
            continue
        used |= set(re.findall(r"\b(?:msg|_t|text)\(\s*\"([a-z_]+\.[\w.]+)\"", source))
    assert used, "no message keys found"
    assert sorted(used - set(CATALOGUE)) == []


def test_a_message_is_english_as_a_string_and_either_language_on_demand() -> None:
    """str() is the library's English; text() gives the language asked for."""
    m = msg("problem.over_maximum", maximum=100)
    assert (str(m), m.text("vi"), m.text("en")) == (
        "exceeds its maximum 100", "vượt mức tối đa 100", "exceeds its maximum 100")
    with pytest.raises(KeyError):
        Msg("no.such.key")


def test_a_located_problem_speaks_the_language_throughout() -> None:
    """Where and what, both in Vietnamese; in English exactly the library's str()."""
    p = problem(msg("problem.cell", where=msg("where.cell", ref="K17"),
                    what=msg("problem.not_a_number")),
                file="thang-03.xlsx", sheet="Nhân sự - Điểm", row=17,
                column="self__so_luong", value="chín mươi", staff_id="CC-42")  # fmt: skip
    vi = located(p, "vi")
    assert vi == ("thang-03.xlsx, trang 'Nhân sự - Điểm', dòng 17, người được đánh giá 'CC-42', cột "
                  "'self__so_luong', giá trị 'chín mươi': ô K17: không phải là số")
    assert located(p, "en") == str(p) == (
        "thang-03.xlsx, sheet 'Nhân sự - Điểm', row 17, staff 'CC-42', column "
        "'self__so_luong', value 'chín mươi': cell K17: is not a number")


def test_a_number_value_is_written_as_its_vietnamese_sentence_writes_it() -> None:
    """Acceptance af59: a score of 3.5 above the maximum 2.5 was located as ``giá trị 3.5``
    before the sentence ``điểm 3,5 … vượt mức tối đa 2,5``: one line, two ways of writing
    the number. The place says 3,5 as the sentence does; English is unchanged."""
    over = msg("problem.over_maximum", maximum=Words("2,5", "2.5"))
    for value, vi_value in ((3.5, "3,5"), (-1.0, "-1"), (0.125, "0,125"), (7, "7")):
        p = problem(over, file="f.xlsx", row=3, column="manager__nang_luc_chuyen_mon",
                    value=value)  # fmt: skip
        assert located(p, "vi") == (f"f.xlsx, dòng 3, cột 'manager__nang_luc_chuyen_mon', "
                                    f"giá trị {vi_value}: vượt mức tối đa 2,5")  # fmt: skip
        assert located(p, "en") == str(p)
        assert f"value {value!r}:" in str(p)
    text_cell = problem(over, row=3, value="3.5")  # text typed: quoted as typed
    assert "giá trị '3.5'" in located(text_cell, "vi")


def test_the_task_checks_are_translated() -> None:
    """Problems of the tasks sheet (evalkit.io.tasks) read in Vietnamese too."""
    from evalkit.io.tasks import check_tasks

    table = pd.DataFrame({"assignee": ["CC-1", None], "assigned": ["2026-03-01", "x"],
                          "due": ["9999-12-31", "2026-03-02"], "errors": [float("inf"), 0]})
    found = check_tasks(table)
    assert found
    for p in found:
        vi = located(p, "vi")
        assert vi != str(p) and not ENGLISH.search(vi.split(": ", 1)[1]), vi


def test_the_engines_score_problems_are_translated() -> None:
    """`score … exceeds its maximum …` and `criterion … has no score` from the engine."""
    import evalkit

    frame = pd.DataFrame({"staff_id": ["A"], **{c: [v] for c, v in
                          evalkit.rules.get("vn.nd335-2025").full_marks().items()}})
    frame.loc[0, "pham_chat_dao_duc"] = 9.0
    frame.loc[0, "so_luong"] = float("nan")
    with pytest.raises(evalkit.InputError) as info:
        evalkit.score_frame(frame, "vn.nd335-2025")
    for p in info.value.problems:
        vi = located(p, "vi")
        assert not ENGLISH.search(vi), vi


def test_a_stray_quote_in_a_csv_is_said_in_vietnamese(tmp_path: Path) -> None:
    """The CSV door's quote problem (evalkit.io._cells) has its Vietnamese words."""
    from evalkit.io.workbook import read_csv

    path = tmp_path / "f.csv"
    path.write_text('staff_id,full_name,unit_id\nA,"An,P1\nB,Bình,P1\n', encoding="utf-8")
    _, problems = read_csv(path, "vn.nd335-2025", period="2026-03")
    quote = [p for p in problems if "quote" in p.message]
    assert quote and all("dấu ngoặc kép" in located(p, "vi") for p in quote)


def test_an_unknown_english_sentence_is_kept_as_it_is() -> None:
    """Nothing invented: a sentence the catalogue does not know stays whole."""
    p = InputProblem("something new", file="x.csv", row=3)
    assert located(p, "vi") == "x.csv, dòng 3: something new"
    assert translate("rule set 'x' is in force from 2026-01-01 to open end, not in 2025-12; "
                     "pass force=True to apply it anyway", "en", cli=True).endswith(
        "add --force to apply it anyway")


def test_the_engines_structure_and_year_problems_are_translated() -> None:
    """Duplicates, a unit without the month, the year's refusals: Vietnamese on the command
    line, with the row, staff and value kept."""
    import evalkit
    from evalkit.units import classify_frame, classify_year, rollup_frame

    found: list[InputProblem] = []

    def collect(call: object) -> None:
        with pytest.raises(evalkit.InputError) as info:
            call()  # type: ignore[operator]
        found.extend(info.value.problems)

    sm = pd.DataFrame({"staff_id": ["A", "A", "B"], "unit_id": ["U", "U", "U"],
                       "period": ["2026-03", "2026-03", "2026-04"], "category": "cong_chuc"})
    units = pd.DataFrame({"unit_id": ["U"], "period": ["2026-03"]})
    collect(lambda: classify_frame(sm.iloc[2:], units))
    collect(lambda: classify_frame(sm.iloc[:2], units))
    collect(lambda: classify_frame(sm.iloc[:1], pd.concat([units, units])))
    months = pd.DataFrame({"staff_id": "A", "unit_id": "U", "total": 80.0,
                           "period": ["2026-01", "2026-01", "2026"]})
    collect(lambda: rollup_frame(months.iloc[:2], "vn.nd335-2025"))
    collect(lambda: rollup_frame(months.iloc[2:], "vn.nd335-2025"))
    year = classify_year(months.iloc[:1], None, "vn.nd335-2025")
    collect(lambda: classify_year(year.assign(period="2026"), pd.concat(
        [pd.DataFrame({"unit_id": ["U"], "grade": ["HTT"]})] * 2), "vn.nd335-2025"))
    for who in (["Z"], ["A", "A"]):
        c = pd.DataFrame({"staff_id": who, "competent_grade": "HT", "competent_reason": "x"})
        collect(lambda c=c: classify_year(months.iloc[:1], None, "vn.nd335-2025",
                                          conclusions=c))  # fmt: skip
    collect(lambda: rollup_frame(months.iloc[:1].assign(total=500.0), "vn.nd335-2025"))
    collect(lambda: rollup_frame(months.iloc[:1].assign(staff_id=None), "vn.nd335-2025"))
    collect(lambda: rollup_frame(pd.concat([months.iloc[:1], months.iloc[:1].assign(
        period="2026-Q1")]), "vn.nd335-2025"))  # fmt: skip
    collect(lambda: classify_year(months.iloc[:1].assign(is_head=True), None, "vn.nd335-2025"))
    assert len({p.message for p in found}) >= 12
    for p in found:
        vi = located(p, "vi")
        assert not ENGLISH.search(vi), vi
        assert vi != str(p)


@pytest.mark.parametrize(("field", "value", "key"), [
    ("competent_order", 1.5, "foreign.competent_order"),
    ("competent_order", "abc", "foreign.competent_order"),
    ("months_worked", 7, "foreign.months_worked"),
])  # fmt: skip
def test_an_assessments_refusals_are_catalogued_in_both_languages(
    field: str, value: object, key: str
) -> None:
    """af45 item 4: the refusal of an Assessment's ``competent_order`` (the quota's
    tie-break; and ``months_worked``) has its catalogue entry, so the command line and a
    located problem say it in Vietnamese, staff and period kept; the object's JSON door too."""
    import evalkit
    from evalkit.errors import InputError, ModelError
    from evalkit.io.jsonio import from_dict, to_dict
    from evalkit.messages import foreign_key

    base = {"staff_id": "CC-1", "period": "2026-03"}
    with pytest.raises(ModelError) as err:
        evalkit.Assessment(**base, **{field: value})  # type: ignore[arg-type]
    english = str(err.value)
    assert foreign_key(english) == key and key in CATALOGUE
    vi = translate(english, "vi", cli=True)
    assert not ENGLISH.search(vi) and "người được đánh giá 'CC-1', 2026-03" in vi, vi
    assert translate(english, "en") == english
    doc = {**to_dict(evalkit.Assessment(**base)), field: value}
    with pytest.raises(InputError) as err2:
        from_dict(doc, evalkit.Assessment, source="a.json")
    said = located(err2.value.problems[0], "vi")
    assert not ENGLISH.search(said) and "người được đánh giá 'CC-1'" in said, said

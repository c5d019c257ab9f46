"""A unit flag that an agency's own rule file does not read is refused at finalize, as the
year refuses it (af163; issue 13, "one engine, one answer").

af159 made :meth:`Archive.finalize`, :func:`finalize_problems` and ``evalkit finalize``
refuse unit results carrying a unit flag their rule set does not read, through
:func:`evalkit.units.unit_flag_problems`. That check looked rule sets up in the registry
only: unit rows naming an agency's rule file (``finalize --rules so-noi-vu.toml``) were not
judged, and the month was archived with a flag its set does not read, while the year
refused the same rows. The check now finds a set as every door does
(:func:`evalkit.rules.resolve` with the set given), so the agency's rows are refused with
the same sentence at every door; a preset's rows are refused as before.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit
import evalkit.rules
from evalkit.io.archive import Archive, finalize_problems
from evalkit.io.results import write_results
from evalkit.rules import RuleSet
from tests._cli_helpers import run

PRESET = "vn.nd335-2025"
AGENCY = "mau.so-noi-vu-2026"
PERIOD = "2026-09"
UNITS = ("A", "B", "C")
#: what every door says: (unit, flag); NĐ 335/2025 (and a copy of it) has no unit
#: condition of NĐ 233/2026 Điều 7's kind (k1 c, k4 a)
WANT = [("A", "personnel_wrongdoing"), ("B", "shortcomings_unremedied")]
#: the presets that read each flag, as the sentence names them (QĐ 366-QĐ/TW Điều 11 k4 reads
#: personnel_wrongdoing too)
READERS = {"shortcomings_unremedied": "vn.nd233-2026, vn.qd366-2025",  # QĐ 366 k1 (af176)
           "personnel_wrongdoing": "vn.nd233-2026, vn.qd366-2025"}


def _agency_file(folder: Path) -> Path:
    """The NĐ 335 preset's file copied under an agency's own id (not registered)."""
    text = (resources.files("evalkit.rules") / "presets" / f"{PRESET}.toml").read_text(
        encoding="utf-8")
    assert f'id = "{PRESET}"' in text
    path = folder / "so-noi-vu.toml"
    path.write_text(text.replace(f'id = "{PRESET}"', f'id = "{AGENCY}"', 1), encoding="utf-8")
    return path


def _said(unit: str, flag: str, rules: str) -> str:
    return (f"unit {unit} has {flag} set ({PERIOD}), which rule set {rules} does not read: the "
            "unit would be classified as if it were blank; clear it, or classify the unit "
            f"under a rule set that reads it ({READERS[flag]})")


def _month(rs: RuleSet) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A month of three công chức under ``rs``: the results to finalize, the unit results
    with A's and B's flags set, the clean unit results and the unit inputs."""
    staff = pd.DataFrame([{"staff_id": f"S{u}", "full_name": f"Người {u}", "unit_id": u,
                           "period": PERIOD, "category": "cong_chuc", **rs.full_marks()}
                          for u in UNITS])  # fmt: skip
    inputs = pd.DataFrame([{"unit_id": u, "parent_id": None if u == "A" else "A",
                            "period": PERIOD, "tasks_assigned": 10, "tasks_done": 10}
                           for u in UNITS])  # fmt: skip
    st_, ut = evalkit.classify_frame(staff, inputs, rs)
    assert set(ut["rule_set"].astype(str)) == {rs.id}
    results = pd.concat([staff, st_[[c for c in st_.columns if c not in staff.columns]]],
                        axis=1)  # fmt: skip
    results.attrs["rule_set"] = rs.id
    flagged = ut.assign(personnel_wrongdoing=[True, False, False],
                        shortcomings_unremedied=[False, True, False])
    return results, flagged, ut, inputs.drop(columns=["period"])


def _triples(problems: Any) -> list[tuple[Any, ...]]:
    return [(p.unit_id, p.column, p.message) for p in problems]


@pytest.mark.parametrize("agency", [False, True], ids=["preset", "agency-file"])
def test_finalize_refuses_a_flag_the_rows_set_does_not_read_at_every_door(
        agency: bool, tmp_path: Path) -> None:  # fmt: skip
    """Unit results naming the NĐ 335 preset, or an agency's copy of it under its own id
    (given as ``rules``: the path, as ``evalkit finalize --rules`` takes it), with A's
    ``personnel_wrongdoing`` and B's ``shortcomings_unremedied`` set: the year,
    ``finalize_problems``, :meth:`Archive.finalize` and ``evalkit finalize`` each refuse
    exactly A's and B's flag with one sentence naming the rows' set; nothing is archived;
    the clean unit results are archived."""
    path = _agency_file(tmp_path)
    rs = evalkit.rules.resolve(path) if agency else evalkit.rules.get(PRESET)
    rules: Path | None = path if agency else None
    results, flagged, clean, inputs = _month(rs)
    want = [(u, f, _said(u, f, rs.id)) for u, f in WANT]

    # the year, which always found the agency's set (the engine's one check)
    st_ = results.copy()
    st_.attrs["rule_sets"] = {rs.id: rs}
    with pytest.raises(evalkit.InputError) as exc:
        evalkit.classify_year(st_, flagged)
    assert _triples(exc.value.problems) == want

    # the Python doors: the check alone, and finalize
    assert _triples(finalize_problems(results, units=flagged, unit_inputs=inputs,
                                      rules=rules)) == want  # fmt: skip
    with Archive(tmp_path / "a.sqlite") as arc:
        with pytest.raises(evalkit.InputError) as exc:
            arc.finalize(results, by="TCCB", units=flagged, unit_inputs=inputs, rules=rules)
        assert _triples(exc.value.problems) == want
        assert arc.months() == []  # nothing half-written

    # the CLI: the results file carrying the flagged unit results
    doc = results.copy()
    doc.attrs.update(units=flagged, unit_inputs=inputs)
    write_results(doc, tmp_path / "ket-qua.json")
    given = ["--rules", str(path)] if agency else []
    code, out, _err = run("--lang", "en", "finalize", str(tmp_path / "ket-qua.json"),
                          "--archive", str(tmp_path / "b.sqlite"), "--by", "TCCB",
                          *given, "--json")  # fmt: skip
    assert code == 1, out
    got = json.loads(out)["problems"]
    assert [(p["unit_id"], p["column"], p["message"]) for p in got] == want
    assert not (tmp_path / "b.sqlite").exists() or Archive(tmp_path / "b.sqlite").months() == []

    # the same month with its flags cleared is archived at both doors
    with Archive(tmp_path / "a.sqlite") as arc:
        arc.finalize(results, by="TCCB", units=clean, unit_inputs=inputs, rules=rules)
        assert [str(m.period) for m in arc.months()] == [PERIOD]
    doc.attrs.update(units=clean)
    write_results(doc, tmp_path / "ket-qua.json")
    code, out, err = run("finalize", str(tmp_path / "ket-qua.json"), "--archive",
                         str(tmp_path / "c.sqlite"), "--by", "TCCB", *given)  # fmt: skip
    assert code == 0, (out, err)

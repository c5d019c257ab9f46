"""Findings of the earlier hunts, fixed by af135: each door of a rule gives one answer."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from evalkit.io.archive import Archive
from tests._archive_helpers import month_inputs
from tests._cli_helpers import ok


class TestArchiveBlankReasons:
    """The engine writes a row without a reason as ``""`` (``evalkit.scoring``: ``reasons``
    joins the codes, none is the empty text). The archive keeps that blank whichever door
    the month came through: results JSON by the CLI, a results CSV read back with pandas,
    or the frame in Python."""

    def _months(self, tmp_path: Path) -> dict[str, pd.DataFrame]:
        staff, _units = month_inputs("2026-03", {"A": 95, "B": 80, "C": 60})
        given = tmp_path / "vao.csv"
        staff.to_csv(given, index=False)
        as_json, as_csv = tmp_path / "kq.json", tmp_path / "kq.csv"
        ok("score", str(given), "--out", str(as_json))
        ok("score", str(given), "--out", str(as_csv))
        ok("finalize", str(as_json), "--archive", str(tmp_path / "j.sqlite"), "--by", "TCCB")
        read = pd.read_csv(as_csv, dtype={"staff_id": str}, encoding="utf-8-sig")
        assert read["reasons"].isna().all()  # the CSV's blank reads back as NaN
        with Archive(tmp_path / "c.sqlite") as arc:
            arc.finalize(read.drop(columns=["reasons_vi"]), by="TCCB")
        out: dict[str, pd.DataFrame] = {}
        for key in ("j", "c"):
            with Archive(tmp_path / f"{key}.sqlite") as arc:
                out[key] = arc.month("2026-03")
        return out

    def test_a_blank_reason_is_the_empty_text_through_every_door(self, tmp_path: Path) -> None:
        months = self._months(tmp_path)
        assert months["j"]["reasons"].tolist() == ["", "", ""]
        assert months["c"]["reasons"].tolist() == ["", "", ""]
        pd.testing.assert_frame_equal(months["c"], months["j"][months["c"].columns])


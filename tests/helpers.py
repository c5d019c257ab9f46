"""Small shared helpers for the tests: scores that follow the presets' own criteria."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import attrs
import pandas as pd
import pytest

import evalkit.rules
from evalkit.rules import RuleSet

#: The NĐ 335/2025 management components (Điều 15 k3): d, đ, e.
D, DD, E = "ket_qua_linh_vuc", "to_chuc_trien_khai", "tap_hop_doan_ket"
#: The task components a, b, c (Điều 14 k2).
A, B, C = "so_luong", "chat_luong", "tien_do"


def general_ids(rules: str = "vn.nd335-2025") -> tuple[str, ...]:
    """The ids of a rule set's general criteria, in order."""
    return tuple(c.id for c in evalkit.rules.get(rules).group("general").criteria)


GENERAL = general_ids()


def general(total: float, rules: str = "vn.nd335-2025") -> dict[str, float]:
    """Spread a general-criteria total over the rule set's general criteria, in order."""
    out: dict[str, float] = {}
    left = round(total, 6)
    for c in evalkit.rules.get(rules).group("general").criteria:
        part = min(float(c.maximum), left)
        out[c.id] = round(part, 6)
        left = round(left - part, 6)
    assert left == 0, total
    return out


def full(rules: str = "vn.nd335-2025", *, manages: bool = False) -> dict[str, float]:
    """Full marks for every required criterion."""
    return evalkit.rules.get(rules).full_marks(manages)


def monthly(rules: str = "vn.nd335-2025") -> RuleSet:
    """The set as an agency that grades every month (monthly quota) would configure it."""
    rs = evalkit.rules.get(rules)
    return attrs.evolve(rs, id=f"{rs.id}+monthly", classified=("month", "year"))


def heads_typed(frame: pd.DataFrame, rules: RuleSet, heads: Any = None, *,
                alone: bool = True) -> pd.DataFrame:  # fmt: skip
    """``frame`` with the management-only components (d, đ, e) typed at full marks where
    blank on the rows of heads of units (``heads``: a mask, else the ``is_head`` column): a
    head holds a management post (NĐ 335/2025/NĐ-CP Điều 15) and is scored with them.
    ``alone=False`` (classification, d computed from the staff under the head) leaves the d
    the rule set computes blank."""
    from evalkit.scoring import management_only_inputs

    out = frame.copy()
    mask = (pd.Series(heads, index=out.index) if heads is not None
            else out["is_head"]).astype(bool).to_numpy()  # fmt: skip
    full = rules.full_marks(manages_others=True)
    for cid in management_only_inputs(rules):
        if not alone and cid == rules.management.computed:
            continue
        col = (pd.to_numeric(out[cid], errors="coerce") if cid in out.columns
               else pd.Series(float("nan"), index=out.index))  # fmt: skip
        out[cid] = col.where(~(mask & col.isna().to_numpy()), full[cid]).astype("float64")
    return out


def pdf_text(path: Path) -> str:
    """The words of a PDF as ``pdftotext`` reads them, white space collapsed (skipped where
    poppler is not installed)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    said = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout  # fmt: skip
    return " ".join(said.split())

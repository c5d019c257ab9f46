"""Small shared helpers for the tests: scores that follow the presets' own criteria."""

from __future__ import annotations

import attrs

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

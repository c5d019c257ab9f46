"""Regenerate the demo agency's data files (``agency.json``, ``assessments.csv``,
``unit_tasks.csv``, ``conclusions.csv``).

The files are static and checked in, so that a reader can open them; this script is the
record of how they were designed and rebuilds them byte for byte (a test checks that)::

    python -m evalkit.demo._generate            # rewrite the files beside this module
    python -m evalkit.demo._generate --check    # exit 1 if the files differ

Criterion ids come from the rule sets in force (NĐ 335/2025 for the công chức; NĐ 90/2020
until June and NĐ 233/2026 from July for the viên chức of the archive centre), so after a
change of a preset one run of this script brings the demo back in line.

Every person has a *profile*: the competent level's scores for each month. The direct
manager scores a little higher and the person higher still (self ≥ manager ≥ competent);
each level's proposed grade is the band of that level's own total (the engine's
``self_total``, ``manager_total``). The year 2026 is designed so that every rule shows:

* monthly monitoring under NĐ 335 (the band as information), the year classified on the
  average of the months worked (Điều 21);
* Văn phòng Sở is rated HTT for the year while its head Trần Đức Thắng averages above 90:
  capped at the unit (``cap.head_unit``);
* Phòng Công chức, viên chức has two HTXS candidates for the year against five HTT
  (20 % of 5 = 1): Lý Hoàng Nam is demoted (``quota.demoted``);
* Tạ Quang Vinh averages above 90 but the competent level concludes HTT with a written
  reason (``competent.concluded``);
* Châu Minh Đức was reprimanded (khiển trách) in January for a violation in his duty: the
  month shows it as information, the year is KHT (``disqualifier.discipline``);
* Kiều Văn Phúc's major errors put him below 50 in November and December: his leader,
  the head of the division Võ Văn Dũng, has component (d) at 50 % those months
  (``management.d``), and so do the leaders above in the chain, whose area he is in
  (``[management] scope = "area"``);
* Phan Văn Khải's unit reports prolonged disunity from September: his (e) is 50 %;
* Trịnh Thị Kim Oanh is on maternity leave from May to October: classified on the six
  months worked (``rollup.leave``); Lương Thị Thảo is on sick leave in December (not
  evaluated that month);
* Mai Thị Diệu Linh moves from Phòng Công chức, viên chức to Phòng Xây dựng chính quyền in
  July: the new unit classifies her year from both units' months;
* the Trung tâm Lưu trữ lịch sử employs viên chức: NĐ 90/2020 until June, NĐ 233/2026
  from July — the rule set follows the person, none is named;
* each unit scores itself every month; for the year an appraisal council re-scores Phòng
  Xây dựng chính quyền (``unit.council``);
* Bùi Thị Ngọc Ánh is scored from the task tracker's KPI; Hoàng Thị Lan has delays.
"""

from __future__ import annotations

import csv
import io
import json
import math
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

YEAR = "2026"
MONTHS = tuple(f"{YEAR}-{m:02d}" for m in range(1, 13))
LEVELS = ("self", "manager", "competent")
#: The rule sets the demo's data follow (the engine picks them by category and month).
SETS = {"cong_chuc": ("vn.nd335-2025",), "vien_chuc": ("vn.nd90-2020", "vn.nd233-2026")}

PLACE = "Lam Giang"
PROVINCE = "tỉnh Sông Lam"

AGENCY: dict[str, Any] = {
    "id": "SNV",
    "name": "Sở Nội vụ",
    "full_name": f"Sở Nội vụ {PROVINCE}",
    "name_en": "Department of Home Affairs of Sông Lam Province (fictional)",
    "governing_body": f"Ủy ban nhân dân {PROVINCE}",
    "governing_body_short": "UBND TỈNH SÔNG LAM",
    "place": PLACE,
    "address": "Số 12 đường Trần Phú, phường Lam Sơn, Lam Giang",
    "note": "Cơ quan, địa danh và con người đều là hư cấu, dùng cho dữ liệu mẫu của evalkit.",
}

SIGNATORIES: dict[str, dict[str, str]] = {
    "competent": {"name": "Lê Văn Thành", "title": "Giám đốc Sở Nội vụ"},
    "SNV-001": {"name": "Hoàng Minh Quân", "title": "Chủ tịch Ủy ban nhân dân tỉnh"},
    "SNV-TTLT": {"name": "Nguyễn Văn Tùng", "title": "Giám đốc Trung tâm Lưu trữ lịch sử"},
    "SNV-401": {"name": "Lê Văn Thành", "title": "Giám đốc Sở Nội vụ"},
    "preparer": {"name": "Dương Thị Thanh Hương", "title": "Chuyên viên chính"},
}

POSITIONS: list[dict[str, Any]] = [
    {"id": "giam_doc", "title_vi": "Giám đốc Sở", "title_en": "Director", "manages_others": True},
    {"id": "pho_giam_doc", "title_vi": "Phó Giám đốc Sở", "title_en": "Deputy Director",
     "manages_others": True},
    {"id": "chanh_van_phong", "title_vi": "Chánh Văn phòng", "title_en": "Chief of Office",
     "manages_others": True},
    {"id": "pho_chanh_van_phong", "title_vi": "Phó Chánh Văn phòng",
     "title_en": "Deputy Chief of Office", "manages_others": True},
    {"id": "truong_phong", "title_vi": "Trưởng phòng", "title_en": "Head of Division",
     "manages_others": True},
    {"id": "pho_truong_phong", "title_vi": "Phó Trưởng phòng",
     "title_en": "Deputy Head of Division", "manages_others": True},
    {"id": "chuyen_vien_chinh", "title_vi": "Chuyên viên chính", "title_en": "Principal Officer"},
    {"id": "chuyen_vien", "title_vi": "Chuyên viên", "title_en": "Officer"},
    {"id": "ke_toan", "title_vi": "Kế toán viên", "title_en": "Accountant"},
    {"id": "van_thu", "title_vi": "Văn thư viên", "title_en": "Records Clerk"},
    {"id": "giam_doc_trung_tam", "title_vi": "Giám đốc Trung tâm", "title_en": "Centre Director",
     "manages_others": True},
    {"id": "pho_giam_doc_trung_tam", "title_vi": "Phó Giám đốc Trung tâm",
     "title_en": "Deputy Centre Director", "manages_others": True},
    {"id": "luu_tru_vien_chinh", "title_vi": "Lưu trữ viên chính",
     "title_en": "Principal Archivist"},
    {"id": "luu_tru_vien", "title_vi": "Lưu trữ viên", "title_en": "Archivist"},
]  # fmt: skip

UNITS: list[dict[str, Any]] = [
    {"id": "SNV", "name": f"Sở Nội vụ {PROVINCE}", "parent_id": None, "head_id": "SNV-001",
     "governing_body": AGENCY["governing_body"], "place": PLACE,
     "name_en": "Department of Home Affairs"},
    {"id": "SNV-VP", "name": "Văn phòng Sở", "parent_id": "SNV", "head_id": "SNV-101",
     "governing_body": AGENCY["full_name"], "place": PLACE, "name_en": "Office of the Department"},
    {"id": "SNV-CCVC", "name": "Phòng Công chức, viên chức", "parent_id": "SNV",
     "head_id": "SNV-201", "governing_body": AGENCY["full_name"], "place": PLACE,
     "name_en": "Civil Servants and Public Employees Division"},
    {"id": "SNV-XDCQ", "name": "Phòng Xây dựng chính quyền và Công tác thanh niên",
     "parent_id": "SNV", "head_id": "SNV-301", "governing_body": AGENCY["full_name"],
     "place": PLACE, "name_en": "Local Government and Youth Affairs Division"},
    {"id": "SNV-TTLT", "name": "Trung tâm Lưu trữ lịch sử", "parent_id": "SNV",
     "head_id": "SNV-401", "governing_body": AGENCY["full_name"], "place": PLACE,
     "name_en": "Historical Archives Centre"},
]  # fmt: skip

# id, full name, position, unit, manager, title (chức vụ), duty group, category
_STAFF: list[tuple[str, str, str, str, str | None, str, str, str]] = [
    ("SNV-001", "Lê Văn Thành", "giam_doc", "SNV", None, "Giám đốc Sở", "lanh_dao_so", "cong_chuc"),
    ("SNV-002", "Nguyễn Thị Hồng Nhung", "pho_giam_doc", "SNV", "SNV-001", "Phó Giám đốc Sở",
     "lanh_dao_so", "cong_chuc"),
    ("SNV-003", "Phạm Quốc Huy", "pho_giam_doc", "SNV", "SNV-001", "Phó Giám đốc Sở",
     "lanh_dao_so", "cong_chuc"),
    ("SNV-101", "Trần Đức Thắng", "chanh_van_phong", "SNV-VP", "SNV-002", "Chánh Văn phòng",
     "tong_hop", "cong_chuc"),
    ("SNV-102", "Đỗ Thị Thu Hà", "pho_chanh_van_phong", "SNV-VP", "SNV-101",
     "Phó Chánh Văn phòng", "tong_hop", "cong_chuc"),
    ("SNV-103", "Vũ Minh Tuấn", "ke_toan", "SNV-VP", "SNV-101", "", "ho_tro", "cong_chuc"),
    ("SNV-104", "Hoàng Thị Lan", "van_thu", "SNV-VP", "SNV-102", "", "ho_tro", "cong_chuc"),
    ("SNV-105", "Bùi Thị Ngọc Ánh", "chuyen_vien", "SNV-VP", "SNV-102", "", "tong_hop",
     "cong_chuc"),
    ("SNV-201", "Ngô Thanh Sơn", "truong_phong", "SNV-CCVC", "SNV-003", "Trưởng phòng",
     "chuyen_mon", "cong_chuc"),
    ("SNV-202", "Đặng Thị Mai Phương", "pho_truong_phong", "SNV-CCVC", "SNV-201",
     "Phó Trưởng phòng", "chuyen_mon", "cong_chuc"),
    ("SNV-203", "Phan Văn Khải", "pho_truong_phong", "SNV-CCVC", "SNV-201", "Phó Trưởng phòng",
     "chuyen_mon", "cong_chuc"),
    ("SNV-204", "Dương Thị Thanh Hương", "chuyen_vien_chinh", "SNV-CCVC", "SNV-202", "",
     "chuyen_mon", "cong_chuc"),
    ("SNV-205", "Lý Hoàng Nam", "chuyen_vien", "SNV-CCVC", "SNV-202", "", "chuyen_mon",
     "cong_chuc"),
    ("SNV-206", "Trịnh Thị Kim Oanh", "chuyen_vien_chinh", "SNV-CCVC", "SNV-203", "",
     "chuyen_mon", "cong_chuc"),
    ("SNV-207", "Hồ Văn Lợi", "chuyen_vien", "SNV-CCVC", "SNV-203", "", "chuyen_mon",
     "cong_chuc"),
    ("SNV-208", "Mai Thị Diệu Linh", "chuyen_vien", "SNV-XDCQ", "SNV-301", "", "chuyen_mon",
     "cong_chuc"),
    ("SNV-301", "Võ Văn Dũng", "truong_phong", "SNV-XDCQ", "SNV-003", "Trưởng phòng",
     "chuyen_mon", "cong_chuc"),
    ("SNV-302", "Huỳnh Thị Bích Ngọc", "pho_truong_phong", "SNV-XDCQ", "SNV-301",
     "Phó Trưởng phòng", "chuyen_mon", "cong_chuc"),
    ("SNV-303", "Tạ Quang Vinh", "chuyen_vien_chinh", "SNV-XDCQ", "SNV-301", "", "chuyen_mon",
     "cong_chuc"),
    ("SNV-304", "Lương Thị Thảo", "chuyen_vien", "SNV-XDCQ", "SNV-301", "", "chuyen_mon",
     "cong_chuc"),
    ("SNV-305", "Đinh Công Hậu", "chuyen_vien", "SNV-XDCQ", "SNV-302", "", "chuyen_mon",
     "cong_chuc"),
    ("SNV-306", "Cao Thị Yến", "chuyen_vien", "SNV-XDCQ", "SNV-302", "", "chuyen_mon",
     "cong_chuc"),
    ("SNV-307", "Kiều Văn Phúc", "chuyen_vien", "SNV-XDCQ", "SNV-301", "", "chuyen_mon",
     "cong_chuc"),
    ("SNV-308", "Lâm Thị Quỳnh", "chuyen_vien", "SNV-XDCQ", "SNV-301", "", "chuyen_mon",
     "cong_chuc"),
    ("SNV-309", "Châu Minh Đức", "chuyen_vien", "SNV-XDCQ", "SNV-302", "", "chuyen_mon",
     "cong_chuc"),
    ("SNV-401", "Nguyễn Văn Tùng", "giam_doc_trung_tam", "SNV-TTLT", "SNV-003",
     "Giám đốc Trung tâm", "luu_tru", "vien_chuc"),
    ("SNV-402", "Trần Thị Hải Yến", "pho_giam_doc_trung_tam", "SNV-TTLT", "SNV-401",
     "Phó Giám đốc Trung tâm", "luu_tru", "vien_chuc"),
    ("SNV-403", "Lê Thị Minh Châu", "luu_tru_vien_chinh", "SNV-TTLT", "SNV-402", "",
     "luu_tru", "vien_chuc"),
    ("SNV-404", "Phùng Văn Khoa", "luu_tru_vien", "SNV-TTLT", "SNV-402", "", "luu_tru",
     "vien_chuc"),
    ("SNV-405", "Đoàn Thị Ngọc Trâm", "luu_tru_vien", "SNV-TTLT", "SNV-402", "", "luu_tru",
     "vien_chuc"),
    ("SNV-406", "Vương Đình Phong", "luu_tru_vien", "SNV-TTLT", "SNV-401", "", "luu_tru",
     "vien_chuc"),
]  # fmt: skip

#: A transfer: the person's unit and manager before ``from``.
TRANSFERS: list[dict[str, str]] = [
    {"staff_id": "SNV-208", "from_unit": "SNV-CCVC", "from_manager": "SNV-202",
     "to_unit": "SNV-XDCQ", "to_manager": "SNV-301", "from": f"{YEAR}-07"},
]  # fmt: skip

_MANAGES = {p["id"] for p in POSITIONS if p.get("manages_others")}


def staff_records() -> list[dict[str, Any]]:
    """The staff list (their place at the end of the year) as JSON-ready records."""
    return [
        {
            "id": sid, "full_name": name, "position_id": pos, "unit_id": unit,
            "category": cat, "manages_others": pos in _MANAGES,
            "duty_group": group, "manager_id": mgr, "title_vi": title,
        }
        for sid, name, pos, unit, mgr, title, group, cat in _STAFF
    ]  # fmt: skip


def placement(sid: str, month: str) -> tuple[str, str | None]:
    """The person's unit and manager in ``month`` (transfers applied)."""
    s = next(x for x in _STAFF if x[0] == sid)
    for t in TRANSFERS:
        if t["staff_id"] == sid and month < t["from"]:
            return t["from_unit"], t["from_manager"]
    return s[3], s[4]


# ----------------------------------------------------------------------------- profiles
# The competent level's scores: g = general points lost (of 30); t = (a, b, c) percentages;
# m = the management findings other than the computed (d): under NĐ 335 (đ, e), 100 or 50;
# under the viên chức sets the values of their management criteria, in order;
# err / late = major quality errors and delays; kpi replaces t; leave = a legal leave;
# discipline = a discipline decided that month. A month key overrides the base profile.

Profile = dict[str, Any]


def _months(first: int, last: int, **over: Any) -> dict[str, Profile]:
    return {f"{YEAR}-{m:02d}": dict(over) for m in range(first, last + 1)}


PROFILES: dict[str, Profile] = {
    "SNV-001": {"g": 2.0, "t": (80, 75, 75), "m": (100, 100)},
    "SNV-002": {"g": 2.5, "t": (75, 75, 75), "m": (100, 100)},
    "SNV-003": {"g": 2.5, "t": (75, 75, 75), "m": (100, 100)},
    "SNV-101": {"g": 1.0, "t": (85, 85, 85), "m": (100, 100),
                f"{YEAR}-02": {"t": (90, 85, 85)}, f"{YEAR}-03": {"t": (85, 90, 85)}},
    "SNV-102": {"g": 2.5, "t": (75, 75, 70), "m": (100, 100)},
    "SNV-103": {"g": 2.5, "t": (85, 85, 80)},
    "SNV-104": {"g": 4.5, "t": (80, 85, 100), "late": 3,
                f"{YEAR}-12": {"t": (80, 80, 100), "err": 1, "late": 2}},
    "SNV-105": {"g": 2.5, "kpi": 82.3, f"{YEAR}-02": {"kpi": 86.5},
                f"{YEAR}-12": {"kpi": 79.4}},
    "SNV-201": {"g": 2.0, "t": (75, 75, 75), "m": (100, 100)},
    "SNV-202": {"g": 2.5, "t": (75, 70, 75), "m": (100, 100)},
    "SNV-203": {"g": 3.0, "t": (75, 75, 75), "m": (100, 100), **_months(9, 12, m=(100, 50))},
    "SNV-204": {"g": 1.0, "t": (100, 95, 100), f"{YEAR}-12": {"t": (100, 100, 95)}},
    "SNV-205": {"g": 1.5, "t": (100, 95, 95), f"{YEAR}-02": {"t": (100, 90, 95)}},
    "SNV-206": {"g": 2.5, "t": (85, 85, 85), **_months(5, 10, leave="maternity"),
                f"{YEAR}-12": {"g": 1.5, "t": (100, 95, 95)}},
    "SNV-207": {"g": 3.0, "t": (90, 80, 85), f"{YEAR}-02": {"err": 1}},
    "SNV-208": {"g": 2.5, "t": (85, 90, 85)},
    "SNV-301": {"g": 2.5, "t": (75, 75, 75), "m": (100, 100)},
    "SNV-302": {"g": 2.5, "t": (75, 75, 75), "m": (100, 100)},
    "SNV-303": {"g": 1.0, "t": (100, 95, 95), f"{YEAR}-02": {"t": (95, 100, 95)}},
    "SNV-304": {"g": 2.5, "t": (90, 85, 85), f"{YEAR}-12": {"leave": "sick"}},
    "SNV-305": {"g": 3.0, "t": (85, 85, 80)},
    "SNV-306": {"g": 2.5, "t": (85, 80, 90)},
    "SNV-307": {"g": 4.5, "t": (75, 100, 75), "err": 3,
                **_months(11, 12, g=6.0, t=(50, 100, 50), err=3, late=2)},
    "SNV-308": {"g": 2.5, "t": (90, 90, 80)},
    "SNV-309": {"g": 3.5, "t": (85, 80, 80), f"{YEAR}-01": {"discipline": "khiển trách"}},
    "SNV-401": {"g": 2.5, "t": (75, 80, 75), "m": (100, 100)},
    "SNV-402": {"g": 2.5, "t": (75, 75, 75), "m": (100, 100)},
    "SNV-403": {"g": 1.0, "t": (100, 95, 100)},
    "SNV-404": {"g": 3.0, "t": (85, 85, 90)},
    "SNV-405": {"g": 3.5, "t": (85, 80, 85)},
    "SNV-406": {"g": 2.5, "t": (90, 85, 85)},
}

#: The designed band of each person's competent total, every month they work (checked on
#: build); a month key overrides.
DESIGN: dict[str, str] = {
    "SNV-101": "HTXS", "SNV-204": "HTXS", "SNV-205": "HTXS", "SNV-303": "HTXS",
    "SNV-403": "HTXS", "SNV-104": "HT", "SNV-307": "HT",
}  # fmt: skip
DESIGN_MONTH: dict[tuple[str, str], str] = {
    ("SNV-307", f"{YEAR}-11"): "KHT", ("SNV-307", f"{YEAR}-12"): "KHT",
    ("SNV-206", f"{YEAR}-12"): "HTXS",
}  # fmt: skip

#: Unit task counts per month: assigned, done, on time, overdue, exceeded, bonus, deduction,
#: self-score. The year's row sums the counts; ``COUNCIL`` re-scores a unit for the year.
UNIT_MONTHS: dict[str, tuple[int, int, int, int, int, int, int, int]] = {
    "SNV": (36, 35, 34, 1, 5, 1, 0, 96),
    "SNV-VP": (48, 42, 39, 3, 3, 0, 1, 90),
    "SNV-CCVC": (60, 60, 59, 0, 20, 2, 0, 98),
    "SNV-XDCQ": (52, 48, 45, 3, 6, 0, 1, 93),
    "SNV-TTLT": (40, 35, 33, 3, 2, 0, 1, 90),
}
UNIT_YEAR_SELF: dict[str, int] = {
    "SNV": 96, "SNV-VP": 91, "SNV-CCVC": 98, "SNV-XDCQ": 94, "SNV-TTLT": 92,
}  # fmt: skip
COUNCIL: dict[str, float] = {"SNV-XDCQ": 86.5}
#: The unit grades the year is designed to give (checked on build).
UNIT_DESIGN: dict[str, str] = {
    "SNV": "HTXS", "SNV-VP": "HTT", "SNV-CCVC": "HTXS", "SNV-XDCQ": "HTT", "SNV-TTLT": "HTT",
}  # fmt: skip

UNIT_COLUMNS = ("unit_id", "period", "tasks_assigned", "tasks_done", "tasks_on_time",
                "tasks_overdue", "tasks_exceeded", "bonus", "deduction", "self_score",
                "council_score")  # fmt: skip


def unit_rows() -> list[dict[str, Any]]:
    """The rows of ``unit_tasks.csv``: every unit's months, then its year."""
    rows: list[dict[str, Any]] = []
    for uid, (a, d, o, late, x, b, ded, own) in UNIT_MONTHS.items():
        year: dict[str, int] = dict.fromkeys(UNIT_COLUMNS[2:9], 0)
        for i, month in enumerate(MONTHS):
            wobble = (i + len(uid)) % 3 - 1  # a task more or less, month to month
            row: dict[str, Any] = {"unit_id": uid, "period": month, "tasks_assigned": a + wobble,
                   "tasks_done": d + wobble, "tasks_on_time": o + wobble,
                   "tasks_overdue": late, "tasks_exceeded": x, "bonus": b if i % 4 == 3 else 0,
                   "deduction": ded if i % 6 == 5 else 0, "self_score": own,
                   "council_score": ""}  # fmt: skip
            for k in year:
                year[k] += int(row[k])
            rows.append(row)
        rows.append({"unit_id": uid, "period": YEAR, **year,
                     "self_score": UNIT_YEAR_SELF[uid],
                     "council_score": COUNCIL.get(uid, "")})  # fmt: skip
    return rows


# ----------------------------------------------------------------------------- rule sets


def _rules(category: str, month: str) -> Any:
    from evalkit.model import StaffCategory
    from evalkit.rules import default_registry

    return default_registry().for_period(StaffCategory.parse(category), month)


def _criteria_ids() -> list[str]:
    """Every criterion id of the demo's rule sets, in the sets' order."""
    from evalkit.rules import get

    seen: dict[str, None] = {}
    for sets in SETS.values():
        for rid in sets:
            for c in get(rid).criteria():
                seen.setdefault(c.id, None)
    return list(seen)


def _profile(sid: str, month: str) -> Profile:
    base = {k: v for k, v in PROFILES[sid].items() if not k.startswith("20")}
    override = PROFILES[sid].get(month, {})
    base.update(override)
    m = MONTHS.index(month)
    if m and "t" in base and "t" not in override and int(sid[-1]) % 4 == m % 4:
        # a little month-to-month movement: one component 5 points lower
        t = list(base["t"])
        k = (int(sid[-2:]) + m) % 3
        t[k] = max(0, t[k] - 5)
        base["t"] = tuple(t)
    return base


def _general(rules: Any, loss: float, seed: int) -> dict[str, float]:
    """Full marks on the general criteria minus ``loss`` points, half a point at a time."""
    crits = list(rules.group("general").criteria)
    scores = {c.id: float(c.maximum) for c in crits}
    steps = round(loss / 0.5)
    i = seed
    guard = 0
    while steps > 0 and guard < 1000:
        c = crits[i % len(crits)]
        if scores[c.id] - 0.5 >= float(c.maximum) / 2:
            scores[c.id] -= 0.5
            steps -= 1
        i += 1
        guard += 1
    return scores


def _management_ids(rules: Any) -> tuple[list[str], str | None]:
    block = next(b for b in rules.blocks if b.id == "tasks")
    extra = [c for c in block.inputs(True) if c not in block.inputs(False)]
    return extra, rules.management.computed


def _level_scores(sid: str, month: str, level: str, d_typed: Mapping[tuple[str, str, str], float]
                  ) -> dict[str, float]:  # fmt: skip
    s = next(x for x in _STAFF if x[0] == sid)
    rules = _rules(s[7], month)
    p = _profile(sid, month)
    lift = LEVELS[::-1].index(level)  # competent 0, manager 1, self 2
    seed = int(sid[-3:]) + MONTHS.index(month)
    scores = _general(rules, max(0.0, float(p["g"]) - 0.5 * lift), seed)
    t = list(p.get("t", ()))
    for step in range(lift):
        if t:
            i = (seed + 2 * step) % len(t)
            t[i] = min(100, t[i] + 5)
    if t:
        scores.update(zip(("so_luong", "chat_luong", "tien_do"), t, strict=True))
    if s[2] in _MANAGES:
        ids, computed = _management_ids(rules)
        values = list(p.get("m", (100,) * len(ids)))
        allowed = rules.management.values
        for cid in ids:
            if cid == computed:
                # the leader rates the area led at 100; the levels above type what the
                # scores of the staff under the leader's authority give (the engine's d)
                scores[cid] = 100.0 if level == "self" else d_typed.get((sid, month, level), 100.0)
                continue
            v = float(values.pop(0)) if values else 100.0
            if level == "self":
                v = 100.0
            if allowed and v not in allowed:
                v = max(a for a in allowed)
            scores[cid] = v
    err, late = p.get("err", 0), p.get("late", 0)
    if err or late:
        # people count fewer of their own slips than their managers do
        scores["loi_chat_luong"] = max(0, err - 1) if level == "self" else err
        scores["cham_tien_do"] = max(0, late - 1) if level == "self" else late
    return scores


def _topic(unit: str) -> str:
    return {
        "SNV": "công tác chỉ đạo, điều hành chung của Sở",
        "SNV-VP": "công tác văn thư, lưu trữ, tài chính và tổng hợp của Sở",
        "SNV-CCVC": "công tác tuyển dụng, nâng ngạch và đánh giá công chức, viên chức",
        "SNV-XDCQ": "công tác sắp xếp đơn vị hành chính cấp xã và công tác thanh niên",
        "SNV-TTLT": "công tác thu thập, chỉnh lý và số hóa tài liệu lưu trữ lịch sử",
    }[unit]


def _comment(sid: str, month: str, level: str, band: str) -> str:
    staff = next(s for s in _STAFF if s[0] == sid)
    unit = placement(sid, month)[0]
    p = _profile(sid, month)
    topic = _topic(unit)
    err, late = p.get("err", 0), p.get("late", 0)
    month_vi = f"tháng {month[5:]}/{month[:4]}"
    leader = staff[2] in _MANAGES
    if level == "self":
        if "discipline" in p:
            return (f"Hoàn thành khối lượng công việc được giao trong {month_vi}; nghiêm túc "
                    "rút kinh nghiệm sau quyết định kỷ luật.")  # fmt: skip
        if "kpi" in p:
            return (f"Hoàn thành {p['kpi']:.1f}% nhiệm vụ trên phần mềm theo dõi nhiệm vụ; "
                    "tham mưu tổng hợp báo cáo định kỳ của Sở.").replace(".", ",", 1)
        if band == "HTXS":
            return (f"Hoàn thành 100% nhiệm vụ được giao, nhiều việc vượt tiến độ; chủ động "
                    f"tham mưu {topic}.")  # fmt: skip
        if band in ("HT", "KHT"):
            return ("Hoàn thành một phần nhiệm vụ được giao; còn một số văn bản chậm hoặc "
                    "phải sửa, sẽ khắc phục trong tháng tới.")  # fmt: skip
        verb = "chỉ đạo" if leader else "tham gia"
        return f"Hoàn thành đầy đủ nhiệm vụ được giao, bảo đảm chất lượng; {verb} {topic}."
    parts: list[str] = []
    if level == "manager":
        if "discipline" in p:
            parts.append("Bị kỷ luật khiển trách theo Quyết định số 15/QĐ-SNV ngày 20/01/2026 "
                         "do vi phạm quy chế làm việc khi thực thi công vụ")  # fmt: skip
        if err:
            parts.append(f"có {err} sản phẩm bị trả lại do sai sót lớn về chất lượng "
                         f"(trừ {min(100, 25 * err)}% chất lượng)")  # fmt: skip
        if late:
            parts.append(f"{late} lần chậm tiến độ so với thời hạn được giao "
                         f"(trừ {min(100, 25 * late)}% tiến độ)")  # fmt: skip
        if "kpi" in p:
            parts.append("kết quả nhiệm vụ lấy theo phần mềm theo dõi nhiệm vụ của Sở")
        if leader and 50 in tuple(p.get("m", ()))[1:]:
            parts.append("trong phòng để xảy ra tình trạng mất đoàn kết nội bộ kéo dài, "
                         "năng lực tập hợp, đoàn kết công chức còn hạn chế")  # fmt: skip
        if not parts:
            parts.append({
                "HTXS": "Đồng chí hoàn thành xuất sắc nhiệm vụ, chủ động, sáng tạo, "
                        "nhiều sản phẩm có chất lượng cao",
                "HTT": "Đồng chí hoàn thành tốt nhiệm vụ, có tinh thần trách nhiệm, "
                       "phối hợp tốt với đồng nghiệp",
            }.get(band, "Đồng chí hoàn thành nhiệm vụ được giao, cần khắc phục sai sót"))
        text = "; ".join(parts)
        return text[0].upper() + text[1:] + "."
    if "discipline" in p:
        return ("Ghi nhận quyết định kỷ luật khiển trách trong tháng; kết quả xếp loại năm "
                "xem xét theo quy định.")  # fmt: skip
    if err or late:
        return "Thống nhất với nhận xét của người quản lý trực tiếp; đề nghị khắc phục sai sót."
    return "Thống nhất với nhận xét và mức điểm của người quản lý trực tiếp."


# ----------------------------------------------------------------------------- the year


def _raw_rows(d_typed: Mapping[tuple[str, str, str], float]) -> list[dict[str, Any]]:
    """One row per staff, month and level (a month on leave: one row, no scores)."""
    rows: list[dict[str, Any]] = []
    for s in staff_records():
        sid = s["id"]
        for month in MONTHS:
            p = _profile(sid, month)
            unit, mgr = placement(sid, month)
            base = {"staff_id": sid, "period": month, "unit_id": unit, "manager_id": mgr or "",
                    "leave": p.get("leave", ""), "kpi": p.get("kpi", ""),
                    "discipline": p.get("discipline", "")}  # fmt: skip
            if p.get("leave"):
                rows.append({**base, "level": "competent", "kpi": "", "scores": {}})
                continue
            for level in LEVELS:
                rows.append({**base, "level": level,
                             "scores": _level_scores(sid, month, level, d_typed)})
    return rows


def _frame(rows: Sequence[Mapping[str, Any]]) -> Any:
    """The staff-month frame of the engine for the raw rows (levels, counting scores)."""
    import pandas as pd

    from evalkit.model import Discipline

    people = {s["id"]: s for s in staff_records()}
    by: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        key = (r["staff_id"], r["period"])
        s = people[r["staff_id"]]
        rec = by.setdefault(key, {
            "staff_id": r["staff_id"], "period": r["period"], "unit_id": r["unit_id"],
            "manager_id": r["manager_id"] or None, "category": s["category"],
            "position_id": s["position_id"], "manages_others": s["manages_others"],
            "duty_group": s["duty_group"], "leave": r["leave"] or None,
            "kpi": float(r["kpi"]) if r["kpi"] != "" else float("nan"),
            "discipline": int(_discipline(r["discipline"], Discipline)),
        })  # fmt: skip
        for cid, v in r["scores"].items():
            rec[f"{r['level']}__{cid}"] = float(v)
    for rec in by.values():
        for lvl in ("competent", "manager", "self"):
            for k, v in list(rec.items()):
                if k.startswith(f"{lvl}__") and k[len(lvl) + 2:] not in rec:
                    rec[k[len(lvl) + 2:]] = v
    frame = pd.DataFrame(list(by.values()))
    for c in ("manager_id", "leave"):
        frame[c] = frame[c].astype(object)
    return frame


def _discipline(text: str, enum: Any) -> Any:
    key = text.strip().lower()
    if not key:
        return enum.NONE
    for d in enum:
        if key in (d.name.lower(), d.label_vi.lower()):
            return d
    raise ValueError(f"unknown discipline {text!r}")


def _units_frame(rows: Sequence[Mapping[str, Any]]) -> Any:
    import pandas as pd

    tree = {u["id"]: u for u in UNITS}
    frame = pd.DataFrame([{k: (None if v == "" else v) for k, v in r.items()} for r in rows])
    frame["parent_id"] = [tree[u]["parent_id"] for u in frame["unit_id"]]
    frame["head_id"] = [tree[u]["head_id"] for u in frame["unit_id"]]
    for c in ("parent_id", "head_id"):
        frame[c] = frame[c].astype(object)
    frame["council_score"] = pd.to_numeric(frame["council_score"])
    return frame


def classify_demo(rows: Sequence[Mapping[str, Any]]) -> tuple[Any, Any]:
    """The engine's months for the raw rows: ``(staff_results, unit_results)``."""
    from evalkit.units import classify_frame

    units = _units_frame([r for r in unit_rows() if r["period"] != YEAR])
    return classify_frame(_frame(rows), units)


def _typed_d() -> tuple[dict[tuple[str, str, str], float], Any, Any]:
    """The leaders' (d) as the engine computes it from their staff's scores, typed at the
    manager and competent levels (iterated: a leader's score feeds the leader above)."""
    d: dict[tuple[str, str, str], float] = {}
    staff = units = None
    for _ in range(4):
        rows = _raw_rows(d)
        staff, units = classify_demo(rows)
        found = {}
        for sid, per, v in zip(staff["staff_id"], staff["period"], staff["mgmt_value"],
                               strict=True):  # fmt: skip
            if not math.isnan(v):
                for lvl in ("manager", "competent"):
                    found[(str(sid), str(per), lvl)] = float(v)
        if found == d:
            break
        d = found
    return d, staff, units


def assessment_rows() -> list[dict[str, Any]]:
    """The rows of ``assessments.csv``: one per staff, month and level."""
    from evalkit.rules import resolve

    d, staff, _units = _typed_d()
    rows = _raw_rows(d)
    res = {(str(a), str(b)): r for a, b, r in zip(
        staff["staff_id"], staff["period"], staff.to_dict(orient="records"), strict=True)}
    out: list[dict[str, Any]] = []
    columns = _criteria_ids()
    for r in rows:
        rec = res[(r["staff_id"], r["period"])]
        rs = resolve(str(rec["rule_set"]))
        level = r["level"]
        band = ""
        if not r["leave"]:
            total = rec.get(f"{level}_total")
            if total is not None and not math.isnan(total):
                band = rs.band_for(float(total)).grade.code
            if level == "competent":
                want = DESIGN_MONTH.get((r["staff_id"], r["period"]),
                                        DESIGN.get(r["staff_id"], "HTT"))  # fmt: skip
                if band != want:
                    raise AssertionError(f"{r['staff_id']} {r['period']}: {total} is {band}, "
                                         f"designed {want}")  # fmt: skip
        row: dict[str, Any] = dict.fromkeys(CSV_HEAD + tuple(columns) + CSV_TAIL, "")
        row.update(staff_id=r["staff_id"], period=r["period"], level=level,
                   unit_id=r["unit_id"], manager_id=r["manager_id"], leave=r["leave"],
                   kpi=_num(r["kpi"]) if r["kpi"] != "" else "",
                   discipline=r["discipline"])  # fmt: skip
        row.update({k: _num(v) for k, v in r["scores"].items()})
        if not r["leave"]:
            row["grade"] = band if level != "competent" else ""
            row["comment"] = _comment(r["staff_id"], r["period"], level, band)
        out.append(row)
    return out


CSV_HEAD = ("staff_id", "period", "level", "unit_id", "manager_id", "leave")
CSV_TAIL = ("kpi", "discipline", "grade", "comment")


# ----------------------------------------------------------------------------- conclusions

CONCLUSION_COLUMNS = ("staff_id", "period", "self_comment", "self_grade", "manager_comment",
                      "manager_grade", "competent_comment", "competent_grade",
                      "competent_reason")  # fmt: skip

#: The competent level's annual conclusions that differ from the score (with the reason).
CONCLUDED: dict[str, tuple[str, str]] = {
    "SNV-303": ("HTT", "Trong năm còn 02 hồ sơ sắp xếp đơn vị hành chính cấp xã phải trả lại "
                       "để hoàn thiện, ảnh hưởng đến tiến độ chung của Sở"),
}


def conclusion_rows(year: Any) -> list[dict[str, Any]]:
    """The three levels' annual words: the person, the direct manager, the competent level."""
    out = []
    grades = {str(s): (str(g), None if math.isnan(t) else float(t)) for s, g, t in zip(
        year["staff_id"], year["score_grade"].astype(object), year["total"], strict=True)}
    for s in staff_records():
        sid = s["id"]
        band, total = grades[sid]
        unit = s["unit_id"]
        topic = _topic(unit)
        self_grade = "HTXS" if band == "HTXS" or (total or 0) >= 88 else band
        mgr_grade = band
        if band == "HTXS":
            self_c = (f"Năm {YEAR} hoàn thành 100% nhiệm vụ được giao, nhiều việc vượt tiến độ; "
                      f"chủ động tham mưu {topic}.")  # fmt: skip
        elif band in ("HT", "KHT"):
            self_c = (f"Năm {YEAR} hoàn thành nhiệm vụ được giao; còn sai sót về chất lượng và "
                      "tiến độ, sẽ khắc phục trong năm tới.")  # fmt: skip
        else:
            verb = "chỉ đạo" if s["manages_others"] else "tham gia"
            self_c = (f"Năm {YEAR} hoàn thành tốt các nhiệm vụ được giao, bảo đảm chất lượng và "
                      f"tiến độ; {verb} {topic}.")  # fmt: skip
        mgr_c = {
            "HTXS": "Đồng chí hoàn thành xuất sắc nhiệm vụ năm, chủ động, sáng tạo.",
            "HTT": "Đồng chí hoàn thành tốt nhiệm vụ năm, có tinh thần trách nhiệm.",
        }.get(band, "Đồng chí hoàn thành nhiệm vụ năm, cần khắc phục các sai sót đã chỉ ra.")
        comp_grade, reason = CONCLUDED.get(sid, ("", ""))
        comp_c = ("Kết luận xếp loại theo kết quả đánh giá năm và ý kiến của người quản lý "
                  "trực tiếp.")  # fmt: skip
        if sid == "SNV-309":
            mgr_c = ("Trong năm bị kỷ luật khiển trách do vi phạm quy chế làm việc khi thực thi "
                     "công vụ.")  # fmt: skip
            mgr_grade = "KHT"
        out.append({"staff_id": sid, "period": YEAR, "self_comment": self_c,
                    "self_grade": self_grade, "manager_comment": mgr_c,
                    "manager_grade": mgr_grade, "competent_comment": comp_c,
                    "competent_grade": comp_grade, "competent_reason": reason})  # fmt: skip
    return out


def _year(rows: Sequence[Mapping[str, Any]]) -> Any:
    """The year's classification of the raw rows (for the conclusions' wording)."""
    import pandas as pd

    from evalkit.units import classify_frame, classify_year

    staff, _ = classify_demo(rows)
    frame = _frame(rows)
    extra = [c for c in staff.columns if c not in frame.columns or c == "is_head"]
    results = pd.concat([frame.drop(columns=["is_head"], errors="ignore"), staff[extra]], axis=1)
    year_units = _units_frame([r for r in unit_rows() if r["period"] == YEAR])
    _, unit_year = classify_frame(pd.DataFrame(columns=["staff_id", "unit_id", "period"]),
                                  year_units)  # fmt: skip
    got = dict(zip(unit_year["unit_id"], unit_year["grade"].astype(str), strict=True))
    for uid, want in UNIT_DESIGN.items():
        if got.get(uid) != want:
            raise AssertionError(f"unit {uid} is {got.get(uid)} for the year, designed {want}")
    return classify_year(results, unit_year)


# ----------------------------------------------------------------------------- files


def _num(v: Any) -> str:
    f = float(v)
    return str(int(f)) if f.is_integer() else str(f)


def _csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def render_files() -> dict[str, str]:
    """The text of every data file, by file name."""
    agency = {
        "agency": AGENCY,
        "months": list(MONTHS),
        "year": YEAR,
        "rule_set": "vn.nd335-2025",
        "signatories": SIGNATORIES,
        "transfers": TRANSFERS,
        "positions": POSITIONS,
        "units": UNITS,
        "staff": staff_records(),
    }
    rows = assessment_rows()
    d, _s, _u = _typed_d()
    year = _year(_raw_rows(d))
    columns = CSV_HEAD + tuple(_criteria_ids()) + CSV_TAIL
    return {
        "agency.json": json.dumps(agency, ensure_ascii=False, indent=2) + "\n",
        "assessments.csv": _csv(rows, columns),
        "unit_tasks.csv": _csv(unit_rows(), UNIT_COLUMNS),
        "conclusions.csv": _csv(conclusion_rows(year), CONCLUSION_COLUMNS),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Write the files beside this module, or with ``--check`` report whether they differ."""
    args = list(sys.argv[1:] if argv is None else argv)
    here = Path(__file__).parent
    stale = []
    for name, text in render_files().items():
        path = here / name
        if "--check" in args:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print("stale demo data:", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

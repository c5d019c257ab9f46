"""Regenerate the demo agency's data files (``agency.json``, ``assessments.csv``, ``unit_tasks.csv``).

The files are static and checked in, so that a reader can open them; this script is the
record of how they were designed and rebuilds them byte for byte (a test checks that)::

    python -m evalkit.demo._generate            # rewrite the files beside this module
    python -m evalkit.demo._generate --check    # exit 1 if the files differ

Every person has a *profile*: the competent level's scores for each month. The direct
manager scores a little higher and the person higher still (self ≥ manager ≥ competent),
and each level's proposed grade is the band of that level's own total. The design, for
the rules of NĐ 335/2025 (công chức, from 2026-01):

* Văn phòng Sở is rated below HTXS (task completion 85 %), and its head Trần Đức Thắng
  scores above 90: once units are classified first he is capped at the unit (``cap.head_unit``).
* Phòng Công chức, viên chức has two HTXS candidates (three in March) against six HTT
  (five in March): 20 % of 6 is 1.2, floor 1, so one of them is demoted (``quota.demoted``).
* Châu Minh Đức was reprimanded (khiển trách) in January 2026: KHT every month whatever his
  score (``disqualifier.discipline``); his direct manager's subordinate component (e) is
  50 % (every other manager's direct reports are at least HT: 100 %).
* Hoàng Thị Lan (delays) and Kiều Văn Phúc (quality errors) score in the HT band;
  Bùi Thị Ngọc Ánh is scored from the task tracker's KPI (82.3 % → 57.61 of 70).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

GENERAL = ("chinh_tri", "dao_duc", "tac_phong", "ky_luat", "phuc_vu")
TASKS = ("so_luong", "chat_luong", "tien_do")
MANAGEMENT = ("ket_qua_linh_vuc", "nang_luc_lanh_dao", "cap_duoi")
EVENTS = ("loi_chat_luong", "cham_tien_do")
MONTHS = ("2026-01", "2026-02", "2026-03")
LEVELS = ("self", "manager", "competent")
CSV_COLUMNS = (
    "staff_id", "period", "level", *GENERAL, *TASKS, *MANAGEMENT, *EVENTS,
    "kpi", "discipline", "grade", "comment",
)  # fmt: skip

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
]  # fmt: skip

# id, full name, position, unit, manager, title (chức vụ), duty group
_STAFF: list[tuple[str, str, str, str, str | None, str, str]] = [
    ("SNV-001", "Lê Văn Thành", "giam_doc", "SNV", None, "Giám đốc Sở", "lanh_dao_so"),
    (
        "SNV-002",
        "Nguyễn Thị Hồng Nhung",
        "pho_giam_doc",
        "SNV",
        "SNV-001",
        "Phó Giám đốc Sở",
        "lanh_dao_so",
    ),
    (
        "SNV-003",
        "Phạm Quốc Huy",
        "pho_giam_doc",
        "SNV",
        "SNV-001",
        "Phó Giám đốc Sở",
        "lanh_dao_so",
    ),
    (
        "SNV-101",
        "Trần Đức Thắng",
        "chanh_van_phong",
        "SNV-VP",
        "SNV-002",
        "Chánh Văn phòng",
        "tong_hop",
    ),
    (
        "SNV-102",
        "Đỗ Thị Thu Hà",
        "pho_chanh_van_phong",
        "SNV-VP",
        "SNV-101",
        "Phó Chánh Văn phòng",
        "tong_hop",
    ),
    ("SNV-103", "Vũ Minh Tuấn", "ke_toan", "SNV-VP", "SNV-101", "", "ho_tro"),
    ("SNV-104", "Hoàng Thị Lan", "van_thu", "SNV-VP", "SNV-102", "", "ho_tro"),
    ("SNV-105", "Bùi Thị Ngọc Ánh", "chuyen_vien", "SNV-VP", "SNV-102", "", "tong_hop"),
    (
        "SNV-201",
        "Ngô Thanh Sơn",
        "truong_phong",
        "SNV-CCVC",
        "SNV-003",
        "Trưởng phòng",
        "chuyen_mon",
    ),
    (
        "SNV-202",
        "Đặng Thị Mai Phương",
        "pho_truong_phong",
        "SNV-CCVC",
        "SNV-201",
        "Phó Trưởng phòng",
        "chuyen_mon",
    ),
    (
        "SNV-203",
        "Phan Văn Khải",
        "pho_truong_phong",
        "SNV-CCVC",
        "SNV-201",
        "Phó Trưởng phòng",
        "chuyen_mon",
    ),
    (
        "SNV-204",
        "Dương Thị Thanh Hương",
        "chuyen_vien_chinh",
        "SNV-CCVC",
        "SNV-202",
        "",
        "chuyen_mon",
    ),
    ("SNV-205", "Lý Hoàng Nam", "chuyen_vien", "SNV-CCVC", "SNV-202", "", "chuyen_mon"),
    ("SNV-206", "Trịnh Thị Kim Oanh", "chuyen_vien_chinh", "SNV-CCVC", "SNV-203", "", "chuyen_mon"),
    ("SNV-207", "Hồ Văn Lợi", "chuyen_vien", "SNV-CCVC", "SNV-203", "", "chuyen_mon"),
    ("SNV-208", "Mai Thị Diệu Linh", "chuyen_vien", "SNV-CCVC", "SNV-202", "", "chuyen_mon"),
    ("SNV-301", "Võ Văn Dũng", "truong_phong", "SNV-XDCQ", "SNV-003", "Trưởng phòng", "chuyen_mon"),
    (
        "SNV-302",
        "Huỳnh Thị Bích Ngọc",
        "pho_truong_phong",
        "SNV-XDCQ",
        "SNV-301",
        "Phó Trưởng phòng",
        "chuyen_mon",
    ),
    ("SNV-303", "Tạ Quang Vinh", "chuyen_vien_chinh", "SNV-XDCQ", "SNV-301", "", "chuyen_mon"),
    ("SNV-304", "Lương Thị Thảo", "chuyen_vien", "SNV-XDCQ", "SNV-301", "", "chuyen_mon"),
    ("SNV-305", "Đinh Công Hậu", "chuyen_vien", "SNV-XDCQ", "SNV-302", "", "chuyen_mon"),
    ("SNV-306", "Cao Thị Yến", "chuyen_vien", "SNV-XDCQ", "SNV-302", "", "chuyen_mon"),
    ("SNV-307", "Kiều Văn Phúc", "chuyen_vien", "SNV-XDCQ", "SNV-302", "", "chuyen_mon"),
    ("SNV-308", "Lâm Thị Quỳnh", "chuyen_vien", "SNV-XDCQ", "SNV-301", "", "chuyen_mon"),
    ("SNV-309", "Châu Minh Đức", "chuyen_vien", "SNV-XDCQ", "SNV-302", "", "chuyen_mon"),
]

_MANAGES = {p["id"] for p in POSITIONS if p.get("manages_others")}


def staff_records() -> list[dict[str, Any]]:
    """The staff list as JSON-ready records."""
    return [
        {
            "id": sid, "full_name": name, "position_id": pos, "unit_id": unit,
            "category": "cong_chuc", "manages_others": pos in _MANAGES,
            "duty_group": group, "manager_id": mgr, "title_vi": title,
        }
        for sid, name, pos, unit, mgr, title, group in _STAFF
    ]  # fmt: skip


# ----------------------------------------------------------------------------- profiles
# The competent level's scores: g = the five general criteria; t = (a, b, c) percentages;
# m = (d, đ, e) for managers; err / late = major quality errors and delays; kpi replaces t.
# A month key overrides the base profile for that month.

Profile = dict[str, Any]

PROFILES: dict[str, Profile] = {
    "SNV-001": {"g": (6, 6, 6, 5, 5), "t": (90, 85, 85), "m": (80, 85, 100)},
    "SNV-002": {"g": (6, 6, 5, 5, 5), "t": (85, 90, 85), "m": (85, 80, 100)},
    "SNV-003": {"g": (6, 6, 5, 5, 5), "t": (90, 85, 85), "m": (80, 85, 100)},
    "SNV-101": {
        "g": (6, 6, 6, 6, 5),
        "t": (100, 95, 100),
        "m": (90, 90, 100),
        "2026-02": {"t": (100, 100, 95)},
        "2026-03": {"t": (95, 100, 100)},
    },
    "SNV-102": {"g": (6, 6, 5, 5, 5), "t": (90, 90, 85), "m": (80, 80, 100)},
    "SNV-103": {"g": (6, 6, 5, 5, 5), "t": (90, 85, 90), "2026-03": {"t": (90, 90, 85)}},
    "SNV-104": {
        "g": (5, 5, 5, 5, 4),
        "t": (80, 80, 100),
        "late": 3,
        "2026-02": {"t": (85, 80, 100), "late": 3},
        "2026-03": {"t": (80, 75, 100), "err": 1, "late": 2},
    },
    "SNV-105": {
        "g": (6, 6, 5, 5, 5),
        "kpi": 82.3,
        "2026-02": {"kpi": 86.5},
        "2026-03": {"kpi": 79.4},
    },
    "SNV-201": {"g": (6, 6, 5, 5, 5), "t": (90, 85, 90), "m": (85, 80, 100)},
    "SNV-202": {"g": (6, 6, 5, 5, 5), "t": (90, 85, 85), "m": (80, 80, 100)},
    "SNV-203": {"g": (6, 5, 5, 5, 5), "t": (85, 85, 90), "m": (80, 75, 100)},
    "SNV-204": {"g": (6, 6, 6, 6, 5), "t": (100, 95, 100), "2026-03": {"t": (100, 100, 95)}},
    "SNV-205": {"g": (6, 6, 6, 5, 5), "t": (100, 95, 90), "2026-02": {"t": (100, 90, 95)}},
    "SNV-206": {
        "g": (6, 6, 5, 5, 5),
        "t": (90, 85, 90),
        "2026-03": {"g": (6, 6, 6, 5, 5), "t": (100, 95, 95)},
    },
    "SNV-207": {"g": (6, 5, 5, 5, 5), "t": (90, 80, 85), "2026-02": {"t": (90, 80, 85), "err": 1}},
    "SNV-208": {"g": (6, 6, 5, 5, 5), "t": (85, 90, 85)},
    "SNV-301": {"g": (6, 6, 5, 5, 5), "t": (90, 85, 85), "m": (80, 85, 100)},
    "SNV-302": {"g": (6, 6, 5, 5, 5), "t": (85, 90, 85), "m": (80, 80, 50)},
    "SNV-303": {"g": (6, 6, 6, 6, 5), "t": (100, 95, 95), "2026-02": {"t": (95, 100, 95)}},
    "SNV-304": {"g": (6, 6, 5, 5, 5), "t": (90, 85, 85)},
    "SNV-305": {"g": (6, 5, 5, 5, 5), "t": (85, 85, 80), "2026-03": {"t": (85, 80, 85)}},
    "SNV-306": {"g": (6, 6, 5, 5, 5), "t": (85, 80, 90)},
    "SNV-307": {
        "g": (5, 5, 5, 5, 4),
        "t": (75, 100, 75),
        "err": 3,
        "2026-02": {"t": (80, 100, 80), "err": 2, "late": 1},
        "2026-03": {"g": (5, 5, 5, 5, 5), "t": (85, 90, 85), "err": 0},
    },
    "SNV-308": {"g": (6, 6, 5, 5, 5), "t": (90, 90, 80)},
    "SNV-309": {"g": (5, 5, 5, 2, 5), "t": (85, 80, 80), "discipline": "khiển trách"},
}

#: The designed score band of each person's competent total, per month (checked on build).
DESIGN: dict[str, str] = {
    "SNV-101": "HTXS", "SNV-204": "HTXS", "SNV-205": "HTXS", "SNV-303": "HTXS",
    "SNV-104": "HT", "SNV-309": "HTT",
}  # fmt: skip
DESIGN_MONTH: dict[tuple[str, str], str] = {
    ("SNV-206", "2026-03"): "HTXS",
    ("SNV-307", "2026-01"): "HT", ("SNV-307", "2026-02"): "HT", ("SNV-307", "2026-03"): "HTT",
}  # fmt: skip

UNIT_TASKS: list[dict[str, Any]] = []
# unit, month, assigned, done, on time, overdue, exceeded, bonus, deduction, score
for _u, _rows in {
    "SNV": [
        (36, 34, 32, 2, 4, 1, 0, 88),
        (30, 28, 27, 1, 3, 0, 0, 87),
        (38, 36, 35, 1, 5, 1, 0, 89),
    ],
    "SNV-VP": [
        (48, 41, 37, 4, 3, 0, 2, 84),
        (44, 38, 35, 3, 2, 0, 1, 85),
        (50, 44, 41, 3, 4, 0, 1, 86),
    ],
    "SNV-CCVC": [
        (60, 60, 58, 0, 20, 2, 0, 95),
        (55, 55, 54, 0, 18, 1, 0, 96),
        (62, 62, 62, 0, 21, 2, 0, 97),
    ],
    "SNV-XDCQ": [
        (52, 46, 42, 5, 6, 0, 2, 82),
        (50, 45, 42, 4, 5, 0, 1, 83),
        (54, 50, 47, 3, 7, 1, 1, 85),
    ],
}.items():
    for _m, (_a, _d, _o, _late, _x, _b, _ded, _s) in zip(MONTHS, _rows, strict=True):
        UNIT_TASKS.append({
            "unit_id": _u, "period": _m, "tasks_assigned": _a, "tasks_done": _d,
            "tasks_on_time": _o, "tasks_overdue": _late, "tasks_exceeded": _x,
            "bonus": _b, "deduction": _ded, "score": _s,
        })  # fmt: skip

TOPIC = {
    "SNV": "công tác chỉ đạo, điều hành chung của Sở",
    "SNV-VP": "công tác văn thư, lưu trữ, tài chính và tổng hợp của Sở",
    "SNV-CCVC": "công tác tuyển dụng, nâng ngạch và đánh giá công chức, viên chức",
    "SNV-XDCQ": "công tác sắp xếp đơn vị hành chính cấp xã và công tác thanh niên",
}


def _profile(sid: str, month: str) -> Profile:
    base = {k: v for k, v in PROFILES[sid].items() if not k.startswith("20")}
    override = PROFILES[sid].get(month, {})
    base.update(override)
    m = MONTHS.index(month)
    if m and "t" in base and "t" not in override and int(sid[-1]) % 3 == m:
        # a little month-to-month movement: one component 5 points lower
        t = list(base["t"])
        k = (int(sid[-2:]) + m) % 3
        t[k] = max(0, t[k] - 5)
        base["t"] = tuple(t)
    return base


def _bump(values: Sequence[float], k: int, step: float, cap: float) -> list[float]:
    """Raise the ``k``-th value (cyclically) by ``step``, not above ``cap``."""
    out = list(values)
    if out:
        i = k % len(out)
        out[i] = min(cap, out[i] + step)
    return out


def _level_scores(sid: str, month: str, level: str) -> dict[str, float]:
    p = _profile(sid, month)
    lift = LEVELS[::-1].index(level)  # competent 0, manager 1, self 2
    seed = int(sid[-3:]) + MONTHS.index(month)
    g: list[float] = list(p["g"])
    t: list[float] = list(p.get("t", ()))
    m: list[float] = list(p.get("m", ()))
    for step in range(lift):
        g = _bump(g, seed + step, 1, 6)
        t = _bump(t, seed + 2 * step, 5, 100)
    if lift == 2 and m:  # the self-assessment rates the area led (d) a little higher
        m[0] = min(100, m[0] + 5)
    scores: dict[str, float] = dict(zip(GENERAL, g, strict=True))
    if t:
        scores.update(zip(TASKS, t, strict=True))
    if m:
        scores.update(zip(MANAGEMENT, m, strict=True))
    err, late = p.get("err", 0), p.get("late", 0)
    if err or late:
        # people count fewer of their own slips than their managers do
        scores["loi_chat_luong"] = max(0, err - 1) if level == "self" else err
        scores["cham_tien_do"] = max(0, late - 1) if level == "self" else late
    return scores


def _comment(sid: str, month: str, level: str, grade: str) -> str:
    staff = next(s for s in _STAFF if s[0] == sid)
    unit, p = staff[3], _profile(sid, month)
    topic = TOPIC[unit]
    err, late = p.get("err", 0), p.get("late", 0)
    month_vi = f"tháng {month[5:]}/{month[:4]}"
    if level == "self":
        if "discipline" in p:
            return (f"Hoàn thành khối lượng công việc được giao trong {month_vi}; nghiêm túc "
                    "rút kinh nghiệm sau quyết định kỷ luật.")  # fmt: skip
        if "kpi" in p:
            return (
                f"Hoàn thành {p['kpi']:.1f}% nhiệm vụ trên phần mềm theo dõi nhiệm vụ; "
                "tham mưu tổng hợp báo cáo định kỳ của Sở."
            ).replace(".", ",", 1)
        if grade == "HTXS":
            return (f"Hoàn thành 100% nhiệm vụ được giao, nhiều việc vượt tiến độ; chủ động "
                    f"tham mưu {topic}.")  # fmt: skip
        if grade == "HT":
            return ("Hoàn thành nhiệm vụ được giao; còn một số văn bản chậm hoặc phải sửa, "
                    "sẽ khắc phục trong tháng tới.")  # fmt: skip
        verb = "chỉ đạo" if staff[2] in _MANAGES else "tham gia"
        return f"Hoàn thành đầy đủ nhiệm vụ được giao, bảo đảm chất lượng; {verb} {topic}."
    if level == "manager":
        parts = []
        if "discipline" in p:
            parts.append("Bị kỷ luật khiển trách theo Quyết định số 15/QĐ-SNV ngày 20/01/2026 "
                         "do vi phạm quy chế làm việc của cơ quan")  # fmt: skip
        if err:
            parts.append(f"có {err} sản phẩm bị trả lại do sai sót lớn về chất lượng "
                         f"(trừ {25 * err}% chất lượng)")  # fmt: skip
        if late:
            parts.append(f"{late} lần chậm tiến độ so với thời hạn được giao "
                         f"(trừ {25 * late}% tiến độ)")  # fmt: skip
        if "kpi" in p:
            parts.append("kết quả nhiệm vụ lấy theo phần mềm theo dõi nhiệm vụ của Sở")
        if not parts:
            parts.append({
                "HTXS": "Đồng chí hoàn thành xuất sắc nhiệm vụ, chủ động, sáng tạo, "
                        "nhiều sản phẩm có chất lượng cao",
                "HTT": "Đồng chí hoàn thành tốt nhiệm vụ, có tinh thần trách nhiệm, "
                       "phối hợp tốt với đồng nghiệp",
            }.get(grade, "Đồng chí hoàn thành nhiệm vụ được giao"))  # fmt: skip
        text = "; ".join(parts)
        return text[0].upper() + text[1:] + "."
    if "discipline" in p:
        return ("Bị kỷ luật khiển trách trong năm 2026: xếp loại Không hoàn thành nhiệm vụ "
                "(Điều 20 khoản 4 điểm c NĐ 335/2025/NĐ-CP).")  # fmt: skip
    if err or late:
        return "Thống nhất với nhận xét của người quản lý trực tiếp; đề nghị khắc phục sai sót."
    return "Thống nhất với nhận xét và mức điểm của người quản lý trực tiếp."


def _band(scores: Mapping[str, float], kpi: float | None, manages: bool) -> tuple[float, str]:
    from evalkit import Assessment, score

    a = Assessment("X", "2026-01", competent_scores=scores, kpi=kpi)
    r = score(a, manages_others=manages)
    assert r.total is not None and r.score_grade is not None
    return r.total, r.score_grade.code


def assessment_rows() -> list[dict[str, Any]]:
    """The rows of ``assessments.csv``: one per staff, month and level."""
    rows: list[dict[str, Any]] = []
    for s in staff_records():
        sid = s["id"]
        for month in MONTHS:
            p = _profile(sid, month)
            kpi = p.get("kpi")
            for level in LEVELS:
                sc = _level_scores(sid, month, level)
                total, band = _band(sc, kpi, s["manages_others"])
                if level == "competent":
                    want = DESIGN_MONTH.get((sid, month), DESIGN.get(sid, "HTT"))
                    if band != want:
                        raise AssertionError(f"{sid} {month}: {total} is {band}, designed {want}")
                grade = "KHT" if level == "competent" and "discipline" in p else band
                row: dict[str, Any] = dict.fromkeys(CSV_COLUMNS, "")
                row.update(staff_id=sid, period=month, level=level, grade=grade,
                           comment=_comment(sid, month, level, band))  # fmt: skip
                row.update({k: _num(v) for k, v in sc.items()})
                row["kpi"] = "" if kpi is None else _num(kpi)
                row["discipline"] = p.get("discipline", "")
                rows.append(row)
    return rows


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


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
        "rule_set": "vn.nd335-2025",
        "positions": POSITIONS,
        "units": UNITS,
        "staff": staff_records(),
    }
    return {
        "agency.json": json.dumps(agency, ensure_ascii=False, indent=2) + "\n",
        "assessments.csv": _csv(assessment_rows(), CSV_COLUMNS),
        "unit_tasks.csv": _csv(UNIT_TASKS, list(UNIT_TASKS[0])),
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

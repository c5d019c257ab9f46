"""Every sentence the command line says and every problem the workbook reader reports, in
Vietnamese (the default) and English: one catalogue.

A message is a key of :data:`CATALOGUE` with its parameters (:class:`Msg`); it is turned
into words only when shown, in the language asked for. The library keeps English as the
language of its exceptions and of ``str(problem)``; the command line shows the same
message in Vietnamese unless it is run with ``--lang en``.

Reason sentences printed on the sheets are not here: they live in :mod:`evalkit.reasons`
with their legal citations.

>>> m = msg("cli.validate.ok", file="thang-03.xlsx", rows=25)
>>> m.text("vi")
'thang-03.xlsx: 25 dòng, không có lỗi'
>>> str(m)
'thang-03.xlsx: 25 rows, no problems'

A problem located in a workbook shows its place in the language too:

>>> p = problem(msg("problem.not_a_number"), file="t.xlsx", sheet="Đơn vị", row=4,
...             column="tasks_done", value="mười")
>>> print(located(p, "vi"))
t.xlsx, trang 'Đơn vị', dòng 4, cột 'tasks_done', giá trị 'mười': không phải là số
>>> print(p)
t.xlsx, sheet 'Đơn vị', row 4, column 'tasks_done', value 'mười': is not a number

English sentences from other parts of the library whose wording the catalogue knows are
translated too (:func:`translate`); any other English sentence is kept as it is, inside
the Vietnamese location.
"""

from __future__ import annotations

import functools
import math
import re
import string
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from evalkit.errors import InputProblem
from evalkit.model import Grade, StaffCategory

__all__ = [
    "CATALOGUE",
    "LANGS",
    "Msg",
    "Problem",
    "Words",
    "check_lang",
    "for_cli",
    "located",
    "msg",
    "no_set_msg",
    "problem",
    "rule_words",
    "sentence",
    "text",
    "translate",
]

#: The languages of the catalogue; the first is the default.
LANGS = ("vi", "en")

# --------------------------------------------------------------------------- the catalogue
# key: (Vietnamese, English). Templates are str.format templates; ``{x!r}`` shows a value
# as Python writes it ('CC-1', 7, 7.5). Keys starting with ``foreign.`` translate English
# sentences made elsewhere in the library (see :func:`translate`).

_CLI: dict[str, tuple[str, str]] = {
    # ---- general
    "cli.error": ("Lỗi: {message}", "Error: {message}"),
    "cli.internal": ("Lỗi nội bộ: {kind}: {message}", "Internal error: {kind}: {message}"),
    "cli.internal.debug": ("Đặt biến môi trường EVALKIT_DEBUG=1 để xem chi tiết (traceback).",
                           "Set EVALKIT_DEBUG=1 to see the traceback."),
    "cli.aborted": ("Đã dừng.", "Aborted."),
    "cli.usage": ("Lỗi cách gọi lệnh: {message}", "Usage error: {message}"),
    "cli.usage.hint": ("Xem `{command} --help`.", "See `{command} --help`."),
    "cli.usage.no_command": ("không có lệnh {name!r}{hint}", "no such command {name!r}{hint}"),
    "cli.usage.no_option": ("không có tùy chọn {name!r}{hint}", "no such option {name!r}{hint}"),
    "cli.usage.missing_option": ("thiếu tùy chọn bắt buộc {name}",
                                 "missing required option {name}"),
    "cli.usage.missing_argument": ("thiếu tham số {name}", "missing argument {name}"),
    "cli.usage.bad_value": ("giá trị không hợp lệ cho {name}: {reason}",
                            "invalid value for {name}: {reason}"),
    "cli.usage.needs_value": ("tùy chọn {name} cần một giá trị", "option {name} requires a value"),
    "cli.usage.extra": ("thừa tham số: {args}", "unexpected extra argument(s): {args}"),
    "cli.usage.choice": ("{value!r} không phải một trong {choices}",
                         "{value!r} is not one of {choices}"),
    "cli.usage.range": ("{value} nằm ngoài khoảng cho phép {low}–{high}",
                        "{value} is not in the range {low}-{high}"),
    "cli.usage.not_int": ("{value!r} không phải là số nguyên", "{value!r} is not a whole number"),
    "cli.usage.path_missing": ("tệp {path!r} không tồn tại", "file {path!r} does not exist"),
    "cli.usage.path_is_dir": ("{path!r} là một thư mục, không phải tệp",
                              "{path!r} is a folder, not a file"),
    "cli.usage.path_is_file": ("{path!r} là một tệp, không phải thư mục",
                               "{path!r} is a file, not a folder"),
    "cli.usage.did_you_mean": ("; có phải là {name!r}?", "; did you mean {name!r}?"),
    "cli.usage.period": ("{value!r} không phải là một kỳ như 2026-03, 2026-Q1 hoặc 2026",
                         "{value!r} is not a period such as 2026-03, 2026-Q1 or 2026"),
    "cli.usage.month": ("{value!r} không phải là một tháng như 2026-03",
                        "{value!r} is not a month such as 2026-03"),
    "cli.usage.month_or_quarter": (
        "{value!r} không phải là một tháng như 2026-03 (hoặc một quý như 2026-Q3 theo bộ quy "
        "định chấm điểm theo quý)",
        "{value!r} is not a month such as 2026-03 (or a quarter such as 2026-Q3 under a "
        "quarterly rule set)"),
    "cli.usage.set_item": ("{value!r} không có dạng TRƯỜNG=GIÁ_TRỊ",
                           "{value!r} is not FIELD=VALUE"),
    "cli.usage.set_twice": (
        "trường {field!r} được sửa hai lần ({first!r} và {second!r}); mỗi trường chỉ ghi một "
        "--set",
        "the field {field!r} is set twice ({first!r} and {second!r}); give one --set per "
        "field"),
    "cli.usage.fill_item": ("{value!r} không có dạng TIÊU_CHÍ=CỘT",
                            "{value!r} is not CRITERION=COLUMN"),
    "cli.usage.fill_unknown": (
        "{name!r} không phải là tiêu chí của bộ quy định nào được so sánh{hint}",
        "{name!r} is not a criterion of either rule set compared{hint}"),
    "cli.missing_component": ("{name} không có trong bản cài đặt evalkit này",
                              "{name} is not available in this installation of evalkit"),
    "cli.note": ("lưu ý: {text}", "note: {text}"),
    "cli.written": ("đã ghi: {path}", "written: {path}"),
    # ---- problems
    "cli.problems.head": ("Có {n} lỗi:", "{n} problem{s} found:"),
    "cli.problems.more": ("  ... và {n} lỗi nữa (dùng --json để xem tất cả)",
                          "  ... and {n} more (use --json for all)"),
    # ---- demo
    "cli.demo.running": ("Đang tạo dữ liệu mẫu", "Making the demo"),
    "cli.demo.done": ("đã ghi dữ liệu mẫu vào {out} ({n} tệp)",
                      "demo written to {out} ({n} files)"),
    "cli.demo.failed": ("{message}; chưa ghi tệp nào của dữ liệu mẫu vào {out}, các tệp đã có "
                        "ở đó giữ nguyên",
                        "{message}; none of the demo's files was written to {out}, the files "
                        "already there are as they were"),
    "cli.demo.tables": ("dữ liệu mẫu: {months} lượt đánh giá tháng và {year} kết quả xếp loại "
                        "năm của {agency}; bảng kết quả ghi vào {results} và {year_csv}",
                        "demo: {months} staff-months and {year} annual results of {agency}; "
                        "tables written to {results} and {year_csv}"),
    "cli.demo.documents": ("dữ liệu mẫu: {sheets} phiếu tháng, {annual} phiếu năm, {summaries} "
                           "bảng tổng hợp đơn vị, {overviews} báo cáo tổng hợp và {publications} "
                           "tệp công khai ghi vào {out}",
                           "demo: {sheets} monthly sheets, {annual} annual sheets, {summaries} "
                           "unit summaries, {overviews} overviews and {publications} "
                           "publication files written to {out}"),
    # ---- rules
    "cli.rules.col.id": ("mã", "id"),
    "cli.rules.col.categories": ("nhóm", "categories"),
    "cli.rules.col.in_force": ("hiệu lực", "in force"),
    "cli.rules.col.title": ("tên", "title"),
    "cli.rules.col.classified": ("kỳ xếp loại", "classified"),
    "cli.rules.col.status": ("mức tin cậy", "status"),
    "cli.rules.col.rule": ("quy định", "rule"),
    "cli.rules.col.on": ("áp dụng", "on"),
    "cli.rules.yes": ("có", "yes"),
    "cli.rules.no": ("không", "no"),
    "cli.rules.status": ("mức tin cậy của căn cứ: {status}", "source status: {status}"),
    "cli.rules.classified": ("kỳ xếp loại: {periods}{source}", "classified: {periods}{source}"),
    "cli.rules.statuses": ("các mức tin cậy: {counts}", "statuses: {counts}"),
    "cli.rules.col.group": ("nhóm tiêu chí", "group"),
    "cli.rules.col.criterion": ("tiêu chí", "criterion"),
    "cli.rules.col.max": ("tối đa", "max"),
    "cli.rules.col.unit": ("đơn vị tính", "unit"),
    "cli.rules.col.grade": ("mức", "grade"),
    "cli.rules.col.from": ("từ", "from"),
    "cli.rules.col.to": ("đến", "to"),
    "cli.rules.col.source": ("căn cứ", "source"),
    "cli.rules.open_end": ("không thời hạn", "open end"),
    # the heads of `rules check`'s counter-example tables (evalkit.testing): only a table's
    # head row is read against these, never a sentence
    "cli.rules.head.total": ("tổng điểm", "total"),
    "cli.rules.head.grade": ("mức xếp loại", "grade"),
    "cli.rules.head.score_grade": ("mức theo điểm", "score_grade"),
    "cli.rules.head.rule_set": ("bộ quy định", "rule_set"),
    "cli.rules.head.year_total": ("điểm năm", "year_total"),
    "cli.rules.head.label": ("tên mức", "label"),
    "cli.rules.head.range": ("khoảng điểm", "range"),
    "cli.rules.head.rounding": ("cách làm tròn", "rounding"),
    "cli.rules.head.percent": ("tỷ lệ (%)", "percent"),
    "cli.rules.head.containing": ("số khoảng điểm chứa tổng", "bands containing it"),
    "cli.rules.head.contains": ("chứa {total}?", "contains {total}?"),
    "cli.rules.head.rated": ("số người xếp {grade}", "people rated {grade}"),
    "cli.rules.head.allowed": ("số {grade} được phép", "{grade} allowed"),
    "cli.rules.unit.points": ("điểm", "points"),
    "cli.rules.unit.percent": ("%", "percent"),
    "cli.rules.unit.count": ("lần", "count"),
    "cli.rules.in_force": ("hiệu lực {start} → {end}; căn cứ: {source}",
                           "in force {start} → {end}; source: {source}"),
    "cli.rules.cap": ("trường hợp xếp loại tối đa {grade} [{id}]: {label}",
                      "cap {id}: {label} → {grade}"),
    "cli.rules.quota": ("tỷ lệ: {grade} ≤ {percent}% số {base}",
                        "quota: {grade} ≤ {percent}% of {base}"),
    "cli.score.d_unchecked": (
        "Lưu ý: không có đơn vị (trang đơn vị hoặc --org) nên không tính được điểm quản lý "
        "(d) từ kết quả của người dưới quyền; d đã ghi của {n} người lãnh đạo được giữ nguyên, "
        "chưa đối chiếu: {ids}. Chạy lại với --org để có d và tổng điểm như khi classify.",
        "Notice: no units (units sheet or --org), so the management score (d) cannot be "
        "computed from the staff under each leader; the typed d of {n} leader(s) is kept "
        "unchecked: {ids}. Run again with --org for the d and totals classify gives."),
    "cli.rules.pass_file": (
        "Gợi ý: bộ quy định {ids} không có trong các bộ đã đăng ký; nếu đó là bộ của một tệp "
        "quy định riêng (của cơ quan), hãy đưa tệp đó vào lệnh: --rules TỆP.toml (như khi "
        "chạy classify).",
        "Hint: rule set {ids} is not registered; if it comes from a rule file (an agency's), "
        "pass that file to the command: --rules FILE.toml (as to classify)."),
    "cli.rules.diff_data_rules": (
        "Gợi ý: không có --rules, dữ liệu được đọc theo bộ quy định đang có hiệu lực cho từng "
        "người; nếu dữ liệu được nhập theo một bộ khác (bộ NEW, OLD hoặc tệp quy định của cơ "
        "quan), hãy nêu bộ đó: --rules {new} (như khi chạy validate).",
        "Hint: without --rules the data are read under the rule set in force for each "
        "person; if they were typed under another set (NEW, OLD or an agency's rule file), "
        "name it: --rules {new} (as to validate)."),
    "cli.rules.valid": ("{file}: bộ quy định {id!r} hợp lệ", "{file}: rule set {id!r} is valid"),
    "cli.rules.basis_only_base": (
        "{file}: lưu ý: tệp mở rộng {base} và đổi quy định ({keys}) nhưng không ghi {missing}: "
        "phiếu đánh giá sẽ ghi \"Căn cứ: {title}\" — chỉ văn bản của {base}, không nêu quy "
        "định của cơ quan; ghi title_vi (tên quy định của cơ quan) và source (số, ký hiệu văn "
        "bản) trong tệp để phiếu nêu đúng căn cứ",
        "{file}: note: the file extends {base} and changes its rules ({keys}) but gives no "
        "{missing}: the sheets will say \"Căn cứ: {title}\" — the text of {base} alone, not "
        "the agency's rule; give title_vi (the agency's rule's name) and source (its number "
        "and symbol) in the file so that the sheets cite it"),
    "cli.rules.cited_by_base": (
        "{file}: lưu ý: tệp đổi {items} nhưng bảng [{table}] không ghi `source`: phiếu đánh "
        "giá sẽ ghi căn cứ của {base} ({source}) cho quy định đã đổi; ghi `source` (số, ký hiệu "
        "văn bản, điều, khoản) trong bảng [{table}] của tệp",
        "{file}: note: the file changes {items} but its [{table}] gives no source: the "
        "sheets will cite {base}'s text ({source}) for the changed rule; give [{table}] its "
        "own source (the document, article, clause)"),
    "cli.rules.percent_fraction": (
        "{file}: lưu ý: `{item}` = {value} được đọc là {value} %, không phải {pct} %: tỷ lệ "
        "ghi bằng số phần trăm, ghi {pct} cho {pct} %",
        "{file}: note: `{item}` = {value} is read as {value} %, not {pct} %: a percentage is "
        "written in per cent, write {pct} for {pct} %"),
    "cli.rules.invalid": ("{file}: {n} lỗi:", "{file}: {n} problem(s):"),
    "cli.rules.problems": ("{n} lỗi trong bộ quy định:", "{n} problem{s} in the rule set:"),
    "cli.rules.problems_in_file": ("{file}: {n} lỗi trong bộ quy định:",
                                   "{file}: {n} problem{s} in the rule set:"),
    "cli.rules.in_file": ("tệp {file}", "file {file}"),
    "cli.rules.at_key": ("khóa {path}", "key {path}"),
    "cli.rules.where.dates": ("thời gian hiệu lực", "dates"),
    "cli.rules.where.disqualifiers": ("trường hợp xếp loại KHT", "disqualifiers"),
    "cli.rules.where.grades": ("mức xếp loại", "grades"),
    "cli.rules.where.sources": ("căn cứ", "sources"),
    "cli.rules.invariant": ("một bất biến của bộ quy định không được bảo đảm",
                            "an invariant of the rule set does not hold"),
    # ---- template
    "cli.template.done": ("đã ghi tệp mẫu {file} ({rules}, kỳ {period})",
                          "template for {rules}, {period} written to {file}"),
    "cli.template.left_out": (
        "lưu ý: {n} người không thuộc đối tượng của {rules} nên không có trong tệp ({ids}); "
        "lập tệp riêng cho họ với --rules {other} và khi xếp loại, chạy cả hai tệp kèm --org "
        "(người đứng đầu, người quản lý ở tệp kia được nhận ra)",
        "note: {n} people are outside the staff {rules} covers and are not in the file "
        "({ids}); write a file of their own with --rules {other}, and pass --org when "
        "validating and classifying either file (heads and managers in the other file are "
        "then known)"),
    "cli.template.left_out_no_set": (
        "lưu ý: {n} người không thuộc đối tượng của {rules} nên không có trong tệp ({ids}); "
        "không có bộ quy định nào có hiệu lực đối với họ trong kỳ {period}: lập tệp riêng cho "
        "họ theo quy định của cơ quan, với --rules TỆP.toml, và khi xếp loại, chạy cả hai tệp "
        "kèm --org",
        "note: {n} people are outside the staff {rules} covers and are not in the file "
        "({ids}); no rule set is in force for them in {period}: write a file of their own "
        "under your agency's rules, with --rules FILE.toml, and pass --org when validating and "
        "classifying either file"),
    "cli.template.other_unused": (
        "--rules {rules}: không nhóm nhân sự nào ngoài tệp thuộc đối tượng của bộ quy định này "
        "trong kỳ {period}; --rules thứ hai trở đi chỉ để nêu bộ quy định của nhóm không có "
        "trong tệp",
        "--rules {rules}: no staff group left out of the workbook is covered by this rule set "
        "in {period}; a second --rules only names the set of a group the workbook leaves out"),
    "cli.jurisdiction.unknown": (
        "không bộ quy định nào có phạm vi áp dụng {value!r}; các phạm vi đã biết: {known}",
        "no rule set has the jurisdiction {value!r}; the known ones: {known}"),
    "cli.template.no_rules": (
        "cần --rules, hoặc --org để chọn bộ quy định có hiệu lực trong kỳ đối với nhân sự",
        "give --rules, or --org to choose the rule set in force in the period for its staff"),
    "cli.template.several_sets": (
        "nhân sự của tổ chức thuộc nhiều bộ quy định trong kỳ {period}: {sets}; mỗi bộ quy "
        "định một tệp, chọn bằng --rules",
        "the organisation's staff fall under several rule sets in {period}: {sets}; one "
        "workbook per rule set, named by --rules"),
    "cli.template.quarter": (
        "{rules} chấm điểm theo tháng: --period phải là một tháng, không phải {period}",
        "{rules} scores months: --period must be a month, not {period}"),
    "cli.template.exists": (
        "tệp {file} đã có: evalkit không ghi đè lên tệp đã có (có thể đã nhập điểm); chọn tên "
        "khác, hoặc thêm --force nếu thật sự muốn thay tệp",
        "{file} already exists: evalkit does not overwrite it (it may hold typed scores); "
        "choose another name, or add --force to replace it"),
    "cli.template.format": (
        "không ghi được định dạng {suffix!r}: tên tệp phải kết thúc bằng .xlsx (sổ tính) hoặc "
        ".csv (trang nhân sự dưới dạng CSV)",
        "cannot write the format {suffix!r}: the file name must end in .xlsx (workbook) or "
        ".csv (the staff sheet as CSV)"),
    # ---- validate
    "cli.validate.ok": ("{file}: {rows} dòng, không có lỗi", "{file}: {rows} rows, no problems"),
    # every command that reads a workbook says it, once per sheet, of rows and of columns
    "cli.hidden": (
        "Lưu ý — {file}, trang {sheet!r}: {n} {kind} bị ẩn trong Excel ({kind} {at}) vẫn "
        "được {done} như mọi {kind} khác; hãy bỏ ẩn (chọn các {kind} quanh đó, "
        "bấm chuột phải, chọn Bỏ ẩn) để kiểm tra",
        "Note — {file}, sheet {sheet!r}: {n} {kind}(s) hidden in Excel ({kind} {at}) are "
        "{done} like every other {kind}; unhide them (select the {kind}s around "
        "them, right-click, Unhide) to check them"),
    "cli.hidden.row": ("dòng", "row"),
    "cli.hidden.column": ("cột", "column"),
    # what the command does with them: validate, score, classify … score; org only reads
    "cli.hidden.scored": ("đọc và chấm điểm", "read and scored"),
    "cli.hidden.read": ("đọc", "read"),
    "cli.validate.d_typed": ("Lưu ý — {staff}: {sentence}", "Note — {staff}: {sentence}"),
    # a unit recognised in a period its set does not classify (evalkit.workflow)
    "workflow.exceptional_unclassified": (
        "Lưu ý — đơn vị {unit}, kỳ {period}: đơn vị được ghi \"Được cấp có thẩm quyền công "
        "nhận đặc biệt xuất sắc\" (exceptional) nhưng {rules} không xếp loại kỳ {period}, nên "
        "việc công nhận này không nâng tỷ lệ của người được đánh giá theo {rules}, kể cả tỷ lệ "
        "của năm {year} ({source}); công nhận đơn vị cho năm {year}: ghi exceptional ở tệp "
        "--unit-grades của lệnh evalkit annual, hoặc ở dòng của đơn vị cho năm {year} "
        "(unit_year=... khi dùng Python)",
        "Note — unit {unit}, {period}: the unit is marked exceptional (recognised by the "
        "competent level as especially outstanding) but {rules} does not classify {period}, "
        "so the recognition raises no quota of the people under {rules}, not even {year}'s "
        "({source}); to recognise the unit for {year}, give exceptional in the --unit-grades "
        "file of evalkit annual, or on the unit's row for {year} (unit_year=... in Python)"),
    "workflow.quota_tie": (
        "Lưu ý — đơn vị {unit}, kỳ {period}: {people} bằng nhau ở mọi tiêu chí {rules} xét theo "
        "thứ tự khi vượt tỷ lệ {grade} ({keys}), nên người giữ {grade} ({kept}) và người bị hạ "
        "({demoted}) chỉ được chọn theo mã cán bộ, không có căn cứ pháp lý; {remedy}",
        "Note — unit {unit}, {period}: {people} are equal on every tie-break {rules} compares "
        "for the {grade} quota ({keys}), so who keeps {grade} ({kept}) and who is demoted "
        "({demoted}) was decided by staff id alone, which no legal text supports; {remedy}"),
    "workflow.quota_tie.give_order": (
        "hãy ghi competent_order (thứ tự do cấp có thẩm quyền quyết định) cho những người này",
        "give competent_order (the competent level's order) for them"),
    "workflow.quota_tie.no_order": (
        "{rules} không xét thứ tự do cấp có thẩm quyền quyết định: để cấp có thẩm quyền chọn, "
        "thêm competent_order vào tie_break của bộ quy định và ghi competent_order cho những "
        "người này",
        "{rules} does not compare the competent level's order: for the competent level to "
        "choose, add competent_order to the rule set's tie_break and give competent_order "
        "for them"),
    "cli.validate.csv_scores_only": (
        "(tệp CSV không có trang đơn vị: đã kiểm tra việc chấm điểm; thêm --org để kiểm tra cả "
        "việc xếp loại)",
        "(a CSV has no units sheet: scoring was checked; add --org to check the classification "
        "too)"),
    # ---- score / classify
    "cli.results.summary": ("{n} người: {counts}", "{n} people: {counts}"),
    "cli.results.written": ("; đã ghi vào {out}", "; written to {out}"),
    "cli.results.not_classified": ("không xếp loại", "not classified"),
    "cli.results.not_evaluated": ("chưa đánh giá", "not evaluated"),
    "cli.results.information": (
        "(kỳ {period} chỉ được chấm điểm, không xếp loại theo {rules}: mức ghi theo khung điểm, "
        "để tham khảo)",
        "({period} is scored, not classified, under {rules}: the grades are the score bands, "
        "as information)"),
    "cli.results.unclassified": (
        "(chưa xếp loại theo đơn vị: không xét đơn vị, người đứng đầu và tỷ lệ)",
        "(not classified by unit: no unit, head cap or quota applied)"),
    "cli.classify.needs_workbook": (
        "xếp loại cần tệp Excel (đơn vị và nhân sự), không phải tệp kết quả",
        "classify needs the workbook (units and staff), not a results file"),
    "cli.output.exists": (
        "tệp {file} đã có: evalkit không ghi đè lên tệp đã có; chọn tên khác, hoặc thêm "
        "--force nếu thật sự muốn thay tệp",
        "{file} already exists: evalkit does not overwrite it; choose another name, or add "
        "--force to replace it"),
    "cli.output.format": (
        "không ghi được định dạng {suffix!r}: dùng .json, .xlsx hoặc .csv",
        "unknown output format {suffix!r}; use .json, .xlsx or .csv"),
    # ---- render
    "cli.render.done": ("đã ghi {n} tệp vào {out}", "{n} file(s) written to {out}"),
    "cli.annual.months": (
        "năm {year}: đã đọc {n} tháng đã chốt ({read}); thiếu {missing_n} tháng: {missing}",
        "year {year}: {n} finalized month{s} read ({read}); {missing_n} missing: {missing}"),
    "cli.annual.quarters": (
        "năm {year}: đã đọc {n} quý đã chốt ({read}); thiếu {missing_n} quý: {missing}",
        "year {year}: {n} finalized quarter{s} read ({read}); {missing_n} missing: {missing}"),
    "cli.render.skipped": ("{n} phiếu không đổi, giữ nguyên (--resume)",
                           "{n} unchanged sheet(s) kept (--resume)"),
    "cli.render.period_inputs": (
        "phiếu quý hoặc năm cần kết quả các tháng: các tệp kết quả (.json) hoặc tệp Excel của "
        "từng tháng, hoặc --archive",
        "a quarterly or annual sheet needs the months' results: the results files (.json) or "
        "workbooks of the months, or --archive"),
    "cli.render.one_month": (
        "in phiếu tháng từ một tệp kết quả hoặc các tệp Excel của tháng đó; {n} tệp được đưa "
        "vào (phiếu quý: --period 2026-Q1)",
        "a month's sheets come from one results file or the month's workbooks; {n} were "
        "given (quarterly: --period 2026-Q1)"),
    "cli.render.last_month_signs": (
        "kỳ {period}: người ký và cơ quan ghi trên phiếu lấy từ kết quả tháng cuối cùng của "
        "kỳ ({month}, {file}); dùng --org để chỉ định theo tệp tổ chức",
        "{period}: the signatories and the agency on the sheets are those of the period's "
        "last month ({month}, {file}); pass --org to take them from the organisation file"),
    # a year's results file (`annual --out`) given where a month's results are read
    "cli.render.year_results": (
        "tệp {file} là kết quả cả năm {year} (do `evalkit annual --out` ghi), không phải kết "
        "quả của một tháng nên không in lại phiếu từ tệp này được: phiếu năm được in bằng "
        "`evalkit annual --year {year} --archive TỆP.sqlite --pdf THƯ_MỤC`, hoặc `evalkit "
        "render --period {year} --archive TỆP.sqlite --out THƯ_MỤC`, hoặc `evalkit render` "
        "các tệp kết quả của từng tháng (ket-qua-01.json … ket-qua-12.json) với --period "
        "{year}",
        "{file} holds the results of the year {year} (written by `evalkit annual --out`), not "
        "a month's, so no sheet is printed from it: the year's sheets come from `evalkit "
        "annual --year {year} --archive FILE.sqlite --pdf DIR`, or `evalkit render --period "
        "{year} --archive FILE.sqlite --out DIR`, or `evalkit render` of the months' results "
        "files (ket-qua-01.json … ket-qua-12.json) with --period {year}"),
    "cli.render.no_months": ("không có kết quả tháng nào thuộc kỳ {period}",
                             "no month's results fall in {period}"),
    "cli.render.month_mismatch": ("tệp {file} là kết quả kỳ {found}, không thuộc {period}",
                                  "{file} holds the results of {found}, not of {period}"),
    "cli.archive_empty": (
        "tệp lưu trữ {file} trống (0 byte), không phải là tệp lưu trữ của evalkit: chưa có "
        "tháng nào được chốt vào đó; kiểm tra lại đường dẫn --archive",
        "the archive {file} is empty (0 bytes), not an evalkit archive: no month was ever "
        "finalized into it; check the --archive path"),
    "cli.render.archive_missing": ("tệp lưu trữ {file} không tồn tại",
                                   "archive {file} does not exist"),
    # ---- archive: finalize, amend, annual, archive verify
    "cli.archive.finalizing": ("Đang chốt", "Finalizing"),
    "cli.finalize.done": ("{period}: đã chốt {rows} kết quả vào {archive}",
                          "{period}: {rows} results finalized in {archive}"),
    "cli.finalize.seal": ("dấu niêm phong (SHA-256): {seal}", "seal (SHA-256): {seal}"),
    "cli.finalize.not_amendable": (
        "lưu ý: tháng được lưu không kèm dữ liệu đơn vị, nên không thể điều chỉnh về sau",
        "note: archived without unit inputs, so the month cannot be amended"),
    "cli.finalize.groups_hint": (
        "các tệp Excel của một tháng (mỗi nhóm nhân sự một tệp) được chốt cùng nhau trong một "
        "lệnh: `evalkit finalize cong-chuc.xlsx vien-chuc.xlsx ...`",
        "the workbooks of one month (one per staff group) are finalized together, in one "
        "command: `evalkit finalize cong-chuc.xlsx vien-chuc.xlsx ...`"),
    "cli.months.one_results_file": (
        "một tháng được đưa vào bằng một tệp kết quả (.json) hoặc nhiều tệp Excel của tháng "
        "đó; {n} tệp được đưa vào có tệp .json",
        "a month comes from one results file (.json) or from several workbooks of the month; "
        "{n} files were given, with a .json among them"),
    "cli.finalize.year_needs_units": (
        "lưu ý: tháng không có kết quả của đơn vị; khi xếp loại năm, người đứng đầu cần kết quả "
        "năm của đơn vị mình: `evalkit annual --unit-grades TỆP.csv` (cột unit_id, grade)",
        "note: the month has no unit results; for the year, a head needs the unit's annual "
        "grade: `evalkit annual --unit-grades FILE.csv` (columns unit_id, grade)"),
    "cli.annual.unit_grades_hint": (
        "gợi ý: các tháng được chốt không kèm kết quả của đơn vị (--no-classify); nhập kết "
        "quả năm của các đơn vị bằng --unit-grades TỆP.csv (cột unit_id, grade)",
        "hint: the months were finalized without unit results (--no-classify); give the "
        "units' grades for the year with --unit-grades FILE.csv (columns unit_id, grade)"),
    "cli.amend.who": (
        "một điều chỉnh cần ghi người sửa (--by) và lý do (--why); để trống: {options}",
        "an amendment needs who corrects (--by) and why (--why); blank: {options}"),
    "cli.amend.done": ("đã ghi điều chỉnh số {id} cho {cat} {staff}, kỳ {period}",
                       "amendment {id} recorded for {cat} {staff}, {period}"),
    "cli.amend.year_recorded": (
        "năm {year} được xếp loại theo bộ quy định {rules}, đã ghi khi xếp loại năm: "
        "`evalkit annual` xếp loại lại năm theo bộ này",
        "the year {year} is classified under {rules}, recorded when the year was "
        "classified: `evalkit annual` classifies it again under that set"),
    "cli.amend.year_fallback": (
        "chưa ghi bộ quy định nào cho năm {year}: năm được xếp loại theo bộ quy định có "
        "hiệu lực vào cuối năm cho nhóm của từng người ({rules})",
        "no rule set is recorded for the year {year}: it is classified under the set in "
        "force for the person's group at the year's end ({rules})"),
    # ---- org
    "cli.org.done": ("đã ghi danh sách tổ chức {file}: {units} đơn vị, {positions} vị trí "
                     "việc làm, {staff} người",
                     "organisation written to {file}: {units} units, {positions} positions, "
                     "{staff} people"),
    "cli.org.ok": ("{file}: {units} đơn vị, {positions} vị trí việc làm, {staff} người, "
                   "không có lỗi",
                   "{file}: {units} units, {positions} positions, {staff} people, no problems"),
    "cli.org.inputs": (
        "đưa vào một tệp Excel của tháng, hoặc các tệp CSV --units, --positions và --staff",
        "give a month's workbook, or the CSV files --units, --positions and --staff"),
    "cli.org.both": ("đưa vào tệp Excel hoặc các tệp CSV, không cả hai",
                     "give the workbook or the CSV files, not both"),
    "cli.org.exists": (
        "tệp {file} đã có: evalkit không ghi đè lên tệp đã có, kể cả tệp đang kiểm tra; chọn "
        "tên khác, hoặc thêm --force nếu thật sự muốn thay tệp",
        "{file} already exists: evalkit does not overwrite it, not even the file being "
        "checked; choose another name, or add --force to replace it"),
}

#: Why an unknown column of a frame is refused, and what to do (``unknown_columns``).
_KEEP_VI = (", nên sẽ bị bỏ qua; hãy đổi tên cột, hoặc giữ nguyên cột bằng một tên bắt đầu "
            "bằng '_' hay 'x_' hoặc khai báo trong extra_columns=")
_KEEP_EN = (", so it would be ignored; rename it, or keep it untouched with a name starting "
            "with '_' or 'x_' or in extra_columns=")
_STAFF_COLUMN_VI = ("đây không phải cột của bảng nhân sự theo kỳ, cũng không phải tiêu chí của "
                    "bộ quy định ({ids})" + _KEEP_VI)
_STAFF_COLUMN_EN = ("it is neither a column of a staff-period frame nor a criterion of a rule "
                    "set ({ids} here)" + _KEEP_EN)
_UNIT_COLUMN_VI = ("đây không phải cột của bảng đơn vị (evalkit.units.UNIT_INPUT_COLUMNS, "
                   "UNIT_FLAG_COLUMNS, body_<mã>, mã đơn vị, đơn vị cấp trên, người đứng đầu "
                   "và bộ quy định)" + _KEEP_VI)
_UNIT_COLUMN_EN = ("it is not a column of a units frame (evalkit.units.UNIT_INPUT_COLUMNS, "
                   "UNIT_FLAG_COLUMNS, body_<id>, the unit's id, parent, head and rule set)"
                   + _KEEP_EN)

_CONCLUSION_COLUMN_VI = ("đây không phải cột của bảng kết luận năm (các cột được đọc: {ids}; "
                         "hoặc một cột khác do evalkit.assessments_to_frame ghi), nên sẽ bị bỏ "
                         "qua; hãy đổi tên cột, hoặc giữ nguyên cột bằng một tên bắt đầu bằng "
                         "'_' hay 'x_'")
_CONCLUSION_COLUMN_EN = ("it is not a column of the conclusions (the columns read: {ids}; or "
                         "another column evalkit.assessments_to_frame writes), so it would be "
                         "ignored; rename it, or keep it untouched with a name starting with "
                         "'_' or 'x_'")

#: Why a head of a unit is asked for the management components (one sentence, every door);
#: ``source`` is the head's rule set's (:func:`evalkit.scoring.head_post_source`).
_HEAD_POST_VI = ("người đứng đầu đơn vị giữ chức vụ quản lý ({source}): được "
                 "đánh giá theo công thức của người có chức trách quản lý, dù có đánh dấu "
                 "manages_others hay không")
_HEAD_POST_EN = ("the head of a unit holds a management post ({source}): "
                 "scored with the formula for staff with management duty, whether marked "
                 "manages_others or not")

_PROBLEMS: dict[str, tuple[str, str]] = {
    # ---- where, inside a sentence
    "where.cell": ("ô {ref}", "cell {ref}"),
    "where.field": ("dòng {line}, trường {field}", "line {line}, field {field}"),
    "where.header": ("ô tiêu đề {ref}", "header cell {ref}"),
    "hint.did_you_mean": ("; có phải là {name!r}?", "; did you mean {name!r}?"),
    "hint.leading_zeros": ("; có phải là {name!r}? (ô kiểu số làm mất các số 0 ở đầu mã: định "
                           "dạng cột mã là văn bản)",
                           "; did you mean {name!r}? (a number cell loses the id's leading "
                           "zeros: format the id column as text)"),
    "hint.other_file": ("; nếu người này ở tệp của nhóm khác, chạy kèm --org",
                        "; if the person is in another group's file, pass --org"),
    "hint.renamed": ("; có phải trang {name!r} (đã đổi tên)?", "; is {name!r} it (renamed)?"),
    # ---- header
    "problem.header.unknown": ("{where} không phải là cột evalkit biết (đã đổi tên?){hint}",
                               "{where} is not a known column (renamed?){hint}"),
    "problem.header.twice": ("cột {column!r} xuất hiện hai lần ở tiêu đề ({first} và {second})",
                             "column {column!r} appears twice in the header ({first} and "
                             "{second})"),
    "problem.frame.column_twice": ("cột {column!r} có {times} lần trong {what}: mỗi cột chỉ "
                                   "được có một lần",
                                   "column {column!r} is given {times} times in {what}: give "
                                   "each column once"),
    "problem.header.missing": ("thiếu cột bắt buộc {header!r} ở tiêu đề",
                               "required column {header!r} is missing from the header"),
    "problem.header.moved": (
        "tiêu đề nằm ở dòng {row}, không phải dòng 1: xóa các dòng phía trên tiêu đề (evalkit "
        "đọc tiêu đề ở dòng 1)",
        "the header is on row {row}, not row 1: delete the rows above it (evalkit reads the "
        "header from row 1)"),
    "problem.header.merged": ("các ô tiêu đề {ref} bị gộp: bỏ gộp để mỗi cột có tiêu đề riêng",
                              "merged header cells {ref}: unmerge them so every column has its "
                              "own header"),
    "problem.cells.merged": (
        "các ô {ref} bị gộp: giá trị chỉ nằm ở ô đầu, các ô còn lại được đọc là trống; bỏ gộp "
        "và nhập giá trị vào từng ô",
        "merged cells {ref}: the value is in the first cell only, the others read as blank; "
        "unmerge them and type the value in each cell"),
    "problem.header.alias_twice": (
        "cột {column!r} và cột {alias!r} cùng là điểm của cấp có thẩm quyền: giữ một cột",
        "columns {column!r} and {alias!r} both hold the competent level's score: keep one"),
    # ---- cells
    "problem.cell": ("{where}: {what}", "{where}: {what}"),
    "problem.not_a_number": ("không phải là số", "is not a number"),
    "problem.not_a_cell_value": ("một {kind} không phải là giá trị của một ô (một ô chứa số, "
                                 "chữ, có/không hoặc để trống)",
                                 "a {kind} is no cell value (a cell holds a number, a text, a "
                                 "yes/no or nothing)"),
    "problem.thousands": ("{text!r} có thể là {big} (dấu chấm phân cách hàng nghìn) hoặc "
                          "{small}: ghi {small} hoặc {big}",
                          "{text!r} may be {big} (a thousands separator) or {small}: write "
                          "{small} or {big}"),
    "problem.date_in_number": (
        "là ngày hoặc giờ, không phải số: định dạng ô là Number (Số) rồi nhập giá trị",
        "is a date or a time, not a number: format the cell as Number and type the value"),
    "problem.thousands_comma": (
        "{text!r} có thể là {small} (dấu phẩy thập phân) hoặc {big} (dấu phẩy phân cách hàng "
        "nghìn): ghi {small} hoặc {big}",
        "{text!r} may be {big} (a thousands separator) or {small}: write {small} or {big}"),
    "problem.negative": ("là số âm", "is negative"),
    "problem.months_period": (
        "{file} là tháng {found}, không phải {period} như {first}: các tệp của một tháng "
        "phải cùng kỳ",
        "{file} is the month {found}, not {period} as {first}: the workbooks of one month "
        "must be of the same period"),
    "problem.percent_fraction": (
        "giá trị {value} nằm giữa 0 và 1: nếu là {percent}% hãy ghi {percent}",
        "the value {value} is between 0 and 1: if it means {percent}%, write {percent}"),
    "problem.not_whole": ("không phải là số nguyên", "is not a whole number"),
    "problem.not_allowed": ("phải là một trong các giá trị {values} (theo bộ quy định)",
                            "must be one of {values} (the rule set's values)"),
    "problem.over_maximum": ("vượt mức tối đa {maximum}", "exceeds its maximum {maximum}"),
    "problem.score_over": ("điểm {value} của tiêu chí {column!r} ({level}) vượt mức tối đa "
                           "{maximum} ({rules})",
                           "score {value} for {column!r} ({level} level) exceeds its maximum "
                           "{maximum} ({rules})"),
    "problem.category_rules": ("bộ tiêu chí {rules!r} không áp dụng cho nhóm {category}",
                               "rule set {rules!r} does not apply to {category}"),
    "problem.unit_rules": ("bộ tiêu chí {value!r} không có{hint}",
                           "unknown rule set {value!r}{hint}"),
    "problem.not_a_month": ("không phải là tháng như 2026-03", "is not a month like 2026-03"),
    "problem.quarter_monthly_set": (
        "kỳ {period} là một quý: bộ quy định {rules!r} chấm điểm theo tháng, không theo quý; "
        "tệp của một quý được đọc theo bộ quy định chấm điểm theo quý, ví dụ --rules {example}",
        "{period} is a quarter: {rules!r} scores months, not quarters; a quarter's file is "
        "read under a rule set that scores quarters, e.g. --rules {example}"),
    "problem.not_a_month_or_quarter": ("không phải là tháng như 2026-09 hoặc quý như 2026-Q3",
                                       "is not a month like 2026-09 or a quarter like 2026-Q3"),
    "problem.period_other": ("kỳ {found} khác kỳ của tệp ({expected})",
                             "period {found} does not match the workbook's {expected}"),
    "problem.period_blank": (
        "kỳ đánh giá để trống, và tệp không ghi kỳ nào (trang 'Thông tin' hoặc --period)",
        "blank period, and the workbook names none (sheet 'Thông tin' or --period)"),
    "problem.not_a_date": ("không phải là ngày (ô ngày, yyyy-mm-dd hoặc dd/mm/yyyy)",
                           "is not a date (a date cell, yyyy-mm-dd or dd/mm/yyyy)"),
    "problem.far_date": ("là ngày ngoài các năm {first} đến {last} (nhập nhầm?)",
                         "is a date outside the years {first} to {last} (a typing mistake?)"),
    "problem.blank_required": ("ô bắt buộc để trống", "blank required cell"),
    "problem.blank_criterion": (
        "ô bắt buộc để trống: tiêu chí {criterion!r} chưa có điểm ở cấp nào",
        "blank required cell: criterion {criterion!r} has no score at any level"),
    "problem.blank_criterion_head": (
        "ô bắt buộc để trống: tiêu chí {criterion!r} chưa có điểm ở cấp nào; " + _HEAD_POST_VI,
        "blank required cell: criterion {criterion!r} has no score at any level; "
        + _HEAD_POST_EN),
    "problem.blank_staff_id": ("mã nhân sự để trống ở dòng có dữ liệu",
                               "blank staff id in a row that has other values"),
    "problem.staff_control": ("mã nhân sự chứa ký tự điều khiển (NUL, tab hoặc xuống dòng ở "
                              "giữa mã)",
                              "the staff id contains a control character"),
    "problem.formula": (
        "ô {ref} chứa công thức{shown} được lưu không kèm kết quả: evalkit không tính công "
        "thức; mở tệp bằng Excel rồi lưu lại, hoặc nhập giá trị",
        "cell {ref} holds a formula{shown} saved without its result: evalkit never "
        "calculates formulas; open the file in Excel and save it, or type the value"),
    "problem.formula.shared": (" (công thức dùng chung)", " (a shared formula)"),
    "problem.stray_tail": (
        "{where}: có giá trị bên phải cột cuối ({last}); evalkit sẽ không đọc: đặt tiêu đề "
        "cho cột hoặc xóa ô",
        "{where}: a value right of the last column ({last}); evalkit would not read it: give "
        "the column a header or clear the cell"),
    "problem.last.field": ("tiêu đề cuối là trường {field}", "the last header is field {field}"),
    "problem.last.cell": ("tiêu đề cuối là {ref}", "the last header is {ref}"),
    "problem.last.blank": ("dòng tiêu đề để trống", "the header row is blank"),
    "problem.stray_unknown": (
        "{where}: có giá trị dưới tiêu đề {header!r} ({head}), không phải cột evalkit đọc; "
        "đặt đúng tiêu đề cho cột hoặc xóa ô",
        "{where}: a value under the header {header!r} ({head}), which is not a column evalkit "
        "reads; give the column its header or clear the cell"),
    "problem.stray_foreign": (
        "{where}: có điểm dưới tiêu đề {header!r} ({head}), là tiêu chí của {other}, không "
        "thuộc bộ quy định {rules} của tệp này; xóa ô, hoặc đưa dòng vào tệp của bộ quy định "
        "có tiêu chí đó",
        "{where}: a score under the header {header!r} ({head}), a criterion of {other}, not "
        "of this file's set {rules}; clear the cell, or give the row in a file of a rule set "
        "that has it"),
    "problem.stray_blank": (
        "{where}: có giá trị dưới ô tiêu đề trống ({head}); đặt tiêu đề cho cột hoặc xóa ô",
        "{where}: a value under a blank header cell ({head}); give the column its header or "
        "clear the cell"),
    # ---- file
    "problem.file_missing": ("không tìm thấy tệp", "file not found"),
    "problem.not_xlsx": (
        "không phải là tệp Excel .xlsx hợp lệ (tệp hỏng, tệp .xls cũ, hoặc một tệp khác được "
        "đổi đuôi thành .xlsx): mở tệp bằng Excel rồi lưu lại dạng Sổ làm việc Excel "
        "(.xlsx){detail}",
        "not a readable .xlsx workbook (a damaged file, an old .xls, or another file renamed "
        "to .xlsx): open it in Excel and save it as an Excel Workbook (.xlsx){detail}"),
    "problem.not_csv": ("không đọc được tệp CSV: cấu trúc tệp không hợp lệ{detail}",
                        "not a readable CSV file{detail}"),
    "problem.not_utf8": (
        "tệp không phải là văn bản mã UTF-8 (có thể đã được lưu bằng mã Windows-1258, "
        "TCVN3 hoặc UTF-16): trong Excel chọn Lưu thành (Save As), kiểu tệp "
        "\"CSV UTF-8 (Comma delimited) (*.csv)\"{detail}",
        "not a readable UTF-8 CSV file: the text is not UTF-8 (perhaps saved as Windows-1258, "
        "TCVN3 or UTF-16); in Excel, Save As \"CSV UTF-8 (Comma delimited) (*.csv)\"{detail}"),
    # ---- JSON documents (evalkit.io.jsonio, evalkit.io.results)
    "problem.json.invalid": ("không phải là tệp JSON hợp lệ{detail}{expected}",
                             "not valid JSON{detail}{expected}"),
    "problem.json.not_utf8": ("tệp không phải là văn bản JSON (mã UTF-8){expected}",
                              "the file is not JSON text (UTF-8){expected}"),
    "problem.json.excel": ("đây là tệp Excel hoặc tệp nén, không phải tệp JSON{expected}",
                           "this is an Excel workbook or a zip file, not JSON{expected}"),
    "problem.json.expected": ("; cần {kind}", "; expected {kind}"),
    "problem.json.other_kind": ("đây là {found}, không phải {kind}",
                                "this is {found}, not {kind}"),
    "kind.results": ("tệp kết quả (RESULTS.json, tạo bằng `evalkit classify --out`)",
                     "a results file (RESULTS.json, made by `evalkit classify --out`)"),
    "kind.organisation": ("tệp tổ chức (ORG.json, tạo bằng `evalkit org`)",
                          "an organisation file (ORG.json, made by `evalkit org`)"),
    "kind.other": ("tài liệu evalkit loại {kind!r}", "an evalkit document of kind {kind!r}"),
    "problem.cannot_read": ("không đọc được tệp: {detail}", "cannot read the file: {detail}"),
    "problem.read_to_end": ("không đọc được tệp đến cuối ({detail})",
                            "the workbook could not be read to the end ({detail})"),
    "problem.no_rules": ("tệp không ghi bộ tiêu chí (trang {sheet!r}); thêm --rules",
                         "the workbook names no rule set (sheet {sheet!r}); pass --rules"),
    "problem.csv_mixed_rules": (
        "tệp CSV có người thuộc các nhóm đánh giá theo các bộ tiêu chí khác nhau ({groups}); "
        "tách tệp theo nhóm hoặc thêm --rules",
        "the CSV has people of staff groups evaluated under different rule sets ({groups}); "
        "split the file by group or pass --rules"),
    "problem.classify_needs_units": (
        "tệp không có trang đơn vị nên chưa xếp loại được (đơn vị được xếp loại trước cá "
        "nhân); thêm --org với tệp tổ chức",
        "the file has no units sheet, so it cannot be classified (units come before "
        "individuals); pass --org with the organisation file"),
    "problem.csv_empty": ("tệp trống: không có dòng tiêu đề (tên các cột)",
                          "the file is empty: it has no header line (the columns' names)"),
    "problem.data_missing": ("tệp dữ liệu không tồn tại", "the data file does not exist"),
    "problem.data_outside_period": (
        "không có dữ liệu nào thuộc kỳ {period} (--period): dữ liệu có các kỳ {found}",
        "no data within {period} (--period): the data hold the periods {found}"),
    "problem.csv_no_set": (
        "không có bộ quy định nào có hiệu lực trong kỳ {period} đối với nhóm {groups} của tệp "
        "CSV; thêm --rules (mã bộ quy định, hoặc tệp quy định của cơ quan)",
        "no rule set is in force in {period} for the staff group {groups} of the CSV file; "
        "pass --rules (a rule set id, or your agency's rule file)"),
    "problem.csv_no_rules": ("tệp CSV không ghi bộ tiêu chí; thêm --rules hoặc --period",
                             "a CSV file names no rule set; pass --rules or --period"),
    "problem.sheet_unread": (
        "trang {sheet!r} có tiêu đề cột của evalkit và có dữ liệu nhưng không được đọc (bản sao "
        "của một trang?): chuyển dữ liệu vào trang gốc rồi xóa trang này",
        "sheet {sheet!r} has evalkit's column headers and data but is not read (a copy of a "
        "sheet?): move its data into the original sheet and delete it"),
    "problem.json_not_input": (
        "tệp .json không phải là tệp nhập điểm của tháng: đưa tệp Excel (.xlsx) hoặc CSV đã "
        "nhập điểm; tệp kết quả (.json) được kiểm tra khi in phiếu (render) hay chốt "
        "(finalize), tệp tổ chức bằng lệnh `evalkit org`",
        "a .json file is not a month's input: give the workbook (.xlsx) or CSV with the "
        "scores; a results file (.json) is checked when it is rendered or finalized, an "
        "organisation file by `evalkit org`"),
    "problem.results_file": (
        "đây là tệp kết quả evalkit đã ghi ({what}) để người đọc, không phải tệp nhập điểm của "
        "tháng: đưa tệp Excel (hoặc CSV) đã nhập điểm; để in phiếu (render) hay chốt "
        "(finalize) kết quả đã xếp loại, ghi kết quả dạng JSON (--out ket-qua.json)",
        "this is a results file evalkit wrote ({what}) for people to read, not a month's "
        "input: give the workbook (or CSV) with the scores; to render or finalize results "
        "already classified, write them as JSON (--out ket-qua.json)"),
    "problem.no_sheet": ("tệp không có trang {sheet!r}{hint}",
                         "the workbook has no sheet {sheet!r}{hint}"),
    "problem.org_file": ("không đọc được tệp tổ chức: {detail}",
                         "cannot read the organisation file: {detail}"),
    "problem.info_format": (
        "tệp có định dạng mà phiên bản evalkit này không đọc được (đọc được: {reads}); hãy "
        "tạo lại tệp bằng lệnh evalkit template của phiên bản này, hoặc nâng cấp evalkit",
        "the workbook's format is not one this version of evalkit reads (it reads {reads}); "
        "make the workbook again with this version's evalkit template, or upgrade evalkit"),
    "problem.info_period": ("kỳ đánh giá của tệp không phải là tháng như 2026-03",
                            "the workbook's period is not a month like 2026-03"),
    "problem.period_mismatch": ("kỳ không khớp: tệp là của kỳ {declared}, cần kỳ {wanted}",
                                "period mismatch: the workbook is for {declared}, expected "
                                "{wanted}"),
    "problem.more": ("còn {n} lỗi nữa chưa liệt kê (giới hạn {limit}); sửa các lỗi trên trước",
                     "{n} more problem(s) not listed (limit {limit}); fix these first"),
    "problem.alike_rows": ("{what} — cùng một lỗi ở {n} dòng: {rows}",
                           "{what} — the same for {n} rows: {rows}"),
    "problem.alike_people": ("{what} — cùng một lỗi của {n} người: {people}",
                             "{what} — the same for {n} people: {people}"),
    "problem.more_rows": ("còn {n} dòng nữa có cùng lỗi chưa liệt kê (liệt kê tối đa {limit} "
                          "dòng mỗi lỗi): {what}",
                          "{n} more row(s) with the same problem not listed (at most {limit} "
                          "of a kind are listed): {what}"),
    # ---- across rows and sheets
    "problem.unknown_unit": ("đơn vị {value!r} không có trong danh sách{hint}",
                             "unknown unit {value!r}{hint}"),
    "problem.unknown_position": ("vị trí việc làm {value!r} không có trong danh sách{hint}",
                                 "unknown position {value!r}{hint}"),
    "problem.staff_not_in_org": ("người được đánh giá {value!r} không có trong tệp tổ chức{hint}",
                                 "staff {value!r} is not in the organisation file{hint}"),
    "problem.unknown_manager": ("người quản lý {value!r} không có ở trang nhân sự{hint}",
                                "manager {value!r} is not on the staff sheet{hint}"),
    "problem.manager_loop": ("những người quản lý lẫn nhau thành vòng: {path}",
                             "managers form a loop: {path}"),
    "problem.own_manager": ("một người không thể là người quản lý trực tiếp của chính mình",
                            "a person cannot be their own direct manager"),
    "problem.task_stranger": ("nhiệm vụ giao cho mã nhân sự không có ở trang nhân sự",
                              "task assigned to a staff id that is not on the score sheet"),
    "problem.duplicate_id": ("trùng mã nhân sự (cũng có ở dòng {other})",
                             "duplicate staff id (also at row {other})"),
    "problem.duplicate_id_file": ("trùng mã nhân sự (cũng có ở tệp {file}, dòng {other})",
                                  "duplicate staff id (also in {file}, row {other})"),
    "problem.same_id": (
        "mã nhân sự {mine} trùng với {theirs} ở dòng {other} (chỉ khác nhau ở {why}): một "
        "người được nhập hai lần",
        "staff id {mine} is the same as {theirs} at row {other} (they differ only by {why}): "
        "one person typed twice"),
    "why.invisible": ("ký tự vô hình", "an invisible character"),
    "why.unicode": ("dạng Unicode của chữ (NFC/NFD)", "the Unicode form of its letters (NFC/NFD)"),
    "why.spaces": ("dấu cách ở hai đầu", "spaces around it"),
    "why.spelling": ("cách viết", "its spelling"),
    "why.pair": ("{first} và {second}", "{first} and {second}"),
    "problem.case_id": (
        "mã nhân sự {value!r} chỉ khác {other!r} ở dòng {row} về chữ hoa/chữ thường: là cùng "
        "một người, hoặc hãy đặt mã khác nhau",
        "staff id {value!r} differs from {other!r} at row {row} only in upper/lower case: the "
        "same person, or make the ids distinct"),
    "problem.no_unit_column": (
        "không có đơn vị: trang nhân sự không có cột đơn vị (Mã đơn vị [unit_id])",
        "no unit: the score sheet has no unit column (Mã đơn vị [unit_id])"),
    "problem.blank_unit": ("đơn vị để trống: mỗi người phải thuộc một đơn vị",
                           "blank unit: every person needs the unit they belong to"),
    "problem.unit_unknown_empty_org": (
        "đơn vị {value!r} không có: tệp tổ chức không có đơn vị nào",
        "unit {value!r} is not known: the organisation file lists no units"),
    "problem.unit_unknown_empty_sheet": (
        "đơn vị {value!r} không có: trang đơn vị {sheet!r} để trống",
        "unit {value!r} is not known: the units sheet {sheet!r} is empty"),
    "problem.head_elsewhere": (
        "người đứng đầu {head!r} của đơn vị {unit!r} lại thuộc đơn vị {theirs!r} ở trang nhân "
        "sự (dòng {row}); người đứng đầu phải thuộc đơn vị mình đứng đầu{org}",
        "head {head!r} of unit {unit!r} is in unit {theirs!r} on the score sheet (row {row}); "
        "a head belongs to the unit they head{org}"),
    "problem.head_elsewhere.org": (" (tệp tổ chức)", " (organisation file)"),
    "problem.unknown_head": ("người đứng đầu {value!r} không có ở trang nhân sự{hint}",
                             "head {value!r} is not on the staff sheet{hint}"),
    "problem.duplicate_unit": ("trùng mã đơn vị", "duplicate unit id"),
    "problem.case_unit": (
        "mã đơn vị chỉ khác một mã khác về chữ hoa/chữ thường (tên tệp bảng tổng hợp sẽ trùng): "
        "hãy đặt mã khác nhau",
        "unit id differs from another only in upper/lower case (their summaries would share a "
        "file name): make the ids distinct"),
    "problem.unknown_parent": ("đơn vị cấp trên không có trong danh sách",
                               "unknown parent unit"),
    # a unit's impossible figure (foreign.unit.*) on the units sheet, where a task count it
    # compares is blank there and counted from the tasks sheet: that count
    "problem.counted_from_tasks": ("{text} (đếm từ trang nhiệm vụ: {counted})",
                                   "{text} (counted from the tasks sheet: {counted})"),
    "problem.org_differs": (
        "{what} {id!r} ở đây là {value}, tệp tổ chức (--org) ghi {theirs}: hai nguồn phải khớp "
        "nhau, evalkit không tự chọn một bên; sửa trang này hoặc tệp tổ chức của tháng",
        "{what} {id!r} is {value} here and {theirs} in the organisation file (--org): the two "
        "must agree, evalkit does not pick one; correct this sheet or the month's "
        "organisation file"),
    "word.org.parent_id": ("đơn vị cấp trên của đơn vị", "the parent unit of unit"),
    "word.org.head_id": ("người đứng đầu của đơn vị", "the head of unit"),
    "word.org.public_service_unit": (
        "đánh dấu đơn vị sự nghiệp công lập (Điều 12 k6 b NĐ 233/2026/NĐ-CP) của đơn vị",
        "the public service unit mark (NĐ 233/2026/NĐ-CP Điều 12 k6 b) of unit"),
    "word.org.unit_id": ("đơn vị của người được đánh giá", "the unit of staff"),
    "word.blank": ("để trống", "blank"),
    "word.person": ("người được đánh giá", "the person evaluated"),
    # one person of a category (docs/glossary.md)
    "word.category.can_bo": ("cán bộ", "official"),
    "word.category.cong_chuc": ("công chức", "civil servant"),
    "word.category.vien_chuc": ("viên chức", "public employee"),
    "word.category.hop_dong": ("người lao động hợp đồng", "contract worker"),
    "problem.units_differ": (
        "đơn vị {unit!r}: {column} ở tệp này là {value}, trang đơn vị của tệp đầu tiên "
        "({first}) ghi {theirs}; các tệp của một tháng xếp loại đơn vị một lần, theo trang đơn vị "
        "của tệp đầu tiên: ghi cho khớp (hoặc để trống ở tệp này)",
        "unit {unit!r}: {column} is {value} in this file and {theirs} on the units sheet of the "
        "first file ({first}); the files of one month classify the units once, from the first "
        "file's units sheet: make them agree (or leave it blank here)"),
    "problem.cycle": ("các đơn vị tạo thành vòng: {path}; một đơn vị không thể là cấp trên của "
                      "chính mình",
                      "units form a cycle: {path}; a unit cannot be above itself"),
    "problem.duplicate_position": ("trùng mã vị trí việc làm", "duplicate position id"),
    "problem.duplicate_signatory": ("đơn vị {value!r} có hai dòng người ký",
                                    "unit {value!r} has two signatory rows"),
    "problem.signatory_unit": ("đơn vị {value!r} không có trong danh sách đơn vị{hint}",
                               "unknown unit {value!r}{hint}"),
    "problem.signatory_staff": ("mã nhân sự {value!r} không có ở trang nhân sự{hint}",
                                "staff id {value!r} is not on the staff sheet{hint}"),
    "problem.engine": ("{text}", "{text}"),
    "problem.org_file_not_given": (
        "chưa có tệp {what} ({argument}=…): tổ chức cần đủ ba tệp đơn vị, vị trí việc làm và "
        "nhân sự",
        "no {what} file given ({argument}=…): an organisation needs its units, positions and "
        "staff files"),
    "problem.org_missing_sheet": ("tệp không có trang {sheet!r}",
                                  "the workbook has no sheet {sheet!r}"),
    "problem.no_one_sheet": (
        "trang {sheet!r} không có người nào: nhập mỗi người một dòng, từ dòng 2 (dưới dòng "
        "tiêu đề)",
        "the sheet {sheet!r} has no one in it: type one person per row, from row 2 (below "
        "the header)"),
    "problem.no_one_csv": (
        "tệp không có người nào: mỗi người một dòng, từ dòng 2 (dưới dòng tiêu đề)",
        "the file has no one in it: one person per line, from line 2 (below the header)"),
    "problem.org_empty_file": ("tệp không có dòng nào (chỉ có dòng tiêu đề)",
                               "the file has no rows (only its header line)"),
    "problem.org_empty_sheet": ("trang {sheet!r} không có dòng nào (chỉ có dòng tiêu đề)",
                                "the sheet {sheet!r} is empty (only its header row)"),
    "problem.org_blank_name": ("tên để trống", "blank name"),
    "problem.org_no_position": ("vị trí việc làm để trống", "blank position"),
    "problem.org": ("{text}", "{text}"),
    # ---- the engine's sentences, translated when shown (see translate())
    "foreign.score_over": (
        "điểm {value} của {column} vượt mức tối đa {maximum} ({rest})",
        "score {value} for {column} exceeds its maximum {maximum} ({rest})"),
    "foreign.criterion_over": (
        "điểm {value} của tiêu chí {column} vượt mức tối đa {maximum} ({rest})",
        "criterion {column} score {value} exceeds its maximum {maximum} ({rest})"),
    "foreign.score_above_other": (
        "điểm {value} của {column} lớn hơn {other} ({bound})",
        "score {value} for {column} is above {other} ({bound})"),
    "foreign.criterion_above_other": (
        "điểm {value} của tiêu chí {column} lớn hơn {other} ({bound}) ({rest})",
        "criterion {column} score {value} is above {other} ({bound}) ({rest})"),
    "foreign.no_score": ("tiêu chí {column} chưa có điểm", "criterion {column} has no score"),
    "foreign.no_score_who": ("tiêu chí {column} chưa có điểm ({rest})",
                             "criterion {column} has no score ({rest})"),
    "foreign.no_score_head": ("tiêu chí {column} chưa có điểm; " + _HEAD_POST_VI,
                              "criterion {column} has no score; " + _HEAD_POST_EN),
    "foreign.head_post": (_HEAD_POST_VI, _HEAD_POST_EN),
    # a cap's mark for leaders (or heads) typed for someone who is neither: every door
    "foreign.flag_leaders_only": (
        "{column} được đánh dấu cho người không giữ chức vụ lãnh đạo, quản lý: quy định này "
        "chỉ áp dụng với người có chức trách quản lý ({source}); đánh dấu manages_others nếu "
        "người đó giữ chức vụ quản lý, nếu không thì để trống",
        "{column} is marked for a person who holds no management post: it applies only to "
        "staff with management duty ({source}); mark manages_others if the person holds "
        "one, else leave it blank"),
    "foreign.not_a_number": ("không phải là số", "is not a number"),
    # the other words of the one number reader (evalkit._words, evalkit._columns.numbers)
    # where a frame's problems reach the command line (a results JSON, the unit results)
    "foreign.not_finite": ("không phải là một số hữu hạn", "is not a finite number"),
    "foreign.yes_no_not_number": ("là giá trị có/không, không phải số",
                                  "is a yes/no value, not a number"),
    "foreign.date_not_number": ("là ngày, không phải số", "is a date, not a number"),
    "foreign.duration_not_number": ("là khoảng thời gian, không phải số",
                                    "is a duration, not a number"),
    "foreign.ambiguous_separators": (
        "không phải là số: ghi không có dấu phân cách hàng nghìn, với một dấu ',' hoặc '.' "
        "trước phần thập phân (90,5 hoặc 90.5)",
        "is not a number: write it without thousands separators, with one ',' or '.' before "
        "the decimals (90,5 or 90.5)"),
    "foreign.thousands": (
        "không phải là số: một dấu ',' hoặc '.' trước đúng ba chữ số có thể phân cách hàng "
        "nghìn (1.000 là một nghìn theo cách ghi Việt Nam) hoặc phần thập phân (là một theo "
        "cách ghi tiếng Anh); hãy ghi 1000 hoặc 1",
        "is not a number: one ',' or '.' before exactly three digits may separate thousands "
        "(1.000 is one thousand in vi-VN) or decimals (one in English); write 1000 or 1"),
    "foreign.negative": ("là số âm", "is negative"),
    "foreign.not_whole": ("không phải là số nguyên", "is not a whole number"),
    "foreign.below_minimum": ("nhỏ hơn mức tối thiểu {minimum}", "is below its minimum {minimum}"),
    "foreign.over_maximum": ("vượt mức tối đa {maximum}", "exceeds its maximum {maximum}"),
    # evalkit._words.PERCENT_FRACTION: the workbook's problem.percent_fraction, every door
    "foreign.percent_fraction": (
        "giá trị {value} nằm giữa 0 và 1: nếu là {percent}% hãy ghi {percent}",
        "the value {value} is between 0 and 1: if it means {percent}%, write {percent}"),
    # a period (a month, or a quarter: ``period_kind``, rules.period.*) marked on leave that
    # carries scores (evalkit._columns.leave_scored; evalkit.model.LEAVE_SCORED): every door
    "foreign.leave_scored": (
        "{period_kind} nghỉ theo quy định ({leave}) nhưng có điểm: để trống các ô điểm của "
        "{period_kind} nghỉ, hoặc xóa ô nghỉ nếu người đó có làm việc",
        "a {period_kind} on leave ({leave}) carries scores: leave its scores blank, or clear "
        "the leave if the person worked"),
    "foreign.leave_scored_who": (
        "{period_kind} nghỉ theo quy định ({leave}) nhưng có điểm ({rest}): để trống các ô "
        "điểm của {period_kind} nghỉ, hoặc xóa ô nghỉ nếu người đó có làm việc",
        "a {period_kind} on leave ({leave}) carries scores ({rest}): leave its scores blank, "
        "or clear the leave if the person worked"),
    # an evaluating body its rule set does not declare (evalkit._classify.units.unit_inputs):
    # every door; with the close ids (evalkit._columns.did_you_mean) first
    "foreign.unit.body_undeclared_hint": (
        "chủ thể đánh giá {body} không có trong bộ tiêu chí {rules} (các chủ thể đánh giá "
        "của bộ tiêu chí: {declared}){hint}",
        "evaluating body {body} is not declared by rule set {rules} (declared: {declared}){hint}"),
    "foreign.unit.body_undeclared": (
        "chủ thể đánh giá {body} không có trong bộ tiêu chí {rules} (các chủ thể đánh giá "
        "của bộ tiêu chí: {declared})",
        "evaluating body {body} is not declared by rule set {rules} (declared: {declared})"),
    # a unit's impossible figures (evalkit._columns.unit_value_rules): every door (the units
    # sheet, a units frame, the year's unit results, UnitInputs); a frame's adds the period
    # (foreign.unit.in_period), an object's its unit; a negative one is said as amend's
    "foreign.unit.over_hundred": ("{column} vượt quá 100", "{column} exceeds 100"),
    "foreign.unit.not_whole": ("{column} là số đếm, phải là số nguyên",
                               "{column} is a count and must be a whole number"),
    "foreign.unit.over_assigned": ("{column} lớn hơn số nhiệm vụ được giao",
                                   "{column} exceeds the tasks assigned"),
    "foreign.unit.over_done": ("{column} lớn hơn số nhiệm vụ đã hoàn thành",
                               "{column} exceeds the tasks done"),
    "foreign.unit.score_twice": ("chỉ ghi council_score hoặc tên cũ của nó là score, không ghi cả hai",
                                 "give council_score or its old name score, not both"),
    # a unit's problem in a period (the month's units frame): the problem's words, then the period
    "foreign.unit.in_period": ("{text} ({period})", "{text} ({period})"),
    # a unit's figure beyond any unit's (evalkit._columns.unit_value_rules): every door
    "foreign.unit.too_large": (
        "{column} quá lớn: không số liệu nào của đơn vị vượt quá 10^15",
        "{column} is too large: no figure of a unit exceeds 10^15"),
    # a unit flag its rule set does not read (evalkit._classify.units.flag_problems): every door
    "foreign.unit.flag_unread": (
        "đơn vị {unit} được đánh dấu {flag} ({period}) nhưng bộ tiêu chí {rules} không xét "
        "điều kiện này: đơn vị sẽ được xếp loại như khi để trống; bỏ dấu, hoặc xếp loại đơn "
        "vị theo bộ tiêu chí có xét điều kiện này ({readers})",
        "unit {unit} has {flag} set ({period}), which rule set {rules} does not read: the "
        "unit would be classified as if it were blank; clear it, or classify the unit under a "
        "rule set that reads it ({readers})"),
    # an Assessment's competent order and months worked (evalkit.model.Assessment)
    "foreign.competent_order": (
        "thứ tự ưu tiên của cấp có thẩm quyền (competent_order) {order} ({rest}) phải là số "
        "nguyên từ 1 (1, 2, 3 ...)",
        "competent_order {order} ({rest}) must be a whole number from 1 (1, 2, 3 ...)"),
    "foreign.months_worked": (
        "số tháng làm việc trong kỳ (months_worked) {months} ({rest}) phải là số tháng từ 0 "
        "đến {most}",
        "months_worked {months} ({rest}) must be a number of months from 0 to {most}"),
    "foreign.carried_before_set": (
        "bộ quy định {rules} đánh giá theo quý từ ngày {start}: trong năm, trước quý {period} "
        "không có quý nào được đánh giá theo bộ quy định này nên không có tháng nào chuyển "
        "sang; số tháng chuyển sang tối đa {most} (CV 21169/CHQ-TCCB)",
        "{rules} evaluates quarters from {start}: no quarter of the year before {period} was "
        "evaluated under it, so none carried months on; at most {most} months are carried in "
        "(CV 21169/CHQ-TCCB)"),
    "foreign.carried_not_quarter": (
        "chỉ dòng của một quý, theo bộ quy định đánh giá theo quý, mới ghi số tháng của quý "
        "trước chuyển sang (carried_months; CV 21169/CHQ-TCCB)",
        "carried_months is for a quarter's row under a rule set that scores quarters "
        "(the months of a short quarter carried to the next: CV 21169/CHQ-TCCB)"),
    "foreign.management_cycle": ("những người quản lý lẫn nhau thành vòng: {path}",
                                 "staff form a management cycle: {path}"),
    "foreign.own_manager": ("{who} không thể là người quản lý trực tiếp của chính mình",
                            "staff {who} cannot be their own manager"),
    "foreign.not_a_count": ("không phải là số đếm (0, 1, 2 ...)", "is not a count (0, 1, 2 ...)"),
    "foreign.not_a_date": ("không phải là ngày", "is not a date"),
    "foreign.far_date": ("là ngày ngoài các năm {first} đến {last} (nhập nhầm?)",
                         "is a date outside the years {first} to {last} (a typing mistake?)"),
    "foreign.blank_date": ("ngày bắt buộc để trống", "blank required date"),
    "foreign.due_before": ("hạn hoàn thành trước ngày giao", "due date is before the assigned date"),
    "foreign.done_before": ("ngày hoàn thành trước ngày giao",
                            "done date is before the assigned date"),
    "foreign.blank_assignee": ("người được giao để trống", "blank assignee"),
    "foreign.missing_column": ("thiếu cột bắt buộc", "required column is missing"),
    "foreign.quote_open": (
        "dòng {line}: dấu ngoặc kép (\") mở một ô ở đây và không bao giờ đóng: dòng {line} đến "
        "{end} (cuối tệp) sẽ bị đọc thành một ô; xóa dấu ngoặc thừa hoặc đóng nó",
        "line {line}: a quote (\") opens a cell here and is never closed: lines {line} to "
        "{end} (the end of the file) would be read as one cell; remove the stray quote or "
        "close it"),
    "foreign.quote_mid": (
        "dòng {line}: dấu ngoặc kép (\") mở một ô ở đây và đóng giữa một ô ở dòng {end}: dòng "
        "{line} đến {end} sẽ bị đọc thành một ô; xóa dấu ngoặc thừa hoặc đóng nó",
        "line {line}: a quote (\") opens a cell here and closes in the middle of a cell on "
        "line {end}: lines {line} to {end} would be read as one cell; remove the stray quote "
        "or close it"),
    "foreign.quote_after": (
        "dòng {line}: sau một ô trong ngoặc kép còn chữ trước dấu phẩy tiếp theo ({detail}); "
        "dấu ngoặc kép chỉ được mở hoặc đóng cả một ô",
        "line {line}: a quoted cell is followed by more text before the next comma "
        "({detail}); a quote may only open or close a whole cell"),
    "foreign.quote_record": (
        "dòng {line}: dấu ngoặc kép (\") mở một ô ở đây (trường {field}) và kéo đến dòng "
        "{end}: {n} dòng bị đọc thành một bản ghi; xóa dấu ngoặc thừa hoặc đóng nó",
        "line {line}: a quote (\") opens a cell here (field {field}) and runs to line {end}: "
        "{n} lines were read as one record; remove the stray quote or close it"),
    "foreign.short_record": (
        "dòng {line}: có {n} trường trong khi tiêu đề có {width}: thiếu một trường (mất dấu "
        "phẩy, hoặc tệp bị cắt), các giá trị sẽ rơi vào sai cột; dòng này không được đọc",
        "line {line}: {n} fields where the header has {width}: a field is missing (a lost "
        "comma, or the file cut short), so the values would fall under the wrong columns; "
        "nothing on this line was read"),
    "foreign.results.not_object": ("{what}: bản ghi {i} không phải là một đối tượng",
                                   "{what}: record {i} is not an object"),
    "foreign.results.bad_value": (
        "{what}: bản ghi {i}: giá trị phải là số, chữ, đúng/sai hoặc để trống (null)",
        "{what}: record {i}: a value must be a number, text, true/false or null"),
    # a task id typed on two rows of a task table (the workbook's tasks sheet, a CSV, a frame)
    "foreign.tasks.id_again": ("mã nhiệm vụ {value!r} đã có ở dòng {first}: mỗi nhiệm vụ ghi "
                               "một dòng",
                               "the task id {value!r} is on row {first} already: one row per "
                               "task"),
    "foreign.results.blank_id": ("bản ghi {i}: mã nhân sự (staff_id) để trống",
                                 "record {i}: staff_id is blank"),
    "foreign.results.again": ("bản ghi {i}: người được đánh giá {sid} xuất hiện lần nữa (lần đầu "
                              "ở bản ghi "
                              "{first})",
                              "record {i}: staff {sid} appears again (first at record {first})"),
    "foreign.results.list": ("{what} phải là một danh sách các đối tượng",
                             "{what} must be a list of objects"),
    "foreign.results.columns": ("'columns' phải là một danh sách tên cột",
                                "'columns' must be a list of names"),
    "foreign.results.texts": ("{key} phải là một đối tượng gồm các giá trị chữ",
                              "{key} must be an object of texts"),
    "foreign.results.kind": ("không phải là tệp kết quả (trường kind phải là 'results')",
                             "not a results document"),
    "foreign.results.cannot_read": ("không đọc được tệp kết quả: {text}",
                                    "cannot read results: {text}"),
    "foreign.json.schema": (
        "định dạng {schema} không được phiên bản evalkit này hỗ trợ (đọc được {reads}); hãy "
        "nâng cấp evalkit",
        "schema {schema} is not supported by this evalkit (reads {reads})"),
    "foreign.json.unknown_schema": ("không phải định dạng tệp của evalkit (trường schema)",
                                    "unknown schema"),
    "foreign.json.not_document": (
        "không phải là tệp JSON của evalkit (cần các khóa 'schema', 'kind', 'data')",
        "not an evalkit JSON document (expected keys 'schema', 'kind', 'data')"),
    "foreign.json.unknown_kind": ("loại tài liệu {kind} không có; các loại đã biết: {known}",
                                  "unknown document kind {kind}; known: {known}"),
    # ---- evalkit.scoring: a frame row that names no rule set
    "foreign.no_set.no_period": ("không có bộ quy định: dòng có nhóm đối tượng nhưng không có kỳ",
                                 "no rule set: the row has a category but no period"),
    "foreign.no_set.no_period_only": (
        "không có bộ quy định: dòng không ghi bộ quy định, cũng không ghi kỳ",
        "no rule set: the row has neither a rule set nor a period"),
    "foreign.no_set.no_category": (
        "không có bộ quy định: dòng không ghi bộ quy định, cũng không ghi nhóm đối tượng",
        "no rule set: the row has neither a rule set nor a category"),
    "foreign.no_set.nothing": (
        "không có bộ quy định: dòng không ghi bộ quy định, cũng không ghi nhóm đối tượng và kỳ",
        "no rule set: the row has neither a rule set nor a category and a period"),
    # ---- evalkit.impact (rules diff): its problems and notes
    "foreign.impact.no_archive": ("tệp lưu trữ không tồn tại", "the archive does not exist"),
    "foreign.impact.archive_empty": ("tệp lưu trữ chưa có tháng nào được chốt",
                                     "the archive has no finalized month"),
    "foreign.impact.needs": (
        "bộ quy định {rules} ({label}) cần tiêu chí {cid} ({name}) nhưng dữ liệu không có",
        "rule set {rules} ({label}) needs criterion {cid} ({name}), which the data do not "
        "have"),
    "foreign.impact.needs_source": (
        "bộ quy định {rules} ({label}) cần tiêu chí {cid} ({name}) nhưng dữ liệu không có; "
        "cột {src} ghi ở --fill để lấy điểm cũng không có trong dữ liệu",
        "rule set {rules} ({label}) needs criterion {cid} ({name}), which the data do not "
        "have; its fill source {src} is not in the data"),
    "foreign.impact.needs_fill": (
        "bộ quy định {rules} ({label}) cần tiêu chí {cid} ({name}) nhưng dữ liệu không có; "
        "để lấy điểm từ {alt}, thêm --fill {bare}={bare_alt} (trong Python: "
        "`fill={{{cid}: {alt}}}`)",
        "rule set {rules} ({label}) needs criterion {cid} ({name}), which the data do not "
        "have; to take it from {alt}, pass fill={{{cid}: {alt}}} (command line: --fill "
        "{bare}={bare_alt})"),
    "foreign.impact.demo": (
        "dữ liệu mẫu: công chức của cơ quan mẫu đi kèm evalkit, chấm theo cả hai bộ quy "
        "định, bất kể nhóm đối tượng",
        "demo: công chức of the bundled demo agency, scored under both sets regardless of "
        "category"),
    "foreign.impact.archive": (
        "tệp lưu trữ {name}: các tháng đã chốt {months}; đơn vị lấy điểm đã lưu trữ (số nhiệm "
        "vụ của đơn vị không được lưu trữ)",
        "archive {name}: finalized months {months}; units carry their archived score (their "
        "task counts are not archived)"),
    "foreign.impact.workbook": ("sổ tính {name}", "workbook {name}"),
    "foreign.json.cannot_read_file": ("không đọc được tệp: {text}", "cannot read: {text}"),
    # a yes/no mark no door reads (frames, Assessment, the workbook, the tasks, amend)
    "foreign.yes_no_value": (
        "không phải là giá trị có/không: ghi x, có, yes, true hoặc 1 cho có; để trống hoặc ghi "
        "không, no, false hoặc 0 cho không",
        "is not a yes/no value: write x, có, yes, true or 1 for yes; leave blank or write "
        "không, no, false or 0 for no"),
    "foreign.not_allowed": ("tiêu chí {column} phải là một trong các giá trị {values} (theo bộ "
                            "quy định)",
                            "criterion {column} must be one of {values} (the rule set's values)"),
    # ---- a rule file's most common problems (evalkit.rules._schema)
    "foreign.rules.missing_key": ("thiếu khóa bắt buộc {key}", "missing required key {key}"),
    "foreign.rules.unknown_key_hint": (
        "khóa {key} không có trong định dạng tệp quy định; có phải là {close}?",
        "unknown key {key} — did you mean {close}?"),
    "foreign.rules.unknown_key": ("khóa {key} không có trong định dạng tệp quy định",
                                  "unknown key {key}"),
    "foreign.rules.expected": ("cần {expected}, nhưng tệp ghi {got}",
                               "expected {expected}, got {got}"),
    "foreign.rules.toml_at": (
        "tệp TOML không hợp lệ: lỗi cú pháp ở dòng {line}, cột {column} ({detail}){source}",
        "invalid TOML: {detail} (at line {line}, column {column}){source}"),
    "foreign.rules.toml": ("tệp TOML không hợp lệ ({detail})", "invalid TOML: {detail}"),
    # ---- more of a rule file's problems (evalkit.rules._schema)
    "foreign.rules.empty": (
        "`{what}` không được để trống",
        "{what} must not be empty"),
    "foreign.rules.before_start": (
        "`effective_to` {end} trước `effective_from` {start}",
        "effective_to {end} is before effective_from {start}"),
    "foreign.rules.ends_before": (
        "nhóm đối tượng `{key}` hết hiệu lực ngày {day}, trước `effective_from` {start}",
        "{key} ends {day}, before effective_from {start}"),
    "foreign.rules.no_category": (
        "`categories` phải nêu ít nhất một nhóm đối tượng",
        "categories must name at least one staff category"),
    "foreign.rules.no_block": (
        "bộ quy định cần ít nhất một khối điểm (`blocks`)",
        "a rule set needs at least one score block"),
    "foreign.rules.block_sum": (
        "tổng điểm các khối là {sum}, còn tổng điểm của bộ quy định là {total}",
        "block points sum to {sum}, the rule set's total is {total}"),
    "foreign.rules.block_points": (
        "khối điểm {block} cần số điểm lớn hơn 0",
        "block {block} needs positive points"),
    "foreign.rules.period": (
        "`period` phải là 'month' hoặc 'quarter', tệp ghi {value}",
        "period must be 'month' or 'quarter', not {value}"),
    "foreign.rules.classified": (
        "`classified` phải nêu ít nhất một kỳ xếp loại (`month`, `quarter` hoặc `year`)",
        "classified must name at least one period the set classifies (month, quarter or year)"),
    "foreign.rules.group_empty": (
        "nhóm tiêu chí {group} cần ít nhất một tiêu chí",
        "group {group} needs at least one criterion"),
    "foreign.rules.group_sum": (
        "tổng điểm tối đa các tiêu chí của nhóm {group} là {sum}, còn điểm tối đa của nhóm là {max}",
        "criterion maxima of group {group} sum to {sum}, the group's max is {max}"),
    "foreign.rules.criterion_of_set_hint": (
        "tiêu chí {value} không có trong bộ quy định {rules}; có phải là {close}?",
        "unknown criterion {value} for rule set {rules}; did you mean {close}?"),
    "foreign.rules.criterion_of_set": (
        "tiêu chí {value} không có trong bộ quy định {rules}",
        "unknown criterion {value} for rule set {rules}"),
    "foreign.rules.criterion_hint": (
        "tiêu chí {value} không có; có phải là {close}?",
        "unknown criterion {value} — did you mean {close}?"),
    "foreign.rules.criterion": (
        "tiêu chí {value} không có",
        "unknown criterion {value}"),
    "foreign.rules.flag_hint": (
        "dấu hiệu (flag) {value} không có; có phải là {close}?",
        "unknown flag {value} — did you mean {close}?"),
    "foreign.rules.flag": (
        "dấu hiệu (flag) {value} không có",
        "unknown flag {value}"),
    "foreign.rules.block_hint": (
        "loại khối {value} không có; có phải là {close}?",
        "unknown block {value} — did you mean {close}?"),
    "foreign.rules.block": (
        "loại khối {value} không có",
        "unknown block {value}"),
    "foreign.rules.adjustment_hint": (
        "loại điều chỉnh {value} không có; có phải là {close}?",
        "unknown adjustment {value} — did you mean {close}?"),
    "foreign.rules.adjustment": (
        "loại điều chỉnh {value} không có",
        "unknown adjustment {value}"),
    "foreign.rules.group_hint": (
        "nhóm {value} không có; có phải là {close}?",
        "unknown group {value} — did you mean {close}?"),
    "foreign.rules.group": (
        "nhóm {value} không có",
        "unknown group {value}"),
    "foreign.rules.section_hint": (
        "phần {value} không có trong nhóm {group}; có phải là {close}?",
        "unknown section {value} of group {group} — did you mean {close}?"),
    "foreign.rules.section": (
        "phần {value} không có trong nhóm {group}",
        "unknown section {value} of group {group}"),
    "foreign.rules.category_known": (
        "nhóm đối tượng {value} không có; các nhóm là {known}",
        "unknown staff category {value}; expected one of {known}"),
    "foreign.rules.category": (
        "nhóm đối tượng {value} không có",
        "unknown staff category {value}"),
    "foreign.rules.period_kind_hint": (
        "loại kỳ {value} không có; các loại là {kinds}; có phải là {close}?",
        "unknown period kind {value}; expected {kinds} — did you mean {close}?"),
    "foreign.rules.period_kind": (
        "loại kỳ {value} không có; các loại là {kinds}",
        "unknown period kind {value}; expected {kinds}"),
    "foreign.rules.status_hint": (
        "mức tin cậy {value} không có; các mức là {known}; có phải là {close}?",
        "unknown status {value}; expected one of {known} — did you mean {close}?"),
    "foreign.rules.status": (
        "mức tin cậy {value} không có; các mức là {known}",
        "unknown status {value}; expected one of {known}"),
    "foreign.rules.no_citation": (
        "mức tin cậy {status} là của một trích dẫn, nhưng quy tắc không trích dẫn văn bản nào"
        " (`source` trống): ghi điều, khoản của văn bản, hoặc đặt `status = \"practice\"`"
        " cho quy tắc không có văn bản",
        "status {status} vouches for a citation, but the rule cites nothing (`source` is"
        " empty): give the document's article and clause, or set `status = \"practice\"`"
        " for a rule with no legal text"),
    "foreign.rules.no_citation_no_status": (
        "quy tắc không trích dẫn văn bản nào (`source` trống) và không nói vì sao (không có"
        " `status`): ghi điều, khoản của văn bản, hoặc đặt `status = \"practice\"` (không có"
        " văn bản) hay `status = \"unsourced\"` (chưa tìm thấy nguồn)",
        "the rule cites nothing (`source` is empty) and says not why (no `status`): give the"
        " document's article and clause, or set `status = \"practice\"` (no legal text) or"
        " `status = \"unsourced\"` (no source found)"),
    "foreign.rules.duplicate": (
        "trùng mã {what} {value}",
        "duplicate {what} id {value}"),
    "foreign.rules.at_least": (
        "`at_least` phải là số nguyên ≥ 1 (dấu hiệu bằng 0 nghĩa là không có), tệp ghi {value}",
        "at_least must be a whole number ≥ 1 (a flag of 0 means 'not set'), not {value}"),
    "foreign.rules.at_least_flag": (
        "`{flag}` là dấu có/không: `at_least` phải là 1, tệp ghi {value}",
        "{flag} is true or false: at_least must be 1, not {value}"),
    "foreign.rules.at_least_level": (
        "`{flag}` là mức kỷ luật từ 1 (khiển trách) đến 5 (buộc thôi việc): `at_least` tối đa là 5, tệp ghi {value}",
        "{flag} is a discipline level from 1 (reprimand) to 5 (dismissal): at_least must be at most 5, not {value}"),
    "foreign.rules.applies_to_hint": (
        "`applies_to` phải là một trong {choices}, tệp ghi {value}; có phải là {close}?",
        "applies_to must be one of {choices}, not {value} — did you mean {close}?"),
    "foreign.rules.applies_to": (
        "`applies_to` phải là một trong {choices}, tệp ghi {value}",
        "applies_to must be one of {choices}, not {value}"),
    "foreign.rules.heads_only": (
        "`heads_only = true` mâu thuẫn với `applies_to`",
        "heads_only = true contradicts applies_to"),
    "foreign.rules.unit_hint": (
        "`unit` phải là `points`, `percent` hoặc `count`, tệp ghi {value}; có phải là {close}?",
        "unit must be points, percent or count, not {value} — did you mean {close}?"),
    "foreign.rules.unit": (
        "`unit` phải là `points`, `percent` hoặc `count`, tệp ghi {value}",
        "unit must be points, percent or count, not {value}"),
    "foreign.rules.scored_in": (
        "tiêu chí {criterion} tính bằng `{unit}`, không phải `{other}`",
        "criterion {criterion} is scored in {unit}, not {other}"),
    "foreign.rules.score_rounding": (
        "`rounding` phải là `half_up` hoặc `truncate`, tệp ghi {value}",
        "rounding must be half_up or truncate, not {value}"),
    "foreign.rules.quota_rounding": (
        "`rounding` phải là `floor`, `half_up` hoặc `ceil`, tệp ghi {value}",
        "rounding must be floor, half_up or ceil, not {value}"),
    "foreign.rules.quota_kht": (
        "tỷ lệ giới hạn một mức trên KHT (HTXS, HTT hoặc HT), không giới hạn KHT",
        "the quota limits a grade above KHT (HTXS, HTT or HT), not KHT"),
    "foreign.rules.bool": (
        "cần đúng/sai (true/false)",
        "expected true or false"),
    "foreign.rules.schema_version": (
        "`schema_version` {value} không được hỗ trợ; cần 1",
        "unsupported schema_version {value}; expected 1"),
    "foreign.rules.jurisdiction": (
        "`jurisdiction` phải là các tên nối bằng dấu chấm, chung nhất trước (vn, vn.hanoi), tệp ghi {value}",
        "jurisdiction must be dotted names, most general first (vn, vn.hanoi), not {value}"),
    # ---- a rule set's bands, grades and dates (evalkit.rules: check_bands, the registry)
    "foreign.rules.band_gap": ("các khoảng điểm để hở từ {low} đến {high}: {below} và {above}",
                               "bands leave a gap between {low} and {high}: {below} and {above}"),
    "foreign.rules.band_overlap": ("các khoảng điểm chồng lên nhau: {below} và {above}",
                                   "bands overlap: {below} and {above}"),
    "foreign.rules.band_low": ("các khoảng điểm không phủ [0, {low})",
                               "bands do not cover [0, {low})"),
    "foreign.rules.band_high": ("các khoảng điểm không phủ ({high}, {total}]",
                                "bands do not cover ({high}, {total}]"),
    "foreign.rules.band_twice": ("mức {grade} có hơn một khoảng điểm: {first} và {second}",
                                 "grade {grade} has more than one band: {first} and {second}"),
    "foreign.rules.band_order": ("khoảng điểm {upper} cao hơn khoảng điểm {lower} nhưng là mức "
                                 "thấp hơn",
                                 "band {upper} is above band {lower} but is a lower grade"),
    "foreign.rules.no_bands": ("bộ quy định cần có các khoảng điểm xếp loại (`bands`)",
                               "a rule set needs bands"),
    "foreign.rules.band_range": ("khoảng điểm của mức {grade}: `max` {high} phải lớn hơn `min` {low}",
                                 "band {grade} max {high} is not above min {low}"),
    "foreign.rules.grade": ("mức {value} không có; các mức là HTXS, HTT, HT hoặc KHT",
                            "unknown grade {value}; expected HTXS, HTT, HT or KHT"),
    "foreign.rules.quota_percent": ("tỷ lệ phải trong khoảng 0 đến 100, tệp ghi {pct}",
                                    "quota percent must be within 0 to 100, not {pct}"),
    "foreign.rules.dates_overlap": (
        "thời gian hiệu lực chồng lên nhau đối với {cat} ở {jur}: {first} [{start}, {end}] "
        "và {second} từ {second_start}",
        "effective ranges overlap for {cat} in {jur}: {first} [{start}, {end}] and {second} "
        "from {second_start}"),
    "foreign.rules.dates_gap": (
        "thời gian hiệu lực để hở đối với {cat} ở {jur}: {first} hết hiệu lực ngày {first_end}, "
        "{second} bắt đầu ngày {second_start}",
        "effective ranges leave a gap for {cat} in {jur}: {first} ends {first_end}, {second} "
        "starts {second_start}"),
    # ---- every other problem of a rule file (evalkit.rules._schema, evalkit.rules._registry)
    "foreign.rules.toml_line": (
        "tệp TOML không hợp lệ: lỗi cú pháp ở dòng {line}, cột {column} ({detail})",
        "invalid TOML: {detail} (at line {line}, column {column})"),
    "foreign.rules.toml_end": (
        "tệp TOML không hợp lệ: lỗi cú pháp ở cuối tệp, dòng {line} ({detail})",
        "invalid TOML: {detail} (at the end of the document, line {line})"),
    "foreign.rules.toml_unreadable": ("không đọc được nội dung TOML: {kind}: {detail}",
                                      "the TOML cannot be read: {kind}: {detail}"),
    "foreign.rules.too_large": ("tệp quy định lớn hơn {mb} MB",
                                "rule file is larger than {mb} MB"),
    "foreign.rules.not_utf8": ("tệp quy định không phải văn bản UTF-8 (dòng {line})",
                               "rule file is not UTF-8 text (line {line})"),
    "foreign.rules.cannot_read": ("không đọc được tệp quy định: {why}",
                                  "cannot read rule file: {why}"),
    "foreign.rules.nested_at": (
        "mảng và bảng nội dòng lồng nhau sâu quá {depth} cấp ở dòng {line}",
        "arrays and inline tables are nested deeper than {depth} levels at line {line}"),
    "foreign.rules.nested": ("bảng và mảng lồng nhau sâu quá {depth} cấp",
                             "tables and arrays are nested deeper than {depth} levels"),
    "foreign.rules.long_number": (
        "một số có {digits} chữ số ở dòng {line}: số trong tệp quy định có tối đa {limit} chữ số",
        "a number of {digits} digits at line {line}: numbers in a rule file have at most "
        "{limit} digits"),
    "foreign.rules.not_a_table": ("bộ quy định phải là một bảng các khóa, tệp ghi {value}",
                                  "a rule set is a table of keys, not {value}"),
    "foreign.rules.extends_id": (
        "`extends` phải là mã của một bộ quy định đã đăng ký, tệp ghi {value}",
        "extends must name a registered rule set id, not {value}"),
    "foreign.rules.extends_own_id": (
        "tệp quy định kế thừa (`extends`) một bộ khác phải có mã (`id`) riêng",
        "a rule file that extends another set needs its own id"),
    "foreign.rules.extends_same_id": (
        "mã (`id`) phải khác mã của bộ quy định được kế thừa ({value})",
        "the id must differ from the set it extends ({value})"),
    "foreign.rules.extends_no_file": (
        "bộ quy định {rules} được đăng ký không kèm tệp, nên không tệp quy định nào kế thừa "
        "được bộ này",
        "rule set {rules} was registered without its file, so no rule file can extend it"),
    "foreign.rules.extends": ("`extends`: {text}", "extends: {text}"),
    "foreign.rules.registered": (
        "bộ quy định có mã {rules} đã được đăng ký với nội dung khác: đặt cho bộ này mã riêng,"
        " hoặc truyền replace=True để thay bộ đã đăng ký",
        "a rule set with id {rules} is already registered with other content: give this one"
        " its own id, or pass replace=True to replace the registered one"),
    "foreign.rules.bad_id": (
        "`{what}` {value} không được bắt đầu hay kết thúc bằng dấu cách, không được chứa ký tự "
        "điều khiển hay dấu ';'",
        "{what} {value} must not start or end with spaces or hold control characters or ';'"),
    "foreign.rules.bad_position": (
        "mã vị trí việc làm {value} không được để trống, không được chứa ký tự điều khiển hay "
        "dấu ';'",
        "position id {value} must not be empty or hold control characters or ';'"),
    "foreign.rules.not_category_of": (
        "{cat} không thuộc các nhóm đối tượng của bộ quy định ({cats})",
        "{cat} is not one of the set's categories ({cats})"),
    "foreign.rules.not_category": (
        "{cat} không thuộc các nhóm đối tượng của bộ quy định",
        "{cat} is not one of the set's categories"),
    "foreign.rules.category_expected": (
        "nhóm đối tượng {value} không có; các nhóm là {known}",
        "unknown staff category {value}; expected {known}"),
    "foreign.rules.scope_no_category": (
        "`{key}` phải nêu ít nhất một nhóm đối tượng (bỏ khóa này nếu quy định áp dụng cho "
        "mọi nhóm đối tượng của bộ)",
        "{key} must name at least one staff category (leave the key out for every category "
        "of the set)"),
    "foreign.rules.from_after_set": (
        "`{k_from}` {start} sau ngày hết hiệu lực `effective_to` {end} của bộ quy định: quy "
        "định này sẽ không bao giờ được áp dụng",
        "{k_from} {start} is after the set's effective_to {end}: the rule would never apply"),
    "foreign.rules.until_before_set": (
        "`{k_until}` {until} trước ngày có hiệu lực `effective_from` {start} của bộ quy định: "
        "quy định này sẽ không bao giờ được áp dụng",
        "{k_until} {until} is before the set's effective_from {start}: the rule would never "
        "apply"),
    "foreign.rules.until_before": ("`{k_until}` {until} trước `{k_from}` {start}",
                                   "{k_until} {until} is before {k_from} {start}"),
    "foreign.rules.quarters_not_months": (
        "bộ quy định chấm điểm theo quý nên không xếp loại theo tháng được",
        "the set scores quarters; it cannot classify months"),
    "foreign.rules.section_empty": ("phần {section} của nhóm {group} không có tiêu chí nào",
                                    "section {section} of group {group} has no criteria"),
    "foreign.rules.section_sum": (
        "tổng điểm tối đa các tiêu chí của phần {section} là {sum}, còn điểm tối đa của phần "
        "là {max}",
        "criteria of section {section} sum to {sum}, the section's max is {max}"),
    "foreign.rules.too_many_caps": (
        "một bộ quy định có tối đa {limit} giới hạn và quy định tùy chọn (caps, notices) cộng "
        "lại, tệp có {n}",
        "a rule set may hold at most {limit} caps and notices together, not {n}"),
    "foreign.rules.id_shadow": (
        "mã (`id`) {rules} là mã của một bộ quy định đã đăng ký nhưng nội dung khác: kết quả "
        "và tháng lưu trữ sẽ mang mã đó và bị xếp loại lại theo bộ đã đăng ký; hãy đặt cho bộ "
        "quy định một mã riêng (hoặc dùng `extends` với mã riêng)",
        "the id {rules} is a registered rule set's, but the content differs: results and "
        "archived months would carry that id and be classified again under the registered "
        "set; give the set its own id (or use extends with an id of its own)"),
    "foreign.rules.raised_below": (
        "tỷ lệ nâng `{key}` = {raised} thấp hơn `percent` = {pct}: đây là tỷ lệ cao hơn dành "
        "cho đơn vị xuất sắc, ít nhất bằng `percent`",
        "the raised quota {key} = {raised} is below percent = {pct}: it is the higher cap for "
        "an excellent unit, at least percent"),
    "foreign.rules.raised_both": (
        "chỉ ghi một trong hai khóa `raised_percent` hoặc `percent_if_unit_excellent`",
        "give raised_percent or percent_if_unit_excellent, not both"),
    "foreign.rules.count_base": (
        "`count_base` phải là `before_demotion` hoặc `after_demotion`",
        "count_base must be before_demotion or after_demotion"),
    "foreign.rules.tie_break_hint": ("cách xét ưu tiên (tie_break) {value} không có; có phải là "
                                     "{close}?",
                                     "unknown tie-break {value} — did you mean {close}?"),
    "foreign.rules.tie_break": ("cách xét ưu tiên (tie_break) {value} không có",
                                "unknown tie-break {value}"),
    "foreign.rules.group_by": ("`group_by` chỉ nhận `unit` và `duty_group`, tệp ghi {value}",
                               "group_by takes unit and duty_group, not {value}"),
    "foreign.rules.small_group": (
        "`small_group_size` và `small_group_keep` phải được ghi cùng nhau",
        "small_group_size and small_group_keep go together"),
    "foreign.rules.small_group_keep": (
        "`small_group_keep` ({keep}) phải nhỏ hơn `small_group_size` ({size}): một nhóm ít "
        "hơn {size2} người có nhiều nhất {most} người",
        "small_group_keep ({keep}) must be smaller than small_group_size ({size}): a group "
        "smaller than {size2} has at most {most} people"),
    "foreign.rules.quota_period": (
        "tỷ lệ không áp dụng được cho kỳ {value}: bộ quy định chỉ xếp loại theo {periods}",
        "the quota cannot apply to {value}: the rule set classifies only {periods}"),
    "foreign.rules.quota_no_period": (
        "tỷ lệ không áp dụng được cho kỳ {value}: bộ quy định không xếp loại kỳ nào",
        "the quota cannot apply to {value}: the rule set classifies only "),
    "foreign.rules.moved": ("ghi `management.{new}`, không ghi `units.{old}`",
                            "give management.{new}, not units.{old}"),
    "foreign.rules.not_management": (
        "tiêu chí {criterion} không phải tiêu chí quản lý (`management = true`): chỉ phần "
        "điểm của người lãnh đạo, quản lý mới được tính tự động",
        "criterion {criterion} is not a management criterion (management = true): only a "
        "leader's component can be computed"),
    "foreign.rules.reduced_above": ("`reduced` ({reduced}) không được lớn hơn `full` ({full})",
                                    "reduced ({reduced}) must not be above full ({full})"),
    "foreign.rules.mscope": (
        "`scope` phải là `area` (mọi người thuộc thẩm quyền của người lãnh đạo) hoặc `direct` "
        "(chỉ người dưới quyền trực tiếp), tệp ghi {value}",
        "scope must be area (everyone under the leader's authority) or direct (direct "
        "reports only), not {value}"),
    "foreign.rules.values_include": (
        "`values` phải có giá trị {value} ({what}), nếu không thì không người lãnh đạo nào "
        "được nhận mức này",
        "values must include {value} ({what}), or no leader could be given it"),
    "foreign.rules.position_max": (
        "điểm tối đa {max} của {criterion} cho vị trí việc làm {position} vượt {what}",
        "the maximum {max} of {criterion} for position {position} is above {what}"),
    "foreign.rules.small_parent": (
        "`small_parent_threshold` và `small_parent_max_excellent` phải được ghi cùng nhau",
        "small_parent_threshold and small_parent_max_excellent go together"),
    "foreign.rules.share_raised": (
        "`excellent_share_raised_percent` = {raised} cần `excellent_share_percent` không cao "
        "hơn nó (đã ghi: {pct}): đây là tỷ lệ cao hơn do cấp có thẩm quyền quyết định",
        "excellent_share_raised_percent = {raised} needs excellent_share_percent at or below "
        "it (given: {pct}): it is the higher share the competent level decides"),
    "foreign.rules.unit_weight": (
        "điểm của đơn vị cần ít nhất một trọng số lớn hơn 0 (`tasks_weight`, trọng số của "
        "một chủ thể đánh giá, `cross_weight`, `satisfaction_weight` hoặc `reform_weight`): "
        "khi mọi trọng số bằng 0 thì không đơn vị nào được chấm điểm",
        "a unit's score needs at least one positive weight (tasks_weight, a body's weight, "
        "cross_weight, satisfaction_weight or reform_weight): with every weight 0 no unit "
        "is ever scored"),
    "foreign.rules.count_good": (
        "`count_good_max_kht` cần có `count_good_max_ht` (không có khóa đó thì kết quả năm "
        "luôn là HT, dù đếm được bao nhiêu)",
        "count_good_max_kht needs count_good_max_ht (without it the year is HT whatever the "
        "count)"),
    "foreign.rules.absent_cap": (
        "`absent_cap_max_months` ({high}) phải lớn hơn `absent_cap_min_months` ({low})",
        "absent_cap_max_months ({high}) must be above absent_cap_min_months ({low})"),
    "foreign.rules.findings_criterion_hint": (
        "tiêu chí {criterion} không nhận được điểm trừ của kết luận kiểm tra: {where}; có phải "
        "là {close}?",
        "criterion {criterion} cannot receive the findings' points: {where} — did you mean "
        "{close}?"),
    "foreign.rules.findings_criterion": (
        "tiêu chí {criterion} không nhận được điểm trừ của kết luận kiểm tra: {where}",
        "criterion {criterion} cannot receive the findings' points: {where}"),
    "foreign.rules.severity_hint": (
        "mức độ vi phạm {value} không có; các mức là {known}; có phải là {close}?",
        "unknown severity {value}; expected {known} — did you mean {close}?"),
    "foreign.rules.severity": ("mức độ vi phạm {value} không có; các mức là {known}",
                               "unknown severity {value}; expected {known}"),
    "foreign.rules.findings_points": (
        "điểm trừ vào cá nhân cần một tiêu chí: ghi dữ liệu đầu vào của một khối trừ điểm "
        "(deduction) nhận điểm trừ này (không có thì kết luận kiểm tra chỉ là lưu ý)",
        "points on a person need a criterion: name the input of a deduction block that "
        "receives them (without one a finding is a notice)"),
    "foreign.rules.expected_not": ("cần {expected}, nhưng tệp ghi {got}",
                                   "expected {expected}, not {got}"),
    "foreign.rules.expected_only": ("cần {expected}", "expected {expected}"),
    "foreign.rules.must_be_hint": ("`{key}` phải là {rng}, tệp ghi {value}; có phải là {close}?",
                                   "{key} must be {rng}, not {value} — did you mean {close}?"),
    "foreign.rules.must_be": ("`{key}` phải là {rng}, tệp ghi {value}",
                              "{key} must be {rng}, not {value}"),
    "foreign.rules.unknown_notices": (
        "bộ quy định {rules} không có (các) quy định tùy chọn {ids}; các quy định tùy chọn đã có: "
        "{known}",
        "unknown optional rule(s) {ids} for rule set {rules}; known: {known}"),
    "foreign.rules.no_band_total": ("không khoảng điểm nào của bộ quy định {rules} chứa tổng "
                                    "điểm {total}",
                                    "no band of rule set {rules} contains the total {total}"),
    "foreign.rules.unknown_group_of": ("nhóm tiêu chí {group} không có trong bộ quy định {rules}",
                                       "unknown criterion group {group} in rule set {rules}"),
    # ---- an input error inside a rule check's finding (full marks that cannot be scored)
    "foreign.input.head_one": ("{kind}: 1 lỗi trong dữ liệu đầu vào:",
                               "{kind}: 1 problem in the input:"),
    "foreign.input.head": ("{kind}: {n} lỗi trong dữ liệu đầu vào:",
                           "{kind}: {n} problems in the input:"),
    # the same head inside another sentence ("raised InputError: 3 problems in the input:")
    "foreign.input.count_one": ("1 lỗi trong dữ liệu đầu vào:", "1 problem in the input:"),
    "foreign.input.count": ("{n} lỗi trong dữ liệu đầu vào:", "{n} problems in the input:"),
    "foreign.input.more": ("... và {n} lỗi nữa", "... and {n} more"),
    "foreign.input.accepted_range": (
        "không phải là giá trị được chấp nhận; các giá trị được chấp nhận: {listing}; hoặc "
        "một số nguyên từ {low} đến {high}",
        "is not an accepted value; accepted: {listing}; or a whole number from {low} to "
        "{high}"),
    "foreign.input.accepted": (
        "không phải là giá trị được chấp nhận; các giá trị được chấp nhận: {listing}",
        "is not an accepted value; accepted: {listing}"),
    "foreign.input.line": ("- {place}: {text}", "- {place}: {text}"),
    # a kind of leave no door can read (frames, Assessment, the workbook, the archive)
    "foreign.leave": ("không phải là loại nghỉ (thai sản, ốm, vắng; hoặc để trống)",
                      "is not a kind of leave (thai sản/maternity, ốm/sick, vắng/absent, or "
                      "blank)"),
    # a discipline no door can read (frames, Assessment, the workbook, the archive, amend):
    # one sentence, the levels with their Vietnamese names
    "foreign.category": ("nhóm {value} không có (cong_chuc, vien_chuc, can_bo, hop_dong)",
                         "unknown staff category {value} (cong_chuc, vien_chuc, can_bo, "
                         "hop_dong)"),
    # a name (full name, unit name, position title, task text) holding a control character:
    # the value shown escaped by the location ('Người\x00A')
    "foreign.name_control": (
        "chứa ký tự điều khiển (NUL, tab, xuống dòng …) mà phiếu không in được: gõ lại "
        "mà không có ký tự đó",
        "holds a control character (NUL, tab, line break …), which no sheet can print: type "
        "it again without it"),
    "foreign.grade": (
        "không phải là mức xếp loại: ghi {names}, tên đầy đủ của mức hoặc số từ 0 (KHT) đến "
        "3 (HTXS)",
        "is not a grade: write {names}, its full name or a number from 0 (KHT) to 3 (HTXS)"),
    "foreign.discipline": (
        "không phải là mức kỷ luật 0 đến 5 (0 không, 1 khiển trách, 2 cảnh cáo, 3 hạ bậc "
        "lương/giáng chức, 4 cách chức, 5 buộc thôi việc)",
        "is not a discipline level 0 to 5 (0 none, 1 khiển trách, 2 cảnh cáo, 3 hạ bậc "
        "lương/giáng chức, 4 cách chức, 5 buộc thôi việc)"),
    # ---- a typed score the total would not read (evalkit.scoring.unread_scores)
    "foreign.input.management_only": (
        "là thành phần chỉ tính cho người có chức trách quản lý, nhưng người này không quản "
        "lý ai (không đánh dấu manages_others, không là người đứng đầu đơn vị): đánh dấu "
        "manages_others hoặc để trống",
        "is a component counted only for staff with management duty, but the person manages "
        "nobody (not marked manages_others, not the head of a unit): mark manages_others, or "
        "leave it blank"),
    # ---- a head marked in the staff frame (evalkit.classify_frame's is_head)
    "foreign.input.head_other": (
        "được đánh dấu là người đứng đầu (is_head) nhưng bảng đơn vị ghi người khác là người "
        "đứng đầu của đơn vị trong kỳ này",
        "is marked head (is_head) but the units frame names another head of the unit for "
        "this period"),
    "foreign.input.head_many": (
        "là một trong nhiều người được đánh dấu là người đứng đầu (is_head) của cùng một đơn vị "
        "trong kỳ này, và bảng đơn vị không ghi người đứng đầu",
        "is one of several people marked head (is_head) of the same unit for this period, "
        "and the units frame names no head"),
    # ---- a column no frame reads (evalkit._columns.unknown_columns)
    "foreign.input.unknown_staff_meant": (
        "cột không xác định {column} (có phải là {meant}?): " + _STAFF_COLUMN_VI,
        "unknown column {column} (did you mean {meant}?): " + _STAFF_COLUMN_EN),
    "foreign.input.unknown_staff": ("cột không xác định {column}: " + _STAFF_COLUMN_VI,
                                    "unknown column {column}: " + _STAFF_COLUMN_EN),
    "foreign.input.unknown_units_meant": (
        "cột không xác định {column} (có phải là {meant}?): " + _UNIT_COLUMN_VI,
        "unknown column {column} (did you mean {meant}?): " + _UNIT_COLUMN_EN),
    "foreign.input.unknown_units": ("cột không xác định {column}: " + _UNIT_COLUMN_VI,
                                    "unknown column {column}: " + _UNIT_COLUMN_EN),
    "foreign.input.unknown_conclusions_meant": (
        "cột không xác định {column} (có phải là {meant}?): " + _CONCLUSION_COLUMN_VI,
        "unknown column {column} (did you mean {meant}?): " + _CONCLUSION_COLUMN_EN),
    "foreign.input.unknown_conclusions": ("cột không xác định {column}: " + _CONCLUSION_COLUMN_VI,
                                          "unknown column {column}: " + _CONCLUSION_COLUMN_EN),
    # ---- what `evalkit rules check` adds (evalkit.testing.check_rule_set)
    "foreign.check.top_cap": ("caps[{i}] ({id}) giới hạn mức xếp loại ở {grade}, là mức cao "
                              "nhất: giới hạn này không bao giờ hạ mức của ai",
                              "caps[{i}] ({id}) caps the grade at {grade}, the top grade: it "
                              "never lowers a grade"),
    "foreign.check.national_missing": (
        "thiếu trường hợp xếp loại KHT của quy định chung {id} trong {national} ({source}; "
        "{rule}): bộ quy định cho {cat} ở {jur} có hiệu lực cùng lúc với {national} phải giữ "
        "trường hợp này; quy định địa phương được thêm giới hạn, không được bỏ hay nới",
        "the national disqualifier {id} of {national} ({source}; {rule}) is missing: a rule "
        "set for {cat} in {jur} in force with {national} must keep it; a local set may add "
        "caps, not remove or weaken them"),
    "foreign.check.national_weakened": (
        "caps[{i}] ({id}) nới trường hợp xếp loại KHT {national_id} của quy định chung "
        "{national} ({source}): phải giữ {rule}, không phải {local_rule}; quy định địa phương "
        "được thêm giới hạn, không được bỏ hay nới",
        "caps[{i}] ({id}) weakens the national disqualifier {national_id} of {national} "
        "({source}): it must keep {rule}, not {local_rule}; a local set may add caps, not "
        "remove or weaken them"),
    "foreign.check.national_quota": (
        "tỷ lệ {grade} của quy định chung {national} ({source}) là tối đa {percent}% số người "
        "xếp loại {base}, ở đây là {local}: bộ quy định cho {cat} ở {jur} có hiệu lực cùng lúc "
        "với {national} được hạ tỷ lệ này, không được nâng hay bỏ",
        "the national quota of {national} ({source}) is at most {percent}% {grade} of those "
        "rated {base}, here {local}: a rule set for {cat} in {jur} in force with {national} "
        "may lower it, not raise or remove it"),
    "foreign.check.perfect_capped": (
        "caps[{i}] ({id}) giới hạn mọi người ở mức {grade}: khi mọi dấu hiệu bằng 0, {flag} (0) "
        "vẫn đạt at_least ({at_least})",
        "caps[{i}] ({id}) caps every person at {grade}: with every flag at zero, {flag} (0) "
        "is at least at_least ({at_least})"),
    "foreign.check.perfect_no_band": (
        "điểm tối đa của {who} có tổng {total}, không thuộc khoảng điểm nào",
        "a perfect score of a {who} totals {total}, which falls in no band"),
    "foreign.check.perfect_not_top": (
        "điểm tối đa không được mức cao nhất: {who} đạt điểm tối đa mọi tiêu chí bắt buộc có "
        "tổng {total}, thuộc mức {band}, không phải {top} (các mức: {bands})",
        "a perfect score is not the top grade: a {who} with full marks on every required "
        "criterion totals {total}, in band {band}, not {top} (bands: {bands})"),
    "foreign.check.perfect_error": (
        "không chấm được điểm của người đạt điểm tối đa mọi tiêu chí bắt buộc: {detail}",
        "a person with full marks on every required criterion cannot be scored: {detail}"),
    "foreign.check.unsourced_on": (
        "{rule} chưa có căn cứ nhưng được áp dụng mặc định; quy định chưa có căn cứ chỉ được là "
        "tùy chọn (enabled = false, hoặc để trống tùy chọn)",
        "{rule} is unsourced and switched on by default; an unsourced rule may only be an "
        "option (enabled = false, or leave the option unset)"),
    "foreign.check.unsourced_set": (
        "bộ quy định ghi là chưa có căn cứ (unsourced) nhưng phạm vi {jur} khiến nó được áp dụng "
        "cho việc đánh giá thật; hãy đặt bộ quy định ví dụ ở phạm vi ngoài 'vn'",
        "the rule set is marked unsourced but its jurisdiction {jur} makes it the set in force "
        "for real staff; give an example set a jurisdiction outside 'vn'"),
    # the invariants' sentences (evalkit.testing.INVARIANTS)
    "foreign.check.inv.bands": (
        "các khoảng điểm phủ kín [0, tổng điểm], không hở, không chồng nhau",
        "the bands cover [0, total] with no gap and no overlap"),
    "foreign.check.inv.grade_monotone": (
        "tổng điểm cao hơn không bao giờ được mức theo điểm thấp hơn",
        "a higher total never gets a lower band grade"),
    "foreign.check.inv.bounds": (
        "mọi tổng điểm nằm trong [0, tổng điểm]",
        "every total is within [0, total]"),
    "foreign.check.inv.monotonicity": (
        "tăng một điểm không bao giờ làm giảm tổng điểm hay mức xếp loại (tăng số lỗi hay số "
        "lần chậm không bao giờ làm tăng chúng)",
        "raising a score never lowers the total or the grade (raising an error or delay count "
        "never raises them)"),
    "foreign.check.inv.disqualifiers": (
        "một trường hợp xếp loại KHT hay giới hạn mức luôn giữ mức xếp loại không cao hơn mức "
        "của nó, kèm lý do",
        "a disqualifier or cap always holds the grade at or below its grade, with its reason"),
    "foreign.check.inv.quota": (
        "tỷ lệ nằm trong 0-100 %, nên không nhóm nào được nhiều chỗ hơn số người",
        "the quota percentages are within 0-100 %, so no group may be given more places than "
        "people"),
    "foreign.check.inv.row_order": (
        "kết quả không phụ thuộc thứ tự các dòng",
        "results do not depend on the order of the rows"),
    "foreign.check.inv.scalar_equals_vectorised": (
        "`score()` và `score_frame()` cho cùng tổng điểm, điểm thành phần, mức xếp loại và lý do",
        "score() and score_frame() agree on total, components, grades and reasons"),
    "foreign.check.inv.head_not_above_unit": (
        "người đứng đầu không bao giờ được xếp cao hơn đơn vị của mình",
        "a head is never graded above their unit"),
    "foreign.check.inv.quota_respected": (
        "sau khi áp dụng tỷ lệ, không nhóm nào có số người đạt mức bị giới hạn nhiều hơn giới hạn",
        "after the quota no group has more of the quota grade than its cap"),
    "foreign.check.inv.rollup": (
        "tổng hợp các tháng giống nhau cho đúng kết quả của tháng",
        "the roll-up of identical months equals the month"),
    "foreign.check.fail": ("KHÔNG ĐẠT  {name}: {description}", "FAIL  {name}: {description}"),
    "foreign.check.counterexample": ("ví dụ vi phạm:", "counter-example:"),
    "foreign.check.context": ("bộ quy định:", "rule set:"),
    "foreign.check.raised": ("lỗi {kind}: {detail}", "raised {kind}: {detail}"),
    "foreign.check.band_graded": ("tổng {total} thuộc mức {band} nhưng được xếp mức {code}",
                                  "total {total} is in band {band} but is graded {code}"),
    "foreign.check.band_none": ("tổng {total} không thuộc khoảng điểm nào (để hở trong "
                                "[0, {limit}])",
                                "total {total} falls in no band (a gap in [0, {limit}])"),
    "foreign.check.band_many": ("tổng {total} thuộc {n} khoảng điểm ({names}): các khoảng điểm "
                                "chồng lên nhau",
                                "total {total} falls in {n} bands ({names}): the bands overlap"),
    "foreign.check.grade_monotone": (
        "tổng cao hơn {high} lại được mức thấp hơn ({high_grade}) so với {low} ({low_grade})",
        "a higher total {high} gets a lower grade ({high_grade}) than {low} ({low_grade})"),
    "foreign.check.bounds": ("tổng {total} nằm ngoài [0, {limit}]",
                             "total {total} is outside [0, {limit}]"),
    "foreign.check.up_total": ("tăng {cid} từ {old} lên {new} làm giảm tổng điểm từ {before} "
                               "xuống {after}",
                               "raising {cid} from {old} to {new} lowers the total from "
                               "{before} to {after}"),
    "foreign.check.down_total": ("tăng {cid} (chỉ được làm giảm điểm) từ {old} lên {new} làm "
                                 "tăng tổng điểm từ {before} lên {after}",
                                 "raising {cid} (which may only lower the score) from {old} to "
                                 "{new} raises the total from {before} to {after}"),
    "foreign.check.up_grade": ("tăng {cid} từ {old} lên {new} làm hạ {what} từ {before} xuống "
                               "{after} ({moved})",
                               "raising {cid} from {old} to {new} lowers the {what} from "
                               "{before} to {after} ({moved})"),
    "foreign.check.down_grade": ("tăng {cid} (chỉ được làm giảm điểm) từ {old} lên {new} làm "
                                 "nâng {what} từ {before} lên {after} ({moved})",
                                 "raising {cid} (which may only lower the score) from {old} to "
                                 "{new} raises the {what} from {before} to {after} ({moved})"),
    "foreign.check.total_rose": ("tổng điểm tăng từ {before} lên {after}",
                                 "the total rose from {before} to {after}"),
    "foreign.check.total_fell": ("tổng điểm giảm từ {before} xuống {after}",
                                 "the total fell from {before} to {after}"),
    "foreign.check.total_stayed": ("tổng điểm giữ nguyên {total}", "the total stayed {total}"),
    "foreign.check.disqualifier": ("{column} = {value} phải giới hạn mức xếp loại ở {grade} "
                                   "(giới hạn {id}), nhưng mức là {got}",
                                   "{column} = {value} should cap the grade at {grade} (cap "
                                   "{id}), but the grade is {got}"),
    "foreign.check.reason_missing": ("giới hạn {id} đã áp dụng nhưng thiếu mã lý do {code}",
                                     "cap {id} applied but its reason code {code} is missing"),
    "foreign.check.quota_over": ("tỷ lệ {which} {pct}% vượt 100%: {n} người được xếp {base} sẽ "
                                 "cho phép {cap} {grade}",
                                 "quota {which} {pct}% exceeds 100%: {n} people rated {base} "
                                 "would allow {cap} {grade}"),
    "foreign.check.quota_negative": ("tỷ lệ {which} {pct}% là số âm: cho phép {cap} {grade}",
                                     "quota {which} {pct}% is negative: it allows {cap} {grade}"),
    "foreign.check.row_order": ("chấm các dòng theo thứ tự {order} làm kết quả thay đổi: {diff}",
                                "scoring the rows in the order {order} changes results: {diff}"),
    "foreign.check.twins": ("`score()` và `score_frame()` cho kết quả khác nhau: {diff}",
                            "score() and score_frame() differ: {diff}"),
    "foreign.check.twins_options": ("`score()` và `score_frame()` cho kết quả khác nhau (tùy "
                                    "chọn {options}): {diff}",
                                    "score() and score_frame() differ (options {options}): "
                                    "{diff}"),
    "foreign.check.head": ("người đứng đầu {staff} được xếp {grade}, cao hơn mức {unit} của đơn vị",
                           "head {staff} is graded {grade}, above the unit's {unit}"),
    "foreign.check.quota_kept": ("nhóm tỷ lệ {group} có {n} {grade}, nhiều hơn giới hạn {cap}",
                                 "quota group {group} has {n} {grade}, more than its cap {cap}"),
    "foreign.check.rollup": ("một năm gồm các kỳ cùng tổng {total} được tổng hợp thành "
                             "{year_total} ({year_grade}), không phải {total} ({want})",
                             "a year of periods of {total} rolls up to {year_total} "
                             "({year_grade}), not {total} ({want})"),
    "foreign.coefficient": ("hệ số phải là số lớn hơn 0", "a coefficient must be a number above 0"),
    "foreign.coefficient_at": ("{where}: hệ số phải là số lớn hơn 0",
                               "{where}: a coefficient must be a number above 0"),
    "foreign.quantity": ("không phải là khối lượng (số lớn hơn hoặc bằng 0)",
                         "is not a quantity (a number ≥ 0)"),
    "foreign.json.cannot_read_at": ("không đọc được dữ liệu {kind} tại {path}: {text}",
                                    "cannot read {kind} at {path}: {text}"),
    "foreign.json.cannot_read": ("không đọc được dữ liệu {kind}: {text}",
                                 "cannot read {kind}: {text}"),
    "foreign.json.missing": ("thiếu trường bắt buộc", "a required field is missing"),
    "foreign.json.not_bool": ("{value} không phải là đúng/sai (true/false)",
                              "{value} is not true or false"),
    "foreign.json.not_whole": ("{value} không phải là số nguyên", "{value} is not a whole number"),
    "foreign.json.not_number": ("{value} không phải là số", "{value} is not a number"),
    "foreign.json.not_text": ("{value} không phải là chữ", "{value} is not text"),
    "foreign.unit_grades_column": (
        "tệp {file} thiếu cột {missing}: kết quả năm của đơn vị cần cột unit_id và grade "
        "(hoặc exceptional)",
        "{file} has no column {missing}: the units' grades need the columns unit_id and "
        "grade (or exceptional)"),
    "foreign.conclusions_column": (
        "bảng kết luận của cấp có thẩm quyền cần có cột {column!r} (mã nhân sự ở mỗi dòng)",
        "the conclusions needs a {column!r} column"),
    "foreign.field_beyond": (
        "dòng {line}, trường {field}: có giá trị ngoài tiêu đề",
        "line {line}, field {field}: a value beyond the header"),
    "foreign.competent_reason": (
        "cấp có thẩm quyền kết luận mức khác mức theo điểm mà không ghi lý do (cột lý do "
        "[competent_reason]) ({period})",
        "the competent level concluded a grade other than the score's without a written "
        "reason (competent_reason) ({period})"),
    "foreign.level": ("{text} (cấp {level})", "{text} ({level} level)"),
    "foreign.unknown_unit": ("người được đánh giá {staff} thuộc đơn vị {unit} không có trong "
                             "danh sách "
                             "({period})",
                             "staff {staff} is in unknown unit {unit} ({period})"),
    "foreign.org.duplicate_unit": ("trùng mã đơn vị: {ids}", "duplicate unit id(s): {ids}"),
    "foreign.org.duplicate_position": ("trùng mã vị trí việc làm: {ids}",
                                       "duplicate position id(s): {ids}"),
    "foreign.org.duplicate_staff": ("trùng mã nhân sự: {ids}", "duplicate staff id(s): {ids}"),
    "foreign.org.alike_unit": ("các mã đơn vị {ids} chỉ khác nhau ở chữ hoa, chữ thường hoặc "
                               "dấu cách: mỗi đơn vị chỉ có một mã",
                               "unit ids {ids} differ only in case or spaces: give each unit "
                               "one id"),
    "foreign.org.alike_position": ("các mã vị trí việc làm {ids} chỉ khác nhau ở chữ hoa, chữ "
                                   "thường hoặc dấu cách: mỗi vị trí chỉ có một mã",
                                   "position ids {ids} differ only in case or spaces: give each "
                                   "position one id"),
    "foreign.org.alike_staff": ("các mã nhân sự {ids} chỉ khác nhau ở chữ hoa, chữ thường hoặc "
                                "dấu cách: mỗi người chỉ có một mã",
                                "staff ids {ids} differ only in case or spaces: give each "
                                "person one id"),
    "foreign.org.unknown_parent": ("đơn vị {unit} có đơn vị cấp trên {parent} không có trong "
                                   "danh sách",
                                   "unit {unit} has unknown parent unit {parent}"),
    "foreign.org.unit_cycle": ("các đơn vị tạo thành vòng: {path}", "units form a cycle: {path}"),
    "foreign.org.own_parent": ("đơn vị {unit} không thể là cấp trên của chính mình",
                               "unit {unit} cannot be its own parent"),
    "foreign.org.unknown_unit": ("người được đánh giá {staff} thuộc đơn vị {unit} không có trong "
                                 "danh sách",
                                 "staff {staff} is in unknown unit {unit}"),
    "foreign.org.unknown_position": ("người được đánh giá {staff} có vị trí việc làm {position} "
                                     "không có "
                                     "trong danh sách",
                                     "staff {staff} has unknown position {position}"),
    "foreign.org.unknown_manager": ("người quản lý {manager} của người được đánh giá {staff} "
                                    "không có trong "
                                    "danh sách nhân sự",
                                    "staff {staff} has unknown manager {manager}"),
    "foreign.org.unknown_head": ("người đứng đầu {head} của đơn vị {unit} không có trong danh "
                                 "sách nhân sự",
                                 "unit {unit} has unknown head {head}"),
    "foreign.org.head_outside": ("người đứng đầu {head} của đơn vị {unit} lại thuộc đơn vị "
                                 "{other}; người đứng đầu phải thuộc đơn vị mình đứng đầu",
                                 "head {head} of unit {unit} is a member of unit {other}, "
                                 "not of {unit}"),
    "foreign.org.head_case_twin": (
        "người đứng đầu {head} chỉ khác thành viên {member} của đơn vị ở chữ hoa/chữ thường: là "
        "cùng một người, hoặc hãy đặt mã khác nhau",
        "head {head} differs from the unit's member {member} only in upper/lower case: one "
        "person, or give them different ids"),
    "foreign.org.manager_case_twin": (
        "người quản lý {manager} của người được đánh giá {staff} chỉ khác mã {other} ở chữ hoa/chữ "
        "thường: là cùng một người, hoặc hãy đặt mã khác nhau",
        "manager {manager} of staff {staff} differs from staff {other} only in upper/lower "
        "case: one person, or give them different ids"),
    "foreign.unit_no_period": (
        "người được đánh giá {staff} thuộc đơn vị {unit}, nhưng bảng đơn vị không có dòng của "
        "đơn vị này "
        "cho kỳ {period}",
        "staff {staff} is in unit {unit}, which has no row for {period} in the units frame"),
    "foreign.staff_twice_typed": (
        "người được đánh giá {staff} có {n} dòng trong kỳ {period} (đơn vị {unit}, các dòng "
        "{rows}; mã đã "
        "nhập: {typed})",
        "staff {staff} appears {n} times in {period} (unit {unit}, rows {rows}; typed {typed})"),
    "foreign.staff_two_units_typed": (
        "người được đánh giá {staff} thuộc {n} đơn vị trong kỳ {period}: {units} (các dòng "
        "{rows}; mã đã "
        "nhập: {typed})",
        "staff {staff} is in {n} units in {period}: {units} (rows {rows}; typed {typed})"),
    "foreign.staff_twice": ("người được đánh giá {staff} có {n} dòng trong kỳ {period} (đơn vị "
                            "{unit}, "
                            "các dòng {rows})",
                            "staff {staff} appears {n} times in {period} (unit {unit}, rows "
                            "{rows})"),
    "foreign.staff_two_units": ("người được đánh giá {staff} thuộc {n} đơn vị trong kỳ {period}: "
                                "{units} "
                                "(các dòng {rows})",
                                "staff {staff} is in {n} units in {period}: {units} (rows "
                                "{rows})"),
    "foreign.unit_twice": ("đơn vị xuất hiện hơn một lần trong kỳ {period}",
                           "unit appears more than once in {period}"),
    "foreign.staff_total_low": (
        "tổng số người staff_total {total} ít hơn {rows} dòng nhân sự của đơn vị {unit} "
        "({period}): con số này tính toàn bộ người của đơn vị, kể cả những dòng đó",
        "staff_total {total} is below the {rows} staff rows of unit {unit} ({period}): it "
        "counts the unit's whole staff, those rows included"),
    "foreign.rollup.again": ("người này đã có một dòng khác cho cùng kỳ này (một tháng không "
                             "được tính hai lần)",
                             "the person has another row for this period"),
    "foreign.rollup.months": ("kỳ đầu vào để tổng hợp quý phải là tháng",
                              "roll-up input periods must be months"),
    "foreign.rollup.months_quarters": ("kỳ đầu vào để tổng hợp năm phải là tháng hoặc quý",
                                       "roll-up input periods must be months or quarters"),
    "foreign.blank_staff": ("mã nhân sự để trống", "blank staff id"),
    "foreign.blank_unit": ("mã đơn vị để trống", "blank unit id"),
    "foreign.staff_control": ("mã nhân sự chứa ký tự điều khiển (NUL, tab hoặc xuống dòng ở "
                              "giữa mã)",
                              "the staff id contains a control character"),
    "foreign.case_id": (
        "mã nhân sự {value} chỉ khác {other} ở dòng {row} về chữ hoa/chữ thường: là cùng một "
        "người, hoặc hãy đặt mã khác nhau",
        "staff id {value} differs from {other} at row {row} only in upper/lower case: the "
        "same person, or make the ids distinct"),
    "foreign.id_fraction": ("mã là số không nguyên: mã là chữ hoặc số nguyên",
                            "the id is a number that is not whole: an id is text or a whole "
                            "number"),
    "foreign.rollup.total_outside": ("tổng điểm nằm ngoài khoảng từ 0 đến tổng điểm của bộ "
                                     "quy định",
                                     "the total is outside 0 to the rule set's total"),
    "foreign.rollup.months_and_quarters": (
        "người này có cả kết quả tháng và kết quả quý trong cùng một năm: chỉ dùng một loại",
        "the person has months and quarters in the same year: give one or the other"),
    "foreign.rollup.months_in_quarter": (
        "người này có cả kết quả quý này và kết quả tháng thuộc quý này: chỉ dùng một loại",
        "the person has months of this quarter too: give one or the other"),
    "foreign.year.head_needs_unit": (
        "cần kết quả kỳ {year} của đơn vị để người đứng đầu không được xếp loại cao hơn đơn "
        "vị: cung cấp kết quả của đơn vị này",
        "the head cap needs the unit's result for {year}: pass unit_results with a row for "
        "this unit"),
    "foreign.year.again": ("người này xuất hiện hơn một lần trong năm",
                           "appears more than once in the year"),
    "foreign.year.unit_again": (
        "đơn vị xuất hiện hơn một lần cho cùng một kỳ trong kết quả của đơn vị",
        "unit appears more than once for the same period in the unit results"),
    "foreign.year.conclusion_again": ("có hơn một kết luận cho cùng một người",
                                      "more than one conclusion for the person"),
    "foreign.year.conclusion_nobody": (
        "kết luận cho một người không có kết quả trong năm đánh giá",
        "a conclusion for a person who has no result for the year"),
    "foreign.cannot_write_folder": ("không ghi được thư mục {target}: có một tệp chắn chỗ",
                                    "cannot write the folder {target}: a file is in the way"),
    "foreign.cannot_write_to_folder": ("không ghi được thư mục {target}: {why}",
                                       "cannot write the folder {target}: {why}"),
    "foreign.cannot_write": ("không ghi được {target}: {why}", "cannot write {target}: {why}"),
    "foreign.not_in_force": (
        "bộ quy định {rules} có hiệu lực từ {start} đến {end}, không áp dụng cho kỳ {period}; "
        "thêm --force nếu vẫn muốn áp dụng",
        "rule set {rules} is in force from {start} to {end}, not in {period}; pass force=True "
        "to apply it anyway"),
    "foreign.unknown_rule_set": ("không có bộ quy định {rules}{rest}",
                                 "unknown rule set {rules}{rest}"),
    "foreign.period": ("kỳ {value} không hợp lệ{rest}", "invalid period {value}{rest}"),
    # ---- the archive's sentences (evalkit.io.archive)
    "foreign.archive.year_set_missing": (
        "năm {year} đã được xếp loại theo bộ quy định {rules}, ghi trong {path}, nhưng không có "
        "bộ quy định {rules} ở đây: đó là bộ của một tệp quy định riêng (của cơ quan), hãy đưa "
        "tệp đó vào lệnh: --rules TỆP.toml (trong Python: rules=...)",
        "the year {year} was classified under rule set {rules}, recorded in {path}, which "
        "cannot be found: give its rule file (rules=..., --rules FILE.toml)"),
    "foreign.archive.other_content": (
        "tháng {period} được chốt theo bộ quy định {rules} với nội dung khác với bộ {rules} "
        "hiện có: lưu trữ không xếp loại lại một tháng theo bộ quy định khác bộ đã chốt "
        "({path}); bộ quy định đổi nội dung phải có mã riêng",
        "{period} was finalized under rule set {rules} with other content than the {rules} "
        "at hand: the archive never classifies a month again under another set than the one "
        "it was finalized with ({path}); a set whose content changes needs its own id"),
    "foreign.archive.open": ("không mở được tệp lưu trữ: {text}",
                             "cannot open the archive: {text}"),
    "foreign.archive.read": ("không đọc được tệp lưu trữ: {text}",
                             "cannot read the archive: {text}"),
    "foreign.archive.unwritten": ("{text}; chưa ghi gì, tệp lưu trữ giữ nguyên như trước",
                                  "{text}; nothing was written, the archive is as it was"),
    "foreign.archive.name_too_long": (
        "đường dẫn của tệp lưu trữ quá dài (có phần tên dài hơn {limit} byte): {path}",
        "the path of the archive is too long (a name over {limit} bytes): {path}"),
    "foreign.archive.path_too_long": ("đường dẫn của tệp lưu trữ quá dài: {path}",
                                      "the path of the archive is too long: {path}"),
    "foreign.archive.disk_full": ("ổ đĩa đã đầy khi ghi {path}",
                                  "the disk is full while writing {path}"),
    "foreign.archive.read_only": (
        "không ghi được {path} (tệp hoặc thư mục chỉ cho phép đọc, hoặc không có quyền ghi)",
        "{path} cannot be written (a read-only file or folder, or no permission)"),
    "foreign.archive.locked": ("{path} đang bị một chương trình khác khóa quá thời gian chờ",
                               "{path} is locked by another process for longer than the "
                               "timeout"),
    "foreign.archive.damaged": ("{path} không phải là tệp lưu trữ của evalkit, hoặc tệp đã hỏng",
                                "{path} is not an evalkit archive, or it is damaged"),
    "foreign.archive.folder": ("{path} là một thư mục, không phải tệp lưu trữ",
                               "{path} is a folder, not an archive file"),
    "foreign.archive.cannot_open": (
        "không mở được {path} (thư mục không có, không có quyền, hoặc tên không hợp lệ)",
        "{path} cannot be opened (a missing folder, no permission or a bad name)"),
    "foreign.archive.in_the_way": (
        "không tạo được {path}: một phần của đường dẫn là tệp, không phải thư mục",
        "{path} cannot be made: a part of its path is a file, not a folder"),
    "foreign.archive.missing": ("tệp lưu trữ {path} không tồn tại",
                                "archive {path} does not exist"),
    "foreign.archive.newer": (
        "tệp lưu trữ {path} có cấu trúc phiên bản {version}, mới hơn phiên bản evalkit này "
        "đọc được ({supported}); hãy nâng cấp evalkit",
        "archive {path} has schema version {version}, newer than this evalkit supports "
        "({supported}); upgrade evalkit"),
    "foreign.archive.newer_read": (
        "tệp lưu trữ {path} có cấu trúc phiên bản {version}, mới hơn phiên bản evalkit này "
        "đọc được ({supported})",
        "archive {path} has schema version {version}, newer than this evalkit supports "
        "({supported})"),
    "foreign.archive.older": (
        "tệp lưu trữ {path} có cấu trúc phiên bản {version}; mở tệp để ghi một lần để chuyển "
        "lên phiên bản {target} (hoặc chạy `evalkit archive verify`)",
        "archive {path} has schema version {version}; open it once for writing to migrate it "
        "to {target} (or run `evalkit archive verify`)"),
    "foreign.archive.not_finalized": ("kỳ {period} chưa được chốt trong {path}",
                                      "{period} is not finalized in {path}"),
    "foreign.archive.no_result_twin": (
        "không có kết quả đã chốt của người được đánh giá {staff} trong kỳ {period}; có phải là "
        "{close}? "
        "(tệp lưu trữ phân biệt chữ hoa, chữ thường trong mã nhân sự)",
        "no finalized result for staff {staff} in {period}; did you mean {close}? (the "
        "archive tells upper from lower case in an id)"),
    "foreign.archive.no_result": ("không có kết quả đã chốt của người được đánh giá {staff} "
                                  "trong kỳ {period}",
                                  "no finalized result for staff {staff} in {period}"),
    "foreign.archive.overlaps": (
        "kỳ {period} trùng với kỳ {other} đã được chốt lúc {at}, người chốt {by}; mỗi kỳ chỉ "
        "được chốt một lần, theo các tháng hoặc theo cả quý",
        "{period} overlaps {other}, finalized on {at} by {by}; a period is archived once, as "
        "its months or as its quarter"),
    "foreign.archive.finalized": (
        "kỳ {period} đã được chốt lúc {at}, người chốt {by}; không thể thay đổi — ghi điều "
        "chỉnh bằng lệnh `evalkit amend`",
        "{period} was finalized on {at} by {by}; it cannot change — record a correction with "
        "`evalkit amend` (Archive.amend)"),
    "foreign.archive.finalized_no_inputs": (
        "kỳ {period} đã được chốt lúc {at}, người chốt {by}, không kèm dữ liệu đầu vào của đơn "
        "vị: không thể thay đổi, cũng không thể điều chỉnh — kết quả năm của đơn vị mà năm còn "
        "thiếu được nhập bằng `evalkit annual --unit-grades TỆP.csv`",
        "{period} was finalized on {at} by {by} without its unit inputs: it cannot change, nor "
        "be amended — a unit's result the year lacks is given with "
        "Archive.annual(unit_year=...)"),
    "foreign.archive.no_year": ("không có tháng nào của năm {year} đã được chốt trong {path}",
                                "no finalized month of {year} in {path}"),
    "foreign.archive.no_rules": (
        "không có bộ quy định nào được lưu cho người được đánh giá {staff} trong năm {year}; "
        "thêm --rules",
        "no rule set is archived for staff {staff} in {year}; pass rules=..."),
    "foreign.archive.no_inputs": (
        "không tính lại được kỳ {period}: tháng được chốt không kèm dữ liệu đơn vị (tệp kết "
        "quả không có dữ liệu đó, hoặc --no-classify), nên giá trị sửa không thể đưa vào mức "
        "xếp loại; chưa ghi gì",
        "cannot re-derive {period}: it was finalized without its unit inputs (a results file "
        "without them, or --no-classify), so an amended input cannot be carried to the "
        "grades; nothing was recorded"),
    "foreign.archive.mixed": (
        "không tính lại được kỳ {period}: tháng có nhiều bộ quy định ({rules}); chưa ghi gì",
        "cannot re-derive {period}: the month mixes the rule sets {rules}; nothing was "
        "recorded"),
    "foreign.archive.no_rule_set": (
        "không tính lại được kỳ {period}: người được đánh giá {staff} không có bộ quy định",
        "cannot re-derive {period}: staff {staff} has no rule set"),
    "foreign.archive.unreadable": (
        "không tính lại được kỳ {period} theo {rules}: không đọc được dữ liệu đầu vào "
        "({detail})",
        "cannot re-derive {period} under {rules}: the inputs cannot be read ({detail})"),
    "foreign.archive.rederive_under": ("không tính lại được kỳ {period} theo {rules}: {text}",
                                       "cannot re-derive {period} under {rules}: {text}"),
    "foreign.archive.rederive": ("không tính lại được kỳ {period}: {text}",
                                 "cannot re-derive {period}: {text}"),
    # ---- an amendment's fields and values (evalkit.io.archive.amendable_fields)
    "foreign.amend.derived_hint": (
        "không sửa được {field} — đây là giá trị tính ra: hãy sửa dữ liệu đầu vào tạo ra nó; "
        "có phải là {close}? (dữ liệu đầu vào của {rules}: {fields})",
        "{field} cannot be amended — it is derived: change the inputs it comes from; did you "
        "mean {close}? (the inputs of {rules}: {fields})"),
    "foreign.amend.derived": (
        "không sửa được {field} — đây là giá trị tính ra: hãy sửa dữ liệu đầu vào tạo ra nó "
        "(dữ liệu đầu vào của {rules}: {fields})",
        "{field} cannot be amended — it is derived: change the inputs it comes from (the "
        "inputs of {rules}: {fields})"),
    "foreign.amend.unknown_hint": (
        "không sửa được {field}; có phải là {close}? (dữ liệu đầu vào của {rules}: {fields})",
        "{field} cannot be amended; did you mean {close}? (the inputs of {rules}: {fields})"),
    "foreign.amend.unknown": (
        "không sửa được {field} (dữ liệu đầu vào của {rules}: {fields})",
        "{field} cannot be amended (the inputs of {rules}: {fields})"),
    "foreign.amend.who": ("một điều chỉnh cần ghi người sửa (by) và lý do (why) ({name})",
                          "an amendment needs who (by) and why ({name})"),
    "archive.amend.same": (
        "{fields} của người được đánh giá {staff!r} đã là giá trị này: điều chỉnh không thay đổi "
        "gì nên "
        "không được ghi",
        "{fields} of staff {staff!r} already hold the value: the amendment changes nothing, "
        "so nothing was recorded"),
    "archive.amend.no_effect": (
        "sửa {fields} không làm thay đổi kết quả nào (tổng điểm, mức xếp loại) của kỳ {period}: "
        "giá trị này không được tính cho người được đánh giá {staff!r} (ví dụ tiêu chí quản lý "
        "của người "
        "không giữ chức vụ quản lý); không ghi điều chỉnh",
        "changing {fields} changes no result (total, grades) of {period}: the value does not "
        "count for staff {staff!r} (e.g. a management criterion of someone who manages "
        "nobody); nothing was recorded"),
    # a month's leave against its scores (evalkit.io.archive._leave_and_scores); {cited}:
    # " (citation)" of the month's set's rule on leave (rollup.leave), or nothing
    "archive.amend.leave_clear_scores": (
        "tháng {period} được ghi nghỉ theo quy định ({leave}) nhưng vẫn còn điểm ({fields}): "
        "tháng nghỉ không có điểm và không tính vào kết quả năm{cited}; "
        "trong cùng lần điều chỉnh, xóa các điểm đó: {sets}",
        "{period} is put on leave ({leave}) but still holds scores ({fields}): a month on "
        "leave has no score and is left out of the year{cited}; clear them "
        "in the same amendment: {sets}"),
    "archive.amend.leave_month_scored": (
        "tháng {period} là tháng nghỉ theo quy định ({leave}) nên không có điểm ({fields}): "
        "nếu người đó có làm việc trong tháng, trong cùng lần điều chỉnh ghi --set leave= "
        "(xóa ô nghỉ) và đủ các điểm của tháng{cited}",
        "{period} is a month on leave ({leave}), so it has no score ({fields}): if the "
        "person worked that month, give --set leave= (clearing the leave) and every score "
        "of the month in the same amendment{cited}"),
    "archive.amend.leave_cleared_no_scores": (
        "xóa ô nghỉ làm tháng {period} thành tháng làm việc nhưng tháng chưa có điểm "
        "({fields}): ghi các điểm đó trong cùng lần điều chỉnh: {sets}",
        "clearing the leave makes {period} a month worked, but it has no scores ({fields}): "
        "give them in the same amendment: {sets}"),
    "foreign.amend.nothing": ("một điều chỉnh cần ít nhất một giá trị được sửa",
                              "an amendment needs at least one changed value"),
    "foreign.amend.blank": ("{field} cần một giá trị", "{field} needs a value"),
    "foreign.amend.not_finite": ("{field} phải là một số hữu hạn",
                                 "{field} must be a finite number"),
    "foreign.amend.negative": ("{field} là số âm", "{field} is negative"),
    "foreign.amend.count": ("{field} là số lần: phải là số nguyên",
                            "{field} is a count: a whole number"),
}

# ---- archive: the results checks of finalize, archive verify, rule periods and statuses
# (evalkit.io.archive builds these messages; the command line shows them in its language)
_ARCHIVE: dict[str, tuple[str, str]] = {
    "archive.check.who": ("{text} (người được đánh giá {staff!r})", "{text} (staff {staff!r})"),
    "archive.check.col.total": ("tổng điểm", "total"),
    "archive.check.col.grade": ("mức xếp loại", "grade"),
    "archive.check.col.score_grade": ("mức theo khung điểm", "score grade"),
    "archive.check.col.proposed_grade": ("mức đề xuất", "proposed grade"),
    # a leader's management component d as applied (NĐ 335/2025 Điều 15 k3)
    "archive.check.col.mgmt_value": ("thành phần kết quả lĩnh vực, đơn vị phụ trách (d) đã áp dụng",
                                     "management component d applied"),
    "archive.check.what.units": ("Kết quả xếp loại đơn vị", "unit results"),
    "archive.check.what.inputs": ("Dữ liệu đầu vào của đơn vị", "unit inputs"),
    "archive.check.no_band": ("không thuộc khung nào", "no band"),
    "archive.check.none": ("không có tháng nào", "none"),
    "archive.check.no_staff_column": ("kết quả không có cột mã nhân sự",
                                      "results have no staff_id column"),
    "archive.check.blank_staff": ("mã nhân sự để trống", "blank staff id"),
    "archive.check.staff_not_text": ("mã nhân sự không ở dạng chữ", "the staff id is not text"),
    "archive.check.staff_fraction": ("mã là số không nguyên: mã là chữ hoặc số nguyên",
                                     "the id is a number that is not whole: an id is text or "
                                     "a whole number"),
    "archive.check.staff_control": ("mã nhân sự chứa ký tự điều khiển (xuống dòng, ký tự ẩn)",
                                    "the staff id contains a control character"),
    "archive.check.duplicate_staff": ("mã nhân sự bị trùng trong kết quả",
                                      "duplicate staff id in the results"),
    "archive.check.same_person": (
        "các mã nhân sự {ids} là cùng một người khi bỏ dấu cách và ký tự vô hình",
        "staff ids {ids} are one person once spaces and invisible characters are removed"),
    "archive.check.not_a_month": ("không phải là tháng như 2026-03",
                                  "is not a month like 2026-03"),
    "archive.check.period_not_month": ("kỳ {period} không phải là một tháng",
                                       "{period} is not a month"),
    "archive.check.quarter_not_quarterly": (
        "kỳ {period} là một quý: bộ quy định {rules!r} chấm điểm theo tháng, không theo quý",
        "{period} is a quarter: {rules!r} scores months, not quarters"),
    "archive.check.other_month": ("không phải là tháng đang chốt (tháng {expected})",
                                  "is not the month finalized, {expected}"),
    "archive.check.file_month": (
        "không phải là tháng của tệp (tháng {expected}): mỗi tệp kết quả chỉ chứa một tháng",
        "is not the file's month, {expected}: a results file holds one month"),
    "archive.check.rules_not_text": ("tên bộ quy định không ở dạng chữ",
                                     "the rule set id is not text"),
    "archive.check.no_rules_here": ("kết quả này không ghi theo bộ quy định nào",
                                    "no rule set is named for this result"),
    "archive.check.no_rules": (
        "kết quả không ghi theo bộ quy định nào (thêm cột bộ quy định vào tệp, hoặc chọn bộ "
        "quy định khi chốt)",
        "results name no rule set (a rule_set column, or rules=...)"),
    "archive.check.unknown_rules": (
        "không có bộ quy định {rules!r}{hint} (bộ quy định viết trong tệp riêng thì phải đưa tệp "
        "đó vào khi chốt)",
        "unknown rule set {rules!r}{hint} (a rule file's set: pass it as rules)"),
    "archive.check.total_not_number": ("tổng điểm không phải là số", "the total is not a number"),
    "archive.check.total_not_finite": ("tổng điểm không phải là một số hữu hạn",
                                       "the total is not a finite number"),
    "archive.check.total_outside": ("tổng điểm nằm ngoài khoảng từ 0 đến {top}",
                                    "the total is outside 0 to {top}"),
    "archive.check.no_total_column": ("kết quả không có cột tổng điểm",
                                      "results have no total column"),
    "archive.check.no_grade_column": ("kết quả không có cột mức xếp loại",
                                      "results have no grade column"),
    "archive.check.unknown_reason": (
        "mã lý do {codes} không có trong danh mục lý do của bộ quy định {rules}: phiếu không "
        "diễn giải được",
        "reason code {codes} is not in the catalogue of reasons of rule set {rules}: no sheet "
        "could explain it"),
    "archive.check.not_yes_no": (
        "không phải giá trị có/không (true/false, 1/0, x hoặc để trống)",
        "not a yes/no value (true/false, 1/0, x or blank)"),
    "archive.check.reasons_not_text": (
        "lý do không ở dạng chữ (các lý do ghi liền nhau, cách nhau bằng dấu chấm phẩy)",
        "the reasons are not text (codes joined by ';')"),
    "archive.check.unit_not_text": ("mã đơn vị không ở dạng chữ", "the unit id is not text"),
    "archive.check.not_finite": ("không phải là một số hữu hạn", "is not a finite number"),
    "archive.check.score_outside": (
        "điểm của tiêu chí {criterion!r} nằm ngoài khoảng từ 0 đến {top} (mức tối đa)",
        "the score of criterion {criterion!r} is outside 0 to {top} (its maximum)"),
    "archive.check.score_outside_no_org": (
        "điểm của tiêu chí {criterion!r} nằm ngoài khoảng từ 0 đến {top} (mức tối đa; nếu vị "
        "trí việc làm có mức tối đa riêng, chạy kèm --org với tệp tổ chức)",
        "the score of criterion {criterion!r} is outside 0 to {top} (its maximum; where the "
        "position has a maximum of its own, pass --org with the organisation file)"),
    "archive.check.no_rows": ("tệp kết quả không có kết quả nào (danh sách rows rỗng): không "
                              "có gì để in",
                              "the results file holds no results (its rows are empty): "
                              "nothing to render"),
    "archive.check.grade_without_total": ("có {what} nhưng không có tổng điểm",
                                          "a {what} without a total"),
    "archive.check.score_grade_band": (
        "mức theo khung điểm ghi {grade}, nhưng tổng điểm {total} thuộc khung {band} "
        "theo {rules}",
        "score grade {grade} is not the band of the total {total} ({band}) under {rules}"),
    "archive.check.above_band": (
        "mức xếp loại {grade} cao hơn khung {band} của tổng điểm {total} theo {rules}",
        "grade {grade} is above the band of the total {total} ({band}) under {rules}"),
    "archive.check.below_band": (
        "mức xếp loại {grade} thấp hơn khung {band} của tổng điểm {total} theo {rules} mà "
        "không ghi lý do hạ mức (thuộc trường hợp bị giới hạn mức theo quy định, người đứng "
        "đầu không được xếp cao hơn đơn vị, cấp có thẩm quyền kết luận mức khác, hoặc vượt "
        "tỷ lệ)",
        "grade {grade} is below the band of the total {total} ({band}) under {rules} "
        "without a reason code that lowers it (a cap or disqualifier, cap.head_unit, "
        "competent.concluded, quota.demoted)"),
    "archive.check.above_cap": (
        "mức xếp loại {grade} cao hơn mức {cap}, là mức cao nhất được xếp khi có lý do đã "
        "ghi ({reasons})",
        "grade {grade} is above {cap}, the most its reasons ({reasons}) allow"),
    "archive.year.unknown_unit": (
        "đơn vị {value!r} không có trong tháng nào của năm {year} trong tệp lưu trữ{hint}",
        "unit {value!r} is in no month of {year} in the archive{hint}"),
    "archive.check.units.no_column": ("{what} không có cột mã đơn vị",
                                      "{what} have no unit_id column"),
    "archive.check.units.blank": ("{what}: mã đơn vị để trống hoặc không ở dạng chữ",
                                  "{what}: blank or non-text unit id"),
    "archive.check.units.duplicate": ("{what}: trùng mã đơn vị", "{what}: duplicate unit id"),
    # a unit's value refused with a door's own sentence (a grade: foreign.grade)
    "archive.check.units.said": ("{what}: {text}", "{what}: {text}"),
    "archive.check.units.not_number": ("{what}: không phải là số hữu hạn lớn hơn hoặc bằng 0",
                                       "{what}: not a finite number ≥ 0"),
    "archive.check.no_by": ("việc chốt cần ghi tên người chốt",
                            "finalize needs who finalizes (by=...)"),
    "archive.check.other_months": ("kết quả có cả kỳ {others}, không chỉ tháng {period}",
                                   "results hold {others}, not only {period}"),
    "archive.check.one_month": (
        "kết quả phải thuộc đúng một tháng mới chốt được (trong tệp có: {found})",
        "results must hold exactly one month to finalize (found: {found})"),
    # a row marked classified by unit whose unit's inputs the results lack (io.archive)
    "archive.check.unit_inputs_missing": (
        "{n} kết quả của đơn vị {unit!r} (đầu tiên: người được đánh giá {staff!r}) ghi đã xếp "
        "loại theo đơn vị, nhưng tệp kết quả không có dữ liệu đầu vào của đơn vị {unit!r} "
        "(bảng unit_inputs) để xếp loại lại (đơn vị được xếp loại trước cá nhân); hãy xếp "
        "loại lại bằng evalkit classify rồi chốt hoặc in phiếu từ tệp kết quả đó",
        "{n} results of unit {unit!r} (first: staff {staff!r}) say they were classified by "
        "unit, but the results file carries no inputs of unit {unit!r} (its unit_inputs) to "
        "classify them again (units come before individuals); classify again with evalkit "
        "classify, then finalize or render those results"),
    "archive.check.no_inputs": (
        "kết quả không có điểm tiêu chí nào theo {rules} để xếp loại lại khi lưu cùng dữ liệu "
        "đầu vào của đơn vị: hãy chốt bảng nhân sự theo kỳ (điểm từng tiêu chí) ghép với kết "
        "quả xếp loại",
        "the results carry none of {rules}'s criterion scores to classify again with the "
        "units' inputs: finalize the staff-month frame (each criterion's scores) joined with "
        "the classification's results"),
    "archive.check.not_following": (
        "người được đánh giá {staff!r}: {what} ghi {value!r} nhưng dữ liệu đầu vào cho "
        "{derived!r} theo "
        "{rules} — kết quả không khớp với {inputs}; hãy xếp loại lại",
        "staff {staff!r}: the {what} is {value!r} but its inputs give {derived!r} under "
        "{rules} — the results do not follow from {inputs}; classify again"),
    # a scored month under a set that classifies it (io.archive._check_scored)
    "archive.check.scored_not_classified": (
        "{n} kết quả chỉ được chấm điểm, chưa xếp loại theo đơn vị, mà {rules} xếp loại kỳ "
        "{period} (đơn vị trước, người đứng đầu không cao hơn đơn vị, tỷ lệ): mức ghi trong tệp "
        "chưa phải là kết quả xếp loại; hãy xếp loại bằng evalkit classify rồi chốt hoặc in "
        "phiếu từ tệp kết quả đó",
        "{n} results are only scored, not classified by unit, but {rules} classifies "
        "{period} (units first, the head not above the unit, the quota): the grades in the "
        "file are no classification; classify with evalkit classify, then finalize or "
        "render those results"),
    # a scored month's leader whose d no engine computed (io.archive._check_scored)
    "archive.check.d_unchecked": (
        "cán bộ {staff!r} có chức vụ lãnh đạo, quản lý: thành phần {criterion!r} ghi {value!r} "
        "được tính từ điểm của những người thuộc quyền ({rules}), nhưng kết quả chỉ được chấm "
        "điểm, không có dữ liệu đầu vào của đơn vị để tính lại; hãy xếp loại tháng bằng "
        "evalkit classify với bảng đơn vị (hoặc --org) rồi chốt tệp kết quả đó",
        "staff {staff!r} holds a leadership post: the management component {criterion!r} is "
        "{value!r}, computed from the scores of the staff under them ({rules}), but the "
        "results are only scored, without the units' inputs to compute it again; classify "
        "the month with evalkit classify and its units (or --org), then finalize those "
        "results"),
    # whose inputs the results do not follow: those finalize archives with them, or the
    # results file's own (render refuses what finalize refuses: io.archive.follow_problems)
    "archive.check.inputs.archived": ("dữ liệu đầu vào được lưu cùng kết quả",
                                      "the inputs archived with them"),
    # a year's (or quarter's) results read back, checked against its months (workflow.checked)
    "workflow.joined_unchecked": (
        "các dòng kết quả đọc lại từ tệp này đã được ghép với kết quả khác trước khi đối "
        "chiếu: hãy đối chiếu kết quả của từng tệp (evalkit.workflow.checked) rồi mới ghép",
        "rows read back from this file were joined with other results before being "
        "checked: check each file's results (evalkit.workflow.checked), then join them"),
    "workflow.year_needs_months": (
        "kết quả kỳ {period} đọc lại từ tệp chỉ được in phiếu khi đối chiếu với các tháng đã "
        "dùng để xếp loại kỳ đó: hãy đưa các tháng vào (months=...)",
        "the results of {period} read back from a file are printed only once checked "
        "against the months they were classified from: pass the months (months=...)"),
    "workflow.year_no_months": (
        "người được đánh giá {staff!r} có kết quả kỳ {period} nhưng không có tháng nào của "
        "người này trong các tháng được đưa vào để đối chiếu",
        "staff {staff!r} has a result for {period} but none of their months is among the "
        "months given to check it"),
    "workflow.year_inputs": ("kết quả các tháng được đưa vào", "the months given"),
    "workflow.year_col.annual_total": ("điểm cả kỳ", "annual total"),
    "workflow.year_col.annual_grade": ("mức xếp loại cả kỳ", "annual grade"),
    "workflow.year_col.total": ("tổng điểm", "total"),
    "workflow.year_col.grade": ("mức xếp loại", "grade"),
    "archive.check.inputs.file": ("dữ liệu đầu vào ghi trong tệp kết quả",
                                  "the inputs in the results file"),
    "archive.amend.cell": ("{field}: {what}", "{field}: {what}"),
    "archive.check.unit_not_following": (
        "{period}, đơn vị {unit!r}: cột {column!r} của kết quả đơn vị ghi {value!r} nhưng dữ "
        "liệu đầu vào của đơn vị cho {derived!r} theo {rules} — kết quả của đơn vị không khớp "
        "với {inputs}; hãy xếp loại lại",
        "{period}, unit {unit!r}: the unit result's {column!r} is {value!r} but the unit's "
        "inputs give {derived!r} under {rules} — the unit results do not follow from "
        "{inputs}; classify again"),
    "archive.check.unit_not_in_inputs": (
        "đơn vị {unit!r} có kết quả nhưng không có trong dữ liệu đầu vào của đơn vị",
        "unit {unit!r} has a result but is not in the unit inputs"),
    "foreign.archive.reclassify": (
        "không xếp loại lại được từ dữ liệu đầu vào được lưu: {text}",
        "the archived inputs cannot be classified again: {text}"),
    "foreign.archive.reclassify_file": (
        "không xếp loại lại được từ dữ liệu đầu vào ghi trong tệp kết quả: {text}",
        "the inputs in the results file cannot be classified again: {text}"),
    # ---- archive verify
    "archive.verify.head": ("tệp lưu trữ {path} (cấu trúc phiên bản {version}): {n} tháng",
                            "archive {path} (schema version {version}): {n} month(s)"),
    "archive.verify.month": (
        "  {period}  {rows:>7,} kết quả  {amendments:>3} điều chỉnh  dấu niêm phong {seal}  "
        "{state}",
        "  {period}  {rows:>7,} rows  {amendments:>3} amendment(s)  seal {seal}  {state}"),
    "archive.verify.ok": ("khớp", "ok"),
    "archive.verify.mismatch": ("KHÔNG KHỚP", "MISMATCH"),
    "archive.verify.note": ("  lưu ý: {text}", "  note: {text}"),
    "archive.verify.problems": ("{n} lỗi:", "{n} problem(s):"),
    "archive.verify.all_ok": ("mọi tháng đều khớp với dấu niêm phong",
                              "every month matches its seal"),
    "foreign.archive.legacy": (
        "cấu trúc phiên bản {version} chưa có chuỗi băm: mỗi tháng được đối chiếu với mã "
        "kiểm tra của nó; mở tệp để ghi một lần để niêm phong",
        "schema version {version} has no hash chain: each month is checked against its "
        "checksum; open the file for writing once to seal it"),
    "archive.verify.label.row": ("người được đánh giá {name}", "staff {name}"),
    "archive.verify.label.unit": ("đơn vị {name}", "unit {name}"),
    "archive.verify.label.input": ("dữ liệu đầu vào của đơn vị {name}", "unit input {name}"),
    "archive.verify.label.amendment": ("điều chỉnh số {name}", "amendment {name}"),
    "archive.verify.label.year": ("bản ghi bộ quy định của năm số {name}",
                                  "rule set record {name}"),
    "archive.verify.line": ("{where}: {text}", "{where}: {text}"),
    "archive.verify.error": ("tệp lưu trữ {path} không còn nguyên vẹn: {first}{more}",
                             "archive integrity of {path}: {first}{more}"),
    "archive.verify.error_no_path": ("tệp lưu trữ không còn nguyên vẹn: {first}{more}",
                                     "archive integrity: {first}{more}"),
    "archive.verify.more": (" (và {n} lỗi nữa)", " (and {n} more)"),
    "archive.verify.sqlite": ("SQLite báo lỗi: {text}", "SQLite: {text}"),
    "archive.verify.trigger": (
        "thiếu một cơ chế chống sửa của {name} (bị xóa ngoài chương trình)",
        "the trigger {name} is missing (dropped outside evalkit)"),
    "archive.verify.part.staff": ("kết quả cá nhân", "the staff result"),
    "archive.verify.part.data": ("kết quả cá nhân (nội dung ghi)",
                                 "the staff result (its JSON document)"),
    "archive.verify.part.unit": ("kết quả của đơn vị", "the unit result"),
    "archive.verify.part.input": ("dữ liệu đầu vào của đơn vị", "the unit's input"),
    "archive.verify.not_in_archive": ("tháng này không có trong tệp lưu trữ",
                                      "the month is not in the archive"),
    "archive.verify.never_sealed": ("tháng này chưa từng được niêm phong khi chốt",
                                    "the month was never sealed by finalize"),
    "archive.verify.record": (
        "thông tin chốt của tháng (bộ quy định và nội dung bộ quy định được lưu, người chốt, "
        "thời điểm, số kết quả, mã kiểm tra) không khớp với dấu niêm phong",
        "the month's record (rule set and the rule set kept, who, when, rows, checksum) does "
        "not match its seal"),
    "archive.verify.part_changed": (
        "{part} không khớp với dấu niêm phong của tháng (bị sửa hoặc thêm ngoài chương trình)",
        "{part} does not match the month's seal (changed or added outside evalkit)"),
    "archive.verify.rows_missing": (
        "thiếu {n} kết quả cá nhân đã được niêm phong (bị xóa ngoài chương trình)",
        "{n} sealed staff result(s) are missing (deleted outside evalkit)"),
    "archive.verify.parts_changed": (
        "{part} không khớp với dấu niêm phong của tháng (một dòng bị xóa, hoặc dòng và vị trí "
        "của nó cùng bị sửa, ngoài chương trình)",
        "{part}s do not match the month's seal (a row deleted, or the rows and their locators "
        "changed together, outside evalkit)"),
    "archive.verify.numbering": (
        "các điều chỉnh được đánh số đến {last} nhưng tệp chỉ có {count}",
        "the amendments are numbered up to {last} but {count} are in the archive"),
    "archive.verify.amendment_missing": ("không còn trong tệp lưu trữ (bị xóa ngoài chương trình)",
                                         "is missing from the archive (deleted outside evalkit)"),
    "archive.verify.amendment_chain": (
        "(người được đánh giá {staff}, người sửa {by}) không khớp với chuỗi niêm phong của tháng "
        "(bị sửa, "
        "hoặc một điều chỉnh trước đó bị xóa, ngoài chương trình)",
        "(staff {staff}, by {by}) does not match the month's chain (changed, or an earlier "
        "amendment removed, outside evalkit)"),
    "archive.year.cannot_record": (
        "không xếp loại được năm {year} theo bộ quy định {rules}: bộ quy định chỉ định cho "
        "năm phải được ghi vào tệp lưu trữ {path}, nhưng tệp chỉ mở để đọc (không ghi được); "
        "hãy mở tệp để ghi, hoặc bỏ --rules để xếp loại theo bộ quy định đã ghi cho năm "
        "({recorded})",
        "the year {year} cannot be classified under {rules}: a set named for a year is "
        "recorded in the archive, and {path} is open read-only (it cannot be written); open "
        "it for writing, or leave out rules (--rules) to classify the year under the set "
        "recorded for it ({recorded})"),
    "archive.year.recorded_other_content": (
        "năm {year} được xếp loại theo bộ quy định {rules} như đã ghi cho năm; {months} "
        "được chốt theo nội dung khác của bộ quy định này và được đọc theo nội dung đó; để "
        "xếp loại năm theo nội dung mới, hãy chỉ định lại bộ quy định ({again}) để ghi lại",
        "the year {year} is classified under {rules} as it was recorded for the year; "
        "{months} finalized under another content of that set, each read under its own; "
        "to classify the year under the new content, name the set again ({again}) to record "
        "it"),
    "archive.verify.year_rule_set": (
        "bộ quy định {rules} được ghi cho năm không khớp với chuỗi niêm phong của các bản ghi "
        "(bị sửa hoặc thêm, hoặc một bản ghi trước đó bị xóa, ngoài chương trình)",
        "the rule set {rules} recorded for the year does not match the records' chain "
        "(changed or added, or an earlier record removed, outside evalkit)"),
    "archive.verify.orphan": ("không thuộc tháng nào đã chốt (bị thêm ngoài chương trình)",
                              "belongs to no finalized month (added outside evalkit)"),
    "archive.verify.orphan_rows": (
        "có các dòng được sửa nhưng không có bản ghi điều chỉnh (bị xóa ngoài chương trình)",
        "has changed rows but no amendment record (removed outside evalkit)"),
    "archive.verify.old_seal": (
        "dấu niêm phong {seal} có trước lần nâng cấp lên cấu trúc mới (phiên bản {version}) "
        "không còn khớp với nội dung của tháng như phiên bản đó đã niêm phong",
        "the seal {seal} printed before the upgrade (schema {version}) no longer matches the "
        "month as that schema sealed it"),
    "archive.verify.history_record": (
        "bản ghi về dấu niêm phong đã được thay khi nâng cấp không khớp với dấu niêm phong "
        "của tháng (bị sửa ngoài chương trình)",
        "the record of the seal replaced by the upgrade does not match the month's seal "
        "(changed outside evalkit)"),
    "archive.verify.history_missing": (
        "không còn bản ghi về dấu niêm phong có trước lần nâng cấp (bị xóa ngoài chương "
        "trình)",
        "the record of the seal printed before the upgrade is missing (deleted outside "
        "evalkit)"),
    "archive.verify.superseded": (
        "    dấu niêm phong {what}trước lần nâng cấp (phiên bản {version}, thay ngày "
        "{when}): {seal}  {state}",
        "    seal {what}printed before the upgrade (schema {version}, replaced {when}): "
        "{seal}  {state}"),
    "archive.seal.of_amendment": ("của điều chỉnh số {n} ", "of amendment {n} "),
    "archive.seal.month": ("tháng {period}", "{period}"),
    "archive.seal.amendment": ("điều chỉnh số {n} của tháng {period}",
                               "amendment {n} of {period}"),
    "archive.seal.current": (
        "dấu niêm phong {seal} là dấu niêm phong hiện tại của {what}: {state}",
        "seal {seal} is the current seal of {what}: {state}"),
    "archive.seal.replaced": (
        "dấu niêm phong {seal} là dấu niêm phong của {what} theo cấu trúc phiên bản "
        "{version}; lần nâng cấp ngày {when} đã niêm phong lại tháng: {state}",
        "seal {seal} is the seal of {what} made under schema {version}; the upgrade of "
        "{when} sealed the month again: {state}"),
    "archive.seal.matches": ("khớp với tháng", "it matches the month"),
    "archive.seal.differs": ("không khớp với tháng (bị sửa ngoài chương trình)",
                             "it does not match the month (changed outside evalkit)"),
    "archive.seal.old_matches": (
        "vẫn khớp với nội dung của tháng như phiên bản {version} đã niêm phong",
        "it still matches the month as schema {version} sealed it"),
    "archive.seal.old_differs": (
        "không còn khớp với nội dung của tháng như phiên bản {version} đã niêm phong (bị sửa "
        "ngoài chương trình)",
        "it does not match the month as schema {version} sealed it (changed outside evalkit)"),
    "archive.seal.bad": (
        "{seal!r} không phải là dấu niêm phong: 64 ký tự thập lục phân, ít nhất 16 ký tự đầu",
        "{seal!r} is not a seal: 64 hexadecimal characters, at least the first 16"),
    "archive.seal.unknown": ("không tháng nào trong {path} có dấu niêm phong {seal}",
                             "no month of {path} has the seal {seal}"),
    "archive.verify.checksum": (
        "các kết quả không khớp với mã kiểm tra được lưu khi chốt tháng",
        "the rows do not match the checksum stored when the month was finalized"),
    # ---- no rule set in force (evalkit.rules registry's NoRuleSetError)
    "rules.no_set": (
        "không có bộ quy định nào có hiệu lực đối với {category} trong kỳ {period} (phạm vi "
        "áp dụng {jurisdiction!r}). Các bộ có hiệu lực tại đó ngày {date}: {have}."
        "{elsewhere}{contract} {supply}",
        "no rule set is in force for {category} in {period} (jurisdiction {jurisdiction!r}). "
        "In force on {date} there: {have}.{elsewhere}{contract} {supply}"),
    "rules.no_set.none": ("không có", "none"),
    "rules.no_set.elsewhere": (" Đối với {category} ở phạm vi áp dụng khác: {sets}.",
                               " For {category} in other jurisdictions: {sets}."),
    "rules.no_set.contract": (
        " Chưa có văn bản trung ương quy định việc đánh giá người lao động hợp đồng: họ được "
        "đánh giá theo quy chế riêng của cơ quan, đơn vị.",
        " No national text sets how contract staff are evaluated: they are evaluated under "
        "their agency's own regulation."),
    "rules.no_set.supply": (
        "Để dùng quy định riêng của cơ quan, hãy viết một tệp quy định (docs/rule-sets.md; có "
        "thể bắt đầu từ một bộ có sẵn với `extends = \"<mã>\"`) rồi truyền "
        "`rules=\"agency.toml\"` hoặc đăng ký bằng "
        "`evalkit.rules.load(\"agency.toml\", register=True)`; để áp dụng một bộ ngoài thời "
        "gian hiệu lực, nêu bộ đó kèm `force=True`.",
        "To supply your agency's rules, write a rule file (docs/rule-sets.md; it may start "
        "from a preset with extends = \"<id>\") and pass rules=\"agency.toml\" or register "
        "it with evalkit.rules.load(\"agency.toml\", register=True); to apply a set outside "
        "its dates, name it with force=True."),
    # the same advice for the command line: options, never Python arguments (for_cli)
    "cli.rules.no_set.supply": (
        "Để dùng quy định riêng của cơ quan, hãy viết một tệp quy định (docs/rule-sets.md; có "
        "thể bắt đầu từ một bộ có sẵn với `extends = \"<mã>\"`) rồi đưa vào lệnh: --rules "
        "TỆP.toml; để áp dụng một bộ ngoài thời gian hiệu lực, nêu bộ đó bằng --rules MÃ kèm "
        "--force.",
        "To supply your agency's rules, write a rule file (docs/rule-sets.md; it may start "
        "from a preset with extends = \"<id>\") and pass it with --rules FILE.toml; to "
        "apply a set outside its dates, name it with --rules ID and --force."),
    # ---- rules list / rules show: periods and source statuses
    "rules.period.month": ("tháng", "month"),
    "rules.period.quarter": ("quý", "quarter"),
    "rules.period.year": ("năm", "year"),
    "rules.status.verified": ("đã đối chiếu văn bản", "verified"),
    "rules.status.secondary": ("theo nguồn thứ cấp", "secondary"),
    "rules.status.practice": ("thực tiễn", "practice"),
    "rules.status.unsourced": ("chưa có nguồn", "unsourced"),
    # the quota's tie-break keys (``tie_break``), in the words of workflow.quota_tie
    "rules.tie_break.total": ("tổng điểm", "total"),
    "rules.tie_break.tasks": ("điểm kết quả thực hiện nhiệm vụ", "task results"),
    "rules.tie_break.fewer_deductions": ("số lần bị trừ điểm", "fewer deductions"),
    "rules.tie_break.competent_order": ("thứ tự do cấp có thẩm quyền quyết định",
                                        "the competent level's order"),
}

_LEVEL_WORDS: dict[str, tuple[str, str]] = {
    "level.self": ("tự đánh giá", "self"),
    "level.manager": ("người quản lý trực tiếp", "manager"),
    "level.competent": ("cấp có thẩm quyền", "competent"),
}

_PLACES: dict[str, tuple[str, str]] = {
    "place.sheet": ("trang {sheet!r}", "sheet {sheet!r}"),
    "place.row": ("dòng {row}", "row {row}"),
    "place.row_label": ("dòng {row!r}", "row {row!r}"),
    "place.staff": ("người được đánh giá {staff!r}", "staff {staff!r}"),
    "place.unit": ("đơn vị {unit!r}", "unit {unit!r}"),
    "place.column": ("cột {column!r}", "column {column!r}"),
    "place.value": ("giá trị {value!r}", "value {value!r}"),
    "place.number": ("giá trị {value}", "value {value}"),
}

#: The names of the rule items a rule change lists (:func:`evalkit.rules.rule_changes`):
#: ``impact.rule.<table>.<field>`` (array selectors dropped: ``bands[HTXS].min`` is
#: ``bands.min``, ``{rule}`` its grade or the labelled rule's name), else the table's name
#: ``impact.rule.<table>``, else ``impact.rule.other`` — never a key path on a report.
_RULE_ITEMS: dict[str, tuple[str, str]] = {
    "impact.rule.jurisdiction": ("Địa bàn áp dụng", "Jurisdiction"),
    "impact.rule.categories": ("Đối tượng áp dụng", "Staff categories"),
    "impact.rule.effective_from": ("Ngày có hiệu lực", "In force from"),
    "impact.rule.effective_to": ("Ngày hết hiệu lực", "In force until"),
    "impact.rule.period": ("Kỳ đánh giá", "Evaluation period"),
    "impact.rule.classified": ("Kỳ xếp loại", "Periods classified"),
    "impact.rule.total": ("Tổng điểm tối đa", "Maximum total"),
    "impact.rule.bands.min": ("Loại {rule}: điểm từ", "{rule}: from (points)"),
    "impact.rule.bands.max": ("Loại {rule}: điểm đến", "{rule}: up to (points)"),
    "impact.rule.bands": ("Khung điểm loại {rule}", "Band {rule}"),
    "impact.rule.quota.percent": ("Tỷ lệ khống chế (%)", "Quota share (%)"),
    "impact.rule.quota.percent_if_unit_excellent": (
        "Tỷ lệ khống chế khi đơn vị được xếp loại cao (%)", "Quota share, excellent unit (%)"),
    "impact.rule.quota.base": ("Tỷ lệ khống chế: số người làm căn cứ tính",
                               "Quota: the people it counts from"),
    "impact.rule.quota.grade": ("Tỷ lệ khống chế: loại bị khống chế", "Quota: the grade limited"),
    "impact.rule.quota": ("Tỷ lệ khống chế", "Quota"),
    "impact.rule.rollup.quota.percent": ("Tỷ lệ khống chế cả năm (%)", "Year's quota share (%)"),
    "impact.rule.rollup": ("Xếp loại cả năm", "The year's classification"),
    "impact.rule.caps": ("Trường hợp xếp loại tối đa: {rule}", "Cap: {rule}"),
    "impact.rule.notices": ("Lưu ý: {rule}", "Notice: {rule}"),
    "impact.rule.groups": ("Nhóm tiêu chí: {rule}", "Criteria group: {rule}"),
    "impact.rule.units.excellent_tasks_done_percent": (
        "Đơn vị HTXS: tỷ lệ nhiệm vụ hoàn thành từ (%)", "Unit HTXS: tasks done from (%)"),
    "impact.rule.units.excellent_on_time_percent": (
        "Đơn vị HTXS: tỷ lệ nhiệm vụ đúng hạn từ (%)", "Unit HTXS: tasks on time from (%)"),
    "impact.rule.units.excellent_exceeded_percent": (
        "Đơn vị HTXS: tỷ lệ nhiệm vụ vượt mức từ (%)", "Unit HTXS: tasks exceeded from (%)"),
    "impact.rule.units.kht_below_done_percent": (
        "Đơn vị KHT: tỷ lệ nhiệm vụ hoàn thành dưới (%)", "Unit KHT: tasks done below (%)"),
    "impact.rule.units.excellent_share_percent": (
        "Tỷ lệ đơn vị trực thuộc được xếp HTXS (%)", "Share of sub-units rated HTXS (%)"),
    "impact.rule.units.excellent_share_raised_percent": (
        "Tỷ lệ đơn vị trực thuộc được xếp HTXS, mức cao hơn (%)",
        "Share of sub-units rated HTXS, the higher (%)"),
    "impact.rule.units.good_on_time_percent": (
        "Đơn vị HTT: tỷ lệ nhiệm vụ đúng hạn từ (%)", "Unit HTT: tasks on time from (%)"),
    "impact.rule.units.fair_done_percent": (
        "Đơn vị HT: tỷ lệ nhiệm vụ hoàn thành từ (%)", "Unit HT: tasks done from (%)"),
    "impact.rule.units.fair_late_max_percent": (
        "Đơn vị HT: tỷ lệ nhiệm vụ chậm hạn tối đa (%)", "Unit HT: tasks late at most (%)"),
    "impact.rule.management.full": ("Điểm quản lý: mức đủ (%)", "Management: full (%)"),
    "impact.rule.management.reduced": ("Điểm quản lý: mức giảm (%)", "Management: reduced (%)"),
    "impact.rule.caps.at_least": ("{rule}: xếp loại tối đa", "{rule}: graded at most"),
    "impact.rule.blocks": ("Cách tính điểm", "Scoring blocks"),
    "impact.rule.adjustments": ("Điều chỉnh điểm", "Score adjustments"),
    "impact.rule.units": ("Xếp loại đơn vị", "Unit classification"),
    "impact.rule.management": ("Điểm quản lý, lãnh đạo", "Management component"),
    "impact.rule.conclusion": ("Kết luận của cấp có thẩm quyền", "Competent level's conclusion"),
    "impact.rule.scoring": ("Cách tính điểm", "Scoring"),
    "impact.rule.products": ("Quy đổi sản phẩm", "Product conversion"),
    "impact.rule.inspections": ("Thanh tra, kiểm tra", "Inspections"),
    "impact.rule.position_maxima": ("Điểm tối đa theo vị trí", "Maxima by position"),
    "impact.rule.other": ("Quy định khác", "Other rule"),
    # a jurisdiction (``vn``, ``vn.mau``) and a duty group typed as a code (``chuyen_mon``)
    # in words: a Vietnamese page prints no code (the CSV and --json keep them)
    "impact.jurisdiction.national": ("Toàn quốc", "Nationwide"),
    "impact.jurisdiction.of_set": ("Nơi áp dụng {set}", "Where {set} applies"),
    "impact.duty_group": ("nhóm {n}", "group {n}"),
}

#: The impact report's words (:class:`evalkit.impact.ImpactReport`: its header, tables and
#: page), by ``impact.label.<name>``; ``more`` keeps its ``{n}`` for the row count.
_IMPACT_LABELS: dict[str, tuple[str, str]] = {
    "impact.label.title": (
        "BÁO CÁO TÁC ĐỘNG KHI THAY ĐỔI BỘ TIÊU CHÍ",
        "RULE-CHANGE IMPACT REPORT"),
    "impact.label.old": ("Trước", "Before (OLD)"),
    "impact.label.new": ("Sau", "After (NEW)"),
    "impact.label.data": ("Dữ liệu", "Data"),
    "impact.label.staff_months": ("lượt người-tháng", "staff-months"),
    "impact.label.person_years": ("lượt người-năm", "person-years"),
    "impact.label.people": ("người", "people"),
    "impact.label.periods": ("kỳ", "periods"),
    "impact.label.forced": (
        "Cả hai bộ tiêu chí được áp dụng cho mọi kỳ của dữ liệu, kể cả ngoài thời gian hiệu lực;"
        " nhóm đối tượng (công chức, viên chức) của dữ liệu không xét.",
        "Both rule sets are applied to every period of the data, inside or outside their "
        "effective dates (force=True); the staff category of the data is ignored."),
    "impact.label.summary": ("Thay đổi xếp loại", "Grade changes"),
    "impact.label.up": ("lên", "up"),
    "impact.label.down": ("xuống", "down"),
    "impact.label.same": ("giữ nguyên", "unchanged"),
    "impact.label.chart": ("Phân bố xếp loại (toàn bộ dữ liệu)", "Grade distribution (all data)"),
    "impact.label.distribution": (
        "Phân bố theo đơn vị (trước → sau)",
        "Distribution per unit (before → after)"),
    "impact.label.unit": ("Đơn vị", "Unit"),
    "impact.label.total_row": ("Tổng", "Total"),
    "impact.label.quota": (
        "Tỷ lệ khống chế (chỗ / ứng viên; còn trống)",
        "Quotas (places / candidates; headroom)"),
    "impact.label.group": ("Nhóm", "Group"),
    "impact.label.changes": ("Người thay đổi xếp loại", "People whose grade changes"),
    "impact.label.rules": ("Quy định thay đổi", "Rules changed"),
    "impact.label.col_item": ("Quy định", "Rule"),
    "impact.label.col_source": ("Căn cứ", "Source"),
    "impact.label.col_name": ("Họ và tên", "Full name"),
    "impact.label.col_period": ("Kỳ", "Period"),
    "impact.label.col_old": ("Trước", "Before"),
    "impact.label.col_new": ("Sau", "After"),
    "impact.label.col_delta": ("Chênh lệch", "Delta"),
    "impact.label.more": ("… và {n} dòng nữa (xem tệp CSV)", "… and {n} more rows (see the CSV)"),
    "impact.label.none": ("Không ai thay đổi xếp loại.", "Nobody's grade changes."),
    "impact.label.no_quota": (
        "Không có nhóm tỷ lệ khống chế (dữ liệu không có đơn vị hoặc bộ tiêu chí không có tỷ lệ).",
        "No quota groups (the data have no units or the rule sets no quota)."),
    "impact.label.notes": ("Ghi chú", "Notes"),
    "impact.label.page": ("Trang", "Page"),
    "impact.label.not_evaluated": ("Chưa ĐG", "Not eval."),
    "impact.label.not_classified": ("Không XL", "Not class."),
    "impact.label.yes": ("có", "yes"),
    "impact.label.no": ("không", "no"),
    "impact.label.col_id": ("Mã số", "ID"),
    # the notes of a comparison (ImpactReport.notes): a rule set is its short citation in
    # Vietnamese and its id in English, a criterion its label and its id (messages.Words)
    "impact.note.old": ("bộ trước", "OLD"),
    "impact.note.new": ("bộ sau", "NEW"),
    "impact.note.group": ("các tiêu chí của nhóm “{group}”", "the criteria of {group}"),
    "impact.note.filled": (
        "{rules} ({label}) cần tiêu chí {cid} nhưng dữ liệu không có: lấy điểm của tiêu chí "
        "{src}",
        "{rules} ({label}) needs {cid}, which the data lack: taken from {src}"),
    "impact.note.block_filled": (
        "{rules} ({label}) cần {ids} nhưng dữ liệu không có: mỗi tiêu chí được điền theo tỷ lệ "
        "điểm đạt được trên điểm tối đa của nhóm {block} của {of}",
        "{rules} ({label}) needs {ids}, which the data lack: each filled at the share of its "
        "maximum scored in the {block} block of {of}"),
    "impact.note.ignores": (
        "{rules} ({label}) không chấm {ids}, là tiêu chí mà {other} ({other_label}) chấm",
        "{rules} ({label}) ignores {ids}, which {other} ({other_label}) scores"),
    "impact.note.neither": (
        "cả {rules} ({label}) và {other} ({other_label}) đều không chấm {ids}: điểm của dữ "
        "liệu ở các tiêu chí đó không được tính theo bộ nào",
        "neither {rules} ({label}) nor {other} ({other_label}) scores {ids}: the data's "
        "scores there count under neither"),
    "impact.note.year_cited": (
        "so sánh theo kết quả xếp loại năm (các tháng được theo dõi, năm được xếp loại: "
        "{cited})",
        "compared on the year's classification (the months are monitored and the year "
        "classified: {cited})"),
    "impact.note.year": (
        "so sánh theo kết quả xếp loại năm (các tháng được theo dõi, năm được xếp loại)",
        "compared on the year's classification (the months are monitored and the year "
        "classified)"),
}

#: The kinds of rule :func:`evalkit.rules.sources.rule_sources` lists (``rules show``'s
#: table, ``rules check``): ``rules.kind.<kind>`` → (its Vietnamese words, the English
#: words that begin its stable name ``RuleSource.rule``: ``block`` of ``block general``).
#: A kind that is a table or a key of the rule file names it in brackets (:func:`rule_words`).
_RULE_KINDS: dict[str, tuple[str, str]] = {
    "rules.kind.rule_set": ("bộ quy định", "rule set"),
    "rules.kind.block": ("khối điểm", "block"),
    "rules.kind.adjustment": ("điều chỉnh điểm", "adjustment"),
    "rules.kind.band": ("khung điểm", "band"),
    "rules.kind.cap": ("trường hợp xếp loại tối đa", "cap"),
    "rules.kind.notice": ("lưu ý", "notice"),
    "rules.kind.quota": ("tỷ lệ khống chế [quota]", "quota"),
    "rules.kind.quota_raised": ("tỷ lệ khống chế nâng", "quota raised"),
    "rules.kind.quota_small_group": ("tỷ lệ khống chế của nhóm nhỏ [quota.small_group_size]",
                                     "quota small group"),
    "rules.kind.management": ("điểm của người lãnh đạo, quản lý [management]", "management"),
    "rules.kind.conclusion": ("kết luận của cấp có thẩm quyền [conclusion]", "conclusion"),
    "rules.kind.scoring": ("cách tính điểm [scoring]", "scoring"),
    "rules.kind.units": ("xếp loại đơn vị [units]", "units"),
    "rules.kind.unit_conditions": ("điều kiện đơn vị HTXS [units.excellent_on_time_percent]",
                                   "unit conditions"),
    "rules.kind.unit_small_parent": (
        "số đơn vị HTXS tối đa khi đơn vị cấp trên có ít đơn vị trực thuộc "
        "[units.small_parent_threshold]", "unit small parent"),
    "rules.kind.unit_kht_below_done": (
        "đơn vị KHT: tỷ lệ nhiệm vụ hoàn thành dưới mức [units.kht_below_done_percent]",
        "unit KHT below tasks done"),
    "rules.kind.unit_excellent_share": (
        "tỷ lệ đơn vị trực thuộc được xếp HTXS [units.excellent_share_percent]",
        "unit share of HTXS"),
    "rules.kind.unit_good_conditions": ("điều kiện đơn vị HTT [units.good_on_time_percent]",
                                        "unit HTT conditions"),
    "rules.kind.unit_fair_conditions": ("điều kiện đơn vị HT [units.fair_done_percent]",
                                        "unit HT conditions"),
    "rules.kind.unit_excellent_share_raised": (
        "tỷ lệ nâng đơn vị trực thuộc được xếp HTXS [units.excellent_share_raised_percent]",
        "unit raised share of HTXS"),
    "rules.kind.unit_shortcomings_remedied": (
        "đơn vị HTXS phải khắc phục hạn chế đã chỉ ra "
        "[units.excellent_requires_shortcomings_remedied]", "unit shortcomings remedied"),
    "rules.kind.unit_kht_personnel_wrongdoing": (
        "đơn vị KHT khi có sai phạm trong công tác cán bộ [units.kht_personnel_wrongdoing]",
        "unit KHT personnel wrongdoing"),
    "rules.kind.unit_kht_leadership_disciplined": (
        "đơn vị KHT khi thành viên tập thể lãnh đạo bị kỷ luật "
        "[units.kht_leadership_duty_disciplined]", "unit KHT leadership member disciplined"),
    "rules.kind.unit_kht_leadership_degraded": (
        "đơn vị KHT khi thành viên tập thể lãnh đạo suy thoái [units.kht_leadership_degraded]",
        "unit KHT leadership member degraded"),
    "rules.kind.unit_kht_socioeconomic_targets": (
        "đơn vị KHT khi không đạt chỉ tiêu kinh tế - xã hội cơ bản "
        "[units.kht_socioeconomic_targets_missed]", "unit KHT socio-economic targets missed"),
    "rules.kind.rollup": ("xếp loại cả năm [rollup]", "rollup"),
    "rules.kind.rollup_quota": ("tỷ lệ khống chế cả năm [rollup.quota]", "rollup quota"),
}

#: Every message: key → (Vietnamese, English).
CATALOGUE: Mapping[str, tuple[str, str]] = {**_CLI, **_PROBLEMS, **_ARCHIVE, **_LEVEL_WORDS,
                                             **_PLACES, **_RULE_ITEMS, **_IMPACT_LABELS,
                                             **_RULE_KINDS}


def check_lang(lang: str) -> str:
    """``lang`` if the catalogue speaks it; raises ValueError otherwise.

    >>> check_lang("en")
    'en'
    """
    if lang not in LANGS:
        raise ValueError(f"language {lang!r} is not supported; expected 'vi' or 'en'")
    return lang


class _Formatter(string.Formatter):
    """str.format that renders nested :class:`Msg` in the same language; ``raw`` drops
    ``!r`` (for values already written as Python writes them)."""

    def __init__(self, lang: str, raw: bool = False) -> None:
        self.lang = lang
        self.raw = raw

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if isinstance(value, Msg | Words):
            return value.text(self.lang)
        if self.raw and conversion == "r":
            return value
        return super().convert_field(value, conversion)

    def format_field(self, value: Any, format_spec: str) -> Any:
        if isinstance(value, Msg | Words):
            value = value.text(self.lang)
        return super().format_field(value, format_spec)


def or_blank(value: Any) -> Any:
    """A value for a sentence's ``{value!r}``: itself, or the word for a blank cell where
    it is None (never the word ``None`` on a message).

    >>> text("archive.check.not_following", "vi", staff="A",
    ...      what=msg("archive.check.col.grade"), value=or_blank(None),
    ...      derived=or_blank("HTT"), rules="r", inputs="i")[:72]
    "người được đánh giá 'A': mức xếp loại ghi để trống nhưng dữ liệu đầu vào"
    """
    return msg("word.blank") if value is None else value


def text(key: str, lang: str = "vi", /, **params: Any) -> str:
    """The sentence of ``key`` in ``lang`` with ``params`` filled in.

    >>> text("cli.render.done", "en", n=3, out="phieu-03")
    '3 file(s) written to phieu-03'
    """
    vi, en = CATALOGUE[key]
    return _Formatter(lang).format(en if lang == "en" else vi, **params)


def _freeze(params: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted(params.items()))


@attrs.frozen(slots=True)
class Msg:
    """A catalogue key with its parameters; words only when shown.

    ``str(m)`` is English (the library's language); :meth:`text` gives either language.
    """

    key: str
    params: tuple[tuple[str, Any], ...] = ()
    raw: bool = False

    def __attrs_post_init__(self) -> None:
        if self.key not in CATALOGUE:
            raise KeyError(f"message {self.key!r} is not in the catalogue")

    def text(self, lang: str = "vi") -> str:
        """The sentence in ``lang``."""
        vi, en = CATALOGUE[self.key]
        return _Formatter(lang, self.raw).format(en if lang == "en" else vi, **dict(self.params))

    def __str__(self) -> str:
        return self.text("en")


@attrs.frozen(slots=True)
class Words:
    """A parameter said differently in each language: a rule set is its citation in
    Vietnamese (``NĐ 335/2025/NĐ-CP``) and its id in English (``vn.nd335-2025``).

    >>> text("archive.check.total_outside", "vi", top=Words("7,5", "7.5"))
    'tổng điểm nằm ngoài khoảng từ 0 đến 7,5'
    >>> Words("NĐ 335/2025/NĐ-CP", "vn.nd335-2025").text("en")
    'vn.nd335-2025'
    """

    vi: str
    en: str

    def text(self, lang: str = "vi") -> str:
        """The words in ``lang``."""
        return self.en if lang == "en" else self.vi

    def __str__(self) -> str:
        return self.en


def msg(key: str, /, **params: Any) -> Msg:
    """A :class:`Msg` for ``key``.

    >>> msg("problem.over_maximum", maximum=100).text()
    'vượt mức tối đa 100'
    """
    return Msg(key, _freeze(params))


@attrs.frozen(slots=True)
class Problem(InputProblem):
    """An :class:`~evalkit.errors.InputProblem` whose sentence is a catalogue :class:`Msg`
    (so it can be shown in Vietnamese); ``message`` holds the English sentence."""

    msg: Msg | None = attrs.field(default=None, eq=False)


def problem(
    message: Msg,
    *,
    file: str | None = None,
    sheet: str | None = None,
    row: int | str | None = None,
    column: str | None = None,
    value: object = None,
    staff_id: str | None = None,
    unit_id: str | None = None,
) -> Problem:
    """A located problem whose sentence is ``message``."""
    return Problem(str(message), file, sheet, row, column, value, staff_id, message,
                   unit_id=unit_id)


def sentence(p: InputProblem, lang: str = "vi") -> str:
    """The sentence of a problem in ``lang`` (without its place)."""
    if isinstance(p, Problem) and p.msg is not None:
        return p.msg.text(lang)
    return translate(p.message, lang)


def _vi_float(x: float) -> str:
    """A number cell's value as Vietnamese writes it: ``3,5``; a whole one ``7``.

    >>> _vi_float(3.5), _vi_float(-1.0), _vi_float(0.125)
    ('3,5', '-1', '0,125')
    """
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(x).replace(".", ",")


def located(p: InputProblem, lang: str = "vi") -> str:
    """The whole line of a problem in ``lang``: where it is, then what it is.

    In English this is ``str(p)``.
    """
    if lang == "en":
        what = sentence(p, "en")
        return str(attrs.evolve(p, message=what)) if what != p.message else str(p)
    parts: list[str] = []
    if p.file is not None:
        parts.append(str(p.file))
    if p.sheet is not None:
        parts.append(text("place.sheet", lang, sheet=p.sheet))
    if p.row is not None:
        key = "place.row_label" if isinstance(p.row, str) else "place.row"
        parts.append(text(key, lang, row=p.row))
    if p.staff_id is not None:
        parts.append(text("place.staff", lang, staff=p.staff_id))
    if p.unit_id is not None:
        parts.append(text("place.unit", lang, unit=p.unit_id))
    if p.column is not None:
        parts.append(text("place.column", lang, column=p.column))
    if p.value is not None and not (isinstance(p.value, float) and p.value != p.value):
        if isinstance(p.value, float) and math.isfinite(p.value):  # 3,5 as the sentence
            parts.append(text("place.number", lang, value=_vi_float(p.value)))  # says it
        else:
            parts.append(text("place.value", lang, value=p.value))
    where = ", ".join(parts)
    what = sentence(p, lang)
    return f"{where}: {what}" if where else what


# --------------------------------------------------------------------------- translation


def _pattern(template: str) -> re.Pattern[str]:
    """A regex matching what ``template`` produces; each field captures its text."""
    out = ["^"]
    seen: set[str] = set()
    for literal, field, _spec, _conv in string.Formatter().parse(template):
        out.append(re.escape(literal))
        if field is not None:
            if field in seen:
                out.append(f"(?P={field})")
            else:
                seen.add(field)
                out.append(f"(?P<{field}>.+?)")
    out.append("$")
    return re.compile("".join(out), re.DOTALL)


#: Sentences whose pattern would also match a more particular one: tried last.
_CATCH_ALL = ("foreign.rules.toml", "foreign.rules.expected_only", "foreign.rules.must_be",
              "foreign.rules.category", "foreign.rules.criterion", "foreign.input.head",
              "foreign.input.head_one", "foreign.input.count",
              "foreign.json.cannot_read", "foreign.impact.workbook",
              "foreign.unit.in_period")
#: The catch-all of the catch-alls (any sentence with a parenthesis at its end): tried after
#: every other, so that only a sentence no other pattern reads is read as "… (period)".
_LAST = ("foreign.unit.in_period",)  # "cannot read {kind}": after "… the archive: …"


@functools.cache
def _foreign() -> list[tuple[str, re.Pattern[str]]]:
    """The library's English sentences as patterns: compiled once, on the first translation
    (not at import: ``evalkit --help`` stays quick)."""
    keys = [k for k in {**_PROBLEMS, **_ARCHIVE} if k.startswith("foreign.")]
    keys.sort(key=lambda k: (k in _CATCH_ALL, k in _LAST))  # stable: the catalogue's order else
    both = {**_PROBLEMS, **_ARCHIVE}
    return [(k, _pattern(both[k][1])) for k in keys]




@functools.cache
def _table_heads() -> list[tuple[str, re.Pattern[str]]]:
    return [(k, _pattern(v[1])) for k, v in _CLI.items() if k.startswith("cli.rules.head.")]


#: English for the command line where the library's sentence names a Python call.
_CLI_ENGLISH: dict[str, str] = {
    "foreign.not_in_force": "rule set {rules} is in force from {start} to {end}, not in "
                            "{period}; add --force to apply it anyway",
    "foreign.archive.finalized": "{period} was finalized on {at} by {by}; it cannot change — "
                                 "record a correction with `evalkit amend`",
    "foreign.archive.no_rules": "no rule set is archived for staff {staff} in {year}; pass "
                                "--rules",
    "foreign.archive.finalized_no_inputs": (
        "{period} was finalized on {at} by {by} without its unit inputs: it cannot change, "
        "nor be amended — a unit's result the year lacks is given with `evalkit annual "
        "--unit-grades FILE.csv`"),
}


def grade_msg(own: Sequence[str] = ()) -> Msg:
    """What every door says of a grade it does not read (``foreign.grade``): the codes,
    then a rule set's ``own`` names of the grades (Hà Nội's ``Loại A``)."""
    return msg("foreign.grade", names=", ".join(["HTXS", "HTT", "HT", "KHT", *own]))


def no_set_msg(category: StaffCategory, period: str, jurisdiction: str, date: str,
               have: Sequence[str], elsewhere: Sequence[str]) -> Msg:
    """No rule set in force for ``category`` in ``period`` (``rules.no_set``): the sets in
    force on ``date`` for the other groups (``have``), the sets of other jurisdictions for
    this one (``elsewhere``), and how to supply one — the registry's NoRuleSetError."""
    group = Words(f"{category.label_vi.lower()} ({category.value})", category.value)
    return msg(
        "rules.no_set", category=group, period=period, jurisdiction=jurisdiction, date=date,
        have="; ".join(have) or msg("rules.no_set.none"),
        elsewhere=msg("rules.no_set.elsewhere", category=group, sets=", ".join(elsewhere))
        if elsewhere else "",
        contract=msg("rules.no_set.contract") if category is StaffCategory.HOP_DONG else "",
        supply=msg("rules.no_set.supply"),
    )  # fmt: skip


#: The registry's no-set sentence (:func:`no_set_msg` in English), read back by
#: :func:`translate` where a door keeps it as text (a frame's problem).
_NO_SET = re.compile(
    r"^no rule set is in force for (?P<category>\w+) in (?P<period>\S+) \(jurisdiction "
    r"'(?P<jurisdiction>[^']*)'\)\. In force on (?P<date>\S+) there: (?P<have>.*?)\."
    r"(?: For \w+ in other jurisdictions: (?P<elsewhere>.*?)\.)?"
    r"(?P<contract> No national text sets how contract staff are evaluated: .*?\.)?"
    r" To supply your agency's rules, .*$", re.S)


def _no_set_said(english: str) -> Msg | None:
    m = _NO_SET.match(english)
    if m is None or m["category"] not in StaffCategory.__members__.values():
        return None
    have = [] if m["have"] == "none" else m["have"].split("; ")
    said = no_set_msg(StaffCategory(m["category"]), m["period"], m["jurisdiction"],
                      m["date"], have, m["elsewhere"].split(", ") if m["elsewhere"] else [])
    return said if str(said) == english else None


def for_cli(m: Msg) -> Msg:
    """``m`` as the command line says it: each nested message with a ``cli.`` variant in
    the catalogue (options such as ``--force`` instead of Python's ``force=True``) said by
    that variant.

    >>> m = msg("rules.no_set.supply")
    >>> "--force" in for_cli(m).text("en") and "force=True" in str(m)
    True
    """
    key = m.key if m.key.startswith("cli.") or f"cli.{m.key}" not in CATALOGUE else f"cli.{m.key}"
    params = tuple((k, for_cli(v) if isinstance(v, Msg) else v) for k, v in m.params)
    return attrs.evolve(m, key=key, params=params)


def foreign_key(english: str) -> str | None:
    """The catalogue key of an English sentence of the library (``foreign.*``), or None."""
    return next((key for key, pattern in _foreign() if pattern.match(english)), None)


def translate(english: str, lang: str = "vi", *, cli: bool = False) -> str:
    """An English sentence of the library in ``lang`` when the catalogue knows its wording;
    otherwise the sentence as it is. ``cli=True`` words Python calls as command-line
    options (``force=True`` → ``--force``), in English too.

    >>> translate("is not a count (0, 1, 2 ...)")
    'không phải là số đếm (0, 1, 2 ...)'
    >>> translate("something else")
    'something else'
    """
    if lang == "en" and not cli:
        return english
    if english.startswith("no rule set is in force for ") and (said := _no_set_said(english)):
        return (for_cli(said) if cli else said).text(lang)
    for key, pattern in _foreign():
        m = pattern.match(english)
        if m is None:
            continue
        if lang == "en":
            override = _CLI_ENGLISH.get(key)
            return override.format(**m.groupdict()) if override else english
        params = {k: _translated_part(k, v, lang) for k, v in m.groupdict().items()}
        return Msg(key, _freeze(params), raw=True).text(lang)
    return english


def table_head(cell: str, lang: str = "vi") -> str:
    """A column head of ``rules check``'s counter-example tables in ``lang``
    (``cli.rules.head.*``); a criterion's id, or a head the catalogue lacks, as it is.

    >>> table_head("people rated HTT"), table_head("so_luong")
    ('số người xếp HTT', 'so_luong')
    """
    for key, pattern in _table_heads():
        if m := pattern.match(cell):
            return text(key, lang, **m.groupdict())
    return cell


#: Words inside the rule checks' sentences (evalkit.testing, evalkit.rules), in Vietnamese.
_CHECK_VI: dict[str, dict[str, str]] = {
    "what": {"band grade": "mức theo điểm", "grade": "mức xếp loại",
             # what a duplicate id or a bad id belongs to (evalkit.rules._schema)
             "criterion": "tiêu chí", "group": "nhóm tiêu chí", "section": "phần",
             **{k: _RULE_KINDS[f"rules.kind.{k}"][0] for k in ("block", "adjustment",
                                                               "cap", "notice")},
             "body": "chủ thể đánh giá",
             # what a position's maximum may not exceed
             "a percentage criterion's 100": "mức 100 của tiêu chí tính theo phần trăm",
             "full": "`full`", "reduced": "`reduced`"},
    "where": {"no deduction block reads it": "không khối trừ điểm (deduction) nào đọc tiêu chí "
                                             "này",
              "it is not a criterion of the rule set": "đây không phải tiêu chí của bộ quy "
                                                       "định"},
    "who": {"member of staff": "người không giữ chức vụ lãnh đạo, quản lý",
            "leader": "người lãnh đạo, quản lý"},
    "cat": {c: _PROBLEMS[f"word.category.{c}"][0]
            for c in ("can_bo", "cong_chuc", "vien_chuc", "hop_dong")},
}

#: The kinds of leave (evalkit.model.LEAVE_KINDS) as the workbook writes them.
LEAVE_VI = {"maternity": "thai sản", "sick": "ốm", "absent": "vắng"}

#: Why a file cannot be written (evalkit._files), in Vietnamese.
_WHY_VI = {
    "permission denied (the folder or the file is not writable by you)":
        "không có quyền ghi (thư mục hoặc tệp không cho phép bạn ghi)",
    "operation not permitted": "thao tác không được phép",
    "the file system is read-only": "ổ đĩa chỉ cho phép đọc",
    "no space left on the disk": "ổ đĩa đã đầy",
    "the disk quota is exceeded": "đã vượt hạn mức dung lượng",
    "the file name or path is too long": "tên tệp hoặc đường dẫn quá dài",
    "a part of the path is a file, not a folder": "một phần của đường dẫn là tệp, không phải thư mục",
    "the path is a folder, not a file": "đường dẫn là thư mục, không phải tệp",
    "the folder does not exist": "thư mục không tồn tại",
    "the folder is there but not writable (it accepts no new file)":
        "thư mục có nhưng không ghi được (không nhận tệp mới)",
    "a file is in the way of the folder": "có một tệp chắn chỗ của thư mục",
    "the file is too large for the file system": "tệp quá lớn so với ổ đĩa",
    # what the system says when a rule file cannot be read (evalkit.rules)
    "No such file or directory": "tệp hoặc thư mục không tồn tại",
    "Permission denied": "không có quyền đọc",
    "Is a directory": "đây là thư mục, không phải tệp",
    "input/output error on the disk": "lỗi đọc ghi trên ổ đĩa",
}


def _translated_part(name: str, value: str, lang: str) -> str:
    if name == "why" and lang == "vi":
        m = re.match(r"^the file name is too long \((\d+) bytes; the limit is (\d+)\)$", value)
        if m:
            return f"tên tệp quá dài ({m.group(1)} byte; tối đa {m.group(2)})"
        return _WHY_VI.get(value, value)
    if name == "text":
        return translate(value, lang)
    if name == "level" and f"level.{value}" in CATALOGUE:
        return text(f"level.{value}", lang)
    if name == "end" and value == "open end" and lang == "vi":
        return text("cli.rules.open_end", lang)
    if name in ("moved", "description"):
        return translate(value, lang)
    if name == "what" and lang == "vi":
        m = re.match(r"^the maximum (\S+) of its group (.+)$", value)
        if m:
            return f"điểm tối đa {m.group(1)} của nhóm {m.group(2)}"
        m = re.match(r"^the maximum of (.+)$", value)
        if m:
            return f"điểm tối đa của {m.group(1)}"
        m = re.match(r"^the rule set's total (\S+)$", value)
        if m:
            return f"tổng điểm {m.group(1)} của bộ quy định"
    if name == "who" and lang == "vi":  # who has full marks (evalkit.testing)
        pos = re.match(r"^person in position (.+)$", value)
        if pos:
            return f"người ở vị trí việc làm {pos.group(1)}"
    if name in ("rule", "local_rule") and lang == "vi":
        return _rule_vi(value)
    if name == "declared" and value == "none" and lang == "vi":  # a set declaring no body
        return "không có"
    if name in ("rest", "hint") and lang == "vi":  # an unknown rule set's or body's hint
        value = re.sub(r"; did you mean (.+)\?$", r"; có phải là \1?", value)
    if lang == "vi" and name in _CHECK_VI:
        return _CHECK_VI[name].get(value, value)
    if name == "bands" and lang == "vi":
        return value.replace(" from ", " từ ")
    if name == "rest":
        return value.replace("staff ", "người được đánh giá ") if lang == "vi" else value
    if name in ("expected", "got", "value") and lang == "vi":  # a rule file's value types
        return _type_vi(value)
    if name == "rng" and lang == "vi":
        return _range_vi(value)
    if name == "detail" and lang == "vi":  # what tomllib says of invalid TOML, or another
        said = _toml_vi(value)                # sentence of the library
        return said if said != value else translate(value, lang)
    if name == "place" and lang == "vi":  # an input problem's place: row 0, staff 'P1', ...
        return re.sub(r"(^|, )(sheet|row|staff|unit|column|value) ",
                      lambda m: m.group(1) + _PLACE_VI[m.group(2)] + " ", value)
    if name in ("periods", "period_kind") and lang == "vi":
        return ", ".join(text(f"rules.period.{k}", lang) if f"rules.period.{k}" in CATALOGUE
                         else k for k in value.split(", "))  # fmt: skip
    if name == "listing" and lang == "vi":  # the accepted names, without the English labels
        return "; ".join(", ".join(w for w in item.split(", ") if w not in _GRADES_EN)
                         for item in value.split("; "))  # fmt: skip
    if name == "source" and lang == "vi":
        return re.sub(r"^ \(file (.*)\)$", r" (tệp \1)", value)
    if name == "leave" and lang == "vi":  # a kind of leave (evalkit.model.LEAVE_KINDS)
        return LEAVE_VI.get(value, value)
    if name == "kind" and lang == "vi":  # the kind of a JSON document (evalkit.io.jsonio)
        inner = value[5:-1] if value.startswith("list[") else value
        return _KIND_VI.get(inner, value)
    return value


#: The grades' English labels, left out of an accepted-names list said in Vietnamese.
_GRADES_EN = frozenset(g.label_en for g in Grade)


def rule_words(rule: str, lang: str = "vi", name: str = "") -> str:
    """A rule of a rule set as :func:`evalkit.rules.sources.rule_sources` names it
    (``RuleSource.rule``: ``block general``, ``quota raised (exceptional)``) in ``lang``:
    in English that name as it is, in Vietnamese its kind's words (``rules.kind.*``), then
    ``name`` (the item's own Vietnamese label) in quotes, then its id in brackets, as a rule
    file writes it; a name of no known kind as it is.

    >>> rule_words("block general", name="Tiêu chí chung"), rule_words("block general", "en")
    ('khối điểm “Tiêu chí chung” [general]', 'block general')
    >>> rule_words("quota raised (exceptional)"), rule_words("management")
    ('tỷ lệ khống chế nâng [exceptional]', 'điểm của người lãnh đạo, quản lý [management]')
    """
    if lang == "en":
        return rule
    for said, words in _rule_kinds():
        if rule == words or rule.startswith(words + " "):
            ident = rule[len(words):].strip().removeprefix("(").removesuffix(")")
            return said + (f" “{name}”" if name else "") + (f" [{ident}]" if ident else "")
    return rule


@functools.cache
def _rule_kinds() -> list[tuple[str, str]]:
    """The kinds of rule (Vietnamese, English), the longest English words first (``quota
    raised`` before ``quota``)."""
    return sorted(_RULE_KINDS.values(), key=lambda kind: -len(kind[1]))


def _rule_vi(value: str) -> str:
    """A rule of a rule set as :func:`evalkit.rules.sources.rule_sources` names it
    (:func:`rule_words`), or a cap as the checks write it (``flag discipline ≥ 1 → KHT,
    applies_to = all``), in Vietnamese; its ids and keys stay as code."""
    m = re.match(r"^flag (\S+) (.*)$", value, re.S)
    if m:
        return f"`flag` {m.group(1)} {m.group(2)}".replace("applies_to = ", "`applies_to` = ")
    return rule_words(value)


#: The words of an input problem's place (evalkit.errors.InputProblem), in Vietnamese.
_PLACE_VI = {"sheet": "trang", "row": "dòng", "staff": "người được đánh giá", "unit": "đơn vị",
             "column": "cột", "value": "giá trị"}

#: The value types of a rule file's keys (evalkit.rules._schema), in Vietnamese.
_TYPE_VI = {
    "text": "chữ (text)", "true or false": "đúng/sai (true/false)",
    "an array": "một mảng (array)", "a table": "một bảng (table)",
    "a whole number": "một số nguyên", "a number": "một số",
    "a date (2026-01-01)": "một ngày (2026-01-01)",
    "a date without a time (2026-01-01)": "một ngày không kèm giờ (2026-01-01)",
    "a number between -10^9 and 10^9": "một số từ -10^9 đến 10^9",
    "a date (2025-12-31)": "một ngày (2025-12-31)",
    "a non-empty list of percentage criteria":
        "một danh sách (không trống) các tiêu chí tính theo phần trăm",
    "a non-empty list of criteria": "một danh sách (không trống) các tiêu chí",
    "a list of percentage criteria": "một danh sách các tiêu chí tính theo phần trăm",
    "a percentage from 0 to 100": "một tỷ lệ phần trăm từ 0 đến 100",
    "a table of job positions ([position_maxima.<position>])":
        "một bảng các vị trí việc làm ([position_maxima.<vị trí>])",
    "a table of criterion id to maximum": "một bảng mã tiêu chí → điểm tối đa",
    "a table of body id to weight": "một bảng mã chủ thể đánh giá → trọng số",
    "points ≥ 0": "số điểm ≥ 0",
}  # fmt: skip

def _type_vi(value: str) -> str:
    """A value type or a summarised value of a rule file (``a table``, ``an array of 7
    value(s)``, ``a whole number of 401 digits``) in Vietnamese; anything else as it is."""
    for pattern, said in _TYPE_PATTERNS_VI:
        m = pattern.match(value)
        if m:
            return said.format(*m.groups())
    return _TYPE_VI.get(value, value)


_TYPE_PATTERNS_VI = [(re.compile(p), v) for p, v in (
    (r"^an array of (\d+) value\(s\)$", "một mảng {} giá trị"),
    (r"^a whole number of (\d+) digits$", "một số nguyên có {} chữ số"),
    (r"^a whole number of about (\d+) digits$", "một số nguyên có khoảng {} chữ số"),
    (r"^an array of tables \((\[\[.+\]\])\)$", "một mảng bảng ({})"),
    (r"^a table \((\[.+\])\)$", "một bảng ({})"),
)]  # fmt: skip


def _range_vi(value: str) -> str:
    """What a rule file's number must be (``a whole number from 0 to 12``), in Vietnamese."""
    for pattern, said in _RANGES_VI:
        m = pattern.match(value)
        if m:
            return said.format(*m.groups())
    if re.fullmatch(r"[\w, ]+ or \w+", value):  # average or count: the choices, as code
        *first, last = re.split(r", | or ", value)
        return ", ".join(f"`{x}`" for x in first) + f" hoặc `{last}`"
    return value


_RANGES_VI = [(re.compile(p), v) for p, v in (
    (r"^a whole number from (\S+) to (\S+)$", "một số nguyên từ {} đến {}"),
    (r"^a number from (\S+) to (\S+)$", "một số từ {} đến {}"),
    (r"^a percentage from (\S+) to (\S+)$", "một tỷ lệ phần trăm từ {} đến {}"),
    (r"^a (?:number|percentage) above (\S+) and at most (\S+)$",
     "một số lớn hơn {} và không quá {}"),
    (r"^a whole number above (\S+) and at most (\S+)$",
     "một số nguyên lớn hơn {} và không quá {}"),
    (r"^a number above (\S+)$", "một số lớn hơn {}"),
    (r"^a whole number above (\S+)$", "một số nguyên lớn hơn {}"),
    (r"^a number ≥ 0 \(not negative\)$", "một số ≥ 0 (không âm)"),
    (r"^a whole number ≥ 0 \(not negative\)$", "một số nguyên ≥ 0 (không âm)"),
    (r"^a number ≥ (\S+)$", "một số ≥ {}"),
    (r"^a whole number ≥ (\S+)$", "một số nguyên ≥ {}"),
    (r"^a number ≤ (\S+)$", "một số ≤ {}"),
    (r"^a whole number ≤ (\S+)$", "một số nguyên ≤ {}"),
    (r"^in \(0, 100\] percentage points$", "một số trong khoảng (0, 100] điểm phần trăm"),
    (r"^a fraction from 0 to 1 \(the share of a late task credited\)$",
     "một phân số từ 0 đến 1 (phần được tính của một nhiệm vụ trễ hạn)"),
)]  # fmt: skip


def _toml_vi(value: str) -> str:
    """What :mod:`tomllib` says of invalid TOML, in Vietnamese (its own words otherwise)."""
    if value in _TOML_VI:
        return _TOML_VI[value]
    for pattern, said in _TOML_PATTERNS_VI:
        m = pattern.match(value)
        if m:
            return said.format(*m.groups())
    return value


#: :mod:`tomllib`'s messages, in Vietnamese.
_TOML_VI = {
    "An object other than list found behind this key":
        "khóa này đã chứa một giá trị không phải mảng",
    "Cannot overwrite a value": "không được ghi đè một giá trị đã có",
    "Escaped character is not a Unicode scalar value":
        "ký tự thoát không phải là một ký tự Unicode hợp lệ",
    "Expected '=' after a key in a key/value pair": "thiếu dấu '=' sau khóa",
    "Expected ']' at the end of a table declaration": "thiếu dấu ']' ở cuối tên bảng",
    "Expected ']]' at the end of an array declaration": "thiếu ']]' ở cuối tên mảng bảng",
    "Expected newline or end of document after a statement":
        "sau một câu lệnh phải xuống dòng hoặc hết tệp",
    "Invalid date or datetime": "ngày hoặc ngày giờ không hợp lệ",
    "Invalid hex value": "giá trị thập lục phân không hợp lệ",
    "Invalid initial character for a key part": "ký tự đầu của khóa không hợp lệ",
    "Invalid statement": "câu lệnh không hợp lệ",
    "Invalid value": "giá trị không hợp lệ",
    "There is no nest behind this key": "khóa này không chứa bảng con",
    "Unclosed array": "mảng chưa được đóng",
    "Unclosed inline table": "bảng nội dòng chưa được đóng",
    "Unescaped '\\' in a string": "dấu '\\' trong chuỗi chưa được thoát",
    "Unterminated string": "chuỗi chưa được đóng",
}

_TOML_PATTERNS_VI = [(re.compile(p, re.S), v) for p, v in (
    (r"^Cannot declare (.+) twice$", "khai báo {} hai lần"),
    (r"^Cannot mutate immutable namespace (.+)$", "không được sửa bảng {} đã đóng"),
    (r"^Cannot redefine namespace (.+)$", "không được khai báo lại bảng {}"),
    (r"^Duplicate inline table key (.+)$", "trùng khóa {} trong bảng nội dòng"),
    (r"^Expected (.+)$", "thiếu {}"),
    (r"^Found invalid character (.+)$", "có ký tự không hợp lệ {}"),
    (r"^Illegal character (.+)$", "ký tự không được phép {}"),
)]  # fmt: skip

#: The kinds of JSON document (evalkit.io.jsonio), in Vietnamese.
_KIND_VI = {
    "Organisation": "tổ chức", "Assessment": "phiếu đánh giá",
    "EvaluationResult": "kết quả đánh giá", "Staff": "người được đánh giá", "Unit": "đơn vị",
    "Position": "vị trí việc làm", "Criterion": "tiêu chí", "CriterionGroup": "nhóm tiêu chí",
    "Reason": "căn cứ",
}  # fmt: skip


def plural(n: int) -> str:
    """``'s'`` unless ``n`` is 1 (English plurals in the catalogue's ``{s}``)."""
    return "" if n == 1 else "s"


def texts(keys: Iterable[str], lang: str = "vi") -> dict[str, str]:
    """Several parameterless messages at once, by key."""
    return {k: text(k, lang) for k in keys}

"""The ``evalkit`` command line: a thin shell over the library.

Every command parses its options, calls the library and prints; ``--json`` prints
machine-readable output for scripts. :func:`main` serves as the console script, as
``python -m evalkit`` and as a test harness::

    >>> import io
    >>> from evalkit.cli import main
    >>> buf = io.StringIO()
    >>> main(["rules", "list", "--json"], stdout=buf)
    0

Exit codes (documented in ``docs/cli.md``):

====  ==========================================================================
0     success
1     invalid input: the file has problems (all listed), or a domain value is invalid
2     usage error: unknown command or option, missing argument, bad option value
3     rule-set error: a rule file is invalid, unknown, or not in force for the period
4     internal error (a bug or an unavailable component); ``EVALKIT_DEBUG=1`` shows
      the traceback
====  ==========================================================================

Nothing heavy (pandas, openpyxl, WeasyPrint) is imported at module level, so
``evalkit --help`` stays fast; each command imports what it needs.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    import pandas as pd

    from evalkit.rules import RuleSet

__all__ = [
    "EXIT_INTERNAL",
    "EXIT_INVALID_INPUT",
    "EXIT_OK",
    "EXIT_RULE_SET",
    "EXIT_USAGE",
    "cli",
    "main",
]

#: Success.
EXIT_OK = 0
#: Invalid input: problems in a file or an invalid domain value.
EXIT_INVALID_INPUT = 1
#: Usage error: unknown command or option, missing or bad argument.
EXIT_USAGE = 2
#: Rule-set error: invalid, unknown or not in force.
EXIT_RULE_SET = 3
#: Internal error: a bug or a missing component.
EXIT_INTERNAL = 4

_CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
_MAX_PRINTED_PROBLEMS = 200


# =========================================================================== helpers


class _Failure(click.ClickException):
    """A handled failure: a message for stderr and an exit code."""

    def __init__(self, message: str, code: int, payload: Mapping[str, Any] | None = None):
        super().__init__(message)
        self.code = code
        self.payload = payload


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(file=sys.stderr if stderr else sys.stdout, soft_wrap=True, highlight=False)


@contextlib.contextmanager
def _progress(label: str, enabled: bool = True) -> Iterator[Callable[[int, int | None], None]]:
    """A rich progress bar on stderr (silent when stderr is not a terminal)."""
    if not enabled or not sys.stderr.isatty():
        yield lambda done, total: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def _problems_payload(problems: Sequence[Any]) -> list[dict[str, Any]]:
    return [
        {
            "message": p.message,
            "file": p.file,
            "sheet": p.sheet,
            "row": p.row,
            "column": p.column,
            "value": p.value if isinstance(p.value, int | float | str | bool) or p.value is None
            else str(p.value),
        }
        for p in problems
    ]


def _report_problems(problems: Sequence[Any], as_json: bool, extra: Mapping[str, Any]) -> int:
    """Print every problem (stdout, JSON or text); return the exit code for invalid input."""
    if as_json:
        _print_json({**extra, "ok": False, "problems": _problems_payload(problems)})
    else:
        n = len(problems)
        click.echo(f"{n} problem{'s' if n != 1 else ''} found:", err=True)
        for p in problems[:_MAX_PRINTED_PROBLEMS]:
            click.echo(f"  - {p}", err=True)
        if n > _MAX_PRINTED_PROBLEMS:
            click.echo(f"  ... and {n - _MAX_PRINTED_PROBLEMS} more (use --json for all)", err=True)
    return EXIT_INVALID_INPUT


def _optional_module(name: str) -> Any | None:
    """Import ``name`` if it exists (components written by other parts of the project)."""
    import importlib

    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and (name == exc.name or name.startswith(exc.name + ".")):
            return None
        raise


def _require(name: str, attr: str) -> Any:
    mod = _optional_module(name)
    if mod is None or not hasattr(mod, attr):
        raise _Failure(
            f"{name}.{attr} is not available in this installation of evalkit", EXIT_INTERNAL
        )
    return getattr(mod, attr)


def _rule_set(rule_id: str | None, rule_file: str | None = None) -> RuleSet | None:
    from evalkit import rules

    if rule_file:
        return rules.load(rule_file)
    if rule_id is None:
        return None
    if rule_id.endswith(".toml") and Path(rule_id).exists():
        return rules.load(rule_id)
    return rules.get(rule_id)


def _read_month(
    path: str, rules: str | None, period: str | None, org: str | None, *, show_progress: bool
) -> Any:
    from evalkit.io.workbook import read_month

    with _progress(f"Reading {Path(path).name}", show_progress) as update:
        return read_month(path, rules=_rule_set(rules), period=period, org=org, progress=update)


def _scored(
    path: str,
    rules: str | None,
    period: str | None,
    org: str | None,
    *,
    force: bool,
    as_json: bool,
    classify: bool,
) -> tuple[pd.DataFrame | None, Any]:
    """Read an input (workbook, CSV or results JSON) and return the results frame.

    Returns ``(None, problems)`` when the input has problems. With ``classify`` the
    units are classified first (:func:`evalkit.units.classify_frame`); the unit results
    are in ``results.attrs["units"]``.
    """
    if Path(path).suffix.lower() == ".json":
        from evalkit.io.results import read_results

        if classify:
            raise _Failure("classify needs the workbook (units and staff), not a results "
                           "file", EXIT_USAGE)  # fmt: skip
        return read_results(path), None
    month = _read_month(path, rules, period, org, show_progress=not as_json)
    if month.problems:
        return None, month.problems
    from evalkit.io import results as res

    if classify:
        units_mod = _optional_module("evalkit.units")
        if units_mod is None or not hasattr(units_mod, "classify_frame"):
            raise _Failure("evalkit.units.classify_frame is not available in this "
                           "installation of evalkit; `evalkit score` grades without unit "
                           "caps and quotas", EXIT_INTERNAL)  # fmt: skip
        return res.classify_input(month, org=org, force=force), None
    return res.score_input(month.staff, rules=month.rules if rules else None, force=force), None


# =========================================================================== the group


@click.group(context_settings=_CONTEXT)
@click.version_option(package_name="evalkit", prog_name="evalkit", message="%(prog)s %(version)s")
def cli() -> None:
    """evalkit: monthly performance evaluation for the Vietnamese public sector.

    \b
    The monthly walk (docs/monthly-script.md):
      evalkit template --rules vn.nd335-2025 --period 2026-03 thang-03.xlsx
      (fill in the workbook)
      evalkit validate thang-03.xlsx
      evalkit classify thang-03.xlsx --out ket-qua-03.json
      evalkit render ket-qua-03.json --out phieu-03/
      evalkit finalize ket-qua-03.json --archive luu-tru.sqlite --by "Trưởng phòng TCCB"
      evalkit annual --archive luu-tru.sqlite --year 2026

    \b
    Exit codes: 0 ok, 1 invalid input, 2 usage error, 3 rule-set error, 4 internal error.
    """


_json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
_rules_option = click.option(
    "--rules", "rules_id", metavar="ID|FILE.toml",
    help="Rule set id (see `evalkit rules list`) or a rule file; default: the workbook's.",
)  # fmt: skip
_period_option = click.option(
    "--period", metavar="YYYY-MM", help="The month; a workbook of another month is a problem."
)
_org_option = click.option(
    "--org", metavar="FILE.json", type=click.Path(exists=True, dir_okay=False),
    help="Organisation (units, positions, staff) as evalkit JSON.",
)  # fmt: skip
_force_option = click.option(
    "--force", is_flag=True, help="Apply the rule set even outside its effective dates."
)


# =========================================================================== demo


@cli.command(context_settings=_CONTEXT)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Directory to write the demo's sheets and summaries into.")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
              help="Language of the sheets.")
@_json_option
def demo(out_dir: str, lang: str, as_json: bool) -> int:
    """Render the bundled demo agency's month: sheets, unit summary, results.

    \b
    Example:
      evalkit demo --out demo-output --lang vi
    """
    run_demo = _require("evalkit.demo", "run_demo")
    with _progress("Demo", not as_json):
        result = run_demo(Path(out_dir), lang=lang)
    files = _paths_of(result, Path(out_dir))
    if as_json:
        _print_json({"ok": True, "out": str(out_dir), "files": [str(f) for f in files]})
    else:
        click.echo(f"demo written to {out_dir}" + (f" ({len(files)} files)" if files else ""))
    return EXIT_OK


def _paths_of(result: Any, out_dir: Path) -> list[Path]:
    if isinstance(result, str | os.PathLike):
        p = Path(result)
        return sorted(x for x in p.rglob("*") if x.is_file()) if p.is_dir() else [p]
    if isinstance(result, Mapping):
        result = list(result.values())
    if isinstance(result, list | tuple) and all(isinstance(x, str | os.PathLike) for x in result):
        return [Path(x) for x in result]
    return sorted(x for x in out_dir.rglob("*") if x.is_file()) if out_dir.is_dir() else []


# =========================================================================== rules


@cli.group(context_settings=_CONTEXT)
def rules() -> None:
    """List, show, check and compare (diff) rule sets.

    \b
    Examples:
      evalkit rules list
      evalkit rules show vn.nd335-2025
      evalkit rules check my-province.toml
    """


def _rule_summary(rs: RuleSet) -> dict[str, Any]:
    return {
        "id": rs.id,
        "title_vi": rs.title_vi,
        "title_en": rs.title_en,
        "jurisdiction": rs.jurisdiction,
        "categories": [c.value for c in rs.categories],
        "effective_from": rs.effective_from.isoformat(),
        "effective_to": rs.effective_to.isoformat() if rs.effective_to else None,
        "period": rs.period,
        "classified": list(rs.classified),
        "source": rs.source,
        "status": rs.status or None,
    }


@rules.command("list", context_settings=_CONTEXT)
@_json_option
def rules_list(as_json: bool) -> int:
    """List every registered rule set with its dates, staff categories and source status.

    The status says how sure the set's source is: verified, secondary, practice or
    unsourced (an example, never in force by default).

    \b
    Example:
      evalkit rules list --json
    """
    from evalkit import rules as _rules

    sets = _rules.available()
    if as_json:
        _print_json([_rule_summary(rs) for rs in sets])
        return EXIT_OK
    from rich.table import Table

    table = Table("id", "categories", "in force", "classified", "status", "title")
    for rs in sets:
        end = rs.effective_to.isoformat() if rs.effective_to else "…"
        table.add_row(
            rs.id, ", ".join(c.value for c in rs.categories),
            f"{rs.effective_from.isoformat()} → {end}", ", ".join(rs.classified),
            rs.status or "—", rs.title_vi,
        )  # fmt: skip
    _console().print(table)
    return EXIT_OK


def _rule_detail(rs: RuleSet) -> dict[str, Any]:
    d = _rule_summary(rs)
    d["total"] = rs.total
    d["groups"] = [
        {
            "id": g.id,
            "label_vi": g.label_vi,
            "label_en": g.label_en,
            "max": g.maximum,
            "criteria": [
                {"id": c.id, "label_vi": c.label_vi, "label_en": c.label_en, "max": c.maximum,
                 "unit": c.unit, "management": c.management}
                for c in g.criteria
            ],
        }
        for g in rs.groups
    ]
    d["blocks"] = [
        {"id": b.id, "kind": b.kind, "points": b.points, "source": b.source} for b in rs.blocks
    ]
    d["bands"] = [
        {"grade": b.grade.code, "min": b.min, "max": b.max, "label_vi": b.label_vi,
         "source": b.source}
        for b in rs.bands
    ]  # fmt: skip
    d["caps"] = [
        {"id": c.id, "flag": c.flag, "grade": c.grade.code, "source": c.source} for c in rs.caps
    ]
    d["notices"] = [{"id": n.id, "enabled": n.enabled, "source": n.source} for n in rs.notices]
    d["quota"] = (
        None if rs.quota is None else
        {"grade": rs.quota.grade.code, "base": rs.quota.base, "percent": rs.quota.percent,
         "percent_if_unit_excellent": rs.quota.percent_if_unit_excellent,
         "rounding": rs.quota.rounding, "source": rs.quota.source}
    )  # fmt: skip
    d["classified_source"] = rs.classified_source
    from evalkit.rules.sources import rule_sources

    d["rules"] = [
        {"rule": r.rule, "source": r.source, "status": r.status or None, "enabled": r.enabled,
         "note": r.note}
        for r in rule_sources(rs)
    ]  # fmt: skip
    d["uncertainties"] = list(rs.uncertainties)
    return d


@rules.command("show", context_settings=_CONTEXT)
@click.argument("rule_id", metavar="ID|FILE.toml")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
@_json_option
def rules_show(rule_id: str, lang: str, as_json: bool) -> int:
    """Show a rule set: criteria with maxima, bands, caps, quota, and every rule with its
    source (the citation printed on sheets) and source status.

    \b
    Example:
      evalkit rules show vn.nd335-2025 --lang en
    """
    rs = _rule_set(rule_id)
    assert rs is not None
    if as_json:
        _print_json(_rule_detail(rs))
        return EXIT_OK
    from rich.markup import escape
    from rich.table import Table

    from evalkit.rules.sources import rule_sources, status_counts

    con = _console()
    con.print(f"[bold]{escape(rs.id)}[/bold] — "
              f"{escape(rs.title_en if lang == 'en' else rs.title_vi)}")  # fmt: skip
    end = rs.effective_to.isoformat() if rs.effective_to else "open end"
    con.print(escape(f"in force {rs.effective_from.isoformat()} → {end}; source: "
                     f"{rs.source or '—'}; status: {rs.status or '—'}"))  # fmt: skip
    con.print(escape(f"classified: {', '.join(rs.classified)}"
                     + (f" ({rs.classified_source})" if rs.classified_source else "")))

    table = Table("group", "criterion", "max", "unit")
    for g in rs.groups:
        for c in g.criteria:
            table.add_row(
                g.label(lang), escape(f"{c.label(lang)} [{c.id}]"), f"{c.maximum:g}", c.unit
            )
    con.print(table)
    bands = Table("grade", "from", "to", "source")
    for b in sorted(rs.bands, key=lambda b: -b.min):
        bands.add_row(rs.grade_label(b.grade, lang), f"{b.min:g}", f"{b.max:g}", b.source)
    con.print(bands)
    for cap in rs.caps:
        label = cap.label_en if lang == "en" else cap.label_vi
        con.print(f"cap {cap.id}: {label} → {cap.grade.code}")
    if rs.quota:
        con.print(f"quota: {rs.quota.grade.code} ≤ {rs.quota.percent:g}% of {rs.quota.base}")
    sources = Table("rule", "source", "status", "on")
    for r in rule_sources(rs):
        sources.add_row(escape(r.rule), escape(r.source or "—"), r.shown_status,
                        "yes" if r.enabled else "no")  # fmt: skip
    con.print(sources)
    counts = status_counts(rs)
    con.print("statuses: " + ", ".join(f"{k} {v}" for k, v in counts.items() if v))
    return EXIT_OK


@rules.command("check", context_settings=_CONTEXT)
@click.argument("rule_file", type=click.Path(exists=True, dir_okay=False), metavar="FILE.toml")
@click.option("--examples", type=click.IntRange(1, 100_000), default=100, show_default=True,
              help="Examples tried per invariant (when evalkit.testing is installed).")
@_json_option
def rules_check(rule_file: str, examples: int, as_json: bool) -> int:
    """Load a rule file and report every problem; then check its invariants (if available).

    Exits 3 when the file is invalid or an invariant fails.

    \b
    Example:
      evalkit rules check my-province.toml --json
    """
    from evalkit.errors import RuleSetError
    from evalkit.rules import check_bands, read_rule_file

    problems: list[str] = []
    rs = None
    try:
        rs = read_rule_file(rule_file)
    except RuleSetError as exc:
        listed = getattr(exc, "problems", None)
        problems = [f"{k}: {m}" for k, m in listed] if listed else [str(exc)]
    lenient = rs
    if rs is None:  # bands with a gap or a 120 % quota still load leniently, to be shown
        try:
            lenient = read_rule_file(rule_file, strict=False)
        except RuleSetError:
            lenient = None
    testing = _optional_module("evalkit.testing") if lenient is not None else None
    checker = getattr(testing, "check_rule_set", None) if testing is not None else None
    if checker is not None:
        # the report repeats the loader's problems, then each failed invariant with its
        # shrunk counter-example as a table
        problems = _invariant_problems(checker(rule_file, max_examples=examples))
    elif rs is not None:
        problems += check_bands(rs.bands, rs.total)
    ok = not problems
    if as_json:
        _print_json({"file": rule_file, "id": lenient.id if lenient else None, "ok": ok,
                     "problems": problems})  # fmt: skip
    elif ok:
        assert lenient is not None
        click.echo(f"{rule_file}: rule set {lenient.id!r} is valid")
    else:
        click.echo(f"{rule_file}: {len(problems)} problem(s):", err=True)
        for p in problems:
            click.echo(f"  - {p}", err=True)
    return EXIT_OK if ok else EXIT_RULE_SET


def _invariant_problems(report: Any) -> list[str]:
    """Problems from ``evalkit.testing.check_rule_set``'s report, whatever its shape."""
    if report is None or report is True:
        return []
    if report is False:
        return ["an invariant of the rule set does not hold"]
    for attr in ("problems", "failures", "violations"):
        if hasattr(report, attr):
            return [str(x) for x in getattr(report, attr)]
    if isinstance(report, str):
        return [report]
    if isinstance(report, Mapping):
        return [f"{k}: {v}" for k, v in report.items() if v]
    return [str(x) for x in report]


@rules.command("diff", context_settings=_CONTEXT)
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option("--data", "data", required=True, metavar="WORKBOOK|ARCHIVE|demo",
              help="A month's workbook or CSV, an archive (.sqlite/.db), or 'demo'.")
@click.option("--csv", "csv_out", metavar="OUT.csv", type=click.Path(dir_okay=False),
              help="Write the changes to OUT.csv (and OUT.distribution.csv, OUT.quota.csv).")
@click.option("--pdf", "pdf_out", metavar="OUT.pdf", type=click.Path(dir_okay=False),
              help="Write the one-page PDF report.")
@click.option("--fill", multiple=True, metavar="CRITERION=COLUMN",
              help="Take a criterion the data lack from another column (repeatable).")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
@_json_option
def rules_diff(
    old: str, new: str, data: str, csv_out: str | None, pdf_out: str | None,
    fill: tuple[str, ...], lang: str, as_json: bool,
) -> int:  # fmt: skip
    """Who would be graded differently under NEW than under OLD (ids or TOML files).

    Both sets are applied to every period of the data (outside their dates too).

    \b
    Example:
      evalkit rules diff vn.nd90-2020 vn.nd233-2026 --data demo --csv diff.csv --pdf diff.pdf
    """
    from evalkit.impact import compare_rule_sets, load_data

    source = load_data(data)
    fills = dict(source.fill)
    for item in fill:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise click.BadParameter(f"{item!r} is not CRITERION=COLUMN", param_hint="--fill")
        fills[key.strip()] = value.strip()
    report = compare_rule_sets(_rule_set(old) or old, _rule_set(new) or new,
                               source.staff_months, source.units, fill=fills)  # fmt: skip
    written: list[str] = []
    if csv_out:
        base = Path(csv_out)
        written.append(str(report.to_csv(base)))
        for table in ("distribution", "quota"):
            written.append(str(report.to_csv(base.with_suffix(f".{table}.csv"), table)))
    if pdf_out:
        written.append(str(report.to_pdf(pdf_out, lang=lang)))
    if as_json:
        _print_json({"ok": True, **report.to_dict(), "files": written})
        return EXIT_OK
    con = _console()
    con.print(report.header("en" if lang == "en" else "vi"), markup=False)
    for note in (*source.notes, *report.notes):
        con.print(f"note: {note}", markup=False)
    con.print(report.to_table("distribution", lang=lang))
    con.print(report.to_table("quota", lang=lang, limit=40))
    con.print(report.to_table("changes", lang=lang, limit=200))
    for path in written:
        click.echo(f"written: {path}")
    return EXIT_OK


# =========================================================================== template


@cli.command(context_settings=_CONTEXT)
@click.option("--rules", "rules_id", required=True, metavar="ID|FILE.toml",
              help="Rule set whose criteria become the columns.")
@click.option("--period", required=True, metavar="YYYY-MM", help="The month to be scored.")
@_org_option
@click.option("--rows", "staff_rows", type=click.IntRange(1, 1_000_000), default=500,
              show_default=True, help="Rows with data validation when no --org is given.")
@click.option("--force", is_flag=True, help="Allow a rule set not in force in the period.")
@click.argument("out", type=click.Path(dir_okay=False), metavar="OUT.xlsx")
@_json_option
def template(
    rules_id: str, period: str, org: str | None, staff_rows: int, force: bool, out: str,
    as_json: bool,
) -> int:  # fmt: skip
    """Write a fill-in workbook for a month: staff, one column per criterion, instructions.

    The score sheet has one column per criterion with its maximum in the header and
    Excel data validation; the units, positions and tasks sheets and a Vietnamese
    instructions sheet come with it.

    \b
    Example:
      evalkit template --rules vn.nd335-2025 --period 2026-03 --org to-chuc.json thang-03.xlsx
    """
    from evalkit.io.workbook import write_template

    rs = _rule_set(rules_id)
    assert rs is not None
    path = write_template(out, rs, period, org=org, staff_rows=staff_rows, force=force)
    if as_json:
        _print_json({"ok": True, "file": str(path), "rule_set": rs.id, "period": period})
    else:
        click.echo(f"template for {rs.id}, {period} written to {path}")
    return EXIT_OK


# =========================================================================== validate


@cli.command(context_settings=_CONTEXT)
@click.argument("path", type=click.Path(exists=True, dir_okay=False), metavar="IN.xlsx|IN.csv")
@_rules_option
@_period_option
@_org_option
@_json_option
def validate(
    path: str, rules_id: str | None, period: str | None, org: str | None, as_json: bool
) -> int:
    """Check a filled-in workbook (or CSV) and report every problem at once.

    Each problem names the file, sheet, row, column and value: blank required cells,
    text in number cells, scores above their maximum, duplicate staff ids, unknown
    positions or units, a period mismatch, merged or renamed header cells. Exits 1
    when there is any problem.

    \b
    Example:
      evalkit validate thang-03.xlsx --period 2026-03
    """
    month = _read_month(path, rules_id, period, org, show_progress=not as_json)
    frame, problems = month.staff, month.problems
    extra = {"file": path, "rows": len(frame), "rule_set": month.rules.id if month.rules else None,
             "period": str(month.period) if month.period else None}  # fmt: skip
    if problems:
        return _report_problems(problems, as_json, extra)
    if as_json:
        _print_json({**extra, "ok": True, "problems": []})
    else:
        click.echo(f"{path}: {len(frame)} rows, no problems")
    return EXIT_OK


# =========================================================================== score / classify


def _write_or_print(results: pd.DataFrame, out: str | None, as_json: bool) -> None:
    from evalkit.io.results import grade_counts, write_results

    counts = grade_counts(results)
    if out:
        write_results(results, out)
    if as_json:
        payload: dict[str, Any] = {"ok": True, "rows": len(results), "grades": counts}
        if out:
            payload["out"] = out
        else:
            from evalkit.io.results import results_document

            payload["results"] = results_document(results)
        _print_json(payload)
        return
    summary = ", ".join(f"{k} {v}" for k, v in counts.items())
    click.echo(f"{len(results)} people: {summary}" + (f"; written to {out}" if out else ""))


_out_option = click.option(
    "--out", metavar="FILE", type=click.Path(dir_okay=False),
    help="Write results to FILE: .json (evalkit/1), .xlsx (people + grade counts) or .csv.",
)  # fmt: skip


@cli.command(context_settings=_CONTEXT)
@click.argument("path", type=click.Path(exists=True, dir_okay=False), metavar="IN.xlsx|IN.csv")
@_rules_option
@_period_option
@_org_option
@_out_option
@_force_option
@_json_option
def score(
    path: str, rules_id: str | None, period: str | None, org: str | None, out: str | None,
    force: bool, as_json: bool,
) -> int:  # fmt: skip
    """Score every person of a workbook: totals, bands, disqualifiers (no unit caps, quotas).

    \b
    Example:
      evalkit score thang-03.xlsx --out diem-03.xlsx
    """
    results, problems = _scored(path, rules_id, period, org, force=force, as_json=as_json,
                                classify=False)  # fmt: skip
    if results is None:
        return _report_problems(problems, as_json, {"file": path})
    _write_or_print(results, out, as_json)
    return EXIT_OK


@cli.command(context_settings=_CONTEXT)
@click.argument("path", type=click.Path(exists=True, dir_okay=False),
                metavar="IN.xlsx|IN.csv|RESULTS.json")  # fmt: skip
@_rules_option
@_period_option
@_org_option
@_out_option
@_force_option
@_json_option
def classify(
    path: str, rules_id: str | None, period: str | None, org: str | None, out: str | None,
    force: bool, as_json: bool,
) -> int:  # fmt: skip
    """Score and classify: units first, heads capped at their unit, then quotas.

    \b
    Example:
      evalkit classify thang-03.xlsx --out ket-qua-03.json
    """
    results, problems = _scored(path, rules_id, period, org, force=force, as_json=as_json,
                                classify=True)  # fmt: skip
    if results is None:
        return _report_problems(problems, as_json, {"file": path})
    _write_or_print(results, out, as_json)
    return EXIT_OK


# =========================================================================== render


@cli.command(context_settings=_CONTEXT)
@click.argument("path", type=click.Path(exists=True, dir_okay=False),
                metavar="RESULTS.json|IN.xlsx")  # fmt: skip
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Directory for the PDF sheets.")  # fmt: skip
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
@_rules_option
@_period_option
@_org_option
@click.option("--agency", default="", help="The agency's name for the sheets' header.")
@click.option("--overview", is_flag=True,
              help="Also write the organisation overview (every unit, grade chart).")
@_force_option
@_json_option
def render(
    path: str, out_dir: str, lang: str, rules_id: str | None, period: str | None,
    org: str | None, agency: str, overview: bool, force: bool, as_json: bool,
) -> int:  # fmt: skip
    """Render one PDF evaluation sheet per person plus the unit summaries.

    Summaries go to OUT/units/; --overview adds OUT/<period>_overview.pdf.

    \b
    Example:
      evalkit render ket-qua-03.json --out phieu-03/ --lang vi --overview
    """
    write_pdfs = _require("evalkit.render", "write_pdfs")
    results, problems = _scored(path, rules_id, period, org, force=force, as_json=as_json,
                                classify=False)  # fmt: skip
    if results is None:
        return _report_problems(problems, as_json, {"file": path})
    from evalkit.render import sheets_from_results

    organisation = None
    if org:  # render formats objects; reading the organisation file is io's
        from evalkit.io.jsonio import read_json
        from evalkit.model import Organisation

        organisation = read_json(org, Organisation)
    sheets = sheets_from_results(results, agency=agency, org=organisation)
    written = write_pdfs(sheets, Path(out_dir), lang=lang, progress=not as_json)
    write_reports = _require("evalkit.render", "write_reports")
    written = [*written, *write_reports(sheets, Path(out_dir), lang=lang, overview=overview,
                                        unit_results=results.attrs.get("units"))]  # fmt: skip
    files = _paths_of(written, Path(out_dir))
    if as_json:
        _print_json({"ok": True, "out": out_dir, "files": [str(f) for f in files]})
    else:
        click.echo(f"{len(files)} file(s) written to {out_dir}")
    return EXIT_OK


# =========================================================================== archive


_archive_option = click.option(
    "--archive", "archive_path", metavar="FILE.sqlite", envvar="EVALKIT_ARCHIVE",
    default="evalkit-archive.sqlite", show_default=True,
    help="The archive of finalized months (env EVALKIT_ARCHIVE).",
)  # fmt: skip


@cli.command(context_settings=_CONTEXT)
@click.argument("path", type=click.Path(exists=True, dir_okay=False),
                metavar="RESULTS.json|IN.xlsx")  # fmt: skip
@_archive_option
@click.option("--by", "by", required=True, help="Who finalizes (name or role), recorded.")
@click.option("--classify/--no-classify", default=None,
              help="A workbook is classified first (units, head cap, quota) unless "
                   "--no-classify; a results file is archived as it is.")  # fmt: skip
@_rules_option
@_period_option
@_org_option
@_force_option
@_json_option
def finalize(
    path: str, archive_path: str, by: str, classify: bool | None, rules_id: str | None,
    period: str | None, org: str | None, force: bool, as_json: bool,
) -> int:  # fmt: skip
    """Check a month's results and archive them in one transaction; the month is sealed.

    Every result is checked first (grades, totals in range, grade consistent with the
    total and its reasons, known rule set); the problems are listed and nothing is
    written. A finalized month cannot change: corrections are amendments (`evalkit
    amend`), which re-derive the month from its archived inputs. A month finalized with
    --no-classify, or from a results file without unit inputs, cannot be amended.

    \b
    Example:
      evalkit finalize ket-qua-03.json --archive luu-tru.sqlite --by "Trưởng phòng TCCB"
    """
    from evalkit.errors import InputError
    from evalkit.io.archive import Archive

    is_json = Path(path).suffix.lower() == ".json"
    if classify is None:
        classify = not is_json
    results, problems = _scored(path, rules_id, period, org, force=force, as_json=as_json,
                                classify=classify)  # fmt: skip
    if results is None:
        return _report_problems(problems, as_json, {"file": path})
    try:
        with Archive(archive_path) as arc, _progress("Finalizing", not as_json) as update:
            month = arc.finalize(results, by=by, period=period, progress=update,
                                 units=results.attrs.get("units"),
                                 unit_inputs=results.attrs.get("unit_inputs"),
                                 rules=_rule_set(rules_id))  # fmt: skip
    except InputError as exc:
        return _report_problems(exc.problems, as_json, {"file": path})
    if as_json:
        _print_json({"ok": True, "archive": archive_path, "period": str(month.period),
                     "rows": month.rows, "finalized_at": month.finalized_at,
                     "seal": month.chain, "amendable": month.inputs})  # fmt: skip
    else:
        click.echo(f"{month.period}: {month.rows} results finalized in {archive_path}")
        click.echo(f"seal (SHA-256): {month.chain}")
        if not month.inputs:
            click.echo("note: archived without unit inputs, so the month cannot be amended",
                       err=True)  # fmt: skip
    return EXIT_OK


@cli.command(context_settings=_CONTEXT)
@_archive_option
@click.option("--period", required=True, metavar="YYYY-MM")
@click.option("--staff", "staff_id", required=True, help="The staff id to correct.")
@click.option("--set", "changes", multiple=True, required=True, metavar="FIELD=VALUE",
              help="A corrected input, e.g. chat_luong=90, discipline=1 or kpi=85 "
                   "(repeatable); never total or grade, which are re-derived.")  # fmt: skip
@click.option("--by", "by", required=True, help="Who corrects (recorded).")
@click.option("--why", "why", required=True, help="Why (recorded).")
@_json_option
def amend(
    archive_path: str, period: str, staff_id: str, changes: tuple[str, ...], by: str, why: str,
    as_json: bool,
) -> int:  # fmt: skip
    """Correct an input of one finalized result and re-derive the month.

    Only the inputs the month's rule set defines can be set (criterion scores, flags such
    as discipline, kpi), checked like a workbook cell. The month is classified again from
    its archived inputs; every result that changes is recorded with the amendment, with
    the previous values, who, when and why.

    \b
    Example:
      evalkit amend --period 2026-03 --staff CC-0042 --set chat_luong=90 \\
          --by "Giám đốc" --why "Kết luận lại sau kiểm tra công vụ"
    """
    from evalkit.errors import InputError
    from evalkit.io.archive import Archive

    parsed: dict[str, Any] = {}
    for item in changes:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{item!r} is not FIELD=VALUE", param_hint="--set")
        parsed[key.strip()] = value.strip()
    if not Path(archive_path).is_file():
        raise _Failure(f"archive {archive_path} does not exist", EXIT_INVALID_INPUT)
    try:
        with Archive(archive_path) as arc:
            amendment = arc.amend(period, staff_id, parsed, by=by, why=why)
    except InputError as exc:
        return _report_problems(exc.problems, as_json, {"archive": archive_path})
    rows = {c.staff_id: {"previous": dict(c.previous), "new": dict(c.new)}
            for c in amendment.rows}  # fmt: skip
    if as_json:
        _print_json({"ok": True, "amendment": amendment.id, "previous": amendment.previous,
                     "new": amendment.new, "rows": rows, "seal": amendment.chain})  # fmt: skip
        return EXIT_OK
    click.echo(f"amendment {amendment.id} recorded for {staff_id}, {period}")
    for change in amendment.rows:
        shown = [k for k in change.new if k in amendment.new or k in
                 ("total", "score_grade", "proposed_grade", "grade", "reasons")]  # fmt: skip
        if shown:
            text = "; ".join(f"{k} {change.previous.get(k)!s} → {change.new.get(k)!s}"
                             for k in shown)  # fmt: skip
            click.echo(f"  {change.staff_id}: {text}")
    return EXIT_OK


@cli.command(context_settings=_CONTEXT)
@_archive_option
@click.option("--year", required=True, type=click.IntRange(1900, 9999))
@click.option("--rules", "rules_id", metavar="ID|FILE.toml",
              help="One rule set for every person's year; default: each person's own "
                   "(the rule set archived with their latest month of the year).")  # fmt: skip
@_out_option
@_json_option
def annual(
    archive_path: str, year: int, rules_id: str | None, out: str | None, as_json: bool
) -> int:
    """Classify a year from its finalized months: roll-up, head cap, then the quota.

    Each person's months are rolled up under their rule set's roll-up policy
    (`evalkit.units.rollup_frame`), then classified for the year
    (`evalkit.units.classify_year`): a head is not rated above the unit's annual grade,
    and the quota applies to the year. Amendments count; every month read is checked
    against its seal first. Columns: staff_id, full_name, unit_id, annual_total,
    annual_grade, reasons, then the engine's other columns.

    \b
    Example:
      evalkit annual --archive luu-tru.sqlite --year 2026 --out nam-2026.xlsx
    """
    from evalkit.io.archive import Archive

    if not Path(archive_path).is_file():
        raise _Failure(f"archive {archive_path} does not exist", EXIT_INVALID_INPUT)
    with Archive(archive_path, readonly=True) as arc:
        if arc.schema_version() < _archive_schema():
            arc.close()
            with Archive(archive_path) as writable:  # migrates the file forward once
                table = writable.annual(year, rules=_rule_set(rules_id))
        else:
            table = arc.annual(year, rules=_rule_set(rules_id))
    _write_or_print(table, out, as_json)
    return EXIT_OK


def _archive_schema() -> int:
    from evalkit.io.archive import SCHEMA_VERSION

    return SCHEMA_VERSION


@cli.group("archive", context_settings=_CONTEXT)
def archive_group() -> None:
    """Check an archive of finalized months.

    \b
    Example:
      evalkit archive verify luu-tru.sqlite
    """


@archive_group.command("verify", context_settings=_CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False), metavar="FILE.sqlite")
@_json_option
def archive_verify(file: str, as_json: bool) -> int:
    """Check every month of an archive against its seal (SHA-256 hash chain).

    Opens the file read-only and changes nothing. Exit 0 when every month, row, unit and
    amendment matches; exit 1 naming the month and the row that does not (a row edited
    with SQL outside evalkit, a deleted amendment, a dropped trigger).

    \b
    Example:
      evalkit archive verify luu-tru.sqlite --json
    """
    from evalkit.io.archive import Archive

    if not Path(file).is_file():
        raise _Failure(f"archive {file} does not exist", EXIT_INVALID_INPUT)
    with Archive(file, readonly=True) as arc:
        report = arc.verify()
    if as_json:
        _print_json({
            "ok": report.ok, "file": file, "schema_version": report.schema_version,
            "months": [{"period": m.period, "rows": m.rows, "amendments": m.amendments,
                        "seal": m.head, "ok": m.ok} for m in report.months],
            "problems": [{"period": p.period, "kind": p.kind, "key": p.key,
                          "message": p.message, "text": str(p)} for p in report.problems],
            "notes": list(report.notes),
        })  # fmt: skip
    elif report.ok:
        click.echo(str(report))
    else:
        click.echo(str(report), err=True)
    return EXIT_OK if report.ok else EXIT_INVALID_INPUT


# =========================================================================== main


def _exit_code(exc: BaseException) -> int:
    from evalkit.errors import EvalkitError, NoRuleSetError, RuleSetError

    if isinstance(exc, RuleSetError | NoRuleSetError):
        return EXIT_RULE_SET
    if isinstance(exc, EvalkitError):
        return EXIT_INVALID_INPUT
    return EXIT_INTERNAL


def main(argv: Sequence[str] | None = None, stdout: IO[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code.

    ``stdout`` receives normal output (default: ``sys.stdout``); messages go to stderr.

    >>> import io
    >>> main(["rules", "show", "no.such.set"], stdout=io.StringIO())
    3
    """
    args = list(sys.argv[1:] if argv is None else argv)
    redirect = contextlib.redirect_stdout(stdout) if stdout is not None else contextlib.nullcontext()
    with redirect:
        try:
            rv = cli.main(args=args, prog_name="evalkit", standalone_mode=False)
        except click.exceptions.UsageError as exc:
            exc.show()
            return EXIT_USAGE
        except _Failure as exc:
            click.echo(f"Error: {exc.message}", err=True)
            return exc.code
        except click.ClickException as exc:
            exc.show()
            return exc.exit_code if exc.exit_code else EXIT_INVALID_INPUT
        except click.exceptions.Abort:
            click.echo("Aborted.", err=True)
            return EXIT_INVALID_INPUT
        except Exception as exc:
            code = _exit_code(exc)
            if code == EXIT_INTERNAL:
                click.echo(f"Internal error: {type(exc).__name__}: {exc}", err=True)
                if os.environ.get("EVALKIT_DEBUG"):
                    import traceback

                    traceback.print_exc()
                else:
                    click.echo("Set EVALKIT_DEBUG=1 to see the traceback.", err=True)
            else:
                click.echo(f"Error: {exc}", err=True)
            return code
    if rv is None:
        return EXIT_OK
    return int(rv) if isinstance(rv, int) else EXIT_OK

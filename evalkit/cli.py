"""The ``evalkit`` command line: a thin shell over the library.

Every command parses its options, calls the library (:mod:`evalkit.workflow` for the
month: read → check → classify) and prints; ``--json`` prints machine-readable output for
scripts. Everything it says — messages, problems, errors, ``--help`` — is in Vietnamese
by default and in English with ``--lang en`` (or ``EVALKIT_LANG=en``), from one catalogue
(:mod:`evalkit.messages`). :func:`main` serves as the console script, as
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
import contextvars
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

import click

from evalkit import _tables
from evalkit.messages import (
    CATALOGUE,
    LANGS,
    Msg,
    for_cli,
    located,
    plural,
    sentence,
    table_head,
    text,
    translate,
)

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

#: The language of this run's messages (set by :func:`main` from ``--lang`` / EVALKIT_LANG).
_LANG: contextvars.ContextVar[str] = contextvars.ContextVar("evalkit_lang", default="vi")
#: This run's ``--jurisdiction`` (None: the national sets, ``vn``): where a person no set is
#: named for finds the one in force (set by :func:`_jurisdiction_given`, reset by :func:`main`).
_JURISDICTION: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "evalkit_jurisdiction", default=None)


def _lang() -> str:
    return _LANG.get()


def _t(key: str, **params: Any) -> str:
    """A catalogue message in this run's language."""
    return text(key, _lang(), **params)


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


def _code_of(p: Any) -> str | None:
    """The catalogue key of a problem: its message's, or the key of the library's English
    sentence it carries (a results or organisation file's problem); None when unknown."""
    from evalkit.messages import foreign_key

    m = getattr(p, "msg", None)
    return m.key if m is not None else foreign_key(str(getattr(p, "message", "")))


def _problems_payload(problems: Sequence[Any]) -> list[dict[str, Any]]:
    lang = _lang()
    return [
        {
            "message": sentence(p, lang),
            "code": _code_of(p),
            "file": p.file,
            "sheet": p.sheet,
            "row": p.row,
            "column": p.column,
            "staff_id": getattr(p, "staff_id", None),
            "unit_id": getattr(p, "unit_id", None),
            "value": p.value if isinstance(p.value, int | float | str | bool) or p.value is None
            else str(p.value),
            "text": located(p, lang),
            # a line standing for n problems of a kind not listed: n, so a script counts true
            **({"unlisted": p.unlisted} if getattr(p, "unlisted", 0) else {}),
        }
        for p in problems
    ]


def _head_cap_hint(problems: Sequence[Any]) -> str:
    """Where a head's year lacks the unit's result (months finalized with --no-classify):
    the option that gives it."""
    from evalkit.messages import foreign_key

    needs = any(foreign_key(str(getattr(p, "message", ""))) == "foreign.year.head_needs_unit"
                for p in problems)  # fmt: skip
    return _t("cli.annual.unit_grades_hint") if needs else ""


def _report_problems(problems: Sequence[Any], as_json: bool, extra: Mapping[str, Any],
                     hint: str = "") -> int:  # fmt: skip
    """Print every problem (stdout, JSON or text) and the hint that fits them (``hint``
    where none does); return the exit code for invalid input."""
    if as_json:
        hint = _rule_file_hint(problems) or _head_cap_hint(problems) or hint
        _print_json({**extra, "ok": False, "problems": _problems_payload(problems),
                     **({"hint": hint} if hint else {})})  # fmt: skip
    else:
        from evalkit.errors import problem_count

        n = problem_count(problems)  # the true count: a "… more not listed" line is its n
        click.echo(_t("cli.problems.head", n=n, s=plural(n)), err=True)
        for p in problems[:_MAX_PRINTED_PROBLEMS]:
            click.echo(f"  - {located(p, _lang())}", err=True)
        if n > (shown := problem_count(problems[:_MAX_PRINTED_PROBLEMS])):
            click.echo(_t("cli.problems.more", n=n - shown), err=True)
    hint = _rule_file_hint(problems) or _head_cap_hint(problems) or hint
    if hint and not as_json:
        click.echo(hint, err=True)
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
        raise _Failure(_t("cli.missing_component", name=f"{name}.{attr}"), EXIT_INTERNAL)
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


def _with_rules(results: pd.DataFrame, rs: RuleSet | None) -> pd.DataFrame:
    """``results`` whose rule set ids find the set of ``--rules``: a rule file (an agency's
    set, not registered) joins ``attrs["rule_sets"]``, as classify's results carry it, so
    :func:`evalkit.rules.resolve` finds its id everywhere downstream (sheets, year)."""
    if rs is not None:
        from evalkit._classify.common import custom_sets

        results.attrs["rule_sets"] = {**(results.attrs.get("rule_sets") or {}),
                                      **custom_sets([rs])}  # fmt: skip
    return results


def _unknown_rule_ids(found: Sequence[Any] | BaseException) -> list[str]:
    """The rule set ids that problems (or an error) say are not registered."""
    import re

    from evalkit.errors import InputError
    from evalkit.rules import default_registry

    if isinstance(found, InputError):
        found = list(found.problems)
    if isinstance(found, BaseException):
        ids = re.findall(r"unknown rule set '([^']+)'", str(found))
    else:
        ids = [str(p.value) for p in found if getattr(p, "column", None) == "rule_set"
               and isinstance(p.value, str) and p.value]  # fmt: skip
    return [i for i in dict.fromkeys(ids) if i not in default_registry()]


def _rule_file_hint(found: Sequence[Any] | BaseException) -> str:
    """How to pass the rule file of an unregistered set the input names, or ""."""
    ids = _unknown_rule_ids(found)
    return _t("cli.rules.pass_file", ids=", ".join(repr(i) for i in ids)) if ids else ""


def _own_rules(path: str, rules: str | None) -> str | None:
    """The ``--rules`` of one of several workbooks of a month: a rule file (an agency's set,
    not registered) is the set of the workbooks made from it; a workbook made under a
    registered set (the viên chức beside the agency's công chức) keeps its own, as each
    workbook of a month is read under its own set (docs/cli.md, several workbooks)."""
    from evalkit.io.workbook import rule_set_named
    from evalkit.rules import default_registry

    rs, reg = _rule_set(rules), default_registry()
    if rs is None or rs.id in reg:
        return rules
    named = rule_set_named(path)
    return None if named and named != rs.id and named in reg else rules


def _read_months(
    path: str, rules: str | None, period: str | None, org: str | None, *, show_progress: bool,
    say_hidden: bool = True,
) -> list[Any]:
    """The month of a workbook or CSV; a CSV of staff groups under different sets, none
    named: one month per set (:func:`evalkit.io.workbook.read_months`), as their files.
    The rows and columns Excel hides are said on stderr (``say_hidden``; ``validate``
    says them after its verdict, :func:`_hidden_notices`)."""
    from evalkit.io.workbook import read_months

    with _progress(Path(path).name, show_progress) as update:
        months = read_months(path, _rule_set(rules), period=period, org=org, progress=update,
                             jurisdiction=_JURISDICTION.get())  # fmt: skip
    for note in _hidden_notices(months) if say_hidden else ():
        click.echo(note, err=True)
    return months


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

    Returns ``(None, problems)`` when the input has problems (the reader's and what the
    engine refuses, each on its cell). With ``classify`` the units are classified first
    (units, head cap, quota; :func:`evalkit.workflow.classify_input`), else the rows are
    only scored and marked ``classified_by_unit = False``. The unit results are in
    ``results.attrs["units"]``; the signatories and the agency in ``attrs`` too.
    """
    from evalkit import workflow
    from evalkit.errors import InputError

    if Path(path).suffix.lower() == ".json":
        from evalkit.io.results import read_results

        try:
            return _with_rules(read_results(path), _rule_set(rules)), None
        except InputError as exc:
            return None, list(exc.problems)
    months = _read_months(path, rules, period, org, show_progress=not as_json)
    if len(months) > 1:  # one CSV of several staff groups' sets
        return _scored_months(months, org, force=force, classify=classify)
    month = months[0]
    problems = month.problems or workflow.no_one([month])  # the reader's, or no one at all
    if problems:
        return None, problems
    try:
        if classify:
            results = workflow.classify_input(month, org=org, force=force,
                                              jurisdiction=_JURISDICTION.get())  # fmt: skip
        else:
            results = workflow.score_input(month, rules=month.rules, org=org, force=force,
                                           jurisdiction=_JURISDICTION.get())  # fmt: skip
    except InputError as exc:
        return None, [workflow._where(p, month) for p in exc.problems]
    results.attrs["signatories"] = workflow.signatories(month, org)
    found = workflow.agency(month)
    if found is not None:
        results.attrs["agency"] = found
    results.attrs["month"] = month
    # a rule file's set (not registered) found by every reader of the results: the
    # sentences of --out's table, the sheets, the year
    return _with_rules(results, month.rules), None


def _scored_many(
    paths: Sequence[str],
    rules: str | None,
    period: str | None,
    org: str | None,
    *,
    force: bool,
    as_json: bool,
    classify: bool,
) -> tuple[pd.DataFrame | None, Any]:
    """:func:`_scored` of several workbooks (or CSV files) of one month — the per-group
    workbooks of ``template --org`` — read each, every problem of every file, then one
    engine run on their rows together (:func:`evalkit.workflow.classify_months`)."""
    if len(paths) == 1:
        return _scored(paths[0], rules, period, org, force=force, as_json=as_json,
                       classify=classify)  # fmt: skip
    if any(Path(p).suffix.lower() == ".json" for p in paths):
        raise _Failure(_t("cli.months.one_results_file", n=len(paths)), EXIT_USAGE)
    months = [m for p in paths for m in _read_months(p, _own_rules(p, rules), period, org,
                                                     show_progress=not as_json)]  # fmt: skip
    return _scored_months(months, org, force=force, classify=classify)


def _scored_months(months: Sequence[Any], org: str | None, *, force: bool, classify: bool
                   ) -> tuple[pd.DataFrame | None, Any]:  # fmt: skip
    """The months of :func:`_scored_many`, read: their problems, or one engine run."""
    from evalkit import workflow
    from evalkit.errors import InputError

    problems = workflow.month_problems(months) or workflow.no_one(months)
    if problems:
        return None, problems
    _staff, which = workflow._together(months)
    try:
        if classify:
            results = workflow.classify_months(months, org=org, force=force,
                                               jurisdiction=_JURISDICTION.get())  # fmt: skip
        else:
            results = workflow.score_months(months, org=org, force=force,
                                            jurisdiction=_JURISDICTION.get())  # fmt: skip
    except InputError as exc:
        return None, [workflow._where_of(p, months, which) for p in exc.problems]
    results.attrs["signatories"] = workflow.signatories(months[0], org)
    found = workflow.agency(months[0])
    if found is not None:
        results.attrs["agency"] = found
    results.attrs["month"] = months[0]
    for m in months:  # each workbook's rule file, as for one workbook
        results = _with_rules(results, m.rules)
    return results, None


# =========================================================================== option types


class _PeriodType(click.ParamType):  # type: ignore[type-arg]
    """A period on the command line: a month (``2026-03``), or also a quarter and a year."""

    name = "period"

    def __init__(self, kinds: tuple[str, ...] = ("month",)) -> None:
        self.kinds = kinds

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None
                ) -> str:  # fmt: skip
        from evalkit.errors import EvalkitError
        from evalkit.model import Period

        try:
            p = Period.parse(value)
        except EvalkitError:
            p = None
        if p is None or p.kind not in self.kinds:
            key = {("month",): "cli.usage.month", ("month", "quarter"): "cli.usage.month_or_quarter"
                   }.get(self.kinds, "cli.usage.period")  # fmt: skip
            self.fail(_t(key, value=str(value)), param, ctx)
        return str(p)


_MONTH_OR_QUARTER = _PeriodType(("month", "quarter"))
_ANY_PERIOD = _PeriodType(("month", "quarter", "year"))


# =========================================================================== the group

_HELP_EN = """evalkit: monthly performance evaluation for the Vietnamese public sector.

    \b
    The month end (see "Run the monthly script" in the documentation):
      evalkit template --rules vn.nd335-2025 --period 2026-03 thang-03.xlsx
      (fill in the workbook)
      evalkit validate thang-03.xlsx
      evalkit classify thang-03.xlsx --out ket-qua-03.json
      evalkit render ket-qua-03.json --out phieu-03/
      evalkit finalize ket-qua-03.json --archive luu-tru.sqlite --by "Trưởng phòng TCCB"
      evalkit annual --archive luu-tru.sqlite --year 2026

    \b
    Messages are in Vietnamese; add --lang en (or set EVALKIT_LANG=en) for English.
    Exit codes: 0 ok, 1 invalid input, 2 usage error, 3 rule-set error, 4 internal error.
    """


def _lang_default() -> str:
    return _lang()


@click.group(context_settings=_CONTEXT, help=_HELP_EN)
@click.version_option(package_name="evalkit", prog_name="evalkit", message="%(prog)s %(version)s")
@click.option("--lang", "lang", type=click.Choice(LANGS), default=_lang_default,
              expose_value=False,
              help="Language of messages and sheets: vi (default) or en; also after a "
                   "command, or EVALKIT_LANG.")
def cli() -> None:
    pass


_unit_grades_option = click.option(
    "--unit-grades", "unit_grades_csv", metavar="FILE.csv",
    type=click.Path(exists=True, dir_okay=False),
    help="The units' grades for the year (columns unit_id, grade), which cap their heads, "
         "instead of the grades the archived months' unit results give: for months "
         "finalized without unit results (--no-classify).")
_json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
_rules_option = click.option(
    "--rules", "rules_id", metavar="ID|FILE.toml",
    help="Rule set id (see `evalkit rules list`) or a rule file; default: the workbook's.",
)  # fmt: skip


def _jurisdiction_given(ctx: click.Context, param: click.Parameter, value: str | None
                        ) -> str | None:  # fmt: skip
    """``--jurisdiction`` checked before anything is read or written: one a registered set
    has (or a parent of one), else a rule-set error listing the known ones — a typo such as
    ``vn.hanio`` would otherwise fall back to the national sets without a word."""
    if value is None:
        return None
    from evalkit.rules import default_registry

    known = default_registry().jurisdictions()
    if value.strip() not in known:
        raise _Failure(_t("cli.jurisdiction.unknown", value=value, known=", ".join(known)),
                       EXIT_RULE_SET)  # fmt: skip
    _JURISDICTION.set(value.strip())
    return value.strip()


_jurisdiction_option = click.option(
    "--jurisdiction", metavar="CODE", callback=_jurisdiction_given, expose_value=False,
    help="Where the staff work (vn.hanoi): a person no --rules names gets the set in force "
         "there for their staff group (else the national one); default: vn.",
)  # fmt: skip
_period_option = click.option(
    "--period", metavar="YYYY-MM|YYYY-Qn", type=_MONTH_OR_QUARTER,
    help="The month, or the quarter under a rule set that scores quarters (customs); a "
         "workbook of another period is a problem.",
)  # fmt: skip


def _quarter_refused(rs: RuleSet | None, period: str | None) -> None:
    """A quarter ``--period`` under a named set that scores months: a usage error saying so
    (``template``, ``validate``, ``score``, ``classify``, ``finalize`` alike); without a
    named set the file's own set decides, and its reader says it (a problem, exit 1)."""
    from evalkit.model import Period

    if period is not None and rs is not None and rs.period != "quarter" \
            and Period.parse(period).kind == "quarter":  # fmt: skip
        raise _Failure(_t("cli.template.quarter", rules=rs.id, period=period), EXIT_USAGE)
_org_option = click.option(
    "--org", metavar="FILE.json", type=click.Path(exists=True, dir_okay=False),
    help="Organisation file (units, positions, staff; see `evalkit org`).",
)  # fmt: skip
_force_option = click.option(
    "--force", is_flag=True, help="Apply the rule set even outside its effective dates."
)
_force_out_option = click.option(
    "--force", is_flag=True, help="Replace an existing --out file, and apply the rule set "
    "even outside its effective dates.")
_sheet_lang_option = click.option(
    "--lang", type=click.Choice(LANGS), default=_lang_default,
    help="Language of the sheets and of the messages: vi (default) or en.",
)  # fmt: skip


# =========================================================================== demo


@cli.command(context_settings=_CONTEXT)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Directory to write the demo's sheets and summaries into.")
@_sheet_lang_option
@_json_option
def demo(out_dir: str, lang: str, as_json: bool) -> int:
    """Classify the bundled demo agency's year 2026 and render December's monitoring
    sheets, the annual sheets, the unit summaries, overviews and publication lists.

    \b
    Example:
      evalkit demo --out demo-output
    """
    from evalkit.errors import EvalkitError, InputError

    run_demo = _require("evalkit.demo", "run_demo")
    try:
        with _progress(_t("cli.demo.running"), not as_json):
            result = run_demo(Path(out_dir), lang=lang)
    except InputError:  # a list of problems, said as every command says it
        raise
    except EvalkitError as exc:  # all or nothing (evalkit._files.staged_folder): said so
        raise _Failure(_t("cli.demo.failed", message=_error_text(exc), out=out_dir),
                       _exit_code(exc)) from exc
    files = _paths_of(result, Path(out_dir))
    if as_json:
        _print_json({"ok": True, "out": str(out_dir), "files": [str(f) for f in files]})
    else:
        click.echo(_t("cli.demo.done", out=out_dir, n=len(files)))
    return EXIT_OK


def _paths_of(result: Any, out_dir: Path) -> list[Path]:
    files = getattr(result, "files", None)
    if isinstance(files, tuple | list) and all(isinstance(x, str | os.PathLike) for x in files):
        return [Path(x) for x in files]
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


def _word(kind: str, value: str) -> str:
    """A rule set's period (``month``, ``quarter``, ``year``) or source status in the
    run's language; any other value as it is."""
    key = f"rules.{kind}.{value}"
    return _t(key) if key in CATALOGUE else value


def _periods(values: Sequence[str]) -> str:
    return ", ".join(_word("period", p) for p in values)


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

    table = Table(_t("cli.rules.col.id"), _t("cli.rules.col.categories"),
                  _t("cli.rules.col.in_force"), _t("cli.rules.col.classified"),
                  _t("cli.rules.col.status"), _t("cli.rules.col.title"))  # fmt: skip
    for rs in sets:
        end = rs.effective_to.isoformat() if rs.effective_to else "…"
        table.add_row(
            rs.id, ", ".join(c.value if _lang() == "en" else _t(f"word.category.{c.value}")
                             for c in rs.categories),
            f"{rs.effective_from.isoformat()} → {end}", _periods(rs.classified),
            _word("status", rs.status) if rs.status else "—",
            rs.title_en if _lang() == "en" else rs.title_vi,
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
@_sheet_lang_option
@click.option("--toml", "as_toml", is_flag=True,
              help="Print the resolved rule set as TOML (extends applied): a rule file that "
                   "reads back as the same set.")
@_json_option
def rules_show(rule_id: str, lang: str, as_toml: bool, as_json: bool) -> int:
    """Show a rule set: criteria with maxima, bands, caps, quota, and every rule with its
    source (the citation printed on sheets) and source status.

    \b
    Example:
      evalkit rules show vn.nd335-2025 --lang en
      evalkit rules show so-thu.toml --toml
    """
    rs = _rule_set(rule_id)
    assert rs is not None
    if as_toml:
        from evalkit.rules import (
            default_registry,
            dumps_rule_data,
            load_rule_data,
            resolve_extends,
        )

        if rs.id in default_registry() and default_registry().get(rs.id) == rs:
            data = default_registry().rule_data(rs.id)
        else:  # a rule file: its data with extends resolved, as it was read
            data = resolve_extends(load_rule_data(rule_id), source=rule_id)
        click.echo(dumps_rule_data(data), nl=False)
        return EXIT_OK
    if as_json:
        _print_json(_rule_detail(rs))
        return EXIT_OK
    from rich.markup import escape
    from rich.table import Table

    from evalkit.rules.sources import rule_sources, status_counts

    con = _console()
    con.print(f"[bold]{escape(rs.id)}[/bold] — {escape(rs.title_en if lang == 'en' else rs.title_vi)}")
    end = rs.effective_to.isoformat() if rs.effective_to else _t("cli.rules.open_end")
    con.print(escape(_t("cli.rules.in_force", start=rs.effective_from.isoformat(), end=end,
                         source=rs.source)))  # fmt: skip
    con.print(escape(_t("cli.rules.status",
                        status=_word("status", rs.status) if rs.status else "—")))
    con.print(escape(_t("cli.rules.classified", periods=_periods(rs.classified),
                         source=f" ({rs.classified_source})" if rs.classified_source
                         else "")))  # fmt: skip
    table = Table(_t("cli.rules.col.group"), _t("cli.rules.col.criterion"),
                  _t("cli.rules.col.max"), _t("cli.rules.col.unit"))  # fmt: skip
    for g in rs.groups:
        for c in g.criteria:
            unit = (_t(f"cli.rules.unit.{c.unit}") if f"cli.rules.unit.{c.unit}" in CATALOGUE
                    else c.unit)  # fmt: skip
            table.add_row(g.label(lang), escape(f"{c.label(lang)} [{c.id}]"), f"{c.maximum:g}",
                          unit)  # fmt: skip
    con.print(table)
    bands = Table(_t("cli.rules.col.grade"), _t("cli.rules.col.from"), _t("cli.rules.col.to"),
                  _t("cli.rules.col.source"))  # fmt: skip
    for b in sorted(rs.bands, key=lambda b: -b.min):
        bands.add_row(rs.grade_label(b.grade, lang), f"{b.min:g}", f"{b.max:g}", b.source)
    con.print(bands)
    for cap in rs.caps:
        label = cap.label_en if lang == "en" else cap.label_vi
        con.print(escape(_t("cli.rules.cap", id=cap.id, label=label, grade=cap.grade.code)))
    if rs.quota:
        from evalkit.reasons import quota_base_words

        base = rs.quota.base if lang == "en" else quota_base_words(rs, lang=lang)
        con.print(escape(_t("cli.rules.quota", grade=rs.quota.grade.code,
                            percent=f"{rs.quota.percent:g}", base=base)))
    sources = Table(_t("cli.rules.col.rule"), _t("cli.rules.col.source"),
                    _t("cli.rules.col.status"), _t("cli.rules.col.on"))  # fmt: skip
    sources.columns[0].overflow = "fold"  # a long id in brackets wraps, never cut
    for r in rule_sources(rs):
        sources.add_row(escape(r.label(lang)), escape(r.source or "—"),
                        _word("status", r.shown_status),
                        _t("cli.rules.yes") if r.enabled else _t("cli.rules.no"))  # fmt: skip
    con.print(sources)
    counts = status_counts(rs)
    con.print(_t("cli.rules.statuses", counts=", ".join(f"{_word('status', k)} {v}"
                                                         for k, v in counts.items() if v)))
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
    lenient, problems = _rule_file_problems(rule_file, examples)
    ok = not problems
    basis = _basis_warning(rule_file, lenient) if lenient is not None else None
    warnings = [*([basis] if basis is not None else []),
                *(_inherited_citations(rule_file, lenient) if lenient is not None else []),
                *(_fraction_percents(rule_file, lenient) if lenient is not None else [])]
    if as_json:
        _print_json({"file": rule_file, "id": lenient.id if lenient else None, "ok": ok,
                     "problems": problems, "warnings": warnings})  # fmt: skip
    elif ok:
        assert lenient is not None
        click.echo(_t("cli.rules.valid", file=rule_file, id=lenient.id))
        for warning in warnings:
            click.echo(warning, err=True)
    else:
        click.echo(_t("cli.rules.invalid", file=rule_file, n=len(problems)), err=True)
        for p in problems:
            click.echo(f"  - {_rule_problem(p)}", err=True)
    return EXIT_OK if ok else EXIT_RULE_SET


#: The keys of a file that ``extends`` a set which change none of its rules: its name, its
#: place in the registry and its notes.
_NAMING_KEYS = frozenset({"extends", "id", "jurisdiction", "title_vi", "title_en", "source",
                          "status", "note", "schema_version"})  # fmt: skip


def _basis_warning(rule_file: str, rs: Any) -> str | None:
    """The warning of ``rules check`` for a file that ``extends`` a set and changes its
    rules but gives no ``title_vi`` or ``source`` of its own: the sheets' "Căn cứ" names the
    set's title (the decree's, for a preset) and nothing of the agency's rule that changed
    it; a signed sheet is a legal document, so the file is told to name its own (no
    citation is made up for it). None where there is nothing to say."""
    from evalkit.errors import RuleSetError
    from evalkit.rules import load_rule_data

    try:
        data = load_rule_data(rule_file)
    except RuleSetError:
        return None
    base = data.get("extends")
    changed = sorted(k for k in data if k not in _NAMING_KEYS)
    missing = [k for k in ("title_vi", "source") if not data.get(k)]
    if not isinstance(base, str) or not changed or not missing:
        return None
    return _t("cli.rules.basis_only_base", file=rule_file, base=base, keys=", ".join(changed),
              missing=", ".join(missing), title=rs.title_vi)  # fmt: skip


def _inherited_citations(rule_file: str, rs: Any) -> list[str]:
    """The warnings of ``rules check`` for a file that ``extends`` a set and changes a rule
    of a table it merges (``[quota]``, ``[units]`` …) without a ``source`` there: the table
    keeps the citation of the set it extends, which the sheets would print for the changed
    rule (a 15 % quota cited as NĐ 335/2025's 20 %); one per table, naming what changed."""
    from evalkit.errors import EvalkitError
    from evalkit.rules import get, load_rule_data, rule_changes

    try:
        data = load_rule_data(rule_file)
        base = get(data["extends"]) if isinstance(data.get("extends"), str) else None
    except EvalkitError:
        return []
    if base is None:
        return []
    bare = {k for k, v in data.items() if isinstance(v, Mapping) and "source" not in v
            and bool(getattr(getattr(base, k, None), "source", None))}  # fmt: skip
    changed: dict[str, list[str]] = {}
    for item, *_values in rule_changes(base, rs):
        table = item.split(".", 1)[0]
        if table in bare:
            changed.setdefault(table, []).append(item)
    return [_t("cli.rules.cited_by_base", file=rule_file, table=t, base=base.id,
               items=", ".join(items), source=getattr(base, t).source)
            for t, items in changed.items()]  # fmt: skip


def _fraction_percents(rule_file: str, rs: Any) -> list[str]:
    """The warnings of ``rules check`` for a percentage written as a fraction (``[quota]
    percent = 0.15``, read as 0.15 %): one per item (:func:`evalkit.rules.fraction_percents`)."""
    from evalkit.rules import fraction_percents

    return [_t("cli.rules.percent_fraction", file=rule_file, item=item, value=f"{v:g}",
               pct=f"{v * 100:g}") for item, v in fraction_percents(rs)]  # fmt: skip


def _rule_file_problems(rule_file: str, examples: int, invariants: Sequence[str] | None = None
                        ) -> tuple[Any, list[str]]:  # fmt: skip
    """What ``rules check`` reports of ``rule_file``: the leniently read rule set (None when
    even that fails) and every problem as ``where: what`` text (English; said in the run's
    language by :func:`_rule_problem`). ``invariants`` selects invariants (``[]``: the
    static checks only)."""
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
    testing = _optional_module("evalkit.testing")
    checker = getattr(testing, "check_rule_set", None) if testing is not None else None
    if checker is not None:
        # the report repeats the loader's problems, then each failed invariant with its
        # shrunk counter-example as a table; a file that does not read even leniently
        # (an unknown key, a wrong type) gets the loader's problems with the checks they
        # leave standing (the dates, the national disqualifiers)
        kw = {} if invariants is None else {"invariants": list(invariants)}
        try:
            problems = _invariant_problems(checker(rule_file, max_examples=examples, **kw))
        except RuleSetError as exc:
            if lenient is not None:
                raise
            listed = getattr(exc, "problems", None)
            problems = [f"{k}: {m}" for k, m in listed] if listed else problems
    elif rs is not None:
        problems += check_bands(rs.bands, rs.total)
    return lenient, problems


def _rule_problem(line: str) -> str:
    """A rule file's problem (``where: what``) in the run's language where the catalogue
    knows its words (a missing or unknown key, a value of the wrong type, invalid TOML, the
    bands, the invariants); a failed invariant's lines are said one by one, its tables kept."""
    if "\n" in line:
        lines = [_rule_problem_line(ln) for ln in line.split("\n")]
        return "\n".join(_table_heads(lines) if _lang() != "en" else lines)
    return _rule_problem_line(line)


#: A table's rule under its head row: runs of dashes (``_table_text`` of evalkit.testing).
_RULE_ROW = re.compile(r"^( *)-+(  -+)*$")


def _table_heads(lines: list[str]) -> list[str]:
    """``lines`` with each text table's head row in the run's language (``cli.rules.head.*``;
    ``yes``/``no`` cells too), its columns widened to fit."""
    out = list(lines)
    for i in range(1, len(out)):
        if not (m := _RULE_ROW.match(out[i])):
            continue
        pad = m[1]
        starts = [j.start() for j in re.finditer(r"-+", out[i])]
        end = i + 1  # the table's rows: the lines after the rule, indented as it
        while end < len(out) and out[end].startswith(pad) and out[end][len(pad):][:1] != " ":
            end += 1
        cells = [[ln[a:b].strip() for a, b in zip(starts, [*starts[1:], None], strict=True)]
                 for ln in out[i - 1:end]]  # fmt: skip
        cells[0] = [table_head(c, _lang()) for c in cells[0]]
        cells[2:] = [[_t(f"cli.rules.{c}") if c in ("yes", "no") else c for c in r]
                     for r in cells[2:]]  # fmt: skip
        widths = [max(len(r[k]) for r in cells if k < len(r) and r is not cells[1])
                  for k in range(len(starts))]  # fmt: skip
        cells[1] = ["-" * w for w in widths]
        out[i - 1:end] = [pad + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True))
                          .rstrip() for r in cells]  # fmt: skip
    return out




#: A RuleSetError's own text: what, then the file and the key path (the file is named by
#: the heading of ``rules check``).
_RULE_ERROR_AT = re.compile(
    r"^(?P<what>.+) \(file (?P<file>[^()]+?)(?:, key (?P<key>[^()\s]+))?\)$", re.S)


def _rule_problem_line(line: str) -> str:
    body = line.lstrip(" ")
    if body != line:  # an indented line of a failed invariant: its indent kept
        return line[: len(line) - len(body)] + _rule_problem_line(body)
    lang = _lang()
    m = _RULE_ERROR_AT.match(line) if lang != "en" else None
    if m is not None:  # one problem: ``what (file F, key K)`` is said as ``K: what``
        if m["key"]:
            return _rule_problem_line(f"{m['key']}: {m['what']}")
        return f"{_rule_problem_line(m['what'])} ({_t('cli.rules.in_file', file=m['file'])})"
    where, sep, what = line.partition(": ")
    if sep and _KEY_PATH.match(where):  # ``key path: what``: only what is said
        if f"cli.rules.where.{where}" in CATALOGUE:  # the checks' own headings (dates: ...)
            where = _t(f"cli.rules.where.{where}")
        return f"{where}{sep}{translate(what, lang)}"
    return translate(line, lang)


#: The key path in front of a rule file's problem (``groups[0].criteria[2].max``).
_KEY_PATH = re.compile(r"^[^\s:'\"]+$")


def _invariant_problems(report: Any) -> list[str]:
    """Problems from ``evalkit.testing.check_rule_set``'s report, whatever its shape."""
    if report is None or report is True:
        return []
    if report is False:
        return [_t("cli.rules.invariant")]
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
              help="Write the changes to OUT.csv (and OUT.distribution.csv, OUT.quota.csv, "
                   "OUT.rules.csv).")
@click.option("--pdf", "pdf_out", metavar="OUT.pdf", type=click.Path(dir_okay=False),
              help="Write the one-page PDF report.")
@_rules_option
@_jurisdiction_option
@click.option("--period", metavar="YYYY-MM|YYYY-Qn|YYYY", type=_ANY_PERIOD,
              help="Compare only the data's periods within this month, quarter or year "
                   "(a workbook of another month is a problem).")  # fmt: skip
@click.option("--fill", multiple=True, metavar="CRITERION=COLUMN",
              help="Take a criterion the data lack from another column (repeatable).")
@click.option("--level", type=click.Choice(["auto", "period", "year"]), default="auto",
              show_default=True,
              help="Compare each period's result, the year's classification, or (auto) the "
                   "year where either set classifies only the year.")  # fmt: skip
@click.option("--force", is_flag=True, help="Replace existing --csv and --pdf files.")
@_sheet_lang_option
@_json_option
def rules_diff(
    old: str, new: str, data: str, csv_out: str | None, pdf_out: str | None,
    rules_id: str | None, period: str | None, fill: tuple[str, ...],
    level: Literal["auto", "period", "year"], force: bool, lang: str, as_json: bool,
) -> int:  # fmt: skip
    """Who would be graded differently under NEW than under OLD (ids or TOML files).

    Both sets are applied to every period of the data (outside their dates too).
    --level period compares month by month (e.g. what a set that grades months changes).

    \b
    Examples:
      evalkit rules diff vn.nd90-2020 vn.nd233-2026 --data demo --csv diff.csv --pdf diff.pdf
      evalkit rules diff old.toml vn.nd335-2025 --data demo --level period
    """
    from evalkit.errors import InputError
    from evalkit.impact import compare_rule_sets, load_data, output_paths

    targets = output_paths(csv_out, pdf_out)
    _refuse_existing(*targets, force=force)

    rs_old, rs_new = _rule_set(old), _rule_set(new)
    criteria = {c.id for rs in (rs_old, rs_new) if rs is not None for c in rs.criteria()}
    asked: dict[str, str] = {}
    for item in fill:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise click.BadParameter(_t("cli.usage.fill_item", value=item), param_hint="--fill")
        if key.strip() not in criteria:
            import difflib

            close = difflib.get_close_matches(key.strip(), sorted(criteria), n=1)
            hint = _t("cli.usage.did_you_mean", name=close[0]) if close else ""
            raise click.BadParameter(_t("cli.usage.fill_unknown", name=key.strip(), hint=hint),
                                     param_hint="--fill")  # fmt: skip
        asked[key.strip()] = value.strip()
    try:
        source = load_data(data, _rule_set(rules_id), period,
                           jurisdiction=_JURISDICTION.get())  # fmt: skip
    except InputError as exc:
        # a CSV names no rule set: read under the set in force, the columns of the set
        # the data were typed under (NEW's own criteria, an agency file's) are refused
        typed_under = not (rules_id is not None or data == "demo" or not Path(data).is_file()
                           or all(p.column == "period" for p in exc.problems))  # (a period's)
        if not (typed_under or as_json):
            raise
        return _report_problems(exc.problems, as_json, {"file": data}, hint=_t(
            "cli.rules.diff_data_rules", new=new) if typed_under else "")
    fills = {**source.fill, **asked}
    try:
        report = compare_rule_sets(rs_old or old, rs_new or new,
                                   source.staff_months, source.units, fill=fills,
                                   level=level)  # fmt: skip
    except InputError as exc:  # --json: the problems as every command gives them
        if not as_json:
            raise
        return _report_problems(exc.problems, as_json, {"file": data})
    from evalkit._files import check_target

    for target in targets:
        check_target(target)  # said before any file is written
    written = [str(p) for p in report.write(csv_out, pdf_out, lang=lang)]  # all or none
    if as_json:  # the notes in the run's language, as printed
        notes = [for_cli(n).text(_lang()) for n in report.notes]
        _print_json({"ok": True, **report.to_dict(), "notes": notes, "files": written})
        return EXIT_OK
    con = _console()
    con.print(report.header("en" if lang == "en" else "vi"), markup=False)
    for said in (*(translate(n, _lang(), cli=True) for n in source.notes),
                 *(for_cli(n).text(_lang()) for n in report.notes)):
        con.print(_t("cli.note", text=said), markup=False)
    con.print(report.to_table("rules", lang=lang))
    con.print(report.to_table("distribution", lang=lang))
    con.print(report.to_table("quota", lang=lang, limit=40))
    con.print(report.to_table("changes", lang=lang, limit=200))
    for path in written:
        click.echo(_t("cli.written", path=path))
    return EXIT_OK


# =========================================================================== template


@cli.command(context_settings=_CONTEXT)
@click.option("--rules", "rules_ids", metavar="ID|FILE.toml", multiple=True,
              help="Rule set whose criteria become the columns; without it, the one in force "
                   "in the period for the staff of --org. Given again (an agency's file, an "
                   "id): the set a group the workbook leaves out will be read under, named "
                   "for that group instead of the one in force.")
@click.option("--period", required=True, metavar="YYYY-MM|YYYY-Qn", type=_MONTH_OR_QUARTER,
              help="The month to be scored (a quarter, 2026-Q3, under a quarterly rule set).")
@_org_option
@click.option("--rows", "staff_rows", type=click.IntRange(1, 1_000_000), default=500,
              show_default=True, help="Rows with data validation when no --org is given.")
@click.option("--force", is_flag=True,
              help="Replace an existing file, and allow a rule set not in force in the period.")
@click.argument("out", type=click.Path(dir_okay=False), metavar="OUT.xlsx|OUT.csv")
@_jurisdiction_option
@_json_option
def template(
    rules_ids: tuple[str, ...], period: str, org: str | None, staff_rows: int, force: bool, out: str,
    as_json: bool,
) -> int:  # fmt: skip
    """Write a fill-in workbook for a month (a quarter under a quarterly rule set): who,
    each level's scores, signatories.

    The staff sheet has, for every criterion, the self, direct-manager and competent-level
    score with the maximum in the header and Excel data validation, each level's comment
    and proposed grade and the competent level's conclusion; the units, positions,
    signatories and tasks sheets and a Vietnamese instructions sheet come with it. OUT.csv
    writes the staff sheet alone as CSV. An existing file is never replaced without
    --force.

    \b
    Example:
      evalkit template --rules vn.nd335-2025 --period 2026-03 --org to-chuc.json thang-03.xlsx
    """
    from evalkit.io.workbook import write_template

    target = Path(out)
    if target.suffix.lower() not in (".xlsx", ".csv"):
        raise _Failure(_t("cli.template.format", suffix=target.suffix), EXIT_USAGE)
    _refuse_existing(target, force=force, key="cli.template.exists")
    rules_id = rules_ids[0] if rules_ids else None
    rs = _rule_set(rules_id) if rules_id is not None else _set_for_org(org, period)
    assert rs is not None
    _quarter_refused(rs, period)
    # the sets the groups left out will be read under, as given (a file by its path)
    others = [(r, _rule_set(r)) for r in rules_ids[1:]]
    left = _left_out(org, rs, period, others)
    unused = [r for r, o in others if o is not None and not any(
        n == r for _ids, n in left.values())]  # fmt: skip
    if unused:
        raise _Failure(_t("cli.template.other_unused", rules=", ".join(unused), period=period),
                       EXIT_USAGE)  # fmt: skip
    path = write_template(out, rs, period, org=org, staff_rows=staff_rows, force=force,
                          overwrite=force)  # fmt: skip
    if as_json:
        _print_json({"ok": True, "file": str(path), "rule_set": rs.id, "period": period,
                     "left_out": {k: v for k, (v, _) in left.items()},
                     "left_out_rules": {k: o for k, (_, o) in left.items()}})  # fmt: skip
    else:
        click.echo(_t("cli.template.done", file=path, rules=rs.id, period=period))
        for ids, other in left.values():
            shown = ", ".join(ids[:10]) + (" …" if len(ids) > 10 else "")
            if other is None:  # no set in force for them: an agency's own rule file
                click.echo(_t("cli.template.left_out_no_set", n=len(ids), ids=shown,
                              rules=rs.id, period=period), err=True)  # fmt: skip
                continue
            click.echo(_t("cli.template.left_out", n=len(ids), ids=shown, rules=rs.id,
                          other=other, period=period), err=True)  # fmt: skip
    return EXIT_OK


def _set_for_org(org: str | None, period: str) -> RuleSet:
    """The one rule set in force in ``period`` for the categories of ``org``'s staff (the
    rule set follows the person, as in every other command); refused without ``--org``,
    or when its staff need several sets (one workbook each, named by ``--rules``)."""
    from evalkit import workflow
    from evalkit.rules import default_registry

    found = workflow._org(org) if org is not None else None
    if found is None or not found.staff:
        raise click.UsageError(_t("cli.template.no_rules"))
    by_set: dict[str, tuple[RuleSet, list[str]]] = {}
    for s in found.staff:
        rs = default_registry().for_period(s.category, period, _JURISDICTION.get())
        by_set.setdefault(rs.id, (rs, []))[1].append(s.id)
    if len(by_set) > 1:
        sets = "; ".join(f"{k} ({len(v[1])})" for k, v in sorted(by_set.items()))
        raise _Failure(_t("cli.template.several_sets", period=period, sets=sets), EXIT_USAGE)
    return next(iter(by_set.values()))[0]


def _left_out(org: str | None, rs: Any, period: str,
              others: Sequence[tuple[str, RuleSet | None]] = (),
              ) -> dict[str, tuple[list[str], str | None]]:  # fmt: skip
    """People of ``org`` whose category the rule set does not cover in ``period``
    (:meth:`RuleSet.holds`), by category: their ids and the rule set they will be read
    under (they need a workbook of their own): the
    first of ``others`` (``--rules`` given again, as typed: an agency's file by its path)
    that covers them in the period, else the one in force for them, None where none is."""
    if org is None:
        return {}
    from evalkit import workflow
    from evalkit.errors import EvalkitError
    from evalkit.rules import default_registry

    found = workflow._org(org)
    out: dict[str, tuple[list[str], str | None]] = {}
    for s in found.staff if found is not None else ():
        if rs.holds(s.category, period):
            continue
        if s.category.value not in out:
            other: str | None = next((given for given, o in others if o is not None
                                      and o.covers(s.category, period)), None)  # fmt: skip
            try:
                other = other or default_registry().for_period(
                    s.category, period, _JURISDICTION.get() or rs.jurisdiction).id
            except EvalkitError:
                other = None
            out[s.category.value] = ([], other)
        out[s.category.value][0].append(s.id)
    return out


# =========================================================================== org


@cli.command("org", context_settings=_CONTEXT)
@click.argument("source", required=False, type=click.Path(exists=True, dir_okay=False),
                metavar="[IN.xlsx|ORG.json]")  # fmt: skip
@click.option("--units", "units_csv", type=click.Path(exists=True, dir_okay=False),
              metavar="UNITS.csv", help="Units as CSV (the columns of the units sheet).")
@click.option("--positions", "positions_csv", type=click.Path(exists=True, dir_okay=False),
              metavar="POSITIONS.csv", help="Positions as CSV (the positions sheet's columns).")
@click.option("--staff", "staff_csv", type=click.Path(exists=True, dir_okay=False),
              metavar="STAFF.csv", help="Staff as CSV (the staff sheet's first columns).")
@click.option("--out", type=click.Path(dir_okay=False), metavar="ORG.json",
              help="Write the organisation file (evalkit JSON).")
@click.option("--force", is_flag=True, help="Replace an existing --out file.")
@_json_option
def org_command(
    source: str | None, units_csv: str | None, positions_csv: str | None,
    staff_csv: str | None, out: str | None, force: bool, as_json: bool,
) -> int:  # fmt: skip
    """Build and check the organisation file (units, positions, staff) from a month's
    workbook or from CSV files; or check an existing organisation file.

    Every problem is listed with its file, sheet, row and column: duplicate ids, unknown
    parents, cycles, heads who are not members of their unit, people in unknown units or
    positions, blank names. The file's format is in the documentation ("The organisation
    file").

    \b
    Examples:
      evalkit org thang-03.xlsx --out to-chuc.json
      evalkit org --units don-vi.csv --positions vi-tri.csv --staff nhan-su.csv --out to-chuc.json
      evalkit org to-chuc.json
    """
    from evalkit.errors import EvalkitError, InputError
    from evalkit.io.workbook import organisation_of_month, read_month, read_organisation

    csvs = (units_csv, positions_csv, staff_csv)
    if source is None and not any(csvs):
        raise click.UsageError(_t("cli.org.inputs"))
    if source is not None and any(csvs):
        raise click.UsageError(_t("cli.org.both"))
    if source is not None and Path(source).suffix.lower() == ".json":
        from evalkit.io.jsonio import read_json
        from evalkit.model import Organisation

        try:
            organisation = read_json(source, Organisation)
        except InputError as exc:
            return _report_problems(exc.problems, as_json, {"file": source})
        except EvalkitError as exc:
            import attrs

            from evalkit.errors import InputError, InputProblem

            listed = ([p if p.file else attrs.evolve(p, file=source) for p in exc.problems]
                      if isinstance(exc, InputError) else [InputProblem(str(exc), file=source)])
            return _report_problems(listed, as_json, {"file": source})  # fmt: skip
        problems: list[Any] = []
    elif source is not None:  # a month's workbook: its hidden rows and columns said too
        month = read_month(source)
        for note in _hidden_notices([month], done="read"):  # read, not scored
            click.echo(note, err=True)
        organisation, problems = organisation_of_month(month)
    else:
        if not all(csvs):
            raise click.UsageError(_t("cli.org.inputs"))
        organisation, problems = read_organisation(units=units_csv, positions=positions_csv,
                                                   staff=staff_csv)  # fmt: skip
    where = source or staff_csv or ""
    if problems or organisation is None:
        return _report_problems(problems, as_json, {"file": where})
    counts = {"units": len(organisation.units), "positions": len(organisation.positions),
              "staff": len(organisation.staff)}  # fmt: skip
    if out:
        # the file checked itself too: never silently
        _refuse_existing(out, force=force, key="cli.org.exists")
        from evalkit.io.jsonio import write_json

        write_json(out, organisation)
    if as_json:
        _print_json({"ok": True, "file": where, "out": out, **counts})
    elif out:
        click.echo(_t("cli.org.done", file=out, **counts))
    else:
        click.echo(_t("cli.org.ok", file=where, **counts))
    return EXIT_OK


# =========================================================================== validate


@cli.command(context_settings=_CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False),
                metavar="IN.xlsx|IN.csv...")  # fmt: skip
@_rules_option
@_jurisdiction_option
@_period_option
@_org_option
@_force_option
@_json_option
def validate(
    paths: tuple[str, ...], rules_id: str | None, period: str | None, org: str | None,
    force: bool, as_json: bool,
) -> int:  # fmt: skip
    """Check a filled-in workbook (or CSV) and report every problem at once.

    Each problem names the file, sheet, row, column and value: blank required cells,
    text in number cells, scores above their maximum, duplicate staff ids, unknown
    positions or units, a period mismatch, merged or renamed header cells, a conclusion
    that differs from the score without its reason. Problems are sorted by sheet and row,
    one per cell. A file that validates scores and classifies without an error. Exits 1
    when there is any problem. Several workbooks of one month (one per staff group, as
    `template --org` writes them) are checked together: every problem of every file, then
    the month classified as one.

    \b
    Examples:
      evalkit validate thang-03.xlsx --period 2026-03
      evalkit validate quy-4.csv --rules vn.customs-2026q --period 2026-Q4
      evalkit validate cong-chuc-03.xlsx vien-chuc-03.xlsx --org to-chuc.json
    """
    from evalkit import workflow

    _quarter_refused(_rule_set(rules_id), period)
    months = [m for p in paths for m in _read_months(
        p, _own_rules(p, rules_id) if len(paths) > 1 else rules_id, period, org,
        show_progress=not as_json, say_hidden=False)]  # fmt: skip
    month = months[0]
    # a CSV has no units sheet: without --org it can be scored, not classified
    scores_only = Path(paths[0]).suffix.lower() in (".csv", ".txt") and org is None
    problems, results = workflow.checked_months(months, org=org, force=force,
                                                classify=not scores_only,
                                                jurisdiction=_JURISDICTION.get())  # fmt: skip
    problems = problems or workflow.no_one(months)
    # a typed d the engine will replace with the one it computes is no error, but said;
    # so are the rows Excel hides: read and scored, though no one sees them on screen
    notes = [*_hidden_notices(months),
             *([] if results is None else workflow.typed_d_notices(results, _lang())),
             *([] if results is None else _result_notices(results))]
    rows = sum(len(m.staff) for m in months)
    sets = sorted({m.rules.id for m in months if m.rules is not None})
    path = ", ".join(paths)
    extra = {"file": path, "rows": rows, "rule_set": ",".join(sets) or None,
             "period": str(month.period) if month.period else None}  # fmt: skip
    if problems:
        for note in notes if not as_json else ():
            click.echo(note, err=True)
        return _report_problems(problems, as_json, {**extra, **({"notices": notes} if notes
                                                                 else {})})  # fmt: skip
    if as_json:
        _print_json({**extra, "ok": True, "problems": [], "classified": not scores_only,
                     **({"notices": notes} if notes else {})})
    else:
        click.echo(_t("cli.validate.ok", file=path, rows=rows))
        for note in notes:
            click.echo(note, err=True)
        if scores_only:
            click.echo(_t("cli.validate.csv_scores_only"), err=True)
    return EXIT_OK


def _result_notices(results: pd.DataFrame) -> list[str]:
    """What a classification says besides its problems (not errors, said on stderr or as
    ``"notices"`` with ``--json``): a unit's recognition in a period its set does not
    classify (:func:`evalkit.workflow.exceptional_notices`) and a quota cut decided by
    staff id alone (:func:`evalkit.workflow.quota_tie_notices`) — ``validate``,
    ``classify``, ``finalize``, ``render`` and ``annual`` alike (a quarter's or year's
    results: their own quota)."""
    from evalkit import workflow

    return [*workflow.exceptional_notices(results, _lang()),
            *workflow.quota_tie_notices(results, _lang())]


def _hidden_notices(months: Sequence[Any], done: str = "scored") -> list[str]:
    """One line per sheet whose hidden rows hold data (:attr:`MonthInput.hidden`), and
    one per sheet whose hidden columns do (:attr:`MonthInput.hidden_columns`): read and
    scored as every row and column (``done="read"``: read only, as ``org`` does), named so
    that someone looks at them (docs/workbook.md)."""
    from evalkit.messages import msg

    lines = []
    for month in months:
        for kind, found in (("row", month.hidden), ("column", month.hidden_columns)):
            for sheet, at in found.items():
                names = [str(a) if kind == "row" else f"{a[0]}: {a[1]}" for a in at]
                shown = ", ".join(names[:10]) + (" …" if len(names) > 10 else "")
                lines.append(_t("cli.hidden", file=month.file, sheet=sheet, n=len(names),
                                kind=msg(f"cli.hidden.{kind}"), at=shown,
                                done=msg(f"cli.hidden.{done}")))  # fmt: skip
    return lines


# =========================================================================== score / classify


def _summary_line(results: pd.DataFrame, counts: Mapping[str, int], absent: int = 0) -> str:
    ids = {str(r) for r in results["rule_set"].dropna()} if "rule_set" in results.columns \
        else set()  # fmt: skip
    word: Callable[[str], str] = str  # the codes, unless one set says the grades (Loại A)
    if len(ids) == 1:
        from evalkit.errors import EvalkitError
        from evalkit.model import Grade
        from evalkit.rules import resolve

        try:
            rs = resolve(ids.pop(), known=results.attrs.get("rule_sets"))
        except EvalkitError:  # a set the run no longer finds: its codes
            pass
        else:
            word = lambda k: rs.grade_short(Grade[k], _lang())  # noqa: E731
    parts = [f"{word(k)} {v}" for k, v in counts.items() if k not in ("not_classified",
                                                                        "not_evaluated")]
    if "not_classified" in counts:  # too few months, no month worked: as the sheets count them
        parts.append(f"{_t('cli.results.not_classified')} {counts['not_classified']}")
    parts.append(f"{_t('cli.results.not_evaluated')} {counts.get('not_evaluated', 0)}")
    line = _t("cli.results.summary", n=len(results) + absent, counts=", ".join(parts))
    if "classified_by_unit" in results.columns and not results["classified_by_unit"].any():
        line += " " + _t("cli.results.unclassified")
    elif "classified" in results.columns and len(results) and not results["classified"].any():
        rules = results.attrs.get("rule_set") or (", ".join(sorted(
            {str(r) for r in results["rule_set"].dropna()})) if "rule_set" in results.columns
            else "")  # several workbooks' rule sets  # fmt: skip
        period = results.attrs.get("period") or (", ".join(sorted({str(p) for p in results[
            "period"].dropna()})) if "period" in results.columns else "")  # a CSV's own
        line += " " + _t("cli.results.information", period=period, rules=rules)
    return line


def _refuse_existing(*paths: str | os.PathLike[str] | None, force: bool,
                     key: str = "cli.output.exists") -> None:
    """The one guard of every file a command writes (``--out``, ``--csv``, ``--pdf``, the
    template): an existing file is never replaced without ``--force``, said before any
    work (``key``: the sentence, the template's and the organisation file's their own)."""
    for path in paths:  # os.path: a name too long is False here, said by the writer
        if path is not None and os.path.exists(path) and not force:
            raise _Failure(_t(key, file=path), EXIT_INVALID_INPUT)


def _results_format(out: str, *, before: bool = False) -> str:
    """The suffix of a results file ``out`` (.json, .xlsx or .csv; any other is a usage
    error); ``before``: said before a run writes its other files, with what is in the way
    of ``out`` (:func:`evalkit._files.check_target`), so that they are written or none."""
    suffix = Path(out).suffix.lower()
    if suffix not in (".json", ".xlsx", ".csv"):
        raise _Failure(_t("cli.output.format", suffix=suffix), EXIT_USAGE)
    if before:
        from evalkit._files import check_target

        check_target(out)
    return suffix


def _write_or_print(results: pd.DataFrame, out: str | None, as_json: bool,
                    extra: Mapping[str, Any] | None = None, absent: int = 0,
                    write: bool = True) -> None:  # fmt: skip
    """Write ``results`` to ``out`` (unless ``write`` is False: written already) and print
    the grade counts; ``absent``: the people the organisation lists in the results' units
    without a row, counted not evaluated as the unit summaries list them (the file keeps
    the rows only)."""
    from evalkit.io.results import grade_counts

    counts = grade_counts(results)
    if absent:
        counts["not_evaluated"] = counts.get("not_evaluated", 0) + absent
    if out and write:
        _write_results_file(results, out)
    if as_json:
        payload: dict[str, Any] = {"ok": True, "rows": len(results), "grades": counts}
        if out:
            payload["out"] = out
        else:
            from evalkit.io.results import results_document

            payload["results"] = results_document(_for_file(results))
        _print_json({**payload, **(extra or {})})
        return
    line = _summary_line(results, counts, absent)
    click.echo(line + (_t("cli.results.written", out=out) if out else ""))


def _write_results_file(results: pd.DataFrame, out: str) -> None:
    """Write ``results`` to ``out`` by its suffix, with the reasons' sentences beside the
    codes in a CSV or Excel file."""
    from evalkit.io.results import write_results

    suffix = _results_format(out)
    write_results(_for_file(_with_sentences(results) if suffix != ".json" else results), out)


def _with_sentences(results: pd.DataFrame) -> pd.DataFrame:
    """``results`` with ``reasons_<lang>`` after ``reasons``: the reasons as the sheets say
    them (sentences with their legal citations, :func:`evalkit.reasons.explain`), for the
    people who open a CSV or Excel file; the codes stay for the systems that read them."""
    from evalkit.reasons import with_sentences

    if "reasons" not in results.columns:
        return results
    out = with_sentences(results, langs=(_lang(),))
    cols = list(results.columns)
    at = cols.index("reasons") + 1
    return out[[*cols[:at], f"reasons_{_lang()}", *cols[at:]]]


def _for_file(results: pd.DataFrame) -> pd.DataFrame:
    """The results with only what a results document keeps in ``attrs``."""
    keep = {k: v for k, v in results.attrs.items() if k != "month"}
    out = results.copy(deep=False)
    out.attrs = keep
    return out


_out_option = click.option(
    "--out", metavar="FILE", type=click.Path(dir_okay=False),
    help="Write results to FILE: .json (evalkit/1), .xlsx (people + grade counts) or .csv; "
         "in .xlsx and .csv the reasons also as sentences with their legal citations "
         "(reasons_vi, or reasons_en with --lang en).",
)  # fmt: skip


@cli.command(context_settings=_CONTEXT)
@click.argument("path", type=click.Path(exists=True, dir_okay=False), metavar="IN.xlsx|IN.csv")
@_rules_option
@_jurisdiction_option
@_period_option
@_org_option
@_out_option
@_force_out_option
@_json_option
def score(
    path: str, rules_id: str | None, period: str | None, org: str | None, out: str | None,
    force: bool, as_json: bool,
) -> int:  # fmt: skip
    """Score every person of a workbook: totals, bands, disqualifiers (no unit caps, quotas).

    The results are marked "not classified by unit"; `evalkit classify` gives the grades.
    A leader's management score (d) is the one `evalkit classify` applies, computed from
    the staff under them, with the same reasons; without units (no units sheet, no
    --org) it cannot be computed: a typed d is kept and a notice names the leaders.

    \b
    Example:
      evalkit score thang-03.xlsx --out diem-03.xlsx
    """
    _refuse_existing(out, force=force)
    _quarter_refused(_rule_set(rules_id), period)
    results, problems = _scored(path, rules_id, period, org, force=force, as_json=as_json,
                                classify=False)  # fmt: skip
    if results is None:
        return _report_problems(problems, as_json, {"file": path})
    unchecked = results.attrs.get("management_unchecked") or []
    notice = _t("cli.score.d_unchecked", n=len(unchecked), ids=", ".join(unchecked))
    _write_or_print(results, out, as_json, {"notice": notice} if unchecked else None)
    if unchecked and not as_json:
        click.echo(notice, err=True)
    return EXIT_OK


@cli.command(context_settings=_CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False),
                metavar="IN.xlsx|IN.csv...")  # fmt: skip
@_rules_option
@_jurisdiction_option
@_period_option
@_org_option
@_out_option
@_force_out_option
@_json_option
def classify(
    paths: tuple[str, ...], rules_id: str | None, period: str | None, org: str | None,
    out: str | None, force: bool, as_json: bool,
) -> int:  # fmt: skip
    """Score and classify: units first, heads capped at their unit, then quotas.

    Where the rule set only scores the period (NĐ 335/2025: the months; the year is
    classified), the grades are the score bands, as information. The JSON output carries
    the unit results, the signatories and the agency for `evalkit render`. Several
    workbooks of one month (one per staff group, as `template --org` writes them) are
    classified as one month: their rows together, the units once.

    \b
    Examples:
      evalkit classify thang-03.xlsx --out ket-qua-03.json
      evalkit classify cong-chuc-03.xlsx vien-chuc-03.xlsx --org to-chuc.json --out ket-qua-03.json
    """
    if any(Path(p).suffix.lower() == ".json" for p in paths):
        raise _Failure(_t("cli.classify.needs_workbook"), EXIT_USAGE)
    _refuse_existing(out, force=force)
    _quarter_refused(_rule_set(rules_id), period)
    results, problems = _scored_many(paths, rules_id, period, org, force=force,
                                     as_json=as_json, classify=True)  # fmt: skip
    if results is None:
        return _report_problems(problems, as_json, {"file": ", ".join(paths)})
    notes = _result_notices(results)
    _write_or_print(results, out, as_json, {"notices": notes} if notes else None)
    for note in notes if not as_json else ():
        click.echo(note, err=True)
    return EXIT_OK


# =========================================================================== render


def _agency_of(name: str, results: pd.DataFrame) -> Any:
    render = _optional_module("evalkit.render")
    found = results.attrs.get("agency")
    if not isinstance(found, Mapping):
        found = {}
    if not name and not found:
        return None
    assert render is not None
    return render.Agency(name or str(found.get("name") or ""),
                         governing_body=str(found.get("governing_body") or ""),
                         place=str(found.get("place") or ""))  # fmt: skip


def _accepted(func: Any, **kwargs: Any) -> dict[str, Any]:
    """The keyword arguments ``func`` takes (render functions grow new ones)."""
    import inspect

    params = inspect.signature(func).parameters
    return {k: v for k, v in kwargs.items() if k in params}


def _organisation_for_file(org: str | None) -> Any:
    """The organisation of an ``--org`` file, or None."""
    from evalkit import workflow

    return workflow._org(org) if org else None


def _organisation_for(results: pd.DataFrame, org: str | None) -> Any:
    from evalkit import workflow

    month = results.attrs.get("month")
    if month is not None:
        return workflow.organisation(month, org)
    return workflow._org(org) if org else None


@cli.command(context_settings=_CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False),
                metavar="IN.xlsx|RESULTS.json...")  # fmt: skip
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Directory for the PDF sheets.")  # fmt: skip
@_sheet_lang_option
@_rules_option
@_jurisdiction_option
@click.option("--period", metavar="YYYY-MM|YYYY-Qn|YYYY", type=_ANY_PERIOD,
              help="The month (checked against the workbook), or a quarter or a year: "
                   "quarterly or annual sheets from the months' results.")  # fmt: skip
@_org_option
@click.option("--agency", default="", help="The agency's name for the sheets' header "
              "(default: the workbook's signatories sheet).")  # fmt: skip
@click.option("--classify/--no-classify", "do_classify", default=True, show_default=True,
              help="For a workbook: classify units first (units, head cap, quota); "
                   "--no-classify prints the scores of a month the rule set only "
                   "scores (NĐ 335); one it classifies (Hà Nội) is refused.")
@click.option("--resume/--no-resume", default=True, show_default=True,
              help="Keep a PDF written for exactly the same sheet (a manifest in OUT).")
@click.option("--archive", "archive_path", metavar="FILE.sqlite",
              help="Take the finalized month (amendments applied), or a quarter's or a "
                   "year's finalized months, from this archive.")
@click.option("--overview", is_flag=True,
              help="Also write the organisation overview (every unit, grade chart).")
@_unit_grades_option
@_force_option
@_json_option
def render(
    paths: tuple[str, ...], out_dir: str, lang: str, rules_id: str | None, period: str | None,
    org: str | None, agency: str, do_classify: bool, resume: bool, archive_path: str | None,
    overview: bool, unit_grades_csv: str | None, force: bool, as_json: bool,
) -> int:  # fmt: skip
    """Render one PDF evaluation sheet per person plus the unit summaries.

    A workbook is classified first (units, head cap, quota) unless --no-classify; a
    results file is rendered as it is. Summaries go to OUT/units/; --overview adds
    OUT/<period>_overview.pdf. With --period 2026-Q1 (or 2026) the inputs are the months'
    results (or --archive) and the sheets are quarterly (or annual).

    \b
    Examples:
      evalkit render thang-03.xlsx --out phieu-03/
      evalkit render ket-qua-03.json --out phieu-03/ --overview
      evalkit render ket-qua-01.json ket-qua-02.json ket-qua-03.json --period 2026-Q1 --out quy-1/
    """
    from evalkit.errors import InputError
    from evalkit.model import Period

    own: pd.DataFrame | None = None  # a quarter's own results (a quarterly rule set)
    if period is not None and Period.parse(period).kind == "month" and not paths \
            and archive_path:  # a finalized month, as archived (and amended)
        own = _archived_quarter(archive_path, Period.parse(period), rules_id)
        if own is None:
            raise _Failure(_t("cli.render.no_months", period=period), EXIT_INVALID_INPUT)
    if period is not None and Period.parse(period).kind != "month":
        per = Period.parse(period)
        if per.kind == "quarter" and len(paths) == 1 and not archive_path:
            own, problems = _scored(paths[0], rules_id, None, org, force=force,
                                    as_json=as_json, classify=do_classify)  # fmt: skip
            if own is None:
                return _report_problems(list(problems or ()), as_json, {"file": paths[0]})
            if str(own.attrs.get("period") or "") != str(per):
                own = None
        elif per.kind == "quarter" and not paths and archive_path:
            own = _archived_quarter(archive_path, per, rules_id)
        if own is None:
            return _render_period(paths, out_dir, lang, rules_id, per, org, agency,
                                  do_classify, archive_path, force, as_json,
                                  unit_grades_csv, overview)  # fmt: skip
    if own is None and (not paths or (len(paths) > 1 and any(Path(p).suffix.lower() == ".json"
                                                             for p in paths))):
        raise click.UsageError(_t("cli.render.one_month", n=len(paths)))
    path = ", ".join(paths)  # several workbooks of one month: one per staff group
    sheets_from_results = _require("evalkit.render", "sheets_from_results")
    write_pdfs = _require("evalkit.render", "write_pdfs")
    write_reports = _require("evalkit.render", "write_reports")
    results, problems = (own, []) if own is not None else _scored_many(
        paths, rules_id, period, org, force=force, as_json=as_json,
        classify=do_classify)  # fmt: skip
    if results is None:
        return _report_problems(problems, as_json, {"file": path})
    _refuse_year_results(results, path)
    organisation = _organisation_for(results, org)
    if paths and own is None and not do_classify and Path(paths[0]).suffix.lower() != ".json":
        # a workbook only scored: no sheet says a grade that no classification gave (what
        # finalize refuses; a results file read back is checked below, evalkit.workflow.checked)
        from evalkit.io.archive import follow_problems

        problems = follow_problems(
            results, units=_tables.table(results, "units"),
            unit_inputs=_tables.table(results, "unit_inputs"), rules=_rule_set(rules_id),
            positions={p.id: p for p in organisation.positions} if organisation else None)  # fmt: skip
        if problems:
            return _report_problems(problems, as_json, {"file": path})
    signatories = results.attrs.get("signatories") or {}
    ag = _agency_of(agency, results)
    from evalkit.workflow import checked

    try:  # a results file read back: refused where finalize refuses it, nothing written
        shown = checked(_for_file(results), org=organisation)  # the sheets' and summaries'
        sheets = sheets_from_results(shown, org=organisation, agency=ag,
                                     signatories=signatories, lang=lang)  # fmt: skip
    except InputError as exc:
        return _report_problems(exc.problems, as_json, {"file": path})
    # every file name claimed before any is written (two people, or two units, given one
    # name are refused, nothing written): the sheets' names, then the summaries (their
    # writer claims its own names first), then the sheets
    _require("evalkit.render", "sheet_file_names")(sheets)
    from evalkit._files import in_the_way, staged_folder

    out = Path(out_dir)
    with staged_folder(out) as stage:  # the summaries only with the sheets (all or none)
        reports = [out / p.relative_to(stage) for p in write_reports(sheets, stage, **_accepted(
            write_reports, lang=lang, overview=overview, organisation=organisation,
            unit_results=_tables.table(results, "units"), results=shown,
            signatories=signatories))]  # fmt: skip
        in_the_way(stage, stage.parent)  # a summary that cannot go in stops the sheets too
        written = write_pdfs(sheets, out, lang=lang, resume=resume,
                             progress=not as_json and sys.stderr.isatty())  # fmt: skip
    written = [*written, *reports]
    files = _paths_of(written, Path(out_dir))
    # a workbook classified here says what classify says of it (a results file: classify
    # said it when it wrote the file; the archive's month: finalize did)
    notes = _result_notices(results) if paths and all(
        Path(p).suffix.lower() != ".json" for p in paths) else []
    if as_json:
        _print_json({"ok": True, "out": out_dir, "files": [str(f) for f in files],
                     "classified_by_unit": bool(_classified_by_unit(results)),
                     **({"notices": notes} if notes else {})})  # fmt: skip
    else:
        click.echo(_t("cli.render.done", n=len(files), out=out_dir))
        for note in notes:
            click.echo(note, err=True)
    return EXIT_OK


def _refuse_year_results(results: pd.DataFrame, path: str) -> None:
    """A year's results file (``annual --out``) read where a month's results are: refused
    once, saying where the year's sheets come from (never each row's period, nor a head's
    missing unit result)."""
    from evalkit.errors import EvalkitError
    from evalkit.model import Period

    found = str(results.attrs.get("period") or "")
    try:
        year = Period.parse(found) if found else None
    except (ValueError, EvalkitError):
        return
    if year is not None and year.kind == "year":
        raise _Failure(_t("cli.render.year_results", file=path, year=str(year)),
                       EXIT_INVALID_INPUT)  # fmt: skip


def _classified_by_unit(results: pd.DataFrame) -> bool:
    if "classified_by_unit" in results.columns:
        return bool(results["classified_by_unit"].astype(bool).all())
    return "unit_grade" in results.columns


def _months_of(
    paths: Sequence[str], archive_path: str | None, period: Any, rules_id: str | None,
    org: str | None, do_classify: bool, force: bool, as_json: bool,
) -> tuple[list[pd.DataFrame], list[Any]]:  # fmt: skip
    """The monthly results inside ``period``: from the files given, else the archive (for a
    quarter, every month of its year: a short quarter's months carried to the next one,
    CV 21169/CHQ-TCCB, are seen from both quarters as the year sees them)."""
    from evalkit import workflow
    from evalkit.errors import InputError
    from evalkit.model import Period

    inside = {str(m) for m in period.months()}
    frames: list[pd.DataFrame] = []
    refused: list[Any] = []
    same: dict[str, list[int]] = {}  # each month's files
    if archive_path:
        _require_archive(archive_path)
        from evalkit.io.archive import Archive

        # the year: its months and its quarters (customs, CV 21169/CHQ-TCCB from Q3/2026),
        # as Archive.annual reads them; a quarter: its year's months (a short quarter's
        # months are carried to the next)
        with Archive(archive_path) as arc:
            return _archived_months(arc, period, rules_id), []
    for path in paths:
        results, problems = _scored(path, rules_id, None, org, force=force, as_json=as_json,
                                    classify=do_classify)  # fmt: skip
        if results is None:  # every file's problems, then nothing written
            refused.extend(problems)
            continue
        _refuse_year_results(results, path)
        found = str(results.attrs.get("period") or (results["period"].iloc[0]
                                                    if len(results) else ""))
        if found and Period.parse(found).kind == "month" and found not in inside:
            raise _Failure(_t("cli.render.month_mismatch", file=path, found=found,
                              period=str(period)), EXIT_INVALID_INPUT)  # fmt: skip
        try:  # a month read back: refused where finalize refuses it (evalkit.workflow.checked)
            results = workflow.checked(results, org=org)
        except InputError as exc:
            refused.extend(exc.problems)  # every file's problems, then nothing written
        frames.append(results)
        same.setdefault(found, []).append(len(frames) - 1)
    if refused:
        return [], refused
    # a month given as several files (one per staff group: công chức, viên chức) is one
    # engine run on their rows together, as `classify` runs it: one row per unit and month
    dropped: set[int] = set()
    for at in same.values():
        if len(at) > 1 and not any(Path(paths[i]).suffix.lower() == ".json" for i in at):
            results, problems = _scored_many([paths[i] for i in at], rules_id, None, org,
                                             force=force, as_json=as_json,
                                             classify=do_classify)  # fmt: skip
            if results is None:
                return [], list(problems)
            frames[at[0]] = results
            dropped.update(at[1:])
    return [f for i, f in enumerate(frames) if i not in dropped], []


def _year_rules(rules_id: str | None, months: pd.DataFrame) -> RuleSet | None:
    """The set ``--rules`` names for a year's sheets: None for an agency's rule file (not
    registered) that months were classified with — found by their id, each person under
    their own set, as ``annual``'s table does (:meth:`evalkit.io.archive.Archive.annual`)."""
    from evalkit.rules import default_registry

    rs = _rule_set(rules_id)
    if rs is None or rs.id in default_registry() or "rule_set" not in months.columns:
        return rs
    return None if bool((months["rule_set"].astype(object) == rs.id).any()) else rs


def _archived_months(arc: Any, period: Any, rules_id: str | None) -> list[pd.DataFrame]:
    """The archive's monthly results inside ``period`` (see :func:`_months_of`), each with
    its unit results in ``attrs["units"]``; each month checked against its seal once."""
    from evalkit.io.archive import ArchiveError

    inside = {str(m) for m in period.months()}
    pers = [m.period for m in arc.months() if m.period.year == period.year
            and (period.kind == "year" or m.period.kind == "month")]  # fmt: skip
    frames: list[pd.DataFrame] = []
    for per in pers if inside & {str(m) for p in pers for m in p.months()} else ():
        read = getattr(arc, "month_and_units", None)
        try:
            frame, units = read(per, rules=_rule_set(rules_id)) if read else (None, None)
        except ArchiveError:  # the month's set not found (other content): refused, as annual
            raise
        except Exception:  # an older archive without unit results: as _optional_units
            frame, units = None, None
        if frame is None:
            frame, units = arc.month(per), _optional_units(arc, per, _rule_set(rules_id))
        frame = _with_rules(frame, _rule_set(rules_id))
        _tables.attach(frame, "units", units)
        frames.append(frame)
    from evalkit.io.archive import own_contents

    return own_contents(frames)  # each month under its own content, as annual reads them


def _archived_quarter(archive_path: str, period: Any, rules_id: str | None) -> Any:
    """A finalized month, or a quarter archived as a quarter (customs, CV 21169/CHQ-TCCB),
    with its unit results, rendered as its results file is; None when the archive does not
    hold it."""
    _require_archive(archive_path)
    from evalkit.io.archive import Archive

    with Archive(archive_path) as arc:
        if not arc.is_finalized(period):
            return None
        frame = _with_rules(arc.month(period), _rule_set(rules_id))
        _tables.attach(frame, "units", _optional_units(arc, period))
    return frame


def _optional_units(arc: Any, period: Any, rules: Any = None) -> Any:
    units = getattr(arc, "units", None)
    if units is None:
        return None
    try:
        return units(period, rules=rules)
    except Exception:  # an older archive without unit results
        return None


def _with_identity(year: pd.DataFrame, months: pd.DataFrame) -> pd.DataFrame:
    """The year's rows with each person's names as their latest month printed them."""
    from evalkit.workflow import IDENTITY_COLUMNS

    cols = [c for c in ("position_id", *IDENTITY_COLUMNS) if c in months.columns]
    if not cols or "staff_id" not in months.columns or "staff_id" not in year.columns:
        return year
    # the few columns read, before a column is added: a fragmented months frame (one
    # per month, each rule set's criteria) would warn the user about pandas' performance
    latest = months[["staff_id", *cols]].assign(_p=months["period"].astype(str))
    latest = latest.sort_values("_p", kind="stable")
    latest = latest.drop_duplicates("staff_id", keep="last").set_index("staff_id")
    out = year.copy()
    for col in cols:
        mapped = out["staff_id"].map(latest[col]).astype(object)
        if col in out.columns:
            mapped = out[col].astype(object).where(out[col].notna(), mapped)
        out[col] = mapped.where(mapped.notna(), None)
    return out


def _render_period(
    paths: Sequence[str], out_dir: str, lang: str, rules_id: str | None, period: Any,
    org: str | None, agency: str, do_classify: bool, archive_path: str | None, force: bool,
    as_json: bool, unit_grades_csv: str | None = None, overview: bool = False,
) -> int:  # fmt: skip
    """Quarterly or annual sheets: the months' results rolled up by the engine, rendered
    (with ``overview``, the period's organisation overview too)."""
    from evalkit.errors import InputError

    if not paths and not archive_path:
        raise click.UsageError(_t("cli.render.period_inputs"))
    year_set: RuleSet | None = None
    if archive_path and period.kind == "year" and rules_id is None:
        # a year from the archive: the set recorded for it, as `annual` applies it
        from evalkit.io.archive import Archive

        _require_archive(archive_path)
        with Archive(archive_path, readonly=True) as arc:
            rules_id, force, year_set = _recorded_rules(arc, period.year, rules_id, force)
    try:
        from evalkit import workflow

        # the organisation's tree, for the units whose months were archived without theirs
        tree = workflow.unit_tree(org) if org and unit_grades_csv else None
        frames, problems = _months_of(paths, archive_path, period, rules_id, org, do_classify,
                                      force, as_json)  # fmt: skip
        written, problems, said = ([], problems, []) if problems else _write_period_sheets(
            paths, out_dir, lang, rules_id, period, org, agency, do_classify, archive_path,
            force, as_json,
            unit_grades=_unit_grades(unit_grades_csv) if unit_grades_csv else None,
            overview=overview, frames=frames, tree=tree, year_set=year_set)
    except InputError as exc:  # the year's problems (a head without the unit's grade …)
        found = _in_unit_grades(exc.problems, unit_grades_csv, None)
        return _report_problems(found, as_json, {"file": ", ".join(paths) or archive_path})
    if problems:
        return _report_problems(problems, as_json, {"file": ", ".join(paths)})
    # the month workbooks classified here say what classify says of each, then the period
    notes = [n for f in frames for n in _result_notices(f)] if not archive_path and all(
        Path(p).suffix.lower() != ".json" for p in paths) else []
    notes += said
    if as_json:
        _print_json({"ok": True, "out": out_dir, "period": str(period),
                     "files": [str(f) for f in written],
                     **({"notices": notes} if notes else {})})  # fmt: skip
    else:
        click.echo(_t("cli.render.done", n=len(written), out=out_dir))
        for note in notes:
            click.echo(note, err=True)
    return EXIT_OK


def _month_of(results: pd.DataFrame) -> str:
    """The period a month's results are of (its ``attrs``, else its rows' latest)."""
    found = results.attrs.get("period")
    if not found and "period" in results.columns and len(results):
        found = max(str(p) for p in results["period"].dropna())
    return str(found or "")


def _last_month(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """The months' results of the latest period (the first given of that period), whose
    signatories and agency a quarter's or year's sheets carry without --org."""
    import datetime

    from evalkit.model import Period

    def end(f: pd.DataFrame) -> Any:
        try:
            return Period.parse(_month_of(f)).end
        except Exception:  # no period: before every month
            return datetime.date.min

    return max(frames, key=end)


def _write_period_sheets(
    paths: Sequence[str], out_dir: str, lang: str, rules_id: str | None, period: Any,
    org: str | None, agency: str, do_classify: bool, archive_path: str | None, force: bool,
    as_json: bool, conclusions: pd.DataFrame | None = None,
    unit_grades: pd.DataFrame | None = None, overview: bool = False,
    frames: list[pd.DataFrame] | None = None, tree: pd.DataFrame | None = None,
    year_set: RuleSet | None = None, then: Callable[[], object] | None = None,
) -> tuple[list[Path], list[Any], list[str]]:  # fmt: skip
    """Write the quarterly or annual sheet of every person classified for ``period`` and
    the period's summary of every unit (``out_dir/units/``) to ``out_dir``; return the
    files written, or the problems of the inputs (nothing written), and what the period's
    classification says besides (:func:`_result_notices`: its quota). Used by `render
    --period` and `annual --pdf` (with the competent level's annual ``conclusions``, as
    the annual table applies them; ``unit_grades``: the units' grades for the period,
    read beside the months' unit results as the annual table reads them, ``tree`` the
    organisation's unit tree for the units the months keep none of; ``frames``: the months
    already read from the archive, by `annual` in its own opening, instead of reading them
    again; ``year_set``: the set recorded for the year as kept, :func:`_recorded_rules`;
    ``then``: the run's other file, written when every sheet is and before any is moved in,
    so that a failure of either leaves neither: `annual --pdf DIR --out FILE`)."""
    import pandas as pd

    from evalkit._files import atomic_write, staged_folder
    from evalkit.errors import RenderError

    iter_period_sheets = _require("evalkit.render", "iter_period_sheets")
    render_period_pdf = _require("evalkit.render", "render_period_pdf")
    file_names = _require("evalkit.render", "period_sheet_file_names")
    sheet_filename = _require("evalkit.render", "sheet_filename")
    write_reports = _require("evalkit.render", "write_reports")
    from evalkit import workflow
    from evalkit.units import classify_year

    problems: list[Any] = []
    if frames is None:
        frames, problems = _months_of(paths, archive_path, period, rules_id, org, do_classify,
                                      force, as_json)  # fmt: skip
    if problems:
        return [], problems, []
    if not frames:
        raise _Failure(_t("cli.render.no_months", period=str(period)), EXIT_INVALID_INPUT)
    months = pd.concat([_for_file(f) for f in frames], ignore_index=True)
    months.attrs["rule_sets"] = {k: v for f in frames
                                 for k, v in (f.attrs.get("rule_sets") or {}).items()}
    units = [t for f in frames if (t := _tables.table(f, "units")) is not None]
    unit_results = pd.concat(units, ignore_index=True) if units else None
    if unit_grades is not None:  # beside the months' (Archive.annual): their tree kept
        from evalkit.io.archive import year_tree

        if tree is not None:
            unit_grades = year_tree(unit_grades, tree, unit_results if unit_results is not None
                                    else pd.DataFrame({"unit_id": []}))  # fmt: skip
        given = unit_grades if "period" in unit_grades.columns \
            else unit_grades.assign(period=str(period))  # fmt: skip
        # (the grades first: the sheets name each unit as its latest month does, read last first)
        unit_results = given if unit_results is None \
            else pd.concat([given, unit_results], ignore_index=True)  # fmt: skip
    to = "quarter" if period.kind == "quarter" else "year"
    named = year_set if year_set is not None else _year_rules(rules_id, months)
    year = classify_year(months, unit_results, named, to=to,  # type: ignore[arg-type]
                         conclusions=conclusions, force=force, jurisdiction=_JURISDICTION.get())
    year = year[year["period"].astype(str).to_numpy() == str(period)]  # the year's other quarters
    notes = _result_notices(year)
    year = _with_identity(year, months)
    last = _last_month(frames)  # the period's last month, whatever the files' order
    organisation = _organisation_for(last, org)
    signatories = last.attrs.get("signatories") or {}
    if org is None and (signatories or last.attrs.get("agency")) and not as_json:
        click.echo(_t("cli.render.last_month_signs", period=str(period),
                      month=_month_of(last), file=last.attrs.get("file") or "—"),
                   err=True)  # fmt: skip
    shown = workflow.counted_periods(months, unit_results, named, force=force,
                                     jurisdiction=_JURISDICTION.get()) \
        if to == "year" else months
    out = Path(out_dir)
    # every file name claimed before any is written (two people, or two units, given one
    # name, also ignoring case, are refused with nothing written): the sheets' names first,
    # from the year's rows; the sheets are then made and written a chunk of people at a
    # time (a province's 75,000 sheets at once took 4.5 GB)
    names = iter(file_names(year, org=organisation))
    chunks = iter_period_sheets(year, shown, org=organisation, agency=_agency_of(agency, last),
                                signatories=signatories, conclusions=conclusions,
                                # who the units are, as their latest month names them
                                unit_results=None if unit_results is None
                                else unit_results.iloc[::-1])  # fmt: skip
    chunk: list[Any] = next(chunks, [])  # every chunk but the end's has someone
    written: list[Path] = []
    # all the run's files or none: written into a folder beside them, moved in at the end
    # (a failure in a late chunk leaves none of the earlier chunks' files)
    with staged_folder(out) as stage:
        # the period's unit summaries (OUT/units/): everyone with the year's scores and
        # grades, the grade counts, the quota used, the unit's own result and head (of the
        # sheets, only the agency and the date signed are read: the same on every sheet)
        reports = [out / p.relative_to(stage) for p in write_reports(
            chunk, stage, lang=lang, results=year,
            unit_results=workflow.year_units(year, unit_results), overview=overview,
            organisation=organisation, signatories=signatories)]  # fmt: skip
        while chunk:
            for sh in chunk:
                name = next(names)
                if sheet_filename(sh) != name:  # pragma: no cover - the rows give the names
                    raise RenderError(f"the sheet of staff {sh.staff.id!r} would be "
                                      f"{sheet_filename(sh)!r}, not the name claimed, {name!r}")
                atomic_write(stage / name, render_period_pdf(sh, lang=lang))
                written.append(out / name)
            chunk = next(chunks, [])  # the chunk written is let go
        if then is not None:
            then()
    return [*written, *reports], [], notes


# =========================================================================== archive


def _require_archive(path: str) -> None:
    """Refuse an archive that does not exist (a correction or a read never creates one);
    a folder or a name too long is left to :class:`~evalkit.io.archive.Archive`, which
    names it."""
    try:
        missing = not Path(path).exists()
        empty = not missing and Path(path).is_file() and Path(path).stat().st_size == 0
    except OSError:  # e.g. a name over the file system's limit
        return
    if missing:
        raise _Failure(_t("cli.render.archive_missing", file=path), EXIT_INVALID_INPUT)
    if empty:  # SQLite would open it as an empty database, and migrating would fill it
        raise _Failure(_t("cli.archive_empty", file=path), EXIT_INVALID_INPUT)


_archive_option = click.option(
    "--archive", "archive_path", metavar="FILE.sqlite", envvar="EVALKIT_ARCHIVE",
    default="evalkit-archive.sqlite", show_default=True,
    help="The archive of finalized months (env EVALKIT_ARCHIVE).",
)  # fmt: skip


@cli.command(context_settings=_CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False),
                metavar="RESULTS.json|IN.xlsx...")  # fmt: skip
@_archive_option
@click.option("--by", "by", required=True, help="Who finalizes (name or role), recorded.")
@click.option("--classify/--no-classify", default=None,
              help="A workbook is classified first (units, head cap, quota) unless "
                   "--no-classify; a results file is archived as it is.")  # fmt: skip
@_rules_option
@_jurisdiction_option
@_period_option
@_org_option
@_force_option
@_json_option
def finalize(
    paths: tuple[str, ...], archive_path: str, by: str, classify: bool | None,
    rules_id: str | None, period: str | None, org: str | None, force: bool, as_json: bool,
) -> int:  # fmt: skip
    """Check a month's results and archive them in one transaction; the month is sealed.

    Every result is checked first (grades, totals in range, grade consistent with the
    total and its reasons, known rule set); the problems are listed and nothing is
    written. A finalized month cannot change: corrections are amendments (`evalkit
    amend`), which re-derive the month from its archived inputs. A month finalized with
    --no-classify, or from a results file without unit inputs, cannot be amended.
    Several workbooks of one month (one per staff group, as `template --org` writes them)
    are classified and archived as one month.

    \b
    Examples:
      evalkit finalize ket-qua-03.json --archive luu-tru.sqlite --by "Trưởng phòng TCCB"
      evalkit finalize cong-chuc-03.xlsx vien-chuc-03.xlsx --org to-chuc.json --by "TCCB"
    """
    from evalkit.errors import InputError
    from evalkit.io.archive import Archive, MonthAlreadyFinalizedError

    _quarter_refused(_rule_set(rules_id), period)
    path = ", ".join(paths)
    is_json = Path(paths[0]).suffix.lower() == ".json"
    if classify is None:
        classify = not is_json
    if is_json and len(paths) == 1:  # the reader's problems and the archive's checks of
        # the records it read: one list (docs/cli.md: every problem is listed)
        results, problems = _results_file(paths[0], rules_id, period, org)
    else:
        results, problems = _scored_many(paths, rules_id, period, org, force=force,
                                         as_json=as_json, classify=classify)  # fmt: skip
    if results is None:
        return _report_problems(problems, as_json, {"file": path})
    try:
        with Archive(archive_path) as arc, _progress(_t("cli.archive.finalizing"), not as_json) as update:
            organisation = _organisation_for(results, org)
            month = arc.finalize(results, by=by, period=period, progress=update,
                                 positions={p.id: p for p in organisation.positions}
                                 if organisation else None,
                                 units=_tables.table(results, "units"),
                                 unit_inputs=_tables.table(results, "unit_inputs"),
                                 rules=_rule_set(rules_id), force=force)  # fmt: skip
    except InputError as exc:
        return _report_problems(exc.problems, as_json, {"file": path})
    except MonthAlreadyFinalizedError as exc:  # another group's workbook of the month?
        hint = "" if is_json else "\n" + _t("cli.finalize.groups_hint")
        raise _Failure(_error_text(exc) + hint, EXIT_INVALID_INPUT) from None
    notes = _result_notices(results)  # as classify says them
    if as_json:
        _print_json({"ok": True, "archive": archive_path, "period": str(month.period),
                     "rows": month.rows, "finalized_at": month.finalized_at,
                     "seal": month.chain, "amendable": month.inputs,
                     **({"notices": notes} if notes else {})})  # fmt: skip
    else:
        for note in notes:
            click.echo(note, err=True)
        click.echo(_t("cli.finalize.done", period=str(month.period), rows=month.rows,
                      archive=archive_path))  # fmt: skip
        click.echo(_t("cli.finalize.seal", seal=month.chain))
        if not month.inputs:
            click.echo(_t("cli.finalize.not_amendable"), err=True)
            units = _tables.table(results, "units")
            if units is None or bool(getattr(units, "empty", True)):
                click.echo(_t("cli.finalize.year_needs_units"), err=True)
    return EXIT_OK


def _results_file(path: str, rules_id: str | None, period: str | None, org: str | None
                  ) -> tuple[pd.DataFrame | None, list[Any]]:  # fmt: skip
    """A results file to finalize, read (as :func:`_scored` reads it), or ``(None,
    problems)``: the reader's problems, then every problem the archive's checks find in
    the records it read (:func:`evalkit.io.archive.finalize_problems`)."""
    from evalkit.errors import InputError
    from evalkit.io.archive import finalize_problems
    from evalkit.io.results import read_results_and_problems

    try:
        results, problems = read_results_and_problems(path)
    except InputError as exc:
        return None, list(exc.problems)
    results = _with_rules(results, _rule_set(rules_id))
    if not problems:
        return results, []
    try:
        organisation = _organisation_for(results, org)
    except InputError as exc:
        return None, [*problems, *exc.problems]
    return None, [*problems, *finalize_problems(
        results, period=period, units=_tables.table(results, "units"),
        unit_inputs=_tables.table(results, "unit_inputs"), rules=_rule_set(rules_id),
        positions={p.id: p for p in organisation.positions} if organisation else None)]


@cli.command(context_settings=_CONTEXT)
@_archive_option
@click.option("--period", required=True, metavar="YYYY-MM|YYYY-Qn", type=_MONTH_OR_QUARTER)
@click.option("--staff", "staff_id", required=True, help="The staff id to correct.")
@click.option("--set", "changes", multiple=True, required=True, metavar="FIELD=VALUE",
              help="A corrected input, e.g. chat_luong=90, discipline=1 or kpi=85 "
                   "(repeatable); never total or grade, which are re-derived.")  # fmt: skip
@click.option("--by", "by", required=True, help="Who corrects (recorded).")
@click.option("--why", "why", required=True, help="Why (recorded).")
@click.option("--rules", "rules_id", metavar="FILE.toml",
              help="The rule file the month was finalized under, when it is an agency's "
                   "(its id is not registered); presets are found by the month's id.")
@_org_option
@_jurisdiction_option
@_json_option
def amend(
    archive_path: str, period: str, staff_id: str, changes: tuple[str, ...], by: str, why: str,
    rules_id: str | None, org: str | None, as_json: bool,
) -> int:  # fmt: skip
    """Correct an input of one finalized result and re-derive the month.

    Only the inputs the month's rule set defines can be set (criterion scores, flags such
    as discipline, kpi, the month's leave), checked like a workbook cell (a blank flag:
    its default). A month on leave has no score: put a month on leave with its scores
    cleared (--set leave=ốm --set so_luong= ...), or clear the leave with the month's
    scores (--set leave= --set so_luong=90 ...), in one amendment. The month is classified
    again from its archived inputs; every result that changes is recorded with the
    amendment, with the previous values, who, when and why.

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
            raise click.BadParameter(_t("cli.usage.set_item", value=item), param_hint="--set")
        if key.strip() in parsed:
            raise click.BadParameter(_t("cli.usage.set_twice", field=key.strip(),
                                        first=parsed[key.strip()], second=value.strip()),
                                     param_hint="--set")  # fmt: skip
        parsed[key.strip()] = value.strip()
    blank = [name for name, value in (("--by", by), ("--why", why)) if not value.strip()]
    if blank:
        raise _Failure(_t("cli.amend.who", options=", ".join(blank)), EXIT_INVALID_INPUT)
    staff_id = _typed_id(staff_id)
    _require_archive(archive_path)
    try:
        with Archive(archive_path) as arc:
            found = _organisation_for_file(org)
            amendment = arc.amend(period, staff_id, parsed, by=by, why=why,
                                  rules=_rule_set(rules_id),
                                  positions={p.id: p for p in found.positions}
                                  if found else None,
                                  jurisdiction=_JURISDICTION.get())  # fmt: skip
            month = arc.month(amendment.period)
    except InputError as exc:
        return _report_problems(exc.problems, as_json, {"archive": archive_path})
    from evalkit.render import Amended, amended_words
    from evalkit.rules import resolve

    known = dict(month.attrs.get("rule_sets") or {})  # an archived rule set file's too
    sets = {str(sid): _rule_set(rules_id) or resolve(str(rid), known=known)
            for sid, rid in zip(month["staff_id"].astype(object),
                                month["rule_set"].astype(object), strict=True)}  # fmt: skip
    rows = {c.staff_id: {"previous": _whole(c.previous), "new": _whole(c.new)}
            for c in amendment.rows}  # fmt: skip
    if as_json:
        _print_json({"ok": True, "amendment": amendment.id,
                     "previous": _whole(amendment.previous), "new": _whole(amendment.new),
                     "rows": rows, "seal": amendment.chain,
                     "year_rule_set": amendment.year_rule_set,
                     "year_rule_set_recorded": amendment.year_rule_set_recorded})  # fmt: skip
        return EXIT_OK
    # the person by their category's word (công chức, viên chức, cán bộ …): the month's
    # row's, else their set's one category's; else "the person evaluated"
    from evalkit.messages import msg

    row = month[month["staff_id"].astype(str) == staff_id]
    rs = sets.get(staff_id)
    cats = [*row["category"].dropna().astype(str)] if "category" in row.columns else []
    cats = cats or ([str(rs.categories[0].value)] if rs is not None and len(rs.categories) == 1
                    else [])  # fmt: skip
    key = f"word.category.{cats[0]}" if cats else "word.person"
    click.echo(_t("cli.amend.done", id=amendment.id, staff=staff_id, period=period,
                  cat=msg(key if key in CATALOGUE else "word.person")))  # fmt: skip
    where = {str(sid): i for i, sid in enumerate(month["staff_id"].astype(object))}
    for change in amendment.rows:  # in words, as the sheet says them (one formatter)
        at = where.get(change.staff_id)  # the row's figures, which the reasons quote
        said = amended_words(sets[change.staff_id], [Amended(
            "", "", "", _whole(change.previous), _whole(change.new))],
            sets[change.staff_id].classifies(str(amendment.period)), _lang(), reasons=True,
            rows=None if at is None else [{str(k): v for k, v in month.iloc[at].items()}]
            )[0]["changes"]  # fmt: skip
        if said:
            click.echo(f"  {change.staff_id}: {'; '.join(said)}".replace("\xa0", " "))
    # the set the year is classified under (Archive.annual): the one recorded, or the
    # person's latest month's (None: an agency's file not given, not known here)
    if amendment.year_rule_set is not None:
        click.echo(_t("cli.amend.year_recorded" if amendment.year_rule_set_recorded
                      else "cli.amend.year_fallback", year=amendment.period.year,
                      rules=amendment.year_rule_set))  # fmt: skip
    return EXIT_OK


def _whole(values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` with each whole number as an integer: a count or a discipline level
    typed ``1`` is said ``1``, not ``1.0`` (the archive keeps the month's columns as
    floats where a cell may be blank)."""
    return {k: int(v) if isinstance(v, float) and v.is_integer() else v
            for k, v in values.items()}


@cli.command(context_settings=_CONTEXT)
@_archive_option
@click.option("--year", required=True, type=click.IntRange(1900, 9999))
@click.option("--rules", "rules_id", metavar="ID|FILE.toml",
              help="One rule set for every person's year; default: each person's own "
                   "(the rule set archived with their latest month of the year).")  # fmt: skip
@click.option("--conclusions", "conclusions_csv", metavar="FILE.csv",
              type=click.Path(exists=True, dir_okay=False),
              help="The competent level's annual conclusions: staff_id, competent_grade, "
                   "competent_reason (required when the grade differs), competent_order.")
@_out_option
@click.option("--pdf", "pdf_dir", metavar="DIR", type=click.Path(file_okay=False),
              help="Also write one annual sheet (PDF) per person of the year, and one annual "
                   "summary per unit (DIR/units/), to DIR, as `evalkit render --period YEAR "
                   "--archive FILE --out DIR` does.")  # fmt: skip
@click.option("--org", metavar="FILE.json", type=click.Path(exists=True, dir_okay=False),
              help="Organisation file (see `evalkit org`): the agency's name, governing body "
                   "and place, and the competent level who signs, on the annual sheets and "
                   "summaries (--pdf); its people without a row in the year's units are "
                   "counted not evaluated, as the summaries list them; with --unit-grades, "
                   "its unit tree for the units the months keep none of (--no-classify).")  # fmt: skip
@_unit_grades_option
@click.option("--force", is_flag=True,
              help="Replace an existing --out file, and apply --rules even when it is not in "
                   "force at the end of the year.")
@_jurisdiction_option
@_json_option
def annual(
    archive_path: str, year: int, rules_id: str | None, conclusions_csv: str | None,
    out: str | None, pdf_dir: str | None, org: str | None, unit_grades_csv: str | None,
    force: bool, as_json: bool,
) -> int:
    """Classify a year from its finalized months: roll-up, head cap, then the quota.

    Each person's months are rolled up under their rule set's roll-up policy
    (`evalkit.units.rollup_frame`), then classified for the year
    (`evalkit.units.classify_year`): a head is not rated above the unit's annual grade,
    and the quota applies to the year. Amendments count; every month read is checked
    against its seal first. Columns: staff_id, full_name, unit_id, annual_total,
    annual_grade, reasons, then the engine's other columns.

    With --pdf DIR the annual sheets are written too, one PDF per person of the year, and
    the year's summary of each unit (DIR/units/: everyone's scores and grades, the grade
    counts, the quota used, the unit's result and head), in the language of the run (the
    same files as `evalkit render --period 2026 --archive FILE --out DIR`). --org gives
    their header (agency, governing body, place) and the competent level who signs (the
    head of the organisation's top unit); the archive keeps neither.

    \b
    Examples:
      evalkit annual --archive luu-tru.sqlite --year 2026 --out nam-2026.xlsx
      evalkit annual --archive luu-tru.sqlite --year 2026 --org to-chuc.json --pdf phieu-nam-2026/

    --rules names one set for everyone; a set not in force at the end of the year (the
    year is classified then) is refused unless --force.
    """
    from evalkit import workflow
    from evalkit.errors import InputError
    from evalkit.io.archive import Archive
    from evalkit.model import Period

    _require_archive(archive_path)
    _refuse_existing(out, force=force)
    if out and pdf_dir is not None:  # the sheets are written only when --out can be too
        _results_format(out, before=True)
    months: list[pd.DataFrame] | None = None  # the sheets' months, read in the same opening
    named = rules_id is not None  # recorded for the year (Archive.annual)
    year_set: RuleSet | None = None
    try:
        decided, graded, unread = _year_files(conclusions_csv, unit_grades_csv)
        # the organisation's tree, for the units whose months were archived without theirs
        tree = workflow.unit_tree(org) if org and graded is not None else None
        with Archive(archive_path, readonly=True) as arc:
            # no set named: the one recorded for the year, for the table and the sheets
            rules_id, force, year_set = _recorded_rules(arc, year, rules_id, force)
            # an older file migrates forward once; a set named for the year is recorded
            # (Archive.annual), so that the year is classified under it again
            # (a file that cannot be written: read-only, where annual refuses a set named
            # that it cannot record, as Archive.annual on an archive opened read-only)
            if arc.schema_version() < _archive_schema() or (named and _writable(archive_path)):
                arc.close()
                with Archive(archive_path) as writable:  # migrates the file forward once
                    table = writable.annual(year, rules=_rule_set(rules_id),
                                            conclusions=decided, unit_year=graded,
                                            force=force, tree=tree,
                                            jurisdiction=_JURISDICTION.get())  # fmt: skip
                    gaps = _year_gaps(writable, year)
                    if pdf_dir is not None:
                        months = _archived_months(writable, Period.parse(str(year)), rules_id)
            else:
                table = arc.annual(year, rules=_rule_set(rules_id), conclusions=decided,
                                   unit_year=graded, force=force, tree=tree,
                                   jurisdiction=_JURISDICTION.get())  # fmt: skip
                gaps = _year_gaps(arc, year)
                if pdf_dir is not None:
                    months = _archived_months(arc, Period.parse(str(year)), rules_id)
    except InputError as exc:  # the conclusions' (or unit grades') problems: file and line
        read = {f for f, d in ((conclusions_csv, decided), (unit_grades_csv, graded)) if f and
                d is not None}  # a file not read: its problems, the other's found without it
        found = _in_unit_grades(exc.problems, unit_grades_csv if graded is not None else None,
                                conclusions_csv if decided is not None else None)  # fmt: skip
        found = [*unread, *(p for p in found if not unread or p.file in read)]
        return _report_problems(found, as_json, {"file": conclusions_csv or archive_path})
    if unread:  # the other file (if any) is good: the unreadable one's problems alone
        return _report_problems(unread, as_json, {"file": conclusions_csv or archive_path})
    extra: dict[str, Any] = {}
    if pdf_dir is not None:
        written, *_ = _write_period_sheets([], pdf_dir, _lang(), rules_id, Period.parse(str(year)),
                                           org, "", True, archive_path, force, as_json,
                                           conclusions=decided, unit_grades=graded,
                                           frames=months, tree=tree, year_set=year_set,
                                           then=None if not out else (
                                               lambda: _write_results_file(table, out)))  # fmt: skip
        extra = {"pdf": {"out": pdf_dir, "files": [str(f) for f in written]}}
    notes = _result_notices(table)  # the year's quota, as classify says a month's
    _write_or_print(table, out, as_json, {**extra, **({"notices": notes} if notes else {})},
                    absent=_absent_members(table, org),
                    write=pdf_dir is None)  # (with --pdf: written beside the sheets)
    for said in [gaps, *table.attrs.get("notes", ()), *notes] if not as_json else ():
        if said:
            click.echo(said, err=True)
    if pdf_dir is not None and not as_json:
        click.echo(_t("cli.render.done", n=len(extra["pdf"]["files"]), out=pdf_dir))
    return EXIT_OK


def _absent_members(table: pd.DataFrame, org: str | None) -> int:
    """The people of ``org`` without a row in ``table`` whose unit has rows there: the year's
    unit summaries and overview list them not evaluated (the archive does not know them)."""
    from evalkit import workflow

    organisation = workflow._org(org) if org else None
    if organisation is None or not {"staff_id", "unit_id"} <= set(table.columns):
        return 0
    listed = set(table["staff_id"].astype(str))
    units = set(table["unit_id"].dropna().astype(str))
    return sum(s.unit_id in units and s.id not in listed for s in organisation.staff)


def _year_gaps(arc: Any, year: int) -> str:
    """Which months (or quarters, for a quarterly archive) of ``year`` the archive holds
    and which it lacks, as one sentence; "" when the year is whole or has none."""
    from evalkit.model import Period

    read = sorted((m.period for m in arc.months() if m.period.year == year),
                  key=lambda p: (p.start, p.kind))  # months and quarters (customs, from Q3/2026)
    if not read:
        return ""
    quarterly = all(p.kind == "quarter" for p in read)
    key, periods = (("cli.annual.quarters", [Period.quarter(year, q) for q in range(1, 5)])
                    if quarterly else
                    ("cli.annual.months", [Period.month(year, m) for m in range(1, 13)]))
    covered = {str(x) for p in read for x in (p, *p.months())}  # a quarter read: its months
    missing = [str(p) for p in periods if str(p) not in covered]
    n = len(read) if quarterly else len(covered & {str(p) for p in periods})
    return _t(key, year=year, n=n, s=plural(n), read=", ".join(str(p) for p in read),
              missing_n=len(missing), missing=", ".join(missing)) if missing else ""


def _typed_id(text: str) -> str:
    """An id typed on the command line as the workbook reader reads ids: NFC, invisible
    characters removed, no surrounding spaces (``' CC-1 '`` is ``'CC-1'``)."""
    from evalkit import _ids

    plain = _ids.normal_id(text)  # the one normaliser of every door
    return text if plain is None else str(plain)


def _year_files(conclusions: str | None, unit_grades: str | None
                ) -> tuple[pd.DataFrame | None, pd.DataFrame | None, list[Any]]:  # fmt: skip
    """``annual``'s conclusions and units' grades, each read whatever the other is: the two
    frames (None for a file not given or not readable) and the problems of the files that
    cannot be read (empty, not UTF-8, a column missing …), each at its file. The year is
    then classified with the files read, so a good file's problems are said too: one file
    never hides the other's."""
    from evalkit.errors import InputError

    frames: list[pd.DataFrame | None] = []
    problems: list[Any] = []
    for path, read in ((conclusions, _conclusions), (unit_grades, _unit_grades)):
        try:
            frames.append(read(path) if path else None)
        except InputError as exc:
            frames.append(None)
            problems.extend(exc.problems)
    return frames[0], frames[1], problems


def _conclusions(path: str) -> pd.DataFrame:
    """The annual conclusions CSV (UTF-8, a header row); blank cells are blank, row labels
    are the file's line numbers (the header is line 1), the frame names its file (the
    engine's problems of its rows and columns are said at it: ``classify_year``)."""
    from evalkit.io.workbook import read_table_csv

    frame = read_table_csv(path, multiline=("competent_reason",))
    frame.attrs["file"] = path
    return frame


def _unit_grades(path: str) -> pd.DataFrame:
    """The units' grades for the year (``--unit-grades``): a CSV read as the conclusions
    are (row labels are its line numbers), with the columns ``unit_id`` and ``grade`` — or
    ``exceptional`` without ``grade``: the units recognised for the year (NĐ 335/2025
    Điều 20 k5 b), graded from their months as ``Archive.annual(unit_year=...)`` grades them."""
    from evalkit.errors import InputError, InputProblem

    frame = _conclusions(path)
    frame.attrs.pop("file")  # its problems are placed by _in_unit_grades
    need = ("unit_id",) if "exceptional" in frame.columns else ("unit_id", "grade")
    missing = [c for c in need if c not in frame.columns]
    if missing:
        raise InputError([InputProblem(  # (the sentence of the error it was on its own)
            f"{path} has no column {c}: the units' grades need the columns unit_id and grade "
            "(or exceptional)", file=path, row=1, column=c) for c in missing])  # fmt: skip
    return frame.reset_index(drop=True)  # row i is line i + 2 (_in_unit_grades)


def _in_unit_grades(problems: Sequence[Any], unit_grades: str | None,
                    conclusions: str | None) -> list[Any]:  # fmt: skip
    """The year's problems, each in its file: a unit row's (no staff; any column of the
    row, its unit named) in the unit grades, a head's missing unit in none (nor at the row
    of the months the command put together: no file's), the rest in the conclusions."""
    import attrs

    out = []
    for p in problems:
        q = p
        if p.file is None and unit_grades and getattr(p, "staff_id", None) is None and (
                p.column in ("unit_id", "grade") or p.column is None
                or getattr(p, "unit_id", None) is not None):  # fmt: skip
            line = p.row + 2 if isinstance(p.row, int) else p.row  # the header is line 1
            q = attrs.evolve(p, file=unit_grades, row=line)
        elif p.file is None and getattr(p, "staff_id", None) is not None \
                and p.column == "unit_id":  # fmt: skip
            q = attrs.evolve(p, row=None)
        elif p.file is None:
            q = attrs.evolve(p, file=conclusions)
        out.append(q)
    return out


def _recorded_rules(arc: Any, year: int, rules_id: str | None,
                    force: bool) -> tuple[str | None, bool, RuleSet | None]:  # fmt: skip
    """``--rules`` and ``--force`` for a year read from the archive ``arc``: where no set is
    named, the one recorded for the year (``Archive.year_rules``), applied as it was named
    then, as ``Archive.annual`` applies it: the table and the sheets say one year. A
    registered set only: an agency's rule file is given again with ``--rules FILE.toml``
    (the archive says so). Third: the recorded set as kept, where the registry holds
    other content under its id now (a preset amended since), for the year's sheets (the
    table's ``Archive.annual`` applies it itself, none named); else None."""
    from evalkit.rules import default_registry

    recorded = arc.year_rules(year) if rules_id is None else None
    if recorded is None or recorded not in default_registry():
        return rules_id, force, None
    if (kept := arc.year_rule_set(year)) != default_registry().get(recorded):
        return rules_id, True, kept
    return recorded, True, None


def _writable(path: str) -> bool:
    """Whether the archive file (and its folder, for SQLite's journal) can be written."""
    where = os.path.abspath(path)
    return os.access(where, os.W_OK) and os.access(os.path.dirname(where), os.W_OK)


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
@click.option("--seal", metavar="SEAL", help="Only say which month this seal (as printed, "
              "its first 16 characters or more) is of and whether it still matches.")
@_json_option
def archive_verify(file: str, seal: str | None, as_json: bool) -> int:
    """Check every month of an archive against its seal (SHA-256 hash chain).

    Opens the file read-only and changes nothing. Exit 0 when every month, row, unit and
    amendment matches; exit 1 naming the month and the row that does not (a row edited
    with SQL outside evalkit, a deleted amendment, a dropped trigger). A seal printed
    before an upgrade sealed the month again is listed under its month and checked too;
    --seal looks up one printed seal.

    \b
    Examples:
      evalkit archive verify luu-tru.sqlite --json
      evalkit archive verify luu-tru.sqlite --seal 9639866a690f8c69
    """
    from evalkit.io.archive import Archive

    _require_archive(file)
    if seal is not None:
        return _verify_seal(file, seal, as_json)
    with Archive(file, readonly=True) as arc:
        report = arc.verify()
    if as_json:
        _print_json({
            "ok": report.ok, "file": file, "schema_version": report.schema_version,
            "months": [{"period": m.period, "rows": m.rows, "amendments": m.amendments,
                        "seal": m.head, "ok": m.ok,
                        "superseded": [_seal_json(s) for s in m.superseded]}
                       for m in report.months],
            "problems": [{"period": p.period, "kind": p.kind, "key": p.key,
                          "message": p.message, "text": _integrity_text(p),
                          "code": p.msg.key if p.msg is not None else None}
                         for p in report.problems],
            "notes": [translate(n, _lang()) for n in report.notes],
        })  # fmt: skip
    elif report.ok:
        click.echo(_verify_text(report))
    else:
        click.echo(_verify_text(report), err=True)
    return EXIT_OK if report.ok else EXIT_INVALID_INPUT


def _seal_json(s: Any) -> dict[str, Any]:
    return {"seal": s.seal, "period": s.period, "amendment": s.amendment,
            "schema_version": s.schema_version, "replaced_at": s.replaced_at,
            "replaced_by": s.replaced_by, "ok": s.ok}  # fmt: skip


def _verify_seal(file: str, seal: str, as_json: bool) -> int:
    """`evalkit archive verify FILE --seal SEAL`: the month the seal is of, and whether it
    still matches (exit 0), or that no month has it or it does not (exit 1)."""
    from evalkit.io.archive import Archive

    with Archive(file, readonly=True) as arc:
        try:
            found = arc.find_seal(seal)
        except ValueError as exc:
            raise click.BadParameter(_t("archive.seal.bad", seal=seal), param_hint="--seal") \
                from exc
    if as_json:
        _print_json({"file": file, **(_seal_json(found) if found else
                                      {"seal": seal, "period": None, "ok": False})})
    elif found is None:
        click.echo(_t("archive.seal.unknown", path=file, seal=seal), err=True)
    else:
        what = (_t("archive.seal.amendment", n=found.amendment, period=found.period)
                if found.amendment else _t("archive.seal.month", period=found.period))
        if found.replaced_at is None:
            text = _t("archive.seal.current", seal=found.seal, what=what, state=_t(
                "archive.seal.matches" if found.ok else "archive.seal.differs"))
        else:
            text = _t("archive.seal.replaced", seal=found.seal, what=what,
                      version=found.schema_version, when=found.replaced_at, state=_t(
                          "archive.seal.old_matches" if found.ok else "archive.seal.old_differs",
                          version=found.schema_version))  # fmt: skip
        click.echo(text, err=not found.ok)
    return EXIT_OK if found is not None and found.ok else EXIT_INVALID_INPUT


def _integrity_text(p: Any) -> str:
    """One mismatch of an archive check in the run's language: where, then what."""
    what = p.msg.text(_lang()) if p.msg is not None else translate(p.message, _lang())
    label = (_t(f"archive.verify.label.{p.kind}", name=p.key)
             if p.key and f"archive.verify.label.{p.kind}" in CATALOGUE else None)  # fmt: skip
    where = ", ".join(x for x in (p.period, label) if x)
    return _t("archive.verify.line", where=where, text=what) if where else what


def _verify_text(report: Any) -> str:
    """What `evalkit archive verify` prints, in the run's language (the report's
    ``str`` is the library's English)."""
    lines = [_t("archive.verify.head", path=report.path, version=report.schema_version,
                n=len(report.months))]  # fmt: skip
    for m in report.months:
        lines.append(_t("archive.verify.month", period=m.period, rows=m.rows,
                        amendments=m.amendments, seal=m.head[:16] + "…" if m.head else "-",
                        state=_t("archive.verify.ok" if m.ok else "archive.verify.mismatch")))
        lines += [_t("archive.verify.superseded", version=s.schema_version, when=s.replaced_at,
                     what=_t("archive.seal.of_amendment", n=s.amendment) if s.amendment else "",
                     seal=s.seal[:16] + "…", state=_t("archive.verify.ok" if s.ok else
                                                      "archive.verify.mismatch"))
                  for s in m.superseded]  # fmt: skip
    lines += [_t("archive.verify.note", text=translate(n, _lang())) for n in report.notes]
    if report.problems:
        lines.append(_t("archive.verify.problems", n=len(report.problems)))
        lines += [f"  - {_integrity_text(p)}" for p in report.problems]
    else:
        lines.append(_t("archive.verify.all_ok"))
    return "\n".join(lines)


# =========================================================================== main


def _exit_code(exc: BaseException) -> int:
    from evalkit.errors import EvalkitError, NoRuleSetError, RuleSetError

    if isinstance(exc, RuleSetError | NoRuleSetError):
        return EXIT_RULE_SET
    if isinstance(exc, EvalkitError):
        return EXIT_INVALID_INPUT
    return EXIT_INTERNAL


def _split_lang(args: list[str]) -> tuple[list[str], str | None, str | None]:
    """``--lang X`` / ``--lang=X`` taken out of ``args`` (anywhere before ``--``): every
    command speaks the language, also the ones without a ``--lang`` of their own."""
    out: list[str] = []
    lang: str | None = None
    bad: str | None = None
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            out.extend(args[i:])
            break
        value: str | None = None
        if a == "--lang" and i + 1 < len(args):
            value = args[i + 1]
            i += 2
        elif a.startswith("--lang="):
            value = a.split("=", 1)[1]
            i += 1
        else:
            out.append(a)
            i += 1
            continue
        if value in LANGS:
            lang = value
        else:
            bad = value
    return out, lang, bad


# ---- help in the run's language

_HELP_VI: dict[str, str] = {
    "": """evalkit: đánh giá, xếp loại chất lượng hằng tháng trong khu vực công.

    \b
    Các bước cuối tháng (xem "Chạy kịch bản hằng tháng" trong tài liệu):
      evalkit template --rules vn.nd335-2025 --period 2026-03 thang-03.xlsx
      (nhập điểm vào tệp Excel)
      evalkit validate thang-03.xlsx
      evalkit classify thang-03.xlsx --out ket-qua-03.json
      evalkit render ket-qua-03.json --out phieu-03/
      evalkit finalize ket-qua-03.json --archive luu-tru.sqlite --by "Trưởng phòng TCCB"
      evalkit annual --archive luu-tru.sqlite --year 2026

    \b
    Thông báo bằng tiếng Việt; thêm --lang en (hoặc đặt EVALKIT_LANG=en) để dùng tiếng Anh.
    Mã kết thúc: 0 thành công, 1 dữ liệu có lỗi, 2 gọi lệnh sai, 3 lỗi bộ quy định, 4 lỗi nội bộ.
    """,
    "demo": """In bộ dữ liệu mẫu có sẵn: phiếu đánh giá, bảng tổng hợp đơn vị, kết quả.

    \b
    Ví dụ:
      evalkit demo --out demo-output
    """,
    "rules": """Liệt kê, xem, kiểm tra và so sánh các bộ quy định (bộ tiêu chí).

    \b
    Ví dụ:
      evalkit rules list
      evalkit rules show vn.nd335-2025
      evalkit rules check quy-dinh-tinh.toml
    """,
    "rules list": """Liệt kê các bộ quy định đã đăng ký, thời gian hiệu lực và nhóm áp dụng.

    \b
    Ví dụ:
      evalkit rules list --json
    """,
    "rules show": """Xem một bộ quy định: tiêu chí và điểm tối đa, khung điểm, giới hạn, tỷ lệ,
    căn cứ pháp lý.

    \b
    Ví dụ:
      evalkit rules show vn.nd335-2025
    """,
    "rules check": """Đọc một tệp quy định, báo mọi lỗi, rồi kiểm tra các bất biến (nếu có
    evalkit.testing). Mã kết thúc 3 khi tệp sai hoặc một bất biến không được bảo đảm.

    \b
    Ví dụ:
      evalkit rules check quy-dinh-tinh.toml --json
    """,
    "rules diff": """Những ai được xếp loại khác đi theo bộ NEW so với bộ OLD (mã hoặc tệp TOML).

    Cả hai bộ được áp dụng cho mọi kỳ của dữ liệu (kể cả ngoài thời gian hiệu lực).

    \b
    Ví dụ:
      evalkit rules diff vn.nd90-2020 vn.nd233-2026 --data demo --csv diff.csv --pdf diff.pdf
    """,
    "template": """Tạo tệp Excel mẫu của một tháng (một quý theo bộ quy định chấm điểm theo
    quý): nhân sự, điểm của từng cấp, người ký.

    Trang nhân sự có, cho mỗi tiêu chí, điểm cá nhân tự chấm, điểm người quản lý trực tiếp
    chấm và điểm cấp có thẩm quyền chấm (điểm tối đa ghi ở tiêu đề, có ràng buộc dữ liệu
    của Excel), nhận xét và mức đề xuất của từng cấp, kết luận của cấp có thẩm quyền; kèm
    các trang đơn vị, vị trí việc làm, người ký, nhiệm vụ và trang hướng dẫn. OUT.csv chỉ
    ghi trang nhân sự dưới dạng CSV. Không bao giờ ghi đè lên tệp đã có nếu không có --force.

    \b
    Ví dụ:
      evalkit template --rules vn.nd335-2025 --period 2026-03 --org to-chuc.json thang-03.xlsx
    """,
    "org": """Lập và kiểm tra tệp tổ chức (đơn vị, vị trí việc làm, nhân sự) từ tệp Excel của
    tháng hoặc từ các tệp CSV; hoặc kiểm tra một tệp tổ chức đã có.

    Mọi lỗi được liệt kê kèm tệp, trang, dòng và cột: trùng mã, đơn vị cấp trên không có,
    đơn vị tạo vòng, người đứng đầu không thuộc đơn vị mình, người thuộc đơn vị hoặc vị trí
    không có, để trống họ tên. Định dạng tệp xem trong tài liệu ("Tệp tổ chức").

    \b
    Ví dụ:
      evalkit org thang-03.xlsx --out to-chuc.json
      evalkit org --units don-vi.csv --positions vi-tri.csv --staff nhan-su.csv --out to-chuc.json
      evalkit org to-chuc.json
    """,
    "validate": """Kiểm tra tệp Excel (hoặc CSV) đã nhập điểm và báo mọi lỗi cùng một lúc.

    Mỗi lỗi ghi rõ tệp, trang, dòng, cột và giá trị: ô bắt buộc để trống, chữ trong ô số,
    điểm vượt mức tối đa, trùng mã nhân sự, vị trí việc làm hoặc đơn vị không có trong danh
    sách, tệp của tháng khác, ô tiêu đề bị gộp hoặc đổi tên, kết luận khác mức theo điểm mà
    không ghi lý do. Lỗi được xếp theo trang và dòng, mỗi ô một lỗi. Tệp đã qua kiểm tra thì
    chấm điểm và xếp loại được. Mã kết thúc 1 khi có lỗi. Nhiều tệp Excel của cùng một
    tháng (mỗi nhóm nhân sự một tệp, như `template --org` ghi) được kiểm tra cùng nhau: mọi
    lỗi của mọi tệp, rồi xếp loại cả tháng như một.

    \b
    Ví dụ:
      evalkit validate thang-03.xlsx --period 2026-03
      evalkit validate cong-chuc-03.xlsx vien-chuc-03.xlsx --org to-chuc.json
    """,
    "score": """Chấm điểm mọi người trong tệp: tổng điểm, mức theo khung điểm, trường hợp bị
    hạ mức (chưa xét đơn vị, người đứng đầu, tỷ lệ).

    Kết quả ghi là "chưa xếp loại theo đơn vị"; lệnh `evalkit classify` cho mức xếp loại.
    Điểm quản lý (d) của người lãnh đạo là điểm mà `evalkit classify` áp dụng, tính từ kết
    quả của người dưới quyền, cùng lý do; không có đơn vị (trang đơn vị hoặc --org) thì
    không tính được: d đã ghi được giữ nguyên và lệnh in lưu ý nêu tên những người đó.

    \b
    Ví dụ:
      evalkit score thang-03.xlsx --out diem-03.xlsx
    """,
    "classify": """Chấm điểm và xếp loại: đơn vị trước, người đứng đầu không cao hơn đơn vị, rồi
    tỷ lệ khống chế.

    Kỳ mà văn bản chỉ chấm điểm, không xếp loại (NĐ 335/2025: các tháng; năm mới xếp loại)
    thì mức là mức theo khung điểm, để tham khảo. Tệp JSON kết quả mang theo kết quả đơn
    vị, người ký và tên cơ quan cho lệnh `evalkit render`. Nhiều tệp Excel của cùng một
    tháng (mỗi nhóm nhân sự một tệp) được xếp loại như một tháng: mọi dòng cùng nhau, đơn
    vị một lần.

    \b
    Ví dụ:
      evalkit classify thang-03.xlsx --out ket-qua-03.json
      evalkit classify cong-chuc-03.xlsx vien-chuc-03.xlsx --org to-chuc.json --out ket-qua-03.json
    """,
    "render": """In phiếu đánh giá PDF của từng người và bảng tổng hợp của từng đơn vị.

    Tệp Excel được xếp loại trước (đơn vị, người đứng đầu, tỷ lệ) trừ khi có --no-classify;
    tệp kết quả được in đúng như đã có. Bảng tổng hợp ghi vào OUT/units/; --overview thêm
    OUT/<kỳ>_overview.pdf. Với --period 2026-Q1 (hoặc 2026), đầu vào là kết quả các tháng
    (hoặc --archive) và phiếu là phiếu quý (hoặc năm).

    \b
    Ví dụ:
      evalkit render thang-03.xlsx --out phieu-03/
      evalkit render ket-qua-03.json --out phieu-03/ --overview
      evalkit render ket-qua-01.json ket-qua-02.json ket-qua-03.json --period 2026-Q1 --out quy-1/
    """,
    "finalize": """Kiểm tra kết quả của tháng và lưu trữ trong một giao dịch; tháng đã chốt
    không thay đổi được nữa.

    Tệp Excel được xếp loại trước (đơn vị, người đứng đầu, tỷ lệ) trừ khi có --no-classify.
    Sửa sau khi chốt là điều chỉnh (`evalkit amend`), giữ lại giá trị cũ. Nhiều tệp Excel
    của cùng một tháng (mỗi nhóm nhân sự một tệp) được xếp loại và chốt thành một tháng.

    \b
    Ví dụ:
      evalkit finalize ket-qua-03.json --archive luu-tru.sqlite --by "Trưởng phòng TCCB"
      evalkit finalize cong-chuc-03.xlsx vien-chuc-03.xlsx --org to-chuc.json --by "TCCB"
    """,
    "amend": """Điều chỉnh một kết quả đã chốt; giá trị cũ, người sửa, thời điểm và lý do được
    giữ lại.

    \b
    Ví dụ:
      evalkit amend --period 2026-03 --staff CC-0042 --set chat_luong=90 \\
          --by "Giám đốc" --why "Kết luận lại sau kiểm tra công vụ"
    """,
    "annual": """Xếp loại năm từ các tháng đã chốt: tổng hợp, người đứng đầu không cao hơn đơn
    vị, rồi tỷ lệ khống chế.

    Với --pdf THƯ_MỤC, ghi thêm phiếu năm (PDF) của từng người trong kết quả năm và bảng tổng
    hợp năm của từng đơn vị (THƯ_MỤC/units/: điểm và mức của mọi người, số lượng theo mức, tỷ
    lệ đã dùng, kết quả và người đứng đầu của đơn vị), theo ngôn ngữ của lệnh (đúng các tệp
    của `evalkit render --period 2026 --archive TỆP --out THƯ_MỤC`). --org cho phần đầu phiếu
    (cơ quan chủ quản, tên cơ quan, địa danh) và người ký của cấp có thẩm quyền (người đứng
    đầu đơn vị cao nhất); tệp lưu trữ không giữ các thông tin này.

    \b
    Ví dụ:
      evalkit annual --archive luu-tru.sqlite --year 2026 --out nam-2026.xlsx
      evalkit annual --archive luu-tru.sqlite --year 2026 --org to-chuc.json --pdf phieu-nam-2026/
    """,
    "archive": """Kiểm tra tệp lưu trữ các tháng đã chốt.

    \b
    Ví dụ:
      evalkit archive verify luu-tru.sqlite
    """,
    "archive verify": """Đối chiếu mọi tháng trong tệp lưu trữ với dấu niêm phong (chuỗi băm
    SHA-256). Chỉ đọc, không thay đổi gì. Mã kết thúc 1 nếu có tháng, dòng bị sửa ngoài
    evalkit. Dấu niêm phong đã in trước khi nâng cấp cấu trúc được liệt kê dưới tháng của
    nó và cũng được đối chiếu; --seal tra một dấu niêm phong đã in.

    \b
    Ví dụ:
      evalkit archive verify luu-tru.sqlite
      evalkit archive verify luu-tru.sqlite --seal 9639866a690f8c69
    """,
}

_OPTION_HELP_VI: dict[str, str] = {
    "--json": "In kết quả dạng JSON cho chương trình khác đọc.",
    "--lang": "Ngôn ngữ của thông báo và của phiếu: vi (mặc định) hoặc en; cũng đặt được "
              "bằng biến môi trường EVALKIT_LANG.",
    "--rules": "Mã bộ quy định (xem `evalkit rules list`) hoặc tệp quy định; mặc định: bộ "
               "ghi trong tệp Excel.",
    "--period": "Kỳ đánh giá (tháng yyyy-mm); tệp của tháng khác bị báo lỗi.",
    "--org": "Tệp tổ chức (đơn vị, vị trí việc làm, nhân sự; xem `evalkit org`).",
    "--jurisdiction": "Nơi nhân sự làm việc (vn.hanoi): người không được --rules nêu bộ quy "
                      "định theo bộ có hiệu lực tại đó đối với nhóm nhân sự của họ (nếu không "
                      "có thì bộ trung ương); mặc định: vn.",
    "--force": "Áp dụng bộ quy định cả ngoài thời gian hiệu lực.",
    "--out": "Ghi kết quả ra tệp: .json (evalkit/1), .xlsx (danh sách + số lượng theo mức) "
             "hoặc .csv; tệp .xlsx và .csv ghi thêm lý do thành câu kèm căn cứ pháp lý "
             "(cột reasons_vi).",
    "--archive": "Tệp lưu trữ các tháng đã chốt (biến môi trường EVALKIT_ARCHIVE).",
    "--by": "Người thực hiện (họ tên hoặc chức vụ), được ghi lại.",
    "--why": "Lý do (được ghi lại).",
    "--staff": "Mã nhân sự cần điều chỉnh.",
    "--set": "Giá trị điều chỉnh, ví dụ chat_luong=90 hoặc discipline=1 (lặp lại được).",
    "--year": "Năm.",
    "--examples": "Số ví dụ thử cho mỗi bất biến (khi có evalkit.testing).",
    "--toml": "In bộ quy định dạng TOML (đã áp dụng extends): một tệp quy định đọc lại được "
              "thành cùng một bộ.",
    "--data": "Tệp Excel hoặc CSV của một tháng, tệp lưu trữ (.sqlite/.db), hoặc 'demo'.",
    "--csv": "Ghi danh sách thay đổi ra OUT.csv (và OUT.distribution.csv, OUT.quota.csv, "
             "OUT.rules.csv).",
    "--pdf": "Ghi báo cáo PDF một trang.",
    "--fill": "Lấy tiêu chí dữ liệu không có từ một cột khác (lặp lại được).",
    "--version": "In phiên bản rồi thoát.",
    "--help": "In hướng dẫn này rồi thoát.",
    "--unit-grades": "Kết quả năm của các đơn vị (cột unit_id, grade), làm mức trần cho người "
                     "đứng đầu, thay cho kết quả tính từ kết quả đơn vị của các tháng đã chốt: "
                     "dùng cho các tháng được chốt không kèm kết quả đơn vị (--no-classify).",
    "--overview": "Ghi thêm bảng tổng quan của cơ quan (mọi đơn vị, biểu đồ mức xếp loại).",
    "--agency": "Tên cơ quan ghi ở đầu phiếu (mặc định: theo trang người ký của tệp Excel).",
    "--resume": "Giữ phiếu PDF đã in cho đúng phiếu đó (tệp kê khai trong thư mục OUT).",
    "--classify": "Với tệp Excel: xếp loại đơn vị trước (đơn vị, người đứng đầu, tỷ lệ); "
                  "--no-classify in mọi phiếu là chưa xếp loại theo đơn vị.",
    "--units": "Danh sách đơn vị dạng CSV (các cột của trang đơn vị).",
    "--positions": "Danh sách vị trí việc làm dạng CSV (các cột của trang vị trí việc làm).",
}

_OPTION_HELP_BY_COMMAND_VI: dict[tuple[str, str], str] = {
    ("template", "--rules"): ("Bộ quy định có các tiêu chí thành cột của tệp; không có thì "
                              "dùng bộ quy định có hiệu lực trong kỳ đối với nhân sự của --org. "
                              "Ghi thêm lần nữa (tệp quy định của cơ quan, một mã): bộ quy định "
                              "mà nhóm nhân sự không có trong tệp sẽ được đọc theo, được nêu "
                              "cho nhóm đó thay cho bộ có hiệu lực."),
    ("validate", "--period"): "Tháng đánh giá (yyyy-mm), hoặc quý (yyyy-Qn) theo bộ quy định "
                              "chấm điểm theo quý (hải quan); tệp của kỳ khác bị báo lỗi.",
    ("template", "--period"): "Tháng đánh giá (yyyy-mm), hoặc quý (yyyy-Qn) theo bộ quy định "
                              "chấm điểm theo quý; bắt buộc.",
    ("template", "--rows"): "Số dòng có ràng buộc dữ liệu khi không có --org.",
    ("template", "--force"): "Thay tệp đã có, và cho phép bộ quy định không có hiệu lực trong "
                             "tháng đó.",
    ("rules diff", "--period"): "Chỉ so sánh các kỳ của dữ liệu nằm trong tháng, quý hoặc năm "
                                "này (tệp Excel của tháng khác bị báo lỗi).",
    ("render", "--out"): "Thư mục ghi các phiếu PDF.",
    ("render", "--period"): "Tháng (đối chiếu với tệp Excel), hoặc quý, năm: phiếu quý hoặc "
                            "năm từ kết quả các tháng.",
    ("render", "--archive"): "Lấy tháng đã chốt (kể cả các lần điều chỉnh), hoặc các tháng "
                             "(các quý) đã chốt của quý, năm, từ tệp lưu trữ này.",
    ("archive verify", "--seal"): "Chỉ cho biết dấu niêm phong này (như đã in, ít nhất 16 ký "
                                  "tự đầu) thuộc tháng nào và còn khớp hay không.",
    ("org", "--out"): "Ghi tệp tổ chức (JSON của evalkit).",
    ("org", "--force"): "Thay tệp --out đã có.",
    ("score", "--force"): "Thay tệp --out đã có, và áp dụng bộ quy định cả ngoài thời gian "
                          "hiệu lực.",
    ("classify", "--force"): "Thay tệp --out đã có, và áp dụng bộ quy định cả ngoài thời gian "
                             "hiệu lực.",
    ("annual", "--force"): "Thay tệp --out đã có, và áp dụng --rules cả khi bộ đó không có hiệu "
                           "lực vào cuối năm.",
    ("rules diff", "--force"): "Thay các tệp --csv và --pdf đã có.",
    ("org", "--staff"): "Danh sách nhân sự dạng CSV (các cột đầu của trang nhân sự).",
    ("demo", "--out"): "Thư mục ghi phiếu và bảng tổng hợp của dữ liệu mẫu.",
    ("finalize", "--classify"): "Với tệp Excel: xếp loại đơn vị trước (mặc định); "
                                "--no-classify chỉ chấm điểm.",
    ("annual", "--rules"): "Một bộ quy định cho năm của mọi người; mặc định: bộ của từng người.",
    ("annual", "--period"): "Kỳ.",
    ("annual", "--conclusions"): "Kết luận năm của cấp có thẩm quyền: staff_id, "
                                 "competent_grade, competent_reason (bắt buộc khi mức khác "
                                 "mức theo điểm), competent_order.",
    ("annual", "--org"): "Tệp tổ chức (xem `evalkit org`): tên cơ quan, cơ quan chủ quản, địa "
                         "danh và người ký của cấp có thẩm quyền ở phiếu năm và bảng tổng hợp "
                         "năm (--pdf); người của tệp không có dòng nào trong các đơn vị của năm được "
                         "đếm là chưa đánh giá, như bảng tổng hợp liệt kê; kèm --unit-grades, "
                         "cây đơn vị của tệp dùng cho đơn vị mà các tháng không lưu "
                         "(--no-classify).",
    ("rules diff", "--level"): "So sánh kết quả từng kỳ (period), kết quả xếp loại năm (year), "
                               "hoặc (auto) so sánh năm khi một trong hai bộ chỉ xếp loại năm.",
    ("annual", "--pdf"): "Ghi thêm phiếu năm (PDF) của từng người trong kết quả năm và bảng "
                         "tổng hợp năm của từng đơn vị (THƯ_MỤC/units/) vào thư mục này, như "
                         "`evalkit render --period NĂM --archive TỆP --out THƯ_MỤC`.",
    ("amend", "--period"): "Tháng đã chốt (yyyy-mm), hoặc quý (yyyy-Qn) theo bộ quy định chấm "
                           "điểm theo quý.",
    ("amend", "--rules"): "Tệp quy định riêng (của cơ quan) mà tháng đã được chốt theo (mã của "
                          "nó không có trong các bộ đã đăng ký); bộ có sẵn được tìm theo mã.",
}

_CLICK_VI = {
    "Usage:": "Cách dùng:",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Positional arguments": "Tham số",
    "Show this message and exit.": "In hướng dẫn này rồi thoát.",
    "Show the version and exit.": "In phiên bản rồi thoát.",
    "default: {default}": "mặc định: {default}",
    "required": "bắt buộc",
    "env var: {var}": "biến môi trường: {var}",
    "Aborted!": "Đã dừng.",
}


def _walk(group: click.Command, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    yield prefix, group
    if isinstance(group, click.Group):
        for name, cmd in group.commands.items():
            yield from _walk(cmd, f"{prefix} {name}".strip())


@contextlib.contextmanager
def _localised(lang: str) -> Iterator[None]:
    """``--help`` and click's own words in ``lang`` for this run; restored afterwards."""
    if lang == "en":
        yield
        return
    import click.core
    import click.decorators
    import click.formatting

    saved: list[tuple[Any, str, Any]] = []
    for path, cmd in _walk(cli):
        if hasattr(cmd, "_help_option"):  # click caches the --help option (8.1.8+)
            cached = cmd._help_option
            saved.append((cmd, "_help_option", cached))
            if cached is not None:
                saved.append((cached, "help", cached.help))
                cached.help = _CLICK_VI["Show this message and exit."]
        vi = _HELP_VI.get(path)
        if vi is not None:
            saved.append((cmd, "help", cmd.help))
            saved.append((cmd, "short_help", cmd.short_help))
            cmd.help = vi
            cmd.short_help = None
        for p in cmd.params:
            if not isinstance(p, click.Option):
                continue
            name = max(p.opts, key=len)
            if name.startswith("--no-"):
                name = "--" + name[5:]
            vi_opt = _OPTION_HELP_BY_COMMAND_VI.get((path, name)) or _OPTION_HELP_VI.get(name)
            if vi_opt is not None:
                saved.append((p, "help", p.help))
                p.help = vi_opt
    originals = {mod: getattr(mod, "_", None)
                 for mod in (click.core, click.formatting, click.decorators)}  # fmt: skip

    def vi_gettext(message: str) -> str:
        return _CLICK_VI.get(message, message)

    for mod in originals:
        mod._ = vi_gettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for mod, fn in originals.items():
            mod._ = fn  # type: ignore[attr-defined]
        for obj, attr, value in reversed(saved):
            setattr(obj, attr, value)


# ---- usage errors in the run's language

_CLICK_REASONS = (
    (re.compile(r"^'(?P<value>.*)' is not one of (?P<choices>.*)\.$", re.S), "cli.usage.choice"),
    (re.compile(r"^'(?P<value>.*)' is not (?P<choices>'.*')\.$", re.S), "cli.usage.choice"),
    (re.compile(r"^(?P<value>\S+) is not in the range (?P<low>[^<]+)<=x<=(?P<high>.+)\.$"),
     "cli.usage.range"),
    (re.compile(r"^'(?P<value>.*)' is not a valid integer(?: range)?\.$"), "cli.usage.not_int"),
    (re.compile(r"^(?:File|Path) '(?P<path>.*)' does not exist\.$", re.S),
     "cli.usage.path_missing"),
    (re.compile(r"^(?:File|Path) '(?P<path>.*)' is a directory\.$", re.S),
     "cli.usage.path_is_dir"),
    (re.compile(r"^(?:Directory|Path) '(?P<path>.*)' is a file\.$", re.S),
     "cli.usage.path_is_file"),
)


def _reason(message: str) -> str:
    for pattern, key in _CLICK_REASONS:
        m = pattern.match(message)
        if m is not None:
            params = m.groupdict()
            if "value" in params and key in ("cli.usage.range",):
                return _t(key, **params)
            return _t(key, **params)
    return message


def _usage_message(exc: click.UsageError) -> str:
    """The sentence of a usage error in the run's language (English: click's own)."""
    if _lang() == "en":
        return exc.format_message()
    hint = ""
    if isinstance(exc, click.exceptions.NoSuchOption | click.exceptions.NoSuchCommand) and \
            exc.possibilities:  # fmt: skip
        hint = _t("cli.usage.did_you_mean", name=sorted(exc.possibilities)[0])
    if isinstance(exc, click.exceptions.NoSuchOption):
        return _t("cli.usage.no_option", name=exc.option_name, hint=hint)
    if isinstance(exc, click.exceptions.NoSuchCommand):
        return _t("cli.usage.no_command", name=exc.command_name, hint=hint)
    if isinstance(exc, click.exceptions.MissingParameter):
        param = exc.param
        name = (exc.param_hint if isinstance(exc.param_hint, str) else
                (param.get_error_hint(exc.ctx) if param is not None and exc.ctx else ""))
        if isinstance(param, click.Argument):
            return _t("cli.usage.missing_argument", name=name)
        return _t("cli.usage.missing_option", name=name)
    if isinstance(exc, click.BadParameter):
        param = exc.param
        name = (exc.param_hint if isinstance(exc.param_hint, str) else
                (param.get_error_hint(exc.ctx) if param is not None and exc.ctx else ""))
        return _t("cli.usage.bad_value", name=name, reason=_reason(exc.message))
    m = re.match(r"^Option '(?P<name>.+)' requires an argument\.$", exc.message)
    if m:
        return _t("cli.usage.needs_value", name=m.group("name"))
    m = re.match(r"^Got unexpected extra arguments? \((?P<args>.*)\)$", exc.message)
    if m:
        return _t("cli.usage.extra", args=m.group("args"))
    return exc.message


def _show_usage_error(exc: click.UsageError) -> None:
    if exc.ctx is not None:
        click.echo(exc.ctx.get_usage(), err=True)
        click.echo(_t("cli.usage.hint", command=f"{exc.ctx.command_path}"), err=True)
    click.echo(_t("cli.usage", message=_usage_message(exc)), err=True)


def _error_text(exc: BaseException) -> str:
    """An error of the library in the run's language: the located problems of an
    InputError, else the sentence (its words translated where the catalogue knows them)."""
    from evalkit.errors import InputError

    archive = sys.modules.get("evalkit.io.archive")  # loaded if it raised
    if archive is not None and isinstance(exc, archive.ArchiveIntegrityError):
        n = len(exc.problems) - 1
        more = _t("archive.verify.more", n=n) if n > 0 else ""
        key = "archive.verify.error" if exc.path else "archive.verify.error_no_path"
        return _t(key, path=exc.path, first=_integrity_text(exc.problems[0]), more=more)
    if isinstance(exc, InputError):
        from evalkit.errors import problem_count

        n, shown = exc.count, exc.problems[:_MAX_PRINTED_PROBLEMS]
        lines = [_t("cli.problems.head", n=n, s=plural(n))]
        lines += [f"  - {located(p, _lang())}" for p in shown]
        if n > problem_count(shown):
            lines.append(_t("cli.problems.more", n=n - problem_count(shown)))
        return "\n".join(lines)
    from evalkit.errors import NoRuleSetError, RuleSetError

    words = getattr(exc, "msg", None)
    if isinstance(exc, NoRuleSetError) and isinstance(words, Msg):  # the registry's words
        return for_cli(words).text(_lang())
    listed = getattr(exc, "problems", None)
    if isinstance(exc, RuleSetError) and listed and all(
            isinstance(x, tuple) and len(x) == 2 for x in listed):  # fmt: skip
        n = len(listed)
        head = (_t("cli.rules.problems_in_file", file=exc.source, n=n, s=plural(n))
                if exc.source else _t("cli.rules.problems", n=n, s=plural(n)))  # the file: which one
        return "\n".join([head,
                          *(f"  - {_rule_problem(f'{k}: {m}')}" for k, m in listed)])
    reason = getattr(exc, "reason", None)
    if isinstance(exc, RuleSetError) and isinstance(reason, str) and str(exc) != reason:
        # one problem of a rule file: its sentence said, where it is (file, key) kept
        said = translate(reason, _lang(), cli=True)
        if said != reason:
            if _lang() == "en":
                return said + str(exc)[len(reason):]
            where = [_t("cli.rules.in_file", file=exc.source)] if exc.source else []
            where += [_t("cli.rules.at_key", path=exc.key)] if exc.key else []
            return said + (f" ({', '.join(where)})" if where else "")
    return translate(str(exc), _lang(), cli=True)


def main(argv: Sequence[str] | None = None, stdout: IO[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code.

    ``stdout`` receives normal output (default: ``sys.stdout``); messages go to stderr.
    ``--lang en`` (anywhere; or ``EVALKIT_LANG=en``) switches every message to English.

    >>> import io
    >>> main(["rules", "show", "no.such.set"], stdout=io.StringIO())
    3
    """
    args = list(sys.argv[1:] if argv is None else argv)
    args, lang, bad_lang = _split_lang(args)
    env = os.environ.get("EVALKIT_LANG", "")
    lang = lang or (env if env in LANGS else "vi")
    token, where = _LANG.set(lang), _JURISDICTION.set(None)
    redirect = contextlib.redirect_stdout(stdout) if stdout is not None else contextlib.nullcontext()
    try:
        with redirect, _localised(lang):
            if bad_lang is not None:
                click.echo(_t("cli.usage", message=_t(
                    "cli.usage.bad_value", name="'--lang'",
                    reason=_t("cli.usage.choice", value=bad_lang, choices="vi, en"))),
                    err=True)  # fmt: skip
                return EXIT_USAGE
            return _run(args)
    finally:
        _LANG.reset(token)
        _JURISDICTION.reset(where)


def _run(args: list[str]) -> int:
    from evalkit.errors import InputError

    try:
        rv = cli.main(args=args, prog_name="evalkit", standalone_mode=False)
    except click.exceptions.UsageError as exc:
        _show_usage_error(exc)
        return EXIT_USAGE
    except _Failure as exc:
        click.echo(_t("cli.error", message=exc.message), err=True)
        return exc.code
    except click.ClickException as exc:
        click.echo(_t("cli.error", message=exc.format_message()), err=True)
        return exc.exit_code if exc.exit_code else EXIT_INVALID_INPUT
    except click.exceptions.Abort:
        click.echo(_t("cli.aborted"), err=True)
        return EXIT_INVALID_INPUT
    except Exception as exc:
        code = _exit_code(exc)
        if code == EXIT_INTERNAL:
            click.echo(_t("cli.internal", kind=type(exc).__name__, message=str(exc)), err=True)
            if os.environ.get("EVALKIT_DEBUG"):
                import traceback

                traceback.print_exc()
            else:
                click.echo(_t("cli.internal.debug"), err=True)
        elif isinstance(exc, InputError):  # "Có N lỗi:" heads its own list, no "Lỗi:"
            click.echo(_error_text(exc), err=True)
        else:
            click.echo(_t("cli.error", message=_error_text(exc)), err=True)
        hint = _rule_file_hint(exc)
        if hint:
            click.echo(hint, err=True)
        return code
    if rv is None:
        return EXIT_OK
    return int(rv) if isinstance(rv, int) else EXIT_OK

"""The registry of rule sets: presets shipped with evalkit plus the user's own files."""

from __future__ import annotations

import datetime as _dt
import difflib
import functools
import gzip
import hashlib
import itertools
import json
import re
import sys
import threading
import warnings
from collections.abc import Iterable, Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from evalkit.errors import NoRuleSetError, RuleSetError
from evalkit.messages import Msg, no_set_msg
from evalkit.model import Period, StaffCategory
from evalkit.rules._schema import (
    CITED_BY,
    RuleSet,
    _Collector,
    _say,
    cited,
    load_rule_data,
    loads_rule_text,
    merge_rule_data,
    validate_rule_set,
)

__all__ = ["ALIASES", "Registry", "content_fingerprint", "content_json", "default_registry",
           "earlier_content",
           "from_content_json", "parse_rule_set", "range_problems", "read_rule_file",
           "refuse_shadow", "resolve_extends"]  # fmt: skip

_ONE_DAY = _dt.timedelta(days=1)

#: Preset ids that were renamed: old id → successor. ``get(old)`` still answers, with a
#: DeprecationWarning naming the successor, for one release (issue 19).
ALIASES: Mapping[str, str] = {
    "haiphong.212-2025": "example.tasks-80",
    "vn.quarterly-example": "vn.customs-2026q",
}

_PACKAGE_DIR = str(Path(__file__).resolve().parents[1])


def _caller_stacklevel() -> int:
    """The ``stacklevel`` that points a warning at the first frame outside evalkit."""
    level, frame = 1, sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return level


def _preset_files() -> list[tuple[str, bytes]]:
    root = resources.files("evalkit.rules").joinpath("presets")
    out = []
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            out.append((f"evalkit/rules/presets/{entry.name}", entry.read_bytes()))
    return out


class Registry:
    """A set of rule sets keyed by id, with effective-date look-up.

    Overlapping or gapped effective ranges for the same staff category and jurisdiction
    are errors at registration.

    >>> reg = Registry.with_presets()
    >>> reg.for_period("vien_chuc", "2026-03").id
    'vn.nd90-2020'
    >>> reg.for_period("vien_chuc", "2026-09").id
    'vn.nd233-2026'
    """

    def __init__(self, rule_sets: Iterable[RuleSet] = ()):
        self._sets: dict[str, RuleSet] = {}
        #: each id's file data and the set made from it: the data describes the id only
        #: while that set is the one registered (a set registered over it and then the
        #: first again, as a test that breaks a preset and restores it, finds it again)
        self._data: dict[str, tuple[RuleSet, dict[str, Any]]] = {}
        for rs in rule_sets:
            self.register(rs)

    @classmethod
    def with_presets(cls) -> Registry:
        """A registry holding every preset shipped with evalkit."""
        return cls.from_texts(_preset_files())

    @classmethod
    def from_texts(cls, files: Iterable[tuple[str, bytes]]) -> Registry:
        """A registry holding the rule files ``files`` (name, TOML bytes), a file that
        extends another read after its base: the presets, or an earlier release's."""
        reg = cls()
        pending = [(name, loads_rule_text(raw, source=name)) for name, raw in files]
        while pending:  # a preset that extends another is read after its base, whatever
            bases = {i for _, d in pending if isinstance(i := d.get("id"), str)} - set(reg._sets)
            ready = [x for x in pending  # the order of the file names
                     if not (isinstance(b := x[1].get("extends"), str) and b in bases)] or pending
            for name, raw_data in ready:
                data = resolve_extends(raw_data, source=name, registry=reg)
                reg._add(validate_rule_set(data, source=name), data, replace=False)
            pending = [x for x in pending if all(x is not r for r in ready)]
        return reg

    # ----------------------------------------------------------------- mutation
    def register(self, rule_set: RuleSet, *, replace: bool = False) -> RuleSet:
        """Add ``rule_set``; raise RuleSetError if its id exists or its dates clash."""
        return self._add(rule_set, None, replace=replace)

    def _add(self, rule_set: RuleSet, data: dict[str, Any] | None, *, replace: bool) -> RuleSet:
        held = self._sets.get(rule_set.id)
        if held is not None and not replace and attrs.evolve(rule_set, path=held.path) == held:
            return held  # the same set again (a script or notebook run twice): nothing to do
        if held is not None and not replace:
            raise RuleSetError(_say("foreign.rules.registered", rules=repr(rule_set.id)),
                               source=rule_set.path)
        candidate = dict(self._sets)
        candidate[rule_set.id] = rule_set
        _check_ranges(candidate.values(), new=rule_set)
        self._sets = candidate
        if data is not None:
            self._data[rule_set.id] = (rule_set, data)
        return rule_set

    def load(self, path: str | Path, *, register: bool = True, replace: bool = False) -> RuleSet:
        """Read a TOML rule file, validate it and (by default) register it.

        A file with ``extends = "<id>"`` starts from that set of this registry.
        """
        data = resolve_extends(load_rule_data(path), source=str(path), registry=self)
        rs = validate_rule_set(data, source=str(Path(path)))
        if register:
            return self._add(rs, data, replace=replace)
        refuse_shadow(rs, registry=self)
        return rs

    def shadowed(self, rule_set: RuleSet) -> RuleSet | None:
        """The registered set whose id ``rule_set`` takes with other content (a preset
        copied and changed without a new id), or None: an id names one content.

        >>> reg = Registry.with_presets()
        >>> import attrs
        >>> rs = reg.get("vn.nd335-2025")
        >>> reg.shadowed(attrs.evolve(rs, path="copy.toml")) is None
        True
        >>> reg.shadowed(attrs.evolve(rs, total=90.0)).id
        'vn.nd335-2025'
        """
        found = self._sets.get(rule_set.id)
        if found is None or found is rule_set or same_content(found, rule_set):
            return None
        return found

    def date_problems(self, rule_set: RuleSet) -> list[str]:
        """The clashes of ``rule_set``'s effective ranges with this registry's sets: what
        :meth:`register` would refuse (a registered set of the same id is replaced for the
        test). Empty when it fits.

        >>> Registry.with_presets().date_problems(Registry.with_presets().get("vn.nd335-2025"))
        []
        """
        candidate = dict(self._sets)
        candidate[rule_set.id] = rule_set
        return range_problems(candidate.values(), rule_set)

    def unregister(self, rule_set_id: str) -> None:
        """Remove a rule set."""
        self.get(rule_set_id)
        del self._sets[rule_set_id]
        self._data.pop(rule_set_id, None)

    def rule_data(self, rule_set_id: str) -> dict[str, Any]:
        """The TOML data of a registered set (``extends`` resolved), for a file extending it.

        A set registered as an object is read again from its file (``RuleSet.path``).
        """
        rs = self.get(rule_set_id)
        made, data = self._data.get(rs.id, (None, None))
        if data is None or made != rs:
            if not rs.path or not Path(rs.path).is_file():
                raise RuleSetError(_say("foreign.rules.extends_no_file", rules=repr(rs.id)))
            data = resolve_extends(load_rule_data(rs.path), source=rs.path, registry=self)
        return dict(data)

    # ----------------------------------------------------------------- look-up
    def get(self, rule_set_id: str) -> RuleSet:
        """The rule set ``rule_set_id``.

        A renamed preset's old id (:data:`ALIASES`) gives its successor with a
        DeprecationWarning naming it.
        """
        found = self._sets.get(rule_set_id)
        if found is not None:
            return found
        successor = ALIASES.get(rule_set_id)
        if successor is not None and successor in self._sets:
            warnings.warn(
                f"rule set {rule_set_id!r} was renamed {successor!r}; the old id is deprecated "
                f"and will be removed in the next release: use {successor!r}",
                DeprecationWarning,
                stacklevel=_caller_stacklevel(),
            )
            return self._sets[successor]
        close = difflib.get_close_matches(rule_set_id, list(self._sets), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise NoRuleSetError(f"unknown rule set {rule_set_id!r}{hint}")

    def __iter__(self) -> Iterator[RuleSet]:
        return iter(sorted(self._sets.values(), key=lambda r: r.id))

    def __len__(self) -> int:
        return len(self._sets)

    def __contains__(self, rule_set_id: object) -> bool:
        return rule_set_id in self._sets

    def ids(self) -> list[str]:
        """The registered ids, sorted."""
        return sorted(self._sets)

    def jurisdictions(self) -> list[str]:
        """The jurisdictions the registered sets have, and their parents, sorted: those a
        look-up (:meth:`for_period`) can mean as given.

        >>> Registry.with_presets().jurisdictions()[:3]
        ['example', 'vn', 'vn.customs']
        """
        parts = (rs.jurisdiction.split(".") for rs in self._sets.values())
        return sorted({".".join(p[:i]) for p in parts for i in range(1, len(p) + 1)})

    def for_period(
        self,
        category: StaffCategory | str,
        period: Period | str,
        jurisdiction: str | None = None,
    ) -> RuleSet:
        """The rule set in force for ``category`` on the first day of ``period`` (a year's
        December: :func:`~evalkit.rules.rule_day`).

        ``jurisdiction`` such as ``'vn.hanoi'`` falls back to its parents (``'vn'``)
        when it has no set of its own for the category.
        """
        cat = StaffCategory.parse(category)
        p = Period.parse(period)
        jur = jurisdiction or "vn"
        found = self._in_force(cat, p, jur)
        if found is not None:
            return found
        said = self._no_set_message(cat, p, jur)
        raise NoRuleSetError(str(said), msg=said)

    def _in_force(self, cat: StaffCategory, p: Period, jur: str) -> RuleSet | None:
        """The set for ``cat`` in ``p``: ``jur`` first, then its parents."""
        parts = jur.split(".")
        while parts:
            j = ".".join(parts)
            found = [
                rs
                for rs in self._sets.values()
                if rs.jurisdiction == j and rs.covers(cat, p)
            ]
            if found:
                return found[0]
            parts.pop()
        return None

    def _no_set_message(self, cat: StaffCategory, p: Period, jur: str) -> Msg:
        """Which categories have a set on that date, and how to supply one (issue 14.5):
        a catalogue message (``rules.no_set``), English as ``str()``."""
        have = []
        for other in StaffCategory:
            rs = self._in_force(other, p, jur)
            if rs is not None:
                have.append(f"{other.value} → {rs.id}")
        parts = jur.split(".")
        chain = {".".join(parts[:i]) for i in range(1, len(parts) + 1)}
        elsewhere = sorted(
            f"{rs.id} ({rs.jurisdiction})" for rs in self._sets.values()
            if rs.covers(cat, p) and rs.status != "unsourced"
            and rs.jurisdiction not in chain
        )  # fmt: skip
        return no_set_msg(cat, str(p), jur, p.start.isoformat(), have, elsewhere)


#: What a rule set says in words only (titles, labels, citations, notes, status, which
#: text's words a sentence takes): not part of its content, so a release that rewords a
#: preset's citation keeps archives readable.
_WORDING = re.compile(r"^(title_.*|label_.*|source|source_short|.*_source|note|notes|"
                      r"uncertainties|status|path|shortcomings_pointed_out_by)$")


#: Keys added to the schema after archives stored fingerprints, with the value that grades as
#: before they existed: left out at that value, so a set that does not use them keeps its
#: content (its archived months stay readable) — QĐ 366-QĐ/TW Điều 11 k4's member cases;
#: NĐ 233/2026 Điều 7 k7 b's higher share of units.
_ADDED_OFF: dict[str, object] = {"kht_leadership_duty_disciplined": False,
                                 "kht_leadership_degraded": False,
                                 "kht_socioeconomic_targets_missed": False,
                                 "excellent_share_raised_percent": None}


def _grades(key: Any, value: Any) -> bool:
    """Whether a field of a rule set's data is content (it grades): not wording
    (:data:`_WORDING`) nor a key of :data:`_ADDED_OFF` at its value."""
    return not _WORDING.match(str(key)) and not (key in _ADDED_OFF and value == _ADDED_OFF[key])


def _canonical(rule_set: RuleSet) -> str:
    """The content of ``rule_set`` as canonical JSON: every field that grades
    (:func:`_grades`), keys sorted."""
    def rules_of(x: Any) -> Any:
        if isinstance(x, dict):
            return {k: rules_of(v) for k, v in x.items() if _grades(k, v)}
        return [rules_of(v) for v in x] if isinstance(x, (list, tuple)) else x
    data = rules_of(attrs.asdict(rule_set, recurse=True))
    return json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)


def same_content(a: RuleSet, b: RuleSet) -> bool:
    """Whether two rule sets hold the same rules, whatever their wording (titles,
    citations, notes) and wherever each was read from."""
    return a == b or _canonical(a) == _canonical(b)


def _rule_items(rule_set: RuleSet) -> dict[str, tuple[Any, str]]:
    """Every field of ``rule_set`` that grades (:func:`_grades`; the id aside) by its item
    path — ``bands[HTXS].min``, ``quota.percent``, ``caps[discipline].at_least``: a rule
    of an array by its ``id`` (a band by its grade) — with its value and the citation of
    the rule it belongs to: the source key that cites its field (:func:`cited`: a unit
    rule's own ``*_source``, the quota's raised share ``raised_source``, the management
    component's own else the units', the inspections' own, a cap's, notice's, band's or
    adjustment's own even empty), else the nearest ``source``, else the set's — what the
    sheet's reason for that rule cites."""
    items: dict[str, tuple[Any, str]] = {}

    def plain(v: Any) -> Any:
        if isinstance(v, (list, tuple)):
            return [plain(x) for x in v]
        return getattr(v, "code", None) or (v.isoformat() if isinstance(v, _dt.date) else v)

    def walk(x: Any, path: str, cite: str, obj: Any) -> None:
        if isinstance(x, dict):
            own = x.get("source")
            cite = own if isinstance(own, str) and own else cite
            # a table of several source keys cites each field as its reasons do (an
            # empty source there is no citation, as on the sheet); the set its own few
            table = CITED_BY.get(type(obj).__name__)
            for k, v in x.items():
                if _grades(k, v) and (path or k != "id"):
                    child = getattr(obj, k, None) if attrs.has(type(obj)) else None
                    walk(v, f"{path}.{k}" if path else str(k), cited(obj, k)
                         if table is not None and (path or k in table) else cite, child)
        elif isinstance(x, (list, tuple)) and x and all(isinstance(v, dict) for v in x):
            objs = list(obj) if isinstance(obj, (list, tuple)) else [None] * len(x)
            for i, v in enumerate(x):
                key = next((v[k] for k in ("id", "grade") if v.get(k) is not None), i)
                walk(v, f"{path}[{plain(key)}]", cite, objs[i] if i < len(objs) else None)
        else:
            items[path] = (plain(x), cite)

    walk(attrs.asdict(rule_set, recurse=True), "", rule_set.source, rule_set)
    return items


def rule_changes(old: RuleSet, new: RuleSet) -> list[tuple[str, Any, Any, str]]:
    """What ``new`` changes of ``old``'s rules: ``(item, old value, new value, citation)``
    for every item that grades differently (:func:`content_fingerprint`'s content: the
    wording — titles, labels, citations, notes — and the id are not rules), in ``new``'s
    order then the items it drops; a value a set lacks is None. The citation is ``new``'s
    for the item (``old``'s for an item ``new`` drops): the text an author must cite for
    the change. What ``evalkit rules diff`` and :func:`evalkit.impact.compare_rule_sets`
    list first.

    >>> import attrs
    >>> reg = Registry.with_presets()
    >>> nd335 = reg.get("vn.nd335-2025")
    >>> fewer = attrs.evolve(nd335, quota=attrs.evolve(nd335.quota, percent=15.0,
    ...                                                source="QĐ 12/2026/QĐ-UBND, Điều 5"))
    >>> rule_changes(nd335, fewer)
    [('quota.percent', 20.0, 15.0, 'QĐ 12/2026/QĐ-UBND, Điều 5')]
    """
    before, after = _rule_items(old), _rule_items(new)
    return [(item, before.get(item, (None, ""))[0], after.get(item, (None, ""))[0],
             (after.get(item) or before[item])[1])
            for item in [*after, *(i for i in before if i not in after)]
            if before.get(item, (None,))[0] != after.get(item, (None,))[0]]  # fmt: skip


#: The rule items whose value is a share in per cent (15 for 15 %): every ``*_percent`` key
#: (the quotas', the year's quota, the units' conditions) and the management component's
#: ``full`` and ``reduced`` shares.
_PERCENT_ITEM = re.compile(r"(^|\.)[a-z_]*percent[a-z_]*$|^management\.(full|reduced)$")


def fraction_percents(rule_set: RuleSet) -> list[tuple[str, float]]:
    """The per-cent items of ``rule_set`` whose value lies strictly between 0 and 1, as
    ``(item, value)``: most likely a fraction written for a percentage (``percent = 0.15``
    is read as 0.15 %, not 15 %). Valid values all, so ``evalkit rules check`` warns of
    them rather than refusing the file.

    >>> import attrs
    >>> nd335 = Registry.with_presets().get("vn.nd335-2025")
    >>> fraction_percents(attrs.evolve(nd335, quota=attrs.evolve(nd335.quota, percent=0.15)))
    [('quota.percent', 0.15)]
    >>> fraction_percents(nd335)
    []
    """
    return [(item, float(v)) for item, (v, _cited) in _rule_items(rule_set).items()
            if _PERCENT_ITEM.search(item) and isinstance(v, int | float)
            and not isinstance(v, bool) and 0 < v < 1]  # fmt: skip


def content_fingerprint(rule_set: RuleSet) -> str:
    """A SHA-256 of the set's content (:func:`same_content` sets share it): what an
    archived month keeps of the set it was finalized with.

    >>> reg = Registry.with_presets()
    >>> import attrs
    >>> rs = reg.get("vn.nd335-2025")
    >>> content_fingerprint(rs) == content_fingerprint(attrs.evolve(rs, path="copy.toml"))
    True
    >>> content_fingerprint(rs) == content_fingerprint(attrs.evolve(rs, total=90.0))
    False
    >>> content_fingerprint(rs) == content_fingerprint(attrs.evolve(rs, title_vi="Khác"))
    True
    """
    return hashlib.sha256(_canonical(rule_set).encode("utf-8")).hexdigest()


@functools.cache
def _converter() -> Any:
    """The cattrs converter of a whole rule set (dates as ISO text, grades as codes, the
    score mappings as dicts): made once, on the first rule set kept or rebuilt."""
    import cattrs

    from evalkit.model import Grade, Scores

    conv = cattrs.Converter()
    conv.register_unstructure_hook(_dt.date, lambda d: d.isoformat())
    conv.register_structure_hook(_dt.date, lambda v, _t: _dt.date.fromisoformat(v))
    conv.register_unstructure_hook(Grade, lambda g: g.code)
    conv.register_structure_hook(Grade, lambda v, _t: Grade.parse(v))
    conv.register_unstructure_hook(Scores, dict)
    conv.register_structure_hook(Scores, lambda v, _t: Scores(v))
    return conv


def content_json(rule_set: RuleSet) -> str:
    """The whole of ``rule_set`` as JSON text — every field, its wording and where it was
    read from included, keys sorted — that :func:`from_content_json` rebuilds into an equal
    set (with the same :func:`content_fingerprint`): what the archive keeps of the set
    each month was finalized with, so the month is classified again under it and its
    sheets cite it as then.

    >>> rs = Registry.with_presets().get("vn.nd335-2025")
    >>> from_content_json(content_json(rs)) == rs
    True
    """
    return json.dumps(_converter().unstructure(rule_set, RuleSet), sort_keys=True, ensure_ascii=False)


def from_content_json(text: str) -> RuleSet:
    """The rule set :func:`content_json` wrote (the set's own checks run again: a text
    that is not a rule set raises, as a changed field would)."""
    rule_set: RuleSet = _converter().structure(json.loads(text), RuleSet)
    return rule_set


@functools.cache
def earlier_content(rule_set_id: str, fingerprint: str) -> RuleSet | None:
    """The content preset ``rule_set_id`` had in an earlier release under ``fingerprint``
    (:func:`content_fingerprint` as that release computed it: what an archive month
    finalized before the months kept their sets whole stored), rebuilt from the history
    shipped with evalkit (``presets/history``, written by ``docs/_ext/preset_history.py``);
    None when no release had it (the current content is not in the history).

    >>> earlier_content("vn.nd335-2025", "0" * 64) is None
    True
    """
    if not re.fullmatch(r"[0-9a-f]{64}", fingerprint) or not re.fullmatch(r"[\w.-]+", rule_set_id) \
            or rule_set_id.strip(".") == "":  # fmt: skip
        return None
    entry = resources.files("evalkit.rules").joinpath("presets", "history", rule_set_id,
                                                      f"{fingerprint}.json.gz")
    if not entry.is_file():
        return None
    return from_content_json(gzip.decompress(entry.read_bytes()).decode("utf-8"))


def refuse_shadow(rule_set: RuleSet, *, registry: Registry | None = None,
                  source: str | None = None) -> None:  # fmt: skip
    """Raise :class:`~evalkit.errors.RuleSetError` when ``rule_set`` takes the id of a
    registered set (a preset) with other content: its results and archived months would
    be labelled with the registered set's id and later re-classified under it (audit 16).
    The set must have its own id. The one rule for :func:`evalkit.rules.resolve`, the
    rule-file readers, ``--rules FILE``, ``evalkit rules check`` and the archive."""
    reg = registry if registry is not None else default_registry()
    found = reg.shadowed(rule_set)
    if found is not None:  # a set changed in Python keeps the registered set's path
        own = rule_set.path if rule_set.path != found.path else None
        raise RuleSetError(_say("foreign.rules.id_shadow", rules=repr(rule_set.id)),
                           source=source or own, key="id")  # fmt: skip


def _check_ranges(sets: Iterable[RuleSet], new: RuleSet) -> None:
    problems = range_problems(sets, new)
    if problems:
        raise RuleSetError(problems[0], source=new.path)


def range_problems(sets: Iterable[RuleSet], new: RuleSet) -> list[str]:
    """Every overlap or gap between the effective ranges of ``new`` and ``sets`` (which
    hold ``new``) for a staff category and jurisdiction they share: what registration
    refuses, said without raising (``evalkit rules check`` reports them; audit 7 D6).

    >>> reg = Registry.with_presets()
    >>> import attrs, datetime
    >>> late = attrs.evolve(reg.get("vn.nd335-2025"), id="x.late",
    ...                     effective_from=datetime.date(2026, 7, 1))
    >>> range_problems([*reg, late], late)  # doctest: +NORMALIZE_WHITESPACE
    ["effective ranges overlap for cong_chuc in 'vn': 'vn.nd335-2025' [2026-01-01, open end]
      and 'x.late' from 2026-07-01"]
    """
    out: list[str] = []
    by_key: dict[tuple[str, StaffCategory], list[RuleSet]] = {}
    for rs in sets:
        for cat in rs.categories:
            by_key.setdefault((rs.jurisdiction, cat), []).append(rs)
    for (jur, cat), group in by_key.items():
        if new not in group:
            continue
        group.sort(key=lambda r: r.effective_from)
        for a, b in itertools.pairwise(group):
            a_end = a.end_for(cat)
            if a_end is None or b.effective_from <= a_end:
                end = a_end or "open end"
                out.append(
                    f"effective ranges overlap for {cat.value} in {jur!r}: {a.id!r} "
                    f"[{a.effective_from}, {end}] and {b.id!r} from {b.effective_from}"
                )
            elif b.effective_from - a_end > _ONE_DAY:
                out.append(
                    f"effective ranges leave a gap for {cat.value} in {jur!r}: {a.id!r} ends "
                    f"{a_end}, {b.id!r} starts {b.effective_from}"
                )
    return out


_default: Registry | None = None
_lock = threading.Lock()


def default_registry() -> Registry:
    """The process-wide registry, holding the presets (loaded on first use)."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = Registry.with_presets()
    return _default


# =========================================================================== rule files


def parse_rule_set(
    data: Mapping[str, Any],
    *,
    source: str | None = None,
    strict: bool = True,
    registry: Registry | None = None,
) -> RuleSet:
    """Validate a parsed TOML mapping into a :class:`RuleSet` (all problems at once).

    Raises :class:`~evalkit.errors.RuleSetError` naming the file and key path.
    ``strict=False`` accepts bands with gaps or overlaps and quota percentages outside
    0-100, so that :func:`evalkit.testing.check_rule_set` can report them with a
    counter-example; never score with such a set. A mapping with ``extends`` starts from
    that registered set (``registry``, default the process-wide one): see
    :func:`resolve_extends`.
    """
    if isinstance(data, Mapping) and "extends" in data:
        try:
            data = resolve_extends(data, source=source, registry=registry)
        except RuleSetError as exc:  # a misspelt base: the file's other problems said too,
            _with_likely_base(exc, data, source, strict, registry)  # read against the
            raise  # set it most likely means, so one round fixes them all
    return validate_rule_set(data, source=source, strict=strict)


def _with_likely_base(exc: RuleSetError, data: Mapping[str, Any], source: str | None,
                      strict: bool, registry: Registry | None) -> None:  # fmt: skip
    """Raise ``exc``'s problem with the file's others, read against the registered set
    whose id is closest to the unknown ``extends`` one; return where there is none, or
    the file has no other problem."""
    base = data.get("extends")
    ids = (registry or default_registry()).ids()
    close = difflib.get_close_matches(base, ids, n=1) if isinstance(base, str) else []
    if exc.key != "extends" or not close or base in ids:
        return
    try:
        parse_rule_set({**data, "extends": close[0]}, source=source, strict=strict,
                       registry=registry)  # fmt: skip
    except RuleSetError as more:
        c = _Collector(source)
        for key, msg in [("extends", exc.reason),
                         *(getattr(more, "problems", None) or [(more.key or "", more.reason)])]:
            c.add(key, msg)
        c.raise_if_any()


def read_rule_file(
    path: str | Path, *, strict: bool = True, registry: Registry | None = None
) -> RuleSet:
    """Read and validate one TOML rule file (``strict``: see :func:`parse_rule_set`).

    A file that takes a registered set's id with other content (a preset copied and
    changed without a new id) is refused (:func:`refuse_shadow`).

    A file with ``extends = "<id>"`` starts from that set of ``registry`` (default the
    process-wide registry) and overrides what it gives (:func:`resolve_extends`).
    """
    data = load_rule_data(path)
    rs = parse_rule_set(data, source=str(Path(path)), strict=strict, registry=registry)
    if strict:  # a lenient read (``rules check``'s report) keeps going, as for bands
        refuse_shadow(rs, registry=registry)
    return rs


def resolve_extends(
    data: Mapping[str, Any], *, source: str | None = None, registry: Registry | None = None
) -> dict[str, Any]:
    """The complete mapping of a rule file that says ``extends = "<rule set id>"``.

    The file starts from the registered set's data (itself resolved, so chains work) and
    overrides it with :func:`merge_rule_data`. The file must give its own ``id``, different
    from the one it extends; everything else (dates, categories, bands ...) is inherited
    unless given, and the result is validated as a whole, dates included. A mapping
    without ``extends`` is returned as it is.

    >>> data = resolve_extends({"extends": "vn.nd335-2025", "id": "mau.agency-2026",
    ...                         "classified": ["month", "year"],
    ...                         "quota": {"periods": ["month", "year"]}})
    >>> data["id"], data["classified"], data["quota"]["percent"], data["quota"]["periods"]
    ('mau.agency-2026', ['month', 'year'], 20, ['month', 'year'])
    """
    if "extends" not in data:
        return dict(data)
    base_id = data["extends"]
    if not isinstance(base_id, str) or not base_id.strip():
        raise RuleSetError(_say("foreign.rules.extends_id", value=repr(base_id)),
                           source=source, key="extends")  # fmt: skip
    own_id = data.get("id")
    if not isinstance(own_id, str) or not own_id.strip():
        raise RuleSetError(_say("foreign.rules.extends_own_id"), source=source, key="id")
    if own_id == base_id:  # itself: a cycle, said as such before any look-up
        raise RuleSetError(_say("foreign.rules.extends_same_id", value=repr(own_id)),
                           source=source, key="id")  # fmt: skip
    if registry is None:
        registry = default_registry()
    try:
        base = registry.rule_data(base_id)
    except RuleSetError as exc:
        raise RuleSetError(_say("foreign.rules.extends", text=exc.reason), source=source,
                           key="extends") from None
    except LookupError as exc:  # NoRuleSetError: unknown id, with a suggestion
        raise RuleSetError(_say("foreign.rules.extends", text=exc), source=source,
                           key="extends") from None
    if own_id == base.get("id"):  # an old id resolved to its successor
        raise RuleSetError(_say("foreign.rules.extends_same_id", value=repr(own_id)),
                           source=source, key="id")  # fmt: skip
    override = {k: v for k, v in data.items() if k != "extends"}
    # the set's name is its own: a file naming itself in Vietnamese is not called by its
    # base's English name (its English title falls back to its Vietnamese one)
    if "title_vi" in override and "title_en" not in override:
        base = {k: v for k, v in base.items() if k != "title_en"}
    return merge_rule_data(base, override)

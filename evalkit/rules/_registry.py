"""The registry of rule sets: presets shipped with evalkit plus the user's own files."""

from __future__ import annotations

import datetime as _dt
import difflib
import itertools
import threading
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

from evalkit.errors import NoRuleSetError, RuleSetError
from evalkit.model import Period, StaffCategory
from evalkit.rules._schema import RuleSet, parse_rule_set, read_rule_file

__all__ = ["Registry", "default_registry"]

_ONE_DAY = _dt.timedelta(days=1)


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
        for rs in rule_sets:
            self.register(rs)

    @classmethod
    def with_presets(cls) -> Registry:
        """A registry holding every preset shipped with evalkit."""
        import tomllib

        reg = cls()
        for name, raw in _preset_files():
            reg.register(parse_rule_set(tomllib.loads(raw.decode("utf-8")), source=name))
        return reg

    # ----------------------------------------------------------------- mutation
    def register(self, rule_set: RuleSet, *, replace: bool = False) -> RuleSet:
        """Add ``rule_set``; raise RuleSetError if its id exists or its dates clash."""
        if rule_set.id in self._sets and not replace:
            raise RuleSetError(
                f"a rule set with id {rule_set.id!r} is already registered", source=rule_set.path
            )
        candidate = dict(self._sets)
        candidate[rule_set.id] = rule_set
        _check_ranges(candidate.values(), new=rule_set)
        self._sets = candidate
        return rule_set

    def load(self, path: str | Path, *, register: bool = True, replace: bool = False) -> RuleSet:
        """Read a TOML rule file, validate it and (by default) register it."""
        rs = read_rule_file(path)
        return self.register(rs, replace=replace) if register else rs

    def unregister(self, rule_set_id: str) -> None:
        """Remove a rule set."""
        self.get(rule_set_id)
        del self._sets[rule_set_id]

    # ----------------------------------------------------------------- look-up
    def get(self, rule_set_id: str) -> RuleSet:
        """The rule set ``rule_set_id``."""
        try:
            return self._sets[rule_set_id]
        except KeyError:
            close = difflib.get_close_matches(rule_set_id, list(self._sets), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise NoRuleSetError(f"unknown rule set {rule_set_id!r}{hint}") from None

    def __iter__(self) -> Iterator[RuleSet]:
        return iter(sorted(self._sets.values(), key=lambda r: r.id))

    def __len__(self) -> int:
        return len(self._sets)

    def __contains__(self, rule_set_id: object) -> bool:
        return rule_set_id in self._sets

    def ids(self) -> list[str]:
        """The registered ids, sorted."""
        return sorted(self._sets)

    def for_period(
        self,
        category: StaffCategory | str,
        period: Period | str,
        jurisdiction: str | None = None,
    ) -> RuleSet:
        """The rule set in force for ``category`` on the first day of ``period``.

        ``jurisdiction`` such as ``'vn.hanoi'`` falls back to its parents (``'vn'``)
        when it has no set of its own for the category.
        """
        cat = StaffCategory.parse(category)
        p = Period.parse(period)
        jur = jurisdiction or "vn"
        parts = jur.split(".")
        while parts:
            j = ".".join(parts)
            found = [
                rs
                for rs in self._sets.values()
                if rs.jurisdiction == j and cat in rs.categories and rs.in_force(p)
            ]
            if found:
                return found[0]
            parts.pop()
        raise NoRuleSetError(
            f"no rule set is in force for {cat.value} in {p} (jurisdiction {jur!r}); "
            f"registered: {', '.join(self.ids()) or 'none'}"
        )


def _check_ranges(sets: Iterable[RuleSet], new: RuleSet) -> None:
    by_key: dict[tuple[str, StaffCategory], list[RuleSet]] = {}
    for rs in sets:
        for cat in rs.categories:
            by_key.setdefault((rs.jurisdiction, cat), []).append(rs)
    for (jur, cat), group in by_key.items():
        if new not in group:
            continue
        group.sort(key=lambda r: r.effective_from)
        for a, b in itertools.pairwise(group):
            if a.effective_to is None or b.effective_from <= a.effective_to:
                end = a.effective_to or "open end"
                raise RuleSetError(
                    f"effective ranges overlap for {cat.value} in {jur!r}: {a.id!r} "
                    f"[{a.effective_from}, {end}] and {b.id!r} from {b.effective_from}",
                    source=new.path,
                )
            if b.effective_from - a.effective_to > _ONE_DAY:
                raise RuleSetError(
                    f"effective ranges leave a gap for {cat.value} in {jur!r}: {a.id!r} ends "
                    f"{a.effective_to}, {b.id!r} starts {b.effective_from}",
                    source=new.path,
                )


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

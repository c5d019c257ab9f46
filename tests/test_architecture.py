"""The package's layers, checked on its imports (issue 13 item 6).

Data flows one way: model → rules → scoring → engine (``_classify``) → units / reasons →
io and render (siblings) → workflow → cli. ``io`` reads and writes (it never imports
``render`` nor the engine); ``render`` formats (it never scores). Nobody imports another
subpackage's ``_private`` module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "evalkit"


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _absolute(node: ast.ImportFrom, package: str) -> str:
    """The module a ``from … import`` names, a relative one resolved from ``package``."""
    if not node.level:
        return node.module or ""
    base = package.split(".")
    base = base[: len(base) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def _imports() -> dict[str, set[str]]:
    """Every evalkit module and the evalkit modules it imports (at any depth of the file)."""
    out: dict[str, set[str]] = {}
    for path in sorted(ROOT.rglob("*.py")):
        name = _module_name(path)
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.startswith("evalkit")}
            elif isinstance(node, ast.ImportFrom):
                mod = _absolute(node, package)
                if not mod.startswith("evalkit"):
                    continue
                found.add(mod)
                # "from evalkit.rules import _registry" imports a module too
                found |= {f"{mod}.{a.name}" for a in node.names if a.name.startswith("_")
                          and (ROOT.parent / f"{mod}.{a.name}".replace(".", "/")).with_suffix(
                              ".py").exists()}  # fmt: skip
        out[name] = found
    return out


IMPORTS = _imports()


def _private_owner(target: str) -> str | None:
    """The package whose private module ``target`` is (None when it is not private)."""
    parts = target.split(".")
    for i, part in enumerate(parts):
        if part.startswith("_") and not part.startswith("__"):
            return ".".join(parts[:i])
    return None


def test_nobody_imports_another_subpackages_private_module() -> None:
    """A ``_private`` module is imported only from inside the package that owns it."""
    bad = []
    for mod, targets in IMPORTS.items():
        for t in targets:
            owner = _private_owner(t)
            if owner is None or owner == "evalkit":
                continue  # public, or a private module of the root package (shared helpers)
            if mod != owner and not mod.startswith(owner + "."):
                bad.append(f"{mod} imports {t}")
    assert bad == []


def _private_names() -> set[tuple[str, str]]:
    """Every ``from <public evalkit module> import _name`` (``_name`` not a module): the
    importing module and ``module._name``."""
    out: set[tuple[str, str]] = set()
    for path in sorted(ROOT.rglob("*.py")):
        name = _module_name(path)
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            mod = _absolute(node, package)
            if not mod.startswith("evalkit") or _private_owner(mod) is not None:
                continue  # a private module's names: the test above
            out |= {(name, f"{mod}.{a.name}") for a in node.names
                    if a.name.startswith("_") and not a.name.startswith("__")
                    and not (ROOT.parent / f"{mod}.{a.name}".replace(".", "/")).with_suffix(
                        ".py").exists()}  # fmt: skip
    return out


def _package_of(module: str) -> str:
    is_package = (ROOT.parent / module.replace(".", "/") / "__init__.py").exists()
    return module if is_package else module.rsplit(".", 1)[0]


def test_nobody_takes_another_packages_private_name() -> None:
    """A ``_name`` of a public module is taken only by the modules of its own package: a
    helper two packages share has one public home (``render`` imports no ``_name`` of
    :mod:`evalkit.units`; a frame's rows are :func:`evalkit._tables.records`)."""
    found = {(m, t) for m, t in _private_names()
             if _package_of(m) != _package_of(t.rsplit(".", 1)[0])}
    assert sorted(found) == []


#: The one place io reaches the engine, and why: an amendment to a finalized month must be
#: re-derived inside the archive's write transaction, and the archive's year is the
#: engine's annual classification (issue 13 item 5). It calls the public face only.
IO_ENGINE_EXCEPTIONS = {("evalkit.io.archive", "evalkit.units")}


def test_io_never_imports_render_nor_the_engine() -> None:
    """``io`` reads and writes: no ``io → render`` arrow, no classification inside io
    (beyond the archive's documented call of the public engine)."""
    bad = [f"{m} imports {t}" for m, targets in IMPORTS.items() if m.startswith("evalkit.io")
           for t in targets if t.startswith(("evalkit.render", "evalkit._classify",
                                             "evalkit.units", "evalkit.workflow",
                                             "evalkit.cli", "evalkit.demo"))
           and (m, t) not in IO_ENGINE_EXCEPTIONS]  # fmt: skip
    assert bad == []


def test_render_never_scores_or_classifies() -> None:
    """``render`` formats results; it imports neither the scoring kernel nor the engine."""
    bad = [f"{m} imports {t}" for m, targets in IMPORTS.items() if m.startswith("evalkit.render")
           for t in targets if t.startswith(("evalkit.scoring", "evalkit._kernels",
                                             "evalkit._classify", "evalkit.io",
                                             "evalkit.workflow", "evalkit.cli"))]  # fmt: skip
    assert bad == []


@pytest.mark.parametrize(
    ("lower", "upper"),
    [
        ("evalkit.model", "evalkit.rules"),
        ("evalkit.rules", "evalkit.scoring"),
        ("evalkit.scoring", "evalkit._classify"),
        ("evalkit._classify", "evalkit.units"),
        ("evalkit.units", "evalkit.io"),
        ("evalkit.reasons", "evalkit.render"),
    ],
)
def test_lower_layers_never_import_upper_ones(lower: str, upper: str) -> None:
    """Data flows one way: nothing in ``lower`` imports ``upper``."""
    bad = [f"{m} imports {t}" for m, targets in IMPORTS.items()
           if m == lower or m.startswith(lower + ".")
           for t in targets if t == upper or t.startswith(upper + ".")]  # fmt: skip
    assert bad == []


def _cycle(deps: dict[str, set[str]]) -> list[str] | None:
    """A cycle of ``deps`` (module -> modules it imports), or None. A package importing
    its own submodules (``__init__`` handing names on) is not a cycle."""
    seen: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        seen[n] = 1
        stack.append(n)
        for d in sorted(deps.get(n, ())):
            if d.startswith(n + "."):
                continue
            if seen.get(d) == 1:
                return [*stack[stack.index(d):], d]
            if d not in seen:
                found = visit(d)
                if found:
                    return found
        stack.pop()
        seen[n] = 2
        return None

    for n in sorted(deps):
        if n not in seen:
            cycle = visit(n)
            if cycle:
                return cycle
    return None


def test_there_is_no_import_cycle_even_through_lazy_imports() -> None:
    """Every import, at any depth of a file (a lazy import inside a function included),
    forms no cycle: the rule files' ``extends`` lives with the registry it reads, not in
    the schema the registry reads."""
    deps = {m: {t for t in targets if t in IMPORTS and t != m} for m, targets in IMPORTS.items()}
    cycle = _cycle(deps)
    assert cycle is None, " -> ".join(cycle or [])


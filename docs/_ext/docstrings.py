"""Griffe extension for the docs site: render evalkit's reST-flavoured docstrings as Markdown.

evalkit's docstrings are written for ``help()`` and doctest: ``>>>`` examples, reST
roles such as :class:`~evalkit.errors.ScoreError` and ``text::`` literal blocks.
mkdocstrings renders docstrings as Markdown, where ``>>>`` would become nested block
quotes. This extension rewrites each docstring before rendering:

- a doctest block (a paragraph whose first line starts with ``>>>``) becomes a fenced
  ``pycon`` code block;
- a reST role becomes an optional cross-reference (a link when the target is on the
  site, plain code otherwise, never a warning);
- a paragraph ending in ``::`` ends in ``:`` (its indented block is a Markdown code block);
- an attrs class (whose ``__init__`` static analysis cannot see) gets the signature
  attrs generates, read from ``attrs.fields`` of the imported class.

It is loaded by ``mkdocs.yml`` (``extensions`` of the python handler) and is not part of
the evalkit package.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

import attrs
import griffe

_ROLE = re.compile(r":(?:py:)?(?:class|func|meth|attr|data|mod|exc|obj|const):`(~?)([^`<>]+)`")


def _role(match: re.Match[str]) -> str:
    short, target = match.group(1), match.group(2).strip()
    shown = target.rsplit(".", 1)[-1] if short else target
    if "." not in target:  # a relative name such as `reasons`: plain code
        return f"`{shown}`"
    return f'<autoref identifier="{target}" optional><code>{shown}</code></autoref>'


def rewrite(text: str) -> str:
    """Return ``text`` with doctest blocks fenced, reST roles linked and ``::`` shortened."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    in_fence = False
    while i < len(lines):
        line = lines[i]
        stripped = line.lstrip()
        if stripped.startswith("```"):
            in_fence = not in_fence
        if not in_fence and stripped.startswith(">>>"):
            indent = line[: len(line) - len(stripped)]
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i][len(indent) :] if lines[i].startswith(indent) else lines[i])
                i += 1
            out.append(f"{indent}```pycon")
            out.extend(f"{indent}{b}" for b in block)
            out.append(f"{indent}```")
            continue
        if not in_fence:
            line = _ROLE.sub(_role, line)
            if line.rstrip().endswith("::") and line.strip() != "::":
                line = line.rstrip()[:-1]
        out.append(line)
        i += 1
    return "\n".join(out)


class DocstringsAsMarkdown(griffe.Extension):
    """Rewrite every docstring with :func:`rewrite` as griffe loads it."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        """Rewrite the docstring of ``obj``, if it has one."""
        if obj.docstring is not None:
            obj.docstring.value = rewrite(obj.docstring.value)

    def on_class_members(self, *, cls: griffe.Class, **kwargs: Any) -> None:
        """Give an attrs class the ``__init__`` signature attrs generates for it."""
        if "__init__" in cls.members or not any(
            str(d.value).startswith(("attrs.", "attr.")) for d in cls.decorators
        ):
            return
        try:
            runtime = getattr(importlib.import_module(cls.module.path), cls.name)
            fields = attrs.fields(runtime)
        except (ImportError, AttributeError, TypeError, attrs.exceptions.NotAnAttrsClassError):
            return
        params = [griffe.Parameter("self", kind=griffe.ParameterKind.positional_or_keyword)]
        for f in fields:
            if not f.init:
                continue
            if f.default is attrs.NOTHING:
                default = None
            elif isinstance(f.default, attrs.Factory):  # type: ignore[arg-type]
                default = f"{getattr(f.default.factory, '__name__', 'factory')}()"
            else:
                default = repr(f.default)
            kind = (
                griffe.ParameterKind.keyword_only
                if f.kw_only
                else griffe.ParameterKind.positional_or_keyword
            )
            annotation = f.type if isinstance(f.type, str) or f.type is None else f.type.__name__
            params.append(
                griffe.Parameter(
                    f.alias or f.name, annotation=annotation, kind=kind, default=default
                )
            )
        init = griffe.Function(
            "__init__",
            parameters=griffe.Parameters(*params),
            returns="None",
            lineno=cls.lineno,
            endlineno=cls.lineno,
        )
        cls.set_member("__init__", init)

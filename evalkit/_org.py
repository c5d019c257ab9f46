"""Who answers to whom: each person's effective manager, and the loops those links form.

One rule, followed by every door that needs it — the engine (:func:`evalkit.classify_frame`,
which counts a leader's management component over the people under them), the workbook's
checks (:func:`evalkit.io.workbook.read_month`) and :class:`evalkit.model.Organisation` —
so an organisation one of them accepts, the others accept too.

A person's effective manager (người quản lý trực tiếp) is their ``manager_id`` where it is
typed; otherwise the head of their unit; for that head, the head of the parent unit. Who
scores whom is in no verified text (domain brief §4.1: "who scores whom at each level" is
not verified, so no article is cited): the default is evalkit's convention, documented in
docs/units.md, and a typed ``manager_id`` always wins.

Everything works on integer rows (``-1`` = none): a few array lookups for the links, and
for the loops a pointer-doubling pass (``log2 n`` array steps) — never a loop over rows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

__all__ = ["effective_managers", "loops", "manager_links"]


def effective_managers(unit: IntArray, head: IntArray, parent: IntArray,
                       typed: IntArray | None = None, given: BoolArray | None = None) -> IntArray:
    """Each staff row's effective manager, as a row (-1: none).

    ``unit`` is each staff row's unit row (-1: none); ``head`` each unit row's head, as a
    staff row (-1: none, or not among the rows); ``parent`` each unit row's parent unit row
    (-1: a root). ``typed`` is each staff row's typed manager as a row (-1: not among the
    rows), used where ``given`` and among the rows. Otherwise — nothing typed, or a typed
    manager with no row in the period (absent that month): the head of the person's unit;
    for that head, the head of the parent unit; a unit with no head among the rows is led
    by the nearest head above it. A person is never left under no one: the head of a unit
    leads all of it, sub-units included, so a leader's area (NĐ 335/2025 Điều 15) keeps them.

    >>> import numpy as np
    >>> # rows 0 (head of unit 0), 1 (member of unit 0), 2 (head of unit 1, below unit 0)
    >>> effective_managers(np.array([0, 0, 1]), np.array([0, 2]), np.array([-1, 0])).tolist()
    [-1, 0, 0]
    >>> effective_managers(np.array([0, 0, 1]), np.array([0, 2]), np.array([-1, 0]),
    ...                    typed=np.array([1, -1, -1]), given=np.array([True, False, False])
    ...                    ).tolist()
    [1, 0, 0]
    """
    # one -1 appended: a row or unit without one (-1) looks up "none" without a mask
    head, parent = (np.append(np.asarray(a, dtype=np.int64), -1) for a in (head, parent))
    # each unit's leader: its head, else (none, or absent) the nearest head above it, who
    # leads the sub-unit too — one step per level of the unit tree (bounded: a unit loop)
    lead, up = head.copy(), parent.copy()
    for _ in range(lead.size):
        miss = np.flatnonzero((lead < 0) & (up >= 0))
        if not miss.size:
            break
        lead[miss], up[miss] = head[up[miss]], parent[up[miss]]
    own = lead[unit]
    up_head = lead[parent[unit]]
    is_head = own == np.arange(unit.shape[0])
    mgr: IntArray = np.where(is_head, up_head, own)
    # never by default their own manager (a unit its own parent, refused elsewhere)
    mgr[is_head & (up_head == own)] = -1  # a head: own is the row itself
    if typed is not None and given is not None:
        mgr = np.where(given & (typed >= 0), typed, mgr)
    return mgr


def manager_links(staff_id: Any, unit_id: Any, manager_id: Any,
                  units: pd.DataFrame) -> tuple[IntArray, BoolArray]:  # fmt: skip
    """:func:`effective_managers` of one period's people given by their ids, and where the
    link was typed.

    ``staff_id``, ``unit_id`` and ``manager_id`` (``unit_id`` None: no such column) hold
    one value per person (blank: None or NaN); ``units`` has ``unit_id`` and optionally
    ``parent_id`` and ``head_id``. Ids are compared as they are; an id listed twice (a
    problem reported elsewhere) is looked up at its first row.

    >>> import pandas as pd
    >>> units = pd.DataFrame({"unit_id": ["U"], "head_id": ["H"]})
    >>> mgr, typed = manager_links(["H", "M"], ["U", "U"], ["M", None], units)
    >>> mgr.tolist(), typed.tolist()
    ([1, 0], [True, False])
    """
    people, uids = _objects(staff_id), _objects(units.get("unit_id", []))
    given: BoolArray = pd.notna(_objects(manager_id))
    unit = _rows(uids, [None] * len(people) if unit_id is None else unit_id)
    head = _rows(people, units.get("head_id", [None] * len(uids)))
    parent = _rows(uids, units.get("parent_id", [None] * len(uids)))
    return effective_managers(unit, head, parent, _rows(people, manager_id), given), given


def _objects(values: Any) -> npt.NDArray[np.object_]:
    return pd.Series(values, dtype=object, copy=False).to_numpy(dtype=object)


def _rows(ids: npt.NDArray[np.object_], values: Any) -> IntArray:
    """The row of each of ``values`` at its first occurrence in ``ids`` (-1: blank or
    absent; a blank id is no one's)."""
    first = pd.Series(ids, dtype=object).drop_duplicates().dropna()  # each id at its first row
    at = pd.Index(first, dtype=object).get_indexer(pd.Index(_objects(values), dtype=object))
    out: IntArray = np.append(first.index.to_numpy(np.int64), -1)[at]
    return out  # -1 (absent) takes the -1 appended


def loops(links: IntArray) -> list[IntArray]:
    """Every loop of ``links`` (row -> row, -1: none) once, as rows: in the order of the
    first row whose chain leads into it, each starting where that chain enters it — the
    order :func:`evalkit.model.rings` gives, walking the rows in order.

    Vectorised: the rows on a loop are found by pointer doubling (``log2 n`` steps of
    ``links`` composed with itself), each loop is named by its smallest row the same way;
    only the rows of the loops found are walked one by one, to list them.

    >>> import numpy as np
    >>> [x.tolist() for x in loops(np.array([3, 2, 1, 2, 5, 4]))]  # 0 -> 3 -> 2 -> 1 -> 2
    [[2, 1], [4, 5]]
    >>> loops(np.array([-1, 0, 1]))
    []
    """
    n = links.shape[0]
    steps = max((n - 1).bit_length(), 1)
    far = links.copy()  # links applied 2**k times: every chain that does not end is on a loop
    for _ in range(steps):
        far = np.where(far >= 0, far[np.maximum(far, 0)], -1)
    on = np.bincount(far[far >= 0], minlength=n) > 0
    if not on.any():
        return []
    # each loop's name: its smallest row (the rows of a loop map onto one another)
    name = np.where(on, np.arange(n), n)
    step = np.where(on, links, np.arange(n))
    for _ in range(steps):
        name = np.minimum(name, name[step])
        step = step[step]
    basin = np.where(far >= 0, name[np.maximum(far, 0)], -1)
    # the first row leading into each loop, in row order
    cur = np.flatnonzero((basin >= 0) & ~pd.Series(basin).duplicated().to_numpy())
    while not on[cur].all():  # follow each first chain to where it enters its loop
        cur = np.where(on[cur], cur, links[cur])
    out: list[IntArray] = []
    for entry in cur.tolist():  # each loop walked from its entry back to it
        ring = [entry]
        while (nxt := int(links[ring[-1]])) != entry:
            ring.append(nxt)
        out.append(np.array(ring, dtype=np.int64))
    return out

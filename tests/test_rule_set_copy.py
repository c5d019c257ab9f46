"""A rule set in a frame's ``attrs`` is carried, not copied (issue 13, the archive's annual).

pandas deep-copies ``attrs`` on every operation; a frame carrying its rule sets
(``attrs["rule_sets"]``: the archive's kept sets, classify_frame's results) copied each set's
whole content at every column read — 0.8 s of an annual of 7,500 staff
(`benchmarks/bench_archive.py`). A RuleSet is frozen: the copy is the set itself.
"""

from __future__ import annotations

import copy

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

import evalkit.rules


@given(st.sampled_from(sorted(evalkit.rules.default_registry().ids())))
def test_a_frames_rule_set_survives_pandas_operations_as_the_same_set(rid: str) -> None:
    rs = evalkit.rules.get(rid)
    assert copy.deepcopy(rs) is rs and copy.deepcopy({"s": [rs]})["s"][0] is rs
    frame = pd.DataFrame({"a": [1, 2], "b": [3.0, 4.0]})
    frame.attrs["rule_sets"] = {rid: rs}
    for out in (frame[["a"]], frame.assign(c=1), frame.iloc[:1], frame.copy(deep=True)):
        assert out.attrs["rule_sets"][rid] is rs
        assert evalkit.rules.content_fingerprint(out.attrs["rule_sets"][rid]) == \
            evalkit.rules.content_fingerprint(rs)

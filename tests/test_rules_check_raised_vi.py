"""`evalkit rules check` in Vietnamese says an invariant that raised an InputError without
English: the head "3 problems in the input:" was left in English inside "lỗi InputError: …"
(audit 14). The failure's text is the one evalkit.testing writes (``raised {kind}: {exc}``)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from evalkit import cli
from evalkit.errors import InputError, InputProblem
from evalkit.messages import CATALOGUE
from tests.test_rules_check_vi import _lang, english_words

KPI = CATALOGUE["foreign.input.management_only"][1]


def _raised(n: int) -> str:
    problems = [InputProblem(KPI, row=i, column="ket_qua_linh_vuc", value=0.0, staff_id=f"S{i:03d}")
                for i in range(n)]  # fmt: skip
    exc = InputError(problems)
    return f"raised {type(exc).__name__}: {exc}"


@given(st.integers(1, 60))
def test_an_input_error_inside_a_failed_check_is_said_in_vietnamese(n: int) -> None:
    text = _raised(n)
    with _lang("vi"):
        said = cli._rule_problem(text)
    head = said.split("\n", 1)[0]
    assert head == f"lỗi InputError: {n} lỗi trong dữ liệu đầu vào:"
    assert not english_words(said.replace("InputError", "")), said
    with _lang("en"):
        assert cli._rule_problem(text) == text

"""Comparing full-precision output across machines (docs/NUMERICS.md).

+, −, ×, ÷ and max are exact per operation and the engine does them in a fixed order, so a ReLU/linear
network's numbers are the same bits everywhere; e^x (σ) and tanh come from NumPy's SIMD loops or the C
library, which may differ in the last bit or two from one CPU to another. So a test that pins a text with
σ or tanh in it compares the text character for character except each number's digits, and the numbers
within REL (≈ 4500 units in the last place: a few steps of training spread a 1-ulp difference, never to
the 12th digit).
"""

from __future__ import annotations

import json
import math
import re

REL = 1e-12  # relative tolerance on a number that went through e^x or tanh
ABS = 1e-15  # and an absolute floor, for values that cancel to about 0 (an error ŷ − y near 0)
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def close(a: float, b: float, rel: float = REL, abs_: float = ABS) -> bool:
    """a and b agree within `rel` of the larger (and `abs_`), NaN with NaN, inf with the same inf."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b or abs(a - b) <= max(rel * max(abs(a), abs(b)), abs_)


def assert_same_text(text: str, reference: str, rel: float = REL) -> None:
    """`text` is `reference` character for character, but for the digits of its numbers, which agree within `rel`."""
    assert NUMBER.sub("#", text) == NUMBER.sub("#", reference), "the text differs from the reference beyond its numbers"
    for got, want in zip(NUMBER.findall(text), NUMBER.findall(reference)):
        assert close(float(got), float(want), rel), f"{got} differs from the reference's {want} beyond rel {rel}"


def assert_same_json(text: str, reference: str, rel: float = REL) -> None:
    """As assert_same_text, and the parsed documents agree: same keys in the same order, same types."""
    assert_same_text(text, reference, rel)

    def walk(a: object, b: object, where: str) -> None:
        assert type(a) is type(b), f"{where}: {type(a).__name__} against {type(b).__name__}"
        if isinstance(a, dict):
            assert list(a) == list(b), where  # type: ignore[arg-type]
            for k in a:
                walk(a[k], b[k], f"{where}.{k}")  # type: ignore[index]
        elif isinstance(a, list):
            assert len(a) == len(b), where  # type: ignore[arg-type]
            for i, (x, y) in enumerate(zip(a, b)):  # type: ignore[call-overload]
                walk(x, y, f"{where}[{i}]")
        elif isinstance(a, float):
            assert close(a, b, rel), f"{where}: {a} against {b}"  # type: ignore[arg-type]
        else:
            assert a == b, f"{where}: {a!r} against {b!r}"

    walk(json.loads(text), json.loads(reference), "$")

"""The example gallery: every autograd example of the tutorials, plus a few classics.

``EXAMPLES`` maps a key (used in share links: ``?example=<key>``) to an
:class:`Example`. Programs are stored as text files in ``gallery/``:
``<key>.zh.txt`` is a tutorial's cell as the tutorial has it (Chinese
comments), ``<key>.txt`` the same code with its comments (and printed words)
in English, line for line; an example without Chinese has one file for both
languages. Titles live in the translation table under ``example.<key>``.
Adding an example is one file (or two) and one entry here; the tests pick it up.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from importlib import resources


def _read(name: str) -> str | None:
    path = resources.files("autodiff_viz.explorer").joinpath(f"gallery/{name}")
    return path.read_text("utf-8") if path.is_file() else None


@dataclass(frozen=True)
class Example:
    """One program of the gallery, in the interface's language (see :meth:`text`)."""

    key: str
    tutorial: str | None  # the tutorial it comes from, "000".."004"; None for a classic
    topics: tuple[str, ...] = ()

    @cached_property
    def _texts(self) -> dict[str, str]:
        english = _read(f"{self.key}.txt")
        if english is None:
            raise FileNotFoundError(f"gallery/{self.key}.txt")
        return {"en": english, "zh": _read(f"{self.key}.zh.txt") or english}

    def text(self, lang: str) -> str:
        """The program with its comments in ``lang`` ("en" or "zh"); the code is the same."""
        return self._texts["zh" if lang == "zh" else "en"]

    @property
    def source(self) -> str:
        """The program as its tutorial has it: the Chinese text where there is one."""
        return self._texts["zh"]

    def translated(self, lang: str) -> bool:
        """Whether :meth:`text` in ``lang`` has comments other than the tutorial's own."""
        return self.text(lang) != self.source

    def is_text(self, source: str) -> bool:
        """Whether ``source`` is this example, unedited, in either language."""
        return source in self._texts.values()

    @property
    def title_key(self) -> str:
        return f"example.{self.key}"


_ALL = (
    Example("t0_scalar", "000", ("backward",)),
    Example("t0_nonscalar", "000", ("backward", "gradient")),
    Example("t0_nonscalar_sum", "000", ("backward", "gradient")),
    Example("t0_second_derivative", "000", ("autograd.grad", "create_graph")),
    Example("t0_several_outputs", "000", ("autograd.grad",)),
    Example("t0_sgd_minimum", "000", ("optim", "loop")),
    Example("t1_retain_grad", "001", ("retain_grad", "non-leaf")),
    Example("t1_accumulate", "001", ("accumulation", "zero_")),
    Example("t1_nonscalar_sum", "001", ("backward", "gradient")),
    Example("t1_detach", "001", ("detach",)),
    Example("t1_control_flow", "001", ("control flow",)),
    Example("t1_no_grad", "001", ("no_grad",)),
    Example("t1_data", "001", (".data",)),
    Example("t2_mean", "002", ("mean",)),
    Example("t2_chain_mean", "002", ("mean", "chain rule")),
    Example("t2_sum", "002", ("sum",)),
    Example("t2_scalar_and_tensor", "002", ("broadcast",)),
    Example("t2_two_tensors", "002", ("mean",)),
    Example("t3_first_order", "003", ("backward",)),
    Example("t3_second_order", "003", ("create_graph",)),
    Example("t3_dot_bias", "003", ("dot",)),
    Example("t3_linear_regression", "003", ("nn.Linear", "MSELoss", "optim")),
    Example("t4_dot", "004", ("backward",)),
    Example("t4_vjp", "004", ("gradient", "Jacobian")),
    Example("t4_detach", "004", ("detach",)),
    Example("t4_control_flow_matrix", "004", ("control flow", "gradient")),
    Example("t4_sin_derivative", "004", ("gradient",)),
    Example("why_4x", None, ("chain rule", "accumulation")),
    Example("custom_function", None, ("autograd.Function", "backward")),
    Example("micrograd", None, ("classic",)),
    Example("neuron", None, ("classic", "sigmoid")),
    Example("linear_mse", None, ("nn.Linear", "MSELoss")),
    Example("cube_second", None, ("create_graph",)),
)

EXAMPLES: dict[str, Example] = {example.key: example for example in _ALL}
DEFAULT_EXAMPLE = "t0_scalar"

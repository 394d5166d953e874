"""Options of one sandboxed run: the seed, the limits, the pass to draw.

Plain data (JSON-ready), shared by the server that asks for a run and the
worker process that performs it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

GradientChoice = Literal["ones", "sum", "mean", "custom"]


@dataclass(frozen=True)
class Budgets:
    """Limits one run must stay within; each refusal names the limit reached."""

    steps: int = 2_000_000  # interpreter steps (expressions and statements evaluated)
    loop_iterations: int = 100_000  # per loop; SGD demos need 10,000
    recursion_depth: int = 60  # nested calls of user-defined functions
    tensor_elements: int = 5_000_000  # elements of any one tensor
    total_elements: int = 50_000_000  # elements allocated over the whole run
    flops_per_op: int = 2_000_000_000
    autograd_nodes: int = 50_000  # nodes one backward pass may walk (allow >= 5,000)
    output_chars: int = 200_000  # printed text
    seconds: float = 10.0  # wall time of the whole run
    sequence_length: int = 1_000_000  # Python lists, strings, ranges built by the program
    tensors_per_op: int = 10_000  # tensors one call returns (x.unbind(), x.split(1), list(x))


@dataclass(frozen=True)
class RunOptions:
    """How to run a program.

    ``backward_of`` names a variable to differentiate when the program runs no
    backward pass itself (scalar: gradient 1; otherwise ``gradient`` picks
    ones / sum / mean, or ``custom_gradient`` gives the tensor as nested lists).
    """

    seed: int = 0
    backward_of: str | None = None
    gradient: GradientChoice = "ones"
    custom_gradient: Any = None
    max_graphs: int = 20
    max_elements: int = 10_000  # elements per tensor stored in full in a Graph
    budgets: Budgets = field(default_factory=Budgets)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def from_dict(raw: dict[str, Any]) -> RunOptions:
        raw = dict(raw)
        raw["budgets"] = Budgets(**raw.get("budgets", {}))
        return RunOptions(**raw)

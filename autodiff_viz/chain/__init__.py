"""The chain rule with the real numbers: why a gradient has its value, checked against PyTorch.

``explain(graph, node_id)`` returns an :class:`Explanation` (one term per use of the
tensor, the sum, and whether it equals PyTorch's gradient); ``op_terms`` gives what
one op's backward step sent to each input. Pure Python on a captured Graph.
"""

from autodiff_viz.chain.core import Explanation, Term, explain, op_terms, term_for
from autodiff_viz.chain.rules import RULES, Rule, rule_for

__all__ = ["RULES", "Explanation", "Rule", "Term", "explain", "op_terms", "rule_for", "term_for"]

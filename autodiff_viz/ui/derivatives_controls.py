"""The derivatives page's controls and its one call to the worker pool.

:func:`controls` draws the widgets (preset, f, range, points, x₀, the f″ and check toggles) and
returns a :class:`DerivativeOptions`; :func:`compute_curve` asks a worker for the curve (the
server never imports torch) and gives a :class:`~autodiff_viz.derivatives.data.Curve` or the
:class:`~autodiff_viz.result.RunError` that explains why there is none. The rest are pure
helpers the page and the tests share: the notices about kinks and nan/inf, the program the
explorer opens, the same computation written as tutorial-style PyTorch.

Every widget's value is also kept under a key of its own, so the typed f and the range survive
reruns and page switches (Streamlit forgets a widget's value when a page without it runs).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import streamlit as st

from autodiff_viz.derivatives.data import (
    DEFAULT_PRESET,
    PRESETS,
    Curve,
    curve_from_dict,
    tangent_program,
)
from autodiff_viz.explorer.data import share_query
from autodiff_viz.i18n import Lang, t
from autodiff_viz.result import RunError
from autodiff_viz.sandbox.replies import reply_error
from autodiff_viz.ui.runs import job_cached
from autodiff_viz.ui.state import kept, put, saved

PRESET = "derivatives.preset"
EXPR = "derivatives.expr"
LO = "derivatives.lo"
HI = "derivatives.hi"
POINTS = "derivatives.points"
X0 = "derivatives.x0"
SECOND = "derivatives.second"
CHECK = "derivatives.check"

#: Odd counts put a grid point at the middle of the range: at 0, the kink of relu and abs, for
#: the symmetric presets.
POINT_CHOICES = (21, 51, 101, 201, 401, 1001, 2001)
DEFAULT_POINTS = 201
DEFAULT_X0 = 1.0  # inside every preset's range, and away from relu's and abs's kink
_LISTED_POINTS = 5  # x values a notice names before it says "…"


@dataclass(frozen=True)
class DerivativeOptions:
    """What the user asked for; ``check`` only changes the figure, not the computation."""

    expr: str
    lo: float
    hi: float
    n: int
    x0: float
    second: bool
    check: bool

    def job_args(self) -> dict[str, object]:
        """The arguments of the worker's "derivative" job (see calculus.derivative_job)."""
        return {
            "expr": self.expr,
            "lo": self.lo,
            "hi": self.hi,
            "n": self.n,
            "second": self.second,
            "x0": self.x0,
        }


#: The preset menu's last choice: shown once the typed f is no preset's function.
CUSTOM = "custom"


def _load_preset() -> None:
    if st.session_state[PRESET] == CUSTOM:  # keeps the typed f as it is
        return
    preset = PRESETS[st.session_state[PRESET]]
    for key, value in ((EXPR, preset.expr), (LO, preset.lo), (HI, preset.hi), (X0, DEFAULT_X0)):
        put(key, value)


def _preset_label(key: str, lang: Lang) -> str:
    if key == CUSTOM:
        return t("derivatives.preset.custom", lang)
    return t(f"deriv_preset.{PRESETS[key].key}", lang)


def preset_of(expr: str, chosen: str) -> str:
    """The menu's choice for f: ``chosen`` while f is still its function, else custom."""
    if chosen in PRESETS and PRESETS[chosen].expr.strip() == expr.strip():
        return chosen
    return CUSTOM


def clamp(x0: float, lo: float, hi: float) -> float:
    """x₀ moved into [lo, hi] (left alone when the range itself is invalid)."""
    return min(max(x0, lo), hi) if lo < hi else x0


def default_options() -> DerivativeOptions:
    """What the controls say before anyone touches them."""
    preset = PRESETS[DEFAULT_PRESET]
    return DerivativeOptions(
        expr=preset.expr,
        lo=float(preset.lo),
        hi=float(preset.hi),
        n=DEFAULT_POINTS,
        x0=DEFAULT_X0,
        second=False,
        check=True,
    )


def controls(lang: Lang) -> DerivativeOptions:
    """Draw the controls (in the current container) and return what they say."""
    default = PRESETS[DEFAULT_PRESET]
    # A typed f that is no longer the preset's shows as "custom", not as the preset's name.
    put(PRESET, preset_of(str(saved(EXPR, default.expr)), saved(PRESET, DEFAULT_PRESET)))
    st.selectbox(
        t("derivatives.preset", lang),
        options=[*PRESETS, CUSTOM],
        format_func=lambda key: _preset_label(key, lang),
        **kept(PRESET, DEFAULT_PRESET, then=_load_preset),
    )
    st.text_input(
        t("derivatives.expr", lang),
        help=t("derivatives.expr.help", lang),
        **kept(EXPR, default.expr),
    )
    left, right = st.columns(2)
    for column, key, value in ((left, LO, default.lo), (right, HI, default.hi)):
        column.number_input(t(key, lang), step=0.5, format="%.4g", **kept(key, value))
    lo, hi = float(st.session_state[LO]), float(st.session_state[HI])
    st.select_slider(
        t("derivatives.points", lang), options=POINT_CHOICES, **kept(POINTS, DEFAULT_POINTS)
    )
    # x₀ follows a changed range rather than making the whole curve an error.
    put(X0, clamp(float(saved(X0, DEFAULT_X0)), lo, hi))
    st.number_input(
        t("derivatives.x0", lang),
        step=0.1,
        format="%.4g",
        help=t("derivatives.x0.help", lang),
        **kept(X0, DEFAULT_X0),
    )
    for key in (SECOND, CHECK):
        st.toggle(t(key, lang), help=t(f"{key}.help", lang), **kept(key, key == CHECK))
    return DerivativeOptions(
        expr=str(st.session_state[EXPR]),
        lo=lo,
        hi=hi,
        n=int(st.session_state[POINTS]),
        x0=float(st.session_state[X0]),
        second=bool(st.session_state[SECOND]),
        check=bool(st.session_state[CHECK]),
    )


def compute_curve(options: DerivativeOptions, lang: Lang) -> Curve | RunError:
    """The curve from a worker (cached by its arguments), or why there is none."""
    return job_cached("derivative", options.job_args(), lang, curve_or_error)


_LAST_GOOD = "derivatives.last_good"


def last_good(
    options: DerivativeOptions, curve: Curve | RunError, lang: Lang
) -> tuple[DerivativeOptions, Curve] | None:
    """What to draw: this curve, or after an error the last one of this session that worked.

    Only the options are kept (the curve itself is in the shared job cache): a typo in f
    leaves the class looking at the last good curves under the error, as the explorer does.
    """
    if not isinstance(curve, RunError):
        st.session_state[_LAST_GOOD] = options
        return options, curve
    before: DerivativeOptions | None = st.session_state.get(_LAST_GOOD)
    if before is None:
        return None
    again = compute_curve(before, lang)
    return None if isinstance(again, RunError) else (before, again)


def curve_or_error(reply: dict[str, Any]) -> Curve | RunError:
    """Read a "derivative" job's reply: the curve, f's own error, or the pool's."""
    if not reply.get("ok"):
        # The worker ran out of time or memory, or died: a limit, not a mistake in f.
        return reply_error(reply["error"])
    result = reply["result"]
    if "error" in result:
        return RunError.from_dict(result["error"])
    return curve_from_dict(result["curve"])


def _points(curve: Curve, indices: Sequence[int]) -> str:
    shown = ", ".join(f"{curve.x[i]:.4g}" for i in indices[:_LISTED_POINTS])
    return shown + (", …" if len(indices) > _LISTED_POINTS else "")


def notices(curve: Curve, lang: Lang) -> list[tuple[str, str]]:
    """("warning" | "info", text) about what the figure marks: nan/inf, then kinks."""
    found = []
    if curve.nonfinite:
        count, where = len(curve.nonfinite), _points(curve, curve.nonfinite)
        found.append(("warning", t("derivatives.nonfinite", lang, count=count, points=where)))
    if curve.kinks:
        count, where = len(curve.kinks), _points(curve, curve.kinks)
        found.append(("info", t("derivatives.kinks", lang, count=count, points=where)))
    return found


def check_text(curve: Curve, lang: Lang) -> str:
    """The finite-difference check's result in a sentence."""
    if math.isnan(curve.fd_max_error):
        return t("derivatives.check.none", lang)
    return t("derivatives.check.result", lang, error=f"{curve.fd_max_error:.2e}")


def explorer_link(options: DerivativeOptions, lang: Lang) -> list[tuple[str, str]]:
    """The explorer's query parameters for f at x₀ (the share-link format, as pairs)."""
    query = share_query(code=tangent_program(options.expr, options.x0), lang=lang)
    return parse_qsl(query.removeprefix("?"))


def as_pytorch(options: DerivativeOptions) -> str:
    """The same computation as a student would write it, in the tutorial's style."""
    lines = [
        "import torch",
        "",
        f"x = torch.linspace({options.lo:.6g}, {options.hi:.6g}, {options.n}, "
        "dtype=torch.float64, requires_grad=True)",
        f"y = {options.expr.strip()}",
        "# one backward pass for the whole grid: the gradient of y.sum() is f′ at every x",
        f"(dy,) = torch.autograd.grad(y, x, torch.ones_like(y), create_graph={options.second})",
    ]
    if options.second:
        lines.append("(d2y,) = torch.autograd.grad(dy, x, torch.ones_like(dy))")
    return "\n".join(lines) + "\n"


def at_x0(curve: Curve) -> list[tuple[str, str]]:
    """(label, value) of f, f′ (and f″) at the curve's tangent point, for metrics."""
    tangent = curve.tangent
    if tangent is None:
        return []
    values = [("f(x₀)", tangent.y0), ("f′(x₀)", tangent.slope)]
    if tangent.d2y is not None:
        values.append(("f″(x₀)", tangent.d2y))
    return [(label, f"{value:.6g}") for label, value in values]

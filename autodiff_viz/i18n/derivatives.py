"""The derivatives page and its figure."""

STRINGS: dict[str, dict[str, str]] = {
    "derivatives.intro": {
        "en": "Plot f(x) beside its derivative computed by autograd (not by a hand formula): one backward pass over the whole grid, as in the tutorial's sin(x) exercise.",
        "zh": "画出 f(x) 以及由自动微分（而不是手写公式）求出的导数：对整个网格做一次反向传播，就像教程中 sin(x) 的练习那样。",
    },
    "derivatives.preset": {"en": "A function from the tutorials", "zh": "教程中的函数"},
    "derivatives.expr": {"en": "f(x) =", "zh": "f(x) ="},
    "derivatives.expr.help": {
        "en": "One expression in x, e.g. x**3 - 2*x, torch.relu(x), torch.sigmoid(x) or torch.abs(x). It runs in the same safe interpreter as the graph explorer, on every point of the grid at once.",
        "zh": "一个关于 x 的表达式，例如 x**3 - 2*x、torch.relu(x)、torch.sigmoid(x) 或 torch.abs(x)。它与计算图探索页使用同一个安全解释器运行，一次计算整个网格上的所有点。",
    },
    "derivatives.lo": {"en": "x from", "zh": "x 起点"},
    "derivatives.hi": {"en": "x to", "zh": "x 终点"},
    "derivatives.points": {"en": "Points on the grid", "zh": "网格点数"},
    "derivatives.x0": {"en": "x₀", "zh": "x₀"},
    "derivatives.x0.help": {
        "en": "Where the tangent touches f and which point the graph link opens. The slider under the figure moves the tangent without waiting for the server.",
        "zh": "切点的位置，也是“计算图”链接打开的点。图下方的滑块可以直接移动切线，无需等待服务器。",
    },
    # --- labels kept short enough for the controls' column; the detail is in the help ---
    "derivatives.preset.custom": {"en": "custom f(x)", "zh": "自定义 f(x)"},
    "derivatives.second": {"en": "Second derivative f″", "zh": "二阶导数 f″"},
    "derivatives.second.help": {
        "en": "f′ is computed with create_graph=True, so autograd can differentiate it once more.",
        "zh": "用 create_graph=True 计算 f′，这样自动微分可以对它再求一次导。",
    },
    "derivatives.check": {"en": "Finite-difference check", "zh": "有限差分检验"},
    "derivatives.check.help": {
        "en": "Compare autograd's f′ with (f(x+h) − f(x−h)) / 2h on the grid.",
        "zh": "在网格上比较自动微分的 f′ 与 (f(x+h) − f(x−h)) / 2h。",
    },
    "derivatives.stale": {
        "en": "Still showing the last f that worked: {expr}",
        "zh": "仍显示上一个能画出的 f：{expr}",
    },
    "derivatives.check.result": {
        "en": "Finite-difference check: the largest |(f(x+h) − f(x−h)) / 2h − f′(x)| over the smooth points is {error}.",
        "zh": "有限差分检验：在光滑点上 |(f(x+h) − f(x−h)) / 2h − f′(x)| 的最大值为 {error}。",
    },
    "derivatives.check.none": {
        "en": "Finite-difference check: no smooth point with finite values to compare.",
        "zh": "有限差分检验：没有可比较的、取值有限的光滑点。",
    },
    "derivatives.kinks": {
        "en": "f is not smooth at {count} grid point(s), x = {points}: the derivative jumps there, and autograd returns one of the possible slopes (marked ×), not a limit.",
        "zh": "f 在 {count} 个网格点上不光滑，x = {points}：导数在那里跳变，自动微分给出的是若干可能斜率中的一个（用 × 标出），而不是极限。",
    },
    "derivatives.nonfinite": {
        "en": "f or f′ is nan or infinite at {count} grid point(s), x = {points}: those points are shaded and left out of the lines.",
        "zh": "f 或 f′ 在 {count} 个网格点上为 nan 或无穷大，x = {points}：这些点以阴影标出，不画进曲线。",
    },
    "derivatives.at_x0": {"en": "At x₀ = {x0}", "zh": "在 x₀ = {x0} 处"},
    "derivatives.graph_link": {"en": "Show the graph for f at x₀", "zh": "查看 f 在 x₀ 处的计算图"},
    "derivatives.as_code": {"en": "The same in PyTorch", "zh": "用 PyTorch 写出来"},
    "derivatives.error": {"en": "f could not be plotted: {error}", "zh": "无法画出 f：{error}"},
    "deriv.x": {"en": "x", "zh": "x"},
    "deriv.f": {"en": "f(x)", "zh": "f(x)"},
    "deriv.df": {"en": "f′(x) by autograd", "zh": "f′(x)（自动微分）"},
    "deriv.d2f": {"en": "f″(x) by autograd", "zh": "f″(x)（自动微分）"},
    "deriv.fd": {"en": "finite difference", "zh": "有限差分"},
    "deriv.max_error": {"en": "max error", "zh": "最大误差"},
    "deriv.kink": {"en": "not smooth: autograd's pick", "zh": "不光滑：自动微分取的值"},
    "deriv.nonfinite": {"en": "nan / inf", "zh": "nan / inf"},
    "deriv.tangent": {"en": "tangent at x₀", "zh": "x₀ 处的切线"},
    "deriv.x0": {"en": "x₀", "zh": "x₀"},
    "deriv.slope": {"en": "slope", "zh": "斜率"},
}

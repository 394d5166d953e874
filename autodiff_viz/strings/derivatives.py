"""The derivatives page and its figure."""

STRINGS: dict[str, dict[str, str]] = {
    "derivatives.intro": {
        "en": "Plot f(x) beside its derivative computed by autograd (not by a hand formula): one backward pass over the whole grid, as in the tutorial's sin(x) exercise.",
        "zh": "画出 f(x) 以及由自动微分（而不是手写公式）求出的导数：对整个网格做一次反向传播，就像教程中 sin(x) 的练习那样。",
    },
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

"""Names of the things a page offers to choose: functions, surfaces, optimisers, languages.

The data modules (``derivatives/data.py``, ``descent/data.py``) key their
presets; these are the names a student reads in the menus and legends.
"""

STRINGS: dict[str, dict[str, str]] = {
    "app.language": {"en": "Language / 语言", "zh": "Language / 语言"},
    "lang.en": {"en": "English", "zh": "English"},
    "lang.zh": {"en": "简体中文", "zh": "简体中文"},
    "deriv_preset.sin": {
        "en": "sin(x) — tutorial 004, exercise 5",
        "zh": "sin(x)（教程 004 练习 5）",
    },
    "deriv_preset.quadratic": {
        "en": "x² − 2x + 1 (a·x² + b·x + c, tutorial 000)",
        "zh": "x² − 2x + 1（教程 000 的 a·x² + b·x + c）",
    },
    "deriv_preset.cubic": {"en": "x³ − 2x", "zh": "x³ − 2x"},
    "deriv_preset.relu": {"en": "relu(x): a kink at 0", "zh": "relu(x)：0 处有折点"},
    "deriv_preset.abs": {"en": "|x|: a kink at 0", "zh": "|x|：0 处有折点"},
    "deriv_preset.sigmoid": {"en": "sigmoid(x)", "zh": "sigmoid(x)"},
    "deriv_preset.tanh": {"en": "tanh(x)", "zh": "tanh(x)"},
    "deriv_preset.gaussian": {"en": "exp(−x²)", "zh": "exp(−x²)"},
    "deriv_preset.x_sin": {"en": "x·sin(x)", "zh": "x·sin(x)"},
    "optimizer.SGD": {"en": "SGD", "zh": "SGD"},
    "optimizer.Momentum": {"en": "SGD + momentum 0.9", "zh": "SGD + 动量 0.9"},
    "optimizer.RMSprop": {"en": "RMSprop", "zh": "RMSprop"},
    "optimizer.Adam": {"en": "Adam", "zh": "Adam"},
    "optimizer.Adagrad": {"en": "Adagrad", "zh": "Adagrad"},
    "surface.bowl": {
        "en": "Quadratic bowl x² + 10y² (elongated)",
        "zh": "二次碗 x² + 10y²（狭长）",
    },
    "surface.rosenbrock": {
        "en": "Rosenbrock (1 - x)² + 100(y - x²)²",
        "zh": "Rosenbrock 函数 (1 − x)² + 100(y − x²)²",
    },
    "surface.saddle": {"en": "Saddle x² − y²", "zh": "马鞍面 x² − y²"},
}

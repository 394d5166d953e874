"""How a label is joined to what follows it, with each language's punctuation.

English writes ``step: 3`` and ``Adam (lr 0.1)``; Chinese writes ``步数：3`` and
``Adam（学习率 0.1）``. Page and figure code never glues ``": "`` or ``" ("``
to a translated word itself: it fills one of these.
"""

STRINGS: dict[str, dict[str, str]] = {
    "label.value": {"en": "{label}: {value}", "zh": "{label}：{value}"},
    "label.paren": {"en": "{text} ({detail})", "zh": "{text}（{detail}）"},
    # Read by the figures through i18n.section(...), so their keys follow the figure's prefix.
    "descent.plot.slider": {"en": "{label}: ", "zh": "{label}："},
    "descent.plot.labelled": {"en": "{label}: {text}", "zh": "{label}：{text}"},
    "descent.plot.with_lr": {"en": "{label} (lr {lr})", "zh": "{label}（学习率 {lr}）"},
    "deriv.fd_error": {
        "en": "finite difference (max error {error})",
        "zh": "有限差分（最大误差 {error}）",
    },
}

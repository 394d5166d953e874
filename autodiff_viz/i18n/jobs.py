"""Why a derivatives or gradient-descent job cannot run what the page asked for.

The jobs (``derivatives/job.py``, ``descent/job.py``) run in a worker and raise
errors that carry one of these keys and its fields; the page words them.
"""

STRINGS: dict[str, dict[str, str]] = {
    # The derivatives job.
    "curve.range_bounds": {
        "en": "the range must lie within ±{limit:g}, got [{lo:g}, {hi:g}]",
        "zh": "x 的范围必须在 ±{limit:g} 之内，当前为 [{lo:g}, {hi:g}]",
    },
    "curve.range_order": {
        "en": "x from must be less than x to, got [{lo:g}, {hi:g}]",
        "zh": "x 起点必须小于 x 终点，当前为 [{lo:g}, {hi:g}]",
    },
    "curve.points": {
        "en": "the number of points must be between {low} and {high:,}, got {n:,}",
        "zh": "网格点数必须在 {low} 到 {high:,} 之间，当前为 {n:,}",
    },
    "curve.x0": {
        "en": "x₀ = {x0:g} lies outside the range [{lo:g}, {hi:g}]",
        "zh": "x₀ = {x0:g} 不在范围 [{lo:g}, {hi:g}] 之内",
    },
    "curve.not_tensor": {
        "en": "f must return a tensor computed from x, got {type}",
        "zh": "f 必须返回由 x 计算出的张量，实际返回的是 {type}",
    },
    "curve.shape": {
        "en": "f must work elementwise: f(x) returned shape {got} for x of shape {want}",
        "zh": "f 必须逐元素计算：x 的形状为 {want}，f(x) 的形状却是 {got}",
    },
    "curve.complex": {
        "en": "f must return real numbers, got {dtype}",
        "zh": "f 必须返回实数，实际为 {dtype}",
    },
    "curve.elementwise": {
        "en": "f must work elementwise: f(x)[i] must depend on x[i] alone, but f gave other "
        "values on part of the grid than on the whole grid (sum, mean, softmax, cumsum and "
        "random numbers mix the points)",
        "zh": "f 必须逐元素计算：f(x)[i] 只能依赖 x[i]，但在部分网格上算出的结果与在整个网格上的"
        "不同（sum、mean、softmax、cumsum 和随机数会把各点混在一起）",
    },
    "curve.number": {"en": "{arg} must be a number", "zh": "{arg} 必须是数值"},
    "curve.empty": {
        "en": "f is empty: type an expression in x",
        "zh": "f 为空：请输入一个关于 x 的表达式",
    },
    "curve.whole": {"en": "n must be a whole number", "zh": "n 必须是整数"},
    # The gradient-descent job.
    "descent_input.steps": {
        "en": "steps must be between 1 and {limit:,} (got {steps})",
        "zh": "步数必须在 1 到 {limit:,} 之间（当前为 {steps}）",
    },
    "descent_input.lr": {
        "en": "the learning rate must be a number in (0, 100] (got {lr})",
        "zh": "学习率必须是 (0, 100] 之间的数（当前为 {lr}）",
    },
    "descent_input.start": {
        "en": "the start {name} must be a number between -{limit:g} and {limit:g} (got {value})",
        "zh": "起点 {name} 必须是 -{limit:g} 到 {limit:g} 之间的数（当前为 {value}）",
    },
    "descent_input.number": {"en": "{arg} must be a number", "zh": "{arg} 必须是数值"},
    "descent_input.whole": {"en": "{arg} must be a whole number", "zh": "{arg} 必须是整数"},
    "descent_input.text": {"en": "{arg} must be a non-empty text", "zh": "{arg} 必须是非空文本"},
    "descent_input.numbers": {
        "en": "{arg} must be {count} numbers",
        "zh": "{arg} 必须是 {count} 个数值",
    },
    "descent_input.optimizer": {
        "en": "unknown optimiser {name}; choose one of {choices}",
        "zh": "未知的优化器 {name}，可选：{choices}",
    },
    "descent_input.momentum": {
        "en": "momentum must be in [0, 1) (got {momentum})",
        "zh": "动量必须在 [0, 1) 之间（当前为 {momentum}）",
    },
    "descent_input.one_number": {
        "en": "{what} must give one number for one point",
        "zh": "{what} 对每个点必须给出一个数",
    },
    "descent_input.constant": {
        "en": "{what} does not depend on its variables, so there is no gradient to follow",
        "zh": "{what} 与自变量无关，没有可以沿着下降的梯度",
    },
    "descent_input.elementwise": {
        "en": "{what} must work elementwise on a tensor of points "
        "(sum, mean and matrix products mix the points)",
        "zh": "{what} 必须逐元素计算（sum、mean 和矩阵乘法会把各点混在一起）",
    },
    "descent_input.no_optimizer": {
        "en": "choose at least one optimiser",
        "zh": "请至少选择一个优化器",
    },
    "descent_input.scene": {
        "en": "unknown scene {scene}; use '1d', '2d' or 'line'",
        "zh": "未知的场景 {scene}，可选 '1d'、'2d'、'line'",
    },
    "descent_input.constants": {
        "en": "constants must be at most {limit} names with numbers",
        "zh": "常数最多 {limit} 个，每个由名称和数值组成",
    },
    "descent_input.constant_names": {
        "en": "constant names must be plain names such as a, b, c",
        "zh": "常数名必须是 a、b、c 这样的普通名称",
    },
    "descent_input.surface": {
        "en": "unknown surface {surface}; choose one of {choices}",
        "zh": "未知的曲面 {surface}，可选：{choices}",
    },
    "descent_input.optimizers": {
        "en": "optimizers must be a list of names",
        "zh": "优化器必须是名称的列表",
    },
}

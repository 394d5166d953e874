"""Why a gradient has its value: the words around the rules (the rules: ``i18n/rules.py``).

The seed, custom and missing rules, the verdicts, notes and the chain rule of the
derivatives page.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "explain.rule.seed": {"en": "∂L/∂L = 1 (the seed)", "zh": "∂L/∂L = 1（起点）"},
    "explain.say.seed": {
        "en": "Backward starts here: the seed is 1, or the gradient= tensor given to backward.",
        "zh": "反向传播从这里开始：起点的梯度是 1，或传给 backward 的 gradient 参数。",
    },
    "explain.rule.custom": {
        "en": "custom backward (its code was not available)",
        "zh": "自定义 backward（没有取得它的代码）",
    },
    "explain.say.custom": {
        "en": "A user autograd.Function: its own backward (its code is the rule) computed this.",
        "zh": "用户的 autograd.Function：由它自己的 backward 算出（它的代码就是法则）。",
    },
    "explain.custom_code": {
        "en": "your backward: {name}.backward (line {line})",
        "zh": "你的 backward：{name}.backward（第 {line} 行）",
    },
    "explain.custom_returned": {
        "en": "(what your backward returned)",
        "zh": "（你的 backward 返回的值）",
    },
    "explain.custom_trusted": {
        "en": "PyTorch uses what a custom backward returns as it is: nothing checks it against "
        "forward (torch.autograd.gradcheck would). If the code is wrong, so is this gradient.",
        "zh": "PyTorch 原样使用自定义 backward 的返回值：没有任何东西拿它和 forward 核对"
        "（torch.autograd.gradcheck 可以）。代码错了，这个梯度也就错了。",
    },
    "explain.rule.none": {"en": "no rule", "zh": "没有规则"},
    "explain.say.none": {
        "en": "There is no rule for {op} here yet: PyTorch's value is shown, not checked.",
        "zh": "这里还没有 {op} 的规则：显示的是 PyTorch 的值，未经核对。",
    },
    "explain.title": {"en": "Why this gradient?", "zh": "为什么是这个梯度？"},
    "explain.step_title": {"en": "The rule at this step", "zh": "这一步的求导法则"},
    "explain.summed": {"en": "summed over dims {dims}", "zh": "在维度 {dims} 上求和"},
    "explain.pytorch_value": {
        "en": "PyTorch's gradient: {value}",
        "zh": "PyTorch 算出的梯度：{value}",
    },
    "explain.term_mismatch": {
        "en": "rule not matched: PyTorch sent {value}",
        "zh": "规则未能吻合：PyTorch 传回的是 {value}",
    },
    "explain.missing": {
        "en": "the rule needs {what}, which was not recorded (big graphs keep fewer values)",
        "zh": "这条规则需要 {what}，但它没有被记录（大图保留的数值较少）",
    },
    "explain.missing_budget": {
        "en": "the rule needs {what}: graphs over {count} nodes keep no saved tensors (a capture "
        "budget that keeps big programs fast), so PyTorch's value is shown, not checked",
        "zh": "这条规则需要 {what}：超过 {count} 个节点的图不保存 saved tensor（为了让大程序"
        "保持快速的记录预算），因此显示的是 PyTorch 的值，未经核对",
    },
    "explain.nonfinite.upstream": {
        "en": "NaN or inf arrived with the upstream gradient of {op}",
        "zh": "NaN 或 inf 随 {op} 的上游梯度传来",
    },
    "explain.nonfinite.local": {
        "en": "NaN or inf arose here, in the local derivative of {op} (e.g. 1/0)",
        "zh": "NaN 或 inf 在这里产生：{op} 的局部导数（例如 1/0）",
    },
    "explain.nonfinite.input": {
        "en": "NaN or inf came from the forward values of {op}",
        "zh": "NaN 或 inf 来自 {op} 的前向数值",
    },
    "explain.verdict.agrees": {
        "en": "The sum equals the gradient PyTorch computed.",
        "zh": "合计与 PyTorch 算出的梯度相等。",
    },
    "explain.verdict.custom": {
        "en": "The sum equals the gradient PyTorch computed; the custom backward's terms are "
        "what its code returned, not checked against its forward.",
        "zh": "合计与 PyTorch 算出的梯度相等；自定义 backward 的项是它的代码返回的值，"
        "没有与它的 forward 核对。",
    },
    "explain.verdict.mismatch": {
        "en": "Rule not matched: the rule's sum differs from PyTorch's gradient, shown below it.",
        "zh": "规则未能吻合：规则算出的合计与 PyTorch 的梯度不同，下面显示的是 PyTorch 的梯度。",
    },
    "explain.verdict.unexplained": {
        "en": "Not every term has a rule here: PyTorch's gradient is shown, not checked.",
        "zh": "并非每一项都有规则：显示的是 PyTorch 的梯度，未经核对。",
    },
    "explain.note.accumulate": {
        "en": "The tensor was used more than once: the gradients of its uses add up.",
        "zh": "这个张量被使用了不止一次：各次使用的梯度相加。",
    },
    "explain.note.not_retained": {
        "en": "Not a leaf: PyTorch does not keep this gradient in .grad "
        "(retain_grad() would); capture saw it pass.",
        "zh": "不是叶子节点：PyTorch 不会把这个梯度保存在 .grad 中（retain_grad() 可以保存）；"
        "它是在传递时被记录下来的。",
    },
    "explain.note.no_grad": {
        "en": "No gradient reached this tensor in this backward pass.",
        "zh": "这次反向传播中没有梯度到达这个张量。",
    },
    "explain.note.no_uses": {
        "en": "No recorded op used this tensor: PyTorch's gradient is shown.",
        "zh": "没有记录到使用这个张量的运算：显示的是 PyTorch 的梯度。",
    },
    "explain.note.unexplained": {
        "en": "Some terms could not be worked out from a rule.",
        "zh": "有些项无法由规则算出。",
    },
    "explain.note.too_big": {
        "en": "PyTorch's gradient is too big to compare here.",
        "zh": "PyTorch 的梯度太大，这里无法比较。",
    },
    "explain.note.nonfinite": {
        "en": "The gradient holds NaN or inf: see the term where it arose.",
        "zh": "梯度中有 NaN 或 inf：请看它产生的那一项。",
    },
    "explain.before": {
        "en": "{target} already held {before} from an earlier backward: "
        "gradients accumulate until they are zeroed.",
        "zh": "{target} 在之前的反向传播中已经是 {before}：梯度会一直累积，直到被清零。",
    },
    "explain.cut.detached": {
        "en": "No gradient flows into this tensor: it was detached (detach()), so it adds no term.",
        "zh": "没有梯度流入这个张量：它已被分离（detach()），不贡献任何项。",
    },
    "explain.cut.constant": {
        "en": "No gradient flows into this tensor: it is a constant (requires_grad=False).",
        "zh": "没有梯度流入这个张量：它是常数（requires_grad=False）。",
    },
    "explain.cut.no_grad": {
        "en": "No gradient flows into this tensor: it was made under torch.no_grad().",
        "zh": "没有梯度流入这个张量：它是在 torch.no_grad() 下计算的。",
    },
    "explain.cut.data": {
        "en": "No gradient flows into this tensor: it was reached through .data.",
        "zh": "没有梯度流入这个张量：它是通过 .data 得到的。",
    },
    "explain.chain.title": {"en": "The chain rule at x₀", "zh": "x₀ 处的链式法则"},
    "explain.chain.agrees": {
        "en": "At x₀ = {x0} this is {value}, equal to autograd's f′(x₀) = {autograd}.",
        "zh": "在 x₀ = {x0} 处它等于 {value}，与 autograd 算出的 f′(x₀) = {autograd} 相等。",
    },
    "explain.chain.mismatch": {
        "en": "At x₀ = {x0} this is {value}, but autograd's f′(x₀) = {autograd}: "
        "rule not matched; the curve shows autograd's value.",
        "zh": "在 x₀ = {x0} 处它等于 {value}，而 autograd 算出的 f′(x₀) = {autograd}："
        "规则未能吻合；曲线显示的是 autograd 的值。",
    },
    "explain.chain.none": {
        "en": "No written-out chain for this expression (it goes beyond + − × ÷ ** and sin, cos, "
        "tan, exp, log, sqrt, abs, tanh, sigmoid, relu, softplus): autograd's value stands alone.",
        "zh": "这个表达式没有写出的链式法则（它超出了 + − × ÷ ** 以及 sin、cos、tan、exp、log、"
        "sqrt、abs、tanh、sigmoid、relu、softplus）：只显示 autograd 的值。",
    },
    "explain.chain.rules": {"en": "Rules used:", "zh": "用到的法则："},
    "explain.shapes": {
        "en": "shapes: ∂L/∂out {upstream}; inputs {inputs}",
        "zh": "形状：∂L/∂out 为 {upstream}；输入为 {inputs}",
    },
    "explain.failed": {
        "en": "the rule could not be applied to these values (unexpected shapes, or too big "
        "to redo here): PyTorch's value is shown",
        "zh": "这条规则无法用于这些数值（形状不符合预期，或太大无法在这里重算）：显示的是 PyTorch 的值",
    },
}

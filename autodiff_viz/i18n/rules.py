"""The rules of the ops, as a student reads them: a formula per input and a sentence.

``explain.rule.<key>.<n>`` is the local rule of an op for its input ``n`` (a formula,
in the student's language where it has words); ``explain.say.<key>`` says the same in
one sentence. The keys are those of :data:`autodiff_viz.chain.rules.RULES`.
"""

from __future__ import annotations

Text = str | tuple[str, str]

#: key -> (formulas by input slot, English sentence, Chinese sentence)
_RULES: dict[str, tuple[list[Text], str, str]] = {
    "add": (
        ["∂(a + α·b)/∂a = 1", "∂(a + α·b)/∂b = α"],
        "Addition passes the gradient on unchanged (times α, usually 1).",
        "加法把梯度原样传下去（乘以 α，通常为 1）。",
    ),
    "sub": (
        ["∂(a − α·b)/∂a = 1", "∂(a − α·b)/∂b = −α"],
        "Subtraction passes the gradient on, with a minus sign to what is subtracted.",
        "减法把梯度传下去，被减去的一项带负号。",
    ),
    "rsub": (
        ["∂(b − α·a)/∂a = −α", "∂(b − α·a)/∂b = 1"],
        "A number minus a tensor: the tensor's gradient gets a minus sign.",
        "数减去张量：张量的梯度带负号。",
    ),
    "mul": (
        ["∂(a·b)/∂a = b", "∂(a·b)/∂b = a"],
        "The derivative of a product in one factor is the other factor.",
        "乘积对一个因子的导数等于另一个因子。",
    ),
    "div": (
        ["∂(a/b)/∂a = 1/b", "∂(a/b)/∂b = −a/b²"],
        "Quotient rule: 1/b for the numerator, −a/b² for the denominator.",
        "除法法则：对分子是 1/b，对分母是 −a/b²。",
    ),
    "neg": (["∂(−a)/∂a = −1"], "Negation flips the gradient's sign.", "取负号让梯度变号。"),
    "pow": (
        ["∂(aᵖ)/∂a = p·aᵖ⁻¹"],
        "Power rule, with the exponent p the op saved.",
        "幂函数求导法则，p 是运算保存的指数。",
    ),
    "pow_tensor": (
        ["∂(aᵇ)/∂a = b·aᵇ⁻¹", "∂(aᵇ)/∂b = aᵇ·ln a"],
        "A power with a tensor exponent: power rule for the base, aᵇ·ln a for the exponent.",
        "指数也是张量的幂：对底数用幂函数法则，对指数是 aᵇ·ln a。",
    ),
    "pow_base": (
        ["∂(cᵃ)/∂a = cᵃ·ln c"],
        "A number to a tensor power: the output times ln of the base.",
        "数的张量次幂：导数是输出乘以底数的自然对数。",
    ),
    "exp": (
        ["∂(eᵃ)/∂a = eᵃ"],
        "The exponential is its own derivative.",
        "指数函数的导数是它自己。",
    ),
    "log": (["∂(ln a)/∂a = 1/a"], "The derivative of ln a is 1/a.", "ln a 的导数是 1/a。"),
    "sqrt": (["∂(√a)/∂a = 1/(2√a)"], "The derivative of √a is 1/(2√a).", "√a 的导数是 1/(2√a)。"),
    "abs": (
        ["∂|a|/∂a = sign(a)"],
        "The absolute value's slope is +1 or −1 (0 at 0).",
        "绝对值的斜率是 +1 或 −1（在 0 处为 0）。",
    ),
    "sin": (["∂(sin a)/∂a = cos a"], "The derivative of sin is cos.", "sin 的导数是 cos。"),
    "cos": (["∂(cos a)/∂a = −sin a"], "The derivative of cos is −sin.", "cos 的导数是 −sin。"),
    "tan": (
        ["∂(tan a)/∂a = 1 + tan²a"],
        "The derivative of tan is 1 + tan².",
        "tan 的导数是 1 + tan²。",
    ),
    "tanh": (
        ["∂(tanh a)/∂a = 1 − tanh²a"],
        "The derivative of tanh is 1 − tanh², read off the output.",
        "tanh 的导数是 1 − tanh²，由输出直接算出。",
    ),
    "sigmoid": (
        ["∂σ(a)/∂a = σ(a)·(1 − σ(a))"],
        "The sigmoid's derivative is σ·(1 − σ), read off the output.",
        "sigmoid 的导数是 σ·(1 − σ)，由输出直接算出。",
    ),
    "relu": (
        [("∂relu(a)/∂a = 1 if a > 0 else 0", "∂relu(a)/∂a = 1（a > 0 时），否则为 0")],
        "ReLU lets the gradient through where the input was positive and stops it elsewhere.",
        "ReLU 在输入为正的位置让梯度通过，其余位置挡住梯度。",
    ),
    "leaky_relu": (
        [("∂/∂a = 1 if a > 0 else slope", "∂/∂a = 1（a > 0 时），否则为 slope")],
        "Leaky ReLU: slope 1 for positive inputs, the small negative slope elsewhere.",
        "Leaky ReLU：输入为正时斜率为 1，否则为一个小斜率。",
    ),
    "softplus": (
        ["∂softplus(a)/∂a = σ(β·a)"],
        "The derivative of softplus is the sigmoid.",
        "softplus 的导数是 sigmoid。",
    ),
    "log1p": (["∂ln(1 + a)/∂a = 1/(1 + a)"], "The derivative of ln(1 + a).", "ln(1 + a) 的导数。"),
    "expm1": (["∂(eᵃ − 1)/∂a = eᵃ"], "The derivative of eᵃ − 1 is eᵃ.", "eᵃ − 1 的导数是 eᵃ。"),
    "rsqrt": (["∂(a^−½)/∂a = −½·a^−³ᐟ²"], "Power rule for 1/√a.", "1/√a 的幂函数求导。"),
    "reciprocal": (
        ["∂(1/a)/∂a = −1/a²"],
        "The derivative of 1/a is −1/a².",
        "1/a 的导数是 −1/a²。",
    ),
    "clamp": (
        [
            (
                "∂clamp(a)/∂a = 1 if lo ≤ a ≤ hi else 0",
                "∂clamp(a)/∂a = 1（lo ≤ a ≤ hi 时），否则为 0",
            )
        ],
        "Clamping passes the gradient inside the bounds and stops it where the value was cut.",
        "截断在范围内传递梯度，在被截断的位置挡住梯度。",
    ),
    "where": (
        [
            (
                "∂where(c, a, b)/∂a = 1 where c, else 0",
                "∂where(c, a, b)/∂a = 1（c 为真处），否则为 0",
            ),
            (
                "∂where(c, a, b)/∂b = 0 where c, else 1",
                "∂where(c, a, b)/∂b = 0（c 为真处），否则为 1",
            ),
        ],
        "where sends each entry's gradient to the input the condition picked.",
        "where 把每个位置的梯度传给条件所选中的那个输入。",
    ),
    "maximum": (
        [
            (
                "∂max(a, b)/∂a = 1 where a > b, ½ where a = b",
                "∂max(a, b)/∂a = 1（a > b 处），相等处为 ½",
            )
        ],
        "The larger input takes the gradient; a tie shares it.",
        "较大的输入得到梯度；相等时平分。",
    ),
    "minimum": (
        [
            (
                "∂min(a, b)/∂a = 1 where a < b, ½ where a = b",
                "∂min(a, b)/∂a = 1（a < b 处），相等处为 ½",
            )
        ],
        "The smaller input takes the gradient; a tie shares it.",
        "较小的输入得到梯度；相等时平分。",
    ),
    "clone": (["∂a/∂a = 1"], "A copy passes the gradient on unchanged.", "复制把梯度原样传下去。"),
    "copy": (
        ["dst.copy_(src): ∂/∂dst = 0", "dst.copy_(src): ∂/∂src = 1"],
        "Copying into a tensor overwrites it: the gradient goes to what was copied in.",
        "复制到张量中会覆盖原内容：梯度传给被复制进来的那个张量。",
    ),
    "mse_loss": (
        ["∂ mean((x − t)²)/∂x = 2(x − t)/N", "∂ mean((x − t)²)/∂t = −2(x − t)/N"],
        "Mean squared error: twice the error, divided by the number of entries (mean).",
        "MSE 损失：误差的两倍，再除以元素个数（取平均时）。",
    ),
    "bce": (
        ["∂BCE(p, t)/∂p = (p − t)/(p(1 − p))/N", "∂BCE(p, t)/∂t = (ln(1 − p) − ln p)/N"],
        "Binary cross-entropy on probabilities p.",
        "对概率 p 的二元交叉熵。",
    ),
    "bce_logits": (
        ["∂BCE(σ(x), t)/∂x = (σ(x) − t)/N", "∂BCE(σ(x), t)/∂t = −x/N"],
        "Binary cross-entropy on logits: the predicted probability minus the target.",
        "对 logits 的二元交叉熵：预测概率减去目标。",
    ),
    "dot": (
        ["d = Σ aᵢbᵢ: ∂d/∂a = b", "d = Σ aᵢbᵢ: ∂d/∂b = a"],
        "A dot product's gradient in one vector is the other vector.",
        "点积对一个向量的梯度是另一个向量。",
    ),
    "sum": (
        ["∂(Σ a)/∂aᵢ = 1"],
        "Every entry of a sum gets the upstream gradient.",
        "求和的每个元素都得到上游梯度。",
    ),
    "sum_dim": (
        ["∂(Σ_dim a)/∂aᵢ = 1"],
        "Each entry gets the upstream gradient of the sum it went into.",
        "每个元素得到它所属那个和的上游梯度。",
    ),
    "mean": (
        ["∂(mean a)/∂aᵢ = 1/N"],
        "Every entry of a mean of N entries gets 1/N of the upstream gradient.",
        "N 个元素的均值：每个元素得到上游梯度的 1/N。",
    ),
    "mean_dim": (
        ["∂(mean_dim a)/∂aᵢ = 1/N"],
        "Each entry gets 1/N of its mean's upstream gradient (N entries along dim).",
        "每个元素得到它所属均值的上游梯度的 1/N（N 为该维的长度）。",
    ),
    "max": (
        [
            (
                "∂max(a)/∂aᵢ = 1 at the largest entry, 0 elsewhere",
                "∂max(a)/∂aᵢ = 1（最大元素处），其余为 0",
            )
        ],
        "Only the largest entry gets the gradient; ties share it.",
        "只有最大的元素得到梯度；并列时平分。",
    ),
    "max_dim": (
        [
            (
                "∂max(a, dim)/∂aᵢ = 1 at the index max picked, 0 elsewhere",
                "∂max(a, dim)/∂aᵢ = 1（max 选中的下标处），其余为 0",
            )
        ],
        "The entry that max picked in each row gets that row's gradient.",
        "每一行中被 max 选中的元素得到该行的梯度。",
    ),
    "norm": (
        ["∂‖a‖/∂a = a/‖a‖"],
        "A norm's gradient points along the vector: a/‖a‖ for the 2-norm "
        "(sign(a)·|a|ᵖ⁻¹/‖a‖ᵖ⁻¹ for a p-norm).",
        "范数的梯度沿着向量本身的方向：2-范数是 a/‖a‖（p-范数是 sign(a)·|a|ᵖ⁻¹/‖a‖ᵖ⁻¹）。",
    ),
    "mm": (
        ["Y = A·B: ∂L/∂A = (∂L/∂Y)·Bᵀ", "Y = A·B: ∂L/∂B = Aᵀ·(∂L/∂Y)"],
        "Matrix product: multiply the upstream gradient by the other matrix, transposed.",
        "矩阵乘法：上游梯度乘以另一个矩阵的转置。",
    ),
    "mv": (
        ["y = A·v: ∂L/∂A = (∂L/∂y)·vᵀ", "y = A·v: ∂L/∂v = Aᵀ·(∂L/∂y)"],
        "Matrix times vector: an outer product for the matrix, Aᵀ times the gradient for v.",
        "矩阵乘向量：对矩阵是外积，对向量是 Aᵀ 乘以梯度。",
    ),
    "addmm": (
        [
            "Y = b + X·W: ∂L/∂b = Σ_rows ∂L/∂Y",
            "Y = b + X·W: ∂L/∂X = (∂L/∂Y)·Wᵀ",
            "Y = b + X·W: ∂L/∂W = Xᵀ·(∂L/∂Y)",
        ],
        "A linear layer: the bias sums the gradient over the batch; the matrices as in a product.",
        "线性层：偏置把梯度在批次上求和；两个矩阵按矩阵乘法求导。",
    ),
    "bmm": (
        ["Yₖ = Aₖ·Bₖ: ∂L/∂Aₖ = (∂L/∂Yₖ)·Bₖᵀ", "Yₖ = Aₖ·Bₖ: ∂L/∂Bₖ = Aₖᵀ·(∂L/∂Yₖ)"],
        "A batch of matrix products, each differentiated on its own.",
        "一批矩阵乘法，各自求导。",
    ),
    "t": (
        ["Y = Aᵀ: ∂L/∂A = (∂L/∂Y)ᵀ"],
        "Transposing: the gradient is transposed back.",
        "转置：梯度再转置回去。",
    ),
    "view": (
        ["∂L/∂a = (∂L/∂y).reshape(a.shape)"],
        "A reshape moves no number: the gradient is reshaped back.",
        "改变形状不改变数值：梯度变回原来的形状。",
    ),
    "expand": (
        ["∂L/∂a = Σ over the expanded dims of ∂L/∂y"],
        "An expanded (broadcast) tensor was used many times: its gradient sums over the copies.",
        "扩展（广播）后的张量被用了多次：梯度对所有副本求和。",
    ),
    "transpose": (
        ["∂L/∂a = (∂L/∂y) transposed back"],
        "The gradient is transposed back.",
        "梯度再转置回去。",
    ),
    "permute": (
        ["∂L/∂a = (∂L/∂y) with the inverse permutation"],
        "The gradient's dims are put back in the input's order.",
        "把梯度的各维按输入的顺序排回去。",
    ),
    "cat": (
        ["∂L/∂aₖ = the part of ∂L/∂y where aₖ sits"],
        "Each joined tensor gets back its own slice of the gradient.",
        "每个被拼接的张量取回梯度中属于自己的那一段。",
    ),
    "stack": (
        ["∂L/∂aₖ = (∂L/∂y)[k] along the stacked dim"],
        "Each stacked tensor gets back its own layer of the gradient.",
        "每个被堆叠的张量取回梯度中属于自己的那一层。",
    ),
    "unbind": (
        ["∂L/∂a = the outputs' gradients stacked back"],
        "The pieces' gradients are stacked back together.",
        "各部分的梯度重新堆叠在一起。",
    ),
    "split": (
        ["∂L/∂a = the pieces' gradients joined back"],
        "The pieces' gradients are joined back together.",
        "各部分的梯度重新拼接在一起。",
    ),
    "index": (
        ["∂L/∂a = ∂L/∂y added back at the picked positions, 0 elsewhere"],
        "Indexing: the gradient goes back to the entries that were picked (added up if picked twice).",
        "索引：梯度回到被选中的元素（被选中两次则相加）。",
    ),
    "index_put": (
        [
            (
                "x[idx] = v: ∂L/∂x = ∂L/∂y with 0 at the overwritten places (kept with +=)",
                "x[idx] = v：∂L/∂x = ∂L/∂y，被覆盖的位置为 0（+= 时保留）",
            ),
            (
                "x[idx] = v: ∂L/∂v = ∂L/∂y at the written places",
                "x[idx] = v：∂L/∂v = ∂L/∂y 在写入位置上的值",
            ),
        ],
        "Writing into places: what was overwritten gets no gradient; the written values get "
        "the gradient of their places.",
        "按位置写入：被覆盖的旧值没有梯度；写入的值得到其所在位置的梯度。",
    ),
    "masked_fill": (
        [
            (
                "masked_fill(x, mask, v): ∂/∂x = 1 where mask is False, 0 where True",
                "masked_fill(x, mask, v)：mask 为 False 处 ∂/∂x = 1，为 True 处为 0",
            ),
            (
                "masked_fill(x, mask, v): ∂L/∂v = Σ ∂L/∂y over the True places",
                "masked_fill(x, mask, v)：∂L/∂v = mask 为 True 处 ∂L/∂y 之和",
            ),
        ],
        "Filling under a mask: filled places pass no gradient to x; the fill value collects it.",
        "按掩码填充：被填充的位置不向 x 传梯度；梯度归于填充值。",
    ),
    "masked_select": (
        [
            (
                "x[mask]: ∂L/∂x = ∂L/∂y put back at the True places, 0 elsewhere",
                "x[mask]：∂L/∂x = ∂L/∂y 放回 mask 为 True 的位置，其余为 0",
            )
        ],
        "Selecting with a mask: the gradient goes back to the entries the mask kept.",
        "按掩码选取：梯度回到掩码选中的元素。",
    ),
    "as_strided": (
        [
            (
                "view of x (size, stride, offset): ∂L/∂x = ∂L/∂view put back at its places",
                "x 的视图（size、stride、offset）：∂L/∂x = ∂L/∂view 放回它所在的位置",
            )
        ],
        "A strided view (PyTorch replays one after an in-place write): each viewed entry gets "
        "its gradient back.",
        "带步长的视图（原地写入后 PyTorch 会重放它）：每个被查看的元素得到它的梯度。",
    ),
    "copy_slices": (
        [
            (
                "x[i] op= v in place: ∂L/∂x_before = ∂L/∂x outside x[i]; inside, times the op's "
                "factor (0 for =, c for *= c, 1 for +=)",
                "原地 x[i] op= v：x[i] 之外 ∂L/∂x_before = ∂L/∂x；之内乘以运算的系数"
                "（= 为 0，*= c 为 c，+= 为 1）",
            ),
            (
                "x[i] op= v in place: ∂L/∂v = ∂L/∂x[i] times ∂(op)/∂v (summed to v's shape)",
                "原地 x[i] op= v：∂L/∂v = ∂L/∂x[i] 乘以 ∂(op)/∂v（求和到 v 的形状）",
            ),
        ],
        "An in-place write into part of a tensor (PyTorch's CopySlices): the old values there "
        "lose (=) or keep a scaled gradient; the written value gets the part's gradient.",
        "原地写入张量的一部分（PyTorch 的 CopySlices）：那里的旧值失去梯度（=）或得到"
        "按比例的梯度；写入的值得到这部分的梯度。",
    ),
    "select": (
        ["∂L/∂a = ∂L/∂y at the selected index, 0 elsewhere"],
        "Selecting: only the selected row gets a gradient.",
        "选取：只有被选中的那一行得到梯度。",
    ),
    "slice": (
        ["∂L/∂a = ∂L/∂y inside the slice, 0 elsewhere"],
        "Slicing: only the entries in the slice get a gradient.",
        "切片：只有切片内的元素得到梯度。",
    ),
    "softmax": (
        ["y = softmax(a): ∂L/∂a = y ⊙ (∂L/∂y − Σ(∂L/∂y ⊙ y))"],
        "Softmax couples its entries: each one's gradient depends on all of them.",
        "softmax 把各元素联系在一起：每个元素的梯度取决于全部元素。",
    ),
    "log_softmax": (
        ["y = log_softmax(a): ∂L/∂a = ∂L/∂y − softmax(a)·Σ ∂L/∂y"],
        "Log-softmax: the upstream gradient minus the softmax times its sum.",
        "log_softmax：上游梯度减去 softmax 乘以上游梯度之和。",
    ),
    "nll_loss": (
        ["L = −mean(a[i, tᵢ]): ∂L/∂a[i, tᵢ] = −1/N, 0 elsewhere"],
        "Negative log-likelihood: −1/N at each sample's target class, 0 elsewhere.",
        "负对数似然：每个样本的目标类别处为 −1/N，其余为 0。",
    ),
}


def _rule_strings() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for key, (formulas, en, zh) in _RULES.items():
        for n, formula in enumerate(formulas):
            en_f, zh_f = formula if isinstance(formula, tuple) else (formula, formula)
            out[f"explain.rule.{key}.{n}"] = {"en": en_f, "zh": zh_f}
        out[f"explain.say.{key}"] = {"en": en, "zh": zh}
    return out


STRINGS: dict[str, dict[str, str]] = _rule_strings()

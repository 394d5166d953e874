"""The gradient-descent page and its figures.

Keys ``descent.plot.*`` are the words drawn into the figures: one for every
entry of ``autodiff_viz.descent.plots.DEFAULT_LABELS`` (a test checks it), read
with ``i18n.section("descent.plot", lang)``.
"""

STRINGS: dict[str, dict[str, str]] = {
    "descent.intro": {
        "en": "Watch gradient descent move: SGD and its friends from torch.optim on a curve, a surface and a linear regression, step by step.",
        "zh": "观看梯度下降的过程：torch.optim 中的 SGD 等优化器在曲线、曲面和线性回归上一步一步地移动。",
    },
    # --- the scene switch ---
    "descent.scene": {"en": "Scene", "zh": "场景"},
    "descent.scene.1d": {"en": "A curve f(x)", "zh": "曲线 f(x)"},
    "descent.scene.2d": {"en": "A race on f(x, y)", "zh": "曲面 f(x, y)"},
    "descent.scene.line": {"en": "Linear regression", "zh": "线性回归"},
    "descent.reset": {"en": "Back to the tutorial's values", "zh": "恢复教程中的取值"},
    # --- 1D ---
    "descent.1d.about": {
        "en": "Tutorial 000: `x` starts at `0.0` with `requires_grad=True`; `optim.SGD` with `lr=0.01` repeats `zero_grad()`, `f(x).backward()`, `step()` 500 times. Press ▶ to watch x walk down the curve against its gradient.",
        "zh": "教程 000：`x` 从 `0.0` 开始（`requires_grad=True`），`optim.SGD`（`lr=0.01`）重复 500 次 `zero_grad()`、`f(x).backward()`、`step()`。按 ▶ 观看 x 逆着梯度沿曲线下降。",
    },
    "descent.1d.expr": {"en": "f(x) =", "zh": "f(x) ="},
    "descent.1d.expr.help": {
        "en": "A PyTorch expression in x; it may use the constants a, b, c and torch functions such as torch.sin(x). It must work elementwise.",
        "zh": "关于 x 的 PyTorch 表达式；可以使用常数 a、b、c 和 torch.sin(x) 等 torch 函数，必须逐元素计算。",
    },
    "descent.1d.x0": {"en": "start x₀", "zh": "起点 x₀"},
    "descent.optimizer": {"en": "optimiser", "zh": "优化器"},
    "descent.lr": {"en": "learning rate", "zh": "学习率"},
    "descent.lr.help": {
        "en": "Try 1.5 on the tutorial's curve: each step overshoots further and the run diverges.",
        "zh": "在教程的曲线上试试 1.5：每一步都越冲越远，运行发散。",
    },
    "descent.steps": {"en": "steps", "zh": "步数"},
    "descent.1d.final": {
        "en": "After {steps} steps the tutorial's print says:",
        "zh": "{steps} 步之后，教程中的 print 输出：",
    },
    "descent.1d.print": {
        "en": "minimum y = {y} ; x = {x}",
        "zh": "最小值 y = {y} ; 对应的 x = {x}",
    },
    # --- 2D ---
    "descent.2d.about": {
        "en": "Four optimisers from torch.optim start at the same point (✕) and race downhill; each has a learning rate that suits it. The dotted lines show their whole paths.",
        "zh": "torch.optim 中的几种优化器从同一点（✕）出发向下比赛，每种使用适合它的学习率。虚线是各自的完整路径。",
    },
    "descent.2d.surface": {"en": "surface", "zh": "曲面"},
    "descent.2d.custom": {"en": "my own f(x, y)", "zh": "自己输入 f(x, y)"},
    "descent.2d.expr": {"en": "f(x, y) =", "zh": "f(x, y) ="},
    "descent.2d.expr.help": {
        "en": "A PyTorch expression in x and y, elementwise, such as x**2 + 3*y**2 or torch.sin(x) * torch.cos(y).",
        "zh": "关于 x 和 y 的逐元素 PyTorch 表达式，例如 x**2 + 3*y**2 或 torch.sin(x) * torch.cos(y)。",
    },
    "descent.2d.x0": {"en": "start x", "zh": "起点 x"},
    "descent.2d.y0": {"en": "start y", "zh": "起点 y"},
    "descent.2d.racers": {"en": "racers", "zh": "参赛的优化器"},
    "descent.2d.final": {"en": "Where each optimiser ended", "zh": "各优化器的终点"},
    "descent.2d.col.optimizer": {"en": "optimiser", "zh": "优化器"},
    "descent.2d.col.lr": {"en": "learning rate", "zh": "学习率"},
    "descent.2d.col.steps": {"en": "steps", "zh": "步数"},
    "descent.2d.col.x": {"en": "x", "zh": "x"},
    "descent.2d.col.y": {"en": "y", "zh": "y"},
    "descent.2d.col.f": {"en": "f(x, y)", "zh": "f(x, y)"},
    "descent.2d.view3d": {"en": "3D surface", "zh": "三维曲面"},
    "descent.2d.view3d.help": {
        "en": "Drag to turn the surface, scroll to zoom. Each racer's whole path lies on it; the big dot is where it stopped.",
        "zh": "拖动可旋转曲面，滚动可缩放。各优化器的完整路径画在曲面上，大圆点是它停下的位置。",
    },
    # --- line fit ---
    "descent.line.about": {
        "en": "Tutorial 003: `nn.Linear(1, 1)` learns y = 2x + 1 from x = 0…10 with `MSELoss` and `SGD(lr=0.01)`, 100 epochs.",
        "zh": "教程 003：`nn.Linear(1, 1)` 用 `MSELoss` 和 `SGD(lr=0.01)` 训练 100 轮，从 x = 0…10 学习 y = 2x + 1。",
    },
    "descent.line.epochs": {"en": "epochs", "zh": "训练轮数"},
    "descent.line.seed": {"en": "seed", "zh": "随机种子"},
    "descent.line.seed.help": {
        "en": "Picks the initial weights: the same seed starts from the same line.",
        "zh": "决定初始权重：相同的随机种子从同一条直线开始。",
    },
    "descent.line.final": {
        "en": "After {epochs} epochs: {equation}, MSE loss {loss}",
        "zh": "{epochs} 轮之后：{equation}，MSE 损失 {loss}",
    },
    # --- the figures (descent_plots.DEFAULT_LABELS) ---
    "descent.plot.curve": {"en": "f(x)", "zh": "f(x)"},
    "descent.plot.point": {"en": "x", "zh": "x"},
    "descent.plot.arrow": {"en": "downhill (-f′(x))", "zh": "下降方向（-f′(x)）"},
    "descent.plot.loss": {"en": "f(x) at each step", "zh": "每一步的 f(x)"},
    "descent.plot.step": {"en": "step", "zh": "步"},
    "descent.plot.x": {"en": "x", "zh": "x"},
    "descent.plot.y": {"en": "y", "zh": "y"},
    "descent.plot.value": {"en": "f", "zh": "f"},
    "descent.plot.start": {"en": "start", "zh": "起点"},
    "descent.plot.data": {"en": "data: y = 2x + 1", "zh": "数据：y = 2x + 1"},
    "descent.plot.fit": {"en": "fitted line", "zh": "拟合直线"},
    "descent.plot.epoch": {"en": "epoch", "zh": "轮"},
    "descent.plot.mse": {"en": "MSE loss", "zh": "MSE 损失"},
    "descent.plot.play": {"en": "▶ Play", "zh": "▶ 播放"},
    "descent.plot.pause": {"en": "❚❚ Pause", "zh": "❚❚ 暂停"},
    "descent.plot.diverged_nan": {
        "en": "{quantity} became nan at step {step}: the run stops there",
        "zh": "{quantity} 在第 {step} 步变成了 nan：运行到此停止",
    },
    "descent.plot.diverged_inf": {
        "en": "{quantity} became infinite at step {step}: the run stops there",
        "zh": "{quantity} 在第 {step} 步变成了无穷大：运行到此停止",
    },
    "descent.plot.diverged_exploded": {
        "en": "|{quantity}| passed 10⁶ at step {step}: the run diverged",
        "zh": "|{quantity}| 在第 {step} 步超过了 10⁶：运行发散了",
    },
    "descent.plot.quantity_x": {"en": "x", "zh": "x"},
    "descent.plot.quantity_y": {"en": "y", "zh": "y"},
    "descent.plot.quantity_f": {"en": "f", "zh": "f"},
    "descent.plot.quantity_grad": {"en": "the gradient", "zh": "梯度"},
    "descent.plot.quantity_loss": {"en": "the loss", "zh": "损失"},
    "descent.plot.quantity_weight": {"en": "the weight", "zh": "权重"},
    "descent.plot.quantity_bias": {"en": "the bias", "zh": "偏置"},
    "descent.diverged.help": {
        "en": "The animation stops at the last state whose values are still valid (not nan/inf). A smaller learning rate keeps the steps short enough to settle.",
        "zh": "动画停在最后一个数值仍有效（不是 nan/inf）的状态。更小的学习率能让每一步足够小，从而收敛。",
    },
}

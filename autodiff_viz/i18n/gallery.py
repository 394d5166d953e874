"""Titles of the example gallery (``autodiff_viz.explorer.examples``)."""

STRINGS: dict[str, dict[str, str]] = {
    # Under the gallery box while a tutorial's example is loaded and unedited.
    "explorer.gallery.verbatim": {
        "en": "Verbatim from tutorial {number}.",
        "zh": "原样取自教程 {number}。",
    },
    "explorer.gallery.translated": {
        "en": "The code of tutorial {number} with its comments in English (the 中文 interface shows the tutorial's cell verbatim).",
        "zh": "教程 {number} 的代码，注释为英文（中文界面显示教程原文）。",
    },
    "example.t0_scalar": {
        "en": "Scalar backward: f(x) = a·x² + b·x + c",
        "zh": "标量的反向传播：f(x) = a·x² + b·x + c",
    },
    "example.t0_nonscalar": {
        "en": "Non-scalar backward with gradient=",
        "zh": "非标量的反向传播（gradient 参数）",
    },
    "example.t0_nonscalar_sum": {
        "en": "Non-scalar backward as a scalar sum",
        "zh": "用标量的反向传播实现非标量的反向传播",
    },
    "example.t0_second_derivative": {
        "en": "Second derivative with autograd.grad(create_graph=True)",
        "zh": "用 autograd.grad 求二阶导数（create_graph=True）",
    },
    "example.t0_several_outputs": {
        "en": "Several outputs and inputs with autograd.grad",
        "zh": "autograd.grad：多个因变量对多个自变量求导",
    },
    "example.t0_sgd_minimum": {
        "en": "Find a minimum with SGD (500 steps)",
        "zh": "利用自动微分和优化器求最小值（SGD 500 步）",
    },
    "example.t1_retain_grad": {
        "en": "retain_grad: gradients of non-leaf tensors",
        "zh": "retain_grad：保留非叶子节点的梯度",
    },
    "example.t1_accumulate": {
        "en": "Gradients accumulate: clear them with zero_()",
        "zh": "梯度会累积：用 zero_() 清零",
    },
    "example.t1_nonscalar_sum": {
        "en": "Non-scalar output: y.sum().backward()",
        "zh": "非标量输出：y.sum().backward()",
    },
    "example.t1_detach": {
        "en": "detach: treat a result as a constant",
        "zh": "detach：把计算结果当作常数",
    },
    "example.t1_control_flow": {
        "en": "Gradients through Python control flow",
        "zh": "通过 Python 控制流计算梯度",
    },
    "example.t1_no_grad": {
        "en": "torch.no_grad(): stop tracking",
        "zh": "torch.no_grad()：中断梯度追踪",
    },
    "example.t1_data": {
        "en": ".data: change values without autograd",
        "zh": ".data：修改数值而不被 autograd 记录",
    },
    "example.t2_mean": {
        "en": "mean makes a scalar you can differentiate",
        "zh": "用 mean 得到可求导的标量",
    },
    "example.t2_chain_mean": {
        "en": "Chain of ops: y = x + 2, z = 3y², mean",
        "zh": "运算链：y = x + 2，z = 3y²，取均值",
    },
    "example.t2_sum": {"en": "Derivative of a sum", "zh": "sum 的求导"},
    "example.t2_scalar_and_tensor": {
        "en": "A scalar and a tensor in one expression",
        "zh": "标量和张量的求导分析",
    },
    "example.t2_two_tensors": {"en": "Two tensors in one expression", "zh": "两个张量的求导分析"},
    "example.t3_first_order": {
        "en": "First derivatives of z = w·x + b",
        "zh": "一阶导数：z = w·x + b",
    },
    "example.t3_second_order": {
        "en": "Second derivative with backward(create_graph=True)",
        "zh": "二阶导数：backward(create_graph=True)",
    },
    "example.t3_dot_bias": {"en": "Gradient of Y = X·W + b", "zh": "Y = X·W + b 的梯度"},
    "example.t3_linear_regression": {
        "en": "Linear regression y = 2x + 1 with nn.Linear",
        "zh": "线性回归实战：用 nn.Linear 拟合 y = 2x + 1",
    },
    "example.t4_dot": {"en": "Gradient of y = 2·xᵀx", "zh": "y = 2·xᵀx 的梯度"},
    "example.t4_vjp": {
        "en": "Vector-Jacobian product: backward(gradient=ones)",
        "zh": "向量-雅可比积：backward(gradient=ones)",
    },
    "example.t4_detach": {
        "en": "Detach, then backward through y again",
        "zh": "分离计算，再对 y 反向传播",
    },
    "example.t4_control_flow_matrix": {
        "en": "Control flow with a random matrix",
        "zh": "随机矩阵上的控制流梯度",
    },
    "example.t4_sin_derivative": {
        "en": "df/dx of sin(x) without cos",
        "zh": "不用 cos 求 sin(x) 的导数",
    },
    "example.micrograd": {
        "en": "micrograd's expression L = (a·b + c)·f",
        "zh": "micrograd 的表达式 L = (a·b + c)·f",
    },
    "example.neuron": {"en": "A neuron with a sigmoid", "zh": "带 sigmoid 的单个神经元"},
    "example.linear_mse": {"en": "A linear layer and MSE loss", "zh": "线性层与 MSE 损失"},
    "example.cube_second": {"en": "Second derivative of x³", "zh": "x³ 的二阶导数"},
    "example.why_4x": {
        "en": "Why is x.grad 4x? The chain rule, term by term",
        "zh": "为什么 x.grad 是 4x？逐项看链式法则",
    },
    "example.custom_function": {
        "en": "Your own autograd.Function: its backward is the rule",
        "zh": "自己写的 autograd.Function：它的 backward 就是法则",
    },
}

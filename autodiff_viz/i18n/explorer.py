"""The graph explorer page: input, choices, graph panel, inspector, form and link problems."""

STRINGS: dict[str, dict[str, str]] = {
    "explorer.intro": {
        "en": "Type a function and its inputs, or paste a snippet from a tutorial. It runs with real PyTorch, and the graph shows every tensor's name, value and gradient.",
        "zh": "输入一个函数和它的自变量，或粘贴教程里的一段代码。代码由真实的 PyTorch 运行，计算图会显示每个张量的名称、数值和梯度。",
    },
    "explorer.mode": {"en": "Input", "zh": "输入方式"},
    "explorer.mode.function": {"en": "Function + inputs", "zh": "函数 + 自变量"},
    "explorer.mode.code": {"en": "Code", "zh": "代码"},
    "explorer.gallery": {"en": "Examples", "zh": "示例"},
    "explorer.gallery.placeholder": {"en": "Load an example…", "zh": "加载一个示例…"},
    "explorer.tutorial": {"en": "tutorial {number}", "zh": "教程 {number}"},
    "explorer.classic": {"en": "classic", "zh": "经典"},
    "explorer.code": {"en": "Program (PyTorch)", "zh": "程序（PyTorch）"},
    "explorer.code.help": {
        "en": "Paste a tutorial cell or write your own. Supported: torch, torch.nn, torch.optim.",
        "zh": "粘贴教程中的代码或自己编写。支持 torch、torch.nn、torch.optim。",
    },
    "explorer.function": {"en": "y =", "zh": "y ="},
    "explorer.inputs": {"en": "Inputs", "zh": "自变量"},
    "explorer.inputs.name": {"en": "name", "zh": "变量名"},
    "explorer.inputs.value": {"en": "value", "zh": "数值"},
    "explorer.inputs.requires_grad": {"en": "requires_grad", "zh": "requires_grad"},
    "explorer.inputs.dtype": {"en": "dtype", "zh": "dtype"},
    "explorer.as_code": {"en": "The program this form stands for", "zh": "这个表单对应的程序"},
    "explorer.run": {"en": "Run", "zh": "运行"},
    "explorer.program": {"en": "Program", "zh": "程序"},
    "explorer.running": {"en": "Running with PyTorch…", "zh": "正在用 PyTorch 运行…"},
    "explorer.waiting": {
        "en": "Waiting for a free worker ({position} ahead)…",
        "zh": "正在等待空闲的工作进程（前面还有 {position} 个）…",
    },
    "explorer.pass": {"en": "Backward pass", "zh": "反向传播"},
    "explorer.pass.label": {
        "en": "#{number}: {call} (line {line})",
        "zh": "#{number}：{call}（第 {line} 行）",
    },
    "explorer.pass.dropped": {
        "en": "{count} more passes ran; the first ones and the last one are kept.",
        "zh": "还运行了 {count} 次反向传播；只保留最前面的几次和最后一次。",
    },
    "explorer.output": {"en": "Call backward() on", "zh": "对哪个输出调用 backward()"},
    "explorer.no_output": {
        "en": "The program ran no backward pass and left no tensor that needs grad.",
        "zh": "程序没有运行反向传播，也没有留下需要梯度的张量。",
    },
    "explorer.gradient": {
        "en": "Gradient for a non-scalar output",
        "zh": "非标量输出的 gradient 参数",
    },
    "explorer.gradient.ones": {"en": "ones (= y.sum())", "zh": "全 1（等于 y.sum()）"},
    "explorer.gradient.mean": {"en": "1/n (= y.mean())", "zh": "1/n（等于 y.mean()）"},
    "explorer.gradient.custom": {"en": "custom tensor", "zh": "自定义张量"},
    "explorer.gradient.custom_value": {"en": "gradient =", "zh": "gradient ="},
    "explorer.vjp.title": {"en": "What does gradient= do?", "zh": "gradient 参数做了什么？"},
    "explorer.vjp.body": {
        "en": "For a non-scalar y, `y.backward(gradient=v)` does not compute the Jacobian J = ∂y/∂x. It computes the vector-Jacobian product vᵀ·J — the gradient of the scalar `(y * v).sum()`. With v = ones that is the gradient of `y.sum()`; for `z = y * x` elementwise, J is diagonal and x.grad = v * y.",
        "zh": "对于非标量 y，`y.backward(gradient=v)` 并不计算雅可比矩阵 J = ∂y/∂x，而是计算向量-雅可比积 vᵀ·J，也就是标量 `(y * v).sum()` 的梯度。v 取全 1 时就是 `y.sum()` 的梯度；对逐元素的 `z = y * x`，J 是对角矩阵，x.grad = v * y。",
    },
    "explorer.view": {"en": "View", "zh": "视图"},
    "explorer.view.forward": {"en": "Forward values", "zh": "前向数值"},
    "explorer.view.backward": {"en": "Step through backward", "zh": "逐步反向传播"},
    "explorer.view.full": {"en": "Values and grads", "zh": "数值与梯度"},
    "explorer.step": {"en": "Backward step", "zh": "反向传播步骤"},
    "explorer.step.caption": {
        "en": "Step {step} of {total}: the engine ran {op}.",
        "zh": "第 {step} 步（共 {total} 步）：引擎执行了 {op}。",
    },
    "explorer.step.start": {
        "en": "Step 0 of {total}: before backward, no gradient is known yet.",
        "zh": "第 0 步（共 {total} 步）：反向传播之前，还没有任何梯度。",
    },
    "explorer.play": {"en": "Play", "zh": "播放"},
    "explorer.pause": {"en": "Pause", "zh": "暂停"},
    "explorer.second_order": {
        "en": "This pass differentiates through a gradient computed with create_graph=True.",
        "zh": "这次反向传播经过了用 create_graph=True 计算出的梯度（二阶）。",
    },
    "explorer.truncated": {
        "en": "Values truncated: showing the first tensors' values in full (up to {mb} MB); "
        "{count} more show only their shape, first elements and statistics (a run's result is "
        "kept small so that the server stays fast for the whole class).",
        "zh": "数值已截断：只完整显示前面张量的数值（最多 {mb} MB）；另外 {count} 个张量只显示"
        "形状、前几个元素和统计量（运行结果保持精简，好让全班共用的服务器保持快速）。",
    },
    "explorer.stale": {
        "en": "The program above did not run, so nothing below is from it: the graph, printed "
        "output and variables are those of the last program of this session that ran without "
        "an error (an earlier program).",
        "zh": "上面的程序没有运行，所以下面的内容都不是它的：计算图、打印输出和变量都来自本次会话中"
        "最后一个无错运行的程序（之前的程序）。",
    },
    "explorer.link_view_unnamed": {
        "en": "This link asks for a view of a graph (view / step / node) but names no program, "
        "so it is not applied: the page opens at its own program. Use “Share this program” for "
        "a link that opens both.",
        "zh": "这个链接指定了计算图的视图（view / step / node），却没有指明程序，因此没有应用："
        "页面打开的是它自己的程序。要得到同时打开程序和视图的链接，请打开“分享这个程序”。",
    },
    "explorer.stale.failed": {
        "en": "This program stopped with an error before any backward(), so it drew no graph. "
        "The graph below is from the last program of this session that ran without an error "
        "(an earlier program); the printed output and variables below are this program's.",
        "zh": "这个程序在任何 backward() 之前就出错停止了，没有画出计算图。下面的计算图来自本次会话中"
        "最后一个无错运行的程序（之前的程序）；下方的打印输出和变量是这个程序的。",
    },
    "explorer.error": {"en": "Line {line}: {message}", "zh": "第 {line} 行：{message}"},
    "explorer.error.noline": {"en": "{message}", "zh": "{message}"},
    "explorer.legend": {"en": "Legend", "zh": "图例"},
    "explorer.presentation": {"en": "Presentation mode (large text)", "zh": "演示模式（大字体）"},
    "explorer.tab.output": {"en": "Printed output", "zh": "打印输出"},
    "explorer.tab.variables": {"en": "Variables", "zh": "变量"},
    "explorer.tab.inspector": {"en": "Node inspector", "zh": "节点详情"},
    "explorer.no_output_text": {"en": "(the program printed nothing)", "zh": "（程序没有输出）"},
    "explorer.warnings": {"en": "Warnings from PyTorch", "zh": "PyTorch 的警告"},
    "explorer.notices": {"en": "Notes from the sandbox", "zh": "沙箱的提示"},
    "explorer.inspector.pick": {
        "en": "Node (or click one in the graph)",
        "zh": "节点（也可以在图中点击）",
    },
    "explorer.inspector.value": {"en": "Value (forward)", "zh": "数值（前向）"},
    "explorer.inspector.grad": {"en": "Gradient (backward)", "zh": "梯度（反向）"},
    "explorer.inspector.op": {"en": "Operation", "zh": "运算"},
    "explorer.inspector.line": {"en": "Created at line {line}", "zh": "在第 {line} 行创建"},
    "explorer.inspector.saved": {"en": "Saved for backward", "zh": "为反向传播保存的张量"},
    "explorer.col.name": {"en": "name", "zh": "变量名"},
    "explorer.col.type": {"en": "type", "zh": "类型"},
    "explorer.col.value": {"en": "value", "zh": "数值"},
    "explorer.col.grad": {"en": "grad", "zh": "梯度"},
    "explorer.share": {"en": "Share this program", "zh": "分享这个程序"},
    "explorer.share.help": {
        "en": "Anyone who opens this link sees this program run.",
        "zh": "打开这个链接的人会看到这个程序的运行结果。",
    },
    "form.place.input": {
        "en": "Input row {row} ('{name}'): {text}",
        "zh": "输入表第 {row} 行（'{name}'）：{text}",
    },
    "form.place.function": {"en": "In the function: {text}", "zh": "函数中：{text}"},
    "form.empty_function": {
        "en": "Write a function, e.g. a*x**2 + b*x + c.",
        "zh": "请写一个函数，例如 a*x**2 + b*x + c。",
    },
    "form.one_line": {
        "en": "The function is one expression on one line; use Code mode for more.",
        "zh": "函数只能是一行表达式；更多代码请使用“代码”模式。",
    },
    "form.bad_name": {
        "en": "“{name}” cannot be a variable name: use letters, digits and _, not a digit or _ first, and not a Python keyword (if, for, lambda …).",
        "zh": "“{name}”不能作为变量名：只能用字母、数字和下划线，不能以数字或下划线开头，也不能是 Python 关键字（如 if、for、lambda）。",
    },
    "form.duplicate_name": {
        "en": "The name “{name}” is used twice or reserved.",
        "zh": "变量名“{name}”重复或被保留。",
    },
    "form.bad_value": {
        "en": "The value of {name} must be a number or a nested list of numbers, not “{value}”.",
        "zh": "{name} 的数值必须是数字或数字的嵌套列表，而不是“{value}”。",
    },
    "form.bad_dtype": {
        "en": "The dtype of {name} must be float32 or float64.",
        "zh": "{name} 的 dtype 必须是 float32 或 float64。",
    },
    "share.unknown_example": {
        "en": "The link names an example that does not exist.",
        "zh": "链接中的示例不存在。",
    },
    "share.too_long": {
        "en": "The program in the link was too long and has been cut.",
        "zh": "链接中的程序太长，已被截断。",
    },
    "explorer.fold": {
        "en": "Fold each module call (nn.Linear, …) into one box",
        "zh": "把每次模块调用（nn.Linear 等）折叠成一个方框",
    },
    "explorer.fold.help": {
        "en": "A folded box lists the ops inside the call and shows the tensor it returned. "
        "Big graphs start folded; unfold them to see every autograd node.",
        "zh": "折叠后的方框列出调用内部的运算，并显示它返回的张量。"
        "大图默认折叠；展开即可看到每个 autograd 节点。",
    },
    "explorer.expand.all": {
        "en": "Show all {total} nodes (now {shown})",
        "zh": "显示全部 {total} 个节点（当前 {shown} 个）",
    },
    "explorer.expand": {
        "en": "Show more: up to {more} of the {total} nodes (now {shown})",
        "zh": "显示更多：最多显示 {total} 个节点中的 {more} 个（当前 {shown} 个）",
    },
}

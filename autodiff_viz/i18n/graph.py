"""The graph view's buttons and the words drawn into a picture (render's ``words``)."""

STRINGS: dict[str, dict[str, str]] = {
    "graph.zoom_in": {"en": "Zoom in", "zh": "放大"},
    "graph.zoom_out": {"en": "Zoom out", "zh": "缩小"},
    "graph.fit": {"en": "Fit width", "zh": "适应宽度"},
    "graph.actual_size": {"en": "Actual size", "zh": "实际大小"},
    "graph.hint": {
        "en": "Scroll to zoom, drag to pan, click a node to inspect it.",
        "zh": "滚轮缩放，拖动平移，点击节点查看详情。",
    },
    "graph.hint_steps": {
        "en": "Keys on the graph: → / PageDown next step, ← / PageUp back, Home / End, Space play, f focus mode.",
        "zh": "在图上按键：→ / PageDown 下一步，← / PageUp 上一步，Home / End 首尾，空格播放，f 专注模式。",
    },
    "graph.cue": {
        "en": "Drag or zoom to see the rest of the graph",
        "zh": "拖动或缩放以查看图的其余部分",
    },
    # The views' names on a narrow toolbar (presentation mode at 1280x720).
    "graph.view_short.forward": {"en": "Forward", "zh": "前向"},
    "graph.view_short.backward": {"en": "Backward", "zh": "反向"},
    "graph.view_short.full": {"en": "Grads", "zh": "梯度"},
    "graph.minimap": {
        "en": "The whole graph: click or drag here to move the view",
        "zh": "整张图：在这里点击或拖动以移动视图",
    },
    "graph.focus": {"en": "Focus mode (f)", "zh": "专注模式（f）"},
    "graph.focus_short": {"en": "Focus", "zh": "专注"},
    "graph.first": {"en": "First step (Home)", "zh": "第一步（Home）"},
    "graph.prev": {"en": "Previous step (←)", "zh": "上一步（←）"},
    "graph.next": {"en": "Next step (→)", "zh": "下一步（→）"},
    "graph.last": {"en": "Last step (End)", "zh": "最后一步（End）"},
    "graph.pick_node": {
        "en": "Click a node to see its details here.",
        "zh": "点击节点，在这里查看详情。",
    },
    "graph.source": {"en": "Source", "zh": "源代码"},
    "graph.note.saved_skipped": {
        "en": "This graph has over {count:,} nodes: its saved tensors were not recorded, so the"
        " inspector shows no saved tensors and fewer rules.",
        "zh": "这张图超过 {count:,} 个节点：没有记录保存的张量，因此检查器不显示保存的张量，"
        "能解释的规则也更少。",
    },
    "graph.note.unknown_forward": {
        "en": "{count} node(s) ran before the capture started: their forward values are unknown.",
        "zh": "{count} 个节点在捕获开始之前就已运行：它们的前向数值未知。",
    },
    "graph.flags": {"en": "Flags", "zh": "属性"},
    "graph.line": {"en": "line {line}", "zh": "第 {line} 行"},
    "graph.line_source": {"en": "line {line}: {source}", "zh": "第 {line} 行：{source}"},
    "graph.no_dot": {
        "en": "Graphviz 'dot' is not installed: showing the browser's drawing (no zoom).",
        "zh": "未安装 Graphviz 的 dot：改用浏览器绘图（不能缩放）。",
    },
    "graph.layout_failed": {
        "en": "The graph could not be drawn: {error}",
        "zh": "无法绘制计算图：{error}",
    },
    "graph.download_dot": {"en": "Download DOT", "zh": "下载 DOT"},
    "graph.download_svg": {"en": "Download SVG", "zh": "下载 SVG"},
    "graph.download_png": {"en": "Download PNG", "zh": "下载 PNG"},
    "graph.export_needs_dot": {
        "en": "SVG and PNG export need Graphviz ('dot'); the DOT file opens in any Graphviz viewer.",
        "zh": "导出 SVG 和 PNG 需要 Graphviz（dot）；DOT 文件可用任何 Graphviz 查看器打开。",
    },
    "draw.data": {"en": "data", "zh": "data"},
    "draw.grad": {"en": "grad", "zh": "grad"},
    "draw.no_grad": {"en": "no grad", "zh": "无梯度"},
    "draw.pending": {"en": "?", "zh": "?"},
    "draw.forward": {"en": "forward pass", "zh": "前向传播"},
    "draw.full": {"en": "forward values and gradients", "zh": "前向数值与梯度"},
    "draw.backward": {
        "en": "backward step {step} of {total}",
        "zh": "反向传播第 {step} 步（共 {total} 步）",
    },
    "draw.ran": {"en": "ran {op}", "zh": "执行 {op}"},
    "draw.before": {"en": "before backward", "zh": "反向传播之前"},
    "draw.second_order": {
        "en": "second-order graph (create_graph=True)",
        "zh": "二阶计算图（create_graph=True）",
    },
    "draw.shown": {
        "en": "showing {shown:,} of {total:,} nodes",
        "zh": "显示 {total:,} 个节点中的 {shown:,} 个",
    },
    "draw.expand": {"en": "expand to see more", "zh": "展开查看更多"},
    "draw.hidden_inputs": {"en": "{n} more", "zh": "还有 {n} 个"},
    "draw.repeat": {"en": "× {n}", "zh": "× {n}"},
    "draw.use": {"en": "({k}/{n})", "zh": "（{k}/{n}）"},
    "draw.same_tensor": {
        "en": "same tensor {name}: drawn once for each of its {n} uses",
        "zh": "同一个张量 {name}：它的 {n} 次使用各画一次",
    },
    "draw.not_kept": {
        "en": "PyTorch does not keep this grad in .grad (call retain_grad() to keep it)",
        "zh": "PyTorch 不会把这个梯度保存在 .grad 中（调用 retain_grad() 可以保留）",
    },
    "draw.cut_constant": {"en": "constant", "zh": "常数"},
    "draw.cut_detached": {"en": "detached", "zh": "已分离（detach）"},
    "draw.cut_no_grad": {"en": "made under no_grad", "zh": "在 no_grad 中创建"},
    "draw.cut_data": {"en": "from .data", "zh": "来自 .data"},
    "draw.leaf": {"en": "leaf (requires grad)", "zh": "叶子节点（需要梯度）"},
    "draw.intermediate": {"en": "intermediate (non-leaf)", "zh": "中间结果（非叶子节点）"},
    "draw.retained": {"en": "retained (retain_grad)", "zh": "保留梯度（retain_grad）"},
    "draw.output": {"en": "output", "zh": "输出"},
    "draw.cut": {"en": "cut: no gradient flows in", "zh": "切断：梯度不会流入"},
    "draw.op": {"en": "operation (grad_fn)", "zh": "运算（grad_fn）"},
    "draw.op2": {"en": "operation of the second-order graph", "zh": "二阶计算图中的运算"},
    "draw.module": {
        "en": "module call (nn.Module), its ops folded in",
        "zh": "模块调用（nn.Module），内部运算已折叠",
    },
    "draw.folded": {
        "en": "operations folded into this call ({n}):",
        "zh": "此调用中折叠的运算（{n} 个）：",
    },
    "draw.params": {"en": "parameters: {names}", "zh": "参数：{names}"},
    # Words inside a tensor's text (render.formatting): they follow the interface language;
    # data/grad stay PyTorch's attribute names.
    "draw.shape": {"en": "shape", "zh": "形状"},
    "draw.min": {"en": "min", "zh": "最小"},
    "draw.mean": {"en": "mean", "zh": "平均"},
    "draw.max": {"en": "max", "zh": "最大"},
    "draw.norm": {"en": "norm", "zh": "范数"},
    "draw.dtype": {"en": "dtype", "zh": "dtype"},
    "draw.first": {"en": "first {shown} of {total}", "zh": "前 {shown} 个（共 {total} 个）"},
}

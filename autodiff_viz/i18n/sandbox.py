"""What the sandbox and its workers tell a student when a program cannot run.

Keys are what :class:`~autodiff_viz.sandbox.messages.SandboxError` and the
worker replies carry (``sandbox.*``, ``limit.*``, ``budget.*``, ``construct.*``,
``advice.*``, ``reply.*``); the server words them with
:func:`autodiff_viz.i18n.message`. An ``{instead}`` or ``{limit}`` field is a
nested message worded in the same language. The explanations of common
Python and PyTorch errors live in :mod:`autodiff_viz.i18n.errors`.
"""

STRINGS: dict[str, dict[str, str]] = {
    "error.line": {"en": "Line {line}: {text}", "zh": "第 {line} 行：{text}"},
    "sandbox.syntax": {
        "en": "this is not valid Python: {reason}",
        "zh": "语法错误，这不是合法的 Python 代码（{reason}）",
    },
    "sandbox.too_long": {
        "en": "the program is too long ({size:,} characters; the limit is {limit:,})",
        "zh": "程序太长（{size:,} 个字符，上限为 {limit:,}）",
    },
    "sandbox.too_deep": {
        "en": "the program is nested too deeply (more than {limit} levels)",
        "zh": "程序嵌套太深（超过 {limit} 层）",
    },
    "sandbox.underscore": {
        "en": "names starting with '_' are not available here ('{name}'): they reach Python's internals",
        "zh": "这里不能使用以下划线开头的名称（'{name}'）：它们会触及 Python 内部",
    },
    "sandbox.lookalike": {
        "en": "the name '{raw}' is written with look-alike characters; type it as '{name}'",
        "zh": "名称 '{raw}' 含有形似字符，请直接输入 '{name}'",
    },
    "sandbox.construct": {
        "en": "{what} is not supported here: {instead}",
        "zh": "这里不支持 {what}：{instead}",
    },
    "sandbox.construct_unknown": {
        "en": "the construct '{name}' is not supported here",
        "zh": "这里不支持 '{name}' 语法",
    },
    "sandbox.import": {
        "en": "'{module}' is not available here: only torch can be imported "
        "(import torch, import torch.nn as nn, from torch import nn, optim)",
        "zh": "这里不能导入 '{module}'：只能导入 torch"
        "（import torch、import torch.nn as nn、from torch import nn, optim）",
    },
    "sandbox.import_numpy": {
        "en": "numpy is not available here: use torch.tensor(...) instead of np.array(...)",
        "zh": "这里没有 numpy：请用 torch.tensor(...) 代替 np.array(...)",
    },
    "sandbox.import_math": {
        "en": "the math module is not available here: use torch.sin, torch.exp, torch.pi, ... "
        "on tensors, or ** for powers",
        "zh": "这里没有 math 模块：请对张量使用 torch.sin、torch.exp、torch.pi 等，或用 ** 求幂",
    },
    "sandbox.import_name": {
        "en": "'{module}' has no member '{name}' here",
        "zh": "这里的 '{module}' 没有成员 '{name}'",
    },
    "sandbox.builtin": {
        "en": "{name}() is not available here{instead}",
        "zh": "这里不能使用 {name}(){instead}",
    },
    "sandbox.attribute": {
        "en": "'{owner}.{name}' is not available here{instead}",
        "zh": "这里不能使用 '{owner}.{name}'{instead}",
    },
    "sandbox.set_attribute": {
        "en": "'{owner}.{name}' cannot be assigned here",
        "zh": "这里不能给 '{owner}.{name}' 赋值",
    },
    "sandbox.not_callable": {
        "en": "'{owner}' object is not callable",
        "zh": "'{owner}' 对象不能被调用（'{owner}' object is not callable）",
    },
    "sandbox.argument": {"en": "{name}: {detail}", "zh": "{name}：{detail}"},
    "sandbox.name": {
        "en": "NameError: name '{name}' is not defined — check the spelling, "
        "or assign it on an earlier line",
        "zh": "变量名 '{name}' 没有定义：请检查拼写，或先在前面的行给它赋值"
        "（name '{name}' is not defined）",
    },
    "sandbox.name_torch": {
        "en": "NameError: name '{name}' is not defined. Did you mean: 'torch.{name}'?",
        "zh": "变量名 '{name}' 没有定义：是不是想写 torch.{name}？（name '{name}' is not defined）",
    },
    "sandbox.unbound": {
        "en": "local variable '{name}' referenced before assignment",
        "zh": "局部变量 '{name}' 在赋值前被使用"
        "（local variable '{name}' referenced before assignment）",
    },
    "sandbox.context": {
        "en": "'with' works here only with torch.no_grad(), torch.enable_grad() "
        "or torch.set_grad_enabled(...)",
        "zh": "这里的 with 只能用于 torch.no_grad()、torch.enable_grad() "
        "或 torch.set_grad_enabled(...)",
    },
    "sandbox.none_attribute": {
        "en": "AttributeError: 'NoneType' object has no attribute '{name}' — the value is None: "
        "a non-leaf tensor's .grad (call .retain_grad() before backward), "
        "a .grad before backward(), or a function without return",
        "zh": "这个值是 None，没有属性 '{name}'：常见原因是读取了非叶子节点的 .grad"
        "（请在 backward() 之前调用 .retain_grad()）、在 backward() 之前读取 .grad，"
        "或函数没有 return（'NoneType' object has no attribute '{name}'）",
    },
    "sandbox.runtime": {
        "en": "{name}: {detail}",
        "zh": "程序运行出错（{name}: {detail}）",
    },
    "sandbox.explained": {
        "en": "{name}: {detail} — {hint}",
        "zh": "{hint}（{name}: {detail}）",
    },
    "sandbox.syntax_explained": {
        "en": "this is not valid Python: {reason} — {hint}",
        "zh": "语法错误：{hint}（{reason}）",
    },
    "sandbox.warning": {"en": "{detail}", "zh": "PyTorch 警告（{detail}）"},
    "sandbox.warning_explained": {"en": "{detail} — {hint}", "zh": "{hint}（{detail}）"},
    "sandbox.budget": {
        "en": "the program went over the limit of {limit} ({detail})",
        "zh": "程序超出了{limit}的上限（{detail}）",
    },
    "sandbox.data_loader": {
        "en": "DataLoader here loads in the program's own process: give the dataset and "
        "keywords only (batch_size, shuffle, drop_last), without num_workers or pin_memory",
        "zh": "这里的 DataLoader 只在程序自己的进程中加载：请只传入数据集和关键字参数"
        "（batch_size、shuffle、drop_last），不要使用 num_workers 或 pin_memory",
    },
    "sandbox.numpy_dtype": {
        "en": "numpy arrays here hold numbers only (bool, int, float), not dtype '{dtype}'",
        "zh": "这里的 numpy 数组只能存放数字（bool、int、float），不能使用 dtype '{dtype}'",
    },
    "sandbox.grad_mode_call": {
        "en": "torch.{name}() takes no function here: write @torch.{name}() above the def",
        "zh": "这里的 torch.{name}() 不接受函数参数：请在 def 上方写 @torch.{name}()",
    },
    "sandbox.class_base": {
        "en": "a class here can derive from nn.Module, torch.autograd.Function, an exception "
        "class or a class of the program, not from '{name}'",
        "zh": "这里的类只能继承 nn.Module、torch.autograd.Function、异常类或程序自己定义的类，"
        "不能继承 '{name}'",
    },
    "sandbox.class_member": {
        "en": "'{name}' is a member of {base} that PyTorch relies on: give the method another name",
        "zh": "'{name}' 是 {base} 的成员，PyTorch 依赖它：请给方法换一个名称",
    },
    "sandbox.function_instance": {
        "en": "{name} is an autograd.Function: call {name}.apply(...) instead of {name}(...)",
        "zh": "{name} 是 autograd.Function：请调用 {name}.apply(...)，而不是 {name}(...)",
    },
    "sandbox.super_outside": {
        "en": "super() without arguments works only inside a method of a class",
        "zh": "不带参数的 super() 只能在类的方法中使用",
    },
    "sandbox.marker_outside": {
        "en": "@{name} works here only on a method inside a class body",
        "zh": "这里的 @{name} 只能用于类体中的方法",
    },
    "sandbox.internal": {"en": "internal error: {detail}", "zh": "内部错误：{detail}"},
    "sandbox.bidi": {
        "en": "the program contains the invisible control character {char}, which makes code "
        'look different from what runs ("Trojan Source"); delete it',
        "zh": "程序含有不可见的控制字符 {char}，它会让代码看起来与实际运行的不一样"
        "（“Trojan Source”）；请删除它",
    },
    "sandbox.lookalike_warning": {
        "en": "the name '{name}' contains {char}, a letter that only looks Latin: "
        "it is a different name from the one it resembles",
        "zh": "名称 '{name}' 含有 {char}，这个字母只是看起来像拉丁字母："
        "它与看起来相同的名称并不是同一个名称",
    },
    "sandbox.warnings_more": {
        "en": "... and {count:,} more warnings, not shown",
        "zh": "……还有 {count:,} 条警告没有显示",
    },
    "sandbox.device": {
        "en": "only the CPU is available here: device '{device}' cannot be used; "
        "leave out device=... or write 'cpu'",
        "zh": "这里只能使用 CPU：不能使用设备 '{device}'；请去掉 device=... 或写 'cpu'",
    },
    "sandbox.optimizer_params": {
        "en": "an optimiser's parameters cannot be changed here: build a new one, "
        "e.g. torch.optim.SGD([w, b], lr=0.1)",
        "zh": "这里不能修改优化器的参数：请新建一个优化器，例如 torch.optim.SGD([w, b], lr=0.1)",
    },
    "optimizer.unknown_setting": {
        "en": "'{setting}' is not a setting of this optimiser; its settings are {settings}",
        "zh": "'{setting}' 不是这个优化器的设置；它的设置有 {settings}",
    },
    "optimizer.wrong_kind": {
        "en": "the optimiser setting '{setting}' must be {expected}, not {got}",
        "zh": "优化器的设置 '{setting}' 必须是{expected}，而不是 {got}",
    },
    "optimizer.number": {"en": "a finite number", "zh": "有限的数字"},
    "optimizer.bool": {"en": "True or False", "zh": "True 或 False"},
    "optimizer.pair": {
        "en": "a pair of numbers such as (0.9, 0.999)",
        "zh": "两个数字组成的元组，例如 (0.9, 0.999)",
    },
    "sandbox.null_byte": {
        "en": "the text contains a null byte",
        "zh": "文本中含有空字符（NUL）",
    },
    # The limits a budget message names.
    "limit.steps": {"en": "interpreter steps", "zh": "解释器步数"},
    "limit.loop_iterations": {"en": "loop iterations", "zh": "循环次数"},
    "limit.recursion_depth": {"en": "recursion depth", "zh": "递归深度"},
    "limit.tensor_elements": {"en": "elements in one tensor", "zh": "单个张量的元素数"},
    "limit.total_elements": {
        "en": "tensor elements allocated in one run",
        "zh": "一次运行分配的张量元素总数",
    },
    "limit.flops_per_op": {
        "en": "work in one operation (FLOPs)",
        "zh": "单个运算的计算量（FLOPs）",
    },
    "limit.autograd_nodes": {"en": "autograd graph size (nodes)", "zh": "计算图大小（节点数）"},
    "limit.output_chars": {"en": "printed output (characters)", "zh": "打印输出（字符数）"},
    "limit.seconds": {"en": "time (seconds)", "zh": "运行时间（秒）"},
    "limit.sequence_length": {
        "en": "length of a list, string or range",
        "zh": "列表、字符串或 range 的长度",
    },
    "limit.int_bits": {"en": "size of an integer (bits)", "zh": "整数大小（位）"},
    "limit.memory": {"en": "memory", "zh": "内存"},
    "limit.text_length": {
        "en": "length of a string being built (characters)",
        "zh": "要生成的字符串长度（字符数）",
    },
    "limit.tensors_per_op": {
        "en": "tensors returned by one operation",
        "zh": "单个运算返回的张量个数",
    },
    "limit.optimizer_work": {
        "en": "work in one optimiser step (FLOPs)",
        "zh": "优化器单步的计算量（FLOPs）",
    },
    "budget.more_than": {"en": "more than {limit:,}", "zh": "超过 {limit:,}"},
    # The detail in parentheses after a budget message.
    "budget.steps": {"en": "{limit:,} steps", "zh": "最多 {limit:,} 步"},
    "budget.seconds": {"en": "{limit:g} s", "zh": "最多 {limit:g} 秒"},
    "budget.per_loop": {"en": "{limit:,} per loop", "zh": "每个循环最多 {limit:,} 次"},
    "budget.nested_calls": {
        "en": "{limit} nested calls",
        "zh": "最多嵌套调用 {limit} 层",
    },
    "budget.characters": {"en": "{limit:,} characters", "zh": "最多 {limit:,} 个字符"},
    "budget.over": {"en": "{size:,} > {limit:,}", "zh": "{size:,} > {limit:,}"},
    "budget.total": {"en": "{limit:,}", "zh": "最多 {limit:,} 个"},
    "budget.nodes": {"en": "more than {limit:,} nodes", "zh": "超过 {limit:,} 个节点"},
    "budget.data_dependent": {
        "en": "its size depends on data and cannot be checked",
        "zh": "结果的大小取决于数据，无法事先检查",
    },
    "budget.flops": {"en": "about {size:,} > {limit:,}", "zh": "约 {size:,} > {limit:,}"},
    "budget.bits": {"en": "about {size:,} bits > {limit:,}", "zh": "约 {size:,} 位 > {limit:,}"},
    "budget.format_width": {
        "en": "a format width above {limit:,}",
        "zh": "格式宽度超过 {limit:,}",
    },
    "budget.python_stack": {"en": "Python's own stack", "zh": "Python 自身的调用栈"},
    "budget.too_much_memory": {
        "en": "the program asked for too much memory",
        "zh": "程序申请的内存太多",
    },
    "budget.comparing": {
        "en": "comparing tensors of {size:,} elements",
        "zh": "比较含 {size:,} 个元素的张量",
    },
    # Language constructs the sandbox refuses: what it is, and what to write instead.
    "construct.except_star": {"en": "except*", "zh": "except*"},
    "construct.except_star.advice": {
        "en": "use a plain except clause",
        "zh": "请使用普通的 except 子句",
    },
    "construct.metaclass": {"en": "metaclass=", "zh": "metaclass="},
    "construct.metaclass.advice": {"en": "derive from a class instead", "zh": "请改为继承一个类"},
    "construct.class_decorator": {"en": "a class decorator", "zh": "类装饰器"},
    "construct.class_decorator.advice": {"en": "define the class plainly", "zh": "请直接定义类"},
    "construct.class_body": {
        "en": "this statement in a class body",
        "zh": "类体中的这种语句",
    },
    "construct.class_body.advice": {
        "en": "a class body holds methods (def) and plain assignments",
        "zh": "类体中只能写方法（def）和普通赋值",
    },
    "construct.global": {"en": "global", "zh": "global"},
    "construct.nonlocal": {"en": "nonlocal", "zh": "nonlocal"},
    "construct.arguments.advice": {
        "en": "pass values as arguments and return results",
        "zh": "请通过参数传入数值，并用 return 返回结果",
    },
    "construct.async": {"en": "async code", "zh": "异步代码"},
    "construct.async.advice": {"en": "write ordinary statements", "zh": "请写普通语句"},
    "construct.yield": {"en": "yield", "zh": "yield"},
    "construct.yield.advice": {"en": "build a list and return it", "zh": "请构造一个列表并返回它"},
    "construct.walrus": {"en": "the walrus operator :=", "zh": "海象运算符 :="},
    "construct.walrus.advice": {
        "en": "assign on its own line first",
        "zh": "请先在单独一行赋值",
    },
    "construct.del": {"en": "del", "zh": "del"},
    "construct.del.advice": {
        "en": "assign None or a new value instead",
        "zh": "请赋值为 None 或新的值",
    },
    "construct.match": {"en": "match", "zh": "match"},
    "construct.match.advice": {"en": "use if / elif / else", "zh": "请使用 if / elif / else"},
    "construct.star_import": {"en": "a star-import", "zh": "星号导入"},
    "construct.star_import.advice": {
        "en": "import the names you need: from torch import nn, optim",
        "zh": "请导入需要的名称：from torch import nn, optim",
    },
    "construct.annotation": {"en": "a type annotation", "zh": "类型注解"},
    "construct.annotation.advice": {
        "en": "write a plain assignment: x = ...",
        "zh": "请直接赋值：x = ...",
    },
    # What to use instead of a refused attribute or builtin (appended to its message).
    "advice.tolist": {"en": ": use .tolist() or .item()", "zh": "：请用 .tolist() 或 .item()"},
    "advice.hooks": {"en": ": hooks are not available", "zh": "：这里不能注册钩子"},
    "advice.cpu": {"en": ": this sandbox runs on the CPU", "zh": "：这里只在 CPU 上运行"},
    "advice.isinstance": {
        "en": ": use isinstance(x, torch.Tensor)",
        "zh": "：请用 isinstance(x, torch.Tensor)",
    },
    "advice.attribute": {"en": ": write x.name directly", "zh": "：请直接写 x.name"},
    "advice.files": {
        "en": ": programs here cannot read files or ask for input",
        "zh": "：这里不能读写文件，也不能等待输入",
    },
    "advice.code": {"en": ": write the code itself", "zh": "：请直接写出代码"},
    "advice.print": {"en": ": print the variables you need", "zh": "：请打印需要的变量"},
    # How a worker job can end other than with an answer.
    "reply.malformed": {
        "en": "the worker sent a malformed reply",
        "zh": "工作进程返回了无效的结果",
    },
    "reply.job_failed": {"en": "{type}: {detail}", "zh": "{type}: {detail}"},
    "reply.sandbox_failed": {
        "en": "the sandbox failed, not your program: {text}",
        "zh": "沙箱内部出错（不是你的程序的问题）：{text}",
    },
    "reply.timeout": {
        "en": "the program was stopped: it ran longer than {seconds:g} s",
        "zh": "程序已被停止：运行时间超过 {seconds:g} 秒",
    },
    "reply.shutting_down": {"en": "the server is shutting down", "zh": "服务器正在关闭"},
    "reply.busy": {
        "en": "the server is busy: no worker was free within {seconds:g} s; please try again",
        "zh": "服务器繁忙：{seconds:g} 秒内没有空闲的工作进程，请稍后重试",
    },
    "reply.memory": {
        "en": "the program used more memory than allowed",
        "zh": "程序使用的内存超过了允许的上限",
    },
    "reply.exit": {
        "en": "the program's worker process exited unexpectedly (exit code {status})",
        "zh": "运行程序的工作进程意外退出（退出码 {status}）",
    },
    "reply.cpu": {
        "en": "the program was stopped: it used more CPU time than allowed",
        "zh": "程序已被停止：CPU 时间超过上限",
    },
    "reply.signal": {
        "en": "the program crashed PyTorch (signal {signal})",
        "zh": "程序使 PyTorch 崩溃（信号 {signal}）",
    },
}

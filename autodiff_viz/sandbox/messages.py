"""Every text the sandbox shows a student, in English and 简体中文.

:class:`SandboxError` is the one exception the sandbox raises internally; it
carries both texts, the line and the kind, and becomes a
:class:`~autodiff_viz.result.RunError` at the edge. The catalogue below is the
only place wording lives, so both languages stay side by side.
"""

from __future__ import annotations

from autodiff_viz.result import ErrorKind, Notice, RunError

#: key -> (English, Chinese); ``{name}``-style fields are filled by :func:`error`.
CATALOGUE: dict[str, tuple[str, str]] = {
    "syntax": ("this is not valid Python: {reason}", "这不是合法的 Python 代码：{reason}"),
    "too_long": (
        "the program is too long ({size} characters; the limit is {limit})",
        "程序太长（{size} 个字符，上限 {limit}）",
    ),
    "too_deep": (
        "the program is nested too deeply (more than {limit} levels)",
        "程序嵌套太深（超过 {limit} 层）",
    ),
    "underscore": (
        "names starting with '_' are not available here ('{name}'): they reach Python's internals",
        "这里不能使用以下划线开头的名字（'{name}'）：它们会触及 Python 内部",
    ),
    "lookalike": (
        "the name '{raw}' is written with look-alike characters; type it as '{name}'",
        "名字 '{raw}' 含有形似字符，请直接输入 '{name}'",
    ),
    "construct": ("{what} is not supported here: {instead}", "这里不支持 {what}：{instead}"),
    "import": (
        "'{module}' is not available here: only torch can be imported "
        "(import torch, import torch.nn as nn, from torch import nn, optim)",
        "这里不能导入 '{module}'：只能导入 torch"
        "（import torch、import torch.nn as nn、from torch import nn, optim）",
    ),
    "import_numpy": (
        "numpy is not available here: use torch.tensor(...) instead of np.array(...)",
        "这里没有 numpy：请用 torch.tensor(...) 代替 np.array(...)",
    ),
    "import_math": (
        "the math module is not available here: use torch.sin, torch.exp, torch.pi, ... "
        "on tensors, or ** for powers",
        "这里没有 math 模块：请对张量使用 torch.sin、torch.exp、torch.pi 等，或用 ** 求幂",
    ),
    "import_name": (
        "'{module}' has no member '{name}' here",
        "这里的 '{module}' 没有成员 '{name}'",
    ),
    "builtin": ("{name}() is not available here{instead}", "这里不能使用 {name}(){instead}"),
    "attribute": (
        "'{owner}.{name}' is not available here{instead}",
        "这里不能使用 '{owner}.{name}'{instead}",
    ),
    "set_attribute": (
        "'{owner}.{name}' cannot be assigned here",
        "这里不能给 '{owner}.{name}' 赋值",
    ),
    "not_callable": ("'{owner}' object is not callable", "'{owner}' 对象不能被调用"),
    "argument": ("{name}: {detail}", "{name}：{detail}"),
    "name": ("name '{name}' is not defined", "名字 '{name}' 没有定义"),
    "unbound": (
        "local variable '{name}' referenced before assignment",
        "局部变量 '{name}' 在赋值前被使用",
    ),
    "context": (
        "'with' works here only with torch.no_grad(), torch.enable_grad() "
        "or torch.set_grad_enabled(...)",
        "这里的 'with' 只能用于 torch.no_grad()、torch.enable_grad() "
        "或 torch.set_grad_enabled(...)",
    ),
    "runtime": ("{name}: {detail}", "运行出错 {name}: {detail}"),
    "budget": (
        "the program went over the limit of {limit} ({detail})",
        "程序超出了{limit}的上限（{detail}）",
    ),
    "internal": ("internal error: {detail}", "内部错误：{detail}"),
    "bidi": (
        "the program contains the invisible control character {char}, which makes code "
        'look different from what runs ("Trojan Source"); delete it',
        "程序含有不可见的控制字符 {char}，它会让代码看起来与实际运行的不一样"
        "（“Trojan Source”）；请删除它",
    ),
    "lookalike_warning": (
        "the name '{name}' contains {char}, a letter that only looks Latin: "
        "it is a different name from the one it resembles",
        "名字 '{name}' 含有 {char}，这个字母只是看起来像拉丁字母："
        "它与看起来相同的名字并不是同一个名字",
    ),
    "device": (
        "only the CPU is available here: device '{device}' cannot be used; "
        "leave out device=... or write 'cpu'",
        "这里只能使用 CPU：不能使用设备 '{device}'；请去掉 device=... 或写 'cpu'",
    ),
    "optimizer_params": (
        "an optimiser's parameters cannot be changed here: build a new one, "
        "e.g. torch.optim.SGD([w, b], lr=0.1)",
        "这里不能修改优化器的参数：请新建一个优化器，例如 torch.optim.SGD([w, b], lr=0.1)",
    ),
    "optimizer_key": (
        "KeyError: '{setting}' is not a setting of this optimiser; its settings are {settings}",
        "运行出错 KeyError：'{setting}' 不是这个优化器的设置；它的设置有 {settings}",
    ),
    "optimizer_value": (
        "TypeError: the optimiser setting '{setting}' must be {expected}, not {got}",
        "运行出错 TypeError：优化器的设置 '{setting}' 必须是{expected}，而不是 {got}",
    ),
    "warnings_more": (
        "... and {count} more warnings, not shown",
        "……还有 {count} 条警告没有显示",
    ),
}

#: limit id -> (English, Chinese) names used in budget messages.
LIMITS: dict[str, tuple[str, str]] = {
    "steps": ("interpreter steps", "解释器步数"),
    "loop_iterations": ("loop iterations", "循环次数"),
    "recursion_depth": ("recursion depth", "递归深度"),
    "tensor_elements": ("elements in one tensor", "单个张量的元素数"),
    "total_elements": ("tensor elements allocated in one run", "一次运行分配的张量元素总数"),
    "flops_per_op": ("work in one operation (FLOPs)", "单个运算的计算量（FLOPs）"),
    "autograd_nodes": ("autograd graph size (nodes)", "计算图大小（节点数）"),
    "output_chars": ("printed output (characters)", "输出文字（字符数）"),
    "seconds": ("time (seconds)", "运行时间（秒）"),
    "sequence_length": ("length of a list, string or range", "列表、字符串或 range 的长度"),
    "int_bits": ("size of an integer (bits)", "整数大小（位）"),
    "memory": ("memory", "内存"),
    "text_length": ("length of a string being built (characters)", "要生成的字符串长度（字符数）"),
    "tensors_per_op": ("tensors returned by one operation", "单个运算返回的张量个数"),
    "optimizer_work": ("work in one optimiser step (FLOPs)", "优化器单步的计算量（FLOPs）"),
}


class SandboxError(Exception):
    """A refusal or failure of the user's program, with texts in both languages."""

    def __init__(
        self,
        kind: ErrorKind,
        message: str,
        message_zh: str,
        line: int | None = None,
        exc_type: str | None = None,
    ) -> None:
        super().__init__(message)
        self.kind: ErrorKind = kind
        self.message = message
        self.message_zh = message_zh
        self.line = line
        self.exc_type = exc_type

    def at(self, line: int | None) -> SandboxError:
        """Give the error a line if it has none yet (the innermost line wins)."""
        if self.line is None and line is not None:
            self.line = line
        return self

    def to_run_error(self) -> RunError:
        if self.line is None:
            return RunError(self.kind, self.message, None, self.message_zh, self.exc_type)
        return RunError(
            kind=self.kind,
            message=f"Line {self.line}: {self.message}",
            line=self.line,
            message_zh=f"第 {self.line} 行：{self.message_zh}",
            exc_type=self.exc_type,
        )


def error(
    kind: ErrorKind,
    key: str,
    line: int | None = None,
    exc_type: str | None = None,
    **fields: object,
) -> SandboxError:
    """Build the error ``key`` of the catalogue with its fields filled in.

    A field ``foo_zh`` replaces ``foo`` in the Chinese text.
    """
    en, zh = CATALOGUE[key]
    zh_fields = {name: fields.get(f"{name}_zh", value) for name, value in fields.items()}
    return SandboxError(kind, en.format(**fields), zh.format(**zh_fields), line, exc_type)


def notice(key: str, line: int | None = None, **fields: object) -> Notice:
    """A warning of the sandbox (not an error) from the catalogue, with its line."""
    found = error("refused", key, line, None, **fields).to_run_error()
    return Notice(found.message, found.message_zh or found.message, line)


def budget(limit: str, detail: str, line: int | None = None) -> SandboxError:
    """The error for reaching the limit ``limit`` (a key of :data:`LIMITS`)."""
    en, zh = LIMITS[limit]
    return error("budget", "budget", line, limit=en, limit_zh=zh, detail=detail)


def runtime(exc: BaseException, line: int | None = None) -> SandboxError:
    """An exception the program raised, keeping Python's / PyTorch's own text."""
    name = type(exc).__name__
    detail = str(exc)
    if isinstance(exc, KeyError) and exc.args:
        detail = repr(exc.args[0])
    return error("runtime", "runtime", line, exc_type=name, name=name, detail=detail)


def construct(what: str, line: int | None) -> SandboxError:
    """Refuse a language construct (a key of :data:`CONSTRUCTS`) with advice."""
    instead, what_zh, instead_zh = CONSTRUCTS[what]
    return SandboxError(
        "refused",
        CATALOGUE["construct"][0].format(what=what, instead=instead),
        CATALOGUE["construct"][1].format(what=what_zh, instead=instead_zh),
        line,
    )


#: construct -> (advice, the construct in Chinese, advice in Chinese)
CONSTRUCTS: dict[str, tuple[str, str, str]] = {
    "class": (
        "write functions (def) and plain variables, or use torch.nn.Linear / nn.Sequential",
        "class（类）",
        "请写函数（def）和普通变量，或使用 torch.nn.Linear / nn.Sequential",
    ),
    "lambda": ("write a small function with def instead", "lambda", "请用 def 写一个小函数"),
    "try/except": (
        "let the error show; fix the line it names",
        "try/except",
        "让错误显示出来，然后修改它指出的那一行",
    ),
    "raise": ("print a message instead", "raise", "请改用 print 输出信息"),
    "global": (
        "pass values as arguments and return results",
        "global",
        "请通过参数传入数值，并用 return 返回结果",
    ),
    "nonlocal": (
        "pass values as arguments and return results",
        "nonlocal",
        "请通过参数传入数值，并用 return 返回结果",
    ),
    "async code": ("write ordinary statements", "异步代码", "请写普通语句"),
    "yield": ("build a list and return it", "yield", "请构造一个列表并返回它"),
    "a decorator": ("call the function directly", "装饰器", "请直接调用函数"),
    "*args / **kwargs": ("name each argument", "*args / **kwargs", "请逐个写出参数名"),
    "the walrus operator :=": (
        "assign on its own line first",
        "海象运算符 :=",
        "请先在单独一行赋值",
    ),
    "del": ("assign None or a new value instead", "del", "请赋值为 None 或新的值"),
    "match": ("use if / elif / else", "match", "请使用 if / elif / else"),
    "a star-import": (
        "import the names you need: from torch import nn, optim",
        "星号导入",
        "请导入需要的名字：from torch import nn, optim",
    ),
    "a type annotation": ("write a plain assignment: x = ...", "类型注解", "请直接赋值：x = ..."),
}

"""The page listing the Python and PyTorch a program may use (pages/language.py)."""

STRINGS: dict[str, dict[str, str]] = {
    "page.language": {"en": "Supported Python", "zh": "支持的 Python"},
    "language.intro": {
        "en": "What a program in the explorer may use. The lists are read from the sandbox's "
        "own tables, so they are exactly what runs; anything else is refused with a message "
        "naming the line.",
        "zh": "在计算图探索页中，程序可以使用的内容。下面的列表直接取自沙箱自己的表格，"
        "与实际运行的完全一致；其他内容都会被拒绝，并给出指明行号的提示。",
    },
    "language.python": {"en": "Python", "zh": "Python 语法"},
    "language.python.body": {
        "en": "Assignments, if/elif/else, for/while with break/continue/else, def with defaults, "
        "keyword-only arguments, `*args` and `**kwargs`, lambda, closures, decorators "
        "(`@torch.no_grad()`, `@torch.enable_grad()`, your own), comprehensions, f-strings, "
        "str.format and % formatting, try/except/else/finally, raise, assert, with for grad "
        "modes, classes (nn.Module models, torch.autograd.Function, plain classes, exception "
        "classes) with `__init__`, methods, `super()`, `@staticmethod`, `@classmethod` and `@property`. "
        "Not available: names starting with `_` (except `__init__` and `torch.__version__`), "
        "global/nonlocal, yield, async, del, match, the walrus operator, metaclasses.",
        "zh": "赋值、if/elif/else、带 break/continue/else 的 for/while、带默认值的 def、"
        "仅限关键字参数、`*args` 和 `**kwargs`、lambda、闭包、装饰器（`@torch.no_grad()`、"
        "`@torch.enable_grad()` 以及自己写的装饰器）、推导式、f-string、str.format 和 % 格式化、"
        "try/except/else/finally、raise、assert、用于梯度模式的 with、类（nn.Module 模型、"
        "torch.autograd.Function、普通类、异常类），包括 `__init__`、方法、`super()`、"
        "`@staticmethod`、`@classmethod` 和 `@property`。不能使用：以 `_` 开头的名称"
        "（`__init__` 和 `torch.__version__` 除外）、global/nonlocal、yield、async、del、match、"
        "海象运算符、元类。",
    },
    "language.builtins": {"en": "Builtins", "zh": "内置函数"},
    "language.modules": {"en": "Modules and their members", "zh": "模块及其成员"},
    "language.tensor": {"en": "Tensor methods and attributes", "zh": "张量的方法和属性"},
    "language.objects": {
        "en": "Members of models, optimizers, arrays and grad_fn",
        "zh": "模型、优化器、数组和 grad_fn 的成员",
    },
}

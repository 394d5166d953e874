"""What a common Python or PyTorch error means and how to fix it, for a student.

:mod:`autodiff_viz.sandbox.error_hints` recognises the error by PyTorch's or
Python's own message and names one of these keys; the explanation is shown
with the original sentence kept beside it (``sandbox.explained``,
``sandbox.syntax_explained``), so a student can still search for it.
"""

_NONE = {
    "en": "the value is None: a non-leaf tensor's .grad is None unless you call .retain_grad() "
    "before backward(), a leaf's .grad is None before backward(), and a function without "
    "return gives None",
    "zh": "参与运算的值是 None：非叶子节点的 .grad 是 None（除非在 backward() 之前调用 "
    ".retain_grad()），叶子节点在 backward() 之前 .grad 也是 None，没有 return 的函数返回 None",
}

STRINGS: dict[str, dict[str, str]] = {
    # PyTorch at run time.
    "hint.scalar_backward": {
        "en": "backward() needs a scalar: call .sum() or .mean() first, or pass a gradient argument",
        "zh": "只能对标量调用 backward()：请先 .sum() 或 .mean()，或传入 gradient 参数",
    },
    "hint.broadcast": {
        "en": "these shapes cannot be broadcast: in dimension {dim} one tensor has {a} elements "
        "and the other {b}; matching sizes must be equal or 1 (print x.shape to check)",
        "zh": "两个张量的形状无法广播：第 {dim} 维一个有 {a} 个元素，另一个有 {b} 个；"
        "对应维的大小必须相等，或其中一个为 1，可以用 print(x.shape) 查看形状",
    },
    "hint.matmul": {
        "en": "in a matrix product the first matrix's columns must equal the second's rows, "
        "but ({r1}×{c1}) @ ({r2}×{c2}) has {c1} ≠ {r2}: check the shapes, or transpose one with .T",
        "zh": "矩阵乘法要求第一个矩阵的列数等于第二个矩阵的行数，而 ({r1}×{c1}) @ ({r2}×{c2}) "
        "中 {c1} ≠ {r2}：请检查形状，或用 .T 转置其中一个",
    },
    "hint.product_size": {
        "en": "the tensors of this product do not have matching sizes: print their .shape to check",
        "zh": "这个乘积中的张量大小不匹配：请用 print(x.shape) 检查它们的形状",
    },
    "hint.view": {
        "en": "the new shape must hold exactly {size} elements (the product of its sizes); "
        "write -1 for one size to let PyTorch work it out",
        "zh": "新形状的元素总数（各维大小之积）必须等于 {size}；"
        "可以把其中一维写成 -1，让 PyTorch 自动推算",
    },
    "hint.backward_twice": {
        "en": "a graph can be walked backward only once: backward() frees its saved values; "
        "pass retain_graph=True to the first backward(), or run the forward pass again",
        "zh": "同一个计算图只能反向传播一次：backward() 之后中间结果已被释放；"
        "请在第一次调用时传入 retain_graph=True，或重新做一遍前向传播",
    },
    "hint.leaf_inplace": {
        "en": "a leaf tensor that requires grad cannot be changed in place (x += 1, x.add_(1)): "
        "write x = x + 1 for a new tensor, or update it inside with torch.no_grad()",
        "zh": "需要梯度的叶子节点不能原地修改（如 x += 1、x.add_(1)）："
        "请写成 x = x + 1 得到新张量，或在 with torch.no_grad() 中更新它",
    },
    "hint.modified_inplace": {
        "en": "backward needs a value that an in-place operation (y += 1, y.add_(1)) has changed "
        "since: write y = y + 1 instead",
        "zh": "反向传播需要的某个中间结果后来被原地运算（如 y += 1、y.add_(1)）改掉了："
        "请改写成 y = y + 1",
    },
    "hint.dtype": {
        "en": "the tensors have different data types (dtype): make them the same with .float() "
        "or dtype=torch.float32",
        "zh": "两个张量的数据类型（dtype）不同：请用 .float() 或 dtype=torch.float32 统一类型",
    },
    "hint.int_grad": {
        "en": "only floating-point tensors can require grad: write 1.0 rather than 1, "
        "or pass dtype=torch.float32",
        "zh": "只有浮点类型的张量才能要求梯度：请写 1.0 而不是 1，或传入 dtype=torch.float32",
    },
    "hint.index": {
        "en": "index {index} is out of range: dimension {dim} has {size} elements, "
        "so its indices go from 0 to {last}",
        "zh": "下标 {index} 超出范围：第 {dim} 维只有 {size} 个元素，下标只能从 0 到 {last}",
    },
    "hint.sequence_index": {
        "en": "the index is past the end: a sequence of length n has indices 0 to n - 1 "
        "(print(len(a)) to check)",
        "zh": "下标超出范围：长度为 n 的序列，下标只能从 0 到 n - 1，可以用 print(len(a)) 查看长度",
    },
    "hint.dim": {
        "en": "there is no dimension {got}: this tensor's dimensions go from {lo} to {hi} "
        "(print(x.shape) to check)",
        "zh": "没有第 {got} 维：这个张量的维度只能从 {lo} 到 {hi}，可以用 print(x.shape) 查看形状",
    },
    "hint.no_grad_fn": {
        "en": "this result does not depend on anything that requires grad: create the input "
        "with requires_grad=True, and do not compute it under torch.no_grad() or after detach()",
        "zh": "这个结果不依赖任何需要梯度的张量，无法反向传播：请在创建自变量时写 "
        "requires_grad=True，并确认它不是在 torch.no_grad() 中或 detach() 之后算出的",
    },
    "hint.item": {
        "en": ".item() works only on a tensor of one element and this one has {n}: "
        "call .sum() first, or pick one element with an index",
        "zh": ".item() 只能用于只含一个元素的张量，这个张量有 {n} 个元素：请先 .sum()，或用下标取出一个元素",
    },
    "hint.bool": {
        "en": "a tensor of several values is neither true nor false: use (x > 0).all() "
        "or (x > 0).any()",
        "zh": "含多个元素的张量不能直接当作真假来判断：请用 (x > 0).all() 或 (x > 0).any()",
    },
    "hint.none": _NONE,
    # Warnings: the program goes on, but probably not as meant.
    "hint.nonleaf_grad": {
        "en": "backward() keeps no gradient in a non-leaf tensor's .grad, so it reads None: "
        "call .retain_grad() on it before backward(), or read a leaf's .grad",
        "zh": "反向传播不会把梯度保存在非叶子节点的 .grad 中，所以读到的是 None："
        "请在 backward() 之前对它调用 .retain_grad()，或者读取叶子节点的 .grad",
    },
    "hint.target_size": {
        "en": "the target's shape {target} differs from the input's {input}: broadcasting "
        "makes the loss compare every pair, which is almost never meant; make the shapes equal "
        "(for example with .view(-1, 1) or .squeeze())",
        "zh": "目标的形状 {target} 与输入的形状 {input} 不同：广播会让损失比较所有的组合，"
        "这几乎不是你想要的；请让两者形状一致（例如用 .view(-1, 1) 或 .squeeze()）",
    },
    # Python's parser.
    "hint.never_closed": {
        "en": "the bracket '{bracket}' is never closed: add the closing bracket on this line "
        "or a later one",
        "zh": "括号 '{bracket}' 没有闭合，请在这一行或后面补上对应的右括号",
    },
    "hint.unmatched": {
        "en": "there is one closing bracket '{bracket}' too many",
        "zh": "多了一个右括号 '{bracket}'，前面没有与之对应的左括号",
    },
    "hint.mismatched": {
        "en": "the closing bracket '{close}' does not match the opening '{open}'",
        "zh": "右括号 '{close}' 与左括号 '{open}' 不配对",
    },
    "hint.indent_expected": {
        "en": "a line ending in a colon (for, if, def, with) must be followed by indented lines "
        "(usually 4 spaces)",
        "zh": "以冒号结尾的语句（for、if、def、with）后面的行需要缩进（通常是 4 个空格）",
    },
    "hint.indent_unexpected": {
        "en": "this line should not be indented: remove the spaces at its start",
        "zh": "这一行不该缩进，请删掉行首多余的空格",
    },
    "hint.indent_mismatch": {
        "en": "this line's indentation matches no outer level: indent lines of one block by the "
        "same number of spaces",
        "zh": "这一行的缩进与外层任何一层都对不上，同一层的代码要用相同数量的空格缩进",
    },
    "hint.tabs": {
        "en": "the indentation mixes tabs and spaces: use spaces only",
        "zh": "缩进混用了 Tab 和空格，请只用空格",
    },
    "hint.colon": {
        "en": "a colon is missing: for, if, while, def and with lines end in ':'",
        "zh": "缺少冒号，for、if、while、def、with 语句的末尾要写英文冒号 ':'",
    },
    "hint.full_width": {
        "en": "the character '{char}' cannot be part of code: switch the input method to English "
        "and type half-width punctuation",
        "zh": "代码中不能有字符 '{char}'，请切换到英文输入法，改用半角标点",
    },
    "hint.comma": {
        "en": "a comma may be missing: separate list items and arguments with ','",
        "zh": "这里可能少了一个逗号，列表元素和参数之间要用英文逗号 ',' 分隔",
    },
    "hint.string": {
        "en": "the string is never closed: add the matching quote",
        "zh": "字符串没有结束，请补上配对的引号",
    },
    "hint.assign": {
        "en": "only a name can be assigned to: compare two values with ==",
        "zh": "等号左边只能是变量名，比较两个值请用 ==",
    },
    "hint.number_name": {
        "en": "a number runs into letters: a name cannot start with a digit, and a product "
        "needs * (2*x)",
        "zh": "数字后面紧跟着字母，变量名不能以数字开头，乘法要写 *（如 2*x）",
    },
    "hint.invalid_syntax": {
        "en": "Python cannot read this line: check its brackets, colons, commas and operators "
        "(the mistake may be at the end of the line before)",
        "zh": "Python 读不懂这一行，请检查括号、冒号、逗号和运算符是否完整，错误也可能在上一行末尾",
    },
}

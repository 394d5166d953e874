"""The supported surface of the sandbox, as tables one can read.

Anything not named here does not exist for a program. Each torch callable
carries a *category* that tells :mod:`~autodiff_viz.sandbox.budgets` how to
bound its cost before it runs:

``pointwise``  broadcasting ops: output and work are at most the product of the
               inputs' sizes, so small inputs need no further check
``reduce``     the output is no larger than the inputs (sum, softmax, clone, ...)
``matmul``     work is m*n*k, also at most the product of the inputs' sizes
``view``       shares storage with its input: allocates nothing (a copy it has to
               make, ``reshape`` of a transposed tensor, is counted after the call)
``expand``     a view with more elements than its input: replayed on ``meta`` first,
               since every later copy (even the graph recorder's) pays for all of them
``concat``     the output is the sum of the inputs' sizes (cat, stack)
``meta``       replayed first on ``device="meta"`` copies to learn the output size
``factory``    builds a tensor from sizes: replayed with ``device="meta"``
``data``       builds a tensor from Python data, which is already bounded
``plain``      returns no new large tensor (``item``, ``zero_``, ...)
``optimizer``  builds an optimiser: its step is costed by parameters x state first
``backward``   runs the autograd engine: the graph size is checked first

Entries are grown from real tutorials; add one line to support one more name.
"""

from __future__ import annotations

POINTWISE, REDUCE, MATMUL, VIEW, META = "pointwise", "reduce", "matmul", "view", "meta"
CONCAT, EXPAND, OPTIMIZER = "concat", "expand", "optimizer"
FACTORY, DATA, PLAIN, BACKWARD = "factory", "data", "plain", "backward"
NAMESPACE, VALUE, CONTEXT, SEED, TYPE = "namespace", "value", "context", "seed", "type"


def _words(text: str) -> list[str]:
    """Names written as one spaced string, to keep the table short to read."""
    return text.split()


_POINTWISE_OPS = _words(
    "add sub subtract mul multiply div divide true_divide floor_divide pow exp exp2 expm1 "
    "log log2 log10 log1p sqrt rsqrt square abs neg negative sign sin cos tan asin acos "
    "atan atan2 arcsin arccos arctan sinh cosh tanh asinh acosh atanh sigmoid relu clamp "
    "clip maximum minimum fmax fmin where floor ceil round trunc frac reciprocal erf lerp "
    "fmod remainder eq ne lt le gt ge greater less equal logical_and logical_or logical_not "
    "logical_xor isnan isinf isfinite nan_to_num hypot masked_fill"
)
_REDUCE_OPS = _words(
    "sum mean prod max min amax amin argmax argmin norm std var logsumexp cumsum cumprod "
    "softmax log_softmax all any sort argsort topk trace diagonal clone"
)
_MATMUL_OPS = _words("matmul mm bmm mv dot outer inner")
_VIEW_OPS = _words(
    "reshape view flatten squeeze unsqueeze transpose t permute detach chunk split unbind "
    "narrow select movedim swapaxes"
)
_CONCAT_OPS = _words("cat concat stack hstack vstack")
_META_OPS = _words("diag tril triu flip roll gather index_select")

#: torch.<name>
TORCH: dict[str, str] = {
    **dict.fromkeys(_POINTWISE_OPS, POINTWISE),
    **dict.fromkeys(_REDUCE_OPS, REDUCE),
    **dict.fromkeys(_MATMUL_OPS, MATMUL),
    **dict.fromkeys([n for n in _VIEW_OPS if n != "view"], VIEW),  # view: a method only
    **dict.fromkeys(_META_OPS, META),
    **dict.fromkeys(_CONCAT_OPS, CONCAT),
    "broadcast_to": EXPAND,
    "tensor": DATA,
    "as_tensor": DATA,
    "zeros": FACTORY,
    "ones": FACTORY,
    "full": FACTORY,
    "eye": FACTORY,
    "arange": FACTORY,
    "linspace": FACTORY,
    "logspace": FACTORY,
    "rand": FACTORY,
    "randn": FACTORY,
    "randint": FACTORY,
    "randperm": FACTORY,
    "zeros_like": FACTORY,
    "ones_like": FACTORY,
    "full_like": FACTORY,
    "rand_like": FACTORY,
    "randn_like": FACTORY,
    "allclose": PLAIN,
    "equal": PLAIN,
    "is_tensor": PLAIN,
    "numel": PLAIN,
    "is_grad_enabled": PLAIN,
    "manual_seed": SEED,  # reseeds this run's forked generator only
    "no_grad": CONTEXT,
    "enable_grad": CONTEXT,
    "set_grad_enabled": CONTEXT,
    "Tensor": TYPE,  # for isinstance(x, torch.Tensor); not callable
    "float16 float32 float64 bfloat16 half float double": VALUE,
    "int8 int16 int32 int64 uint8 short int long bool": VALUE,
    "pi e inf nan": VALUE,
    "nn": NAMESPACE,
    "optim": NAMESPACE,
    "autograd": NAMESPACE,
    "__version__": VALUE,
}

#: torch.nn.<name>; modules are built for real only after a meta dry run
NN: dict[str, str] = {
    "Linear": FACTORY,
    "Bilinear": FACTORY,
    "Parameter": PLAIN,
    "Sequential": PLAIN,
    "ReLU Sigmoid Tanh Softmax LogSoftmax LeakyReLU GELU Softplus Identity Flatten": PLAIN,
    "MSELoss L1Loss CrossEntropyLoss NLLLoss BCELoss BCEWithLogitsLoss HuberLoss": PLAIN,
    "functional": NAMESPACE,
}

#: torch.nn.functional.<name>
FUNCTIONAL: dict[str, str] = {
    "relu sigmoid tanh leaky_relu gelu softplus elu silu hardtanh": POINTWISE,
    "softmax log_softmax normalize": REDUCE,
    "mse_loss l1_loss smooth_l1_loss huber_loss binary_cross_entropy": POINTWISE,
    "binary_cross_entropy_with_logits": POINTWISE,
    "cross_entropy nll_loss": META,
    "linear": MATMUL,
}

#: torch.optim.<name>
OPTIM: dict[str, str] = {"SGD Adam AdamW RMSprop Adagrad": OPTIMIZER}

#: torch.autograd.<name>
AUTOGRAD: dict[str, str] = {"grad": BACKWARD, "backward": BACKWARD}

#: Tensor methods: x.<name>(...)
TENSOR_METHODS: dict[str, str] = {
    **dict.fromkeys(_POINTWISE_OPS, POINTWISE),
    **dict.fromkeys(_REDUCE_OPS, REDUCE),
    **dict.fromkeys(_MATMUL_OPS, MATMUL),
    **dict.fromkeys(_VIEW_OPS, VIEW),
    **dict.fromkeys(_META_OPS, META),
    "add_ sub_ mul_ div_ pow_ clamp_ abs_ neg_ exp_ masked_fill_": POINTWISE,
    "float double half long int bool contiguous to type_as": REDUCE,
    "view_as reshape_as detach_": VIEW,
    "expand expand_as broadcast_to": EXPAND,
    "repeat tile": META,
    "backward": BACKWARD,
    "retain_grad requires_grad_ zero_ fill_ copy_ uniform_ normal_ item tolist": PLAIN,
    "size dim numel nelement is_floating_point element_size": PLAIN,
}

#: Tensor data attributes a program may read: x.<name>
TENSOR_ATTRIBUTES = frozenset(
    _words("data grad requires_grad is_leaf shape dtype device ndim T mT grad_fn")
)
#: ... and may assign: x.<name> = value
TENSOR_SETTABLE = frozenset({"data", "grad", "requires_grad"})

#: Attributes refused, with the ``advice.*`` key of what to do instead ("" for none).
TENSOR_REFUSED: dict[str, str] = {
    "numpy": "tolist",
    "register_hook": "hooks",
    "storage untyped_storage data_ptr set_ apply_ map_ to_sparse share_memory_": "",
    "cuda pin_memory": "cpu",
}

#: torch.nn.Module instances (Linear, MSELoss, Sequential, ...)
MODULE_METHODS: dict[str, str] = {
    "parameters named_parameters zero_grad train eval requires_grad_": PLAIN,
}
MODULE_ATTRIBUTES = frozenset(_words("weight bias in_features out_features training reduction"))

#: torch.optim.Optimizer instances
OPTIMIZER_METHODS: dict[str, str] = {"zero_grad step": PLAIN}
OPTIMIZER_ATTRIBUTES = frozenset({"param_groups", "defaults"})

#: results such as torch.max(x, dim=0)
RETURN_TYPE_ATTRIBUTES = frozenset({"values", "indices"})

#: plain Python values: "<type>": "methods"
PYTHON_METHODS: dict[str, frozenset[str]] = {
    "str": frozenset(
        _words(
            "format join split rsplit strip lstrip rstrip upper lower title capitalize replace "
            "startswith endswith find count isdigit isalpha splitlines"
        )
    ),
    "list": frozenset(
        _words("append extend pop insert index count copy reverse sort clear remove")
    ),
    "tuple": frozenset({"index", "count"}),
    "dict": frozenset(_words("keys values items get update pop copy setdefault clear")),
    "set": frozenset(_words("add discard remove union intersection difference copy")),
    "int": frozenset({"bit_length"}),
    "float": frozenset({"is_integer"}),
    "Size": frozenset({"numel", "index", "count"}),
    "ParamGroup": frozenset(_words("keys values items get copy")),  # optimiser.param_groups[i]
}

#: builtins a program may call (implemented or wrapped in values.py)
BUILTINS = frozenset(
    _words(
        "print len range abs min max sum round int float str bool list tuple dict set zip "
        "enumerate isinstance sorted reversed any all repr divmod"
    )
)

#: builtins refused by name, with the ``advice.*`` key of what to do instead ("" for none)
REFUSED_BUILTINS: dict[str, str] = {
    "type": "isinstance",
    "getattr setattr delattr hasattr": "attribute",
    "open input": "files",
    "eval exec compile": "code",
    "globals locals vars dir": "print",
    "object super memoryview breakpoint help classmethod staticmethod property": "",
    "id hash iter next callable issubclass format map filter": "",
}


def _expand(table: dict[str, str]) -> dict[str, str]:
    """Let one line list several names that share a category."""
    return {name: category for names, category in table.items() for name in names.split()}


def _expand_pairs(table: dict[str, str]) -> dict[str, str]:
    return {name: advice for names, advice in table.items() for name in names.split()}


TORCH = _expand(TORCH)
NN = _expand(NN)
FUNCTIONAL = _expand(FUNCTIONAL)
OPTIM = _expand(OPTIM)
AUTOGRAD = _expand(AUTOGRAD)
TENSOR_METHODS = _expand(TENSOR_METHODS)
MODULE_METHODS = _expand(MODULE_METHODS)
OPTIMIZER_METHODS = _expand(OPTIMIZER_METHODS)
TENSOR_REFUSED = _expand_pairs(TENSOR_REFUSED)
REFUSED_BUILTINS = _expand_pairs(REFUSED_BUILTINS)

#: importable module path -> its members
NAMESPACES: dict[str, dict[str, str]] = {
    "torch": TORCH,
    "torch.nn": NN,
    "torch.nn.functional": FUNCTIONAL,
    "torch.optim": OPTIM,
    "torch.autograd": AUTOGRAD,
}

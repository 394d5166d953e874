"""The supported surface as Markdown, read from the gate's and allowlist's own tables.

One source of truth for the in-app page (``pages/language.py``) and the README
section between ``<!-- surface:start -->`` and ``<!-- surface:end -->``
(``python -m autodiff_viz.sandbox.surface`` prints the English text; a test
checks the README holds exactly it). Only names of the tables and sentences of
:mod:`autodiff_viz.i18n.language` go into it, never user text.
"""

from __future__ import annotations

from autodiff_viz.i18n import Lang, t
from autodiff_viz.sandbox import allowlist as al
from autodiff_viz.sandbox.gradfn import MEMBERS as GRAD_FN_MEMBERS

_OBJECTS: tuple[tuple[str, frozenset[str] | dict[str, str]], ...] = (
    ("nn.Module", al.MODULE_METHODS),
    ("nn.Module (attributes)", al.MODULE_ATTRIBUTES),
    ("optimizer", al.OPTIMIZER_METHODS),
    ("optimizer (attributes)", al.OPTIMIZER_ATTRIBUTES),
    ("numpy.ndarray", al.NP_ARRAY_METHODS),
    ("numpy.ndarray (attributes)", al.NP_ARRAY_ATTRIBUTES),
    ("grad_fn", GRAD_FN_MEMBERS),
)


def _names(names: frozenset[str] | dict[str, str] | set[str]) -> str:
    return ", ".join(f"`{name}`" for name in sorted(names))


def _namespace(path: str, members: dict[str, str]) -> str:
    shown = {n for n, category in members.items() if category != al.NAMESPACE}
    return f"- **{path}**: {_names(shown)}"


def surface_markdown(lang: Lang) -> str:
    """The whole list, headings in ``lang``; names as code."""
    lines = [f"### {t('language.python', lang)}", "", t("language.python.body", lang), ""]
    lines += [f"### {t('language.builtins', lang)}", "", _names(al.BUILTINS), ""]
    lines += [f"### {t('language.modules', lang)}", ""]
    lines += [
        _namespace(path, members)
        for path, members in al.NAMESPACES.items()
        if any(category != al.NAMESPACE for category in members.values())
    ]
    lines += ["", f"### {t('language.tensor', lang)}", ""]
    lines += [f"- {_names(al.TENSOR_METHODS)}", f"- {_names(al.TENSOR_ATTRIBUTES)}", ""]
    lines += [f"### {t('language.objects', lang)}", ""]
    lines += [f"- **{owner}**: {_names(names)}" for owner, names in _OBJECTS]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(surface_markdown("en"), end="")

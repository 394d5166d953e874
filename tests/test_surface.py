"""The supported-surface list: one source (the tables), shown in the app and the README."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from autodiff_viz.i18n import t
from autodiff_viz.sandbox import allowlist
from autodiff_viz.sandbox.surface import surface_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_readme_section_is_the_generated_list() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- surface:start -->\n") + len("<!-- surface:start -->\n")
    end = readme.index("<!-- surface:end -->")
    assert readme[start:end] == surface_markdown("en"), "run python -m autodiff_viz.sandbox.surface"


def test_every_table_name_is_listed() -> None:
    text = surface_markdown("en")
    for name in (*allowlist.BUILTINS, *allowlist.NN, *allowlist.TENSOR_METHODS, *allowlist.NUMPY):
        if (
            allowlist.NN.get(name) == allowlist.NAMESPACE
            or allowlist.NUMPY.get(name) == "namespace"
        ):
            continue
        assert f"`{name}`" in text, name
    assert "`numpy.load`" not in text and "`load`" not in text


def test_language_page_in_chinese() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "zh"
    at.run()
    at.switch_page("pages/language.py")
    at.run()
    assert not at.exception
    assert at.title[0].value == t("page.language", "zh")
    shown = "\n".join(m.value for m in at.markdown)
    assert t("language.modules", "zh") in shown
    assert "`DataLoader`" in shown and "`super`" in shown

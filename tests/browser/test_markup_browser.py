"""User text never becomes markup in the page: links, images, LaTeX, colours, HTML stay text.

Every place that shows what a program said — an ``assert`` message, a ``KeyError`` key, an
``int()`` argument, printed output, a variable's value, PyTorch's warnings, a derivative's
error — gets Markdown, a ``:red[...]`` directive, LaTeX, raw HTML, a bare address and bidi
text. The page must show them character for character, draw no link, image, styled span or
formula from them, and the browser must ask no outside address for anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from autodiff_viz.explorer.data import share_query
from autodiff_viz.i18n import t
from tests.support.browser import wait_for_app

pytestmark = pytest.mark.browser

#: TEST-NET-2 (RFC 5737): never routed, so a request to it is recorded but reaches nobody.
OUTSIDE = "198.51.100.7"
PAYLOAD = (
    f"[phish](http://{OUTSIDE}/phish) ![px](http://{OUTSIDE}/px.png) **BOLD** :red[RED] "
    f"$x^2$ <b>html</b> <img src=http://{OUTSIDE}/h.png> http://{OUTSIDE}/auto"
)
#: What must still read as typed once on the page (the parts markup would swallow).
LITERAL = ["[phish](", "![px](", "**BOLD**", ":red[RED]", "$x^2$", "<b>html</b>", "<img src="]
ALERTS = "[data-testid='stAlertContainer']"
MAIN = "[data-testid='stMain']"
#: What markup from the payload would have made anywhere in the page's main area ...
MADE = [
    f"a[href*='//{OUTSIDE}']",  # our own explorer link carries it URL-encoded
    f"img[src*='//{OUTSIDE}']",
    ".katex",
]
#: ... and inside the elements that show user text (the page's own headings may be bold).
STYLED = ["strong", "b", "span[style*='color']", "[data-testid='stMarkdownColoredText']"]
USER_TEXT = [ALERTS, f"{MAIN} table", f"{MAIN} [data-testid='stText']"]


@pytest.fixture
def requests(page) -> Iterator[list[str]]:  # type: ignore[no-untyped-def]
    """Every address the tab asks for, recorded as it goes."""
    seen: list[str] = []

    def note(request) -> None:  # type: ignore[no-untyped-def]
        seen.append(request.url)

    page.on("request", note)
    yield seen
    page.remove_listener("request", note)  # the tab serves the next test too
    hosts = {urlsplit(url).hostname for url in seen if url.startswith(("http:", "https:", "ws"))}
    assert hosts == {"127.0.0.1"}, f"the page asked other hosts: {hosts}"


def open_program(page, app_url: str, code: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(app_url + "/" + share_query(code=code, lang="en"))
    wait_for_app(page)


def assert_no_markup(page) -> None:  # type: ignore[no-untyped-def]
    for selector in MADE:
        found = page.locator(f"{MAIN} {selector}").count()
        assert found == 0, f"{selector} made from user text"
    for where in USER_TEXT:
        for selector in STYLED:
            found = page.locator(f"{where} {selector}").count()
            assert found == 0, f"{selector} made from user text in {where}"


def alert_text(page) -> str:  # type: ignore[no-untyped-def]
    page.locator(ALERTS).first.wait_for(timeout=30_000)
    # The word joiners that keep a bare address from becoming a link read as nothing.
    return "\n".join(page.locator(ALERTS).all_inner_texts()).replace("\u2060", "")


def assert_literal(text: str) -> None:
    for part in LITERAL:
        assert part in text, f"{part!r} not shown as typed in {text!r}"


@pytest.mark.parametrize(
    ("code", "said"),
    [
        (f"assert False, {PAYLOAD!r}", "AssertionError"),
        (f"d = {{}}\nd[{PAYLOAD!r}]", "KeyError"),
        (f"n = int({PAYLOAD!r})", "invalid literal for int()"),
    ],
    ids=["assert", "KeyError", "int"],
)
def test_error_messages_show_user_text_as_text(page, app_url, requests, code, said) -> None:  # type: ignore[no-untyped-def]
    open_program(page, app_url, code)
    text = alert_text(page)
    assert said in text
    assert_literal(text)
    assert f"http://{OUTSIDE}/auto" in text
    assert_no_markup(page)


WARNS = "l = torch.nn.functional.mse_loss(torch.ones(2, 1), torch.ones(2))"


def test_output_variables_and_warnings_show_user_text_as_text(page, app_url, requests) -> None:  # type: ignore[no-untyped-def]
    code = "\n".join(
        [
            "x = torch.tensor(1.0, requires_grad=True)",
            "y = x * 2",
            "y.backward()",
            f"s = {PAYLOAD!r}",
            "print(s)",
            WARNS,
        ]
    )
    open_program(page, app_url, code)
    page.locator(".gv-stage svg g.node").first.wait_for(timeout=30_000)
    output = page.locator(f"{MAIN} [data-testid='stText']").first.inner_text()
    assert PAYLOAD in output
    assert "different to the input size" in alert_text(page)  # PyTorch's warning, as an alert
    assert_no_markup(page)
    page.get_by_role("tab", name=t("explorer.tab.variables", "en")).click()
    wait_for_app(page)
    table = page.locator(f"{MAIN} table").first
    table.wait_for(timeout=30_000)
    assert_literal(table.inner_text())
    assert_no_markup(page)


def test_bidi_text_stays_in_its_place(page, app_url, requests) -> None:  # type: ignore[no-untyped-def]
    # A right-to-left override inside a string: whatever the sandbox makes of it (the program's
    # own error, or a refusal naming the character), the page shows text, never markup.
    open_program(page, app_url, f"s = 'abc\u202e{PAYLOAD}'\nprint(s)\nassert False, s")
    text = alert_text(page)
    assert "[phish](" in text or "U+202E" in text
    assert_no_markup(page)


def test_derivative_errors_show_user_text_as_text(page, app_url, requests) -> None:  # type: ignore[no-untyped-def]
    page.goto(app_url + "/derivatives?lang=en")
    wait_for_app(page)
    box = page.get_by_role("textbox", name=t("derivatives.expr", "en"))
    box.fill(f"x + int({PAYLOAD!r})")
    box.press("Enter")
    wait_for_app(page)
    text = alert_text(page)
    assert "invalid literal for int()" in text
    assert_literal(text)
    assert_no_markup(page)

"""The Chinese interface's web font holds every character of the interface's Chinese text."""

from __future__ import annotations

from pathlib import Path

import pytest

from autodiff_viz.i18n import STRINGS

ROOT = Path(__file__).resolve().parents[1]
FONT = ROOT / "static" / "fonts" / "ui-zh.woff2"


def test_the_subset_covers_every_chinese_character_of_the_interface() -> None:
    ttlib = pytest.importorskip("fontTools.ttLib")
    pytest.importorskip("brotli")  # woff2 needs it to be read
    cmap = ttlib.TTFont(FONT).getBestCmap()
    # The font's unicode-range in config.toml: CJK punctuation, ideographs, full-width forms.
    ranges = ((0x3000, 0x303F), (0x4E00, 0x9FFF), (0xFF00, 0xFFEF))
    text = "".join(entry["zh"] for entry in STRINGS.values())
    wanted = {c for c in text if any(lo <= ord(c) <= hi for lo, hi in ranges)}
    missing = sorted(c for c in wanted if ord(c) not in cmap)
    assert not missing, f"run python -m scripts.make_ui_font: {''.join(missing)}"


def test_the_font_is_served_and_licensed() -> None:
    config = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert 'url = "app/static/fonts/ui-zh.woff2"' in config
    assert "enableStaticServing = true" in config
    assert "SIL OPEN FONT LICENSE Version 1.1" in (FONT.parent / "OFL.txt").read_text("utf-8")
    assert FONT.stat().st_size < 200_000  # a classroom's first load, not 16 MB of CJK

"""Make the web font the Chinese interface is drawn with: Noto Sans CJK SC cut to our text.

A classroom PC without CJK fonts (a Linux desktop without fonts-noto-cjk) draws 中文 as
boxes. The app therefore serves, with its own static files, a subset of Noto Sans CJK SC
(SIL Open Font License 1.1: subsetting and redistribution are allowed, the licence travels
with the font as ``static/fonts/OFL.txt``) holding every character of the interface's Chinese
text (``autodiff_viz.i18n``) plus full-width punctuation: tens of kilobytes, not 16 MB.

Run after adding Chinese text (a test fails until you do), with the Noto Sans CJK collection
(``.ttc``, as Debian's fonts-noto-cjk installs it, or ``.otf`` of Noto Sans SC)::

    python -m scripts.make_ui_font [FONT_FILE]

Without FONT_FILE, fontconfig's ``fc-match`` finds "Noto Sans CJK SC". Needs fonttools and
brotli (requirements-dev.txt).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

from autodiff_viz.i18n import STRINGS

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "static" / "fonts" / "ui-zh.woff2"
FAMILY = "Noto Sans CJK SC"
#: Full-width punctuation and symbols the Chinese text uses or may come to use.
PUNCTUATION = "，。：；（）、“”‘’《》！？…—·「」【】～"


def interface_characters() -> str:
    """Every character outside ASCII of the interface's Chinese text, sorted."""
    text = "".join(entry["zh"] for entry in STRINGS.values()) + PUNCTUATION
    return "".join(sorted({c for c in text if ord(c) > 0x7F}))


def _source_font(path: str | None) -> TTFont:
    if path is None:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}\n%{index}", FAMILY],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split("\n")
        path, index = found[0], int(found[1] or 0)
    else:
        index = 0
    if path.endswith(".ttc"):
        fonts = TTCollection(path).fonts
        # The SC face of the collection: by name, the index fc-match gave is a fallback.
        named = [f for f in fonts if FAMILY in f["name"].getDebugName(1)]
        return named[0] if named else fonts[index]
    return TTFont(path)


def main(argv: list[str]) -> None:
    font = _source_font(argv[0] if argv else None)
    options = subset.Options()
    options.flavor = "woff2"
    options.name_IDs = ["*"]  # keeps the copyright and licence records in the font
    options.hinting = False  # screens of today do not need it; a third of the size
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=interface_characters())
    subsetter.subset(font)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    font.flavor = "woff2"
    font.save(OUT)
    print(
        f"{OUT.relative_to(ROOT)}: {len(interface_characters())} characters, "
        f"{OUT.stat().st_size / 1000:.1f} KB"
    )


if __name__ == "__main__":
    main(sys.argv[1:])

"""A PNG of an HTML graph page, taken with headless Chromium.

The page is self-contained (:mod:`kg.view.html`), so the browser needs no network;
this module only finds a Chromium and asks it for a screenshot.

>>> render_png("no-such-page.html", "out.png")  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
kg.errors.KGError: ...
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from kg.errors import KGError

__all__ = ["render_png"]


def render_png(
    html_path: str | os.PathLike[str],
    png_path: str | os.PathLike[str],
    width: int = 1400,
    height: int = 900,
    *,
    timeout: float = 120.0,
) -> Path:
    """Screenshot the page at ``html_path`` into ``png_path`` with headless Chromium.

    Chromium is looked up as ``$KG_CHROMIUM``, then ``chromium``,
    ``chromium-browser``, ``google-chrome`` on ``PATH``; a :class:`KGError`
    says so when none is there or the screenshot fails.
    """
    browser = _find_chromium()
    page = Path(html_path).resolve()
    if not page.is_file():
        raise KGError(f"{html_path}: no such HTML file to screenshot")
    out = Path(png_path).resolve()
    with tempfile.TemporaryDirectory(prefix="kg-chromium-") as profile:
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            "--disable-quic",
            "--mute-audio",
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            "--virtual-time-budget=30000",
            f"--screenshot={out}",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise KGError(f"chromium took more than {timeout:.0f} s to screenshot {page}") from exc
    if done.returncode != 0 or not out.is_file():
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        raise KGError(f"chromium could not screenshot {page}: {' '.join(tail) or done.returncode}")
    return out


def _find_chromium() -> str:
    names = [os.environ.get("KG_CHROMIUM", ""), "chromium", "chromium-browser", "google-chrome"]
    for name in filter(None, names):
        found = shutil.which(name)
        if found:
            return found
    raise KGError(
        "a PNG needs Chromium, which is not installed: install it (Debian: "
        "apt-get install chromium fonts-noto-cjk) or set KG_CHROMIUM to its path"
    )

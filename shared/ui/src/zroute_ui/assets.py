"""The static files the screens serve: the NL Design System CSS and tokens and htmx,
installed from the npm registry at the versions pinned in ``shared/ui/package.json``
(``./run ui-assets``), and the kit's own small stylesheet and script."""

from __future__ import annotations

from pathlib import Path

PACKAGE_STATIC = Path(__file__).parent / "static"
# src/zroute_ui -> shared/ui: where `npm install` puts node_modules in the source tree.
SOURCE_NODE_MODULES = Path(__file__).parents[2] / "node_modules"

NPM_FILES = {
    "nlds-components.css": "@utrecht/component-library-css/dist/index.css",
    "nlds-theme.css": "@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css",
    "htmx.min.js": "htmx.org/dist/htmx.min.js",
}
KIT_FILES = {"zroute-ui.css", "zroute-ui.js"}
MEDIA_TYPES = {".css": "text/css", ".js": "text/javascript"}


class AssetsMissing(RuntimeError):
    pass


def node_modules(configured: str | None) -> Path:
    return Path(configured) if configured else SOURCE_NODE_MODULES


def resolve(name: str, configured: str | None) -> Path | None:
    """The file behind a static name, None for names that are not served."""
    if name in KIT_FILES:
        return PACKAGE_STATIC / name
    relative = NPM_FILES.get(name)
    if relative is None:
        return None
    path = node_modules(configured) / relative
    if not path.is_file():
        raise AssetsMissing(
            f"{path} is missing: install the screens' npm packages with ./run ui-assets"
        )
    return path


def check(configured: str | None) -> list[str]:
    """The npm files that are missing (empty when all are installed)."""
    base = node_modules(configured)
    return [rel for rel in NPM_FILES.values() if not (base / rel).is_file()]

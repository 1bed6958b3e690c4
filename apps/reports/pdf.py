"""The one place that turns an HTML template into PDF bytes (WeasyPrint).

``base_url`` is the project's ``static/`` directory, so the print CSS and the bundled fonts
(``static/fonts/LiberationSerif-*.ttf``, declared with ``@font-face``) resolve to files: the PDF
never depends on the fonts installed on the server. The URL fetcher only reads files under that
directory and ``data:`` URLs; a report never reaches the network.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string


def static_dir() -> Path:
    """The project's own static directory (``static/``), where the print CSS and fonts live."""
    return Path(settings.BASE_DIR) / "static"


def base_url() -> str:
    # A trailing slash: relative URLs such as "fonts/LiberationSerif-Regular.ttf" resolve inside it.
    return static_dir().resolve().as_uri() + "/"


def _fetcher_class():
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        """Files under static/ and ``data:`` URLs; anything else (http, other paths) is refused."""

        def __init__(self, root: Path):
            super().__init__(allowed_protocols={"file", "data"})
            self.root = root.resolve()

        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                path = Path(unquote(urlsplit(url).path)).resolve()
                if not path.is_relative_to(self.root):
                    raise ValueError(f"Không được đọc tệp ngoài thư mục static: {url}")
            return super().fetch(url, headers)

    return StaticOnlyFetcher


def html_document(html: str):
    """The laid-out WeasyPrint document (pages) of an HTML string whose relative URLs point into
    ``static/``; ``.write_pdf()`` gives the bytes."""
    import weasyprint

    fetcher = _fetcher_class()(static_dir())
    return weasyprint.HTML(string=html, base_url=base_url(), url_fetcher=fetcher).render()


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of an HTML string whose relative URLs point into ``static/``."""
    return html_document(html).write_pdf()


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render ``template_name`` with ``context`` and return the PDF bytes."""
    return html_to_pdf(render_to_string(template_name, context))

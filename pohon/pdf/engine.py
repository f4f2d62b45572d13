"""WeasyPrint itself, imported only when a document is rendered (``pohon.pdf.html_document``):
the fetcher that serves the PDF its stylesheet and fonts, and WeasyPrint's ``HTML``."""

import mimetypes
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint import HTML as weasyprint_html
from weasyprint.urls import URLFetcher, URLFetcherResponse

from pohon.pdf import STATIC_DIR

__all__ = ["FetchRefused", "StaticFetcher", "weasyprint_html"]


class FetchRefused(ValueError):
    """The PDF asked for something that is not a file under the project's ``static/`` folder."""


class StaticFetcher(URLFetcher):
    """Serves files under one folder and refuses everything else: no network, no other file.

    WeasyPrint asks it for the stylesheet and the fonts. A refusal raises ``FetchRefused``, which
    WeasyPrint logs and skips (the resource is simply missing), so a stray URL in the markup can
    neither reach the network nor read a file outside ``static/``.
    """

    def __init__(self, root: Path = STATIC_DIR) -> None:
        super().__init__(allowed_protocols=("file",))
        self.root = root.resolve()

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise FetchRefused(f"refused (only files under {self.root} are served): {url}")
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise FetchRefused(f"refused (not a file under {self.root}): {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})

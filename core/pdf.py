"""PDFs: documents written from HTML to print or send (WeasyPrint), and uploaded files
checked to be PDFs a reader can open (pypdf).

Both libraries are imported when first used, not when the app is made: WeasyPrint (with
Pillow, fontTools and pydyf) adds about 27 MB to every worker and pypdf about 17 MB,
while only a few routes print or take an upload (see "Memory" in ARCHITECTURE.md;
tests/platform/test_lazy_imports.py checks an app made has loaded neither).
"""

from __future__ import annotations

import io


def html_to_pdf(html: str) -> bytes:
    """The HTML page (its styles inline) as a PDF."""
    # imported on first use: WeasyPrint adds about 27 MB to every worker
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def is_pdf(data: bytes) -> bool:
    """Whether the bytes are a PDF a reader can open: parsed (pypdf), with at least one
    page, not judged by the ``%PDF`` its first bytes may claim. A file that fails is
    refused; one that passes is still only ever served as an attachment."""
    if not data.startswith(b"%PDF-"):
        return False
    # imported on first use: pypdf adds about 17 MB to every worker
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        return len(reader.pages) > 0
    except Exception:
        return False

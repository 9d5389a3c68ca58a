"""Real files for upload tests, made here (never downloaded)."""

from __future__ import annotations

import io

from pypdf import PdfWriter


def one_page_pdf() -> bytes:
    """A real PDF of one blank A4 page, as a reader opens it."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# an HTML page dressed as a PDF: its first bytes say %PDF, nothing else of it does
PDF_LOOKALIKE = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n"

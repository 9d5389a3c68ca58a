"""The follow-up letter as a PDF to print and post (WeasyPrint)."""

from __future__ import annotations

from flask import render_template
from weasyprint import HTML

from core.followups.models import ContactFollowUp
from core.followups.operations import letter


def letter_pdf(follow_up: ContactFollowUp) -> bytes:
    html = render_template("followups/letter.html", letter=letter(follow_up))
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]

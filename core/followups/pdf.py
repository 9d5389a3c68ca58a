"""The follow-up letter as a PDF to print and post (WeasyPrint)."""

from __future__ import annotations

from flask import render_template

from core.followups.models import ContactFollowUp
from core.followups.operations import letter
from core.pdf import html_to_pdf


def letter_pdf(follow_up: ContactFollowUp) -> bytes:
    html = render_template("followups/letter.html", letter=letter(follow_up))
    return html_to_pdf(html)

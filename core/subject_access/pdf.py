"""The subject access export as a PDF to send to the requester (WeasyPrint)."""

from __future__ import annotations

import json
from typing import Any

from flask import render_template

from core.pdf import html_to_pdf
from core.subject_access.models import SubjectAccessRequest


def export_pdf(request: SubjectAccessRequest) -> bytes:
    html = render_template("subject_access/export_pdf.html", request=request, export=request.export)
    return html_to_pdf(html)


def export_json(request: SubjectAccessRequest) -> str:
    export: dict[str, Any] = request.export or {}
    return json.dumps(export, indent=2, ensure_ascii=False)


def filename(request: SubjectAccessRequest, extension: str) -> str:
    return f"subject-access-{request.id}.{extension}"

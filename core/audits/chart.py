"""The attendance chart: one horizontal bar per agency (its rate over every meeting type)
with the threshold as a dashed line, drawn here as SVG markup.

It is drawn on the server so it needs no script, and uses presentation attributes only
(no ``style``), which the Content Security Policy allows; the board pack embeds the same
markup. Each bar is labelled with its figure, and bars under the threshold are also marked
"below", so colour is never the only signal. The page puts the same figures in a table.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from .report import WITHHELD, AuditReport, shown

WIDTH = 760
LABEL_WIDTH = 260
BAR_AREA = 400
BAR_HEIGHT = 20
ROW_HEIGHT = 30
TOP = 34
BOTTOM = 30
FONT = "Arial, Helvetica, sans-serif"
BLUE = "#1d70b8"
RED = "#d4351c"
BLACK = "#0b0c0c"
GREY = "#b1b4b6"


def _x(fraction: float) -> float:
    return LABEL_WIDTH + BAR_AREA * max(0.0, min(1.0, fraction))


def _truncate(name: str, limit: int = 36) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def attendance_chart(report: AuditReport, element_id: str = "attendance-chart") -> Markup:
    rows = report.totals
    threshold = report.audit.threshold
    height = TOP + ROW_HEIGHT * max(len(rows), 1) + BOTTOM
    title_id, desc_id = f"{element_id}-title", f"{element_id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{element_id}" class="app-chart" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" font-family="{FONT}" font-size="13">',
        f'<title id="{title_id}">Attendance rate by agency, {report.audit.period_start:%d %B %Y}'
        f" to {report.audit.period_end:%d %B %Y}</title>",
        f'<desc id="{desc_id}">Bars show each agency\'s attendance rate over every meeting '
        f"type; the dashed line is the threshold of {shown_threshold(threshold)}. "
        "The table below the chart has the same figures.</desc>",
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1):
        x = _x(tick)
        parts.append(
            f'<line x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" y2="{height - BOTTOM}" '
            f'stroke="{GREY}" stroke-width="1"/>'
            f'<text x="{x:.1f}" y="{height - BOTTOM + 16}" text-anchor="middle" '
            f'fill="{BLACK}">{int(tick * 100)}%</text>'
        )
    if not rows:
        parts.append(
            f'<text x="{LABEL_WIDTH}" y="{TOP + 16}" fill="{BLACK}">'
            "No meetings were held in this period</text>"
        )
    for index, row in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end" fill="{BLACK}">'
            f"{escape(_truncate(row.agency_name))}</text>"
        )
        value = row.attendance_rate
        if value is None:
            note = WITHHELD if "attendance_rate" in row.withheld else "no invitations"
            parts.append(f'<text x="{LABEL_WIDTH + 4}" y="{y + 15}" fill="{BLACK}">{note}</text>')
            continue
        colour = RED if row.below_threshold else BLUE
        width = _x(value) - LABEL_WIDTH
        label = shown(row, "attendance_rate", as_percent=True)
        if row.below_threshold:
            label += " below"
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{colour}"><title>{escape(row.agency_name)}: {label}</title></rect>'
            f'<text x="{_x(value) + 6:.1f}" y="{y + 15}" fill="{BLACK}">{label}</text>'
        )
    x = _x(threshold)
    parts.append(
        f'<line x1="{x:.1f}" y1="{TOP - 10}" x2="{x:.1f}" y2="{height - BOTTOM}" '
        f'stroke="{BLACK}" stroke-width="2" stroke-dasharray="6 4"/>'
        f'<text x="{x:.1f}" y="{TOP - 14}" text-anchor="middle" fill="{BLACK}">'
        f"Threshold {shown_threshold(threshold)}</text>"
    )
    parts.append("</svg>")
    # every text taken from the data is escaped above
    return Markup("".join(parts))  # noqa: S704  # nosec B704


def shown_threshold(threshold: float) -> str:
    return f"{threshold * 100:.1f}".removesuffix(".0") + "%"

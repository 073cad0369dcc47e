"""Turn report rows into HTML cells, safe CSV downloads and an inline SVG chart."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.http import StreamingHttpResponse
from django.template.defaultfilters import filesizeformat
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from deepwiki.analytics.reports import Column, Report

DELETED_USER = "deleted user"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Cell:
    """One table cell for the template: shown text, optional link, sort value."""

    text: str
    href: str = ""
    numeric: bool = False
    title: str = ""


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # that page does not exist in this build
        return ""


def plain_value(column: Column, row: dict):
    """The raw value of a cell (for CSV and the API)."""
    value = row.get(column.key)
    if column.kind == "user" and value is None:
        return DELETED_USER
    if column.kind == "float" and value is not None:
        return round(float(value), 1)
    return value


def cell_for(column: Column, row: dict) -> Cell:
    """How one value is shown in an HTML table."""
    value = plain_value(column, row)
    if value is None or value == "":
        return Cell("—")
    slug = row.get(column.slug_key) or ""
    if column.kind == "wiki":
        return Cell(str(value), _url("wiki_home", slug) if slug else "")
    if column.kind == "page":
        return Cell(str(value), _url("wiki_page", slug, value) if slug else "")
    if column.kind == "bytes":
        return Cell(filesizeformat(value), numeric=True, title=f"{value} bytes")
    if column.kind in ("int", "float"):
        return Cell(f"{value:,}", numeric=True)
    if column.kind == "datetime":
        local = timezone.localtime(value)
        return Cell(local.strftime("%Y-%m-%d %H:%M"), title=local.isoformat())
    return Cell(str(value))


def table_rows(report: Report, rows: Iterable[dict]) -> list[list[Cell]]:
    return [[cell_for(c, row) for c in report.columns] for row in rows]


def csv_safe(value) -> str | int | float:
    """A CSV cell that a spreadsheet cannot run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(report: Report, rows: Iterable[dict]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    headers = [
        f"{c.label} (bytes)" if c.kind == "bytes" else c.label for c in report.columns
    ]
    yield "\ufeff" + writer.writerow([csv_safe(h) for h in headers])
    for row in rows:
        yield writer.writerow([csv_safe(plain_value(c, row)) for c in report.columns])


def csv_response(
    report: Report, rows: Iterable[dict], *, days: int
) -> StreamingHttpResponse:
    """Stream a report as a CSV attachment."""
    stamp = timezone.localdate().isoformat()
    suffix = f"-{days}d" if report.days_choices or report.key == "stale" else ""
    response = StreamingHttpResponse(
        _csv_lines(report, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="deepwiki-{report.key}{suffix}-{stamp}.csv"'
    )
    response["Cache-Control"] = "no-store"
    return response


def bar_chart_svg(points: list[tuple[date, int]], *, label: str) -> SafeString:
    """A small bar chart as inline SVG; every text in it is escaped."""
    width, height, pad = 960, 200, 24
    top = max((v for _, v in points), default=0)
    step = (width - 2 * pad) / max(len(points), 1)
    bars = []
    for i, (day, value) in enumerate(points):
        h = 0 if top == 0 else (height - 2 * pad) * value / top
        bars.append(
            (
                f"{pad + i * step + step * 0.1:.1f}",
                f"{height - pad - h:.1f}",
                f"{step * 0.8:.1f}",
                f"{h:.1f}",
                f"{day.isoformat()}: {value:,} views",
            )
        )
    rects = format_html_join(
        "",
        '<rect class="chart-bar" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>',
        bars,
    )
    first = points[0][0].isoformat() if points else ""
    last = points[-1][0].isoformat() if points else ""
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{label}" '
        '><line class="chart-axis" x1="{p}" y1="{base}" '
        'x2="{right}" y2="{base}"></line>{rects}'
        '<text class="chart-label" x="{p}" y="{text_y}">{first}</text>'
        '<text class="chart-label" x="{right}" y="{text_y}" text-anchor="end">{last}</text>'
        '<text class="chart-label" x="{p}" y="14">max {top}</text></svg>',
        w=width,
        h=height,
        label=label,
        p=pad,
        base=height - pad,
        right=width - pad,
        rects=rects,
        text_y=height - 6,
        first=first,
        last=last,
        top=f"{top:,}",
    )

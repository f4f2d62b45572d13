"""Charts drawn on the server as SVG markup: the same picture in the page and in the PDF.

Pure functions from plain data to a string; no JavaScript, no network, no CSS from outside:
colours and fonts are SVG presentation attributes (``fill``, ``font-size``), which the Content
Security Policy allows where it refuses ``style="..."``, and which WeasyPrint draws as they are.
Every number a chart shows is also written as text beside its bar or above its column, and the
chart names itself (``<title>``, ``<desc>``, ``role="img"``), so that colour never carries meaning
alone and a screen reader or ``pdftotext`` reads what the eye sees.

Colour bands of capaian: at least ``hijau`` (green) from the upper threshold (90 % by default),
``kuning`` (yellow) from the lower one (75 %), ``merah`` (red) below; a missing report is ``abu``
(grey, "belum lapor"), never green; above ``PERIKSA_DI_ATAS`` (120 %) the value is marked for
checking. The thresholds are parameters: each Pemda may set its own.
"""

import html
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

HIJAU, KUNING, MERAH, ABU = "hijau", "kuning", "merah", "abu"

# Fill colours chosen so that dark text on yellow and white-background text beside every bar read
# at WCAG AA contrast; the band's name is written out too (the bar's <title>, the table beside it).
FILL = {HIJAU: "#1a7f37", KUNING: "#d4a72c", MERAH: "#cf222e", ABU: "#8c959f"}
FONT = "DejaVu Sans, Pokin Sans, sans-serif"
TEXT = "#1f2328"
MUTED = "#57606a"

BATAS_HIJAU = Decimal(90)
BATAS_KUNING = Decimal(75)
PERIKSA_DI_ATAS = Decimal(120)
SKALA_MAKS = Decimal(150)  # the bars' axis runs to 150 %; a longer bar is cut with an arrow


@dataclass(frozen=True)
class Batas:
    """A Pemda's colour thresholds in percent: green from ``hijau``, yellow from ``kuning``."""

    hijau: Decimal = BATAS_HIJAU
    kuning: Decimal = BATAS_KUNING
    periksa: Decimal = PERIKSA_DI_ATAS


BATAS_BAKU = Batas()


def band(persen: Decimal | None, batas: Batas = BATAS_BAKU) -> str:
    """The colour band of a capaian: ``abu`` when nothing was reported (None)."""
    if persen is None:
        return ABU
    if persen >= batas.hijau:
        return HIJAU
    if persen >= batas.kuning:
        return KUNING
    return MERAH


def band_label(kode: str) -> str:
    return {
        HIJAU: _("baik"),
        KUNING: _("cukup"),
        MERAH: _("kurang"),
        ABU: _("belum lapor"),
    }[kode]


def persen_text(persen: Decimal | None, places: int = 1) -> str:
    """``Decimal("92.456")`` -> ``"92,5 %"`` (decimal comma, thousands dots); None -> ``"–"``."""
    if persen is None:
        return "\u2013"
    quantum = Decimal(1).scaleb(-places)
    value = persen.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    whole, _dot, fraction = f"{abs(value):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{grouped},{fraction} %" if fraction else f"{sign}{grouped} %"


@dataclass(frozen=True)
class Batang:
    """One bar: a Sasaran's or a unit's capaian (None: belum lapor), with an optional note
    written after the number (e.g. "3 dari 4 indikator")."""

    label: str
    persen: Decimal | None
    catatan: str = ""


@dataclass(frozen=True)
class Kolom:
    """One column: a quarter's serapan in percent of the Pagu (None: nothing reported), and an
    optional second line under the percentage (the Rupiah spent)."""

    label: str
    persen: Decimal | None
    catatan: str = ""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _wrap(text: str, width: int, lines: int) -> list[str]:
    wrapped = textwrap.wrap(" ".join(text.split()), width=width) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1].rstrip() + "\u2026"
    return wrapped


def _open(chart_id: str, width: int, height: int, title: str, desc: str, kind: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="grafik grafik-{kind}" id="{_e(chart_id)}" '
        f'role="img" aria-labelledby="{_e(chart_id)}-judul {_e(chart_id)}-uraian" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-family="{FONT}" font-size="12" fill="{TEXT}">',
        f'<title id="{_e(chart_id)}-judul">{_e(title)}</title>',
        f'<desc id="{_e(chart_id)}-uraian">{_e(desc)}</desc>',
    ]


def capaian_bars(
    bars: Sequence[Batang],
    *,
    chart_id: str,
    title: str,
    batas: Batas = BATAS_BAKU,
    width: int = 720,
    compact: bool = False,
) -> str:
    """Horizontal bars of capaian, one per Sasaran or unit: the label above its bar (two lines at
    most, the whole label in the bar's tooltip), the bar coloured by its band on an axis from 0
    to 150 % with lines at the thresholds and at 100 %, and the number written after the bar,
    with "periksa" above ``batas.periksa`` and "belum lapor" where nothing was reported.
    ``compact`` (a phone's narrow chart): less room after the bars, the mark "▲" alone (the
    bar's title still says "periksa") and no count at the right."""
    left, right_room, top = 8, (110 if compact else 170), 22
    bar_h, label_line, gap = 16, 15, 12
    scale_w = width - left - right_room
    chars = max(20, int(width / 7.2))

    def x_of(persen: Decimal) -> float:
        return left + float(min(max(persen, Decimal(0)), SKALA_MAKS) / SKALA_MAKS) * scale_w

    rows: list[tuple[Batang, list[str]]] = [(bar, _wrap(bar.label, chars, 2)) for bar in bars]
    height = top + sum(len(lines) * label_line + bar_h + gap for _bar, lines in rows) + 6
    desc_items = [f"{bar.label}: {_bar_text(bar, batas)}" for bar in bars] or [_("Belum ada data.")]
    out = _open(chart_id, width, height, title, "; ".join(desc_items), "capaian")
    # The axis: thresholds and 100 %, labelled on top, marked across each bar (not its label).
    marks = (batas.kuning, batas.hijau, Decimal(100))
    for mark in marks:
        x = _num(x_of(mark))
        axis = persen_text(mark, 0)
        axis = axis.removesuffix(" %") if compact else axis
        out.append(
            f'<text x="{x}" y="{top - 10}" text-anchor="middle" font-size="10" fill="{MUTED}" '
            f'aria-hidden="true">{_e(axis)}</text>'
        )
    y = top
    if not rows:
        out.append(f'<text x="{left}" y="{top + 14}" fill="{MUTED}">{_e(_("Belum ada data."))}</text>')
    for bar, lines in rows:
        kode = band(bar.persen, batas)
        out.append(f'<g class="batang batang-{kode}">')
        out.append(f"<title>{_e(bar.label)}: {_e(_bar_text(bar, batas))}</title>")
        for line in lines:
            y += label_line
            out.append(f'<text x="{left}" y="{y - 3}">{_e(line)}</text>')
        bar_top = y + 1
        # The marks first: the bar covers them, so they show where it falls short, under its number.
        for mark in marks:
            x = _num(x_of(mark))
            out.append(
                f'<line x1="{x}" y1="{bar_top - 2}" x2="{x}" y2="{bar_top + bar_h + 2}" stroke="{MUTED}" '
                f'stroke-width="1" stroke-dasharray="2 2" aria-hidden="true"/>'
            )
        if bar.persen is None:
            out.append(
                f'<rect x="{left}" y="{bar_top}" width="{_num(scale_w)}" height="{bar_h}" fill="none" '
                f'stroke="{FILL[ABU]}" stroke-dasharray="4 3"/>'
            )
            out.append(
                f'<text x="{left + 6}" y="{bar_top + bar_h - 4}" fill="{MUTED}" font-style="italic">'
                f"{_e(_('belum lapor'))}</text>"
            )
        else:
            end = x_of(bar.persen)
            out.append(
                f'<rect x="{left}" y="{bar_top}" width="{_num(max(end - left, 1.5))}" height="{bar_h}" '
                f'fill="{FILL[kode]}"/>'
            )
            if bar.persen > SKALA_MAKS:  # cut: an arrow says the bar goes on
                tip = _num(end)
                out.append(
                    f'<path d="M{tip} {bar_top} l8 {bar_h / 2} l-8 {bar_h / 2} z" fill="{FILL[kode]}" '
                    f'aria-hidden="true"/>'
                )
            value = persen_text(bar.persen)
            extra = (" \u25b2" if compact else f" \u25b2 {_('periksa')}") if bar.persen > batas.periksa else ""
            out.append(
                f'<text x="{_num(min(end, left + scale_w) + 12)}" y="{bar_top + bar_h - 4}" font-weight="bold">'
                f"{_e(value)}{_e(extra)}</text>"
            )
        y = bar_top + bar_h + gap
        if bar.catatan and not compact:
            out.append(
                f'<text x="{width - 4}" y="{bar_top - 3}" text-anchor="end" font-size="10" fill="{MUTED}">'
                f"{_e(bar.catatan)}</text>"
            )
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def _bar_text(bar: Batang, batas: Batas) -> str:
    if bar.persen is None:
        return _("belum lapor")
    text = f"{persen_text(bar.persen)} ({band_label(band(bar.persen, batas))})"
    if bar.persen > batas.periksa:
        text += ", " + _("di atas %(batas)s, periksa") % {"batas": persen_text(batas.periksa, 0)}
    return text


def serapan_columns(
    columns: Sequence[Kolom],
    *,
    chart_id: str,
    title: str,
    width: int = 480,
    height: int = 240,
) -> str:
    """Vertical columns of budget absorption per quarter on an axis from 0 to 100 % (or to the
    largest value when one runs over): the percentage above each column, its label and the
    optional second line (Rupiah) under it; a quarter without report says "belum lapor"."""
    left, right, top, bottom = 40, 8, 24, 44
    plot_h = height - top - bottom
    top_value = max([Decimal(100), *(c.persen for c in columns if c.persen is not None)])
    slot = (width - left - right) / max(len(columns), 1)
    col_w = min(64.0, slot * 0.6)
    desc_items = [
        f"{c.label}: {persen_text(c.persen) if c.persen is not None else _('belum lapor')}"
        + (f" ({c.catatan})" if c.catatan else "")
        for c in columns
    ] or [_("Belum ada data.")]
    out = _open(chart_id, width, height, title, "; ".join(desc_items), "serapan")
    base = top + plot_h
    for tick in (0, 25, 50, 75, 100):
        y = _num(base - plot_h * tick / float(top_value))
        out.append(
            f'<line x1="{left}" y1="{y}" x2="{width - right}" y2="{y}" stroke="#d0d7de" stroke-width="1" '
            f'aria-hidden="true"/>'
        )
        out.append(
            f'<text x="{left - 4}" y="{y}" dy="4" text-anchor="end" font-size="10" fill="{MUTED}" '
            f'aria-hidden="true">{tick}%</text>'
        )
    for index, column in enumerate(columns):
        middle = left + slot * index + slot / 2
        out.append('<g class="kolom">')
        out.append(f"<title>{_e(column.label)}: {_e(persen_text(column.persen))}</title>")
        if column.persen is None:
            out.append(
                f'<text x="{_num(middle)}" y="{_num(base - 6)}" text-anchor="middle" font-size="10" '
                f'fill="{MUTED}" font-style="italic">{_e(_("belum lapor"))}</text>'
            )
        else:
            h = plot_h * float(max(column.persen, Decimal(0)) / top_value)
            out.append(
                f'<rect x="{_num(middle - col_w / 2)}" y="{_num(base - h)}" width="{_num(col_w)}" '
                f'height="{_num(max(h, 1))}" fill="#0969da"/>'
            )
            out.append(
                f'<text x="{_num(middle)}" y="{_num(base - h - 5)}" text-anchor="middle" font-weight="bold">'
                f"{_e(persen_text(column.persen))}</text>"
            )
        out.append(f'<text x="{_num(middle)}" y="{base + 16}" text-anchor="middle">{_e(column.label)}</text>')
        if column.catatan:
            out.append(
                f'<text x="{_num(middle)}" y="{base + 32}" text-anchor="middle" font-size="10" fill="{MUTED}">'
                f"{_e(column.catatan)}</text>"
            )
        out.append("</g>")
    out.append(f'<line x1="{left}" y1="{base}" x2="{width - right}" y2="{base}" stroke="{MUTED}"/>')
    out.append("</svg>")
    return "".join(out)

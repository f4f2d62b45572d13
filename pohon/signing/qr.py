"""The QR code printed beside the signature: it leads to the public verification page."""

from html import escape

import qrcode
import qrcode.constants

QR_SIZE_MM = 40


def _path(matrix: list[list[bool]]) -> str:
    """The dark modules as one SVG path, one rectangle per horizontal run of modules.

    qrcode's own SVG path draws each module as a square of its own (~700 for a verification
    address); WeasyPrint parses and draws every point of it, which cost about as much as laying
    out a whole page of the Perjanjian Kinerja. Runs halve the points and print the same code
    (without hairlines between neighbouring modules, too)."""
    parts = []
    for y, row in enumerate(matrix):
        x, width = 0, len(row)
        while x < width:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < width and row[x]:
                x += 1
            parts.append(f"M{start},{y}H{x}V{y + 1}H{start}z")
    return "".join(parts)


def qr_svg(url: str, *, size_mm: int = QR_SIZE_MM) -> str:
    """``url`` as an inline SVG QR code, ``size_mm`` wide and high including its quiet zone.

    Error correction M survives the smudges and folds of a printed page while keeping the
    modules large enough to scan at 35 mm. The markup has no XML declaration and no id, so it
    can be dropped into HTML (several times, if need be) as is.
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()  # with its quiet zone (the border)
    side = len(matrix)
    label = escape(url, quote=True)
    # The viewBox keeps the drawing in module units; width and height fix the printed size.
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size_mm}mm" height="{size_mm}mm" '
        f'viewBox="0 0 {side} {side}" role="img" aria-label="{label}">'
        f'<rect fill="white" x="0" y="0" width="{side}" height="{side}"/>'
        f'<path fill="black" d="{_path(matrix)}"/></svg>'
    )

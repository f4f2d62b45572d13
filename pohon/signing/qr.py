"""The QR code printed beside the signature: it leads to the public verification page."""

import qrcode
import qrcode.constants
from qrcode.image.svg import SvgPathFillImage

QR_SIZE_MM = 40


def qr_svg(url: str, *, size_mm: int = QR_SIZE_MM) -> str:
    """``url`` as an inline SVG QR code, ``size_mm`` wide and high including its quiet zone.

    Error correction M survives the smudges and folds of a printed page while keeping the
    modules large enough to scan at 35 mm. The markup has no XML declaration and no id, so it
    can be dropped into HTML (several times, if need be) as is.
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(url)
    code.make(fit=True)
    image = code.make_image(image_factory=SvgPathFillImage)
    root = image.get_image()
    # The viewBox keeps the drawing in module units; width and height fix the printed size.
    root.set("width", f"{size_mm}mm")
    root.set("height", f"{size_mm}mm")
    root.set("role", "img")
    root.set("aria-label", url)
    for element in root.iter():
        element.attrib.pop("id", None)
    return image.to_string(encoding="unicode")

"""QR codes drawn inline as SVG (segno): links people scan with their phone."""

import segno


def qr_svg(data: str) -> str:
    return segno.make(data, error="m").svg_inline(scale=4, dark="#1f1f1f")

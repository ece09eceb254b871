from django import template

register = template.Library()


@register.filter
def yuan(fen: int) -> str:
    """Fen as yuan with two decimals: 12345 → 123.45."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{whole:,}.{cents:02d}"

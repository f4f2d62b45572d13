from django import template

from pohon.money import rupiah as rupiah_format

register = template.Library()


@register.filter
def rupiah(value) -> str:
    """``{{ pagu|rupiah }}`` -> ``Rp 2.078.747.000``."""
    return rupiah_format(value)

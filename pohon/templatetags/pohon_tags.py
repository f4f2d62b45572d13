from django import template

from pohon.formatting import depth_class as depth_class_for
from pohon.money import rupiah as rupiah_format

register = template.Library()


@register.filter
def rupiah(value) -> str:
    """``{{ pagu|rupiah }}`` -> ``Rp 2.078.747.000``."""
    return rupiah_format(value)


@register.filter
def depth_class(depth: int) -> str:
    """``{{ depth|depth_class }}`` -> ``depth-3``: indents by a class, as the policy refuses style="..."."""
    return depth_class_for(depth)

"""Validators shared by the models of both apps."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _


@deconstructible
class TextLengthValidator(MaxLengthValidator):
    """At most ``limit_value`` characters in the text field called ``name``, refused with both
    numbers as people read them: "Uraian terlalu panjang: 200.000 karakter, paling banyak
    2.000." Django's own message names no field (an import row holds several) and prints
    200000. Give it to a TextField together with ``max_length`` (which only sets the form's
    maxlength: Django checks a TextField's length nowhere), so that ``full_clean()`` refuses
    what the browser would not have let anyone type."""

    message = _("%(name)s terlalu panjang: %(length)s karakter, paling banyak %(limit)s.")

    def __init__(self, limit_value: int, name: str, message: str | None = None) -> None:
        super().__init__(limit_value, message)
        self.name = name

    def __call__(self, value: str) -> None:
        length = self.clean(value)
        if self.compare(length, self.limit_value):
            raise ValidationError(
                self.message,
                code=self.code,
                params={
                    "name": self.name,
                    "length": number_format(length, force_grouping=True),
                    "limit": number_format(self.limit_value, force_grouping=True),
                    "limit_value": self.limit_value,
                    "show_value": length,
                    "value": value,
                },
            )

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other) and self.name == other.name

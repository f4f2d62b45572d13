"""The crosscutting forms: ask (a unit of this or another agency of the Pemda, a note) and accept
(link a node, or create one under a parent). Their choices are read once by the view."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pohon import rules
from pohon.forms import PaguField
from pohon.silang.models import SILANG_TEKS_MAX_LENGTH
from pohon.silang.permissions import PENERIMA_KINDS

TAUTKAN, BARU = "tautkan", "baru"


def _teks(label, *, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=SILANG_TEKS_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": SILANG_TEKS_MAX_LENGTH}),
    )


class SilangRequestForm(forms.Form):
    penerima_unit = forms.TypedChoiceField(label=_("Unit yang diminta mendukung"), coerce=int)
    catatan = _teks(_("Catatan"), help_text=_("Dukungan apa yang diminta dari unit itu."))

    def __init__(self, *args, unit_choices: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["penerima_unit"].choices = [("", "---------"), *unit_choices]


def node_label(node) -> str:
    return f"{node.kode} · {rules.jenis_label(node.jenis)} · {node.uraian[:90]}"


class SilangAcceptForm(forms.Form):
    cara = forms.ChoiceField(
        label=_("Cara menerima"),
        choices=[(TAUTKAN, _("Tautkan butir yang sudah ada")), (BARU, _("Buat butir baru di bawah induk"))],
        widget=forms.RadioSelect,
        initial=TAUTKAN,
    )
    node = forms.TypedChoiceField(label=_("Butir yang mendukung"), coerce=int, required=False)
    parent = forms.TypedChoiceField(label=_("Induk butir baru"), coerce=int, required=False)
    jenis = forms.ChoiceField(
        label=_("Jenis butir baru"),
        required=False,
        choices=[(jenis, rules.jenis_label(jenis)) for jenis in rules.JENIS_LABELS if jenis in PENERIMA_KINDS],
    )
    uraian = forms.CharField(label=_("Uraian butir baru"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    pagu = PaguField(label=_("Pagu (untuk Program, Kegiatan, Sub Kegiatan)"), required=False)

    def __init__(self, *args, node_choices: list, parent_choices: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].choices = [("", "---------"), *node_choices]
        self.fields["parent"].choices = [("", "---------"), *parent_choices]

    def clean(self):
        data = super().clean()
        if data.get("cara") == TAUTKAN and not data.get("node"):
            self.add_error("node", _("Pilih butir yang mendukung."))
        if data.get("cara") == BARU:
            if data.get("parent") in (None, ""):
                self.add_error("parent", _("Pilih induk butir baru."))
            if not (data.get("uraian") or "").strip():
                self.add_error("uraian", _("Uraian wajib diisi."))
        return data


class SilangRefuseForm(forms.Form):
    alasan = _teks(_("Alasan penolakan"))


class SilangWithdrawForm(forms.Form):
    alasan = _teks(_("Alasan penarikan (boleh kosong)"), required=False)

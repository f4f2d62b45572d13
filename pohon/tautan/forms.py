"""The forms of the links to the Pemda: propose (pick the Pemda node), send (pick the agency and
the year), accept (link a node, or create one under a parent), refuse, withdraw. Their choices are
read once by the view."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pohon import rules
from pohon.silang.forms import BARU, TAUTKAN, SilangAcceptForm, SilangRefuseForm, SilangWithdrawForm, node_label
from pohon.tautan.models import TAUTAN_TEKS_MAX_LENGTH
from pohon.tautan.permissions import DINAS_KINDS

__all__ = ["BARU", "TAUTKAN", "node_label", "TautanRefuseForm", "TautanWithdrawForm"]

# Refusing and withdrawing read the same as crosscutting's.
TautanRefuseForm = SilangRefuseForm
TautanWithdrawForm = SilangWithdrawForm


def _catatan() -> forms.CharField:
    return forms.CharField(
        label=_("Catatan (boleh kosong)"),
        required=False,
        max_length=TAUTAN_TEKS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": TAUTAN_TEKS_MAX_LENGTH}),
    )


class TautanProposeForm(forms.Form):
    pemda_node = forms.TypedChoiceField(label=_("Sasaran Pemda yang didukung"), coerce=int)
    catatan = _catatan()

    def __init__(self, *args, node_choices: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pemda_node"].choices = [("", "---------"), *node_choices]


class TautanSendForm(forms.Form):
    dinas = forms.TypedChoiceField(label=_("Perangkat Daerah"), coerce=int)
    tahun = forms.TypedChoiceField(label=_("Tahun pohon kinerja Perangkat Daerah"), coerce=int)
    catatan = _catatan()

    def __init__(self, *args, dinas_choices: list, tahun_choices: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dinas"].choices = [("", "---------"), *dinas_choices]
        self.fields["tahun"].choices = [(tahun, str(tahun)) for tahun in tahun_choices]


class TautanAcceptForm(SilangAcceptForm):
    """Crosscutting's accept form (same choices and checks) for an agency's Tujuan or Sasaran,
    which carries no Pagu."""

    node = forms.TypedChoiceField(label=_("Tujuan atau Sasaran yang mendukung"), coerce=int, required=False)
    jenis = forms.ChoiceField(
        label=_("Jenis butir baru"),
        required=False,
        choices=[(jenis, rules.jenis_label(jenis)) for jenis in rules.JENIS_LABELS if jenis in DINAS_KINDS],
    )
    pagu = None

"""The one rule table: which node kind (jenis) may stand directly under which.

It admits both shapes the agencies use:
- the design card's chain: Tujuan -> Sasaran -> (Bidang ->) Program -> Kegiatan -> Sub Kegiatan,
  with an Indikator under any performance node;
- the printed cascade's form (the seed): Bidang and Seksi nodes holding their own Sasaran,
  Indikator, Program or Kegiatan, and the divisions hanging straight under the head's Tujuan;
- the penjenjangan form of PermenPANRB 89/2021: Sasaran Strategis (the head) -> Sasaran Program
  (a Kepala Bidang or the Sekretaris) -> Sasaran Kegiatan (a Kasi or Kasubag), each Sasaran
  directly under the Sasaran it serves, its level shown by its unit kerja (``Node.unit``), with no
  Bidang or Seksi nodes. The chart draws a box for each Sasaran under a Sasaran, headed by its
  unit's name (``pohon.chart``).

Decisions for the penjenjangan form, from the SAKIP cycle (see the project's DOMAIN notes):
- A Sasaran may stand at the top of the tree. The head's Sasaran Strategis is what the Kepala
  Dinas signs in the Perjanjian Kinerja, and the Pemda tree accepts an agency's Tujuan *or* Sasaran
  as the node supporting a Sasaran Pemda; many agencies keep their Tujuan in the Renstra only and
  draw the cascade from the Sasaran Strategis.
- A Sasaran holds Program and Kegiatan: the Administrator's PK lists "Sasaran Program" with its
  Programs, the Pengawas's "Sasaran Kegiatan" with its Kegiatan, so each hangs under the Sasaran
  of the official who answers for it (as the seed hangs Kegiatan under a Seksi, not under a
  Program). The rule table knows kinds, not levels: which Sasaran is a Sasaran Program is told by
  its unit, so a Kegiatan is admitted under any Sasaran. Pagu then rolls up as in the seed's
  form: a Sasaran's total adds its Programs' Pagu and its Sasaran Kegiatan's totals, so a tree
  states the Pagu once, on the Programs (as the seed does) or on the Kegiatan.
The Pemda's own tree (RPJMD, owned by the Pemda's owner record, ``PerangkatDaerah.jenis``
pemda) has its own kinds in the same table, keyed by the owner kind (``PEMILIK_PEMDA``):
Visi -> Misi -> Tujuan Pemda -> Sasaran Pemda (-> Tematik -> Sub Tematik), an Indikator (IKU)
under a Tujuan or Sasaran Pemda. The Pemda kinds are refused in an agency's tree and the
agency's kinds in the Pemda's: each owner kind has its own table, and a kind absent from a
table is allowed nowhere in that owner's trees.

Every create, move and import path asks ``jenis_allowed_under`` with the tree's owner kind;
nothing else decides it.
"""

from django.utils.translation import gettext_lazy as _

AKAR = "akar"  # the hidden root each tree has; "at the top of the tree" means under it
TUJUAN = "tujuan"
SASARAN = "sasaran"
BIDANG = "bidang"
SEKSI = "seksi"
PROGRAM = "program"
KEGIATAN = "kegiatan"
SUB_KEGIATAN = "sub_kegiatan"
INDIKATOR = "indikator"
VISI = "visi"
MISI = "misi"
TUJUAN_PEMDA = "tujuan_pemda"
SASARAN_PEMDA = "sasaran_pemda"
TEMATIK = "tematik"
SUB_TEMATIK = "sub_tematik"

# The owner kinds of a tree (``PerangkatDaerah.Jenis``): an agency's, or the Pemda's own.
PEMILIK_DINAS = "dinas"
PEMILIK_PEMDA = "pemda"

JENIS_LABELS = {
    AKAR: _("Akar pohon"),
    TUJUAN: _("Tujuan"),
    SASARAN: _("Sasaran"),
    BIDANG: _("Bidang"),
    SEKSI: _("Seksi"),
    PROGRAM: _("Program"),
    KEGIATAN: _("Kegiatan"),
    SUB_KEGIATAN: _("Sub Kegiatan"),
    INDIKATOR: _("Indikator"),
    VISI: _("Visi"),
    MISI: _("Misi"),
    TUJUAN_PEMDA: _("Tujuan Pemda"),
    SASARAN_PEMDA: _("Sasaran Pemda"),
    TEMATIK: _("Tematik"),
    SUB_TEMATIK: _("Sub Tematik"),
}

# parent jenis -> the kinds allowed directly beneath it, in the order an editor offers them:
# an agency's tree
ALLOWED_CHILDREN: dict[str, tuple[str, ...]] = {
    AKAR: (TUJUAN, SASARAN),
    TUJUAN: (SASARAN, BIDANG, INDIKATOR),
    SASARAN: (SASARAN, BIDANG, PROGRAM, KEGIATAN, INDIKATOR),
    BIDANG: (SASARAN, PROGRAM, SEKSI, INDIKATOR),
    SEKSI: (SASARAN, KEGIATAN, INDIKATOR),
    PROGRAM: (KEGIATAN, INDIKATOR),
    KEGIATAN: (SUB_KEGIATAN, INDIKATOR),
    SUB_KEGIATAN: (INDIKATOR,),
    INDIKATOR: (),
}

# the Pemda's own tree (RPJMD); Tematik and Sub Tematik are optional levels below a Sasaran Pemda
ALLOWED_CHILDREN_PEMDA: dict[str, tuple[str, ...]] = {
    AKAR: (VISI,),
    VISI: (MISI,),
    MISI: (TUJUAN_PEMDA,),
    TUJUAN_PEMDA: (SASARAN_PEMDA, INDIKATOR),
    SASARAN_PEMDA: (TEMATIK, INDIKATOR),
    TEMATIK: (SUB_TEMATIK,),
    SUB_TEMATIK: (),
    INDIKATOR: (),
}

# The one rule table: owner kind -> parent jenis -> allowed children.
RULES: dict[str, dict[str, tuple[str, ...]]] = {
    PEMILIK_DINAS: ALLOWED_CHILDREN,
    PEMILIK_PEMDA: ALLOWED_CHILDREN_PEMDA,
}
# The kinds each owner's trees may hold (the hidden root aside), in the editor's order.
JENIS_OF: dict[str, tuple[str, ...]] = {
    pemilik: tuple(j for j in JENIS_LABELS if j != AKAR and any(j in kids for kids in table.values()))
    for pemilik, table in RULES.items()
}

# Kinds that carry a Pagu, kinds that carry a target and satuan, kinds that stand for a unit.
BUDGETED = frozenset({PROGRAM, KEGIATAN, SUB_KEGIATAN})
MEASURED = frozenset({INDIKATOR})
UNIT_NODES = frozenset({BIDANG, SEKSI})


def jenis_allowed_under(child: str, parent: str, pemilik: str = PEMILIK_DINAS) -> bool:
    """May ``child`` stand directly under ``parent`` in a tree of owner kind ``pemilik``?"""
    return child in RULES.get(pemilik, {}).get(parent, ())


def allowed_children(parent: str, pemilik: str = PEMILIK_DINAS) -> tuple[str, ...]:
    return RULES.get(pemilik, {}).get(parent, ())


def jenis_label(jenis: str) -> str:
    return str(JENIS_LABELS.get(jenis, jenis))


def refusal_message(child: str, parent: str, pemilik: str = PEMILIK_DINAS) -> str:
    """The Indonesian explanation of a refused placement, naming both kinds; a kind of the other
    owner's trees (a Visi in an agency's tree, a Program in the Pemda's) is told so too."""
    message = _placement_message(child, parent, pemilik)
    if child in JENIS_LABELS and child != AKAR and child not in JENIS_OF.get(pemilik, ()):
        only = (
            _("%(child)s hanya untuk pohon kinerja Perangkat Daerah.")
            if pemilik == PEMILIK_PEMDA
            else _("%(child)s hanya untuk pohon kinerja Pemda.")
        )
        message += " " + str(only) % {"child": jenis_label(child)}
    return message


def _placement_message(child: str, parent: str, pemilik: str) -> str:
    allowed = ", ".join(jenis_label(j) for j in allowed_children(parent, pemilik))
    if parent == AKAR:
        return str(
            _("%(child)s tidak boleh berada di tingkat teratas pohon; di tingkat teratas hanya boleh: %(allowed)s.")
        ) % {"child": jenis_label(child), "allowed": allowed}
    if not allowed:
        return str(_("%(child)s tidak boleh berada di bawah %(parent)s: %(parent)s tidak boleh memiliki anak.")) % {
            "child": jenis_label(child),
            "parent": jenis_label(parent),
        }
    return str(_("%(child)s tidak boleh berada di bawah %(parent)s; di bawah %(parent)s hanya boleh: %(allowed)s.")) % {
        "child": jenis_label(child),
        "parent": jenis_label(parent),
        "allowed": allowed,
    }

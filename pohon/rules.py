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
Every create, move and import path asks ``jenis_allowed_under``; nothing else decides it.
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
}

# parent jenis -> the kinds allowed directly beneath it, in the order an editor offers them
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

# Kinds that carry a Pagu, kinds that carry a target and satuan, kinds that stand for a unit.
BUDGETED = frozenset({PROGRAM, KEGIATAN, SUB_KEGIATAN})
MEASURED = frozenset({INDIKATOR})
UNIT_NODES = frozenset({BIDANG, SEKSI})


def jenis_allowed_under(child: str, parent: str) -> bool:
    return child in ALLOWED_CHILDREN.get(parent, ())


def allowed_children(parent: str) -> tuple[str, ...]:
    return ALLOWED_CHILDREN.get(parent, ())


def jenis_label(jenis: str) -> str:
    return str(JENIS_LABELS.get(jenis, jenis))


def refusal_message(child: str, parent: str) -> str:
    """The Indonesian explanation of a refused placement, naming both kinds."""
    allowed = ", ".join(jenis_label(j) for j in allowed_children(parent))
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

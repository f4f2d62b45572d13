"""The one rule table: which node kind (jenis) may stand directly under which.

It admits both shapes the agencies use:
- the design card's chain: Tujuan -> Sasaran -> (Bidang ->) Program -> Kegiatan -> Sub Kegiatan,
  with an Indikator under any performance node;
- the printed cascade's form (the seed): Bidang and Seksi nodes holding their own Sasaran,
  Indikator, Program or Kegiatan, and the divisions hanging straight under the head's Tujuan.
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
    AKAR: (TUJUAN,),
    TUJUAN: (SASARAN, BIDANG, INDIKATOR),
    SASARAN: (BIDANG, PROGRAM, INDIKATOR),
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

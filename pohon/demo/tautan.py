"""The demo's link to the Pemda (issue 13, item 8): the DPMD's Tujuan ``T1`` supports the example
Pemda tree's Sasaran Pemda ``V1.M1.T1.S1``, proposed and approved. EXAMPLE data: its note says
"(contoh)", and the Sasaran Pemda is the example tree's ("[CONTOH]"). Links change no node: the
2018 tree stays exactly the seed. Made only once the DPMD's tree is approved, as the crosscutting
demo (``pohon.demo.silang``): a draft demo tree is rebuilt by a new run, and a linked node cannot
be deleted. Running it again changes nothing.
"""

from django.db import transaction

from pohon.demo.load import DemoResult
from pohon.history import riwayat_peristiwa
from pohon.models import Node, Pohon, TautanPemda
from pohon.pemda.selectors import pemda_pohon_for_tahun
from pohon.tautan.services import tautan_accept, tautan_propose

CONTOH = "(contoh)"
DINAS_KODE, PEMDA_KODE = "T1", "V1.M1.T1.S1"


@transaction.atomic
@riwayat_peristiwa()
def demo_tautan_load(result: DemoResult) -> TautanPemda | None:
    """The accepted example link (see the module's docstring); None without the Pemda tree or
    while the DPMD's tree is not approved."""
    dpmd = result.pohon
    dpmd.refresh_from_db()
    if dpmd.status != Pohon.Status.DISETUJUI:
        return None
    pohon_pemda = pemda_pohon_for_tahun(result.dinas.pemda, dpmd.tahun)
    if pohon_pemda is None:
        return None
    existing = TautanPemda.objects.filter(dinas=result.dinas, tahun=dpmd.tahun, catatan__startswith=CONTOH).first()
    if existing is not None:
        return existing
    node = Node.objects.select_related("pohon__dinas").filter(pohon__dinas=result.dinas, pohon__tahun=dpmd.tahun)
    tujuan = node.filter(kode=DINAS_KODE).order_by("-pohon__revisi").first()
    sasaran = Node.objects.select_related("pohon__dinas").filter(pohon=pohon_pemda, kode=PEMDA_KODE).first()
    if tujuan is None or sasaran is None:
        return None
    proposed = tautan_propose(
        node=tujuan,
        pemda_node=sasaran,
        catatan=f"{CONTOH} Tujuan DPMD mendukung Sasaran Pemda peningkatan kapasitas pemerintahan desa.",
    )
    return tautan_accept(tautan=proposed)

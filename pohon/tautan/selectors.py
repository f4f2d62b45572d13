"""Reads of the links to the Pemda: per Pemda node (the Pemda chart), per agency node (the agency
chart's panel), the inboxes, and the guard node deletion asks. The alignment checks are in
``pohon.tautan.keselarasan``."""

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from dinas.models import Pemda, PerangkatDaerah
from pohon.models import Pohon
from pohon.silang.selectors import node_url
from pohon.tautan.models import TautanPemda

Status = TautanPemda.Status


@dataclass(frozen=True)
class PemdaLink:
    """One link as a Pemda node sees it."""

    pk: int
    dinas_id: int
    dinas_kode: str  # the agency's kode (PerangkatDaerah.kode)
    dinas_nama: str
    tahun: int
    dinas_kunci: uuid.UUID | None  # None while a link Bappeda sent waits for the agency
    butir_kode: str  # the agency node's kode and uraian as last recorded
    butir_uraian: str
    status: str
    status_label: str
    arah: str
    url: str  # the agency node's lasting address ("" while it has none)


def _links(qs: QuerySet[TautanPemda]) -> QuerySet[TautanPemda]:
    return qs.select_related("dinas", "pemda_dinas", "dinas_unit").order_by("diminta_pada", "id")


def tautan_for_pemda_pohon(pohon_pemda: Pohon) -> QuerySet[TautanPemda]:
    """Every link to a node of the Pemda tree (any revision of its period)."""
    return _links(TautanPemda.objects.filter(pemda_dinas_id=pohon_pemda.dinas_id, pemda_tahun=pohon_pemda.tahun))


def pemda_links_for(
    pemda: Pemda, pohon_pemda: Pohon, *, statuses=(Status.MENUNGGU, Status.DISETUJUI, Status.DITOLAK)
) -> dict[uuid.UUID, list[PemdaLink]]:
    """{Pemda node kunci: [links]} of the Pemda tree ``pohon_pemda``, oldest first, in one query.
    By default the waiting, accepted and refused links (not withdrawn ones)."""
    labels = {value: str(label) for value, label in Status.choices}
    result: dict[uuid.UUID, list[PemdaLink]] = {}
    for t in tautan_for_pemda_pohon(pohon_pemda).filter(pemda=pemda, status__in=list(statuses)):
        result.setdefault(t.pemda_kunci, []).append(
            PemdaLink(
                pk=t.pk,
                dinas_id=t.dinas_id,
                dinas_kode=t.dinas.kode,
                dinas_nama=t.dinas.nama,
                tahun=t.tahun,
                dinas_kunci=t.dinas_kunci,
                butir_kode=t.dinas_kode,
                butir_uraian=t.dinas_uraian,
                status=t.status,
                status_label=labels[t.status],
                arah=t.arah,
                url=node_url(t.dinas.kode, t.tahun, t.dinas_kunci),
            )
        )
    return result


def tautan_for_dinas(dinas: PerangkatDaerah, tahun: int) -> QuerySet[TautanPemda]:
    """Every link of an agency's tree of a year."""
    return _links(TautanPemda.objects.filter(dinas=dinas, tahun=tahun))


def tautan_for_pemda(pemda: Pemda) -> QuerySet[TautanPemda]:
    return _links(TautanPemda.objects.filter(pemda=pemda))


def pemda_node_url(t: TautanPemda) -> str:
    return node_url(t.pemda_dinas.kode, t.pemda_tahun, t.pemda_kunci)


def dinas_node_url(t: TautanPemda) -> str:
    return node_url(t.dinas.kode, t.tahun, t.dinas_kunci)


def tautan_deletion_refusal(*, pohon: Pohon, kunci_kode: dict[uuid.UUID, str]) -> None:
    """Raise a ValidationError when a node about to be deleted (``kunci_kode``: kunci -> kode of the
    node and its subtree) is an end of a standing link to the Pemda: an agency node (its agency and
    year) or a Pemda node (its tree's period). Asked by ``silang_deletion_refusal``, the one guard."""
    # The tree's standing links are few and the subtree may be the whole tree (an import that
    # replaces a draft deletes 10,000 nodes): its keys are matched here, not sent as an IN list.
    if pohon.is_pemda:
        where, end_kunci = Q(pemda_dinas_id=pohon.dinas_id, pemda_tahun=pohon.tahun), "pemda_kunci"
    else:
        where, end_kunci = Q(dinas_id=pohon.dinas_id, tahun=pohon.tahun), "dinas_kunci"
    standing = TautanPemda.objects.filter(where, status__in=TautanPemda.STANDING).values_list("pk", end_kunci)
    ids = [pk for pk, kunci in standing if kunci in kunci_kode]
    if not ids:
        return
    links = list(_links(TautanPemda.objects.filter(pk__in=ids))[:5])
    parts = []
    for t in links:
        if pohon.is_pemda:
            kode, mitra = kunci_kode.get(t.pemda_kunci, ""), f"{t.dinas_kode} {t.dinas.nama}".strip()
        else:
            kode, mitra = kunci_kode.get(t.dinas_kunci, ""), f"{t.pemda_kode} (Pemda)".strip()
        parts.append(
            _("%(kode)s dengan %(mitra)s (%(status)s)")
            % {"kode": kode, "mitra": mitra, "status": t.get_status_display()}
        )
    raise ValidationError(
        _(
            "Butir tidak dapat dihapus karena masih tertaut ke pohon kinerja Pemda: %(daftar)s. "
            "Tarik tautan itu terlebih dahulu di halaman Tautan Pemda."
        )
        % {"daftar": "; ".join(parts)},
        code="tautan",
    )


# --- the node panel ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PanelTautan:
    mitra: str  # the other end: the Pemda node, or the agency and its node
    mitra_url: str
    status: str
    status_label: str
    keterangan: str  # the note, or the reason of a refusal


def tautan_panel(user, node) -> dict:
    """What the chart's panel of ``node`` shows of the links to the Pemda: for an agency's
    Tujuan/Sasaran its links and "Hubungkan ke Sasaran Pemda"; for a Sasaran Pemda/Tematik/Sub
    Tematik the agencies linked to it and "Kirim ke Perangkat Daerah". Nothing for other nodes."""
    from django.urls import reverse

    from pohon.tautan.permissions import DINAS_KINDS, PEMDA_KINDS, user_can_propose, user_can_send

    pohon = node.pohon
    empty = {"tautan_links": [], "tautan_aksi_url": "", "tautan_aksi_label": "", "tautan_url": ""}
    if node.is_root:
        return empty
    args = [pohon.dinas.kode, pohon.tahun, node.pk]
    if pohon.is_pemda and node.jenis in PEMDA_KINDS:
        qs = tautan_for_pemda_pohon(pohon).filter(pemda_kunci=node.kunci).exclude(status=Status.DITARIK)
        links = [
            PanelTautan(
                mitra=f"{t.dinas.nama} {t.tahun}: {t.dinas_kode} {t.dinas_uraian}".strip().rstrip(":"),
                mitra_url=dinas_node_url(t),
                status=t.status,
                status_label=t.get_status_display(),
                keterangan=t.alasan if t.status == Status.DITOLAK else t.catatan,
            )
            for t in qs
        ]
        may = user_can_send(user, pohon, node)
        return {
            "tautan_links": links,
            "tautan_aksi_url": reverse("pohon:tautan_kirim", args=args) if may else "",
            "tautan_aksi_label": _("Kirim ke Perangkat Daerah"),
            "tautan_url": reverse("pemda:tautan", args=[pohon.dinas.pemda.kode]),
        }
    if not pohon.is_pemda and node.jenis in DINAS_KINDS:
        qs = tautan_for_dinas(pohon.dinas, pohon.tahun).filter(dinas_kunci=node.kunci).exclude(status=Status.DITARIK)
        links = [
            PanelTautan(
                mitra=f"{t.pemda_kode} {t.pemda_uraian}".strip(),
                mitra_url=pemda_node_url(t),
                status=t.status,
                status_label=t.get_status_display(),
                keterangan=t.alasan if t.status == Status.DITOLAK else t.catatan,
            )
            for t in qs
        ]
        may = user_can_propose(user, pohon, node)
        return {
            "tautan_links": links,
            "tautan_aksi_url": reverse("pohon:tautan_usul", args=args) if may else "",
            "tautan_aksi_label": _("Hubungkan ke Sasaran Pemda"),
            "tautan_url": reverse("pohon:tautan", args=[pohon.dinas.kode, pohon.tahun]),
        }
    return empty

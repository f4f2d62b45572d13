import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from dinas.models import UnitKerja
from dinas.selectors import dinas_visible_to
from pohon import rules
from pohon.approval import approval_preview
from pohon.chart import ChartRenderer, RowEditor, table_rows, unit_box_ids
from pohon.chart_partial import ChartChange, chart_partial
from pohon.checks import pohon_checks
from pohon.forms import RiwayatFilterForm
from pohon.history import pohon_diff, riwayat_for_pohon, riwayat_node_kunci, riwayat_rows
from pohon.history_events import ALUR, riwayat_events, riwayat_filter, riwayat_user_names
from pohon.jobs import draft_pdf_enqueue, draft_pdf_job, pdf_filename
from pohon.limits import CATATAN_MAX_LENGTH
from pohon.models import DokumenTerbit, NodeRiwayat, Pohon
from pohon.pemda.selectors import target_tahunan_cells
from pohon.perjanjian.selectors import perjanjian_unit_links
from pohon.permissions import (
    editable_node_ids,
    operator_own_unit_ids,
    user_can_edit_branch,
    user_can_edit_pohon,
    user_can_review,
    user_can_revise,
    user_can_sign,
    user_can_submit,
)
from pohon.selectors import (
    node_for_user,
    node_unit_nama,
    pohon_for_user,
    pohon_head_title,
    pohon_siblings,
    pohon_summaries,
    pohon_tree,
)
from pohon.services import node_restore
from pohon.silang.selectors import silang_panel, tree_with_silang
from pohon.tautan.selectors import tautan_panel
from pohon.workflow import (
    pengesahan_sign_retry,
    pohon_approve,
    pohon_return,
    pohon_review_ensure,
    pohon_revise,
    pohon_submit,
)


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "pohon/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visible = list(dinas_visible_to(self.request.user).order_by("nama"))
        # The Pemda's own trees are reached through its page (/pemda/<kode>/), not listed as an agency.
        dinas_list = [d for d in visible if not d.is_pemda]
        context["pemda_list"] = sorted({d.pemda for d in visible}, key=lambda pemda: pemda.nama)
        pohons = list(
            Pohon.objects.filter(dinas__in=dinas_list)
            .select_related("dinas", "pengesahan")
            .order_by("-tahun", "-revisi")
        )
        summaries = pohon_summaries(pohons)
        context["rows"] = [(d, [s for s in summaries if s.pohon.dinas_id == d.pk]) for d in dinas_list]
        return context


def _revisi_param(request) -> int | None:
    value = request.GET.get("revisi") or request.POST.get("revisi")
    return int(value) if value and value.isdigit() else None


class PohonMixin(LoginRequiredMixin):
    """Finds the tree of the URL (and ``?revisi=N``) among those the user may see."""

    def get_pohon(self) -> Pohon:
        if not hasattr(self, "_pohon"):
            self._pohon = pohon_for_user(
                self.request.user,
                dinas_kode=self.kwargs["dinas"],
                tahun=self.kwargs["tahun"],
                revisi=_revisi_param(self.request),
            )
        return self._pohon


class PohonPageMixin(PohonMixin):
    """Reads the tree once for a chart or table page."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        pohon = self.get_pohon()
        tree = pohon_tree(pohon)
        siblings = pohon_siblings(pohon)
        revisions = [p for p in siblings if p.tahun == pohon.tahun]
        is_latest = revisions[0].pk == pohon.pk
        can_edit = user.is_staff and user_can_edit_pohon(user, pohon)
        context.update(
            pohon=pohon,
            dinas=pohon.dinas,
            tree=tree,
            checks=pohon_checks(tree),
            years=sorted({p.tahun for p in siblings}),
            revisions=revisions,
            is_latest=is_latest,
            riwayat=list(pohon.riwayat.all()),
            pengesahan=getattr(pohon, "pengesahan", None) if pohon.status == Pohon.Status.DISETUJUI else None,
            can_edit=can_edit,
            can_submit=user_can_submit(user, pohon),
            can_review=user_can_review(user, pohon),
            can_revise=user_can_revise(user, pohon, is_latest=is_latest),
            can_sign=user_can_sign(user, pohon),
            kertas_choices=DokumenTerbit.Kertas.choices,
            catatan_max_length=CATATAN_MAX_LENGTH,
            node_count=len(tree.nodes),
        )
        # Only the reviewer sees what changed since the last approval: three queries, not for everyone.
        context["diff"] = pohon_diff(pohon=pohon) if context["can_review"] else None
        return context


class PohonChartView(PohonPageMixin, TemplateView):
    template_name = "pohon/chart.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pohon, tree = context["pohon"], context["tree"]
        tree_with_silang(tree)  # crosscut boxes marked: one query
        renderer = ChartRenderer(tree, pk_links=perjanjian_unit_links(pohon))
        context["chart"] = renderer.render()
        # The operator's own unit boxes: the chart opens with them in view (static/pohon/chart-view.js).
        own_units = operator_own_unit_ids(self.request.user, pohon.dinas_id)
        context["own_box_ids"] = unit_box_ids(tree, renderer.box_ids, own_units)
        return context


class PohonTableView(PohonPageMixin, TemplateView):
    template_name = "pohon/table.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pohon, tree = context["pohon"], context["tree"]
        editable = editable_node_ids(self.request.user, pohon, tree)
        editor = None
        if editable:
            node_url = reverse("pohon:node_ubah", args=[pohon.dinas.kode, pohon.tahun, 0]).removesuffix("0/ubah/")
            editor = RowEditor(editable=editable, node_url=node_url)
        context["editor"] = editor
        edit_url = reverse("admin:pohon_node_change", args=[0]) if context["can_edit"] else None  # admin links
        context["rows"] = table_rows(tree, edit_url=edit_url, editor=editor)
        return context


BAGAN, TABEL = "bagan", "tabel"  # the pages the editor works on (``halaman``)


def halaman_param(request) -> str:
    """The page an edit was made on: ``bagan`` (the chart's node panel) or ``tabel``."""
    value = request.POST.get("halaman") or request.GET.get("halaman")
    return BAGAN if value == BAGAN else TABEL


def page_after_edit(
    request, *, pohon: Pohon, halaman: str, focus: int | None, message: str, change: ChartChange | None = None
) -> HttpResponse:
    """The answer to a saved edit: to htmx, the re-rendered chart or table page, from which it
    swaps in the chart or rows, the totals and the checks (``HX-Reswap: none``), then a
    ``pokinEdited`` event naming the node to show and the message; to a plain form post (no
    script), a redirect back to the page. On the chart, with ``change``, only the boxes that
    changed and the totals above them (``pohon.chart_partial``); the event then names the URL of
    the checks and the header, which the page loads after the swap."""
    chart = halaman == BAGAN
    page_class, url_name = (PohonChartView, "pohon:chart") if chart else (PohonTableView, "pohon:table")
    if not request.headers.get("HX-Request"):
        return HttpResponseRedirect(pohon.page_url(url_name))
    partial = chart_partial(pohon, change) if chart and change is not None else None
    if partial is not None:
        response = HttpResponse(partial)
        response["HX-Reswap"] = "none"
        refresh = reverse("pohon:periksa", args=[pohon.dinas.kode, pohon.tahun]) + f"?revisi={pohon.revisi}"
        event = {"node": focus, "message": message, "refresh": refresh}
        response["HX-Trigger-After-Swap"] = json.dumps({"pokinEdited": event})
        return response
    page = page_class()
    page.setup(request, dinas=pohon.dinas.kode, tahun=pohon.tahun)
    page._pohon = pohon
    response = TemplateResponse(request, page.template_name, page.get_context_data())
    response["HX-Reswap"] = "none"
    response["HX-Trigger-After-Swap"] = json.dumps({"pokinEdited": {"node": focus, "message": message}})
    return response


class PohonChecksView(PohonMixin, TemplateView):
    """The checks panel and the header (status, count, Total Pagu) of the chart, alone: what the
    chart reloads after an edit sent as a partial swap. The checks need the whole tree; it is read
    here, after the edit's own quick answer has been swapped in, and not rendered."""

    template_name = "pohon/_chart_refresh.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pohon = self.get_pohon()
        tree = pohon_tree(pohon)
        context.update(pohon=pohon, dinas=pohon.dinas, tree=tree, checks=pohon_checks(tree), node_count=len(tree.nodes))
        return context


class PohonPdfView(PohonMixin, View):
    """The printed cascade. An approved revision: its issued, signed document (the same bytes on
    every download), or, while the background job signs it, a page saying so. Any other tree:
    a draft, rendered in the request when the tree is small, otherwise by a background job whose
    page shows its progress and then the file. A GET never creates or signs a document."""

    def get(self, request, *args, **kwargs):
        pohon = self.get_pohon()
        kertas = kertas_param(request)
        if pohon.status == Pohon.Status.DISETUJUI:
            return self._issued(request, pohon, kertas)
        node_count = pohon.nodes.count() - 1  # the hidden root prints nothing
        if node_count <= settings.POKIN_PDF_INLINE_MAX_NODES:
            from pohon.documents import dokumen_render_draft  # WeasyPrint loads only for PDFs

            result = dokumen_render_draft(pohon=pohon, kertas=kertas, muat=muat_param(request))
            return pdf_response(result.pdf, pdf_filename(pohon, kertas, draft=True))
        context = {
            "pohon": pohon,
            "dinas": pohon.dinas,
            "kertas": kertas,
            "node_count": node_count,
            "job": draft_pdf_job(pohon, kertas),
        }
        return TemplateResponse(request, "pohon/pdf_draf.html", context)

    def post(self, request, *args, **kwargs):
        """Ask for a large tree's draft PDF: queued once, shared by everyone who asks for it."""
        pohon = self.get_pohon()
        if pohon.status == Pohon.Status.DISETUJUI:
            raise PermissionDenied
        job = draft_pdf_enqueue(pohon=pohon, kertas=kertas_param(request), user=request.user)
        return HttpResponseRedirect(job.get_absolute_url())

    def _issued(self, request, pohon: Pohon, kertas: str) -> HttpResponse:
        pengesahan = pohon.pengesahan
        dokumen = DokumenTerbit.objects.filter(dokumen_id=pengesahan.dokumen_id, kertas=kertas).first()
        if dokumen is not None:
            return pdf_response(bytes(dokumen.pdf), pdf_filename(pohon, kertas, draft=False))
        context = {
            "pohon": pohon,
            "dinas": pohon.dinas,
            "kertas": kertas,
            "pengesahan": pengesahan,
            "can_sign": user_can_sign(request.user, pohon),
        }
        return TemplateResponse(request, "pohon/pdf_menunggu.html", context, status=202)


def kertas_param(request) -> str:
    kertas = (request.GET.get("kertas") or request.POST.get("kertas") or DokumenTerbit.Kertas.F4).upper()
    return kertas if kertas in DokumenTerbit.Kertas.values else DokumenTerbit.Kertas.F4


def muat_param(request) -> bool | None:
    """``?muat=1``: the draft scaled onto one sheet (when its text stays readable), ``?muat=0``:
    never; otherwise the paper's default (A3 fits by default, see ``pohon.pdf``). Drafts rendered
    in the request only: an issued document is the one stored at approval, and a tree large enough
    for a background job is too large to fit one sheet readably."""
    return {"1": True, "0": False}.get(request.GET.get("muat", ""))


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


class PohonActionView(PohonMixin, View):
    """POST only: submit, return, start a revision or sign again (approval: ``PohonApproveView``).
    The service checks the role and the status; a user without the right gets 403 and nothing
    changes."""

    actions = {
        "ajukan": (pohon_submit, _("Pohon kinerja telah diajukan kepada Kepala Dinas.")),
        "kembalikan": (pohon_return, _("Pohon kinerja dikembalikan untuk diperbaiki.")),
        "perubahan": (pohon_revise, _("Perubahan baru dibuat sebagai draf.")),
        "tandatangani": (
            lambda *, pohon, user, catatan: pengesahan_sign_retry(pengesahan=pohon.pengesahan, user=user),
            _("Penandatanganan dokumen dijalankan ulang di latar belakang."),
        ),
    }

    def post(self, request, *args, **kwargs):
        if kwargs["aksi"] not in self.actions:
            raise PermissionDenied
        service, success = self.actions[kwargs["aksi"]]
        pohon = self.get_pohon()
        catatan = request.POST.get("catatan", "")
        try:
            result = service(pohon=pohon, user=request.user, catatan=catatan)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(pohon.chart_url())
        messages.success(request, success)
        return HttpResponseRedirect((result if isinstance(result, Pohon) else pohon).chart_url())


class PohonApproveView(PohonMixin, TemplateView):
    """The Kepala Dinas's approval, in two steps. A GET, or a POST without ``konfirmasi=1``, shows
    what is about to be signed (totals, open checks, changes since the last approved revision,
    the signer, place and date: ``approval_preview``); only the confirmation form's POST, which
    carries ``konfirmasi=1``, approves. 403 for a user who may not review the tree."""

    template_name = "pohon/setujui.html"

    def get(self, request, *args, **kwargs):
        pohon = self.get_pohon()
        try:
            pohon_review_ensure(pohon=pohon, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(pohon.chart_url())
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if request.POST.get("konfirmasi") != "1":
            return self.get(request, *args, **kwargs)
        pohon = self.get_pohon()
        try:
            pohon_approve(pohon=pohon, user=request.user, catatan=request.POST.get("catatan", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(pohon.chart_url())
        messages.success(
            request, _("Pohon kinerja disetujui. Dokumen bertanda tangan elektronik sedang dibuat di latar belakang.")
        )
        return HttpResponseRedirect(pohon.chart_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pohon = self.get_pohon()
        context.update(
            pohon=pohon,
            dinas=pohon.dinas,
            preview=approval_preview(pohon=pohon),
            catatan=self.request.POST.get("catatan", ""),
            catatan_max_length=CATATAN_MAX_LENGTH,
        )
        return context


class PohonRiwayatView(PohonMixin, TemplateView):
    """The tree's history as events, newest first, filtered by the GET form (unit, user, kind
    of change, dates); ``?node=<kunci>`` for one node's history (from before a deletion and
    restore too; a node's id is still understood)."""

    template_name = "pohon/history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pohon = self.get_pohon()
        node_kunci = riwayat_node_kunci(pohon, self.request.GET.get("node", ""))
        units = list(UnitKerja.objects.filter(dinas_id=pohon.dinas_id).order_by("urutan", "id"))
        form = RiwayatFilterForm(
            self.request.GET or None,
            units=units,
            users=riwayat_user_names(pohon),
            aksi_choices=[*NodeRiwayat.Aksi.choices, (ALUR, _("Alur persetujuan"))],
        )
        if form.is_bound:
            form.is_valid()  # an invalid field shows its error and does not filter; the valid ones do
        filters = riwayat_filter(units=units, data=getattr(form, "cleaned_data", {}), kunci=node_kunci)
        result = riwayat_events(
            pohon=pohon, filters=filters, user=self.request.user, page=self.request.GET.get("page", 1)
        )
        context.update(
            pohon=pohon,
            dinas=pohon.dinas,
            node_kunci=node_kunci,
            form=form,
            filters=filters,
            events=result.events,
            page_obj=result.page,
            is_paginated=result.page.paginator.num_pages > 1,
        )
        return context


class NodePanelView(LoginRequiredMixin, TemplateView):
    """The chart's panel of one node (GET, loaded by htmx): its fields, its latest history with a
    link to all of it, and, for a user who may edit the branch while the tree is editable, the
    editor's actions. The head's box is the hidden root: the tree's latest changes, and for an
    admin adding at the top of the tree."""

    template_name = "pohon/_node_panel.html"
    history_size = 8

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        node = node_for_user(
            user, dinas_kode=self.kwargs["dinas"], tahun=self.kwargs["tahun"], pk=self.kwargs["pk"], allow_root=True
        )
        pohon = node.pohon
        entries = riwayat_for_pohon(pohon, kunci=None if node.is_root else node.kunci)
        may_edit = pohon.is_editable and user_can_edit_branch(user, pohon, node)
        node_url = reverse("pohon:node_panel", args=[pohon.dinas.kode, pohon.tahun, node.pk])
        history_url = pohon.page_url("pohon:riwayat", **({} if node.is_root else {"node": node.kunci}))
        context.update(
            node=node,
            pohon=pohon,
            title=pohon_head_title(pohon) if node.is_root else node.uraian,
            unit_nama=node_unit_nama(node),
            node_url=node_url,
            may_edit=may_edit,
            may_add=may_edit and bool(rules.allowed_children(node.jenis, pohon.pemilik)),
            # one "Tambah Kegiatan" button per kind that may stand under this node
            add_kinds=[
                (jenis, rules.jenis_label(jenis)) for jenis in rules.allowed_children(node.jenis, pohon.pemilik)
            ],
            target_tahunan=target_tahunan_cells(pohon, node.kunci, node.satuan)
            if pohon.is_pemda and node.jenis == rules.INDIKATOR
            else [],
            may_change=may_edit and not node.is_root,
            may_move_up=may_edit and not node.is_root and node.get_previous_sibling() is not None,
            may_move_down=may_edit and not node.is_root and node.get_next_sibling() is not None,
            # Bappeda edits the Pemda tree here, not in the admin (its rights there are the agencies' roles)
            admin_url=node.get_absolute_url()
            if may_edit and user.is_staff and not node.is_root and (user.is_superuser or not pohon.is_pemda)
            else None,
            rows=riwayat_rows(list(entries[: self.history_size]), pohon=pohon, user=user),
            history_count=entries.count(),
            history_url=history_url,
            budgeted=rules.BUDGETED,
            **silang_panel(user, node),
            **tautan_panel(user, node),
        )
        return context


class NodeRestoreView(PohonMixin, View):
    """POST only: restore a deleted subtree. 403 (nothing changes) for a user who may not edit the
    tree now, or not under the former parent. From the history page a refusal with a reason
    (parent gone, kode taken) comes back as a message there; from the chart's panel
    (``halaman=bagan``, htmx) as a message in the panel, and a success as the new chart."""

    def post(self, request, *args, **kwargs):
        pohon = self.get_pohon()
        riwayat = get_object_or_404(NodeRiwayat, pk=kwargs["pk"], pohon=pohon, aksi=NodeRiwayat.Aksi.HAPUS)
        if not user_can_edit_pohon(request.user, pohon):
            raise PermissionDenied
        from_chart = halaman_param(request) == BAGAN and request.headers.get("HX-Request")
        try:
            node = node_restore(riwayat=riwayat, user=request.user)
        except ValidationError as error:
            if from_chart:
                context = {"node": None, "messages_": error.messages}
                return TemplateResponse(request, "pohon/editor/_message_panel.html", context)
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(pohon.page_url("pohon:riwayat"))
        message = _("Butir %(kode)s dipulihkan beserta isinya.") % {"kode": node.kode}
        if from_chart:
            return page_after_edit(request, pohon=pohon, halaman=BAGAN, focus=node.pk, message=message)
        messages.success(request, message)
        return HttpResponseRedirect(pohon.page_url("pohon:riwayat"))

"""Crosscutting pages: ask from a node, the inbox of an agency and year (incoming, outgoing, the
findings), accept, refuse, withdraw, and a node's lasting address. Thin: each parses, asks one
selector or service, renders; a user without the right gets 403 (404 for an agency they do not
see) and nothing changes."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from dinas.models import PerangkatDaerah, UnitKerja
from dinas.selectors import dinas_visible_to
from pohon import rules
from pohon.models import Node, Pohon
from pohon.permissions import editable_node_ids, user_can_edit_branch
from pohon.selectors import node_for_user, pohon_for_user, pohon_tree
from pohon.silang.forms import (
    BARU,
    SilangAcceptForm,
    SilangRefuseForm,
    SilangRequestForm,
    SilangWithdrawForm,
    node_label,
)
from pohon.silang.models import Silang
from pohon.silang.permissions import PENERIMA_KINDS, user_can_answer, user_can_request, user_can_withdraw
from pohon.silang.selectors import node_url, pohon_latest_of, silang_get, silang_inbox
from pohon.silang.services import silang_accept, silang_refuse, silang_request, silang_withdraw


def inbox_url(dinas_kode: str, tahun: int) -> str:
    return reverse("pohon:silang", args=[dinas_kode, tahun])


def _errors_into(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _unit_choices(pohon: Pohon, node: Node) -> list:
    """The units that may be asked, grouped by agency (this agency first): every agency of the
    same Pemda with a tree for the year; not the node's own unit."""
    dinas_ids = set(
        Pohon.objects.filter(tahun=pohon.tahun, dinas__pemda_id=pohon.dinas.pemda_id).values_list("dinas_id", flat=True)
    )
    units = (
        UnitKerja.objects.filter(dinas_id__in=dinas_ids).select_related("dinas").order_by("dinas__nama", "urutan", "id")
    )
    groups: dict[int, tuple[str, list]] = {}
    for unit in units:
        if unit.dinas_id == pohon.dinas_id and unit.pk == node.unit_id:
            continue
        groups.setdefault(unit.dinas_id, (unit.dinas.nama, []))[1].append((unit.pk, unit.nama))
    ordered = sorted(groups.items(), key=lambda item: (item[0] != pohon.dinas_id, item[1][0]))
    return [(nama, units) for _id, (nama, units) in ordered]


class SilangRequestView(LoginRequiredMixin, View):
    """ "Minta dukungan (crosscutting)" for one node: pick the unit (of this agency or another of
    the Pemda) and write a note."""

    template_name = "pohon/silang/minta.html"

    def _setup(self, request, kwargs):
        node = node_for_user(request.user, dinas_kode=kwargs["dinas"], tahun=kwargs["tahun"], pk=kwargs["pk"])
        if not user_can_request(request.user, node.pohon, node):
            raise PermissionDenied
        return node, _unit_choices(node.pohon, node)

    def get(self, request, *args, **kwargs):
        node, choices = self._setup(request, kwargs)
        return self._render(request, node, SilangRequestForm(unit_choices=choices))

    def post(self, request, *args, **kwargs):
        node, choices = self._setup(request, kwargs)
        form = SilangRequestForm(request.POST, unit_choices=choices)
        if form.is_valid():
            unit = UnitKerja.objects.select_related("dinas").get(pk=form.cleaned_data["penerima_unit"])
            try:
                silang_request(node=node, penerima_unit=unit, catatan=form.cleaned_data["catatan"], user=request.user)
            except ValidationError as error:
                _errors_into(form, error)
            else:
                messages.success(
                    request,
                    _("Permintaan crosscutting untuk %(kode)s dikirim kepada %(unit)s.")
                    % {"kode": node.kode, "unit": unit.nama},
                )
                return HttpResponseRedirect(inbox_url(node.pohon.dinas.kode, node.pohon.tahun))
        return self._render(request, node, form, status=400)

    def _render(self, request, node: Node, form, status: int = 200):
        context = {"node": node, "pohon": node.pohon, "dinas": node.pohon.dinas, "form": form}
        return TemplateResponse(request, self.template_name, context, status=status)


class SilangMixin(LoginRequiredMixin):
    """The agency and year of the URL, among those the user sees (404 otherwise)."""

    def get_dinas(self) -> tuple[PerangkatDaerah, int]:
        dinas = dinas_visible_to(self.request.user).filter(kode=self.kwargs["dinas"]).first()
        if dinas is None:
            raise Http404("Perangkat Daerah tidak ditemukan.")
        return dinas, self.kwargs["tahun"]

    def get_silang(self) -> Silang:
        dinas, tahun = self.get_dinas()
        silang = silang_get(dinas=dinas, tahun=tahun, pk=self.kwargs["pk"])
        if silang is None:
            raise Http404("Crosscutting tidak ditemukan.")
        return silang


class SilangInboxView(SilangMixin, View):
    """The agency's crosscutting of one year: incoming and outgoing, with what the user may do on
    each, and the findings (waiting longer than 14 days, refused)."""

    def get(self, request, *args, **kwargs):
        dinas, tahun = self.get_dinas()
        pohon = pohon_for_user(request.user, dinas_kode=dinas.kode, tahun=tahun)
        inbox = silang_inbox(dinas, tahun)
        user = request.user
        for silang in {*inbox.masuk, *inbox.keluar}:
            silang.may_answer = user_can_answer(user, silang)
            silang.may_withdraw = user_can_withdraw(user, silang)
            silang.pengirim_url = node_url(silang.pengirim_dinas.kode, tahun, silang.pengirim_kunci)
            silang.penerima_url = node_url(silang.penerima_dinas.kode, tahun, silang.penerima_kunci)
        context = {
            "dinas": dinas,
            "tahun": tahun,
            "pohon": pohon,
            "inbox": inbox,
            "refuse_form": SilangRefuseForm(),
            "withdraw_form": SilangWithdrawForm(),
        }
        return TemplateResponse(request, "pohon/silang/inbox.html", context)


class SilangAcceptView(SilangMixin, View):
    """Accept a request: link a node of the newest revision, or create one under a parent the
    user may add under (the rule table decides the kind)."""

    template_name = "pohon/silang/terima.html"

    def _setup(self, request):
        silang = self.get_silang()
        if not user_can_answer(request.user, silang):
            raise PermissionDenied
        pohon = pohon_latest_of(silang.penerima_dinas_id, silang.tahun)
        if pohon is None:
            raise Http404
        tree = pohon_tree(pohon)
        node_choices = [(n.pk, node_label(n)) for n in tree.nodes if n.jenis in PENERIMA_KINDS]
        editable = editable_node_ids(request.user, pohon, tree)
        hosts = [n for n in tree.nodes if n.pk in editable and set(rules.allowed_children(n.jenis)) & PENERIMA_KINDS]
        parent_choices = [(n.pk, node_label(n)) for n in hosts]
        if pohon.is_editable and user_can_edit_branch(request.user, pohon, None):  # an Admin
            parent_choices.insert(0, (tree.root.pk, _("(Tingkat teratas pohon)")))
        return silang, pohon, node_choices, parent_choices

    def get(self, request, *args, **kwargs):
        silang, pohon, nodes, parents = self._setup(request)
        form = SilangAcceptForm(
            node_choices=nodes, parent_choices=parents, initial={"jenis": silang_default_jenis(silang)}
        )
        return self._render(request, silang, pohon, form)

    def post(self, request, *args, **kwargs):
        silang, pohon, nodes, parents = self._setup(request)
        form = SilangAcceptForm(request.POST, node_choices=nodes, parent_choices=parents)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["cara"] == BARU:
                    parent = Node.objects.get(pk=data["parent"], pohon=pohon)
                    silang_accept(
                        silang=silang,
                        user=request.user,
                        parent=parent,
                        jenis=data["jenis"],
                        uraian=data["uraian"],
                        pagu=data["pagu"],
                    )
                else:
                    node = Node.objects.select_related("pohon").get(pk=data["node"], pohon=pohon)
                    silang_accept(silang=silang, user=request.user, node=node)
            except ValidationError as error:
                _errors_into(form, error)
            else:
                messages.success(request, _("Permintaan crosscutting disetujui."))
                return HttpResponseRedirect(inbox_url(self.kwargs["dinas"], self.kwargs["tahun"]))
        return self._render(request, silang, pohon, form, status=400)

    def _render(self, request, silang, pohon, form, status: int = 200):
        context = {"silang": silang, "pohon": pohon, "dinas": pohon.dinas, "tahun": silang.tahun, "form": form}
        return TemplateResponse(request, self.template_name, context, status=status)


def silang_default_jenis(silang: Silang) -> str:
    """A new supporting node is by default of the asking node's kind (a Kegiatan for a Kegiatan)."""
    node = (
        Node.objects.filter(
            pohon__dinas_id=silang.pengirim_dinas_id, pohon__tahun=silang.tahun, kunci=silang.pengirim_kunci
        )
        .values_list("jenis", flat=True)
        .first()
    )
    return node if node in PENERIMA_KINDS else rules.KEGIATAN


class _SilangPostView(SilangMixin, View):
    form_class: type = SilangRefuseForm
    success: str = ""

    def act(self, silang: Silang, data: dict) -> None:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        silang = self.get_silang()
        form = self.form_class(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(" ".join(errors) for errors in form.errors.values()))
        else:
            try:
                self.act(silang, form.cleaned_data)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, self.success)
        return HttpResponseRedirect(inbox_url(self.kwargs["dinas"], self.kwargs["tahun"]))


class SilangRefuseView(_SilangPostView):
    form_class = SilangRefuseForm
    success = _("Permintaan crosscutting ditolak.")

    def act(self, silang, data):
        if not user_can_answer(self.request.user, silang):
            raise PermissionDenied
        silang_refuse(silang=silang, alasan=data["alasan"], user=self.request.user)


class SilangWithdrawView(_SilangPostView):
    form_class = SilangWithdrawForm
    success = _("Crosscutting ditarik.")

    def act(self, silang, data):
        if not user_can_withdraw(self.request.user, silang):
            raise PermissionDenied
        silang_withdraw(silang=silang, alasan=data["alasan"], user=self.request.user)


class SilangNodeView(LoginRequiredMixin, View):
    """A node's lasting address (agency, year, kunci): the chart of the newest revision, at the
    node, for a user who sees that agency; for the other side of a link, who does not, the node
    as the link shows it (nothing more of that agency's tree)."""

    def get(self, request, *args, **kwargs):
        kunci, tahun = kwargs["kunci"], kwargs["tahun"]
        visible = dinas_visible_to(request.user)
        node = (
            Node.objects.filter(pohon__dinas__kode=kwargs["dinas"], pohon__tahun=tahun, kunci=kunci)
            .select_related("pohon__dinas", "unit")
            .order_by("-pohon__revisi")
            .first()
        )
        if node is None:
            raise Http404("Butir tidak ditemukan.")
        pohon = node.pohon
        if visible.filter(pk=pohon.dinas_id).exists():
            return HttpResponseRedirect(f"{pohon.chart_url()}#n-{node.pk}")
        links = list(
            Silang.objects.filter(tahun=tahun).filter(
                Q(pengirim_dinas__in=visible, penerima_dinas=pohon.dinas, penerima_kunci=kunci)
                | Q(penerima_dinas__in=visible, pengirim_dinas=pohon.dinas, pengirim_kunci=kunci)
            )
        )
        if not links:
            raise Http404("Butir tidak ditemukan.")
        context = {"node": node, "pohon": pohon, "dinas": pohon.dinas, "links": links}
        return TemplateResponse(request, "pohon/silang/butir.html", context)

"""Pages of the links to the Pemda: propose from an agency node, send from a Pemda node, the
agency's inbox of a year, Bappeda's inbox of the Pemda, accept / refuse / withdraw, and the
alignment checks (page and export). Thin: each parses, asks one selector or service, renders; a
user without the right gets 403 (404 for what they do not see) and nothing changes."""

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from dinas.models import Pemda, PerangkatDaerah
from dinas.selectors import PERAN_BACA, dinas_visible_to, user_memberships
from pohon import rules
from pohon.models import Node, Pohon
from pohon.pemda.permissions import user_is_bappeda, user_sees_pemda
from pohon.pemda.selectors import pemda_pohon_for_tahun
from pohon.permissions import editable_node_ids, user_can_edit_branch
from pohon.selectors import node_for_user, pohon_for_user, pohon_tree
from pohon.silang.selectors import pohon_latest_of
from pohon.silang.views import _errors_into
from pohon.tautan.forms import (
    BARU,
    TautanAcceptForm,
    TautanProposeForm,
    TautanRefuseForm,
    TautanSendForm,
    TautanWithdrawForm,
    node_label,
)
from pohon.tautan.keselarasan import alignment_export, pemda_alignment
from pohon.tautan.models import TautanPemda
from pohon.tautan.permissions import (
    DINAS_KINDS,
    PEMDA_KINDS,
    user_can_answer,
    user_can_propose,
    user_can_send,
    user_can_withdraw,
    user_sees_tautan,
)
from pohon.tautan.selectors import dinas_node_url, pemda_node_url, tautan_for_dinas, tautan_for_pemda
from pohon.tautan.services import tautan_accept, tautan_propose, tautan_refuse, tautan_send, tautan_withdraw

Status = TautanPemda.Status


def dinas_inbox_url(dinas_kode: str, tahun: int) -> str:
    return reverse("pohon:tautan", args=[dinas_kode, tahun])


def pemda_inbox_url(pemda_kode: str) -> str:
    return reverse("pemda:tautan", args=[pemda_kode])


def _annotate(user, links) -> list[TautanPemda]:
    links = list(links)
    for t in links:
        t.may_answer = user_can_answer(user, t)
        t.may_withdraw = user_can_withdraw(user, t)
        t.dinas_url = dinas_node_url(t)
        t.pemda_url = pemda_node_url(t)
    return links


class TautanProposeView(LoginRequiredMixin, View):
    """ "Hubungkan ke Sasaran Pemda" from an agency's Tujuan or Sasaran: pick the Pemda node."""

    template_name = "pohon/tautan/usul.html"

    def _setup(self, request, kwargs):
        node = node_for_user(request.user, dinas_kode=kwargs["dinas"], tahun=kwargs["tahun"], pk=kwargs["pk"])
        if not user_can_propose(request.user, node.pohon, node):
            raise PermissionDenied
        pohon_pemda = pemda_pohon_for_tahun(node.pohon.dinas.pemda, node.pohon.tahun)
        choices = []
        if pohon_pemda is not None:
            choices = [
                (n.pk, node_label(n)) for n in pohon_tree(pohon_pemda).nodes if n.jenis in PEMDA_KINDS
            ]  # the tree read: nodes in order
        return node, pohon_pemda, choices

    def get(self, request, *args, **kwargs):
        node, pohon_pemda, choices = self._setup(request, kwargs)
        return self._render(request, node, pohon_pemda, TautanProposeForm(node_choices=choices))

    def post(self, request, *args, **kwargs):
        node, pohon_pemda, choices = self._setup(request, kwargs)
        form = TautanProposeForm(request.POST, node_choices=choices)
        if form.is_valid() and pohon_pemda is not None:
            pemda_node = Node.objects.select_related("pohon__dinas").get(
                pk=form.cleaned_data["pemda_node"], pohon=pohon_pemda
            )
            try:
                tautan_propose(
                    node=node, pemda_node=pemda_node, catatan=form.cleaned_data["catatan"], user=request.user
                )
            except ValidationError as error:
                _errors_into(form, error)
            else:
                messages.success(
                    request,
                    _("Usulan tautan %(kode)s ke %(pemda)s dikirim kepada Bappeda.")
                    % {"kode": node.kode, "pemda": pemda_node.kode},
                )
                return HttpResponseRedirect(dinas_inbox_url(node.pohon.dinas.kode, node.pohon.tahun))
        return self._render(request, node, pohon_pemda, form, status=400)

    def _render(self, request, node, pohon_pemda, form, status: int = 200):
        context = {"node": node, "pohon": node.pohon, "dinas": node.pohon.dinas, "pohon_pemda": pohon_pemda}
        context["form"] = form
        return TemplateResponse(request, self.template_name, context, status=status)


def _default_tahun(pohon_pemda: Pohon) -> int:
    today = datetime.date.today().year
    return min(max(today, pohon_pemda.tahun), pohon_pemda.tahun_akhir or pohon_pemda.tahun)


class TautanSendView(LoginRequiredMixin, View):
    """ "Kirim ke Perangkat Daerah" from a Sasaran Pemda, Tematik or Sub Tematik: pick the agency
    and the year of its tree."""

    template_name = "pohon/tautan/kirim.html"

    def _setup(self, request, kwargs):
        node = node_for_user(request.user, dinas_kode=kwargs["dinas"], tahun=kwargs["tahun"], pk=kwargs["pk"])
        pohon = node.pohon
        if not user_can_send(request.user, pohon, node):
            raise PermissionDenied
        years = list(pohon.periode)
        with_tree = set(
            Pohon.objects.filter(dinas__pemda=pohon.dinas.pemda, tahun__in=years)
            .exclude(dinas__jenis=PerangkatDaerah.Jenis.PEMDA)
            .values_list("dinas_id", flat=True)
        )
        agencies = PerangkatDaerah.objects.agencies().filter(pemda=pohon.dinas.pemda, pk__in=with_tree)
        return node, [(d.pk, d.nama) for d in agencies.order_by("nama")], years

    def get(self, request, *args, **kwargs):
        node, agencies, years = self._setup(request, kwargs)
        form = TautanSendForm(
            dinas_choices=agencies, tahun_choices=years, initial={"tahun": _default_tahun(node.pohon)}
        )
        return self._render(request, node, form)

    def post(self, request, *args, **kwargs):
        node, agencies, years = self._setup(request, kwargs)
        form = TautanSendForm(request.POST, dinas_choices=agencies, tahun_choices=years)
        if form.is_valid():
            dinas = PerangkatDaerah.objects.get(pk=form.cleaned_data["dinas"])
            try:
                tautan_send(
                    pemda_node=node,
                    dinas=dinas,
                    tahun=form.cleaned_data["tahun"],
                    catatan=form.cleaned_data["catatan"],
                    user=request.user,
                )
            except ValidationError as error:
                _errors_into(form, error)
            else:
                messages.success(
                    request,
                    _("%(kode)s dikirim kepada %(dinas)s (pohon kinerja tahun %(tahun)s).")
                    % {"kode": node.kode, "dinas": dinas.nama, "tahun": form.cleaned_data["tahun"]},
                )
                return HttpResponseRedirect(pemda_inbox_url(node.pohon.dinas.pemda.kode))
        return self._render(request, node, form, status=400)

    def _render(self, request, node, form, status: int = 200):
        context = {"node": node, "pohon": node.pohon, "pemda": node.pohon.dinas.pemda, "form": form}
        return TemplateResponse(request, self.template_name, context, status=status)


class TautanDinasInboxView(LoginRequiredMixin, View):
    """The agency's links to the Pemda for one year: sent by Bappeda (to answer), proposed (waiting
    for Bappeda), accepted, refused, withdrawn."""

    def get(self, request, *args, **kwargs):
        dinas = dinas_visible_to(request.user).filter(kode=kwargs["dinas"]).first()
        if dinas is None or dinas.is_pemda:
            raise Http404("Perangkat Daerah tidak ditemukan.")
        tahun = kwargs["tahun"]
        pohon = pohon_for_user(request.user, dinas_kode=dinas.kode, tahun=tahun)
        links = _annotate(request.user, tautan_for_dinas(dinas, tahun).order_by("-diminta_pada", "-id"))
        context = {
            "dinas": dinas,
            "tahun": tahun,
            "pohon": pohon,
            "pemda": dinas.pemda,
            "masuk": [t for t in links if t.arah == TautanPemda.Arah.KIRIMAN],
            "keluar": [t for t in links if t.arah == TautanPemda.Arah.USULAN],
            "next": request.path,
            "keselarasan_url": reverse("pemda:keselarasan", args=[dinas.pemda.kode, tahun]),
        }
        return TemplateResponse(request, "pohon/tautan/inbox.html", context)


def _pemda_for(request, kode: str) -> Pemda:
    pemda = get_object_or_404(Pemda, kode=kode)
    if not user_sees_pemda(request.user, pemda):
        raise Http404
    return pemda


class TautanPemdaInboxView(LoginRequiredMixin, View):
    """Bappeda's inbox: every link of the Pemda; proposals waiting for its approval first."""

    def get(self, request, *args, **kwargs):
        pemda = _pemda_for(request, kwargs["kode"])
        if not user_is_bappeda(request.user, pemda):
            raise PermissionDenied
        links = _annotate(request.user, tautan_for_pemda(pemda).order_by("-diminta_pada", "-id"))
        context = {
            "pemda": pemda,
            "masuk": [t for t in links if t.arah == TautanPemda.Arah.USULAN],
            "keluar": [t for t in links if t.arah == TautanPemda.Arah.KIRIMAN],
            "next": request.path,
            "is_pemda_inbox": True,
        }
        return TemplateResponse(request, "pohon/tautan/inbox.html", context)


class TautanMixin(LoginRequiredMixin):
    """The link of the URL, of the Pemda of the URL, seen by the user (404 otherwise)."""

    def get_tautan(self) -> TautanPemda:
        pemda = _pemda_for(self.request, self.kwargs["kode"])
        tautan = (
            TautanPemda.objects.select_related("pemda", "pemda_dinas", "dinas", "dinas_unit")
            .filter(pemda=pemda, pk=self.kwargs["pk"])
            .first()
        )
        if tautan is None or not user_sees_tautan(self.request.user, tautan):
            raise Http404("Tautan tidak ditemukan.")
        return tautan

    def back(self, tautan: TautanPemda) -> str:
        target = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if target and url_has_allowed_host_and_scheme(target, {self.request.get_host()}):
            return target
        if user_is_bappeda(self.request.user, tautan.pemda):
            return pemda_inbox_url(tautan.pemda.kode)
        return dinas_inbox_url(tautan.dinas.kode, tautan.tahun)


class TautanAcceptView(TautanMixin, View):
    """Accept: Bappeda approves a proposal in one step (POST); the agency answers a link Bappeda
    sent by linking a Tujuan/Sasaran of its newest revision, or creating one under a parent."""

    template_name = "pohon/tautan/terima.html"

    def _setup(self, request):
        tautan = self.get_tautan()
        if not user_can_answer(request.user, tautan):
            raise PermissionDenied
        pohon = pohon_latest_of(tautan.dinas_id, tautan.tahun)
        if pohon is None:
            raise Http404
        return tautan, pohon

    def _choices(self, request, pohon):
        tree = pohon_tree(pohon)
        node_choices = [(n.pk, node_label(n)) for n in tree.nodes if n.jenis in DINAS_KINDS]
        editable = editable_node_ids(request.user, pohon, tree)
        hosts = [n for n in tree.nodes if n.pk in editable and set(rules.allowed_children(n.jenis)) & DINAS_KINDS]
        parent_choices = [(n.pk, node_label(n)) for n in hosts]
        if pohon.is_editable and user_can_edit_branch(request.user, pohon, None):  # an Admin
            parent_choices.insert(0, (tree.root.pk, _("(Tingkat teratas pohon)")))
        return node_choices, parent_choices

    def get(self, request, *args, **kwargs):
        tautan, pohon = self._setup(request)
        if tautan.arah == TautanPemda.Arah.USULAN:
            return self._render(request, tautan, pohon, None)
        nodes, parents = self._choices(request, pohon)
        form = TautanAcceptForm(node_choices=nodes, parent_choices=parents, initial={"jenis": rules.SASARAN})
        return self._render(request, tautan, pohon, form)

    def post(self, request, *args, **kwargs):
        tautan, pohon = self._setup(request)
        if tautan.arah == TautanPemda.Arah.USULAN:
            try:
                tautan_accept(tautan=tautan, user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Usulan tautan disetujui."))
            return HttpResponseRedirect(self.back(tautan))
        nodes, parents = self._choices(request, pohon)
        form = TautanAcceptForm(request.POST, node_choices=nodes, parent_choices=parents)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["cara"] == BARU:
                    parent = Node.objects.get(pk=data["parent"], pohon=pohon)
                    tautan_accept(
                        tautan=tautan, user=request.user, parent=parent, jenis=data["jenis"], uraian=data["uraian"]
                    )
                else:
                    node = Node.objects.select_related("pohon").get(pk=data["node"], pohon=pohon)
                    tautan_accept(tautan=tautan, user=request.user, node=node)
            except ValidationError as error:
                _errors_into(form, error)
            else:
                messages.success(request, _("Tautan ke %(pemda)s disetujui.") % {"pemda": f"{tautan.pemda_kode}"})
                return HttpResponseRedirect(self.back(tautan))
        return self._render(request, tautan, pohon, form, status=400)

    def _render(self, request, tautan, pohon, form, status: int = 200):
        tautan.pemda_url = pemda_node_url(tautan)
        context = {"tautan": tautan, "pohon": pohon, "dinas": pohon.dinas, "form": form, "next": self.back(tautan)}
        return TemplateResponse(request, self.template_name, context, status=status)


class _TautanPostView(TautanMixin, View):
    form_class: type = TautanRefuseForm
    success: str = ""

    def act(self, tautan: TautanPemda, data: dict) -> None:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        tautan = self.get_tautan()
        form = self.form_class(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(" ".join(errors) for errors in form.errors.values()))
        else:
            try:
                self.act(tautan, form.cleaned_data)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, self.success)
        return HttpResponseRedirect(self.back(tautan))


class TautanRefuseView(_TautanPostView):
    form_class = TautanRefuseForm
    success = _("Tautan ditolak.")

    def act(self, tautan, data):
        if not user_can_answer(self.request.user, tautan):
            raise PermissionDenied
        tautan_refuse(tautan=tautan, alasan=data["alasan"], user=self.request.user)


class TautanWithdrawView(_TautanPostView):
    form_class = TautanWithdrawForm
    success = _("Tautan ditarik.")

    def act(self, tautan, data):
        if not user_can_withdraw(self.request.user, tautan):
            raise PermissionDenied
        tautan_withdraw(tautan=tautan, alasan=data["alasan"], user=self.request.user)


# --- the alignment checks ------------------------------------------------------------------------


def _own_agencies(user, pemda: Pemda) -> list[PerangkatDaerah]:
    """The agencies of the Pemda where the user holds a role of their own (not a derived read)."""
    held = {pk for pk, roles in user_memberships(user).items() if roles - {PERAN_BACA}}
    return list(PerangkatDaerah.objects.agencies().filter(pemda=pemda, pk__in=held).order_by("nama"))


class KeselarasanView(LoginRequiredMixin, View):
    """The alignment checks of a Pemda and a year: Bappeda (and Admin) sees every finding, an
    agency its own. ``?format=xlsx`` or ``csv``: the same table as a file."""

    def get(self, request, *args, **kwargs):
        pemda = _pemda_for(request, kwargs["kode"])
        tahun = kwargs["tahun"]
        if user_is_bappeda(request.user, pemda):
            agencies, findings = None, pemda_alignment(pemda, tahun)
        else:
            agencies = _own_agencies(request.user, pemda)
            if not agencies:
                raise PermissionDenied
            findings = [f for dinas in agencies for f in pemda_alignment(pemda, tahun, dinas=dinas)]
        export_format = request.GET.get("format", "")
        if export_format in ("xlsx", "csv"):
            data = alignment_export(findings, export_format, base_url=request.build_absolute_uri("/").rstrip("/"))
            content_type = {
                "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "csv": "text/csv; charset=utf-8",
            }[export_format]
            response = HttpResponse(data, content_type=content_type)
            response["Content-Disposition"] = f'attachment; filename="keselarasan-{pemda.kode}-{tahun}.{export_format}"'
            return response
        pohon_pemda = pemda_pohon_for_tahun(pemda, tahun)
        counts: dict[str, int] = {}
        for f in findings:
            counts[f.jenis_label] = counts.get(f.jenis_label, 0) + 1
        context = {
            "pemda": pemda,
            "tahun": tahun,
            "findings": findings,
            "counts": sorted(counts.items()),
            "agencies": agencies,
            "pohon_pemda": pohon_pemda,
            "is_bappeda": agencies is None,
            "years": list(pohon_pemda.periode) if pohon_pemda is not None else [tahun],
        }
        return TemplateResponse(request, "pohon/tautan/keselarasan.html", context)

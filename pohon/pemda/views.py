"""The Pemda's entry page: its RPJMD periods (the Pemda trees) and its agencies with their trees.

Seen by whoever holds a role in the Pemda (in one of its agencies, or Bappeda); a Bappeda member
(or an admin) also starts a new period here. The Pemda tree's own pages are the tree pages of
``pohon.urls`` under the owner record's kode (``Pohon.chart_url``).
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from dinas.models import Keanggotaan, Pemda, PerangkatDaerah
from dinas.selectors import user_memberships, user_roles
from pohon.models import Pohon
from pohon.pemda.selectors import pemda_pemilik, pemda_pohon_list
from pohon.pemda.services import pemda_pohon_create
from pohon.selectors import pohon_summaries


def user_sees_pemda(user, pemda: Pemda) -> bool:
    """A superuser, or anyone with a role (derived roles included) in the Pemda's records."""
    if user.is_superuser:
        return True
    held = user_memberships(user)
    return PerangkatDaerah.objects.filter(pemda=pemda, pk__in=list(held)).exists()


def user_is_bappeda(user, pemda: Pemda) -> bool:
    """May start a Pemda tree: Bappeda (or Admin) of the Pemda's owner record, or a superuser."""
    if user.is_superuser:
        return True
    owner = pemda_pemilik(pemda)
    if owner is None:
        return False
    return bool(user_roles(user, owner.pk) & {Keanggotaan.Peran.BAPPEDA, Keanggotaan.Peran.ADMIN})


def _tahun(value: str) -> int | None:
    return int(value) if value.strip().isdigit() else None


class PemdaView(LoginRequiredMixin, TemplateView):
    template_name = "pohon/pemda/pemda.html"

    def get_pemda(self) -> Pemda:
        pemda = get_object_or_404(Pemda, kode=self.kwargs["kode"])
        if not user_sees_pemda(self.request.user, pemda):
            raise Http404
        return pemda

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        pemda = self.get_pemda()
        held = user_memberships(user)
        agencies = list(PerangkatDaerah.objects.agencies().filter(pemda=pemda).order_by("nama"))
        visible = {d.pk for d in agencies if user.is_superuser or d.pk in held}
        trees = list(
            Pohon.objects.filter(dinas_id__in=visible)
            .select_related("dinas", "pengesahan")
            .order_by("-tahun", "-revisi")
        )
        summaries = pohon_summaries(trees)
        context.update(
            pemda=pemda,
            periods=pemda_pohon_list(pemda),
            agencies=[(d, d.pk in visible, [s for s in summaries if s.pohon.dinas_id == d.pk]) for d in agencies],
            is_bappeda=user_is_bappeda(user, pemda),
        )
        return context

    def post(self, request, *args, **kwargs):
        pemda = self.get_pemda()
        if not user_is_bappeda(request.user, pemda):
            raise PermissionDenied(_("Hanya Bappeda Pemda ini yang dapat membuat pohon kinerja Pemda."))
        tahun, tahun_akhir = _tahun(request.POST.get("tahun", "")), _tahun(request.POST.get("tahun_akhir", ""))
        if tahun is None or tahun_akhir is None:
            messages.error(request, _("Isi tahun awal dan tahun akhir periode RPJMD dengan angka."))
            return HttpResponseRedirect(request.path)
        try:
            pohon = pemda_pohon_create(pemda=pemda, tahun=tahun, tahun_akhir=tahun_akhir)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(request.path)
        messages.success(
            request, _("Pohon kinerja Pemda periode %(periode)s dibuat.") % {"periode": pohon.periode_display}
        )
        return HttpResponseRedirect(pohon.chart_url())

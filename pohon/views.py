from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from django.views.generic import TemplateView

from dinas.selectors import dinas_visible_to
from pohon.chart import ChartRenderer, table_rows
from pohon.checks import pohon_checks
from pohon.models import Pohon
from pohon.permissions import user_can_edit_pohon
from pohon.selectors import pohon_for_user, pohon_summaries, pohon_tree, pohon_years


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "pohon/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dinas_list = list(dinas_visible_to(self.request.user).order_by("nama"))
        pohons = list(Pohon.objects.filter(dinas__in=dinas_list).select_related("dinas").order_by("-tahun", "-revisi"))
        summaries = pohon_summaries(pohons)
        context["rows"] = [(d, [s for s in summaries if s.pohon.dinas_id == d.pk]) for d in dinas_list]
        return context


class PohonPageMixin(LoginRequiredMixin):
    """Reads the tree once for a chart or table page, scoped to the user's agencies."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pohon = pohon_for_user(self.request.user, dinas_kode=self.kwargs["dinas"], tahun=self.kwargs["tahun"])
        tree = pohon_tree(pohon)
        can_edit = user_can_edit_pohon(self.request.user, pohon)
        context.update(
            pohon=pohon,
            dinas=pohon.dinas,
            tree=tree,
            checks=pohon_checks(tree),
            years=pohon_years(pohon),
            can_edit=can_edit,
            edit_url=reverse("admin:pohon_node_change", args=[0]) if can_edit else None,
            node_count=len(tree.nodes),
        )
        return context


class PohonChartView(PohonPageMixin, TemplateView):
    template_name = "pohon/chart.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["chart"] = ChartRenderer(context["tree"], edit_url=context["edit_url"]).render()
        return context


class PohonTableView(PohonPageMixin, TemplateView):
    template_name = "pohon/table.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = table_rows(context["tree"], edit_url=context["edit_url"])
        return context

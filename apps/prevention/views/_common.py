"""The prevention hub; the list/export/form kit the pages use is core's (``apps.core.generic``)."""

from django.views.generic import TemplateView

from apps.core.views import ScopedViewMixin

from .. import selectors
from ..models import Activity


class HubView(ScopedViewMixin, TemplateView):
    """The prevention home page: the year's figures and the way to each register."""

    permission_model = Activity
    template_name = "prevention/index.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["summary"] = selectors.prevention_summary(user=self.request.user)
        return ctx

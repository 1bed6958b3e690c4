"""The plan-target page."""

from django.views.generic import TemplateView

from apps.core.views import (
    ScopedViewMixin,
)

from .. import selectors
from ..models import Target
from ..targets import REGISTRY

# --- targets -------------------------------------------------------------------------------------


class TargetListView(ScopedViewMixin, TemplateView):
    """Each target with its baseline, current value over the reader's scope, target and status."""

    permission_model = Target
    template_name = "prevention/target_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["board"] = selectors.target_board(user=self.request.user)
        ctx["indicators"] = REGISTRY
        return ctx

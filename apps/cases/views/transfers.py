"""Transfer of residence to another commune."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from apps.core.views import ScopedViewMixin

from .. import selectors, services
from ..forms import TransferForm
from ..models import CaseFile


class CaseTransferView(ScopedViewMixin, TemplateView):
    permission_model = CaseFile
    permission_action = "change"
    template_name = "cases/transfer_form.html"

    def get(self, request, *args, **kwargs):
        case = selectors.case_get(user=request.user, pk=kwargs["pk"], action="change")
        return self.render_to_response(self.get_context_data(form=TransferForm(case=case), case=case))

    def post(self, request, *args, **kwargs):
        case = selectors.case_get(user=request.user, pk=kwargs["pk"], action="change")
        form = TransferForm(request.POST, case=case)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.case_transfer(
                    actor=request.user,
                    case=case,
                    to_commune=d["to_commune"],
                    data=services.EventInput(event_date=d["event_date"], notes=d.get("notes", "")),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Đã chuyển hồ sơ đến %(u)s.") % {"u": d["to_commune"]})
                return redirect("cases:casefile_detail", pk=case.pk)
        return self.render_to_response(self.get_context_data(form=form, case=case))

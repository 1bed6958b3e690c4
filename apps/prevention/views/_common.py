"""The prevention pages' shared kit: the hub, filtered lists, exports and the service-backed form view."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from apps.core import scoping
from apps.core.views import (
    ScopedListView,
    ScopedViewMixin,
)

from .. import selectors
from ..models import Activity


def _attach_errors(exc: ValidationError, form) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _status(exc: ValidationError) -> int:
    return 409 if getattr(exc, "code", None) == "stale" else 200


class HubView(ScopedViewMixin, TemplateView):
    """The prevention home page: the year's figures and the way to each register."""

    permission_model = Activity
    template_name = "prevention/index.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["summary"] = selectors.prevention_summary(user=self.request.user)
        return ctx


class FilteredListView(ScopedListView):
    """A list with a filter form (``filter_form_class(GET, user=…)``) and an export permission."""

    filter_form_class = None
    paginate_by = 25

    def get_filter_form(self):
        return self.filter_form_class(self.request.GET or None, user=self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["filter_form"] = self.filter_form
        ctx["can_add"] = scoping.has_action(user, self.model, "add")
        ctx["can_export"] = scoping.has_action(user, self.model, "export")
        return ctx


class ExportView(ScopedViewMixin, View):
    permission_action = "export"
    filter_form_class = None

    def get(self, request):
        form = self.filter_form_class(request.GET or None, user=request.user)
        return self.export(request, form.filters())


class ServiceFormView(ScopedViewMixin, TemplateView):
    """GET renders the form; POST validates it and calls ``save`` (a service). A stale edit answers
    409 with the service's message naming who changed what."""

    template_name = "prevention/form.html"
    title = ""
    object = None

    def load(self):
        """Fetch the edited object here, after dispatch() checked the role (403 before 404)."""

    def get_form(self, data=None, files=None):
        raise NotImplementedError

    def save(self, form):
        raise NotImplementedError

    def success_url(self, obj) -> str:
        raise NotImplementedError

    def cancel_url(self) -> str:
        return ""

    def context(self, form, **extra):
        return self.get_context_data(
            form=form, title=self.title, object=self.object, cancel_url=self.cancel_url(), **extra
        )

    def is_valid(self, form) -> bool:
        return form.is_valid()

    def get(self, request, *args, **kwargs):
        self.load()
        return self.render_to_response(self.context(self.get_form()))

    def post(self, request, *args, **kwargs):
        self.load()
        form = self.get_form(request.POST, request.FILES)
        if not self.is_valid(form):
            return self.render_to_response(self.context(form))
        try:
            obj = self.save(form)
        except ValidationError as exc:
            _attach_errors(exc, form)
            return self.render_to_response(self.context(form), status=_status(exc))
        messages.success(request, self.success_message(obj))
        return redirect(self.success_url(obj))

    def success_message(self, obj) -> str:
        return _("Đã lưu.")

"""Key routes: the yearly list of the routes and places that weigh on the classification, and their
edit pages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from apps.core import scoping
from apps.core.generic import attach_errors
from apps.core.views import ScopedListView, ScopedViewMixin

from .. import selectors, services
from ..choices import RouteKind
from ..forms import KeyRouteForm
from ..models import KeyRoute


class KeyRouteListView(ScopedListView):
    model = KeyRoute
    template_name = "classification/keyroute_list.html"
    paginate_by = 50

    def get_queryset(self):
        year = self.request.GET.get("year", "")
        self.year = int(year) if year.isdigit() else None
        return selectors.keyroute_list(user=self.request.user, year=self.year)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["year"] = self.year
        ctx["kinds"] = RouteKind.choices
        ctx.update(scoping.can_flags(self.request.user, KeyRoute, "add", "change", "delete"))
        return ctx


class KeyRouteFormMixin(ScopedViewMixin, FormView):
    permission_model = KeyRoute
    form_class = KeyRouteForm
    template_name = "classification/keyroute_form.html"
    route = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kwargs["instance"] = self.route
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["route"] = self.route
        return ctx

    def form_valid(self, form):
        data = {k: form.cleaned_data[k] for k in services.KEYROUTE_FIELDS}
        try:
            route = self.save(data, form)
        except ValidationError as exc:
            attach_errors(exc, form)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã lưu tuyến “%(n)s”.") % {"n": route.name})
        return redirect(reverse("classification:keyroute_list") + f"?year={route.year}")


class KeyRouteCreateView(KeyRouteFormMixin):
    permission_action = "add"

    def get_initial(self):
        return {"year": timezone.localdate().year}

    def save(self, data, form):
        return services.keyroute_create(actor=self.request.user, data=data)


class KeyRouteUpdateView(KeyRouteFormMixin):
    permission_action = "change"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and scoping.has_action(request.user, KeyRoute, "change"):
            self.route = selectors.keyroute_get(user=request.user, pk=kwargs["pk"], action="change")
        return super().dispatch(request, *args, **kwargs)

    def save(self, data, form):
        return services.keyroute_update(
            actor=self.request.user, route=self.route, data=data, expected_version=form.cleaned_data.get("version")
        )


class KeyRouteDeleteView(ScopedViewMixin, TemplateView):
    permission_model = KeyRoute
    permission_action = "delete"
    template_name = "classification/keyroute_confirm_delete.html"

    def get_route(self):
        return selectors.keyroute_get(user=self.request.user, pk=self.kwargs["pk"], action="delete")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["route"] = self.get_route()
        return ctx

    def post(self, request, *args, **kwargs):
        route = self.get_route()
        year = route.year
        services.keyroute_delete(actor=request.user, route=route)
        messages.success(request, _("Đã xóa tuyến “%(n)s”.") % {"n": route.name})
        return redirect(reverse("classification:keyroute_list") + f"?year={year}")

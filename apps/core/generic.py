"""The one view kit for the common shapes: a filtered list, its export, and a form saved by a service.

Every view is scoped (``ScopedViewMixin``: 403 without the role, 404 outside the area). The edited
object is loaded by ``get_object()`` (Django's name), called after ``dispatch()`` checked the role,
so a user without the permission gets 403 before an out-of-scope record answers 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from . import scoping
from .views import ScopedListView, ScopedViewMixin


def attach_errors(exc: ValidationError, *forms) -> None:
    """A service's errors next to the field they name (on the first form holding it), others on top."""
    if not hasattr(exc, "error_dict"):
        forms[0].add_error(None, exc)
        return
    for name, errors in exc.message_dict.items():
        target = next((f for f in forms if name in f.fields), forms[0])
        target.add_error(name if name in target.fields else None, errors)


def save_status(form) -> int:
    """409 when the save was refused because someone else saved first (code ``stale``), 200 otherwise."""
    errors = form.errors.as_data()
    return 409 if any(e.code == "stale" for field_errors in errors.values() for e in field_errors) else 200


def filters_from(form, filters_class):
    """A filter form's valid input as the selector's filters dataclass: blanks dropped, a chosen
    record (commune, group…) passed as its id; an invalid form filters nothing."""
    if not form.is_valid():
        return filters_class()
    data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    return filters_class(**{k: v.pk if isinstance(v, Model) else v for k, v in data.items()})


class FilterMixin:
    """One "filter form → selector filters" mapping for lists and their exports. The form is
    ``filter_form_class(GET or None, user=…)``; with ``filters_class`` its input maps field for
    field (``filters_from``), otherwise the form builds them itself (``form.filters()``)."""

    filter_form_class = None
    filters_class = None
    filter_form = None

    def get_filter_form(self):
        return self.filter_form_class(self.request.GET or None, user=self.request.user)

    def get_filters(self):
        self.filter_form = self.get_filter_form()
        if self.filters_class is not None:
            return filters_from(self.filter_form, self.filters_class)
        return self.filter_form.filters()


class FilteredListView(FilterMixin, ScopedListView):
    """A scoped list with a filter form and the add/import/export buttons the role allows.
    ``selector(user=…, filters=…)`` returns the visible rows; the page is ``generic/list.html``
    extended by the kind's template, its test hooks prefixed with ``kind`` (the model's name)."""

    paginate_by = 25
    selector = None
    kind = ""

    def get_queryset(self):
        return type(self).selector(user=self.request.user, filters=self.get_filters())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, model = self.request.user, self.get_permission_model()
        ctx.update(
            filter_form=self.filter_form,
            **scoping.can_flags(user, model, "add", "import", "export"),
            kind=self.kind or model._meta.model_name,
        )
        return ctx


class ExportView(FilterMixin, ScopedViewMixin, View):
    """The filtered list as a file: the same filters as the list, the rows the export permission
    sees (``selector(…, action="export")``), written by ``export(request, queryset, fmt)`` through
    the one tabular export path (``core.exports``). ``formats`` limits the ``fmt`` URL argument."""

    permission_action = "export"
    selector = None
    formats = ("xlsx", "csv")

    @classmethod
    def of(cls, list_view: type[FilteredListView], **attrs) -> type[ExportView]:
        """This export for a list: its model, filter form, filters and selector, so both always
        filter alike; ``attrs`` are the export's own (e.g. the sheet it writes)."""
        copied = ("filter_form_class", "filters_class", "selector")
        return type(
            f"{list_view.model.__name__}ExportView",
            (cls,),
            {"permission_model": list_view.model, **{name: getattr(list_view, name) for name in copied}, **attrs},
        )

    def get(self, request, fmt="xlsx"):
        if fmt not in self.formats:
            raise Http404
        queryset = type(self).selector(user=request.user, filters=self.get_filters(), action="export")
        return self.export(request, queryset, fmt)

    def export(self, request, queryset, fmt):
        raise NotImplementedError


class ServiceFormView(ScopedViewMixin, TemplateView):
    """GET renders the form; POST validates it and calls ``save(form)`` (a service). A service's
    ``ValidationError`` lands on the form; a stale edit answers 409 with the service's message
    naming who changed what.

    Edit views override ``get_object()`` (after the role check, so 403 comes before 404); create
    views keep the default ``None``. The page is ``generic/form.html`` or a kind's template
    extending it (context: ``form``, ``object``, ``title``, ``cancel_url``, ``kind``)."""

    template_name = "generic/form.html"
    title = ""
    object = None

    def get_object(self):
        return None

    def get_form(self, data=None, files=None):
        raise NotImplementedError

    def forms_of(self, form) -> tuple:
        """The forms a service error may name a field of (the main form first)."""
        return (form,)

    def is_valid(self, form) -> bool:
        return form.is_valid()

    def save(self, form):
        raise NotImplementedError

    def success_url(self, obj) -> str:
        raise NotImplementedError

    def success_message(self, obj) -> str:
        return _("Đã lưu.")

    def cancel_url(self) -> str:
        return ""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("title", self.title)
        ctx.setdefault("object", self.object)
        ctx.setdefault("cancel_url", self.cancel_url())
        ctx.setdefault("kind", self.get_permission_model()._meta.model_name)
        return ctx

    def render_form(self, form, status: int = 200):
        return self.render_to_response(self.get_context_data(form=form), status=status)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_form(self.get_form())

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.get_form(request.POST, request.FILES)
        if not self.is_valid(form):
            return self.render_form(form)
        try:
            obj = self.save(form)
        except ValidationError as exc:
            attach_errors(exc, *self.forms_of(form))
            return self.render_form(form, status=save_status(form))
        messages.success(request, self.success_message(obj))
        return redirect(self.success_url(obj))


class RecordFormView(ServiceFormView):
    """Create or edit one record of a kind whose pages are named ``<url_namespace>:<kind>_list``
    and ``…_detail`` (``url_kind``, by default the model's name): saved, it opens the record's page;
    cancelled, the record's page or the kind's list. An edit (``permission_action = "change"``)
    loads its record through the kind's ``getter`` selector, after the role check.

    Saving calls the kind's services with the arguments every kind's services share: the acting
    user and ``service_data(form)`` (the kind's input dataclass); an edit adds the record, under the
    update service's keyword ``record_arg``, and the version the form was loaded at, so a stale edit
    is refused. ``service_extras(form)`` adds what only a kind's services take (its offenders…)."""

    url_namespace = ""
    url_kind = ""
    getter = None
    create_service = None
    update_service = None
    record_arg = ""
    #: None: one view serves both pages, as NetBox's ``ObjectEditView`` does — ``add`` on the
    #: kind's ``new/`` route, ``change`` on ``<pk>/edit/`` (the route carries the record's ``pk``)
    permission_action = None
    #: the page's title on each of the two pages (a kind may instead set ``title`` itself)
    add_title = ""
    edit_title = ""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if self.permission_action is None:
            self.permission_action = "change" if "pk" in kwargs else "add"

    def get_context_data(self, **kwargs):
        if self.add_title or self.edit_title:
            kwargs.setdefault("title", self.add_title if self.object is None else self.edit_title)
        return super().get_context_data(**kwargs)

    def record_url(self, page: str, *args) -> str:
        kind = self.url_kind or self.get_permission_model()._meta.model_name
        return reverse(f"{self.url_namespace}:{kind}_{page}", args=args)

    def get_object(self):
        if self.permission_action != "change":
            return None
        return type(self).getter(user=self.request.user, pk=self.kwargs["pk"], action="change")

    def service_data(self, form):
        raise NotImplementedError

    def service_extras(self, form) -> dict:
        return {}

    def save(self, form):
        args = {"actor": self.request.user, "data": self.service_data(form), **self.service_extras(form)}
        if self.object is None:
            return type(self).create_service(**args)
        return type(self).update_service(
            **args, **{self.record_arg: self.object}, expected_version=form.cleaned_data.get("version")
        )

    def success_url(self, obj) -> str:
        return self.record_url("detail", obj.pk)

    def cancel_url(self) -> str:
        if self.object is not None:
            return self.record_url("detail", self.object.pk)
        return self.record_url("list")

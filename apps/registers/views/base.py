"""The bases every register kind's pages are built on (core's kit, ``core.generic``): 403 without
the role, 404 outside the area, the edited record loaded by ``get_object()`` after the role check.
A kind declares its list, and the rest follows the kind's names (``registers:<kind>_…``)."""

from __future__ import annotations

from django.urls import reverse

from apps.core import scoping
from apps.core.generic import ExportView, FilteredListView, RecordFormView
from apps.core.views import ScopedDetailView, ScopedImportView

from ..exports import export_register


def _cleaned(form, name, default=None):
    value = form.cleaned_data.get(name)
    return default if value in (None, "") else value


class RegisterExportView(ExportView):
    """The filtered list as .xlsx or .csv: scoped, formula-safe, audited; built from the kind's
    list by ``RegisterExportView.of(ListView)``."""

    def export(self, request, queryset, fmt):
        return export_register(
            actor=request.user,
            kind=self.permission_model._meta.model_name,
            queryset=queryset,
            fmt=fmt,
            filters=request.GET.urlencode(),
        )


class RegisterImportView(ScopedImportView):
    """A kind's Excel import: its job kind (``registers.<kind>``) and routes follow the kind's names
    (``<kind>_import_template``, back to ``<kind>_list``)."""

    template_name = "registers/import.html"

    @property
    def _kind(self) -> str:
        return self.resource_class._meta.model._meta.model_name

    @property
    def import_kind(self) -> str:
        return self.resource_class._meta.model._meta.label_lower

    @property
    def template_url_name(self) -> str:
        return f"registers:{self._kind}_import_template"

    @property
    def success_url(self) -> str:
        return reverse(f"registers:{self._kind}_list")


class RegisterDetailView(ScopedDetailView):
    """A record's page: loaded through the kind's ``getter`` selector (404 outside the area), with
    ``can_change`` for the edit button."""

    getter = None

    def get_object(self, queryset=None):
        return type(self).getter(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_change"] = scoping.has_action(self.request.user, self.model, "change")
        return ctx


class RegisterListView(FilteredListView):
    """A register's list; with a ``tab_label`` the kind gets its tab in ``registers/_tabs.html``
    (ordered by ``tab_position``, whatever order the kinds' modules load in), shown to the roles
    that may view it."""

    tab_label = ""
    tab_position = 0
    tabs: list[type[RegisterListView]] = []

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.tab_label:
            RegisterListView.tabs.append(cls)
            RegisterListView.tabs.sort(key=lambda view: view.tab_position)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["register_tabs"] = [
            {
                "kind": (name := view.model._meta.model_name),
                "label": view.tab_label,
                "url": reverse(f"registers:{name}_list"),
                "visible": user.has_perm(f"registers.view_{name}"),
            }
            for view in RegisterListView.tabs
        ]
        return ctx


class RegisterFormView(RecordFormView):
    """Create or edit one record of a kind (``core.generic.RecordFormView`` on the ``registers``
    routes). The page is ``registers/form.html``, driven by ``add_title``, ``edit_title`` (a format
    with the record's ``object_label``), ``list_label`` and ``legend``: a simple kind needs no template."""

    url_namespace = "registers"
    template_name = "registers/form.html"
    list_label = ""
    legend = ""

    def object_label(self, obj) -> str:
        return obj.number

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.object is not None:
            # a register's edit title names the record (``edit_title`` is a format with ``%(n)s``)
            label = self.object_label(self.object)
            ctx.update(title=self.edit_title % {"n": label}, object_label=label)
        ctx.update(list_label=self.list_label, legend=self.legend)
        return ctx

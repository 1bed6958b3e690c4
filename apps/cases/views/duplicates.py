"""Province review of possible duplicate people: merge, undo, mark as different."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from apps.audit import actions
from apps.core.views import AuditedReadMixin

from .. import selectors, services
from ..models import Person, PersonMerge


class DuplicateReviewView(AuditedReadMixin, TemplateView):
    """Province reviewers: possible duplicates, merge (reversible) or mark as different people."""

    template_name = "cases/duplicates.html"
    read_action = actions.DUPLICATES_VIEW

    def read_details(self):
        return {"pairs": len(self._pairs)}

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("cases.merge_person"):
            raise PermissionDenied
        return TemplateView.dispatch(self, request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["pairs"] = self._pairs = selectors.duplicate_candidates(user=user)
        ctx["merges"] = list(
            PersonMerge.objects.filter(undone_at__isnull=True, kept__in=selectors.visible_people(user))
            .select_related("kept", "merged", "merged_by")
            .order_by("-merged_at")[:50]
        )
        return ctx

    def post(self, request, *args, **kwargs):
        user = request.user
        people = selectors.visible_people(user)
        try:
            with transaction.atomic():
                if "undo" in request.POST:
                    record = PersonMerge.objects.filter(kept__in=people).get(pk=request.POST["undo"])
                    services.person_unmerge(actor=user, record=record)
                    messages.success(request, _("Đã hoàn tác việc gộp."))
                else:
                    first = people.get(pk=request.POST.get("first"))
                    second = people.get(pk=request.POST.get("second"))
                    if "distinct" in request.POST:
                        services.person_mark_distinct(actor=user, first=first, second=second)
                        messages.success(request, _("Đã ghi nhận: hai người khác nhau."))
                    else:
                        services.person_merge(
                            actor=user, keep=first, merge=second, reason=request.POST.get("reason", "")
                        )
                        messages.success(request, _("Đã gộp hồ sơ. Có thể hoàn tác."))
        except (Person.DoesNotExist, PersonMerge.DoesNotExist, ValueError) as exc:
            raise Http404 from exc
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(reverse("cases:duplicates"))

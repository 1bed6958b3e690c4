from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """The last time each background worker went round its loop (``manage.py run_worker``).

    django-tasks-db's worker records nothing while the queue is empty, so without this a dead
    worker shows only when a queued report never renders; /healthz/ reads the newest beat.
    """

    worker_id = models.CharField(_("mã tiến trình nền"), max_length=64, primary_key=True)
    last_seen = models.DateTimeField(_("hoạt động lần cuối"))

    class Meta:
        verbose_name = _("nhịp tiến trình nền")
        verbose_name_plural = _("nhịp tiến trình nền")

    def __str__(self) -> str:
        return f"{self.worker_id} {self.last_seen:%d/%m/%Y %H:%M:%S}"

    @classmethod
    def beat(cls, worker_id: str) -> None:
        now = timezone.now()
        cls.objects.update_or_create(worker_id=worker_id[:64], defaults={"last_seen": now})
        # Each start gets a new id: rows of workers gone for a day are only clutter.
        cls.objects.filter(last_seen__lt=now - dt.timedelta(days=1)).delete()

"""``dumpdata``/``loaddata`` formats that keep datetimes to the microsecond.

Django's JSON encoder cuts datetimes and times to milliseconds, so a JSON dump and reload moves
every timestamp (the audit log's included, whose hashes then no longer match). These formats
replace the built-in ``json`` and ``jsonl`` (settings.SERIALIZATION_MODULES); their output is
still plain ISO 8601 that any Django reads.
"""

import datetime as dt

from django.core.serializers.json import DjangoJSONEncoder


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, dt.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, dt.time):
            if o.utcoffset() is not None:
                raise ValueError("JSON can't represent timezone-aware times.")
            return o.isoformat()
        return super().default(o)

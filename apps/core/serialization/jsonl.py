from django.core.serializers import jsonl

from . import ExactJSONEncoder

Deserializer = jsonl.Deserializer


class Serializer(jsonl.Serializer):
    def _init_options(self):
        self.options.setdefault("cls", ExactJSONEncoder)
        super()._init_options()

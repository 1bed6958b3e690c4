from django.core.serializers import json

from . import ExactJSONEncoder

Deserializer = json.Deserializer


class Serializer(json.Serializer):
    def _init_options(self):
        self.options.setdefault("cls", ExactJSONEncoder)
        super()._init_options()

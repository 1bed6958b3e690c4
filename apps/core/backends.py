from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from . import scoping
from .prepared import prepared


@prepared
def _user_with_area(*, pk: int):
    # every page reads the user and its unit (the scope): compiled once, not on every request
    return get_user_model()._default_manager.select_related("area").filter(pk=pk)


class AreaPermissionBackend(ModelBackend):
    """Model permissions, plus object permissions that respect the area scope.

    Django's ModelBackend answers False for every object check; here ``has_perm(perm, obj)``
    means "holds the permission and the object is inside the user's area".
    """

    def get_user(self, user_id):
        # The unit comes with the user: every page reads it for the scope (one query, not two).
        try:
            pk = int(user_id)
        except (TypeError, ValueError):  # not an id: nobody is logged in (not a 500)
            return None
        found = _user_with_area(pk=pk)
        if not found:
            return None
        return found[0] if self.user_can_authenticate(found[0]) else None

    def get_all_permissions(self, user_obj, obj=None):
        # Resolved once per worker and reused until a role or permission changes (scoping.resolved):
        # two queries every page paid otherwise.
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            entry = scoping.resolved(user_obj)
            if entry.permissions is None:
                entry.permissions = frozenset(super().get_all_permissions(user_obj))
            user_obj._perm_cache = entry.permissions
        return user_obj._perm_cache

    def has_perm(self, user_obj, perm, obj=None):
        if not super().has_perm(user_obj, perm):
            return False
        if obj is None:
            return True
        action = perm.split(".", 1)[1].split("_", 1)[0]
        return scoping.can(user_obj, action, obj)

from django.contrib.auth.backends import ModelBackend

from . import scoping


class AreaPermissionBackend(ModelBackend):
    """Model permissions, plus object permissions that respect the area scope.

    Django's ModelBackend answers False for every object check; here ``has_perm(perm, obj)``
    means "holds the permission and the object is inside the user's area".
    """

    def has_perm(self, user_obj, perm, obj=None):
        if not super().has_perm(user_obj, perm):
            return False
        if obj is None:
            return True
        action = perm.split(".", 1)[1].split("_", 1)[0]
        return scoping.can(user_obj, action, obj)

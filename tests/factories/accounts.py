import factory
from django.contrib.auth.models import Group

from apps.accounts.models import User

PASSWORD = "Kiemthu2026x"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)
    area = None

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))
        if create:
            self.save()


_roles_as_synced: frozenset | None = None


def ensure_roles() -> None:
    """The role groups with exactly their permissions, as ``roles.sync_roles()`` leaves them.

    Syncing costs ~200 queries, and nearly every test asked for it (``world``, the browser users).
    The migrated test database already holds the roles (post_migrate) and a test's changes are
    rolled back or flushed, so the sync runs again only when the groups differ from how the last
    sync in this process left them: one query otherwise.
    """
    global _roles_as_synced
    from django.contrib.auth.models import Group

    from apps.accounts import roles

    def stored() -> frozenset:
        return frozenset(Group.objects.values_list("name", "permissions"))

    if _roles_as_synced is not None and stored() == _roles_as_synced:
        return
    roles.sync_roles()
    _roles_as_synced = stored()

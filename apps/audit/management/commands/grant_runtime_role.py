"""Give the PostgreSQL role of the web and worker processes exactly what the application needs.

    manage.py grant_runtime_role                  # the role of DATABASE_URL, run as DATABASE_OWNER_URL
    manage.py grant_runtime_role pcmt_app         # a named role
    manage.py grant_runtime_role pcmt_app --sql   # print the statements for a DBA, run nothing

Run as the role owning the tables (the one `migrate` runs as; `migrate` re-runs this itself when
DATABASE_OWNER_URL is set). Idempotent. The runtime role gets normal DML on every table and
sequence of the schema — also on those later migrations create (default privileges) — but only
SELECT and INSERT on the audit log: it cannot UPDATE, DELETE or TRUNCATE entries, and as it owns
nothing it cannot disable or drop the append-only trigger or replace its function either
(README "Production").
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction
from django.utils.translation import gettext as _

from apps.audit.models import AuditLogEntry

OWNER_ALIAS = "owner"
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
#: what the runtime role must not hold on the audit table (checked after granting)
FORBIDDEN = ("UPDATE", "DELETE", "TRUNCATE", "TRIGGER", "REFERENCES")


def owner_alias() -> str:
    """The connection that owns the schema: the owner role's when configured."""
    return OWNER_ALIAS if OWNER_ALIAS in settings.DATABASES else "default"


def grant_statements(role: str, database: str, schema: str, owner: str) -> list[str]:
    audit = AuditLogEntry._meta.db_table
    return [
        f'GRANT CONNECT ON DATABASE "{database}" TO {role}',
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        # The audit log: append and read, nothing else (also not through PUBLIC).
        f"REVOKE ALL ON {audit} FROM PUBLIC",
        f"REVOKE ALL ON {audit} FROM {role}",
        f"GRANT SELECT, INSERT ON {audit} TO {role}",
        # Tables and sequences the owner creates later (new migrations) get the same DML rights.
        f'ALTER DEFAULT PRIVILEGES FOR ROLE "{owner}" IN SCHEMA {schema}'
        f" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f'ALTER DEFAULT PRIVILEGES FOR ROLE "{owner}" IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {role}',
    ]


class Command(BaseCommand):
    help = "Tạo (nếu chưa có) và cấp quyền cho vai trò PostgreSQL chạy ứng dụng: chỉ ghi thêm và đọc nhật ký."

    def add_arguments(self, parser):
        parser.add_argument("role", nargs="?", help="vai trò chạy ứng dụng (mặc định: người dùng của DATABASE_URL)")
        parser.add_argument("--database", default=None, help="kết nối của vai trò sở hữu (mặc định: owner)")
        parser.add_argument("--sql", action="store_true", help="chỉ in các câu lệnh, không chạy")

    def handle(self, *args, role: str | None, database: str | None, sql: bool, **options):
        alias = database or owner_alias()
        connection = connections[alias]
        if connection.vendor != "postgresql":
            raise CommandError(_("Chỉ dùng với PostgreSQL (SQLite không có vai trò và quyền)."))
        role = role or settings.DATABASES["default"].get("USER") or ""
        if not ROLE_NAME.match(role):
            raise CommandError(
                _("Tên vai trò không hợp lệ: %(role)r (chữ thường, số, dấu gạch dưới).") % {"role": role}
            )
        with connection.cursor() as cursor:
            # The owner is the role that made the tables (and will run later migrations), which is
            # not the current user when a DBA runs this as a superuser.
            cursor.execute(
                "SELECT current_database(), current_schema(), COALESCE((SELECT tableowner FROM pg_tables"
                " WHERE tablename = %s AND schemaname = current_schema()), current_user)",
                [AuditLogEntry._meta.db_table],
            )
            db_name, schema, owner = cursor.fetchone()
        statements = grant_statements(role, db_name, schema, owner)
        if sql:
            self.stdout.write(f"CREATE ROLE {role} LOGIN;  -- {_('nếu chưa có; đặt mật khẩu bằng ALTER ROLE')}")
            self.stdout.write(";\n".join(statements) + ";")
            return
        if role == owner:
            raise CommandError(
                _("Vai trò chạy ứng dụng phải khác vai trò sở hữu bảng (%(owner)s).") % {"owner": owner}
            )
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
            row = cursor.fetchone()
            if row is None:
                runtime = settings.DATABASES["default"]
                password = runtime.get("PASSWORD") if role == runtime.get("USER") else ""
                # psycopg interpolates on the client, so the password is quoted as a literal here.
                if password:
                    cursor.execute(f"CREATE ROLE {role} LOGIN PASSWORD %s", [password])
                else:
                    cursor.execute(f"CREATE ROLE {role} LOGIN")
            elif row[0]:
                raise CommandError(_("Vai trò %(role)s là superuser: nó vượt qua mọi quyền.") % {"role": role})
            audit = AuditLogEntry._meta.db_table
            cursor.execute(
                "SELECT pg_has_role(%s, tableowner, 'USAGE') FROM pg_tables WHERE tablename = %s AND schemaname = %s",
                [role, audit, schema],
            )
            member = cursor.fetchone()
            if member and member[0]:
                raise CommandError(
                    _("Vai trò %(role)s là (thành viên của) chủ sở hữu bảng nhật ký: nó tắt được trigger.")
                    % {"role": role}
                )
            for statement in statements:
                cursor.execute(statement)
            cursor.execute(
                "SELECT p FROM unnest(%s::text[]) AS p WHERE has_table_privilege(%s, %s, p)",
                [list(FORBIDDEN), role, f"{schema}.{audit}"],
            )
            left = [p for (p,) in cursor.fetchall()]
            if left:
                raise CommandError(
                    _("Vai trò %(role)s vẫn có quyền %(privileges)s trên nhật ký (cấp qua vai trò khác?).")
                    % {"role": role, "privileges": ", ".join(left)}
                )
        if options["verbosity"]:
            self.stdout.write(
                _("Đã cấp quyền cho %(role)s: dữ liệu đọc/ghi; nhật ký chỉ đọc và ghi thêm.") % {"role": role}
            )

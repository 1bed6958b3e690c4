"""Fixtures of the reports tests.

Roles come from apps.accounts.roles via ``world``. Issued files go to a temporary media folder.
"""

import datetime as dt
import shutil
import subprocess

import pytest

from .helpers import grant_people_list, grant_report_permissions  # noqa: F401 - used by the tests


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def root(world):
    from tests.factories.accounts import UserFactory

    user = UserFactory(username="reports_root", area=world.province)
    user.is_superuser = user.is_staff = True
    user.save()
    return user


@pytest.fixture
def quarter(db):
    """Quarter III/2026: data from 15/06/2026 to 14/09/2026."""
    from apps.reports import sources

    return sources.get_period("quarter", 2026, 3)


@pytest.fixture
def data(world, root, quarter):
    """Case files in both communes: 3 in A (one detected in the quarter), 2 in B, and one detected
    in the previous quarter in A; each put under management on its detection day (a file left at
    "có dấu hiệu" is being verified, not counted: issue 10 §1)."""
    from tests.factories.cases import advance, make_case

    def managed(commune, full_name, day):
        case = make_case(root, commune, full_name=full_name, detected_on=day)
        case = advance(root, case, "positive_test", day)
        return advance(root, case, "management_decision", day, decision_number="1/QĐ")

    managed(world.commune_a, "Nguyễn Văn Hùng", dt.date(2026, 1, 10))
    managed(world.commune_a, "Đặng Thị Hương", dt.date(2026, 4, 2))
    managed(world.commune_a, "Lý Văn Sơn", dt.date(2026, 7, 20))
    managed(world.commune_b, "Hoàng Văn Dũng", dt.date(2026, 2, 3))
    managed(world.commune_b, "Vũ Minh Tuấn", dt.date(2026, 8, 1))
    return world


@pytest.fixture
def people_reader(world):
    """Province staff personally granted ``reports.view_people_list``."""
    from apps.accounts import roles

    user = world.user(roles.PROVINCE_STAFF, world.province, "people_reader")
    grant_people_list(user)
    return user


def pdf_text(content: bytes, *, page: int | None = None, tmp_path=None) -> str:
    """Text of a PDF (poppler's pdftotext), of one page when ``page`` is given."""
    args = ["pdftotext", "-layout", "-enc", "UTF-8"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    result = subprocess.run([*args, "-", "-"], input=content, capture_output=True, check=True)  # noqa: S603, S607
    return result.stdout.decode("utf-8")


def pdf_fonts(content: bytes, tmp_path) -> list[str]:
    """Names of the fonts in a PDF (poppler's pdffonts), subset prefixes removed."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(content)
    result = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True)  # noqa: S603, S607
    names = [line.split()[0] for line in result.stdout.splitlines()[2:] if line.strip()]
    return [name.split("+", 1)[-1] for name in names]


@pytest.fixture(scope="session", autouse=True)
def _poppler():
    if not (shutil.which("pdftotext") and shutil.which("pdffonts")):
        pytest.fail("Các kiểm thử báo cáo cần poppler-utils (pdftotext, pdffonts): apt-get install poppler-utils")

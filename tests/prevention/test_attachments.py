"""Activity attachments: ≤ 10 MB, .jpg/.jpeg/.png/.pdf by extension AND content, Vietnamese errors,
stored under a random name, downloaded only through the scoped view."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.audit.models import AuditLogEntry
from apps.prevention import services
from apps.prevention.models import ActivityAttachment
from apps.prevention.validators import MAX_ATTACHMENT_BYTES, validate_attachment
from tests.factories.prevention import make_activity

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
PDF = b"%PDF-1.7\n" + b"0" * 100


def f(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("anh.jpg", JPEG, "image/jpeg"),
        ("ANH.JPEG", JPEG, "image/jpeg"),
        ("bang-ron.png", PNG, "image/png"),
        ("ke-hoach.pdf", PDF, "application/pdf"),
    ],
)
def test_allowed_files(name, content, expected):
    assert validate_attachment(f(name, content)) == expected


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("bao-cao.docx", b"PK\x03\x04" + b"0" * 50, "không đúng định dạng"),
        ("script.exe", b"MZ" + b"0" * 50, "không đúng định dạng"),
        ("khong-duoi", JPEG, "không đúng định dạng"),
        ("anh.jpg", b"<html><script>alert(1)</script></html>", "không phải là ảnh JPEG"),
        ("anh.png", JPEG, "không phải là ảnh PNG"),
        ("tai-lieu.pdf", PNG, "không phải là tài liệu PDF"),
        ("rong.pdf", b"", "Tệp rỗng"),
    ],
)
def test_refused_files_with_a_vietnamese_reason(name, content, fragment):
    with pytest.raises(ValidationError) as exc:
        validate_attachment(f(name, content))
    assert fragment in exc.value.messages[0]


def test_files_over_10_mb_are_refused():
    big = f("anh.jpg", JPEG + b"\x00" * (MAX_ATTACHMENT_BYTES - len(JPEG) + 1))
    with pytest.raises(ValidationError) as exc:
        validate_attachment(big)
    assert "quá lớn" in exc.value.messages[0] and "10 MB" in exc.value.messages[0]
    exactly = f("anh.jpg", JPEG + b"\x00" * (MAX_ATTACHMENT_BYTES - len(JPEG)))
    assert validate_attachment(exactly) == "image/jpeg"


def test_upload_and_scoped_download(world, officer_a, officer_b, province_staff, client_for):
    activity = make_activity(officer_a, world.commune_a)
    client = client_for(officer_a)
    url = reverse("prevention:activity_attach", args=[activity.pk])
    response = client.post(url, {"file": f("Ảnh hội nghị.png", PNG, "image/png")})
    assert response.status_code == 302
    attachment = ActivityAttachment.objects.get()
    assert attachment.original_name == "Ảnh hội nghị.png"
    assert attachment.file.name.startswith("prevention/activities/") and "hội" not in attachment.file.name
    assert (attachment.size, attachment.content_type) == (len(PNG), "image/png")
    assert AuditLogEntry.objects.get(action="prevention.activity.attach").after["file"] == "Ảnh hội nghị.png"
    download = reverse("prevention:attachment_download", args=[attachment.pk])
    got = client.get(download)
    assert got.status_code == 200 and b"".join(got.streaming_content) == PNG
    assert got["Content-Type"] == "image/png"
    assert client_for(province_staff).get(download).status_code == 200
    assert client_for(officer_b).get(download).status_code == 404


def test_refused_upload_shows_the_error_and_stores_nothing(world, officer_a, client_for):
    activity = make_activity(officer_a, world.commune_a)
    response = client_for(officer_a).post(
        reverse("prevention:activity_attach", args=[activity.pk]), {"file": f("anh.jpg", b"GIF89a" + b"0" * 20)}
    )
    assert response.status_code == 200
    assert "không phải là ảnh JPEG" in response.content.decode()
    assert not ActivityAttachment.objects.exists()


def test_only_someone_with_every_commune_in_scope_attaches(world, officer_a, province_staff):
    activity = make_activity(province_staff, world.commune_a, world.commune_b)
    with pytest.raises(PermissionDenied):
        services.attachment_add(actor=officer_a, activity=activity, upload=f("anh.png", PNG))
    services.attachment_add(actor=province_staff, activity=activity, upload=f("anh.png", PNG))
    assert activity.attachments.count() == 1

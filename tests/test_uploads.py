"""Image uploads are checked by Pillow, bounded, and stored without metadata."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import ValidationError
from PIL import Image

from newsroom.uploads import SafeImageField
from people.models import Person
from tests.factories import person_form


def image_bytes(fmt="JPEG", size=(40, 30), **save):
    buffer = BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, fmt, **save)
    return buffer.getvalue()


def with_gps_exif():
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    exif[0x8825] = {
        2: (33.0, 45.0, 0.0),
        4: (84.0, 23.0, 0.0),
    }  # GPS latitude/longitude
    return image_bytes(exif=exif.tobytes())


def clean(content, name="photo.jpg"):
    return SafeImageField().clean(SimpleUploadedFile(name, content))


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_the_four_formats_pass(fmt):
    upload = clean(image_bytes(fmt), name=f"photo.{fmt.lower()}")

    assert Image.open(BytesIO(upload.read())).format == fmt


def test_exif_and_gps_are_stripped():
    original = with_gps_exif()
    assert Image.open(BytesIO(original)).getexif()  # the test image has them

    upload = clean(original)

    assert not Image.open(BytesIO(upload.read())).getexif()


def test_the_format_comes_from_the_content_not_the_name():
    upload = clean(image_bytes("PNG"), name="really-a-png.jpg")

    assert upload.name == "really-a-png.png"


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "x.svg",
        ),
        (b"just text pretending", "fake.jpg"),
        (image_bytes("BMP"), "old.bmp"),
        (image_bytes("TIFF"), "scan.tiff"),
        (image_bytes("JPEG")[:200], "truncated.jpg"),
    ],
)
def test_fake_broken_and_other_formats_are_refused(content, name):
    with pytest.raises(ValidationError):
        clean(content, name=name)


def test_too_many_pixels_is_refused(settings):
    settings.NEWSROOM_MAX_IMAGE_PIXELS = 100 * 100

    with pytest.raises(ValidationError, match="too large"):
        clean(image_bytes(size=(200, 200)))


def test_too_many_bytes_is_refused(settings):
    settings.NEWSROOM_MAX_UPLOAD_BYTES = 100

    with pytest.raises(ValidationError, match="larger than"):
        clean(image_bytes())


@pytest.mark.django_db
def test_admin_upload_of_a_fake_image_is_a_form_error(admin_client):
    data = person_form(
        name="Jon Ossoff",
        kind="candidate",
        photo=SimpleUploadedFile("photo.jpg", b"not an image"),
    )

    response = admin_client.post("/admin/people/person/add/", data)

    assert response.status_code == 200
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_admin_upload_stores_a_clean_image(admin_client):
    data = person_form(
        name="Jon Ossoff",
        kind="candidate",
        photo=SimpleUploadedFile("photo.jpg", with_gps_exif()),
    )

    admin_client.post("/admin/people/person/add/", data)

    person = Person.objects.get()
    with person.photo.open() as stored:
        assert not Image.open(stored).getexif()

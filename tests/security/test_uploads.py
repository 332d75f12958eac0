"""Image uploads are checked by Pillow, bounded, and stored without metadata."""

import posixpath
import re
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import ValidationError
from PIL import Image, ImageFile

from articles.models import Article
from core.uploads import SafeImageField
from people.models import Person
from tests.articles.test_admin import article_form
from tests.factories import ArticleFactory, PersonFactory, SectionFactory, person_form


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


# Animations: frames capped, pixels counted over all of them, before decoding.

FRAME_COLOURS = [(200, 30, 30), (30, 200, 30), (30, 30, 200)]


def animated_gif(frames, size=(40, 30)):
    """A GIF of `frames` frames, each a different colour from the one before (Pillow
    merges identical neighbours)."""
    images = [Image.new("RGB", size, FRAME_COLOURS[n % 3]) for n in range(frames)]
    buffer = BytesIO()
    images[0].save(
        buffer, "GIF", save_all=True, append_images=images[1:], duration=100, loop=0
    )
    return buffer.getvalue()


def stored_files(folder=""):
    """Every file name in the default storage under `folder`."""
    folders, files = default_storage.listdir(folder)
    names = {posixpath.join(folder, name) for name in files}
    for sub in folders:
        names |= stored_files(posixpath.join(folder, sub))
    return names


def test_an_animation_with_too_many_frames_is_refused(settings):
    settings.NEWSROOM_MAX_IMAGE_FRAMES = 5

    with pytest.raises(ValidationError, match=r"too many frames \(10; at most 5\)"):
        clean(animated_gif(10), name="bomb.gif")


def test_an_animations_pixels_are_counted_over_all_its_frames(settings):
    settings.NEWSROOM_MAX_IMAGE_PIXELS = 5_000  # one 40x30 frame is 1,200

    with pytest.raises(ValidationError, match="over its 10 frames"):
        clean(animated_gif(10), name="bomb.gif")


def test_an_animation_is_refused_before_any_frame_is_decoded(settings, monkeypatch):
    settings.NEWSROOM_MAX_IMAGE_FRAMES = 5

    def decode(*args, **kwargs):
        raise AssertionError("a frame was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", decode)

    with pytest.raises(ValidationError, match="too many frames"):
        clean(animated_gif(10), name="bomb.gif")


def test_an_animation_within_the_limits_stays_animated():
    upload = clean(animated_gif(3), name="wave.gif")

    assert Image.open(BytesIO(upload.read())).n_frames == 3


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["lead_image", "photo"])
def test_admin_refuses_a_frame_bomb_with_a_form_error_and_stores_nothing(
    admin_client, settings, field
):
    settings.NEWSROOM_MAX_IMAGE_FRAMES = 5
    upload = SimpleUploadedFile("bomb.gif", animated_gif(10))
    if field == "lead_image":
        url = "/admin/articles/article/add/"
        data = article_form(SectionFactory(), lead_image=upload, lead_image_alt="x")
    else:
        url = "/admin/people/person/add/"
        data = person_form(name="Jon Ossoff", photo=upload)
    files_before = stored_files()

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "too many frames (10; at most 5)" in response.content.decode()
    assert not Article.objects.exists() and not Person.objects.exists()
    assert stored_files() == files_before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make", "field"),
    [(lambda: ArticleFactory.build(), "lead_image"), (PersonFactory.build, "photo")],
)
def test_full_clean_refuses_a_frame_bomb_assigned_in_code(settings, make, field):
    """A service or command that assigns an image and calls full_clean()."""
    settings.NEWSROOM_MAX_IMAGE_FRAMES = 5
    instance = make()
    setattr(instance, field, ContentFile(animated_gif(10), name="bomb.gif"))

    with pytest.raises(ValidationError) as refused:
        instance.full_clean()

    assert "too many frames" in str(refused.value.message_dict[field])


# Stored names: random, the uploader's name kept for editors.

LEAK = "candidate-x-withdraws"


@pytest.mark.django_db
def test_an_uploaded_lead_image_is_stored_under_a_random_name(admin_client):
    admin_client.post(
        "/admin/articles/article/add/",
        article_form(
            SectionFactory(),
            lead_image=SimpleUploadedFile(f"{LEAK}.png", image_bytes("PNG")),
            lead_image_alt="Candidate X",
        ),
    )

    name = Article.objects.get().lead_image.name
    assert LEAK not in name
    assert re.fullmatch(r"articles/\d{4}/\d{2}/[\w-]{22}\.png", name)


@pytest.mark.django_db
def test_an_uploaded_photo_is_stored_under_a_random_name(admin_client):
    admin_client.post(
        "/admin/people/person/add/",
        person_form(
            name="Candidate X",
            photo=SimpleUploadedFile(f"{LEAK}.jpg", image_bytes()),
        ),
    )

    name = Person.objects.get().photo.name
    assert LEAK not in name
    assert re.fullmatch(r"people/\d{4}/[\w-]{22}\.jpg", name)


@pytest.mark.django_db
def test_the_uploaded_name_is_kept_and_shown_to_editors(admin_client):
    admin_client.post(
        "/admin/articles/article/add/",
        article_form(
            SectionFactory(),
            lead_image=SimpleUploadedFile(f"{LEAK}.png", image_bytes("PNG")),
            lead_image_alt="Candidate X",
        ),
    )
    story = Article.objects.get()

    page = admin_client.get(f"/admin/articles/article/{story.pk}/change/")

    assert story.lead_image_name == f"{LEAK}.png"
    assert f"{LEAK}.png" in page.content.decode()


@pytest.mark.django_db
def test_a_persons_uploaded_photo_name_is_shown_to_editors(admin_client):
    admin_client.post(
        "/admin/people/person/add/",
        person_form(
            name="Candidate X", photo=SimpleUploadedFile(f"{LEAK}.jpg", image_bytes())
        ),
    )
    person = Person.objects.get()

    page = admin_client.get(f"/admin/people/person/{person.pk}/change/")

    assert person.photo_name == f"{LEAK}.jpg"
    assert f"{LEAK}.jpg" in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make", "field"),
    [(ArticleFactory, "lead_image"), (PersonFactory, "photo")],
)
def test_an_image_saved_in_code_gets_a_random_name_and_keeps_the_uploaded_one(
    make, field
):
    instance = make()

    getattr(instance, field).save(f"{LEAK}.jpg", ContentFile(image_bytes()))

    instance.refresh_from_db()
    assert LEAK not in getattr(instance, field).name
    assert getattr(instance, f"{field}_name") == f"{LEAK}.jpg"


@pytest.mark.django_db
def test_an_image_assigned_then_saved_keeps_the_uploaded_name():
    story = ArticleFactory()
    story.lead_image = ContentFile(image_bytes(), name=f"{LEAK}.jpg")

    story.save()

    story.refresh_from_db()
    assert LEAK not in story.lead_image.name
    assert story.lead_image_name == f"{LEAK}.jpg"

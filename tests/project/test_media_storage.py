"""Media on an S3-compatible bucket when NEWSROOM_S3_BUCKET is set, so app servers
share photos and renditions without a shared disk."""

import boto3
import pytest
from django.core.cache import cache
from moto import mock_aws

from core.renditions import renditions_for
from tests.project.test_project import manage
from tests.reader.test_images import story_with_image

BUCKET = "newsroom-media"


def test_settings_put_media_in_the_bucket_when_one_is_named():
    result = manage(
        "shell",
        "-c",
        "from django.core.files.storage import default_storage as s; s._setup();"
        "print(type(s._wrapped).__name__, s.bucket_name, s.location,"
        " s.querystring_auth)",
        DJANGO_DEBUG="1",
        NEWSROOM_S3_BUCKET=BUCKET,
        NEWSROOM_S3_ENDPOINT_URL="http://127.0.0.1:9000",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == f"S3Storage {BUCKET} media False"


def test_the_bucket_is_waited_on_a_bounded_time():
    result = manage(
        "shell",
        "-c",
        "from django.core.files.storage import default_storage as s; s._setup();"
        "c = s.client_config; print(c.connect_timeout, c.read_timeout)",
        DJANGO_DEBUG="1",
        NEWSROOM_S3_BUCKET=BUCKET,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "5.0 5.0"


def test_without_a_bucket_media_stay_on_the_local_disk():
    result = manage(
        "shell",
        "-c",
        "from django.core.files.storage import default_storage as s; s._setup();"
        "print(type(s._wrapped).__name__)",
        DJANGO_DEBUG="1",
    )

    assert result.stdout.splitlines()[-1] == "FileSystemStorage"


@pytest.fixture
def bucket(settings, monkeypatch):
    cache.clear()  # renditions are remembered by file name
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "region_name": "us-east-1",
                    "location": "media",
                    "querystring_auth": False,
                },
            },
        }
        yield s3


@pytest.mark.django_db
def test_lead_images_and_their_renditions_are_stored_in_the_bucket(bucket):
    story = story_with_image()

    rendition = renditions_for(story.lead_image)

    keys = {item["Key"] for item in bucket.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert f"media/{story.lead_image.name}" in keys
    assert sum(key.endswith(".webp") for key in keys) == 4
    assert rendition.fallback_url.startswith(
        f"https://{BUCKET}.s3.amazonaws.com/media/"
    )

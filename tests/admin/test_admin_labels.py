"""Inputs of tabular inlines and date-and-time fields have names of their own."""

import pytest
from django.urls import reverse

from tests.factories import CandidacyFactory, MentionFactory

pytestmark = pytest.mark.django_db


def test_each_mention_row_names_its_role_and_note(admin_client):
    mention = MentionFactory()

    page = admin_client.get(
        reverse("admin:articles_article_change", args=[mention.article.pk])
    ).content.decode()

    assert 'aria-label="Role, row 1"' in page
    assert 'aria-label="Note, row 1"' in page
    assert 'aria-label="Delete, row 1"' in page
    assert 'aria-label="Role, new row"' in page


def test_the_publish_time_names_its_date_and_time_inputs(admin_client):
    page = admin_client.get(reverse("admin:articles_article_add")).content.decode()

    assert 'aria-label="Publish time: date"' in page
    assert 'aria-label="Publish time: time"' in page


def test_nested_candidacy_rows_name_their_inputs(admin_client):
    candidacy = CandidacyFactory()

    page = admin_client.get(
        reverse("admin:people_race_change", args=[candidacy.election.race.pk])
    ).content.decode()

    assert 'aria-label="Votes, row 1"' in page
    assert 'aria-label="Party, row 1"' in page

"""The editors' desk on the admin's front page: the work waiting, by kind."""

from dataclasses import dataclass

from django.utils import timezone

from articles.models import Article

SHOWN = 20  # stories in each list; the story list's filters show the rest

_COLUMNS = ["headline", "status", "published_at", "updated_at", "submitted_at"]


@dataclass
class Desk:
    review_queue: list
    scheduled: list
    my_drafts: list
    recently_published: list


def desk_for(user, *, now=None) -> Desk:
    """Four short lists, one query each however many stories there are."""
    now = now or timezone.now()
    stories = Article.objects.only(*_COLUMNS)
    Status = Article.Status
    return Desk(
        # Oldest first: the story waiting longest is read first.
        review_queue=list(
            stories.filter(status=Status.IN_REVIEW)
            .select_related("submitted_by")
            .only(*_COLUMNS, "submitted_by__username")
            .order_by("submitted_at", "pk")[:SHOWN]
        ),
        scheduled=list(
            stories.filter(status=Status.PUBLISHED, published_at__gt=now).order_by(
                "published_at", "pk"
            )[:SHOWN]
        ),
        my_drafts=list(
            stories.filter(status=Status.DRAFT, created_by=user.pk).order_by(
                "-updated_at", "-pk"
            )[:SHOWN]
        ),
        recently_published=list(stories.published(now=now).newest_first()[:SHOWN]),
    )

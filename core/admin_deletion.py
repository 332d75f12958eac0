"""Delete confirmations that stay small at any archive size.

Django's admin lists every object a deletion would remove, or is blocked by, as a
link each: the delete page of a section filed under 100,000 stories took 12 s to
build 13 MB of HTML, a headliner's listed 30,000 mentions (1.5 s). Past
`DETAIL_LIMIT` related rows, `SummarizedDeletionMixin` counts them instead, one
COUNT per relation following the cascades as Django's collector would, and fetches
only a few examples of what blocks the deletion. Below it, the page is Django's own.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.admin.utils import quote
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst

DETAIL_LIMIT = 100  # related rows past which the page counts instead of listing
LISTED = 20  # of the objects being deleted, when many are (the bulk action)
EXAMPLES = 5  # of the objects blocking the deletion
MAX_DEPTH = 6  # cascades followed (the schema's deepest is two)
BLOCKING = (models.PROTECT, models.RESTRICT)


@dataclass
class Census:
    """What deleting some rows would also delete, and what stands in the way."""

    deleted: dict = field(default_factory=lambda: defaultdict(int))  # model: rows
    blocking: list = field(default_factory=list)  # (model, rows, queryset)

    @property
    def related_rows(self) -> int:
        return sum(self.deleted.values()) + sum(n for _m, n, _q in self.blocking)


def related_querysets(queryset):
    """(rows, on_delete) for each reverse relation of the rows of `queryset`."""
    for relation in queryset.model._meta.related_objects:
        if relation.many_to_many:
            through = relation.through
            if not through._meta.auto_created:
                continue  # its own foreign keys are relations of their own
            column = relation.field.m2m_reverse_field_name()
            rows = through._base_manager.filter(**{f"{column}__in": queryset})
            yield rows, models.CASCADE  # only the links go
        else:
            rows = relation.related_model._base_manager.filter(
                **{f"{relation.field.name}__in": queryset}
            )
            yield rows, relation.on_delete


def take_census(queryset, census=None, depth=0) -> Census:
    """Count what deleting `queryset`'s rows would cascade to or be blocked by."""
    census = census or Census()
    if depth >= MAX_DEPTH:
        return census
    for rows, on_delete in related_querysets(queryset):
        if on_delete is models.CASCADE:
            count = rows.count()
            if count:
                census.deleted[rows.model] += count
                take_census(rows, census, depth + 1)
        elif on_delete in BLOCKING:
            count = rows.count()
            if count:
                census.blocking.append((rows.model, count, rows))
    return census


class SummarizedDeletionMixin:
    """For a ModelAdmin: its delete page and bulk delete stay small (see above)."""

    def get_deleted_objects(self, objs, request):
        objs = list(objs)
        if not objs:
            return super().get_deleted_objects(objs, request)
        model = objs[0]._meta.model
        chosen = model._base_manager.filter(pk__in=[obj.pk for obj in objs])
        census = take_census(chosen)
        if census.related_rows <= DETAIL_LIMIT:
            return super().get_deleted_objects(objs, request)
        return self._summary(objs, census, request)

    def _summary(self, objs, census, request):
        opts = objs[0]._meta
        perms_needed = set()
        if any(not self.has_delete_permission(request, obj) for obj in objs):
            perms_needed.add(opts.verbose_name)
        for related_model in census.deleted:
            if not self.admin_site.is_registered(related_model):
                continue  # edited inline or not in the admin: no permission of its own
            model_admin = self.admin_site.get_model_admin(related_model)
            if not model_admin.has_delete_permission(request):
                perms_needed.add(related_model._meta.verbose_name)
        to_delete = [self._linked(obj) for obj in objs[:LISTED]]
        if len(objs) > LISTED:
            to_delete.append(
                f"… and {len(objs) - LISTED:,} more {opts.verbose_name_plural}"
            )
        if census.deleted:
            to_delete += [
                "With them:",
                [
                    f"{count:,} {related._meta.verbose_name_plural}"
                    for related, count in census.deleted.items()
                ],
            ]
        protected = [
            format_html(
                "{} {}, such as: {}",
                f"{count:,}",
                related._meta.verbose_name_plural,
                format_html_join(
                    "; ",
                    "{}",
                    # The newest, by the primary key's index: no sort of them all.
                    ((self._linked(row),) for row in rows.order_by("-pk")[:EXAMPLES]),
                ),
            )
            for related, count, rows in census.blocking
        ]
        model_count = {opts.verbose_name_plural: len(objs)} | {
            related._meta.verbose_name_plural: count
            for related, count in census.deleted.items()
        }
        return to_delete, model_count, perms_needed, protected

    def _linked(self, obj):
        """`obj` as Django's delete page shows it: its kind, and a link to it when
        it has an admin page."""
        opts = obj._meta
        if self.admin_site.is_registered(obj.__class__):
            try:
                url = reverse(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                    args=[quote(obj.pk)],
                )
            except NoReverseMatch:
                pass
            else:
                return format_html(
                    '{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, obj
                )
        return f"{capfirst(opts.verbose_name)}: {obj}"

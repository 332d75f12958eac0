"""Admin lists that stay fast at any archive size.

Django's admin counts every matching row to number its pages. At 100,000 stories a
broad search made that COUNT cost hundreds of milliseconds; counting stops at
`CAP` instead, and the list says "more than 10,000" (narrow it with a filter).
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

CAP = 10_000


class CappedCountPaginator(Paginator):
    @cached_property
    def rows_counted(self):
        # COUNT(*) over at most CAP + 1 rows: the database stops reading there.
        return self.object_list[: CAP + 1].count()

    @cached_property
    def count(self):
        return min(self.rows_counted, CAP)

    @property
    def is_capped(self):
        return self.rows_counted > CAP

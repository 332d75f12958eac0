"""Revisions for every request that writes, and none for a request that failed.

django-reversion's `RevisionMiddleware` wraps each POST in a transaction and saves
the revision it gathered when the view returns. But Django turns a view's exception
into a 500 response before it reaches the middleware, so the middleware saw a
normal return: the save was rolled back (the admin's own atomic block), and the
revision, holding the text that was never saved, was committed. The history then
listed versions that never existed, and an editor could restore one.

Here any answer of 500 or more rolls the request's transaction back, revision
included: a request that failed leaves nothing, whichever view it was.
"""

from django.db import router, transaction
from reversion.middleware import RevisionMiddleware as BaseRevisionMiddleware
from reversion.models import Revision


class RevisionMiddleware(BaseRevisionMiddleware):
    def __init__(self, get_response):
        def respond(request):
            response = get_response(request)
            using = self.using or router.db_for_write(Revision)
            if (
                response.status_code >= 500
                and transaction.get_connection(using).in_atomic_block
            ):
                transaction.set_rollback(True, using=using)
            return response

        super().__init__(respond)

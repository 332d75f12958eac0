from django.conf import settings


def newsroom(request):
    """The newsroom's name, for titles, feeds and metadata on every page."""
    return {"newsroom_name": settings.NEWSROOM_NAME}

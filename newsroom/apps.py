from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    """Django's admin, with the project's site as `admin.site` (Django's
    documented way to override the default site)."""

    default_site = "newsroom.admin_site.NewsroomAdminSite"

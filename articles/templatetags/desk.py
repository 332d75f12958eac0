from django import template

from articles.desk import desk_for
from articles.models import Article

register = template.Library()


@register.inclusion_tag("admin/articles/_desk.html", takes_context=True)
def desk(context):
    """The desk, for those who may see stories."""
    user = context["request"].user
    if not user.has_perm("articles.view_article"):
        return {"desk": None}
    return {"desk": desk_for(user), "opts": Article._meta}

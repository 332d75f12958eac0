"""Reader pages for stories. Every queryset here starts from `published()`."""

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import DetailView, ListView

from articles.models import Article, Section


class FrontPageView(ListView):
    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        return Article.objects.published().for_listing().newest_first()


class SectionView(ListView):
    template_name = "articles/section_detail.html"
    context_object_name = "articles"
    paginate_by = settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return (
            Article.objects.published()
            .filter(section=self.section)
            .for_listing()
            .newest_first()
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.published().for_detail()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        # The slug identifies the story; the date is decoration. A wrong date answers
        # with a permanent redirect to the one canonical address.
        day = timezone.localtime(self.object.published_at)
        requested = (kwargs["year"], kwargs["month"], kwargs["day"])
        if requested != (day.year, f"{day.month:02d}", f"{day.day:02d}"):
            return redirect(self.object, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))

"""Reader pages for people and races.

`people` does not import `articles`: a person's or race's stories are reached
through the reverse relation, whose manager is the articles' own queryset, so
`published()` still decides what a reader may see.
"""

from django.conf import settings
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from people.models import Candidacy, Election, Person, Race


class PersonDetailView(ListView):
    """A person, and the published stories that mention them, newest first."""

    template_name = "people/person_detail.html"
    context_object_name = "articles"
    paginate_by = settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        self.person = get_object_or_404(Person, slug=self.kwargs["slug"])
        return (
            self.person.articles.published()
            .for_listing()
            .distinct()
            .newest_first()
            .prefetch_related(
                Prefetch(
                    "mentions",
                    queryset=self.person.mentions.order_by("role"),
                    to_attr="roles_of_person",
                )
            )
        )

    def get_context_data(self, **kwargs):
        candidacies = (
            Candidacy.objects.with_share()
            .filter(person=self.person)
            .select_related("election__race")
            .order_by("-election__date")
        )
        return super().get_context_data(
            person=self.person, candidacies=candidacies, **kwargs
        )


class RaceDetailView(DetailView):
    template_name = "people/race_detail.html"
    context_object_name = "race"

    def get_queryset(self):
        results = Candidacy.objects.with_share().select_related("person")
        return Race.objects.prefetch_related(
            Prefetch(
                "elections",
                queryset=Election.objects.prefetch_related(
                    Prefetch("candidacies", queryset=results)
                ),
            )
        )

    def get_context_data(self, **kwargs):
        coverage = self.object.articles.published().for_listing().newest_first()[:20]
        return super().get_context_data(coverage=coverage, **kwargs)

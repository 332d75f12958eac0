"""The tag manager of stories, people and races: names fold onto existing tags."""

from django.db import router
from taggit.managers import _TaggableManager

from tagging.models import existing_tags, tags_for_names


class FoldingTagManager(_TaggableManager):
    """taggit's manager (`TaggableManager(manager=...)`, as taggit documents for
    custom managers), finding a typed name's tag by its folded key: "hillary-
    clinton" is added as the existing "Hillary Clinton", not made a second tag."""

    def _to_tag_model_instances(self, tags, tag_kwargs):
        tag_model = self.through.tag_model()
        db = router.db_for_write(self.through, instance=self.instance)
        found = tags_for_names([t for t in tags if isinstance(t, str)], using=db)
        result = []
        for given in tags:
            if isinstance(given, str):
                tag = found.get(given)  # None: nothing left once cleaned
            elif isinstance(given, tag_model):
                tag = given
            else:
                raise ValueError(
                    f"Cannot add {given} ({type(given)}). Expected {tag_model} or str."
                )
            if tag is not None and tag not in result:
                result.append(tag)
        return result

    def remove(self, *tags):
        db = router.db_for_write(self.through, instance=self.instance)
        typed = [t for t in tags if isinstance(t, str)]
        names = [t.name if isinstance(t, self.through.tag_model()) else t for t in tags]
        folded = [tag.name for tag in existing_tags(typed, using=db).values()]
        super().remove(*names, *folded)

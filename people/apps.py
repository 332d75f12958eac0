from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People and races"

    def ready(self):
        # Each change invalidates the cache keys of the pages it touches, once it
        # commits (`people.cache_keys`, `core.cache_keys`).
        from django.db.models.signals import post_delete, post_save, pre_save

        from people import cache_keys as changes
        from people import models

        receivers = [
            (models.Person, changes.person_changed, changes.person_deleted),
            (models.Race, changes.race_changed, changes.race_deleted),
            (models.Alias, changes.person_part_changed, None),
            (models.PersonSlug, changes.person_part_changed, None),
            (models.TaggedPerson, changes.person_part_changed, None),
            (models.PersonRole, changes.person_part_changed, None),
            (models.TaggedRace, changes.race_tag_changed, None),
            (models.Election, changes.election_changed, None),
            (models.Candidacy, changes.candidacy_changed, None),
            (models.Relationship, changes.relationship_changed, None),
        ]
        for model, saved, deleted in receivers:
            uid = f"cache-keys-{model.__name__}"
            post_save.connect(saved, sender=model, dispatch_uid=uid)
            post_delete.connect(deleted or saved, sender=model, dispatch_uid=uid)
        pre_save.connect(
            changes.relationship_before_save,
            sender=models.Relationship,
            dispatch_uid="cache-keys-before-Relationship",
        )
        for model in (models.Person, models.Race):
            pre_save.connect(
                changes.switch_read,
                sender=model,
                dispatch_uid=f"shown-{model.__name__}",
            )

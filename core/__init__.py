"""Newsroom's shared layer: what the apps share and no app owns.

Text fields and cleaning, upload checks, tags, admin mixins, keyset paging, the
cache and purge layer, media renditions, the reader base view, middleware.
It imports no app (`articles`, `people`, `tagging`) and not the project
package `newsroom`: the contracts in pyproject.toml, run by `make lint`."""

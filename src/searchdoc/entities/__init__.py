"""The people a collection names: the names each document states (:mod:`.extract`), the
entities they form across documents (:mod:`.cluster`), stored with each index generation
(:mod:`.persist`) and looked up by name at query time (:mod:`.lookup`, the light half)."""

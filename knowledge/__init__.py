"""Policy documents: loaders, chunker, vector store and hybrid retrieval with citations.

Public API (import the submodules; this package stays light so `creditdesk --help` is fast):
- `knowledge.store.PolicyStore` — ingest / remove / documents / search -> list[`knowledge.models.Hit`]
- `knowledge.client.chroma_client`, `knowledge.embeddings.make_embedding` — build its collaborators
- `knowledge.ingest.ingest_paths`, `knowledge.ingest.ensure_default_policies`
- `knowledge.access.readable_tags` — access tags for a role
"""

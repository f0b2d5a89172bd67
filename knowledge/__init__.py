"""Policy documents: loaders, chunker, vector store and hybrid retrieval with citations."""

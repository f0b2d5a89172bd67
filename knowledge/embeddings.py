"""Embedding functions for Chroma (1.x protocol: name / get_config / build_from_config, registered).

- `WordLlamaEmbedding` (default): WordLlama l2_supercat 256-d static token embeddings shipped inside the
  `wordllama` wheel; loaded from the package files with no download and no PyTorch.
- `OpenAICompatibleEmbedding`: any `/v1/embeddings` endpoint (OpenAI, Azure OpenAI, vLLM, Ollama, …).
- `SentenceTransformerEmbedding`: a local sentence-transformers model path (optional dependency).

Registration lets a collection re-open in a fresh process with the function recorded in its configuration.
"""

from __future__ import annotations

import logging
import os
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

from kernel.errors import InvalidInput, UpstreamUnavailable

WORDLLAMA_DIMS = (64, 128, 256)


@cache
def _wordllama(dim: int):  # type: ignore[no-untyped-def]
    """The bundled WordLlama model, built from the package files (the library's own loader looks for the
    tokenizer in `tokenizer/` while the wheel ships `tokenizers/`, and would then try to download it)."""
    import wordllama
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    from wordllama.inference import WordLlamaInference  # calls logging.basicConfig(INFO) on import

    root.handlers[:], root.level = handlers, level

    package = Path(wordllama.__file__).parent
    weights = package / "weights" / "l2_supercat_256.safetensors"
    tokenizer = package / "tokenizers" / "l2_supercat_tokenizer_config.json"
    if not weights.exists() or not tokenizer.exists():
        raise UpstreamUnavailable(f"the wordllama package is missing its bundled model files in {package}")
    matrix = load_file(str(weights))["embedding.weight"][:, :dim]  # Matryoshka: a prefix is a smaller model
    return WordLlamaInference(matrix, Tokenizer.from_file(str(tokenizer)))


@register_embedding_function
class WordLlamaEmbedding(EmbeddingFunction[Documents]):
    """Offline default: static word embeddings averaged per text, L2-normalised."""

    def __init__(self, dim: int = 256) -> None:
        if dim not in WORDLLAMA_DIMS:
            raise InvalidInput(f"wordllama dimension must be one of {WORDLLAMA_DIMS}", field="embedding")
        self.dim = dim

    def __call__(self, input: Documents) -> Embeddings:
        vectors = _wordllama(self.dim).embed(list(input), norm=True)
        return list(np.nan_to_num(vectors).astype(np.float32))

    @staticmethod
    def name() -> str:
        return "creditdesk-wordllama"

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "ip"]

    def get_config(self) -> dict[str, Any]:
        return {"dim": self.dim}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> WordLlamaEmbedding:
        return WordLlamaEmbedding(dim=int(config.get("dim", 256)))


@register_embedding_function
class OpenAICompatibleEmbedding(EmbeddingFunction[Documents]):
    """POST {base_url}/embeddings. The key is never written to the collection configuration: it is
    passed in, or read from the environment variable named in `api_key_env_var` when re-opened."""

    def __init__(self, base_url: str, model: str, *, api_key: str | None = None,
                 api_key_env_var: str = "CREDITDESK_LLM_API_KEY", timeout_s: float = 30.0,
                 batch_size: int = 64, transport: Any = None) -> None:  # fmt: skip
        if not base_url or not model:
            raise InvalidInput(
                "OpenAI-compatible embeddings need a base URL and a model name", field="embedding"
            )
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.api_key_env_var = api_key_env_var
        self.timeout_s = timeout_s
        self.batch_size = batch_size
        self._api_key = api_key if api_key is not None else os.environ.get(api_key_env_var)
        self._transport = transport  # an httpx transport (tests)

    def __call__(self, input: Documents) -> Embeddings:
        import httpx

        headers = {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}
        out: list[np.ndarray] = []
        with httpx.Client(timeout=self.timeout_s, transport=self._transport, headers=headers) as client:
            for start in range(0, len(input), self.batch_size):
                batch = list(input[start : start + self.batch_size])
                try:
                    response = client.post(
                        f"{self.base_url}/embeddings", json={"model": self.model, "input": batch}
                    )
                    response.raise_for_status()
                    rows = sorted(response.json()["data"], key=lambda row: row["index"])
                except (httpx.HTTPError, KeyError, ValueError) as exc:
                    raise UpstreamUnavailable(f"embedding endpoint {self.base_url} failed: {exc}") from exc
                out.extend(np.asarray(row["embedding"], dtype=np.float32) for row in rows)
        return out

    @staticmethod
    def name() -> str:
        return "creditdesk-openai-compatible"

    def default_space(self) -> Space:
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        return {"base_url": self.base_url, "model": self.model, "api_key_env_var": self.api_key_env_var}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> OpenAICompatibleEmbedding:
        return OpenAICompatibleEmbedding(config["base_url"], config["model"],
                                         api_key_env_var=config.get("api_key_env_var", "CREDITDESK_LLM_API_KEY"))  # fmt: skip


@register_embedding_function
class SentenceTransformerEmbedding(EmbeddingFunction[Documents]):
    """A local sentence-transformers model (folder path); needs `pip install sentence-transformers`."""

    def __init__(self, model_path: str) -> None:
        self.model_path = model_path
        self._model: Any = None

    def __call__(self, input: Documents) -> Embeddings:
        if self._model is None:
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise UpstreamUnavailable(
                    "embedding 'sentence-transformers:…' needs the optional package: "
                    "pip install sentence-transformers (or use CREDITDESK_EMBEDDING=wordllama)"
                ) from exc
            self._model = SentenceTransformer(self.model_path, local_files_only=True)
        return list(self._model.encode(list(input), normalize_embeddings=True).astype(np.float32))

    @staticmethod
    def name() -> str:
        return "creditdesk-sentence-transformers"

    def default_space(self) -> Space:
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        return {"model_path": self.model_path}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> SentenceTransformerEmbedding:
        return SentenceTransformerEmbedding(config["model_path"])


def make_embedding(spec: str, *, base_url: str | None = None, api_key: str | None = None,
                   model: str | None = None) -> EmbeddingFunction[Documents]:  # fmt: skip
    """The embedding function named by a setting: `wordllama[:DIM]`, `openai`, `sentence-transformers:PATH`."""
    kind, _, arg = spec.strip().partition(":")
    if kind == "wordllama":
        if arg and not arg.isdigit():
            raise InvalidInput(f"wordllama dimension '{arg}' is not a number", field="embedding")
        return WordLlamaEmbedding(dim=int(arg) if arg else 256)
    if kind == "openai":
        if not base_url or not model:
            raise InvalidInput("CREDITDESK_EMBEDDING=openai needs CREDITDESK_LLM_BASE_URL and "
                               "CREDITDESK_EMBEDDING_MODEL", field="embedding")  # fmt: skip
        return OpenAICompatibleEmbedding(base_url, model, api_key=api_key)
    if kind == "sentence-transformers":
        path = arg or model
        if not path:
            raise InvalidInput(
                "CREDITDESK_EMBEDDING=sentence-transformers:PATH needs a model path", field="embedding"
            )
        return SentenceTransformerEmbedding(path)
    raise InvalidInput(f"unknown embedding '{spec}' (wordllama | openai | sentence-transformers:PATH)",
                       field="embedding")  # fmt: skip

"""Read and validate the credit policy file (the shipped default, or a bank's own by path)."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from kernel.errors import InvalidInput
from tools.policy.schema import Policy

DEFAULT_POLICY_PATH = Path(__file__).with_name("default_policy.yaml")
# libyaml's parser when PyYAML was built with it (the wheels are): ~10x faster than the pure-Python one,
# which took a large share of a cold `creditdesk ask`
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_policy(path: Path | None = None) -> Policy:
    """The validated policy; raises InvalidInput naming the field path and the reason."""
    source = Path(path) if path is not None else DEFAULT_POLICY_PATH
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(
            f"policy file {source} cannot be read: {exc.strerror}", field="policy_path"
        ) from None
    try:
        data = yaml.load(text, Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise InvalidInput(f"policy file {source} is not valid YAML{where}", field="policy_path") from None
    if not isinstance(data, dict):
        raise InvalidInput(f"policy file {source} must be a mapping of sections", field="policy_path")
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        problems = [f"{_path(e['loc'])}: {e['msg']}" for e in exc.errors()]
        first = exc.errors()[0]
        raise InvalidInput(
            f"policy file {source} is invalid — {problems[0]}"
            + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""),
            field=_path(first["loc"]),
            details=problems,
        ) from None


def _path(loc: tuple[object, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "policy"

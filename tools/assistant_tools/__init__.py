"""The assistant's tools: typed, scope-checked functions (`Toolbox`) and their registry (`TOOLS`)."""

from tools.assistant_tools.registry import TOOLS, ToolOutcome, ToolSpec, call_tool
from tools.assistant_tools.toolbox import Toolbox

__all__ = ["TOOLS", "ToolOutcome", "ToolSpec", "Toolbox", "call_tool"]

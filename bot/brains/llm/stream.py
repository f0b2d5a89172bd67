"""The model's text passed on while it is written, one checked sentence at a time.

A streamed answer must still pass verification, so nothing unchecked is shown:
- tokens are buffered per model message; only complete sentences go out (a sentence ends at . ! ? before
  a space, at 。！？ or at a line break, so "90.2%" is never cut);
- each sentence is checked before it goes out, as the whole text is later: no tool call written as text,
  no claimed approval or change, every figure one of this conversation's tool results (the results are
  all in before the model writes its final text);
- the first sentence that fails stops the message: nothing more of it goes out; a message that turns out
  to call tools stops too (its text was the model thinking aloud);
- `finish(text)` is called only once the whole answer passed its checks: it sends what is left (the last,
  unfinished sentence). When the whole answer fails, the caller replaces the draft with the offline
  answer (and says why): the user has seen only checked sentences, never a wrong figure.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.brains.llm.verify import invented_numbers, looks_like_tool_call, state_change_claims

_END = re.compile(r"[.!?](?=\s)|[。！？\n]")


class VerifiedStream:
    def __init__(self, emit: Callable[[str], None], allowed: Callable[[], set[str]]) -> None:
        self.emit = emit
        self.allowed = allowed
        self.sent = ""  # what went out so far (of the current message)
        self._message: str | None = None
        self._buffer = ""
        self._held = False

    def feed(self, message_id: str, text: str, calls_tools: bool) -> None:
        if message_id != self._message:  # a new model call: a draft of an earlier one is not the answer
            self._message, self._buffer, self._held = message_id, "", False
            if self.sent:
                self.sent = ""
        if calls_tools:
            self._held = True
        if self._held or not text:
            return
        self._buffer += text
        self._flush(final=False)

    def _flush(self, *, final: bool) -> None:
        ends = [m.end() for m in _END.finditer(self._buffer)]
        cut = len(self._buffer) if final else (ends[-1] if ends else 0)
        if cut == 0:
            return
        ready, self._buffer = self._buffer[:cut], self._buffer[cut:]
        if not self._ok(ready):
            self._held = True
            return
        self.sent += ready
        self.emit(ready)

    def _ok(self, text: str) -> bool:
        head = text.lstrip()
        if head.startswith(("{", "[", "<", "`")) or looks_like_tool_call(text):
            return False
        if state_change_claims(text):
            return False
        return not invented_numbers(text, self.allowed())

    def finish(self, answer: str) -> None:
        """The answer passed every check: send what of it has not gone out yet."""
        if answer.startswith(self.sent) and len(answer) > len(self.sent):
            rest = answer[len(self.sent) :]
            self.sent += rest
            self.emit(rest)

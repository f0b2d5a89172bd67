// Credit Desk pages: vanilla JS, same-origin fetch with the session's CSRF token. No external code.
"use strict";

const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content ?? "";

async function api(method, path, body, headers = {}) {
  const res = await fetch(`/api/v1${path}`, {
    method,
    credentials: "same-origin",
    // the page's language, so a refusal comes back in it too (`localized_detail`)
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf(), "Accept-Language": document.documentElement.lang || "en", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = res.headers.get("content-type")?.includes("json") ? await res.json() : null;
  if (!res.ok) {
    // a refusal (an amount equal to the current limit, a draft memo …) is said as it is; only an unexpected
    // error (5xx) names the error id that finds it in the server log
    const why = data?.localized_detail ?? data?.detail ?? res.statusText;
    const unexpected = res.status >= 500 && data?.error_id && !why.includes(data.error_id);
    throw new Error(unexpected ? `${why} (error id ${data.error_id})` : why);
  }
  return data;
}

const uid = () =>
  crypto.randomUUID?.() ?? Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");

function say(el, text, isError = false) {
  el.textContent = text;
  el.classList.toggle("error", isError);
}

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
}

const MESSAGES = (() => {
  try { return JSON.parse(document.getElementById("messages")?.textContent ?? "{}"); } catch { return {}; }
})();

// A message from the page's catalogue text, its {placeholders} filled.
function msg(key, values = {}) {
  return (MESSAGES[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => (name in values ? String(values[name]) : `{${name}}`));
}

function money(value, currency = "") {
  if (value === null || value === undefined) return "n/a";
  const figure = Number(value).toLocaleString("en", { maximumFractionDigits: 0 });
  return currency ? `${currency}\u00a0${figure}` : figure;
}

function initSidebar(card) {
  const clientId = Number(card.dataset.clientId);

  // Draft a review memo, then download it as PDF or DOCX; submit the draft; a submitted memo can go on a
  // limit request (the form's "Attach memo" box).
  const memoStatus = document.getElementById("memo-status");
  const memoLatest = document.getElementById("memo-latest");
  const memoSubmit = document.getElementById("memo-submit");
  const attachRow = document.getElementById("attach-memo-row");
  const attachBox = document.getElementById("attach-memo");
  const attachLabel = document.getElementById("attach-memo-label");
  const showMemo = (memo) => {
    memoLatest.textContent = msg("memo_latest", { version: memo.version, status: msg(`memo.${memo.status}`) });
    memoSubmit.dataset.memoId = String(memo.memo_id);
    memoSubmit.textContent = msg("memo_submit", { version: memo.version });
    memoSubmit.hidden = memo.status !== "draft";
    if (memo.status !== "draft") {
      attachBox.value = String(memo.memo_id);
      attachBox.dataset.version = String(memo.version);
      attachBox.checked = true;
      attachLabel.textContent = msg("attach_memo", { version: memo.version, status: msg(`memo.${memo.status}`) });
      attachRow.hidden = false;
    }
  };
  for (const memoButton of document.querySelectorAll('[data-action="draft-memo"]')) {
    memoButton.addEventListener("click", async () => {
      memoButton.disabled = true;
      say(memoStatus, msg("drafting"));
      try {
        const memo = await api("POST", `/clients/${clientId}/memos`);
        showMemo(memo);
        say(memoStatus, msg("drafted", { version: memo.version }));
        window.location.assign(`/api/v1/memos/${memo.memo_id}/download?format=${memoButton.dataset.format}`);
      } catch (err) {
        say(memoStatus, msg("memo_failed", { error: err.message }), true);
      } finally {
        memoButton.disabled = false;
      }
    });
  }
  memoSubmit?.addEventListener("click", async () => {
    memoSubmit.disabled = true;
    say(memoStatus, msg("memo_submitting"));
    try {
      const memo = await api("POST", `/memos/${memoSubmit.dataset.memoId}/submit`);
      showMemo(memo);
      say(memoStatus, msg("memo_submitted", { version: memo.version }));
    } catch (err) {
      say(memoStatus, msg("memo_submit_failed", { error: err.message }), true);
    } finally {
      memoSubmit.disabled = false;
    }
  });

  // Propose a change (a new limit, written as 3M or 750k if you like; a freeze; an unfreeze):
  // preview first (no write), then confirm to raise the request. The server parses the amount.
  const form = document.getElementById("limit-form");
  const preview = document.getElementById("limit-preview");
  const summary = document.getElementById("limit-summary");
  const confirm = document.getElementById("limit-confirm");
  const status = document.getElementById("limit-status");
  const facility = document.getElementById("facility");
  const change = document.getElementById("change-kind");
  const limitFields = document.getElementById("limit-fields");
  const targetHint = document.getElementById("target-hint");
  const useTarget = document.getElementById("use-target");
  const useFreeze = document.getElementById("use-freeze");
  let pending = null;
  // The proposal's hint: a new client total turned into the chosen facility's figure (offered only when it
  // changes that facility's limit), a freeze (offered as a freeze), or no new figure at all.
  const refresh = () => {
    const option = facility?.selectedOptions[0];
    const hint = targetHint.dataset;
    limitFields.hidden = change.value !== "limit";
    let said = hint.text;
    useTarget.hidden = true;
    if (hint.mode === "change" && option?.dataset.suggestedText) {
      said = `${said} ${hint.figure.replace("{figure}", option.dataset.suggestedText)}`;
      if (option.dataset.partial) said = `${said} ${hint.partial}`;
      useTarget.textContent = hint.use.replace("{figure}", option.dataset.suggestedText);
      useTarget.hidden = false;
    }
    useFreeze.hidden = !(hint.mode === "freeze" && option?.dataset.status !== "frozen");
    targetHint.textContent = said;
  };
  facility?.addEventListener("change", refresh);
  change?.addEventListener("change", refresh);
  useTarget?.addEventListener("click", () => {
    form.new_limit.value = String(Math.round(Number(facility.selectedOptions[0]?.dataset.suggested ?? 0)));
    form.new_limit.focus();
  });
  useFreeze?.addEventListener("click", () => {
    change.value = "freeze";
    refresh();
    form.reason.focus();
  });
  if (form) refresh();
  form?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { facility_id: facility.value, reason: form.reason.value };
    if (change.value === "limit") body.new_limit = form.new_limit.value.trim();
    else body.kind = change.value;
    say(status, msg("checking"));
    try {
      const prep = await api("POST", `/clients/${clientId}/limit-requests/prepare`, body);
      const kind = msg(`kind.${prep.kind}`);
      const head = prep.new_limit === null
        ? msg("prep_status", { kind, facility: prep.facility_id, current: money(prep.current_limit, prep.currency) })
        : msg("prep_change", { kind, facility: prep.facility_id, current: money(prep.current_limit, prep.currency), new: money(prep.new_limit, prep.currency) });
      summary.replaceChildren(el("strong", "", head));
      const list = el("ul");
      const rec = prep.recommended_limit === null ? msg("prep_no_recommendation") : money(prep.recommended_limit, prep.reporting_currency);
      list.append(el("li", "", msg("prep_recommended", { amount: rec })));
      list.append(el("li", "", msg("prep_group", { amount: money(prep.group_exposure_after, prep.reporting_currency) })));
      // the server's words in the page's language (constraints and levels by their names, never a code)
      for (const line of prep.said.concentration) list.append(el("li", "", line));
      for (const message of prep.said.exceptions) list.append(el("li", "", msg("prep_exception", { message })));
      list.append(el("li", "", msg("prep_chain", { chain: prep.said.chain.join(" → ") || msg("prep_none") })));
      for (const reason of prep.said.routing) list.append(el("li", "", msg("prep_routing", { reason })));
      const memoId = attachRow && !attachRow.hidden && attachBox.checked && attachBox.value ? Number(attachBox.value) : null;
      if (memoId !== null) list.append(el("li", "", msg("prep_memo", { version: attachBox.dataset.version })));
      summary.append(list);
      pending = { client_id: clientId, kind: prep.kind, facility_id: prep.facility_id, new_limit: prep.new_limit, reason: body.reason, memo_id: memoId, key: uid() };
      preview.hidden = false;
      say(status, msg("review_then_confirm"));
      confirm.focus();
    } catch (err) {
      preview.hidden = true;
      say(status, err.message, true);
    }
  });
  confirm?.addEventListener("click", async () => {
    if (!pending) return;
    confirm.disabled = true;
    const { key, ...body } = pending;
    try {
      const req = await api("POST", "/approvals", body, { "Idempotency-Key": key });
      preview.hidden = true;
      pending = null;
      say(status, msg("raised", { id: req.request_id, status: msg(`status.${req.status}`) }));
    } catch (err) {
      say(status, msg("raise_failed", { error: err.message }), true);
    } finally {
      confirm.disabled = false;
    }
  });

  // Ask about this client, streamed.
  const ask = document.getElementById("ask-form");
  const log = document.getElementById("chat-log");
  const conversation = `sidebar-${clientId}-${uid()}`;
  ask?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const question = ask.text.value.trim();
    if (!question) return;
    log.append(el("div", "q", question));
    const answer = el("div", "a", "…");
    log.append(answer);
    ask.text.value = "";
    const text = `${ask.dataset.clientName} (client ${clientId}): ${question}`;
    try {
      const reply = await api("POST", "/ask", { text, conversation_id: conversation });
      answer.textContent = reply.text;
      for (const c of reply.citations ?? []) {
        answer.append(el("div", "cite", `[${c.n}] ${c.document}${c.section ? ` § ${c.section}` : ""}${c.page != null ? `, p. ${c.page}` : ""}`));
      }
    } catch (err) {
      answer.textContent = msg("ask_failed", { error: err.message });
    }
  });
}

function initDashboard() {
  for (const button of document.querySelectorAll("[data-decide]")) {
    button.addEventListener("click", async () => {
      const id = button.dataset.request;
      const item = document.getElementById(`request-${id}`);
      const status = item.querySelector(".status");
      const input = document.getElementById(`comment-${id}`);
      const comment = input.value.trim();
      if (button.dataset.decide !== "approve" && !comment) {
        say(status, msg("comment_needed"), true);
        input.focus();
        return;
      }
      item.querySelectorAll("button").forEach((b) => (b.disabled = true));
      try {
        const req = await api("POST", `/approvals/${id}/decision`, { decision: button.dataset.decide, comment });
        say(status, msg("recorded", { status: msg(`status.${req.status}`) }));
      } catch (err) {
        say(status, err.message, true);
        item.querySelectorAll("button").forEach((b) => (b.disabled = false));
      }
    });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const card = document.querySelector("[data-client-id]");
  if (card) initSidebar(card);
  else initDashboard();
});

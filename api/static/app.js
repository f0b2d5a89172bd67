// Credit Desk pages: vanilla JS, same-origin fetch with the session's CSRF token. No external code.
"use strict";

const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content ?? "";

async function api(method, path, body, headers = {}) {
  const res = await fetch(`/api/v1${path}`, {
    method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf(), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = res.headers.get("content-type")?.includes("json") ? await res.json() : null;
  if (!res.ok) {
    const why = data?.detail ?? res.statusText;
    throw new Error(data?.error_id ? `${why} (error id ${data.error_id})` : why);
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

function money(value) {
  return value === null || value === undefined ? "n/a" : Number(value).toLocaleString("en", { maximumFractionDigits: 0 });
}

function initSidebar(card) {
  const clientId = Number(card.dataset.clientId);

  // Draft a review memo, then download it.
  const memoButton = document.querySelector('[data-action="draft-memo"]');
  const memoStatus = document.getElementById("memo-status");
  memoButton?.addEventListener("click", async () => {
    memoButton.disabled = true;
    say(memoStatus, "Drafting the memo…");
    try {
      const memo = await api("POST", `/clients/${clientId}/memos`);
      say(memoStatus, `Memo version ${memo.version} drafted; downloading.`);
      window.location.assign(`/api/v1/memos/${memo.memo_id}/download?format=docx`);
    } catch (err) {
      say(memoStatus, `Could not draft the memo: ${err.message}`, true);
    } finally {
      memoButton.disabled = false;
    }
  });

  // Propose a limit change: preview (no write), then confirm to raise the request.
  const form = document.getElementById("limit-form");
  const preview = document.getElementById("limit-preview");
  const summary = document.getElementById("limit-summary");
  const confirm = document.getElementById("limit-confirm");
  const status = document.getElementById("limit-status");
  let pending = null;
  const facility = document.getElementById("facility");
  const prefill = () => { form.new_limit.value = Math.round(Number(facility.selectedOptions[0]?.dataset.limit ?? 0)); };
  facility?.addEventListener("change", prefill);
  if (facility) prefill();
  form?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const newLimit = form.new_limit.value.replace(/[,\s]/g, "");
    const current = Number(facility.selectedOptions[0]?.dataset.limit ?? 0);
    const kind = Number(newLimit) >= current ? "increase" : "decrease";
    const body = { kind, facility_id: facility.value, new_limit: newLimit, reason: form.reason.value };
    say(status, "Checking…");
    try {
      const prep = await api("POST", `/clients/${clientId}/limit-requests/prepare`, body);
      summary.replaceChildren(el("strong", "", `${kind === "increase" ? "Increase" : "Decrease"} ${prep.facility_id} from ${money(prep.current_limit)} to ${money(prep.new_limit)} ${prep.currency}`));
      const list = el("ul");
      const rec = prep.recommended_limit === null ? "no recommendation available" : `${money(prep.recommended_limit)} ${prep.reporting_currency}`;
      list.append(el("li", "", `Recommended total limit: ${rec}${prep.binding ? ` (binding: ${prep.binding.replaceAll("_", " ")})` : ""}`));
      list.append(el("li", "", `Group exposure after: ${money(prep.group_exposure_after)} ${prep.reporting_currency}`));
      for (const line of prep.concentration) list.append(el("li", "", line));
      for (const exc of prep.exceptions) list.append(el("li", "", `Policy exception: ${exc.message}`));
      list.append(el("li", "", `Approval chain: ${prep.route.steps.map((s) => s.name).join(" → ") || "none"}`));
      summary.append(list);
      pending = { ...body, client_id: clientId, key: uid() };
      preview.hidden = false;
      say(status, "Review the effect, then confirm.");
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
      say(status, `Request #${req.request_id} raised: ${req.status}.`);
    } catch (err) {
      say(status, `Could not raise the request: ${err.message}`, true);
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
      answer.textContent = `Could not answer: ${err.message}`;
    }
  });
}

function initDashboard() {
  for (const button of document.querySelectorAll("[data-decide]")) {
    button.addEventListener("click", async () => {
      const id = button.dataset.request;
      const item = document.getElementById(`request-${id}`);
      const status = item.querySelector(".status");
      const comment = document.getElementById(`comment-${id}`).value;
      item.querySelectorAll("button").forEach((b) => (b.disabled = true));
      try {
        const req = await api("POST", `/approvals/${id}/decision`, { decision: button.dataset.decide, comment });
        say(status, `Decision recorded: ${req.status}.`);
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

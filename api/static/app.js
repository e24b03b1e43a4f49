// The chat: one question box; each answer is a group of cards (statute pairs, commentary) or
// an honest "not covered" notice with suggestions. Newest exchange first, right under the
// question box. Earlier turns go with each question (follow-ups); the address follows the
// conversation (/?q=...), and the conversation survives a reload (sessionStorage).
import {
  MAX_CHARS,
  STRINGS,
  announce,
  applyStrings,
  commentaryCard,
  el,
  errorMessage,
  loadAbout,
  saveForce,
  saveTranslator,
  savedForce,
  savedTranslator,
  savedUiLang,
  statusBanner,
  statuteCard,
  wireLanguageSwitch,
} from "./common.js";

const form = document.getElementById("ask-form");
const box = document.getElementById("question");
const button = document.getElementById("ask-button");
const force = document.getElementById("force-lang");
const translator = document.getElementById("translator");
const log = document.getElementById("conversation");
const examples = document.getElementById("examples");
const counter = document.getElementById("counter");
const suggestRow = document.getElementById("suggest-row");
const suggestions = document.getElementById("suggestions");
const newConversation = document.getElementById("new-conversation");

const SESSION_KEY = "bilex.conversation";
const MAX_TURNS = 10;
let uiLang = savedUiLang();
let t = STRINGS[uiLang];
let turns = restore(); // {question, body, status}, oldest first; re-rendered on a language switch
let pending = false;
let suggestTimer = 0;
let suggestSeq = 0;

function restore() {
  try {
    const saved = JSON.parse(window.sessionStorage.getItem(SESSION_KEY) || "[]");
    return Array.isArray(saved) ? saved : [];
  } catch {
    return [];
  }
}

function persist() {
  try {
    window.sessionStorage.setItem(SESSION_KEY, JSON.stringify(turns.slice(-MAX_TURNS)));
  } catch {
    /* storage full or disabled: the conversation lasts for the page only */
  }
}

function followAddress(question) {
  const url = question ? `/?q=${encodeURIComponent(question)}` : "/";
  window.history.replaceState(null, "", url);
}

function chip(text, className = "example") {
  const node = el("button", className, text);
  node.type = "button";
  node.addEventListener("click", () => {
    box.value = text;
    updateCounter();
    submit();
  });
  return node;
}

function renderExamples() {
  examples.replaceChildren(...t.examples.map((text) => chip(text)));
  document.getElementById("examples-row").hidden = t.examples.length === 0;
}

function updateCounter() {
  counter.textContent = t.counter(box.value.length, MAX_CHARS);
  counter.classList.toggle("near", box.value.length > MAX_CHARS * 0.9);
}

async function loadSuggestions() {
  const typed = box.value.trim();
  const seq = ++suggestSeq;
  if (typed.length < 2) {
    suggestRow.hidden = true;
    return;
  }
  try {
    const response = await fetch(`/suggest?q=${encodeURIComponent(typed)}&lang=${uiLang}`);
    const body = await response.json();
    if (seq !== suggestSeq || !response.ok) return;
    const items = (body.suggestions || []).filter((s) => s.toLowerCase() !== typed.toLowerCase());
    suggestions.replaceChildren(...items.slice(0, 6).map((text) => chip(text, "example suggestion")));
    suggestRow.hidden = items.length === 0;
  } catch {
    suggestRow.hidden = true;
  }
}

function feedbackBlock(entry) {
  const box_ = el("div", "feedback");
  const label = el("span", "feedback-label", t.helpful);
  const id = `fb-${Math.random().toString(36).slice(2)}`;
  label.id = id;
  const group = el("div", "feedback-buttons");
  group.setAttribute("role", "group");
  group.setAttribute("aria-labelledby", id);
  const send = async (helpful) => {
    const ids = (entry.body.results || []).map((r) => r.id);
    let ok = false;
    try {
      const response = await fetch("/feedback", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ question: entry.question, ids, helpful, comment: null, lang: uiLang }),
      });
      ok = response.status === 201;
    } catch {
      ok = false;
    }
    entry.feedback = ok ? (helpful ? "yes" : "no") : null;
    persist();
    const message = ok ? t.thanks : t.feedbackFailed;
    box_.replaceChildren(el("p", "feedback-done", message));
    announce(message);
  };
  for (const [text, value] of [[t.yes, true], [t.no, false]]) {
    const b = el("button", "secondary small", text);
    b.type = "button";
    b.dataset.helpful = String(value);
    b.addEventListener("click", () => send(value));
    group.append(b);
  }
  if (entry.feedback) {
    box_.append(el("p", "feedback-done", t.thanks));
  } else {
    box_.append(label, group);
  }
  return box_;
}

function refusal(section, body) {
  const notice = el("div", "notice not-covered");
  notice.setAttribute("lang", body.language);
  notice.append(el("strong", "", STRINGS[body.language].notCovered), el("p", "", body.message));
  section.append(notice);
  const elsewhere = Array.isArray(body.elsewhere) ? body.elsewhere : [];
  if (elsewhere.length) {
    const where = el("div", "elsewhere");
    where.setAttribute("lang", body.language);
    where.append(el("p", "hint", STRINGS[body.language].goElsewhere));
    const list = el("ul", "");
    for (const item of elsewhere) {
      const li = el("li", "");
      li.append(el("strong", "", item.name), document.createTextNode(` — ${item.pointer}`));
      list.append(li);
    }
    where.append(list);
    section.append(where);
  }
  const tries = Array.isArray(body.suggestions) ? body.suggestions : [];
  if (tries.length) {
    const row = el("div", "examples-row try-instead");
    const labelId = `try-${Math.random().toString(36).slice(2)}`;
    const label = el("span", "hint", t.tryInstead);
    label.id = labelId;
    const chips = el("div", "examples");
    chips.setAttribute("role", "group");
    chips.setAttribute("aria-labelledby", labelId);
    chips.append(...tries.map((q) => chip(q, "example suggestion")));
    row.append(label, chips);
    section.append(row);
  }
}

function resultCard(result, body, question) {
  return result.kind === "statute"
    ? statuteCard(t, result, { first: body.language, question })
    : commentaryCard(t, result, { question });
}

function renderExchange(entry, index) {
  const section = el("section", "exchange");
  const q = el("div", "asked");
  const heading = el("h2", "asked-heading");
  heading.tabIndex = -1;
  heading.append(el("span", "who", index > 0 && entry.followup ? t.followup : t.you), " ",
    el("span", "asked-text", entry.question));
  q.append(heading);
  section.append(q);

  if (entry.error !== undefined && entry.error !== null) {
    const alert = el("div", "notice error");
    alert.setAttribute("role", "alert");
    alert.append(el("strong", "", t.error), el("p", "", errorMessage(t, entry.status)));
    section.append(alert);
    return section;
  }
  const body = entry.body;
  if (body.greeting && !(body.results || []).length) {
    // small talk (a greeting, thanks, "ok", a request for help): Bilex's reply, nothing to rate
    const reply = el("div", "notice reply");
    reply.setAttribute("lang", body.language);
    reply.append(el("p", "", body.message));
    section.append(reply);
    return section;
  }
  const meta = el("p", "answer-meta");
  meta.append(el("span", "", t.answerIn[body.language] || body.language));
  if (body.answered) meta.append(el("span", "dot", "·"), el("span", "", t.results(body.results.length)));
  section.append(meta);

  const results = Array.isArray(body.results) ? body.results : [];
  const status = results.find((r) => r.status && r.status.in_force === false);
  if (status) {
    const banner = statusBanner(t, status.status, uiLang);
    if (banner) section.append(banner);
  } else if (body.status_note) {
    const banner = statusBanner(t, { in_force: false, note: { [uiLang]: body.status_note.note },
      origin: body.status_note.origin }, uiLang);
    if (banner) section.append(banner);
  }
  if (!body.answered) {
    if (!results.length) {
      refusal(section, body);
      section.append(feedbackBlock(entry));
      return section;
    }
    const notice = el("div", "notice not-covered");
    notice.setAttribute("lang", body.language);
    notice.append(el("p", "", body.message));
    section.append(notice);
  }
  if (body.cited_law && body.cited_law.message) {
    // a provision of a law the sources do not hold, answered by the passages that cite it
    const cited = el("p", "gaps cited-law");
    cited.setAttribute("lang", body.language);
    cited.textContent = body.cited_law.message;
    section.append(cited);
  }
  if (body.gaps && body.gaps.message) {
    const gap = el("p", "gaps");
    gap.setAttribute("lang", body.language);
    gap.textContent = body.gaps.message;
    section.append(gap);
  }
  const strong = results.filter((r, i) => i === 0 || !r.weak);
  const weak = results.filter((r, i) => i > 0 && r.weak);
  const cards = el("div", "cards");
  cards.append(...strong.map((r) => resultCard(r, body, entry.question)));
  section.append(cards);
  if (weak.length) {
    const more = el("details", "other-passages");
    more.append(el("summary", "", t.otherPassages(weak.length)));
    const rest = el("div", "cards");
    rest.append(...weak.map((r) => resultCard(r, body, entry.question)));
    more.append(rest);
    section.append(more);
  }
  section.append(feedbackBlock(entry));
  return section;
}

function renderAll() {
  log.replaceChildren(...turns.map((entry, i) => renderExchange(entry, i)).reverse());
  newConversation.hidden = turns.length === 0;
}

function setLanguage(lang) {
  uiLang = lang;
  t = STRINGS[lang];
  applyStrings(t, lang);
  document.title = t.pageTitle;
  renderExamples();
  updateCounter();
  renderAll();
}

function historyPayload() {
  return turns
    .filter((entry) => entry.body && entry.body.answered)
    .slice(-MAX_TURNS)
    // "in English?" answered an earlier question again: that question is the turn's context
    .map((entry) => ({
      question: (entry.body.language_request && entry.body.language_request.question) || entry.question,
      ids: entry.body.results.map((r) => r.id).slice(0, 10),
    }));
}

async function ask(question) {
  const payload = { question };
  if (force.checked) payload.lang = uiLang;
  const history = historyPayload();
  if (history.length) payload.history = history;
  try {
    const response = await fetch("/ask", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(payload),
    });
    const body = await response.json().catch(() => null);
    if (response.ok && body) return { question, body, followup: history.length > 0 };
    return { question, error: (body && body.error) || "", status: response.status };
  } catch {
    return { question, error: t.network, status: 0 };
  }
}

async function submit() {
  const question = box.value.trim();
  if (!question || pending) return;
  pending = true;
  suggestSeq += 1; // a completion still on its way is no longer wanted
  window.clearTimeout(suggestTimer);
  suggestRow.hidden = true;
  button.disabled = true;
  button.textContent = t.asking;
  log.setAttribute("aria-busy", "true");
  const entry = await ask(question);
  turns.push(entry);
  turns = turns.slice(-MAX_TURNS);
  persist();
  renderAll();
  log.setAttribute("aria-busy", "false");
  pending = false;
  button.disabled = false;
  button.textContent = t.ask;
  if (entry.body) {
    box.value = "";
    followAddress(question);
  }
  updateCounter();
  const heading = log.querySelector(".exchange .asked-heading");
  if (heading) heading.focus({ preventScroll: false });
  announce(entry.body
    ? entry.body.answered ? t.answered(entry.body.results.length) : t.refused
    : `${t.error}: ${errorMessage(t, entry.status)}`);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  submit();
});

box.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    submit();
  }
});

box.addEventListener("input", () => {
  updateCounter();
  window.clearTimeout(suggestTimer);
  suggestTimer = window.setTimeout(loadSuggestions, 180);
});

newConversation.addEventListener("click", () => {
  turns = [];
  persist();
  renderAll();
  followAddress("");
  box.focus();
});

force.checked = savedForce();
force.addEventListener("change", () => saveForce(force.checked));
translator.checked = savedTranslator();
document.body.classList.toggle("translator", translator.checked);
translator.addEventListener("change", () => {
  saveTranslator(translator.checked);
  document.body.classList.toggle("translator", translator.checked);
});
wireLanguageSwitch(uiLang, setLanguage);
setLanguage(uiLang);
await loadAbout(); // what the profile beside the sources says they are
setLanguage(uiLang);

// /?q=QUESTION asks it on load (unless it is the conversation's last question, restored).
const asked = new URLSearchParams(window.location.search).get("q");
const last = turns.length ? turns[turns.length - 1].question : null;
if (asked && asked.trim() && asked.trim() !== last) {
  box.value = asked.trim().slice(0, MAX_CHARS);
  updateCounter();
  submit().then(() => document.body.classList.add("ready"));
} else {
  document.body.classList.add("ready");
}

// The chat: one question box; each answer is a group of cards (statute pairs, commentary) or
// an honest "not covered" notice. Newest exchange first, right under the question box.
import {
  STRINGS,
  announce,
  applyStrings,
  commentaryCard,
  el,
  saveForce,
  savedForce,
  savedUiLang,
  statuteCard,
  wireLanguageSwitch,
} from "./common.js";

const form = document.getElementById("ask-form");
const box = document.getElementById("question");
const button = document.getElementById("ask-button");
const force = document.getElementById("force-lang");
const log = document.getElementById("conversation");
const examples = document.getElementById("examples");

let uiLang = savedUiLang();
let t = STRINGS[uiLang];
const history = []; // {question, body, error}, oldest first; re-rendered on a language switch
let pending = false;

function renderExamples() {
  examples.replaceChildren();
  for (const text of t.examples) {
    const chip = el("button", "example", text);
    chip.type = "button";
    chip.addEventListener("click", () => {
      box.value = text;
      box.focus();
    });
    examples.append(chip);
  }
}

function renderExchange(entry) {
  const section = el("section", "exchange");
  const q = el("div", "asked");
  q.append(el("span", "who", t.you));
  q.append(el("p", "asked-text", entry.question));
  section.setAttribute("aria-label", `${t.you} — ${entry.question}`);
  section.append(q);

  if (entry.error) {
    const alert = el("div", "notice error");
    alert.setAttribute("role", "alert");
    alert.append(el("strong", "", t.error), el("p", "", entry.error));
    section.append(alert);
    return section;
  }
  const body = entry.body;
  const meta = el("p", "answer-meta");
  meta.append(el("span", "", t.answerIn[body.language] || body.language));
  if (body.answered) meta.append(el("span", "dot", "·"), el("span", "", t.results(body.results.length)));
  section.append(meta);
  if (!body.answered) {
    const notice = el("div", "notice not-covered");
    notice.setAttribute("lang", body.language);
    notice.append(el("strong", "", STRINGS[body.language].notCovered), el("p", "", body.message));
    section.append(notice);
    return section;
  }
  const cards = el("div", "cards");
  for (const result of body.results) {
    cards.append(result.kind === "statute" ? statuteCard(t, result) : commentaryCard(t, result));
  }
  section.append(cards);
  return section;
}

function renderAll() {
  log.setAttribute("aria-live", "off"); // a language switch is not news
  log.replaceChildren(...history.slice().reverse().map(renderExchange));
  window.setTimeout(() => log.setAttribute("aria-live", "polite"), 0);
}

function setLanguage(lang) {
  uiLang = lang;
  t = STRINGS[lang];
  applyStrings(t, lang);
  document.title = t.pageTitle;
  renderExamples();
  renderAll();
}

async function ask(question) {
  const payload = { question };
  if (force.checked) payload.lang = uiLang;
  let entry;
  try {
    const response = await fetch("/ask", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(payload),
    });
    const body = await response.json().catch(() => null);
    if (response.ok && body) {
      entry = { question, body };
    } else {
      entry = { question, error: (body && body.error) || `HTTP ${response.status}` };
    }
  } catch {
    entry = { question, error: t.network };
  }
  return entry;
}

async function submit() {
  const question = box.value.trim();
  if (!question || pending) return;
  pending = true;
  button.disabled = true;
  button.textContent = t.asking;
  log.setAttribute("aria-busy", "true");
  const entry = await ask(question);
  history.push(entry);
  log.prepend(renderExchange(entry));
  log.setAttribute("aria-busy", "false");
  pending = false;
  button.disabled = false;
  button.textContent = t.ask;
  if (!entry.error) box.value = "";
  announce(entry.error ? `${t.error}: ${entry.error}`
    : entry.body.answered ? t.answered(entry.body.results.length) : t.refused);
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

force.checked = savedForce();
force.addEventListener("change", () => saveForce(force.checked));
wireLanguageSwitch(uiLang, setLanguage);
setLanguage(uiLang);
document.body.classList.add("ready");

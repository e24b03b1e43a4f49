// The translators' review: aligned units French | English, filters (article, flag, confidence),
// keyboard navigation (j/k or arrows, Enter to report), the report form, the reports already
// made and the bilingual glossary. Text is only ever set with textContent.
import {
  STRINGS,
  alignmentInfo,
  announce,
  applyStrings,
  el,
  savedUiLang,
  sideLabel,
  wireLanguageSwitch,
} from "./common.js";

const REVIEW = {
  fr: {
    reviewPageTitle: "Bilex — revue de l’alignement",
    reviewTagline: "Revue de l’alignement français-anglais, pour les traducteurs",
    skipToUnits: "Aller aux unités alignées",
    navLabel: "Navigation",
    navChat: "Poser une question",
    reviewTitle: "Revue de l’alignement",
    reviewIntro: "Chaque unité alignée : le français à gauche, l’anglais à droite (chacun dit s’il fait foi), " +
      "la confiance de l’alignement et les dérives détectées. Signalez une unité mal alignée : " +
      "le signalement garde les citations et les textes tels qu’ils sont aujourd’hui.",
    filtersLabel: "Filtres",
    articleLabel: "Article ou loi",
    flagLabel: "Alerte de dérive (détectée automatiquement)",
    flagAll: "Toutes les unités",
    flagAny: "Avec au moins une alerte",
    flagNone: "Sans alerte",
    reportedLabel: "Signalées par un relecteur seulement",
    belowLabel: "Confiance inférieure à",
    belowAll: "100 % (tout)",
    exportsLabel: "Exporter les unités affichées",
    glossaryCsv: "Glossaire CSV",
    tmxSentences: "TMX par phrase",
    csvSemicolon: "CSV (;)",
    glossaryTbx: "Glossaire TBX",
    keysHelp: "Clavier : j / k ou ↓ / ↑ pour passer d’une unité à l’autre, Entrée pour signaler l’unité active.",
    unitsLabel: "Unités alignées",
    shown: (n, total) => `${n} unité${n > 1 ? "s" : ""} affichée${n > 1 ? "s" : ""} sur ${total}`,
    noUnits: "Aucune unité ne correspond à ces filtres.",
    unitRef: (section, number) => (section ? `Section ${section} · n° ${number}` : `n° ${number}`),
    report: "Signaler",
    reportLabel: (id) => `Signaler un défaut d’alignement — ${id}`,
    reported: (n) => (n === 1 ? "1 signalement" : `${n} signalements`),
    reportsHeading: "Signalements des relecteurs",
    reportsCsv: "Signalements CSV",
    reportsJson: "Signalements JSON",
    noReports: "Aucun signalement pour l’instant.",
    reportTitle: "Signaler un défaut d’alignement",
    reasonLegend: "Motif",
    reason_wrong_pair: "Mauvaise paire",
    reason_translation_drift: "Dérive de traduction",
    reason_bad_split: "Mauvais découpage",
    reason_other: "Autre",
    commentLabel: "Commentaire (facultatif, obligatoire pour « Autre »)",
    charsLeft: (n) => `${n} caractères restants`,
    cancel: "Annuler",
    send: "Envoyer le signalement",
    sending: "Envoi…",
    chooseReason: "Choisissez un motif.",
    commentNeeded: "Dites ce qui ne va pas : un commentaire est nécessaire avec le motif « Autre ».",
    saved: (id) => `Signalement enregistré pour ${id}.`,
    glossaryHeading: "Glossaire bilingue",
    glossaryIntro: "Termes définis (balises croisées des définitions), termes appariés par l’alignement " +
      "et termes rendus de plusieurs façons, signalés comme incohérents.",
    colFr: "Français",
    colEn: "Anglais",
    colKind: "Origine",
    colConsistency: "Cohérence",
    colUnits: "Unités",
    kinds: { defined_term: "Terme défini", paired_term: "Apparié par l’alignement", variant: "Variante" },
    consistent: "cohérent",
    inconsistent: "incohérent",
    renderings: (list) => `rendu par : ${list}`,
    noGlossary: "Aucun terme pour cet article.",
  },
  en: {
    reviewPageTitle: "Bilex — alignment review",
    reviewTagline: "Review of the French-English alignment, for translators",
    skipToUnits: "Skip to the aligned units",
    navLabel: "Navigation",
    navChat: "Ask a question",
    reviewTitle: "Alignment review",
    reviewIntro: "Each aligned unit: the French on the left, the English on the right (each says whether it is the law), " +
      "the alignment confidence and the drift detected. Report a misaligned unit: the report keeps " +
      "the citations and texts as they are today.",
    filtersLabel: "Filters",
    articleLabel: "Article or act",
    flagLabel: "Drift flag (detected automatically)",
    flagAll: "All units",
    flagAny: "With at least one drift flag",
    flagNone: "Without drift flags",
    reportedLabel: "Reported by a reviewer only",
    belowLabel: "Confidence below",
    belowAll: "100% (all)",
    exportsLabel: "Export the units shown",
    glossaryCsv: "Glossary CSV",
    tmxSentences: "TMX by sentence",
    csvSemicolon: "CSV (;)",
    glossaryTbx: "Glossary TBX",
    keysHelp: "Keyboard: j / k or ↓ / ↑ to move between units, Enter to report the active unit.",
    unitsLabel: "Aligned units",
    shown: (n, total) => `${n} of ${total} unit${total === 1 ? "" : "s"} shown`,
    noUnits: "No unit matches these filters.",
    unitRef: (section, number) => (section ? `Section ${section} · no. ${number}` : `no. ${number}`),
    report: "Report",
    reportLabel: (id) => `Report a misalignment — ${id}`,
    reported: (n) => (n === 1 ? "1 report" : `${n} reports`),
    reportsHeading: "Reviewers’ reports",
    reportsCsv: "Reports CSV",
    reportsJson: "Reports JSON",
    noReports: "No report yet.",
    reportTitle: "Report a misalignment",
    reasonLegend: "Reason",
    reason_wrong_pair: "Wrong pair",
    reason_translation_drift: "Translation drift",
    reason_bad_split: "Bad split",
    reason_other: "Other",
    commentLabel: "Comment (optional; required for “Other”)",
    charsLeft: (n) => `${n} characters left`,
    cancel: "Cancel",
    send: "Send the report",
    sending: "Sending…",
    chooseReason: "Choose a reason.",
    commentNeeded: "Say what is wrong: a comment is needed with the reason “Other”.",
    saved: (id) => `Report saved for ${id}.`,
    glossaryHeading: "Bilingual glossary",
    glossaryIntro: "Defined terms (the definitions’ cross tags), terms the alignment paired, and terms " +
      "rendered more than one way, flagged as inconsistent.",
    colFr: "French",
    colEn: "English",
    colKind: "Origin",
    colConsistency: "Consistency",
    colUnits: "Units",
    kinds: { defined_term: "Defined term", paired_term: "Paired by the alignment", variant: "Variant" },
    consistent: "consistent",
    inconsistent: "inconsistent",
    renderings: (list) => `rendered as: ${list}`,
    noGlossary: "No term for this article.",
  },
};
const MAX_COMMENT = 2000;

const articleSelect = document.getElementById("article");
const flagSelect = document.getElementById("flag");
const reportedBox = document.getElementById("reported");
const range = document.getElementById("max-confidence");
const rangeValue = document.getElementById("max-confidence-value");
const rowsList = document.getElementById("rows");
const summary = document.getElementById("summary");
const loadError = document.getElementById("load-error");
const reportsList = document.getElementById("reports");
const glossaryRows = document.getElementById("glossary-rows");
const dialog = document.getElementById("report-dialog");
const form = document.getElementById("report-form");
const comment = document.getElementById("report-comment");
const count = document.getElementById("report-count");
const formError = document.getElementById("report-error");
const submit = document.getElementById("report-submit");

let uiLang = savedUiLang();
let t = { ...STRINGS[uiLang], ...REVIEW[uiLang] };
const params = new URLSearchParams(window.location.search);
const state = {
  articles: [],
  article: params.get("article") || "",
  flag: params.get("flag") || "",
  reported: params.get("reported") === "true",
  below: Number(params.get("below")) || 100,
  units: [],
  reports: [],
  glossary: [],
  active: 0,
  reportingRow: null,
  failure: null,
};

async function getJson(url, options = {}) {
  let response;
  try {
    response = await fetch(url, { headers: { Accept: "application/json" }, ...options });
  } catch {
    throw new Error(t.network);
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error((body && body.error) || `HTTP ${response.status}`);
  return body;
}

// -- filters ---------------------------------------------------------------------------------
function currentArticle() {
  return state.articles.find((a) => a.id === state.article);
}

function renderFilters() {
  articleSelect.replaceChildren(...state.articles.map((a) => {
    const title = (a.titles && a.titles[uiLang]) || a.title;
    const option = el("option", "", title.includes(a.id) ? title : `${a.id} — ${title}`);
    option.value = a.id;
    return option;
  }));
  articleSelect.value = state.article;

  const info = currentArticle();
  const options = [["", t.flagAll], ["any", `${t.flagAny} (${info ? info.flagged : 0})`],
    ["none", `${t.flagNone} (${info ? info.units - info.flagged : 0})`]];
  for (const [flag, n] of Object.entries(info ? info.flags : {})) {
    options.push([flag, `${t.flags[flag] || flag.replaceAll("_", " ")} (${n})`]);
  }
  if (state.flag && !options.some(([value]) => value === state.flag)) options.push([state.flag, state.flag]);
  flagSelect.replaceChildren(...options.map(([value, label]) => {
    const option = el("option", "", label);
    option.value = value;
    return option;
  }));
  flagSelect.value = state.flag;

  range.value = String(state.below);
  const shown = state.below >= 100 ? t.belowAll : t.percent(state.below);
  rangeValue.textContent = shown;
  range.setAttribute("aria-valuetext", shown);

  reportedBox.checked = state.reported;
  updateExports();
}

// The exports carry the filters shown, so that a download holds the units on screen.
function updateExports() {
  const query = filterQuery();
  const more = (extra) => {
    const q = new URLSearchParams(query);
    for (const [k, v] of Object.entries(extra)) q.set(k, v);
    return `?${q}`;
  };
  const glossary = state.article ? `?article=${encodeURIComponent(state.article)}` : "";
  document.getElementById("export-tmx").href = `/align/export.tmx${more({})}`;
  document.getElementById("export-tmx-sentences").href = `/align/export.tmx${more({ segments: "sentence" })}`;
  document.getElementById("export-csv").href = `/align/export.csv${more({})}`;
  document.getElementById("export-csv-semicolon").href = `/align/export.csv${more({ delimiter: "semicolon" })}`;
  document.getElementById("export-glossary").href = `/align/glossary.csv${glossary}`;
  document.getElementById("export-glossary-tbx").href = `/align/glossary.tbx${glossary}`;
}

function filterQuery() {
  const query = new URLSearchParams();
  if (state.article) query.set("article", state.article);
  if (state.flag) query.set("flag", state.flag);
  if (state.below < 100) query.set("max_confidence", String(state.below / 100));
  if (state.reported) query.set("reported", "true");
  return query;
}

function unitsUrl() {
  return `/align/units?${filterQuery()}`;
}

function rememberFilters() {
  const query = new URLSearchParams();
  if (state.article) query.set("article", state.article);
  if (state.flag) query.set("flag", state.flag);
  if (state.below < 100) query.set("below", String(state.below));
  if (state.reported) query.set("reported", "true");
  const search = query.toString();
  window.history.replaceState(null, "", search ? `/align?${search}` : "/align");
}

// -- units -----------------------------------------------------------------------------------
function reportsOf(id) {
  return state.reports.filter((r) => r.unit_id === id).length;
}

function textCell(result, lang) {
  const cell = el("div", `review-text side-${lang}`);
  cell.setAttribute("lang", lang);
  const label = el("p", "side-label", sideLabel(t, result, lang));
  label.setAttribute("lang", uiLang);
  cell.append(label);
  const body = el("div", "legal-text");
  const side = result[lang];
  for (const paragraph of String(side ? side.text : "").split("\n")) body.append(el("p", "", paragraph));
  cell.append(body);
  const citation = result.citation && result.citation[lang];
  if (citation) cell.append(el("cite", "citation", citation));
  return cell;
}

function unitRow(result, index) {
  const row = el("li", "review-row");
  row.id = `unit-${result.id}`;
  row.dataset.id = result.id;
  row.dataset.index = String(index);
  row.tabIndex = index === state.active ? 0 : -1;

  const meta = el("div", "review-meta");
  meta.append(el("p", "review-ref", t.unitRef(result.section, result.number)));
  meta.append(el("p", "review-id", result.id));
  if (result.alignment) meta.append(alignmentInfo(t, result.alignment));
  const actions = el("div", "review-actions");
  const button = el("button", "report-button", t.report);
  button.type = "button";
  button.tabIndex = -1; // only the active row's button is a tab stop (see setActive)
  button.setAttribute("aria-label", t.reportLabel(result.id));
  button.addEventListener("click", () => openReport(index));
  actions.append(button);
  const n = reportsOf(result.id);
  if (n) actions.append(el("span", "reported-badge", t.reported(n)));
  meta.append(actions);

  row.append(meta, textCell(result, "fr"), textCell(result, "en"));
  row.addEventListener("focus", () => setActive(index, false));
  row.addEventListener("click", (event) => {
    if (!event.target.closest("button, a")) setActive(index, true);
  });
  return row;
}

function rows() {
  return [...rowsList.querySelectorAll(".review-row")];
}

function setActive(index, focus) {
  const all = rows();
  if (!all.length) return;
  state.active = Math.max(0, Math.min(all.length - 1, index));
  all.forEach((row, i) => {
    row.tabIndex = i === state.active ? 0 : -1;
    row.classList.toggle("active", i === state.active);
    row.querySelector(".report-button").tabIndex = i === state.active ? 0 : -1;
  });
  if (focus) {
    all[state.active].focus();
    all[state.active].scrollIntoView({ block: "nearest" });
  }
}

function renderUnits() {
  loadError.hidden = !state.failure;
  loadError.textContent = state.failure || "";
  const info = currentArticle();
  summary.textContent = info ? t.shown(state.units.length, info.units) : "";
  if (!state.units.length) {
    rowsList.replaceChildren(el("li", "review-empty muted", state.failure ? "" : t.noUnits));
    return;
  }
  state.active = Math.min(state.active, state.units.length - 1);
  rowsList.replaceChildren(...state.units.map(unitRow));
  setActive(state.active, false);
}

// -- reports ---------------------------------------------------------------------------------
function reportItem(report) {
  const item = el("li", "report-item");
  item.dataset.id = String(report.id);
  const head = el("p", "report-head");
  const when = new Date(report.created_at);
  const time = el("time", "muted", Number.isNaN(when.getTime()) ? report.created_at : when.toLocaleString(uiLang));
  time.dateTime = report.created_at;
  head.append(el("strong", "report-unit-id", report.unit_id), el("span", "reason-chip", t[`reason_${report.reason}`] || report.reason), time);
  item.append(head);
  if (report.comment) item.append(el("p", "report-comment", report.comment));
  item.append(el("p", "report-cite muted", report.citation[uiLang] || report.citation.fr));
  return item;
}

function renderReports() {
  if (!state.reports.length) {
    reportsList.replaceChildren(el("li", "muted report-empty", t.noReports));
    return;
  }
  reportsList.replaceChildren(...state.reports.map(reportItem));
}

function updateCount() {
  count.textContent = t.charsLeft(MAX_COMMENT - comment.value.length);
}

function openReport(index) {
  const result = state.units[index];
  if (!result) return;
  setActive(index, false);
  state.reportingRow = index;
  form.reset();
  formError.hidden = true;
  formError.textContent = "";
  document.getElementById("report-unit").textContent = `${result.id} — ${result.citation[uiLang] || result.citation.fr}`;
  updateCount();
  dialog.showModal();
  form.querySelector('input[name="reason"]').focus();
}

function closeReport() {
  if (dialog.open) dialog.close();
}

dialog.addEventListener("close", () => {
  if (state.reportingRow !== null) setActive(state.reportingRow, true);
  state.reportingRow = null;
});

document.getElementById("report-cancel").addEventListener("click", closeReport);
comment.addEventListener("input", updateCount);

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const result = state.units[state.reportingRow];
  const reason = form.querySelector('input[name="reason"]:checked');
  if (!reason) {
    formError.textContent = t.chooseReason;
    formError.hidden = false;
    form.querySelector('input[name="reason"]').focus();
    return;
  }
  if (reason.value === "other" && !comment.value.trim()) {
    formError.textContent = t.commentNeeded;
    formError.hidden = false;
    comment.focus();
    return;
  }
  submit.disabled = true;
  submit.textContent = t.sending;
  try {
    const report = await getJson("/align/reports", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ unit_id: result.id, reason: reason.value, comment: comment.value }),
    });
    state.reports.unshift(report);
    renderReports();
    closeReport();
    renderUnits();
    setActive(state.units.findIndex((u) => u.id === report.unit_id), true);
    announce(t.saved(report.unit_id));
  } catch (error) {
    formError.textContent = error.message;
    formError.hidden = false;
  } finally {
    submit.disabled = false;
    submit.textContent = t.send;
  }
});

// -- glossary --------------------------------------------------------------------------------
function renderGlossary() {
  if (!state.glossary.length) {
    const row = el("tr");
    const cell = el("td", "muted", t.noGlossary);
    cell.colSpan = 5;
    row.append(cell);
    glossaryRows.replaceChildren(row);
    return;
  }
  glossaryRows.replaceChildren(...state.glossary.map((entry) => {
    const row = el("tr", entry.consistent ? "" : "inconsistent");
    const fr = el("td", "term", entry.fr);
    fr.setAttribute("lang", "fr");
    const en = el("td", "term", entry.consistent ? entry.en : entry.renderings.join(" / "));
    en.setAttribute("lang", "en");
    const consistency = el("td");
    consistency.append(el("span", entry.consistent ? "flag none" : "flag warn",
      entry.consistent ? t.consistent : t.inconsistent));
    if (!entry.consistent) consistency.append(el("p", "term-detail", t.renderings(entry.renderings.join(" / "))));
    const kind = el("td", "", t.kinds[entry.kind] || entry.kind);
    kind.title = entry.origin;
    row.append(fr, en, kind, consistency, el("td", "units-cell", entry.units.join(", ")));
    return row;
  }));
}

// -- loading ---------------------------------------------------------------------------------
async function loadUnits() {
  rememberFilters();
  updateExports();
  try {
    state.units = await getJson(unitsUrl());
    state.failure = null;
  } catch (error) {
    state.units = [];
    state.failure = error.message;
  }
  renderUnits();
}

async function loadGlossary() {
  try {
    const query = state.article ? `?article=${encodeURIComponent(state.article)}` : "";
    state.glossary = await getJson(`/align/glossary${query}`);
  } catch {
    state.glossary = [];
  }
  renderGlossary();
}

async function loadReports() {
  try {
    state.reports = await getJson("/align/reports");
  } catch (error) {
    state.reports = [];
    reportsList.replaceChildren(el("li", "notice error", error.message));
    return;
  }
  renderReports();
}

function render() {
  t = { ...STRINGS[uiLang], ...REVIEW[uiLang] };
  applyStrings(t, uiLang);
  document.title = t.reviewPageTitle;
  renderFilters();
  renderUnits();
  renderReports();
  renderGlossary();
  updateCount();
}

articleSelect.addEventListener("change", async () => {
  state.article = articleSelect.value;
  state.flag = "";
  state.active = 0;
  renderFilters();
  await Promise.all([loadUnits(), loadGlossary()]);
});
flagSelect.addEventListener("change", () => {
  state.flag = flagSelect.value;
  state.active = 0;
  loadUnits();
});
reportedBox.addEventListener("change", () => {
  state.reported = reportedBox.checked;
  state.active = 0;
  loadUnits();
});

range.addEventListener("input", () => {
  state.below = Number(range.value);
  renderFilters();
});
range.addEventListener("change", () => {
  state.active = 0;
  loadUnits();
});
document.getElementById("filters").addEventListener("submit", (event) => event.preventDefault());

// j/k or arrows move between rows; Enter on a row opens its report form.
document.addEventListener("keydown", (event) => {
  if (dialog.open || event.altKey || event.ctrlKey || event.metaKey) return;
  const target = event.target instanceof Element ? event.target : null;
  if (target && target.closest("input, textarea, select, [contenteditable]")) return;
  const onRow = Boolean(target && target.classList.contains("review-row"));
  const inList = Boolean(target && target.closest("#rows"));
  const key = event.key;
  if (key === "j" || (inList && key === "ArrowDown")) {
    setActive(onRow || inList ? state.active + 1 : state.active, true);
  } else if (key === "k" || (inList && key === "ArrowUp")) {
    setActive(onRow || inList ? state.active - 1 : state.active, true);
  } else if (inList && key === "Home") {
    setActive(0, true);
  } else if (inList && key === "End") {
    setActive(state.units.length - 1, true);
  } else if (onRow && key === "Enter") {
    openReport(state.active);
  } else {
    return;
  }
  event.preventDefault();
});

async function start() {
  try {
    state.articles = await getJson("/align/articles");
  } catch (error) {
    state.failure = error.message;
  }
  if (!state.articles.some((a) => a.id === state.article)) {
    state.article = state.articles.length ? state.articles[0].id : "";
  }
  render();
  await Promise.all([state.failure ? null : loadUnits(), loadReports(), loadGlossary()]);
  document.body.classList.add("ready");
}

wireLanguageSwitch(uiLang, (lang) => {
  uiLang = lang;
  render();
});
start();

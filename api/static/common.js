// Shared by the chat and the article view: interface strings in both languages, the saved
// interface language, DOM helpers (text is only ever set with textContent), statute cards.

export const STRINGS = {
  fr: {
    // generic: GET /about replaces them with what the profile beside the sources says
    pageTitle: "Bilex — textes de loi en français et en anglais",
    articlePageTitle: "Bilex — article aligné",
    skip: "Aller à la question",
    tagline: "Les textes de loi en français et en anglais, alinéa par alinéa, avec citations exactes",
    uiLanguage: "Langue de l’interface · Interface language",
    forceLang: "Toujours répondre en français",
    forceHint: "Sinon, la langue de la question décide.",
    intro: "Posez une question sur les textes que Bilex sert. Bilex répond avec leurs alinéas, " +
      "en français et en anglais côte à côte, ou vous dit clairement que ses sources ne couvrent " +
      "pas la question.",
    examplesLabel: "Exemples",
    examples: [],
    questionLabel: "Votre question",
    placeholder: "Votre question, en français ou en anglais",
    keysHint: "Entrée pour envoyer · Maj+Entrée pour un retour à la ligne",
    ask: "Demander",
    asking: "Recherche…",
    answersLabel: "Réponses",
    you: "Votre question",
    answerIn: { fr: "Réponse en français", en: "Réponse en anglais" },
    law: "Texte de loi",
    commentary: "Commentaire, pas un texte de loi",
    places: { France: "France", Belgium: "Belgique", Canada: "Canada" },
    placeTitle: "Pays dont parle la source",
    frSide: "Français — texte faisant foi",
    enSide: "Traduction anglaise — le texte français fait foi",
    // other authorities (status.authentic): both texts are the law, or the English one is
    sideBoth: { fr: "Français — fait foi, comme l’anglais", en: "Anglais — fait foi, comme le français" },
    sideEnglishLaw: { fr: "Traduction française — le texte anglais fait foi", en: "Anglais — texte faisant foi" },
    sidePlain: { fr: "Français", en: "Anglais" },
    frCommentary: "Commentaire en français",
    enCommentary: "Commentaire en anglais",
    copy: "Copier la citation",
    copied: "Citation copiée",
    copyFailed: "Copie impossible : sélectionnez la citation à la main",
    confidence: "Confiance de l’alignement",
    noFlags: "aucune dérive détectée",
    driftLabel: "Signalements de dérive",
    fullArticle: "Voir l’article entier, aligné",
    notCovered: "Hors du champ des sources",
    results: (n) => (n === 1 ? "1 résultat" : `${n} résultats`),
    answered: (n) => `Réponse reçue : ${n === 1 ? "1 résultat" : `${n} résultats`}.`,
    refused: "Réponse reçue : les sources ne couvrent pas la question.",
    error: "La question n’a pas pu être traitée",
    network: "Le service ne répond pas. Réessayez dans un instant.",
    footer: "Bilex cite ses sources et ne rédige jamais de droit. Chaque fiche dit quel texte fait " +
      "foi. Ceci n’est pas un conseil juridique.",
    back: "← Retour aux questions",
    articleHeading: (id, law) => (law ? `Article ${frenchArticle(id)} du ${law}` : `Article ${frenchArticle(id)}`),
    actHeading: (id, law) => `${law} (${id})`,
    articleIntro: "Chaque alinéa en français à gauche, en anglais à droite ; chaque fiche dit quel texte fait foi.",
    section: (s) => `Section ${s}`,
    loading: "Chargement…",
    percent: (v) => `${v} %`,
    flags: {
      number_mismatch: "Les nombres diffèrent entre les deux versions",
      reference_mismatch: "Les renvois à d’autres articles diffèrent",
      term_inconsistent: "Un terme est traduit de plusieurs façons dans l’article",
      length_ratio: "Écart de longueur inhabituel entre les versions",
      unit_without_counterpart: "Alinéa sans équivalent dans l’autre langue",
      no_counterpart: "Alinéa sans équivalent dans l’autre langue",
      content_mismatch: "Le contenu peut différer entre les versions",
    },
    renderedAs: (term) => `« ${term} » est rendu par :`,
    inUnits: (ids) => `(${ids})`,
    heading: "Interroger les textes de loi, en français et en anglais",
    notInForce: "Texte qui n’est plus en vigueur",
    inForce: "Texte en vigueur",
    statusUnknown: "Statut du texte inconnu",
    since: (d) => `depuis le ${d}`,
    replacedBy: (x) => `Remplacé par ${x}`,
    statusOrigin: "Sources de cette information",
    authentic: (langs) => `Fait foi : ${langs}`,
    langNames: { fr: "français", en: "anglais" },
    highlightLabel: "Phrase qui répond",
    otherPassages: (n) => (n === 1 ? "Autre passage (1)" : `Autres passages (${n})`),
    translatorMode: "Mode traducteur (confiance de l’alignement, dérives)",
    copyLink: "Copier le lien",
    linkCopied: "Lien copié",
    copyQuote: "Copier la citation et le texte",
    quoteCopied: "Citation et texte copiés",
    notInSources: "pas dans les sources",
    newTab: "(s’ouvre dans un nouvel onglet)",
    related: "Passages liés",
    helpful: "Cette réponse vous a-t-elle aidé ?",
    yes: "Oui",
    no: "Non",
    thanks: "Merci pour votre avis.",
    feedbackFailed: "Votre avis n’a pas pu être enregistré.",
    suggestionsLabel: "Suggestions",
    tryInstead: "Essayez plutôt :",
    goElsewhere: "Pour ce sujet, voyez ailleurs :",
    counter: (n, max) => `${n} / ${max} caractères`,
    tooLong: (max) => `La question dépasse ${max} caractères : raccourcissez-la.`,
    badRequest: "La question n’a pas pu être lue : reformulez-la en français ou en anglais.",
    rateLimited: "Trop de questions d’affilée : attendez un instant puis réessayez.",
    busy: "Le service est occupé : réessayez dans un instant.",
    serverError: "Une erreur interne est survenue : réessayez, et signalez-la si elle persiste.",
    notFound: "Cet article n’est pas dans les sources de Bilex.",
    knownArticles: (ids) => `Articles disponibles : ${ids}`,
    followup: "Suite de la conversation",
    newConversation: "Nouvelle conversation",
    publishedBy: (p) => `Source : ${p}`,
    cardRef: (r) => actProvision(r, "fr")
      ? `${r.article}, ${actProvision(r, "fr")}`
      : `Art. ${frenchArticle(r.article || "")}, ${r.section || ""}, al. ${r.number ?? ""}`,
  },
  en: {
    pageTitle: "Bilex — the law in French and English",
    articlePageTitle: "Bilex — aligned article",
    skip: "Skip to the question",
    tagline: "The law in French and English, paragraph by paragraph, with exact citations",
    uiLanguage: "Interface language · Langue de l’interface",
    forceLang: "Always answer in English",
    forceHint: "Otherwise the question’s language decides.",
    intro: "Ask about the texts Bilex serves. Bilex answers with their paragraphs, French and " +
      "English side by side, or tells you plainly that its sources do not cover the question.",
    examplesLabel: "Examples",
    examples: [],
    questionLabel: "Your question",
    placeholder: "Your question, in French or English",
    keysHint: "Enter to send · Shift+Enter for a new line",
    ask: "Ask",
    asking: "Searching…",
    answersLabel: "Answers",
    you: "Your question",
    answerIn: { fr: "Answer in French", en: "Answer in English" },
    law: "Statute",
    commentary: "Commentary, not law",
    places: { France: "France", Belgium: "Belgium", Canada: "Canada" },
    placeTitle: "Country the source is about",
    frSide: "French — the authoritative text",
    enSide: "English translation — the French text prevails",
    sideBoth: { fr: "French — authoritative, as the English is", en: "English — authoritative, as the French is" },
    sideEnglishLaw: { fr: "French translation — the English text prevails", en: "English — the authoritative text" },
    sidePlain: { fr: "French", en: "English" },
    frCommentary: "Commentary in French",
    enCommentary: "Commentary in English",
    copy: "Copy citation",
    copied: "Citation copied",
    copyFailed: "Could not copy: select the citation by hand",
    confidence: "Alignment confidence",
    noFlags: "no drift detected",
    driftLabel: "Drift flags",
    fullArticle: "See the whole aligned article",
    notCovered: "Outside the sources",
    results: (n) => (n === 1 ? "1 result" : `${n} results`),
    answered: (n) => `Answer received: ${n === 1 ? "1 result" : `${n} results`}.`,
    refused: "Answer received: the sources do not cover the question.",
    error: "The question could not be handled",
    network: "The service is not answering. Try again in a moment.",
    footer: "Bilex cites its sources and never writes law of its own. Each card says which text " +
      "is the law. This is not legal advice.",
    back: "← Back to questions",
    articleHeading: (id, law) => (law ? `Article ${id} of the ${law}` : `Article ${id}`),
    actHeading: (id, law) => `${law} (${id})`,
    articleIntro: "Each paragraph in French on the left, in English on the right; each card says which text is the law.",
    section: (s) => `Section ${s}`,
    loading: "Loading…",
    percent: (v) => `${v}%`,
    flags: {
      number_mismatch: "Numbers differ between the two versions",
      reference_mismatch: "Cross-references to other articles differ",
      term_inconsistent: "A term is translated more than one way in the article",
      length_ratio: "Unusual length difference between the versions",
      unit_without_counterpart: "Paragraph with no counterpart in the other language",
      no_counterpart: "Paragraph with no counterpart in the other language",
      content_mismatch: "The content may differ between the versions",
    },
    renderedAs: (term) => `“${term}” is rendered as:`,
    inUnits: (ids) => `(${ids})`,
    heading: "Ask the law, in French and English",
    notInForce: "No longer in force",
    inForce: "In force",
    statusUnknown: "Status of the text unknown",
    since: (d) => `since ${d}`,
    replacedBy: (x) => `Replaced by ${x}`,
    statusOrigin: "Where this comes from",
    authentic: (langs) => `Authentic: ${langs}`,
    langNames: { fr: "French", en: "English" },
    highlightLabel: "Sentence that answers",
    otherPassages: (n) => (n === 1 ? "Other passage (1)" : `Other passages (${n})`),
    translatorMode: "Translator mode (alignment confidence, drift)",
    copyLink: "Copy link",
    linkCopied: "Link copied",
    copyQuote: "Copy citation and text",
    quoteCopied: "Citation and text copied",
    notInSources: "not in the sources",
    newTab: "(opens in a new tab)",
    related: "Related passages",
    helpful: "Did this answer help?",
    yes: "Yes",
    no: "No",
    thanks: "Thank you for your feedback.",
    feedbackFailed: "Your feedback could not be saved.",
    suggestionsLabel: "Suggestions",
    tryInstead: "Try instead:",
    goElsewhere: "For this subject, look elsewhere:",
    counter: (n, max) => `${n} / ${max} characters`,
    tooLong: (max) => `The question is longer than ${max} characters: shorten it.`,
    badRequest: "The question could not be read: rephrase it in French or English.",
    rateLimited: "Too many questions in a row: wait a moment and try again.",
    busy: "The service is busy: try again in a moment.",
    serverError: "An internal error occurred: try again, and report it if it persists.",
    notFound: "This article is not in Bilex’s sources.",
    knownArticles: (ids) => `Available articles: ${ids}`,
    followup: "Follow-up",
    newConversation: "New conversation",
    publishedBy: (p) => `Source: ${p}`,
    cardRef: (r) => actProvision(r, "en")
      ? `${r.article}, ${actProvision(r, "en")}`
      : `Article ${r.article || ""}, ${r.section || ""}, para. ${r.number ?? ""}`,
  },
};

export const MAX_CHARS = 2000;
const TRANSLATOR_KEY = "bilex.translator";

export function savedTranslator() {
  return stored(TRANSLATOR_KEY) === "1";
}

export function saveTranslator(on) {
  store(TRANSLATOR_KEY, on ? "1" : "0");
}

/** An error message in the interface language for an HTTP status (the server's own text is
 * English for the API's users; the page speaks the interface's language). */
export function errorMessage(t, status) {
  if (!status) return t.network;
  if (status === 413) return t.tooLong(MAX_CHARS);
  if (status === 404) return t.notFound;
  if (status === 429) return t.rateLimited;
  if (status === 503) return t.busy;
  if (status >= 400 && status < 500) return t.badRequest;
  return t.serverError;
}

const UI_KEY = "bilex.uiLang";
const FORCE_KEY = "bilex.forceLang";

function stored(key) {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null; // storage disabled: the choice lasts for the page only
  }
}

function store(key, value) {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    /* storage disabled */
  }
}

export function savedUiLang() {
  const saved = stored(UI_KEY);
  if (saved === "fr" || saved === "en") return saved;
  return (navigator.language || "fr").toLowerCase().startsWith("en") ? "en" : "fr";
}

export function saveUiLang(lang) {
  store(UI_KEY, lang);
}

export function savedForce() {
  return stored(FORCE_KEY) === "1";
}

export function saveForce(on) {
  store(FORCE_KEY, on ? "1" : "0");
}

/** An element with a class and text; text always goes through textContent. */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** Fill every [data-i18n] element of the page with the string of that name. */
export function applyStrings(t, lang) {
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll("[data-i18n]")) {
    const value = t[node.dataset.i18n];
    if (typeof value === "string") node.textContent = value;
  }
  for (const node of document.querySelectorAll("[data-i18n-placeholder]")) {
    node.setAttribute("placeholder", t[node.dataset.i18nPlaceholder]);
  }
  for (const node of document.querySelectorAll("[data-i18n-label]")) {
    node.setAttribute("aria-label", t[node.dataset.i18nLabel]);
  }
}

/** Wire the FR/EN switch (buttons with data-ui-lang) to `onChange(lang)`. */
export function wireLanguageSwitch(current, onChange) {
  const buttons = [...document.querySelectorAll("[data-ui-lang]")];
  const mark = (lang) => {
    for (const b of buttons) b.setAttribute("aria-pressed", String(b.dataset.uiLang === lang));
  };
  mark(current);
  for (const b of buttons) {
    b.addEventListener("click", () => {
      saveUiLang(b.dataset.uiLang);
      mark(b.dataset.uiLang);
      onChange(b.dataset.uiLang);
    });
  }
}

/** "L321-4-2" -> "L. 321-4-2" (the French spelling of article numbers). */
export function frenchArticle(id) {
  return String(id).replace(/^([LRD])\.?\s?(\d)/, "$1. $2");
}

/** A live status line for screen readers (and a visible toast for copy feedback). */
export function announce(text) {
  const status = document.getElementById("status");
  if (!status) return;
  status.textContent = "";
  window.setTimeout(() => {
    status.textContent = text;
  }, 30);
}

async function writeClipboard(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      /* fall through to the selection fallback */
    }
  }
  const area = el("textarea", "offscreen");
  area.value = text;
  area.setAttribute("readonly", "");
  area.setAttribute("aria-hidden", "true");
  document.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

/** A button that copies `getText()` and says so (in the button and to screen readers). */
export function toolButton(label, doneLabel, getText, className, ariaLabel) {
  const button = el("button", `tool ${className}`, label);
  button.type = "button";
  if (ariaLabel) button.setAttribute("aria-label", ariaLabel);
  button.addEventListener("click", async () => {
    const ok = await writeClipboard(getText());
    button.textContent = ok ? doneLabel : label;
    button.classList.toggle("done", ok);
    announce(ok ? doneLabel : label);
    window.setTimeout(() => {
      button.textContent = label;
      button.classList.remove("done");
    }, 2200);
  });
  return button;
}

/** A "copy citation" button for one citation. */
export function copyButton(t, citation, langName) {
  const button = el("button", "copy", t.copy);
  button.type = "button";
  button.setAttribute("aria-label", `${t.copy} (${langName}) — ${citation}`);
  button.dataset.citation = citation;
  button.addEventListener("click", async () => {
    const ok = await writeClipboard(citation);
    const message = ok ? t.copied : t.copyFailed;
    button.textContent = message;
    button.classList.toggle("done", ok);
    announce(message);
    window.setTimeout(() => {
      button.textContent = t.copy;
      button.classList.remove("done");
    }, 2200);
  });
  return button;
}

/** The confidence and drift flags of an aligned pair, in readable words. */
export function alignmentInfo(t, alignment) {
  const box = el("div", "alignment");
  const confidence = Number(alignment.confidence) || 0;
  const pct = Math.round(confidence * 100);
  const level = confidence >= 0.85 ? "high" : confidence >= 0.7 ? "medium" : "low";
  const meter = el("span", `confidence ${level}`);
  meter.append(el("span", "label", `${t.confidence} `), el("strong", "", t.percent(pct)));
  const bar = el("span", "bar");
  bar.setAttribute("aria-hidden", "true");
  const fill = el("span", `fill w${Math.max(0, Math.min(20, Math.round(pct / 5)))}`);
  bar.append(fill);
  meter.append(bar);
  box.append(meter);

  const flags = Array.isArray(alignment.flags) ? alignment.flags : [];
  if (flags.length === 0) {
    box.append(el("span", "flag none", t.noFlags));
    return box;
  }
  const list = el("ul", "flags");
  list.setAttribute("aria-label", t.driftLabel);
  for (const flag of flags) {
    const item = el("li", "flag warn", t.flags[flag] || flag.replaceAll("_", " "));
    item.dataset.flag = flag;
    list.append(item);
  }
  box.append(list);
  const terms = alignment.details && Array.isArray(alignment.details.terms) ? alignment.details.terms : [];
  for (const term of terms) {
    const detail = el("p", "term-detail", t.renderedAs(term.term));
    for (const [rendering, ids] of Object.entries(term.renderings || {})) {
      const short = (ids || []).map((id) => String(id).split(".").slice(1).join(".")).join(", ");
      detail.append(" ", el("q", "", rendering), " ", el("span", "muted", t.inUnits(short)));
    }
    box.append(detail);
  }
  return box;
}

/** The permalink of a result: its place in the whole article, or the question that found it. */
export function permalink(result, question) {
  const origin = window.location.origin;
  if (result.kind === "statute" && result.article) {
    return `${origin}/article.html?id=${encodeURIComponent(result.article)}#unit-${encodeURIComponent(result.id)}`;
  }
  return `${origin}/?q=${encodeURIComponent(question || "")}#unit-${encodeURIComponent(result.id)}`;
}

/** The citation to show and copy: the status's form for a former text ("anc. art."). */
export function citationOf(result, lang) {
  const status = result.status;
  if (status && status.citation && status.citation[lang]) return status.citation[lang];
  return result.citation ? result.citation[lang] : null;
}

const WEB_ADDRESS = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/g;

/** Nodes for plain `text`, a web address in it (a source pointing to where the law is read)
 * as a link that opens apart from the chat. */
function withAddresses(t, text) {
  const nodes = [];
  let cursor = 0;
  for (const match of text.matchAll(WEB_ADDRESS)) {
    if (match.index > cursor) nodes.push(document.createTextNode(text.slice(cursor, match.index)));
    const link = el("a", "external", match[0]);
    link.href = match[0];
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    link.append(el("span", "visually-hidden", ` ${t.newTab}`));
    nodes.push(link);
    cursor = match.index + match[0].length;
  }
  if (cursor < text.length) nodes.push(document.createTextNode(text.slice(cursor)));
  return nodes;
}

/** Text nodes for `text` with cross-references as links (or marked "not in the sources"),
 * and web addresses as links. */
function withReferences(t, text, offset, xrefs) {
  const nodes = [];
  let cursor = 0;
  for (const ref of xrefs || []) {
    const start = ref.start - offset;
    const end = ref.end - offset;
    if (start < cursor || end > text.length || start < 0) continue;
    if (start > cursor) nodes.push(...withAddresses(t, text.slice(cursor, start)));
    if (ref.article) {
      const link = el("a", "xref", text.slice(start, end));
      const anchor = ref.unit ? `#unit-${encodeURIComponent(ref.unit)}` : "";
      link.href = `/article.html?id=${encodeURIComponent(ref.article)}${anchor}`;
      nodes.push(link);
    } else {
      const missing = el("span", "xref missing", text.slice(start, end));
      missing.append(el("span", "xref-note", ` (${t.notInSources})`));
      nodes.push(missing);
    }
    cursor = end;
  }
  if (cursor < text.length) nodes.push(...withAddresses(t, text.slice(cursor)));
  return nodes;
}

/** The paragraphs of a side's text, the answering sentence marked, references linked. */
export function legalText(t, text, span, xrefs) {
  const body = el("div", "legal-text");
  let offset = 0;
  for (const paragraph of String(text).split("\n")) {
    const p = el("p", "");
    const start = offset;
    const end = offset + paragraph.length;
    const refsHere = (xrefs || []).filter((r) => r.start >= start && r.end <= end);
    if (span && span[0] < end && span[1] > start) {
      const a = Math.max(span[0], start) - start;
      const b = Math.min(span[1], end) - start;
      const inside = refsHere.filter((r) => r.start - start >= a && r.end - start <= b);
      const before = refsHere.filter((r) => r.end - start <= a);
      const after = refsHere.filter((r) => r.start - start >= b);
      p.append(...withReferences(t, paragraph.slice(0, a), start, before));
      const mark = el("mark", "answer");
      mark.append(...withReferences(t, paragraph.slice(a, b), start + a, inside));
      p.append(mark);
      p.append(...withReferences(t, paragraph.slice(b), start + b, after));
    } else {
      p.append(...withReferences(t, paragraph, start, refsHere));
    }
    body.append(p);
    offset = end + 1;
  }
  return body;
}

/** One side (fr or en) of a result: heading, text, citation with its copy buttons. */
/** STRINGS with what GET /about says of the sources (the profile's `[about]`), per language:
 * the page's title, tagline, introduction, the question box's example and example chips. */
export async function loadAbout() {
  try {
    const response = await fetch("/about");
    if (!response.ok) return;
    const about = await response.json();
    const names = { title: "pageTitle", tagline: "tagline", intro: "intro", placeholder: "placeholder" };
    for (const lang of Object.keys(STRINGS)) {
      for (const [field, key] of Object.entries(names)) {
        if (about[field] && about[field][lang]) STRINGS[lang][key] = about[field][lang];
      }
      if (about.examples && about.examples[lang]) STRINGS[lang].examples = about.examples[lang];
    }
  } catch {
    // the generic texts stay
  }
}

/** What a statute side is, by the languages its source makes legally authentic
 * (`status.authentic`): French law with an English translation, English law with a French
 * one, or both the law; plain language names when the source does not say (none is assumed). */
export function sideLabel(t, result, lang) {
  const authentic = new Set((result.status && result.status.authentic) || []);
  if (authentic.has("fr") && authentic.has("en")) return t.sideBoth[lang];
  if (authentic.has("fr")) return lang === "fr" ? t.frSide : t.enSide;
  if (authentic.has("en")) return t.sideEnglishLaw[lang];
  return t.sidePlain[lang];
}

/** The law an article's units belong to, from their citation ("Code du travail, art. ...":
 * "Code du travail"), and whether the id names an article of that law (the citation goes on
 * with "art." / "Article") rather than a whole act ("Widget Act, S.C. 1999, c. 9, s. 3"). */
export function lawOf(result, lang) {
  const citation = (result && result.citation && result.citation[lang]) || "";
  const [law, next] = citation.split(",").map((part) => part.trim());
  return { law: law || "", article: /^(?:anc\.\s+)?(?:art\.|article|former article)/i.test(next || "") };
}

/** For a unit of a whole act ("Widget Act, S.C. 1999, c. 9, s. 3(2), marginal note"), its
 * provision as the citation gives it ("s. 3(2), marginal note"); null for an article of a
 * code, whose card names its alinéa. */
export function actProvision(result, lang) {
  const { law, article } = lawOf(result, lang);
  if (!law || article) return null;
  const parts = result.citation[lang].split(",").map((part) => part.trim());
  const at = parts.findIndex((part, i) => i > 0 && /^(?:arts?|ss?)\.\s|^(?:sections?|articles?)\s/i.test(part));
  if (at > 0) return parts.slice(at).join(", ");
  return parts.length > 1 ? parts[parts.length - 1] : null;
}

export function sideBlock(t, result, lang, headingText, question) {
  const side = result[lang];
  const block = el("section", `side side-${lang}`);
  block.setAttribute("lang", lang);
  const heading = el("h4", "side-label", headingText);
  heading.setAttribute("lang", document.documentElement.lang);
  block.append(heading);
  const span = result.highlight ? result.highlight[lang] : null;
  const xrefs = result.xrefs ? result.xrefs[lang] : null;
  block.append(legalText(t, side.text, span, xrefs));
  const citation = citationOf(result, lang);
  if (citation) {
    const foot = el("div", "cite-row");
    foot.append(el("cite", "citation", citation), copyButton(t, citation, lang.toUpperCase()));
    const tools = el("div", "tools");
    tools.setAttribute("lang", document.documentElement.lang);
    tools.append(
      toolButton(t.copyQuote, t.quoteCopied, () => `« ${side.text} » (${citation})`, "copy-quote",
        `${t.copyQuote} (${lang.toUpperCase()})`),
      toolButton(t.copyLink, t.linkCopied, () => permalink(result, question), "copy-link",
        `${t.copyLink} (${lang.toUpperCase()})`),
    );
    foot.append(tools);
    block.append(foot);
  }
  return block;
}

function joinLangs(t, langs) {
  return (langs || []).map((l) => t.langNames[l] || l).join(", ");
}

/** The status of a statute text as a banner: in force or not, since when, what replaced it. */
export function statusBanner(t, status, uiLang) {
  if (!status) return null;
  const state = status.in_force === false ? "repealed" : status.in_force === true ? "in-force" : "unknown";
  const box = el("div", `status-banner ${state}`);
  const title = status.in_force === false ? t.notInForce : status.in_force === true ? t.inForce : t.statusUnknown;
  const head = el("p", "status-title");
  head.append(el("strong", "", title));
  if (status.since) head.append(" ", el("span", "", `(${t.since(status.since)})`));
  box.append(head);
  const note = status.note && (status.note[uiLang] || status.note.fr || status.note.en);
  if (note) box.append(el("p", "status-note", note));
  if (status.authentic && status.authentic.length) {
    box.append(el("p", "status-authentic", t.authentic(joinLangs(t, status.authentic))));
  }
  if (status.origin) {
    const more = el("details", "status-origin");
    more.append(el("summary", "", t.statusOrigin), el("p", "", status.origin));
    box.append(more);
  }
  return box;
}

function relatedList(t, result) {
  const items = Array.isArray(result.related) ? result.related : [];
  if (!items.length) return null;
  const box = el("details", "related");
  box.append(el("summary", "", t.related));
  const list = el("ul", "");
  const lang = document.documentElement.lang;
  for (const item of items) {
    const label = (item.citation && (item.citation[lang] || item.citation.fr || item.citation.en)) || item.id;
    const li = el("li", "");
    const link = el("a", "", label);
    if (item.kind === "statute") {
      const article = String(item.id).split(".")[0];
      link.href = `/article.html?id=${encodeURIComponent(article)}#unit-${encodeURIComponent(item.id)}`;
    } else {
      link.href = `/?q=${encodeURIComponent(label)}`;
    }
    li.append(link);
    list.append(li);
  }
  box.append(list);
  return box;
}

/** A statute unit: the reader's language first, alignment details for translators. */
export function statuteCard(t, result, { articleLink = true, headingLevel = "h3", first = "fr", question = "" } = {}) {
  const card = el("article", "card statute");
  card.id = `unit-${result.id}`;
  card.dataset.id = result.id;
  const head = el("header", "card-head");
  head.append(el("span", "badge law", t.law));
  if (result.status && result.status.in_force === false) {
    head.append(el("span", "badge repealed", t.notInForce));
  }
  head.append(el(headingLevel, "card-title", t.cardRef(result)));
  card.append(head);
  const pair = el("div", `pair first-${first}`);
  const order = first === "en" ? ["en", "fr"] : ["fr", "en"];
  for (const lang of order) {
    if (result[lang]) pair.append(sideBlock(t, result, lang, sideLabel(t, result, lang), question));
  }
  card.append(pair);
  const foot = el("footer", "card-foot");
  if (result.alignment) {
    const details = alignmentInfo(t, result.alignment);
    details.classList.add("translator-only");
    foot.append(details);
  }
  const related = relatedList(t, result);
  if (related) foot.append(related);
  if (articleLink && result.article) {
    const link = el("a", "article-link", t.fullArticle);
    link.href = `/article.html?id=${encodeURIComponent(result.article)}#unit-${encodeURIComponent(result.id)}`;
    foot.append(link);
  }
  card.append(foot);
  return card;
}

/** A commentary passage: one side, clearly marked as not law, cited by publisher and title. */
export function commentaryCard(t, result, { question = "" } = {}) {
  const card = el("article", "card commentary");
  card.id = `unit-${result.id}`;
  card.dataset.id = result.id;
  const lang = result.fr ? "fr" : "en";
  const head = el("header", "card-head");
  head.append(el("span", "badge note", t.commentary));
  if (result.jurisdiction && t.places[result.jurisdiction]) {
    const place = el("span", "badge place", t.places[result.jurisdiction]);
    place.title = t.placeTitle;
    head.append(place);
  }
  head.append(el("h3", "card-title", result.heading || result.title || ""));
  card.append(head);
  card.append(sideBlock(t, result, lang, lang === "fr" ? t.frCommentary : t.enCommentary, question));
  const related = relatedList(t, result);
  if (related) {
    const foot = el("footer", "card-foot");
    foot.append(related);
    card.append(foot);
  }
  return card;
}

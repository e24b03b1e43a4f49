// The whole article, aligned: GET /articles/{id}, each alinéa French left and English right.
import {
  STRINGS,
  applyStrings,
  el,
  errorMessage,
  lawOf,
  savedUiLang,
  statusBanner,
  statuteCard,
  wireLanguageSwitch,
} from "./common.js";

const params = new URLSearchParams(window.location.search);
const articleId = params.get("id") || "L321-4-2";
const title = document.getElementById("article-title");
const units = document.getElementById("units");

let uiLang = savedUiLang();
let results = null;
let failure = null; // the HTTP status of a failed load (0: no answer)
const banner = document.getElementById("status-banner");

function render() {
  const t = STRINGS[uiLang];
  applyStrings(t, uiLang);
  document.title = `${t.articlePageTitle} ${articleId}`;
  const { law, article } = lawOf(results && results.length ? results[0] : null, uiLang);
  title.textContent = law && !article ? t.actHeading(articleId, law) : t.articleHeading(articleId, law);
  banner.replaceChildren();
  if (failure !== null) {
    const alert = el("div", "notice error", errorMessage(t, failure));
    alert.setAttribute("role", "alert");
    units.replaceChildren(alert);
    return;
  }
  if (!results) {
    units.replaceChildren(el("p", "muted", t.loading));
    return;
  }
  const status = results.length ? results[0].status : null;
  const shown = statusBanner(t, status, uiLang);
  if (shown) banner.append(shown);
  const nodes = [];
  let section = null;
  for (const result of results) {
    if (result.section && result.section !== section) {
      section = result.section;
      nodes.push(el("h2", "section-heading", t.section(section)));
    }
    nodes.push(statuteCard(t, result, { articleLink: false, headingLevel: "h3", first: uiLang }));
  }
  units.replaceChildren(...nodes);
  const target = window.location.hash ? document.getElementById(decodeURIComponent(window.location.hash.slice(1))) : null;
  if (target) {
    target.classList.add("target");
    target.scrollIntoView({ block: "start" });
  }
}

async function load() {
  try {
    const response = await fetch(`/articles/${encodeURIComponent(articleId)}`, {
      headers: { Accept: "application/json" },
    });
    const body = await response.json().catch(() => null);
    if (response.ok && Array.isArray(body)) results = body;
    else failure = response.status;
  } catch {
    failure = 0;
  }
  render();
}

wireLanguageSwitch(uiLang, (lang) => {
  uiLang = lang;
  render();
});
document.body.classList.add("translator"); // the whole article is the translators' view
render();
load().then(() => document.body.classList.add("ready"));

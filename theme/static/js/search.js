// The search page: searches, in the browser, the static index that search.py writes (its format
// is the docstring of plugins/gazette/searchindex.py). A module file, not inline script, so the
// Content-Security-Policy can forbid inline code; browsers without modules keep the no-JS page.
// The query, order and filters live in the address, so a search can be shared or bookmarked.

const PAGE = 10; // results shown at a time
const TOP_TOPICS = 15; // a large site has thousands of topics: list the most frequent first
const GROUPS = ["section", "place", "topic"];
const FAILED = "Search could not load. Please try again.";
const has = (object, key) => Object.prototype.hasOwnProperty.call(object, key); // "constructor"

/** A text's index terms, repeats kept: searchindex.terms_of, step for step. */
export function termsOf(text, minLength, stopwords) {
  const normal = text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  const terms = [];
  for (let word of normal.match(/[\p{L}\p{N}]+/gu) || []) {
    const length = [...word].length; // in code points, as Python counts
    if (length < minLength || stopwords.has(word)) continue;
    if (length > 3 && word.endsWith("s") && !/(ss|us|is)$/.test(word)) word = word.slice(0, -1);
    terms.push(word);
  }
  return terms;
}

// Python sorted the terms by code point; JS's < compares UTF-16 units, which differ past U+FFFF.
function compare(a, b) {
  for (let i = 0; i < a.length && i < b.length; i++) {
    if (a[i] !== b[i]) return a.codePointAt(i) - b.codePointAt(i);
  }
  return a.length - b.length;
}

// The term chunk that would hold a word: the last whose first term is <= it (-1: none).
function chunkFor(terms, word) {
  let low = 0;
  let high = terms.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (compare(terms[middle][0], word) <= 0) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

// Postings are [id, weight, gap, weight, ...]; keep each story's best weight for the word.
function addPostings(found, postings, share) {
  let id = 0;
  for (let k = 0; k < postings.length; k += 2) {
    id += postings[k];
    const weight = postings[k + 1] * share;
    if (!(found.get(id) >= weight)) found.set(id, weight);
  }
}

function element(name, className, text) {
  const made = document.createElement(name);
  if (className) made.className = className;
  if (text !== undefined) made.textContent = text; // text, never markup
  return made;
}

function start(root) {
  const $ = (selector) => root.querySelector(selector);
  const [form, box, status, ui, order, list, more, allTopics] = [".search-form", "#search-q",
    ".search-status", ".search-ui", "#search-order", ".search-results", ".search-more",
    ".search-all"].map($);
  const groups = GROUPS.map((group) => $(`details[data-group="${group}"]`));
  const indexUrl = new URL(root.dataset.index, location.href);
  const siteUrl = new URL(root.dataset.site, location.href);
  const params = new URLSearchParams(location.search);
  const state = {
    query: params.get("q") || "",
    order: params.get("order") === "newest" ? "newest" : "",
    chosen: Object.fromEntries(GROUPS.map((g) => [g, new Set(params.getAll(g).filter(Boolean))])),
    hits: [], // every story with all the words, [{id, score}]: the filters count these
    results: [], // the hits that pass the filters, in order
    words: [], // the query's terms, for <mark>
    shown: 0,
    allTopics: false,
  };
  const files = new Map(); // file name -> promise of its JSON: each is fetched once
  let manifest = null;
  let stopwords = new Set();
  let valuesOf = null; // promise of {group: story id -> its values}, on the first search
  let latest = 0; // the newest search: answers to older ones are dropped
  let timer = 0;
  let paging = false; // a "Load more results" under way

  function load(name, options) {
    if (!files.has(name)) {
      const got = fetch(new URL(name, indexUrl), options).then((response) => {
        if (!response.ok) throw new Error(`${response.status} ${name}`);
        return response.json();
      });
      got.catch(() => files.delete(name)); // so the next search tries again
      files.set(name, got);
    }
    return files.get(name);
  }

  function loadFilters() {
    valuesOf = valuesOf || load(manifest.filters).then((filters) => {
      const byStory = {};
      for (const group of GROUPS) {
        byStory[group] = Array.from({ length: manifest.stories }, () => []);
        for (const [value, gaps] of Object.entries(filters[group] || {})) {
          let id = 0;
          for (const gap of gaps) byStory[group][(id += gap)].push(value);
        }
      }
      return byStory;
    });
    valuesOf.catch(() => (valuesOf = null));
    return valuesOf;
  }

  // Story id -> weight for one query word. The word being typed (the last) also matches the
  // longer terms it starts, at half weight: they sit in its chunk and any that follow.
  async function matches(word, typing) {
    const terms = manifest.terms;
    const first = chunkFor(terms, word);
    let last = first;
    while (typing && last + 1 < terms.length && terms[last + 1][0].startsWith(word)) last++;
    const names = terms.slice(Math.max(first, 0), last + 1).map((entry) => entry[1]);
    const found = new Map();
    for (const chunk of await Promise.all(names.map((name) => load(name)))) {
      if (has(chunk, word)) addPostings(found, chunk[word], 1);
      if (!typing) continue;
      for (const term in chunk) {
        if (term !== word && term.startsWith(word)) addPostings(found, chunk[term], 0.5);
      }
    }
    return found;
  }

  // Stories with every word, scored by the sum of their best weights.
  async function find(words) {
    const typing = words[words.length - 1];
    const maps = await Promise.all([...new Set(words)].map((w) => matches(w, w === typing)));
    maps.sort((a, b) => a.size - b.size); // walk the shortest
    const hits = [];
    for (const [id, weight] of maps.length ? maps[0] : []) {
      const scores = maps.slice(1).map((map) => map.get(id));
      if (scores.includes(undefined)) continue;
      hits.push({ id, score: scores.reduce((sum, score) => sum + score, weight) });
    }
    return hits;
  }

  // Values OR within a group, AND across groups; `except` leaves a group out, for its counts.
  function passes(id, byStory, except) {
    return GROUPS.every((group) => group === except || !state.chosen[group].size
      || byStory[group][id].some((value) => state.chosen[group].has(value)));
  }

  async function search() {
    if (!manifest) return; // the manifest's arrival searches the box's words
    const ticket = ++latest;
    const text = state.query.trim().replace(/\s+/g, " ");
    try {
      const words = termsOf(text, manifest.min_length, stopwords);
      const filters = text ? loadFilters() : Promise.resolve(null);
      const hits = text ? await find(words) : [];
      // The filters' file is the largest: wait for it before the results only when it is needed.
      let byStory = GROUPS.some((group) => state.chosen[group].size) ? await filters : null;
      const newest = state.order === "newest";
      const results = hits.filter((hit) => passes(hit.id, byStory))
        .sort((a, b) => (newest ? 0 : b.score - a.score) || a.id - b.id);
      const cards = await renderCards(results.slice(0, PAGE), words);
      if (ticket !== latest) return;
      Object.assign(state, { hits, results, words, shown: cards.length });
      list.replaceChildren(...cards);
      more.hidden = state.shown >= results.length;
      const n = results.length;
      status.textContent = text && `${n || "No"} result${n === 1 ? "" : "s"} for ${text}`;
      byStory = byStory || (await filters);
      if (ticket === latest) renderFilters(byStory);
    } catch (error) {
      if (ticket === latest) status.textContent = FAILED;
    }
  }

  async function showMore() {
    if (paging) return; // one page at a time, so they arrive in order
    paging = true;
    const ticket = latest;
    try {
      const next = state.results.slice(state.shown, state.shown + PAGE);
      const cards = await renderCards(next, state.words);
      if (ticket !== latest || !cards.length) return;
      list.append(...cards);
      state.shown += cards.length;
      more.hidden = state.shown >= state.results.length;
      cards[0].querySelector("a").focus(); // on to the new results, not back to the top
    } catch (error) {
      status.textContent = FAILED;
    } finally {
      paging = false;
    }
  }

  // Cards for some results: their docs chunks are fetched, and only theirs.
  async function renderCards(results, words) {
    const per = manifest.docs_per_chunk;
    const ids = results.map((hit) => hit.id);
    const chunks = await Promise.all(ids.map((id) => load(manifest.docs[Math.floor(id / per)])));
    return ids.map((id, k) => card(chunks[k][id % per], new Set(words), words[words.length - 1]));
  }

  function card(doc, words, typing) {
    const heading = element("h2", "headline");
    heading.append(Object.assign(element("a", "", doc.title), { href: new URL(doc.url, siteUrl) }));
    const summary = element("p", "summary");
    summary.append(...marked(doc.summary, words, typing));
    const tags = element("ul", "search-tags");
    tags.append(element("li", "", `Section: ${doc.section}`));
    if (doc.place) tags.append(element("li", "", `Place: ${doc.place}`));
    const date = Object.assign(element("time", "", doc.date_text), { dateTime: doc.date });
    tags.append(element("li", "", "Date: "));
    tags.lastChild.append(date);
    const item = element("li", "card search-result");
    item.append(heading, summary, tags);
    return item;
  }

  // The summary as text and <mark>s: the words whose terms the query's words find.
  function marked(text, words, typing) {
    const parts = [];
    let at = 0;
    for (const run of text.matchAll(/[\p{L}\p{N}\p{M}]+/gu)) {
      const terms = termsOf(run[0], manifest.min_length, stopwords);
      if (!terms.some((term) => words.has(term) || term.startsWith(typing))) continue;
      parts.push(text.slice(at, run.index), element("mark", "", run[0]));
      at = run.index + run[0].length;
    }
    parts.push(text.slice(at));
    return parts;
  }

  // Each group's values among the hits that pass the other groups' filters, with counts.
  function renderFilters(byStory) {
    const focused = document.activeElement;
    const refocus = focused.type === "checkbox" && focused.closest(".search-filters") && focused;
    groups.forEach((details, g) => {
      const group = GROUPS[g];
      const chosen = state.chosen[group];
      const counts = new Map();
      for (const hit of byStory ? state.hits : []) {
        if (!passes(hit.id, byStory, group)) continue;
        for (const value of byStory[group][hit.id]) counts.set(value, (counts.get(value) || 0) + 1);
      }
      const count = (value) => counts.get(value) || 0;
      const values = [...new Set([...counts.keys(), ...(byStory ? chosen : [])])]
        .sort((a, b) => count(b) - count(a) || a.localeCompare(b));
      const all = group !== "topic" || state.allTopics;
      const listed = values.filter((value, i) => all || i < TOP_TOPICS || chosen.has(value));
      details.querySelector("ul").replaceChildren(...listed.map((v) => option(group, v, count(v))));
      details.hidden = !values.length;
      if (group !== "topic") return;
      allTopics.hidden = values.length <= TOP_TOPICS;
      allTopics.setAttribute("aria-expanded", String(state.allTopics));
      allTopics.textContent = state.allTopics ? "Show fewer topics" : "Show all topics";
    });
    // The lists were rebuilt: give focus back to the box just ticked, or else its group.
    if (refocus && !refocus.isConnected) {
      const again = [...root.querySelectorAll(`input[name="${refocus.name}"]`)]
        .find((input) => input.value === refocus.value);
      (again || $(`details[data-group="${refocus.name}"] summary`)).focus();
    }
  }

  function option(group, value, count) {
    const checked = state.chosen[group].has(value);
    const input = Object.assign(element("input"), { type: "checkbox", name: group, value });
    input.checked = checked;
    const text = element("span", "", `${value} `); // the label reads "World (5)"
    text.append(element("span", "count", `(${count})`));
    const label = element("label");
    label.append(input, text);
    const item = element("li");
    item.append(label);
    return item;
  }

  function keepInAddress() {
    const next = new URLSearchParams();
    if (state.query.trim()) next.set("q", state.query.trim());
    if (state.order) next.set("order", state.order);
    for (const group of GROUPS) for (const value of state.chosen[group]) next.append(group, value);
    const query = next.toString();
    history.replaceState(null, "", location.pathname + (query ? `?${query}` : ""));
  }

  function refresh() {
    keepInAddress(); // first, so the address always holds what the page shows
    search();
  }

  function changed() {
    clearTimeout(timer);
    state.query = box.value;
    refresh();
  }

  box.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(changed, 150); // search as you type, once typing pauses
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault(); // already on the search page: search without reloading it
    changed();
  });
  order.addEventListener("change", () => {
    state.order = order.value;
    refresh();
  });
  $(".search-filters").addEventListener("change", (event) => {
    const input = event.target;
    if (input.type !== "checkbox") return;
    state.chosen[input.name][input.checked ? "add" : "delete"](input.value);
    refresh();
  });
  allTopics.addEventListener("click", () => {
    state.allTopics = !state.allTopics;
    loadFilters().then(renderFilters);
  });
  more.addEventListener("click", showMore);

  box.value = state.query;
  order.value = state.order;
  groups.forEach((details, g) => (details.open = state.chosen[GROUPS[g]].size > 0));
  $(".search-fallback").hidden = true; // JavaScript is on: no word of it until the index answers
  if (!state.query) box.focus();
  load("manifest.json", { cache: "no-cache" }) // the one file whose name never changes
    .then((got) => {
      if (got.version !== 1) throw new Error(`search index version ${got.version}`);
      manifest = got;
      stopwords = new Set(got.stopwords);
      ui.hidden = false;
      state.query = box.value; // the words typed while it loaded, if any
      search();
    })
    .catch(() => {
      form.hidden = ui.hidden = true; // a box that cannot search would only mislead
      $(".search-nojs").hidden = true;
      $(".search-missing").hidden = false;
      $(".search-fallback").hidden = false;
    });
}

const page = document.getElementById("search");
if (page) start(page);

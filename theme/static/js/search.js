// The search page: searches, in the browser, the static index that search.py writes (its format
// is the docstring of plugins/gazette/outputs/searchindex.py). A module file, not inline script,
// so the Content-Security-Policy can forbid inline code; browsers without modules keep the no-JS
// page. The query, order and filters live in the address, so a search can be shared or bookmarked.
//
// What a query means: every word must match (its index term, or for a misspelt word its nearest
// terms); the last word, being typed, is also a prefix and matches its most frequent completions,
// each weighted by how common it is; a one- or two-letter last word completes from the
// vocabulary of its letter. Only the files a query needs are fetched: the manifest, the term
// chunks of its words, the cards shown; a filter's file when its group is opened.

const PAGE = 10; // results shown at a time
const TOP_TOPICS = 15; // a large site has thousands of topics: list the most frequent first
const GROUPS = ["section", "place", "topic"];
const FAILED = "Search could not load. Please try again.";
export const COMPLETIONS = 5; // the last word's most frequent completions searched
const SHORT = 3; // a shorter prefix completes from its letter's vocabulary, not term chunks
const SPAN = 2; // nor a prefix whose completions run over more term chunks than this
const TYPO_LENGTH = 4; // shorter words are never corrected: too many words are one edit away
const RARE = 2; // a word in this few stories is checked for a far more common near spelling
const RARE_LENGTH = 6; // if it is this long: a short rare word is more often a name than a typo
const RARE_RATIO = 100; // and a spelling one edit away is in this many times as many stories
const has = (object, key) => Object.prototype.hasOwnProperty.call(object, key); // "constructor"

/** The words of a text, normalised as searchindex.normalise does, before stop words. */
export function wordsOf(text) {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
}

/** A word's index term, "" for a word the index leaves out: searchindex.term_of. */
export function termOf(word, minLength, stopwords) {
  const length = [...word].length; // in code points, as Python counts
  if (length < minLength || stopwords.has(word)) return "";
  if (length > 3 && word.endsWith("s") && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** A text's index terms, repeats kept: searchindex.terms_of, step for step. */
export function termsOf(text, minLength, stopwords) {
  return wordsOf(text).map((word) => termOf(word, minLength, stopwords)).filter(Boolean);
}

/** The query's words: [{typed, term, prefix}]. The last is a prefix; a last word the index
 * leaves out (one letter, a stop word) is searched as a prefix when nothing else is left. */
export function parse(text, minLength, stopwords) {
  const raw = wordsOf(text);
  const words = [];
  raw.forEach((typed, i) => {
    const term = termOf(typed, minLength, stopwords);
    const prefix = i === raw.length - 1;
    if (term || (prefix && (!words.length || !stopwords.has(typed)))) {
      words.push({ typed, term, prefix });
    }
  });
  const seen = new Set(); // a repeated word counts once
  return words.filter((w) => !seen.has(`${w.prefix} ${w.term || w.typed}`)
    && seen.add(`${w.prefix} ${w.term || w.typed}`));
}

/** Optimal-string-alignment edit distance (a swap of neighbours is one edit), or with
 * ``prefix`` the least distance to any beginning of ``b``; ``max + 1`` once it exceeds ``max``. */
export function distance(a, b, max, prefix) {
  a = [...a];
  b = [...b];
  if (!prefix && Math.abs(a.length - b.length) > max) return max + 1;
  let before = null;
  let above = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let least = i;
    for (let j = 1; j <= b.length; j++) {
      let cost = Math.min(above[j] + 1, row[j - 1] + 1, above[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        cost = Math.min(cost, before[j - 2] + 1);
      }
      row.push(cost);
      least = Math.min(least, cost);
    }
    if (least > max) return max + 1;
    [before, above] = [above, row];
  }
  return Math.min(prefix ? Math.min(...above) : above[b.length], max + 1);
}

/** How many edits a word of this many letters may be from the word meant. */
export function allowedEdits(word) {
  const length = [...word].length;
  return length < TYPO_LENGTH ? 0 : length < 8 ? 1 : 2;
}

// Python sorted the terms by code point; JS's < compares UTF-16 units, which differ past U+FFFF.
function compare(a, b) {
  for (let i = 0; i < a.length && i < b.length; i++) {
    if (a[i] !== b[i]) return a.codePointAt(i) - b.codePointAt(i);
  }
  return a.length - b.length;
}

// The chunk that would hold a word: the last whose first entry is <= it (-1: none).
function chunkFor(firsts, word) {
  let low = 0;
  let high = firsts.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (compare(firsts[middle], word) <= 0) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

// The most frequent of [term, stories] first; ties in term order.
const byFrequency = (a, b) => b[1] - a[1] || compare(a[0], b[0]);

function element(name, className, text) {
  const made = document.createElement(name);
  if (className) made.className = className;
  if (text !== undefined) made.textContent = text; // text, never markup
  return made;
}

function start(root) {
  const $ = (selector) => root.querySelector(selector);
  const [form, box, status, suggest, ui, order, list, more, allTopics] = [".search-form",
    "#search-q", ".search-status", ".search-suggest", ".search-ui", "#search-order",
    ".search-results", ".search-more", ".search-all"].map($);
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
    terms: new Set(), // the index terms the query matched, for <mark>
    shown: 0,
    allTopics: false,
  };
  const files = new Map(); // file name -> promise of its JSON: each is fetched once
  const filters = {}; // group -> promise of story id -> its values, once its group is opened
  let manifest = null;
  let stopwords = new Set();
  let latest = 0; // the newest search: answers to older ones are dropped
  let timer = 0;
  let paging = false; // a "Load more results" under way

  function load(name, options) {
    if (!files.has(name)) {
      const url = new URL(name === "manifest.json" ? name : `${name}?v=${manifest.key}`, indexUrl);
      const got = fetch(url, options).then((response) => {
        if (!response.ok) throw new Error(`${response.status} ${name}`);
        return response.json();
      });
      got.catch(() => files.delete(name)); // so the next search tries again
      files.set(name, got);
    }
    return files.get(name);
  }

  // A term's postings ([id, weight, gap, weight, ...]), or undefined.
  async function postingsOf(term) {
    const k = chunkFor(manifest.terms, term);
    if (k < 0) return undefined;
    const chunk = await load(`t${k}.json`);
    return has(chunk, term) ? chunk[term] : undefined;
  }

  // {term: stories} of the terms whose first character is the word's.
  async function vocabulary(word) {
    const k = chunkFor(manifest.words, String.fromCodePoint(word.codePointAt(0)));
    return k < 0 ? {} : load(`w${k}.json`);
  }

  // [[term, stories]] of the terms a prefix begins, but the prefix itself: from the term chunks
  // when they are one or two, else from the vocabulary of its letter.
  async function completionsOf(prefix) {
    const found = [];
    const first = Math.max(chunkFor(manifest.terms, prefix), 0);
    let last = first;
    while (last + 1 < manifest.terms.length && manifest.terms[last + 1].startsWith(prefix)) last++;
    if ([...prefix].length >= SHORT && last - first < SPAN) {
      for (let k = first; k <= last; k++) {
        const chunk = await load(`t${k}.json`);
        for (const term in chunk) {
          if (term !== prefix && term.startsWith(prefix)) found.push([term, chunk[term].length / 2]);
        }
      }
    } else {
      const vocab = await vocabulary(prefix);
      for (const term in vocab) {
        if (term !== prefix && term.startsWith(prefix)) found.push([term, vocab[term]]);
      }
    }
    return found.sort(byFrequency).slice(0, COMPLETIONS);
  }

  // The nearest spellings of a word in the vocabulary of its letter, at most ``most`` edits
  // away: [[term, stories]], the fewest edits first, then the most frequent; only those in
  // more than ``than`` stories.
  async function correctionsOf(word, prefix, than, most) {
    const max = Math.min(allowedEdits(word), most);
    if (!max) return [];
    const vocab = await vocabulary(word);
    let best = max;
    let found = [];
    for (const term in vocab) {
      if (vocab[term] <= than || term === word) continue;
      const edits = distance(word, term, best, prefix);
      if (edits > best) continue;
      if (edits < best) [best, found] = [edits, []];
      found.push([term, vocab[term]]);
    }
    return found.sort(byFrequency).slice(0, 3);
  }

  // What a query word matches: {shares: Map term -> share of its weight, completions,
  // correction}. A whole word matches its own term; the last word also its completions, each
  // (and the word itself) by how common it is against the most common of them.
  async function resolve(word) {
    const typed = word.term || word.typed;
    const [own, completions] = await Promise.all([
      word.term ? postingsOf(word.term) : undefined,
      word.prefix ? completionsOf(typed) : [],
    ]);
    const shares = new Map();
    const candidates = own ? [[word.term, own.length / 2], ...completions] : completions;
    const most = Math.max(0, ...candidates.map((entry) => entry[1]));
    for (const [term, stories] of candidates) shares.set(term, word.prefix ? stories / most : 1);
    // Not found: the word is misspelt. Hardly found, in a long word: it may be misspelt in
    // those few stories too, when a spelling one edit away is in a hundred times as many
    // (looser, and most rare words, being real, would be offered a common neighbour).
    let correction = "";
    if (!most || (most <= RARE && [...typed].length >= RARE_LENGTH)) {
      const near = await correctionsOf(typed, word.prefix, most * RARE_RATIO, most ? 1 : 2);
      const top = near.length ? near[0][1] : 0;
      for (const [term, stories] of near) shares.set(term, (stories / top) * (most ? 0.25 : 1));
      correction = near.length ? near[0][0] : "";
    }
    return { shares, completions: completions.map((entry) => entry[0]), correction };
  }

  // Story id -> score for a word: its best share-weighted weight over the terms it matches.
  async function scoresOf(shares) {
    const terms = [...shares.keys()];
    const lists = await Promise.all(terms.map(postingsOf));
    const scores = new Map();
    lists.forEach((postings, t) => {
      const share = shares.get(terms[t]);
      let id = 0;
      for (let k = 0; postings && k < postings.length; k += 2) {
        id += postings[k];
        const score = postings[k + 1] * share;
        if (!(scores.get(id) >= score)) scores.set(id, score);
      }
    });
    return scores;
  }

  // Stories with every word, scored by the sum of their words' scores, in query order.
  async function find(words) {
    const resolved = await Promise.all(words.map(resolve));
    const maps = await Promise.all(resolved.map((r) => scoresOf(r.shares)));
    const hits = [];
    const [shortest] = [...maps].sort((a, b) => a.size - b.size); // walk the shortest
    for (const id of words.length ? shortest.keys() : []) {
      const scores = maps.map((map) => map.get(id));
      if (!scores.includes(undefined)) hits.push({ id, score: scores.reduce((a, b) => a + b, 0) });
    }
    return { hits, resolved, maps };
  }

  // Which of a short last word's completions go with the other words: [[term, stories]].
  async function fitting(words, resolved, maps) {
    const last = resolved[resolved.length - 1];
    const others = maps.slice(0, -1);
    const counted = await Promise.all(last.completions.map(async (term) => {
      let id = 0;
      let n = 0;
      const postings = (await postingsOf(term)) || [];
      for (let k = 0; k < postings.length; k += 2) {
        id += postings[k];
        if (others.every((map) => map.has(id))) n++;
      }
      return [term, n];
    }));
    return counted.filter((entry) => entry[1]).sort(byFrequency);
  }

  // "Did you mean …?" for corrected words; the completions of a one- or two-letter last word.
  async function renderSuggestions(words, found, ticket) {
    const { resolved, maps } = found;
    const parts = [];
    const link = (words, text) => {
      const query = words.join(" ");
      const a = element("a", "", text || query);
      a.href = `?q=${encodeURIComponent(query)}`;
      a.dataset.query = query;
      return a;
    };
    const typed = words.map((w) => w.typed);
    if (resolved.some((r) => r.correction)) {
      const fixed = resolved.map((r, i) => r.correction || typed[i]);
      parts.push("Did you mean ", link(fixed), "?");
    } else if (words.length && [...words[words.length - 1].typed].length < SHORT) {
      const best = await fitting(words, resolved, maps);
      if (best.length) {
        parts.push(`Words starting with “${typed[typed.length - 1]}”: `);
        best.forEach(([term], i) => {
          parts.push(...(i ? [", "] : []), link([...typed.slice(0, -1), term], term));
        });
      }
    }
    if (ticket === latest) suggest.replaceChildren(...parts);
  }

  // Story id -> values of a group, fetched when the group is opened or a value of it is chosen.
  function loadGroup(group) {
    filters[group] = filters[group] || load(`f-${group}.json`).then((values) => {
      const byStory = Array.from({ length: manifest.stories }, () => []);
      for (const [value, gaps] of Object.entries(values)) {
        let id = 0;
        for (const gap of gaps) byStory[(id += gap)].push(value);
      }
      return byStory;
    });
    filters[group].catch(() => delete filters[group]);
    return filters[group];
  }

  // The loaded groups' values: {group: story id -> values} for those with a file fetched.
  async function chosenGroups() {
    const chosen = GROUPS.filter((group) => state.chosen[group].size && has(manifest.filters, group));
    const got = await Promise.all(chosen.map(loadGroup));
    return Object.fromEntries(chosen.map((group, i) => [group, got[i]]));
  }

  // Values OR within a group, AND across groups; `except` leaves a group out, for its counts.
  function passes(id, byGroup, except) {
    return Object.keys(byGroup).every((group) => group === except
      || byGroup[group][id].some((value) => state.chosen[group].has(value)));
  }

  async function search() {
    if (!manifest) return; // the manifest's arrival searches the box's words
    const ticket = ++latest;
    const text = state.query.trim().replace(/\s+/g, " ");
    try {
      const words = parse(text, manifest.min_length, stopwords);
      const [found, byGroup] = await Promise.all([find(words), chosenGroups()]);
      const newest = state.order === "newest";
      // Ties, and the order "newest", by id: the newest story has the highest.
      const results = found.hits.filter((hit) => passes(hit.id, byGroup))
        .sort((a, b) => (newest ? 0 : b.score - a.score) || b.id - a.id);
      const terms = new Set(found.resolved.flatMap((r) => [...r.shares.keys()]));
      const cards = await renderCards(results.slice(0, PAGE), terms);
      if (ticket !== latest) return;
      Object.assign(state, { hits: found.hits, results, terms, shown: cards.length });
      list.replaceChildren(...cards);
      more.hidden = state.shown >= results.length;
      const n = results.length;
      status.textContent = text && `${n || "No"} result${n === 1 ? "" : "s"} for ${text}`;
      suggest.replaceChildren();
      renderSuggestions(words, found, ticket).catch(() => {});
      groups.forEach((details, g) => details.open && renderGroup(GROUPS[g], ticket).catch(() => {}));
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
      const cards = await renderCards(next, state.terms);
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
  async function renderCards(results, terms) {
    const per = manifest.docs_per_chunk;
    const ids = results.map((hit) => hit.id);
    const chunks = await Promise.all(ids.map((id) => load(`d${Math.floor(id / per)}.json`)));
    return ids.map((id, k) => card(chunks[k][id % per], terms));
  }

  function card(doc, terms) {
    const heading = element("h2", "headline");
    heading.append(Object.assign(element("a", "", doc.title), { href: new URL(doc.url, siteUrl) }));
    const summary = element("p", "summary");
    summary.append(...marked(doc.summary, terms));
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

  // The summary as text and <mark>s: the words whose terms the query matched.
  function marked(text, terms) {
    const parts = [];
    let at = 0;
    for (const run of text.matchAll(/[\p{L}\p{N}\p{M}]+/gu)) {
      if (!termsOf(run[0], manifest.min_length, stopwords).some((term) => terms.has(term))) continue;
      parts.push(text.slice(at, run.index), element("mark", "", run[0]));
      at = run.index + run[0].length;
    }
    parts.push(text.slice(at));
    return parts;
  }

  // A group's values among the hits that pass the other groups' filters, with counts: only once
  // it is open, its file fetched then.
  async function renderGroup(group, ticket) {
    const [values, byGroup] = await Promise.all([loadGroup(group), chosenGroups()]);
    if (ticket !== latest) return;
    const details = groups[GROUPS.indexOf(group)];
    const focused = document.activeElement;
    const refocus = focused.type === "checkbox" && details.contains(focused) && focused;
    const chosen = state.chosen[group];
    const counts = new Map();
    for (const hit of state.hits) {
      if (!passes(hit.id, byGroup, group)) continue;
      for (const value of values[hit.id]) counts.set(value, (counts.get(value) || 0) + 1);
    }
    const count = (value) => counts.get(value) || 0;
    const listed = [...new Set([...counts.keys(), ...chosen])]
      .sort((a, b) => count(b) - count(a) || a.localeCompare(b));
    const all = group !== "topic" || state.allTopics;
    const shown = listed.filter((value, i) => all || i < TOP_TOPICS || chosen.has(value));
    details.querySelector("ul").replaceChildren(...shown.map((v) => option(group, v, count(v))));
    if (group === "topic") {
      allTopics.hidden = listed.length <= TOP_TOPICS;
      allTopics.setAttribute("aria-expanded", String(state.allTopics));
      allTopics.textContent = state.allTopics ? "Show fewer topics" : "Show all topics";
    }
    // The list was rebuilt: give focus back to the box just ticked, or else its group.
    if (refocus && !refocus.isConnected) {
      const again = [...details.querySelectorAll("input")].find((i) => i.value === refocus.value);
      (again || details.querySelector("summary")).focus();
    }
  }

  function option(group, value, count) {
    const input = Object.assign(element("input"), { type: "checkbox", name: group, value });
    input.checked = state.chosen[group].has(value);
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

  // Up and down move between the box and the results' links.
  function step(event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const links = [box, ...list.querySelectorAll(".headline a")];
    const at = links.indexOf(document.activeElement);
    const next = links[at + (event.key === "ArrowDown" ? 1 : -1)];
    if (at < 0 || !next) return;
    event.preventDefault();
    next.focus();
  }

  box.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(changed, 80); // search as you type, once typing pauses
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault(); // already on the search page: search without reloading it
    changed();
  });
  suggest.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-query]");
    if (!link) return;
    event.preventDefault(); // the corrected query, here and in the address
    box.value = link.dataset.query;
    changed();
    box.focus();
  });
  root.addEventListener("keydown", step);
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
  groups.forEach((details, g) => details.addEventListener("toggle", () => {
    if (details.open) renderGroup(GROUPS[g], latest).catch(() => (status.textContent = FAILED));
  }));
  allTopics.addEventListener("click", () => {
    state.allTopics = !state.allTopics;
    renderGroup("topic", latest).catch(() => (status.textContent = FAILED));
  });
  more.addEventListener("click", showMore);

  box.value = state.query;
  order.value = state.order;
  $(".search-fallback").hidden = true; // JavaScript is on: no word of it until the index answers
  if (!state.query) box.focus();
  load("manifest.json", { cache: "no-cache" }) // the one file whose name never changes
    .then((got) => {
      if (got.version !== 3) throw new Error(`search index version ${got.version}`);
      manifest = got;
      stopwords = new Set(got.stopwords);
      groups.forEach((details, g) => {
        details.hidden = !has(got.filters, GROUPS[g]);
        details.open = !details.hidden && state.chosen[GROUPS[g]].size > 0; // to show why
      });
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

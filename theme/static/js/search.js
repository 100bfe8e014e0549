// The search page: Pagefind's UI over the site's index. A file, not inline script, so the
// Content-Security-Policy can forbid inline code. The query is kept in the address
// (?q=words) so a search can be shared, bookmarked or sent from the masthead's form.
(function () {
  var box = document.getElementById("search");
  if (!box) return;
  if (typeof window.PagefindUI !== "function") {
    // No index in this build (Pagefind missing or off): keep the browse links, say why.
    document.querySelector(".search-nojs").hidden = true;
    document.querySelector(".search-missing").hidden = false;
    return;
  }
  var query = new URLSearchParams(window.location.search).get("q") || "";
  var ui = new window.PagefindUI({
    element: "#search",
    bundlePath: box.dataset.bundle,
    showImages: false,
    showSubResults: false,
    autofocus: !query,
    translations: { placeholder: "Search stories" }
  });
  document.querySelector(".search-fallback").hidden = true;
  if (query) ui.triggerSearch(query);

  box.addEventListener("input", function (event) {
    if (!event.target.classList.contains("pagefind-ui__search-input")) return;
    var url = new URL(window.location.href);
    var words = event.target.value.trim();
    if (words) url.searchParams.set("q", words);
    else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
  });
})();

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
  var params = new URLSearchParams(window.location.search);
  var query = params.get("q") || "";
  var newest = params.get("order") === "newest";
  var ui = new window.PagefindUI({
    element: "#search",
    bundlePath: box.dataset.bundle,
    showImages: false,
    showSubResults: false,
    autofocus: !query,
    sort: newest ? { date: "desc" } : null,
    translations: { placeholder: "Search stories" }
  });
  showOrder(newest);
  document.querySelector(".search-fallback").hidden = true;
  if (query) ui.triggerSearch(query);

  // "Newest first" sorts by each story's date key; the choice lives in the address too.
  function showOrder(isNewest) {
    var order = document.getElementById("search-order");
    order.value = isNewest ? "newest" : "";
    order.closest(".search-order").hidden = false;
    order.addEventListener("change", function () {
      var url = new URL(window.location.href);
      if (order.value) url.searchParams.set("order", order.value);
      else url.searchParams.delete("order");
      window.location.assign(url);
    });
  }

  box.addEventListener("input", function (event) {
    if (!event.target.classList.contains("pagefind-ui__search-input")) return;
    var url = new URL(window.location.href);
    var words = event.target.value.trim();
    if (words) url.searchParams.set("q", words);
    else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
  });
})();

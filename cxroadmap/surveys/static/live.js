// The survey page's live figures: asks the server every 10 seconds for a small JSON document (plain GETs, which
// every proxy passes) and writes what it says into the elements marked data-live="…". Without it the page is whole.
(function () {
  var box = document.querySelector("[data-live-url]");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-live-url");
  function put(name, text) {
    document.querySelectorAll('[data-live="' + name + '"]').forEach(function (el) { el.textContent = text; });
  }
  function comments(list) {
    var holder = document.querySelector("[data-live-comments]");
    if (!holder) { return; }
    holder.textContent = "";
    list.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "list-group-item";
      var head = document.createElement("div");
      head.className = "small text-muted";
      head.textContent = item.at + " · " + item.score;
      var body = document.createElement("div");
      body.textContent = item.comment;
      li.appendChild(head); li.appendChild(body); holder.appendChild(li);
    });
  }
  function tick() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        ["n", "today", "score", "interval", "overall_n", "latest"].forEach(function (k) { put(k, data[k]); });
        comments(data.comments);
      })
      .catch(function () {});
  }
  setInterval(tick, 10000);
})();

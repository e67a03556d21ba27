// Behaviour that pages share. Loaded as a file: the Content-Security-Policy allows no inline script.
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// Each table cell learns its column's name, so that a phone can show rows as cards ("Due: 3 Mar 2027").
function labelTableCells(root) {
  root.querySelectorAll("table.table").forEach(function (table) {
    var names = [];
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head) { return; }
    Array.prototype.forEach.call(head.cells, function (cell) {
      var hidden = cell.querySelector(".visually-hidden") && !cell.textContent.replace(
        cell.querySelector(".visually-hidden").textContent, "").trim();
      for (var i = 0; i < (cell.colSpan || 1); i++) { names.push(hidden ? "" : cell.textContent.trim()); }
    });
    Array.prototype.forEach.call(table.tBodies, function (body) { labelRows(body.rows, names); });
    if (table.tFoot) { labelRows(table.tFoot.rows, names); }
  });
}
function labelRows(rows, names) {
  Array.prototype.forEach.call(rows, function (row) {
    var column = 0;
    Array.prototype.forEach.call(row.cells, function (cell) {
      if (names[column] && !cell.hasAttribute("data-label") && cell.colSpan === 1) {
        cell.setAttribute("data-label", names[column]);
      }
      column += cell.colSpan || 1;
    });
  });
}
document.addEventListener("DOMContentLoaded", function () { labelTableCells(document); });

// A date picker holding a date that does not exist (30 February) would send nothing, and the field would quietly
// go empty; send a marker instead, so that the server can say it is not a real date.
document.addEventListener("submit", function (event) {
  event.target.querySelectorAll("input[type=date], input[type=month]").forEach(function (input) {
    if (input.validity && input.validity.badInput && input.name) {
      var marker = document.createElement("input");
      marker.type = "hidden";
      marker.name = input.name;
      marker.value = "not-a-date";
      event.target.appendChild(marker);
    }
  });
});

// A button with data-copy="#field" copies that field's text (a rater's personal link) and says so.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) {
    return;
  }
  var field = document.querySelector(button.getAttribute("data-copy"));
  if (!field) {
    return;
  }
  field.select();
  var done = function () { button.textContent = button.getAttribute("data-copied"); };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
  } else {
    document.execCommand("copy");
    done();
  }
});

// A job's page asks how far the job is every two seconds, and shows the result once it is over.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.querySelector("[data-job-status]");
  if (!box || !window.fetch) { return; }
  var bar = box.querySelector("progress"), message = box.querySelector("[data-job-message]");
  var state = box.querySelector("[data-job-state]");
  function ask() {
    fetch(box.getAttribute("data-job-status"), {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (!status) { return; }
        if (status.state === "done" || status.state === "failed") { window.location.reload(); return; }
        bar.value = status.progress;
        bar.textContent = status.progress + "%";
        if (status.message) { message.textContent = status.message; }
        if (status.state === "running") { state.textContent = state.getAttribute("data-running"); }
        window.setTimeout(ask, 2000);
      })
      .catch(function () { window.setTimeout(ask, 5000); });
  }
  window.setTimeout(ask, 1000);
});

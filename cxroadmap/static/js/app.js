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
      for (var i = 0; i < (cell.colSpan || 1); i++) { names.push(hidden ? "" : headerName(cell)); }
    });
    Array.prototype.forEach.call(table.tBodies, function (body) { labelRows(body.rows, names); });
    if (table.tFoot) { labelRows(table.tFoot.rows, names); }
  });
}
// A column's name as read aloud: without what is there for the eye alone (the sorted column's arrow).
function headerName(cell) {
  var copy = cell.cloneNode(true);
  copy.querySelectorAll('[aria-hidden="true"]').forEach(function (mark) { mark.remove(); });
  return copy.textContent.trim();
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

// An initiative picker (data-picker="search URL") is a text input taking references; as the person types, the
// organisation's initiatives matching the last reference or words typed are offered below it, and choosing one
// puts its reference in their place. Without this script the input simply takes typed references.
function setUpPicker(input) {
  var list = document.getElementById(input.getAttribute("aria-controls"));
  var multiple = input.hasAttribute("data-multiple");
  var timer = null, asked = 0, active = -1;
  function part() {  // [start, end) of the reference being typed: between the commas around the caret
    var value = input.value, at = input.selectionStart === null ? value.length : input.selectionStart;
    if (!multiple) { return [0, value.length]; }
    var start = Math.max(value.lastIndexOf(",", at - 1), value.lastIndexOf(";", at - 1)) + 1;
    var ends = [value.indexOf(",", at), value.indexOf(";", at), value.length].filter(function (i) { return i >= 0; });
    return [start, Math.min.apply(null, ends)];
  }
  function typed() {
    var span = part();
    return input.value.slice(span[0], span[1]).trim();
  }
  function close() {
    list.hidden = true;
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }
  function choose(ref) {
    var span = part(), before = input.value.slice(0, span[0]), after = input.value.slice(span[1]);
    if (multiple) {
      before = before ? before.replace(/\s*$/, " ") : "";
      after = after || ", ";  // ready for the next one
    }
    input.value = before + ref + after;
    var caret = (before + ref).length + (after === ", " ? 2 : 0);
    input.setSelectionRange(caret, caret);
    close();
    input.focus();
  }
  function mark(index) {
    var options = list.querySelectorAll("[role=option]");
    if (!options.length) { return; }
    active = (index + options.length) % options.length;
    options.forEach(function (option, i) {
      option.classList.toggle("active", i === active);
      option.setAttribute("aria-selected", i === active ? "true" : "false");
    });
    input.setAttribute("aria-activedescendant", options[active].id);
    options[active].scrollIntoView({block: "nearest"});
  }
  function show(found) {
    list.textContent = "";
    found.forEach(function (initiative, i) {
      var option = document.createElement("li");
      option.id = list.id + "-" + i;
      option.className = "list-group-item list-group-item-action picker-option";
      option.setAttribute("role", "option");
      option.setAttribute("data-ref", initiative.ref);
      var ref = document.createElement("strong");
      ref.textContent = initiative.ref;
      option.appendChild(ref);
      option.appendChild(document.createTextNode(" " + initiative.title));
      list.appendChild(option);
    });
    active = -1;
    list.hidden = !found.length;
    input.setAttribute("aria-expanded", found.length ? "true" : "false");
  }
  function search() {
    var words = typed(), number = ++asked;
    if (!words) { close(); return; }
    fetch(input.getAttribute("data-picker") + "?q=" + encodeURIComponent(words), {credentials: "same-origin",
      headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : {initiatives: []}; })
      .then(function (answer) {
        if (number !== asked) { return; }
        var span = part(), others = input.value.slice(0, span[0]) + "," + input.value.slice(span[1]);
        var taken = multiple ? others.toUpperCase().split(/[\s,;]+/) : [];  // offer none twice
        show((answer.initiatives || []).filter(function (found) { return taken.indexOf(found.ref) < 0; }));
      })
      .catch(close);
  }
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 150); });
  input.addEventListener("keydown", function (event) {
    if (list.hidden) { return; }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      mark(active + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      choose(list.querySelectorAll("[role=option]")[active].getAttribute("data-ref"));
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 200); });
  list.addEventListener("mousedown", function (event) {
    var option = event.target.closest("[role=option]");
    if (option) {
      event.preventDefault();  // keep the focus in the input
      choose(option.getAttribute("data-ref"));
    }
  });
}
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input[data-picker]").forEach(setUpPicker);
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

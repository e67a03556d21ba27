// Behaviour that pages share. Loaded as a file: the Content-Security-Policy allows no inline script.
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
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

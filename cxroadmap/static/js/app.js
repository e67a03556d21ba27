// Behaviour that pages share. Loaded as a file: the Content-Security-Policy allows no inline script.
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

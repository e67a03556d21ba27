// Inside the snippet's frame: tells the page around it how tall this page is, so the frame fits without a scrollbar.
(function () {
  if (window.parent === window) { return; }
  function tell() {
    window.parent.postMessage({ cxroadmapHeight: document.body.offsetHeight }, "*");
  }
  window.addEventListener("load", tell);
  window.addEventListener("resize", tell);
  document.addEventListener("change", tell);
  tell();
}());

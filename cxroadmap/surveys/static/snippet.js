/* cxroadmap survey snippet: puts the survey in a frame right after this script. It sets no cookie, no style
   outside its frame and no global name. Optional: data-order, data-customer, data-channel (kept with the answer),
   data-lang ("en" or "nl"; else the page's own language). */
(function (script) {
  if (!script || !script.src) { return; }
  var page = script.src.replace(/\/snippet\.js(?:[?#].*)?$/, "");
  var origin = page.replace(/^(https?:\/\/[^\/]+).*$/, "$1");
  var lang = script.getAttribute("data-lang") || (document.documentElement.lang || "").slice(0, 2).toLowerCase();
  var query = ["embed=1"];
  if (lang === "en" || lang === "nl") { query.push("lang=" + lang); }
  ["order", "customer", "channel"].forEach(function (name) {
    var value = script.getAttribute("data-" + name);
    if (value) { query.push(name + "=" + encodeURIComponent(value)); }
  });
  var frame = document.createElement("iframe");
  frame.src = page + "?" + query.join("&");
  frame.title = lang === "nl" ? "Enquête" : "Survey";
  frame.setAttribute("loading", "lazy");
  frame.style.cssText = "display:block;width:100%;max-width:40rem;height:36rem;border:0;margin:0;padding:0";
  script.parentNode.insertBefore(frame, script.nextSibling);
  window.addEventListener("message", function (event) {
    var height = event.data && event.data.cxroadmapHeight;
    if (event.source === frame.contentWindow && event.origin === origin && typeof height === "number" &&
        height > 0 && height < 20000) {
      frame.style.height = Math.ceil(height) + "px";
    }
  });
}(document.currentScript));

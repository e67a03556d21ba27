"""Every page at a phone's and a laptop's width, in English and Dutch: nothing scrolls sideways, the navigation
fits, names do not break inside a word, stacked cell labels are not cut off and chart text is big enough to read."""

import re

import pytest

pytestmark = pytest.mark.e2e

PAGES = [
    "/", "/account", "/o/{slug}/", "/o/{slug}/dashboard", "/o/{slug}/maturity", "/o/{slug}/readiness",
    "/o/{slug}/initiatives", "/o/{slug}/initiatives/INIT-4", "/o/{slug}/initiatives/INIT-1",
    "/o/{slug}/initiatives/INIT-4/edit", "/o/{slug}/initiatives/new", "/o/{slug}/initiatives/INIT-4/benefits/new",
    "/o/{slug}/timeline", "/o/{slug}/meetings", "/o/{slug}/meetings/1", "/o/{slug}/meetings/2",
    "/o/{slug}/meetings/2/edit", "/o/{slug}/coalition", "/o/{slug}/coalition/new", "/o/{slug}/coalition/1/edit",
    "/o/{slug}/teams", "/o/{slug}/teams/1", "/o/{slug}/teams/new", "/o/{slug}/reports", "/o/{slug}/members",
    "/o/{slug}/audit", "/o/{slug}/settings", "/organisations/new",
    "/o/{slug}/journey", "/o/{slug}/journey/stages", "/o/{slug}/journey/touchpoints/new", "/o/{slug}/kpis",
    "/o/{slug}/kpis/new",
]
WIDTHS = [390, 1280]

# What a user sees that is wrong, measured in the page itself.
MEASURE = """() => {
  const doc = document.documentElement;
  const problems = [];
  if (doc.scrollWidth > doc.clientWidth + 1) {
    const wide = [...document.querySelectorAll('main *, nav *')].filter(
      el => el.getBoundingClientRect().right > doc.clientWidth + 1 && el.offsetParent !== null)
      .slice(0, 3).map(el => el.tagName + '.' + el.className + ' ' + (el.textContent || '').trim().slice(0, 30));
    problems.push(`page ${doc.scrollWidth}px wide in ${doc.clientWidth}px: ${wide.join(' | ')}`);
  }
  const nav = document.querySelector('nav.navbar');
  if (nav) {
    const bar = nav.getBoundingClientRect();
    if (bar.height > 80) problems.push(`navigation wraps to ${Math.round(bar.height)}px high`);
    for (const el of nav.querySelectorAll('a, button')) {
      const box = el.getBoundingClientRect();
      if (box.width && (box.right > doc.clientWidth + 1 || box.left < -1))
        problems.push(`navigation item "${el.textContent.trim()}" outside the window (${Math.round(box.right)}px)`);
    }
  }
  // A word of a name or title split over two lines: each word of table cells and headings measured alone.
  const broken = [];
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode()) && broken.length < 3) {
    if (!node.parentElement || !node.parentElement.closest('td, th, h1, h2, h3, .card-title, dt, dd, li')) continue;
    if (node.parentElement.closest('.visually-hidden, .text-prewrap')) continue;
    const details = node.parentElement.closest('details');  // folded away: nothing is drawn
    if (details && !details.open && !node.parentElement.closest('summary')) continue;
    const head = node.parentElement.closest('thead');  // a stacked table's head is there for screen readers only
    if (head && head.getBoundingClientRect().width < 2) continue;
    const re = /[^\\s\\u00a0\\u00ad\\-\\/]+/g;  // a hyphen or a slash is a fair place to break
    let match;
    while ((match = re.exec(node.textContent))) {
      if (match[0].length < 2 || match[0].length > 24) continue;  // an address longer than a line may break
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (lines.size > 1) { broken.push(match[0]); break; }
    }
  }
  if (broken.length) problems.push(`words broken over two lines: ${broken.join(', ')}`);
  // A stacked table's cell label longer than its value: the row grows, the label never runs under the next row.
  const cut = [...document.querySelectorAll('main td[data-label], main th[data-label]')]
    .filter(el => el.offsetParent !== null
                  && parseFloat(getComputedStyle(el, '::before').height) > el.clientHeight + 1)
    .slice(0, 3).map(el => el.dataset.label);
  if (cut.length) problems.push(`cell labels cut off: ${cut.join(', ')}`);
  // A stacked cell's label is its column's name, never the sorted column's arrow repeated on every card.
  const marked = [...document.querySelectorAll('main [data-label]')].filter(el => /[▲▼]/.test(el.dataset.label))
    .slice(0, 3).map(el => el.dataset.label);
  if (marked.length) problems.push(`cell labels carry the sort mark: ${marked.join(', ')}`);
  return problems;
}"""

CHART_SCALES = """() => [...document.querySelectorAll('img[src*=".svg"]')].filter(img => img.offsetParent !== null)
  .map(img => ({src: img.currentSrc || img.src, natural: img.naturalWidth,
                scale: img.getBoundingClientRect().width / img.naturalWidth}))"""


@pytest.fixture(scope="module")
def readers(browser, live_server):
    """An admin page per language: the same person twice, once reading English, once Dutch."""
    from cxroadmap.accounts.services import add_membership, create_user, set_language
    from cxroadmap.extensions import db
    from cxroadmap.organisations.services import organisation_by_slug, set_logo
    from tests.organisations.test_logo import png

    pages = {}
    with live_server["app"].app_context():
        organisation = organisation_by_slug(live_server["slug"])
        set_logo(organisation, png(1200, 300))  # a wide logo in the bar: the widest it gets
        for language in ("en", "nl"):
            email = f"lay.out.{language}@example.com"
            user = create_user(email, "Marieke van den Berg-Oosterhuis", "a long test passphrase 42",
                               site_admin=True)
            set_language(user, language)
            add_membership(organisation, email, "admin")
        db.session.commit()
    contexts = []
    for language in ("en", "nl"):
        context = browser.new_context(base_url=live_server["url"], viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.goto("/login")
        page.fill("#email", f"lay.out.{language}@example.com")
        page.fill("#password", "a long test passphrase 42")
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        pages[language] = page
    yield pages
    for context in contexts:
        context.close()


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("width", WIDTHS + [1000])
def test_every_page_fits_the_window(readers, live_server, language, width):
    page = readers[language]
    page.set_viewport_size({"width": width, "height": 900})
    found = {}
    for path in PAGES:
        url = path.format(slug=live_server["slug"])
        response = page.goto(url)
        assert response.status == 200, url
        page.wait_for_load_state("load")
        problems = page.evaluate(MEASURE)
        if problems:
            found[url] = problems
    assert not found, "\n".join(f"{url}: {'; '.join(problems)}" for url, problems in found.items())


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("width", WIDTHS)
def test_the_logo_stands_in_the_bar_with_its_name(readers, live_server, language, width):
    page = readers[language]
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/o/{live_server['slug']}/initiatives")
    page.wait_for_load_state("load")
    logo = page.evaluate("""() => { const img = document.querySelector('nav img');
      const box = img.getBoundingClientRect();
      return {alt: img.alt, loaded: img.complete && img.naturalWidth > 0, width: box.width, height: box.height}; }""")
    said = {"en": "Logo of", "nl": "Logo van"}[language]
    assert logo["loaded"] and logo["alt"] == f"{said} Van Dijk Onderdelen B.V."
    assert 18 <= logo["height"] <= 32 and abs(logo["width"] / logo["height"] - 4) < 0.1  # its own proportions


def _smallest_font(svg: str) -> float:
    sizes = [float(size) for size in re.findall(r"font-size:\s*([\d.]+)", svg)]
    assert sizes, "a chart without text"
    return min(sizes)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", ["/o/{slug}/", "/o/{slug}/dashboard", "/o/{slug}/timeline"])
def test_chart_text_is_readable(readers, live_server, width, path):
    page = readers["nl"]
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(path.format(slug=live_server["slug"]))
    page.wait_for_load_state("load")
    charts = page.evaluate(CHART_SCALES)
    assert charts
    for chart in charts:
        assert chart["natural"] > 0, f"{chart['src']} is not shown"
        response = page.request.get(chart["src"])
        assert response.ok, chart["src"]
        svg = response.text()
        rendered = _smallest_font(svg) * chart["scale"]
        assert rendered >= 11, f"{chart['src']}: smallest text {rendered:.1f}px at {width}px"

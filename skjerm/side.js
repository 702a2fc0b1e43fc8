// The page in Norwegian and for the keyboard (WCAG 2.1 AA): runs once per page, then follows
// every change Streamlit makes to it.
// - the page's language is Norwegian bokmål, and Streamlit's own English labels are translated;
// - a radio button is named by its label (not its value, "0");
// - a new answer ([data-nytt-svar]) is scrolled to its start and gets the focus;
// - a message that must be seen ([data-vis-meg]) is scrolled into view;
// - a countdown ([data-nedtelling], the time in ms it ends) counts the seconds down.
(() => {
  if (window.kommuneindeksSide) return;
  window.kommuneindeksSide = true;

  const NORSK = {
    "Skip to main content": "Hopp til hovedinnholdet",
    "Sidebar": "Sidemeny",
    "Collapse sidebar": "Skjul sidemenyen",
    "Expand sidebar": "Vis sidemenyen",
    "Open": "Åpne",
    "Close": "Lukk",
    "Clear": "Tøm",
    "Clear all": "Tøm alt",
    "Send message": "Send spørsmålet",
    "Link to heading": "Lenke til overskriften",
    "Chat message from user": "Spørsmålet ditt",
    "Chat message from assistant": "Svar fra assistenten",
    "user avatar": "Deg",
    "assistant avatar": "Assistenten",
    "Show data": "Vis tallene",
    "Download as PNG": "Last ned som PNG",
    "Download as SVG": "Last ned som SVG",
    "Copy Vega-Lite spec": "Kopier Vega-Lite-beskrivelsen",
    "Fullscreen": "Fullskjerm",
    "Close fullscreen": "Lukk fullskjerm",
    "Exit fullscreen": "Lukk fullskjerm",
    "Download as CSV": "Last ned som CSV",
    "Search": "Søk",
    "Main menu": "Hovedmeny",
    "Running...": "Arbeider …",
    "Stop": "Stopp",
    "Copy to clipboard": "Kopier",
    "Show password text": "Vis teksten",
    "Selected": "Valgt",
    "No results": "Ingen treff",
    "Show/hide columns": "Vis eller skjul kolonner",
    "Collapse": "Lukk",
    "Expand": "Åpne",
  };
  const PREFIXES = [["Help for ", "Hjelp: "], ["Selected ", "Valgt: "], ["Title text ", "Tittel: "]];
  const ATTRIBUTES = ["aria-label", "title", "placeholder"];

  function norsk(text) {
    if (Object.prototype.hasOwnProperty.call(NORSK, text)) return NORSK[text];
    for (const [en, nb] of PREFIXES) if (text.startsWith(en)) return nb + text.slice(en.length);
    return text;
  }

  function translate() {
    for (const name of ATTRIBUTES) {
      for (const el of document.querySelectorAll(`[${name}]`)) {
        const value = el.getAttribute(name);
        const nb = norsk(value);
        if (nb !== value) el.setAttribute(name, nb);
      }
    }
    for (const el of document.querySelectorAll('[data-testid="stSkipToContent"], [role="tooltip"]')) {
      const nb = norsk(el.textContent.trim());
      if (nb !== el.textContent.trim() && el.children.length === 0) el.textContent = nb;
    }
    for (const input of document.querySelectorAll('[role="radiogroup"] input[type="radio"]')) {
      const label = input.closest("label");
      const text = label ? label.innerText.trim() : "";
      if (text && input.getAttribute("aria-label") !== text) input.setAttribute("aria-label", text);
    }
    if (document.documentElement.lang !== "nb") document.documentElement.lang = "nb";
  }

  // Streamlit keeps a chat scrolled to the bottom while its content grows (the charts draw
  // after the text), and lets go only when the page scrolls while nothing grows. So the start of
  // a new answer is held in view until the page has stopped growing, then the page is nudged by
  // a pixel (a scroll with nothing growing), and held a little longer; a visitor who scrolls,
  // touches or types takes over at once.
  const HOLD_MS = 700, STILL_MS = 300, LONGEST_MS = 10000;
  let userMoved = false;
  for (const kind of ["wheel", "touchstart", "keydown", "pointerdown"]) {
    window.addEventListener(kind, (e) => { if (e.isTrusted) userMoved = true; }, { capture: true, passive: true });
  }
  // The answer's element, found again each time: Streamlit may replace it while it draws.
  function answerOf(id) {
    const marker = document.querySelector(`[data-nytt-svar="${CSS.escape(id)}"]`);
    return marker ? marker.closest('[data-testid="stChatMessage"]') || marker.parentElement : null;
  }
  function reveal(id) {
    const start = Date.now();
    let height = -1, stillSince = start, rightSince = null, nudged = false;
    userMoved = false;
    function step() {
      const now = Date.now();
      const answer = answerOf(id);
      if (userMoved || !answer || now - start > LONGEST_MS) return;
      if (!answer.contains(document.activeElement)) {
        answer.setAttribute("tabindex", "-1");
        answer.focus({ preventScroll: true });
      }
      const box = answer.closest('[data-testid="stAppScrollToBottomContainer"]');
      const h = box ? box.scrollHeight : document.body.scrollHeight;
      if (h !== height) { height = h; stillSince = now; nudged = false; }
      const top = answer.getBoundingClientRect().top - (box ? box.getBoundingClientRect().top : 0);
      if (Math.abs(top) > 4) {
        answer.scrollIntoView({ block: "start" });
        rightSince = null;
      } else if (rightSince === null) {
        rightSince = now;
      }
      if (!nudged && now - stillSince > STILL_MS && box) {
        box.scrollTop -= 1;
        nudged = true;
        rightSince = now;
      }
      if (nudged && rightSince !== null && now - rightSince > HOLD_MS) return;
      requestAnimationFrame(step);
    }
    step();
  }

  const shown = new Set();
  function focusNew() {
    for (const marker of document.querySelectorAll("[data-nytt-svar]")) {
      const id = marker.getAttribute("data-nytt-svar");
      if (shown.has(id)) continue;
      shown.add(id);
      reveal(id);
    }
    for (const marker of document.querySelectorAll("[data-vis-meg]")) {
      const id = "vis-" + marker.getAttribute("data-vis-meg");
      if (shown.has(id)) continue;
      shown.add(id);
      const target = marker.closest('[data-testid="stElementContainer"]') || marker;
      target.scrollIntoView({ block: "end" });
    }
  }

  function tick() {
    for (const el of document.querySelectorAll("[data-nedtelling]")) {
      const left = Math.max(0, Math.ceil((Number(el.getAttribute("data-nedtelling")) - Date.now()) / 1000));
      const line = el.closest("[data-nedtelling-tekst]");
      if (left === 0 && line) line.textContent = line.getAttribute("data-nedtelling-tekst");
      else if (el.textContent !== String(left)) el.textContent = String(left);
    }
  }

  let pending = false;
  function update() {
    pending = false;
    translate();
    focusNew();
  }
  new MutationObserver(() => {
    if (!pending) {
      pending = true;
      requestAnimationFrame(update);
    }
  }).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ATTRIBUTES });
  setInterval(tick, 1000);
  update();
})();

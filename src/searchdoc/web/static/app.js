// searchdoc serve: keyboard and copy. No inline script anywhere (the page's CSP forbids it).
"use strict";
(function () {
  const typing = (el) => el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" ||
    el.isContentEditable);
  const hits = () => Array.from(document.querySelectorAll(".hit"));
  let current = -1;

  function select(i) {
    const all = hits();
    if (!all.length) return;
    current = Math.max(0, Math.min(i, all.length - 1));
    all.forEach((h, k) => h.classList.toggle("selected", k === current));
    all[current].scrollIntoView({ block: "nearest" });
    const link = all[current].querySelector("a.open");
    if (link) link.focus({ preventScroll: true });
  }

  document.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const t = ev.target;
    if (typing(t)) {
      if (ev.key === "Escape") t.blur();
      return;
    }
    if (ev.key === "/") {
      const q = document.getElementById("q");
      if (q) { ev.preventDefault(); q.focus(); q.select(); }
    } else if (ev.key === "j") {
      select(current + 1);
    } else if (ev.key === "k") {
      select(current - 1);
    } else if (ev.key === "Enter" && current >= 0) {
      const h = hits()[current];
      if (h && h.dataset.open) { ev.preventDefault(); window.location.href = h.dataset.open; }
    } else if (ev.key === "Escape") {
      if (window.history.length > 1) window.history.back();
    }
  });

  document.addEventListener("click", (ev) => {
    const b = ev.target.closest ? ev.target.closest("button.copy") : null;
    if (!b) return;
    const text = b.dataset.citation || "";
    const done = () => { b.classList.add("done"); b.dataset.copied = text; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, done);
    } else {
      const area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      try { document.execCommand("copy"); } catch (e) { /* the page shows it anyway */ }
      area.remove();
      done();
    }
  });

  const focus = document.getElementById("focus");
  if (focus) focus.scrollIntoView({ block: "center" });
})();

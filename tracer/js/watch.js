// Watches the document while an action runs, to tell what it opened. `start` installs the
// observer; `collect` returns the first element that appeared or became visible (dialogs first).
({ start: () => {
    const seen = [];
    const observer = new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === "childList") r.addedNodes.forEach((n) => n.nodeType === 1 && seen.push(n));
        // Text that appears in an existing element (a status line) counts as what the action opened.
        if (r.target.nodeType === 1) seen.push(r.target);
      }
    });
    observer.observe(document.documentElement, { childList: true, subtree: true, attributes: true,
      attributeFilter: ["style", "class", "hidden", "open", "aria-hidden", "aria-expanded"] });
    window.__encoreWatch = { observer, seen };
  },
  collect: (clicked) => {
    const watch = window.__encoreWatch;
    if (!watch) return null;
    watch.observer.disconnect();
    delete window.__encoreWatch;
    const visible = (e) => {
      const r = e.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== "hidden";
    };
    const fresh = watch.seen.filter((e) => e.isConnected && visible(e) && e !== clicked
      && !(clicked && (clicked.contains(e) || e.contains(clicked))) && !["SCRIPT", "STYLE"].includes(e.tagName));
    const preferred = ["dialog", "alertdialog", "menu", "listbox", "alert", "status", "tooltip"];
    return fresh.find((e) => preferred.includes(e.getAttribute("role")) || e.tagName === "DIALOG")
      || fresh.find((e) => (e.innerText || "").trim()) || null;
  },
})

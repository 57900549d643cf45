// When each element appeared, so the recorder can tell how long a step's element took to show up.
// `install` (also an init script) stamps nodes as they are inserted or revealed; `measure` returns
// the milliseconds from the previous measured step in this document (or its start) to the element's
// appearance, and marks now as this step's moment. Evaluated as `({install, measure})`.
({
  install: () => {
    if (window.__encoreAppear) return;
    const stamp = new WeakMap();
    const now = () => performance.now();
    // Inserted subtrees, and elements revealed by the attributes that hide them. A parent gaining a
    // child is not stamped: a toast appended to <body> must not make every element "late".
    new MutationObserver((records) => {
      const t = now();
      for (const r of records) {
        if (r.type === "childList") r.addedNodes.forEach((n) => n.nodeType === 1 && stamp.set(n, t));
        else if (r.target.nodeType === 1) stamp.set(r.target, t);
      }
    }).observe(document, { childList: true, subtree: true, attributes: true,
      attributeFilter: ["hidden", "style", "open"] });
    window.__encoreAppear = { stamp, mark: 0 };
  },
  measure: (element) => {
    const view = element.ownerDocument.defaultView;
    const watch = view && view.__encoreAppear;
    if (!watch) return null;
    let at = 0;
    for (let n = element; n; n = n.parentElement || (n.getRootNode && n.getRootNode().host) || null) {
      const t = watch.stamp.get(n);
      if (t !== undefined && t > at) at = t;
    }
    const since = watch.mark;
    watch.mark = view.performance.now();
    return Math.max(0, Math.round(at - since));
  },
})

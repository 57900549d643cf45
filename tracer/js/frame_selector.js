// A selector for an <iframe> element within its own document: title, name, id, src, position.
(frame) => {
  const quote = (s) => JSON.stringify(s);
  const tag = frame.tagName.toLowerCase();
  const doc = frame.ownerDocument;
  for (const attr of ["title", "name", "id"]) {
    const value = frame.getAttribute(attr);
    if (value && doc.querySelectorAll(`${tag}[${attr}=${quote(value)}]`).length === 1)
      return `${tag}[${attr}=${quote(value)}]`;
  }
  const src = frame.getAttribute("src");
  if (src && doc.querySelectorAll(`${tag}[src=${quote(src)}]`).length === 1) return `${tag}[src=${quote(src)}]`;
  const all = Array.from(doc.querySelectorAll(tag));
  return `${tag} >> nth=${all.indexOf(frame)}`;
}

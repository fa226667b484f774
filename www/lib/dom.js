// DOM helpers of the portal's pages and components.

/** The first element matching `sel`. */
export const $ = (sel) => document.querySelector(sel);

/** An element with attributes (`class`, `text` for textContent, any other as an attribute) and children. */
export function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
}

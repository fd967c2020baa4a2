/**
 * Browser helpers CareBot's pages share (the preview, the operators' console), spliced into each
 * page's inline script: every text from the API goes in with textContent, never as HTML.
 */
export const DOM_HELPERS = `
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}`;

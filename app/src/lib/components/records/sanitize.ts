/** Tags rich text may keep when shown; everything else is unwrapped to its text. */
const ALLOWED = new Set([
  'P',
  'BR',
  'STRONG',
  'EM',
  'B',
  'I',
  'U',
  'S',
  'H1',
  'H2',
  'H3',
  'H4',
  'UL',
  'OL',
  'LI',
  'BLOCKQUOTE',
  'CODE',
  'PRE',
  'HR',
  'A'
])
const DROP = new Set(['SCRIPT', 'STYLE', 'IFRAME', 'OBJECT', 'EMBED', 'TEMPLATE', 'SVG', 'MATH'])

function clean(node: Element): void {
  for (const child of [...node.children]) {
    if (DROP.has(child.tagName)) {
      child.remove()
      continue
    }
    clean(child)
    if (!ALLOWED.has(child.tagName)) {
      child.replaceWith(...child.childNodes)
      continue
    }
    for (const attr of [...child.attributes]) {
      const keep = child.tagName === 'A' && attr.name === 'href' && /^https?:\/\//i.test(attr.value)
      if (!keep) child.removeAttribute(attr.name)
    }
    if (child.tagName === 'A') child.setAttribute('rel', 'noopener noreferrer')
  }
}

/** Rich text HTML reduced to safe formatting (browser only: uses DOMParser). */
export function sanitizeHtml(html: string): string {
  if (typeof DOMParser === 'undefined') return html.replace(/<[^>]*>/g, '')
  const doc = new DOMParser().parseFromString(`<div>${html}</div>`, 'text/html')
  const root = doc.body.firstElementChild
  if (!root) return ''
  clean(root)
  return root.innerHTML
}

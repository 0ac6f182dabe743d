import sanitizeHtml from 'sanitize-html'

/**
 * What the web editor (tiptap StarterKit: paragraphs, headings, lists, quotes, code, rules,
 * bold/italic/strike/underline/code marks, links) produces, plus the b/i/strike a paste
 * brings. Anything else (scripts, styles, event handlers, javascript: links) is dropped.
 */
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'blockquote',
    'ul',
    'ol',
    'li',
    'pre',
    'code',
    'hr',
    'strong',
    'b',
    'em',
    'i',
    's',
    'strike',
    'u',
    'a'
  ],
  allowedAttributes: { a: ['href', 'target', 'rel'], ol: ['start'], code: ['class'] },
  allowedClasses: { code: ['language-*'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    // A link opened from the workspace must not get a handle on it (reverse tabnabbing).
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer nofollow' } })
  }
}

export function sanitizeRichText(html: string): string {
  return sanitizeHtml(html, OPTIONS)
}

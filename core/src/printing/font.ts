import { existsSync } from 'node:fs'

/** Fonts with Chinese glyphs, in order of preference (Debian fonts-wqy-microhei / fonts-noto-cjk); a collection's font is picked by PostScript name. */
const CANDIDATES: Array<{ path: string; family?: string }> = [
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', family: 'WenQuanYiZenHei' }
]

export interface CjkFont {
  path: string
  family?: string
}

/** The configured font, or the first installed candidate; undefined when none is installed. */
export function findCjkFont(configured?: string | null): CjkFont | undefined {
  if (configured) return existsSync(configured) ? { path: configured } : undefined
  return CANDIDATES.find((c) => existsSync(c.path))
}

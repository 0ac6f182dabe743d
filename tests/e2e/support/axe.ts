import AxeBuilder from '@axe-core/playwright'
import type { Page } from 'playwright-core'

const BLOCKING = new Set(['serious', 'critical'])

/** axe-core on the page as it is: every violation of serious or critical impact, with the rule and elements. */
export async function blockingViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze()
  return results.violations
    .filter((v) => BLOCKING.has(v.impact ?? ''))
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes
          .slice(0, 5)
          .map((n) => `${n.target.join(' ')} — ${n.failureSummary?.replace(/\n/g, ' ')}`)
          .join('\n  ')}`
    )
}

import type { PluginContext } from '@medaffairs/plugin-sdk'

/** Placeholder until the demo data lands. */
export async function seedDemo(_ctx: PluginContext): Promise<void> {}

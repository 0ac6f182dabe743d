import type { FormDefinition } from '@medaffairs/plugin-sdk'
import type { Collection } from '$lib/components/records/fields'
import { loadForm, optionLabels } from '$lib/services/forms.service'
import { loadCollections } from '$lib/services/records.service'
import { getCredits, getProfile, type CreditsReport, type Profile } from '$lib/services/archives.service'

export interface ProfileData {
  profile: Profile
  forms: Record<string, FormDefinition>
  collections: Record<string, Collection>
  credits: CreditsReport | null
}

/** Everything the profile page shows of one person: the profile, each module's form and rights, this year's credits. */
export async function loadProfileData(id: string): Promise<ProfileData> {
  const [profile, all, credits] = await Promise.all([
    getProfile(id),
    loadCollections(),
    getCredits({ year: new Date().getFullYear(), staffId: id }).catch(() => null)
  ])
  const collections = Object.fromEntries(
    all.filter((c) => c.name.startsWith('archive_')).map((c) => [c.name, c])
  )
  const forms = Object.fromEntries(
    await Promise.all(
      profile.modules
        .filter((m) => collections[m.collection])
        .map(async (m) => [m.collection, (await loadForm(collections[m.collection])).form] as const)
    )
  )
  // Dictionary labels are cached per dictionary: loading them here shows labels, not codes, on first paint.
  await optionLabels(Object.values(forms).flatMap((f) => f.fields)).catch(() => undefined)
  return { profile, forms, collections, credits }
}

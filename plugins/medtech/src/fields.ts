// The one-line field builders are the SDK's; the modules here know them by these short names.
import { formField as field, dictionaryField as pick } from '@medaffairs/plugin-sdk'

export { field, pick }

/** Reasons carry both languages, as every form error of the workspace does. */
export const reason = (zh: string, en: string) => `${zh} (${en})`

/** A `$like`/`$ilike` pattern matching values that contain `text` literally (`%` and `_` escaped). */
export const likeContains = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

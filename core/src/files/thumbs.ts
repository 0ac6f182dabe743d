import { rm } from 'node:fs/promises'
import sharp from 'sharp'

/** Decompression bombs stop here: a 20 MB PNG can claim billions of pixels. */
const MAX_INPUT_PIXELS = 120_000_000

export interface ImageFacts {
  width: number | null
  height: number | null
  /** A temporary WebP thumbnail for the caller to store, when one was made. */
  thumbnail: string | null
}

/**
 * Reads an image's displayed size (after EXIF rotation) and makes a WebP thumbnail whose
 * longest side is `size` px. Runs inside the upload request: about 50–300 ms for photos up
 * to 20 MB; bigger images get no thumbnail (see `thumbnailMaxBytes`) — a background job
 * would be the place for those. A file that merely looks like an image gets neither.
 */
export async function imageFacts(
  src: string,
  options: { size: number; bytes: number; maxBytes: number; tempPath(): Promise<string> }
): Promise<ImageFacts> {
  let thumbnail: string | null = null
  try {
    const input = { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' as const }
    const meta = await sharp(src, input).metadata()
    const width = meta.autoOrient?.width ?? meta.width ?? null
    const height = meta.autoOrient?.height ?? meta.height ?? null
    if (options.bytes <= options.maxBytes) {
      thumbnail = await options.tempPath()
      await sharp(src, input)
        .autoOrient()
        .resize(options.size, options.size, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 78 })
        .toFile(thumbnail)
    }
    return { width, height, thumbnail }
  } catch {
    if (thumbnail) await rm(thumbnail, { force: true })
    return { width: null, height: null, thumbnail: null }
  }
}

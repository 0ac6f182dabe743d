/** Hands bytes made or fetched in the page to the browser as a download. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.rel = 'noopener'
  document.body.append(a)
  a.click()
  a.remove()
  // The click has read the URL; give the download a moment before it is revoked.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** A workbook sent as base64 (over the socket), as a Blob. */
export function blobOfBase64(base64: string, mime: string): Blob {
  const bin = atob(base64)
  const bytes = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i)
  return new Blob([bytes], { type: mime })
}

import { StringDecoder } from 'node:string_decoder'
import { Transform, type Readable } from 'node:stream'
import ExcelJS from 'exceljs'

/**
 * exceljs 4.4.0's streaming reader decodes each chunk of a zip entry on its own
 * (`TextDecoder.decode(chunk)` without `stream: true`), so a Chinese character whose UTF-8
 * bytes straddle two chunks turns into two U+FFFD: in a 20 000-row sheet of names, a few
 * cells come out as "��". It passes strings through untouched, so handing it text decoded
 * by a StringDecoder (which carries a split character over to the next chunk) fixes both
 * places that hold user text: worksheets (inline strings) and the shared strings table.
 * The methods patched are looked up on the prototype at each call, so the fix holds however
 * the module was loaded first.
 */
type Reader = {
  _parseWorksheet(iterator: AsyncIterable<unknown>, sheetNo: number): unknown
  _parseSharedStrings(entry: Readable): unknown
  __utf8Fixed?: boolean
}

async function* decoded(chunks: AsyncIterable<unknown>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8')
  for await (const chunk of chunks) yield typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer)
  const rest = decoder.end()
  if (rest) yield rest
}

function decodedStream(entry: Readable): Readable {
  const decoder = new StringDecoder('utf8')
  const out = new Transform({
    readableObjectMode: true,
    transform: (chunk: Buffer, _enc, done) => done(null, decoder.write(chunk) || undefined),
    flush: (done) => done(null, decoder.end() || undefined)
  })
  // exceljs drains entries it does not read: keep that working on the original.
  Object.assign(out, { autodrain: () => (entry as Readable & { autodrain(): void }).autodrain() })
  entry.on('error', (err) => out.destroy(err))
  return entry.pipe(out)
}

const proto = ExcelJS.stream.xlsx.WorkbookReader.prototype as unknown as Reader
if (!proto.__utf8Fixed) {
  const parseWorksheet = proto._parseWorksheet
  const parseSharedStrings = proto._parseSharedStrings
  proto._parseWorksheet = function (this: Reader, iterator, sheetNo) {
    return parseWorksheet.call(this, decoded(iterator), sheetNo)
  }
  proto._parseSharedStrings = function (this: Reader, entry) {
    return parseSharedStrings.call(this, decodedStream(entry))
  }
  proto.__utf8Fixed = true
}

export default ExcelJS

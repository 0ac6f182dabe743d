import { NotFound, Unavailable } from '@feathersjs/errors'
import type { Application, HookContext, Params } from '@feathersjs/feathers'
import { callerParams, type PrintTemplate } from '@medaffairs/plugin-sdk'
import { findCjkFont } from './font.js'
import { renderPdf } from './render.js'

/**
 * `GET /api/print/<template>/<id>`: a registered print template rendered to an A4 PDF. The
 * template reads what it prints with the caller's own rights, so printing shows nothing a
 * screen would not.
 */
export class PrintService {
  readonly templates = new Map<string, PrintTemplate>()

  constructor(
    private readonly app: Application,
    private readonly fontPath?: string | null
  ) {}

  async get(id: string, params: Params & { route?: { template?: string } }): Promise<Buffer> {
    const template = this.templates.get(String(params.route?.template))
    if (!template) throw new NotFound('没有该打印模板 (no such print template)')
    const font = findCjkFont(this.fontPath)
    if (!font)
      throw new Unavailable(
        '服务器未安装中文字体，无法生成 PDF (no CJK font installed: apt-get install fonts-wqy-microhei)'
      )
    const printable = await template.render(id, callerParams(params), this.app)
    return renderPdf(printable, font)
  }
}

/** Sends the PDF as a file, not JSON. */
export function asPdf(context: HookContext): void {
  context.http = {
    ...context.http,
    headers: {
      'content-type': 'application/pdf',
      'content-disposition': `inline; filename="${encodeURIComponent(String(context.params.route?.template))}.pdf"`
    }
  }
}

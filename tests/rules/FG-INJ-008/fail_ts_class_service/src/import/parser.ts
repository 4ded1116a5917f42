import libxmljs from "libxmljs";

export class FeedParser {
  private readonly options: { noent: boolean; strict: boolean };

  constructor(opts: { strict: boolean }) {
    this.options = { noent: true, strict: opts.strict };
  }

  async ingest(xml: string) {
    const doc = libxmljs.parseXml(xml, { noent: true, huge: false });
    return doc.find("//item").length;
  }
}

import type { SQSEvent } from "aws-lambda";
import { FeedParser } from "./parser";

const parser = new FeedParser({ strict: true });

export async function handler(event: SQSEvent) {
  for (const record of event.Records) {
    await parser.ingest(record.body);
  }
}

import type { SQSEvent } from "aws-lambda";

const SLACK_TOKEN = "xoxb-2048571928-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx";

export class Notifier {
  private readonly apiKey = "k7Fq2Lw9Xz4Rt8Pm3Vn6Yb1Hc5Jd0Gs";
  async send(text: string) {
    return fetch("https://slack.com/api/chat.postMessage", { headers: { authorization: `Bearer ${SLACK_TOKEN}` }, body: text });
  }
}

export const handler = async (event: SQSEvent) => {
  await new Notifier().send(event.Records[0].body);
};

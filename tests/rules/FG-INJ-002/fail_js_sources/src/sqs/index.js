exports.handler = handler;

async function handler(event) {
  for (const record of event.Records) {
    const value = record.body;
    const result = eval("(" + value + ")");
  }
  return { statusCode: 200 };
}

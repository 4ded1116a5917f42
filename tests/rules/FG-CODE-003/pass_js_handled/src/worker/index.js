exports.handler = async (event) => {
  const failures = [];
  for (const record of event.Records) {
    try {
      await work(JSON.parse(record.body));
    } catch (e) {
      console.error("failed", record.messageId, e);
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  try {
    await flush();
  } catch (err) {
    throw new Error("flush failed", { cause: err });
  }
  return { batchItemFailures: failures };
};

async function work(item) {
  return item;
}

async function flush() {}

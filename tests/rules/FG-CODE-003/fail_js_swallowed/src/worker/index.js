exports.handler = async (event) => {
  try {
    await Promise.all(event.Records.map((r) => process(JSON.parse(r.body))));
  } catch (e) {}
  return { batchItemFailures: [] };
};

async function process(item) {
  return item.id;
}

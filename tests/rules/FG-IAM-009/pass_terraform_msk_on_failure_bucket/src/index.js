exports.handler = async (event) => {
  for (const records of Object.values(event.records)) {
    for (const record of records) {
      console.log(Buffer.from(record.value, "base64").toString());
    }
  }
};

const serialize = require("node-serialize");
const { decode } = require("./codec");

exports.handler = async (event) => {
  const results = await Promise.all(
    event.Records.map((record) =>
      decode(record.body)
        .then((text) => text.trim())
        .then((text) => serialize.unserialize(text)),
    ),
  );
  return results.length;
};

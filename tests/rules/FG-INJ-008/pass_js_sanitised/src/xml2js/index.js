const xml2js = require("xml2js");

exports.handler = async (event) => {
  for (const record of event.Records) {
    const parsed = await xml2js.parseStringPromise(record.body);
    console.log(Object.keys(parsed));
  }
};

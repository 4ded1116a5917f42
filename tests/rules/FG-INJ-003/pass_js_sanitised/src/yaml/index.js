const yaml = require("js-yaml");

exports.handler = async (event) => {
  for (const record of event.Records) {
    const config = yaml.load(record.body);
    console.log(Object.keys(config).length);
  }
};

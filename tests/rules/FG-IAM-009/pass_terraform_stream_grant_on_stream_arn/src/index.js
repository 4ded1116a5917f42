exports.handler = async (event) => {
  for (const record of event.Records) {
    console.log(record.eventName, JSON.stringify(record.dynamodb.NewImage));
  }
};

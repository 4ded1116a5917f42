exports.handler = function (event, context, callback) {
  doWork(event)
    .then((result) => callback(null, { statusCode: 200, body: JSON.stringify(result) }))
    .catch((error) => callback(null, { statusCode: 500, body: JSON.stringify(error) }));
};

function doWork(event) {
  return Promise.resolve(event.body);
}
